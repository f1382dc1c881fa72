"""Transcript files in, Turns out: detect the format, decode the bytes, parse into labelled or unlabelled turns."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from .decoding import decode_bytes, read_transcript_text
from .errors import TranscriptError

FORMATS = ("markdown", "labelled", "caps", "vtt", "srt")
TRANSCRIPT_SUFFIXES = (".md", ".markdown", ".txt", ".vtt", ".srt")


@dataclass
class Turn:
    """One paragraph (or caption run) of the transcript, with the speaker label written before it, if any."""

    text: str
    line_start: int
    line_end: int
    label: str | None = None
    bold: bool = False
    time: str | None = None
    end_time: str | None = None


@dataclass
class Transcript:
    id: str
    title: str
    date: str | None
    path: str
    format: str
    encoding: str
    turns: list[Turn]
    lines: list[str] = field(repr=False, default_factory=list)


def load_transcript(path: str | Path, *, format: str | None = None) -> Transcript:
    """Read and parse one transcript file; every failure is a TranscriptError naming the file."""
    path = Path(path)
    text, encoding = read_transcript_text(path)
    return parse_transcript_text(text, name=str(path), path=path, encoding=encoding, format=format)


def parse_transcript_bytes(data: bytes, *, name: str, format: str | None = None) -> Transcript:
    text, encoding = decode_bytes(data, name=name)
    return parse_transcript_text(text, name=name, path=Path(name), encoding=encoding, format=format)


def parse_transcript_text(
    text: str, *, name: str, path: Path, encoding: str = "utf-8", format: str | None = None
) -> Transcript:
    from .formats import captions, paragraphs

    text = text.lstrip("\ufeff")
    if format is not None and format not in FORMATS:
        raise TranscriptError(f"Unknown transcript format {format!r}: use one of {', '.join(FORMATS)}")
    fmt = format or detect_format(text, suffix=path.suffix.lower())
    lines = text.split("\n")
    if fmt in ("vtt", "srt"):
        turns = captions.parse_captions(lines, fmt, name=name)
        title = _title_from_note(lines) or _title_from_path(path)
    else:
        turns, title = paragraphs.parse_paragraphs(lines, fmt)
        title = title or _title_from_path(path)
    if not turns:
        raise TranscriptError(
            f"Transcript '{name}' has no speaker turns or paragraphs (lines 1-{len(lines)}): "
            "expected Markdown paragraphs, 'Name: text' lines, 'NAME. text' lines, WebVTT or SRT cues"
        )
    return Transcript(
        id=transcript_id(path),
        title=title,
        date=_find_date(path.name, text),
        path=str(path),
        format=fmt,
        encoding=encoding,
        turns=turns,
        lines=lines,
    )


def detect_format(text: str, *, suffix: str = "") -> str:
    """Guess the format from the content first, the file suffix second."""
    from .formats.captions import TIMING
    from .formats.paragraphs import CAPS_LABEL, count_colon_labels

    head = text.lstrip("\ufeff \n\t")
    if head.startswith("WEBVTT"):
        return "vtt"
    lines = text.split("\n")
    timings = sum(1 for line in lines[:2000] if TIMING.match(line))
    if timings and (suffix == ".srt" or "," in next(line for line in lines if TIMING.match(line))):
        return "srt"
    if timings and suffix == ".vtt":
        return "vtt"
    caps = [m.group(1) for line in lines if (m := CAPS_LABEL.match(line))]
    if len(caps) >= 3 and len(set(caps)) >= 2:
        return "caps"
    if suffix in (".md", ".markdown") or re.search(r"^#{1,6}\s|\*\*", text, re.M):
        return "markdown"
    if count_colon_labels(lines) >= 3:
        return "labelled"
    return "markdown"


def transcript_id(path: Path) -> str:
    """A URL-safe id from the file name: stable across rebuilds, unique within one transcripts folder."""
    stem = unicodedata.normalize("NFKC", path.stem).strip().lower()
    slug = re.sub(r"[^\w\-]+", "-", stem, flags=re.UNICODE).strip("-")
    return slug or "transcript"


_DATE_PATTERNS = (
    (re.compile(r"(20\d{2}|19\d{2})-(\d{2})-(\d{2})"), lambda m: (m[1], m[2], m[3])),
    (re.compile(r"(20\d{2}|19\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"), lambda m: (m[1], m[2], m[3])),
)
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_EN_DATE = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(\d{1,2}),\s*(\d{4})\b", re.I)


def _find_date(filename: str, text: str) -> str | None:
    for source in (filename, text[:5000]):
        for pattern, parts in _DATE_PATTERNS:
            if m := pattern.search(source):
                y, mo, d = parts(m)
                return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
        if m := _EN_DATE.search(source):
            return f"{int(m[3]):04d}-{_MONTHS[m[1].lower()]:02d}-{int(m[2]):02d}"
    return None


def _title_from_path(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip() or path.name


def _title_from_note(lines: list[str]) -> str | None:
    for line in lines[:10]:
        if m := re.match(r"^(?:WEBVTT|NOTE)\s+[-–]?\s*(\S.*)$", line.strip()):
            return m.group(1).strip()
    return None
