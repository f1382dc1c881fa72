"""WebVTT and SRT captions: cues merged into speaker turns, cue times kept, speakers from <v> tags or 'Name:' prefixes."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

from qa.errors import TranscriptError
from qa.lexicon import join_fragments
from qa.ingest.turns import Turn
from qa.ingest.formats.paragraphs import label_ok

_TIME = r"(?:\d{1,2}:)?\d{1,2}:\d{2}[.,]\d{1,3}"
TIMING = re.compile(rf"^\s*({_TIME})\s*-->\s*({_TIME})(?:\s.*)?$")
_VOICE = re.compile(r"<v(?:\.[\w.\-]+)?\s+([^>]+)>")
_TAG = re.compile(r"</?[^>]*>")
_PREFIX = re.compile(r"^(?:>>\s*|-\s+)?(?:\[([^\]]{1,40})\]|([^:：\[\]<>]{1,40}?)\s*[:：])\s*(.*)$")
_TURN_MARK = re.compile(r"^(?:>>|-)\s*")


@dataclass
class _Cue:
    start: str
    end: str
    text: str
    speaker: str | None
    new_turn: bool
    line_start: int
    line_end: int


def parse_captions(lines: list[str], fmt: str, *, name: str) -> list[Turn]:
    cues = _cues(lines, name)
    if not cues:
        raise TranscriptError(
            f"Transcript '{name}' has no caption cues: expected {fmt.upper()} timing lines like '00:00:01.000 --> 00:00:04.000'"
        )
    return _turns(cues)


def _blocks(lines: list[str]) -> list[list[tuple[int, str]]]:
    blocks: list[list[tuple[int, str]]] = []
    block: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if line.strip():
            block.append((number, line.rstrip()))
        elif block:
            blocks.append(block)
            block = []
    if block:
        blocks.append(block)
    return blocks


def _cues(lines: list[str], name: str) -> list[_Cue]:
    raw: list[tuple[str, str, list[tuple[int, str]], int]] = []
    for block in _blocks(lines):
        timing_at = next((i for i, (_, line) in enumerate(block) if "-->" in line), None)
        if timing_at is None:
            continue
        number, timing_line = block[timing_at]
        m = TIMING.match(timing_line)
        if not m:
            raise TranscriptError(
                f"Transcript '{name}' line {number}: bad cue timing {timing_line.strip()[:60]!r}: "
                "expected 'HH:MM:SS.mmm --> HH:MM:SS.mmm'"
            )
        text_lines = block[timing_at + 1:]
        if text_lines:
            raw.append((m.group(1), m.group(2), text_lines, number))
    prefix_counts: Counter[str] = Counter()
    for _, _, text_lines, _ in raw:
        if m := _PREFIX.match(_TAG.sub("", text_lines[0][1]).strip()):
            prefix_counts[(m.group(1) or m.group(2) or "").strip()] += 1
    cues = []
    for start, end, text_lines, timing_number in raw:
        cues.append(_cue(start, end, text_lines, timing_number, prefix_counts))
    return [c for c in cues if c.text]


def _cue(start: str, end: str, text_lines: list[tuple[int, str]], timing_number: int, counts: Counter[str]) -> _Cue:
    first = text_lines[0][1]
    speaker = None
    if voice := _VOICE.search(first):
        speaker = voice.group(1).strip()
    text = ""
    for _, line in text_lines:
        text = join_fragments(text, html.unescape(_TAG.sub("", line)).strip())
    new_turn = bool(_TURN_MARK.match(text))
    if speaker is None and (m := _PREFIX.match(text)):
        candidate = (m.group(1) or m.group(2) or "").strip()
        if label_ok(candidate, "markup" if m.group(1) else "colon", counts):
            speaker, text = candidate, m.group(3)
    text = _TURN_MARK.sub("", text).strip()
    return _Cue(start, end, text, speaker, new_turn or speaker is not None, timing_number, text_lines[-1][0])


def _turns(cues: list[_Cue]) -> list[Turn]:
    turns: list[Turn] = []
    current_speaker: str | None = None
    for cue in cues:
        continues = turns and not cue.new_turn or (turns and cue.speaker is not None and cue.speaker == current_speaker)
        if continues:
            turn = turns[-1]
            turn.text = join_fragments(turn.text, cue.text)
            turn.line_end = cue.line_end
            turn.end_time = cue.end
            continue
        current_speaker = cue.speaker
        turns.append(
            Turn(text=cue.text, line_start=cue.line_start, line_end=cue.line_end, label=cue.speaker,
                 time=cue.start, end_time=cue.end)
        )
    return turns
