"""What the people who do not answer said — the members or reporters who ask, the host — read back from a build's
transcript copies, so that "What did Colby Smith ask?" or "贾惠丽说了什么？" is answered too.

The index keeps answers only; these turns are recovered by parsing the copies again (the same parser that built the
index, so exchange numbers agree), once per build and only when a question names someone who never answers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from qa.speakers.attribution import attribute_speakers
from qa.index.chunking import split_sentences
from qa.errors import QAError
from qa.speakers.roster import Speaker
from qa.index.store import Index
from qa.ingest.transcripts import parse_transcript_text


@dataclass(frozen=True)
class OtherTurn:
    """A question asked or a remark made, with where it stands."""

    transcript_id: str
    exchange: int
    speaker: Speaker
    text: str
    line_start: int
    line_end: int
    kind: str  # "question" or "remark"

    @property
    def highlight(self) -> str:
        """The sentence that asks (ends with ？/?), else the first one: what the turn is about."""
        sentences = split_sentences(self.text.replace("\n", " ")) or [self.text]
        asking = [s for s in sentences if s.rstrip("”\"）) ").endswith(("？", "?"))]
        return (asking or sentences)[0][:240]


_CACHE: dict[str, list[OtherTurn]] = {}
_LOCK = threading.Lock()


def other_turns(index: Index) -> list[OtherTurn]:
    """Every question and host remark of the build, in transcript order (cached per build)."""
    key = str(index.directory)
    with _LOCK:
        if key not in _CACHE:
            if len(_CACHE) > 4:
                _CACHE.clear()
            _CACHE[key] = _read_turns(index)
        return _CACHE[key]


def _read_turns(index: Index) -> list[OtherTurn]:
    turns: list[OtherTurn] = []
    for transcript_id, info in index.transcripts.items():
        try:
            text = "\n".join(index.transcript_lines(transcript_id))
            transcript = parse_transcript_text(text, name=transcript_id, path=Path(str(info.get("path") or transcript_id)),
                                               format=info.get("format"))
            briefing = attribute_speakers(transcript)
        except (OSError, QAError):
            continue  # a copy that no longer parses: its answers are still served, its questioners are not listed
        for exchange in briefing.exchanges:
            q = exchange.question
            if q is not None and q.questioner.name:
                turns.append(OtherTurn(transcript_id, exchange.index, q.questioner, q.text, q.line_start, q.line_end,
                                       "question"))
        for remark in briefing.remarks:
            exchange = _exchange_at(briefing, remark.line_start)
            turns.append(OtherTurn(transcript_id, exchange, remark.speaker, remark.text, remark.line_start,
                                   remark.line_end, "remark"))
    return turns


def _exchange_at(briefing, line: int) -> int:
    """The exchange a remark falls in: the last one that started before it."""
    current = 0
    for exchange in briefing.exchanges:
        start = exchange.question.line_start if exchange.question else (
            exchange.answers[0].line_start if exchange.answers else 0)
        if start and start <= line:
            current = exchange.index
    return current
