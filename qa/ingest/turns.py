"""The transcript model every importer produces: Turns (speaker label, text, line span) inside a Transcript.

Kept apart from qa/ingest/transcripts.py (which dispatches to the importers) so that importers can build turns without
importing the dispatcher back: no import cycle."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    numbered: bool = False  # a hearing record numbered it as a question ("Q20 David Lowe: …")
    section: bool = False  # a heading right above it opens a part of its own ("**Briefing by the Under-Secretary…**")


@dataclass
class Transcript:
    """A parsed transcript. `lines` is the normalised text that line numbers refer to (for a PDF, HTML, DOCX or
    JSON file: the text the importer made of it); `layout` is how that text was read (markdown, labelled, caps,
    vtt, srt), which can differ from `format`, the kind of file it came from."""

    id: str
    title: str
    date: str | None
    path: str
    format: str
    encoding: str
    turns: list[Turn]
    lines: list[str] = field(repr=False, default_factory=list)
    layout: str = ""

    def __post_init__(self) -> None:
        self.layout = self.layout or self.format
