"""The transcript page as a reader wants it: Markdown headings and bold rendered (never shown raw), blank lines
dropped (their numbers skipped, so every cited line keeps its number), who speaks and which question is which.

Rendering is done here into small rows of plain text segments; the template escapes every segment, so a transcript
can carry no markup into the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from qa.speakers.english import default_glossary
from qa.lexicon import has_cjk
from qa.index.store import Index

_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*?)\s*#*\s*$")
_TIMESTAMP = re.compile(r"^\s*\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(?::\d{2})?\s*$")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")


@dataclass
class Row:
    n: int
    kind: str  # "text", "heading", "time"
    segments: list[tuple[str, bool]]  # (text, bold)
    level: int = 0
    speaker: str | None = None
    speaker_en: str | None = None
    question: int | None = None
    opening: bool = False


@dataclass
class TranscriptView:
    info: dict
    rows: list[Row]
    lang: str
    questions: int
    speakers: list[dict] = field(default_factory=list)


def inline_segments(text: str) -> list[tuple[str, bool]]:
    """'**在存量专利盘活方面**，我们…' → [('在存量专利盘活方面', True), ('，我们…', False)]; a lone ** stays text."""
    segments: list[tuple[str, bool]] = []
    position = 0
    for match in _BOLD.finditer(text):
        if match.start() > position:
            segments.append((text[position:match.start()], False))
        segments.append((match.group(1) or match.group(2), True))
        position = match.end()
    if position < len(text):
        segments.append((text[position:], False))
    return [(t, b) for t, b in segments if t]


def transcript_view(index: Index, transcript_id: str) -> TranscriptView:
    info = index.transcripts[transcript_id]
    lines = index.transcript_lines(transcript_id)
    glossary = default_glossary()
    speakers_at: dict[int, tuple[str, str, bool]] = {}
    questions_at: dict[int, int] = {}
    people: dict[str, dict] = {}
    for record in index.answers:
        if record.transcript_id != transcript_id:
            continue
        s = record.speaker
        speakers_at.setdefault(record.line_start, (s.display, glossary.speaker_fields(s)["display_en"], record.exchange == 0))
        people.setdefault(s.name, {"display": s.display, "display_en": glossary.speaker_fields(s)["display_en"]})
        if record.question_lines and record.exchange:
            questions_at.setdefault(record.question_lines[0], record.exchange)
    rows: list[Row] = []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        heading = _HEADING.match(raw)
        if heading:
            row = Row(n, "heading", inline_segments(heading.group(2)), level=min(len(heading.group(1)) + 1, 6))
        elif _TIMESTAMP.match(raw):
            row = Row(n, "time", [(raw.strip(), False)])
        else:
            row = Row(n, "text", inline_segments(raw.strip()))
        if n in speakers_at:
            row.speaker, row.speaker_en, row.opening = speakers_at[n]
        row.question = questions_at.get(n)
        rows.append(row)
    sample = "".join(lines[:200])
    return TranscriptView(info, rows, "zh-CN" if has_cjk(sample) else "en", len(set(questions_at.values())),
                          list(people.values()))
