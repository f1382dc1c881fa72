"""JSON transcripts: lists of {speaker, text|content} turns (QMSum's `meeting_transcripts` too) and the diarised
segments speech-to-text tools export (WhisperX, pyannote-style, AWS Transcribe, Deepgram), times kept.

The importer writes its own normalised text, one turn per paragraph (`[start–end] Speaker: text`), so citations and
the transcript page point at lines a reader can see; generic labels (SPEAKER_00) are named when the speaker
introduces themself ("I'm Jane Doe", "我是……")."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from qa.errors import TranscriptError
from qa.ingest.turns import Turn

GENERIC_LABEL = re.compile(r"^(?:SPEAKER[_ ]?\d+|spk[_ ]?\d+|speaker\s*\d+|[A-Z]|\d+)$", re.I)
_SELF_INTRO = (
    re.compile(r"\b(?:I am|I'm|my name is|this is)\s+((?:[A-Z][a-z'’\-]+\.?\s+){0,3}[A-Z][a-z'’\-]+)"),
    re.compile(r"我(?:是|叫)\s*([\u4e00-\u9fff]{2,4}?)(?:[，,。！!；;]|$)"),
)
_TEXT_KEYS = ("text", "content", "transcript", "utterance", "words_text")
_SPEAKER_KEYS = ("speaker", "speaker_label", "label", "name", "role")


@dataclass
class _Segment:
    speaker: str | None
    text: str
    start: float | None = None
    end: float | None = None


def parse_json_transcript(data: bytes, *, name: str) -> tuple[list[str], list[Turn], str | None]:
    """(normalised lines, turns, title) of a JSON transcript; a wrong shape is refused naming the field."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise TranscriptError(f"Transcript '{name}' is not UTF-8 JSON: re-save it as UTF-8") from None
    except json.JSONDecodeError as exc:
        raise TranscriptError(f"Transcript '{name}' is not valid JSON ({exc.msg} at line {exc.lineno}): fix or re-export it") from None
    except ValueError as exc:  # an integer past Python's 4,300 digits
        raise TranscriptError(f"Transcript '{name}' is not usable JSON ({str(exc)[:80]}): fix or re-export it") from None
    except RecursionError:
        raise TranscriptError(f"Transcript '{name}' nests its JSON too deep to read: export the turns as a flat "
                              "list of segments") from None
    try:
        return _read(doc, name)
    except (ValueError, TypeError, AttributeError, KeyError, OverflowError) as exc:
        # A time of NaN or 1e999, a field of the wrong type in an AWS or diarisation export: the file, not a traceback.
        raise TranscriptError(f"Transcript '{name}' has a value the JSON reader cannot use ({type(exc).__name__}: "
                              f"{str(exc)[:80]}): fix or re-export it") from None


def _read(doc: object, name: str) -> tuple[list[str], list[Turn], str | None]:
    title = doc.get("title") if isinstance(doc, dict) and isinstance(doc.get("title"), str) else None
    segments = _segments(doc, name)
    if not segments:
        raise TranscriptError(f"Transcript '{name}' has no turns: the JSON list of segments is empty")
    segments = _name_generic_speakers(_merge_runs(segments))
    lines: list[str] = []
    turns: list[Turn] = []
    if title:
        lines += [f"# {title}", ""]
    for seg in segments:
        stamp = f"[{_clock(seg.start)}–{_clock(seg.end)}] " if seg.start is not None else ""
        who = f"{seg.speaker}: " if seg.speaker else ""
        line_no = len(lines) + 1
        lines += [f"{stamp}{who}{seg.text}", ""]
        turns.append(Turn(text=seg.text, line_start=line_no, line_end=line_no, label=seg.speaker,
                          time=_clock(seg.start) if seg.start is not None else None,
                          end_time=_clock(seg.end) if seg.end is not None else None))
    return lines, turns, title


def _segments(doc: Any, name: str) -> list[_Segment]:
    """Find the list of turns in the shapes tools export, or name the field that is missing or wrong."""
    if isinstance(doc, dict):
        results = doc.get("results")
        if isinstance(results, dict) and isinstance(results.get("audio_segments"), list):
            return _list(results["audio_segments"], name, "results.audio_segments")
        if isinstance(results, dict) and isinstance(results.get("speaker_labels"), dict):
            return _aws_items(results, name)
        if isinstance(results, dict) and isinstance(results.get("utterances"), list):
            return _list(results["utterances"], name, "results.utterances")
        for key in ("meeting_transcripts", "segments", "utterances", "turns", "transcript"):
            if isinstance(doc.get(key), list):
                return _list(doc[key], name, key)
        keys = ", ".join(sorted(map(str, doc))[:8]) or "none"
        raise TranscriptError(
            f"Transcript '{name}' is JSON without a list of turns (keys: {keys}): expected 'meeting_transcripts', "
            "'segments', 'utterances' or a top-level list of {speaker, text} objects"
        )
    if isinstance(doc, list):
        return _list(doc, name, "[]")
    raise TranscriptError(f"Transcript '{name}' is JSON {type(doc).__name__}: expected a list of {{speaker, text}} objects")


def _list(items: list, name: str, where: str) -> list[_Segment]:
    segments = []
    for i, item in enumerate(items):
        field = f"{where}[{i}]"
        if not isinstance(item, dict):
            raise TranscriptError(f"Transcript '{name}' field {field} is {type(item).__name__}: expected an object "
                                  "with 'speaker' and 'text' (or 'content')")
        text = next((item[k] for k in _TEXT_KEYS if k in item), None)
        if not isinstance(text, str):
            raise TranscriptError(f"Transcript '{name}' field {field}.text is missing or not a string: give each turn "
                                  "'text' (or 'content', 'transcript')")
        speaker = next((item[k] for k in _SPEAKER_KEYS if item.get(k) is not None), None)
        if speaker is not None and not isinstance(speaker, (str, int)):
            raise TranscriptError(f"Transcript '{name}' field {field}.speaker is {type(speaker).__name__}: expected a name")
        if isinstance(speaker, int):
            speaker = f"SPEAKER_{speaker:02d}"
        start, end = _times(item, name, field)
        text = " ".join(text.split())
        if text:
            segments.append(_Segment(speaker.strip() if isinstance(speaker, str) and speaker.strip() else None,
                                     text, start, end))
    return segments


def _times(item: dict, name: str, field: str) -> tuple[float | None, float | None]:
    span = item.get("segment") if isinstance(item.get("segment"), dict) else item
    values = []
    for keys in (("start", "start_time"), ("end", "end_time")):
        raw = next((span[k] for k in keys if k in span), None)
        try:
            values.append(None if raw is None else float(raw))
        except (TypeError, ValueError):
            raise TranscriptError(f"Transcript '{name}' field {field}.{keys[0]} is {raw!r}: expected seconds") from None
    return values[0], values[1]


def _aws_items(results: dict, name: str) -> list[_Segment]:
    """Older AWS Transcribe output: words in `items`, speakers by time in `speaker_labels.segments`."""
    spans = results["speaker_labels"].get("segments")
    items = results.get("items")
    if not isinstance(spans, list) or not isinstance(items, list):
        raise TranscriptError(f"Transcript '{name}' field results.items or results.speaker_labels.segments is missing")
    segments: list[_Segment] = []
    span_at = 0
    for i, item in enumerate(items):
        try:
            word = item["alternatives"][0]["content"]
        except (KeyError, IndexError, TypeError):
            raise TranscriptError(f"Transcript '{name}' field results.items[{i}].alternatives is missing") from None
        if item.get("type") == "punctuation":
            if segments:
                segments[-1].text += word
            continue
        start = float(item.get("start_time", 0.0))
        while span_at + 1 < len(spans) and float(spans[span_at].get("end_time", 0)) < start:
            span_at += 1
        speaker = spans[span_at].get("speaker_label") if spans else None
        if segments and segments[-1].speaker == speaker:
            segments[-1].text += " " + word
            segments[-1].end = float(item.get("end_time", start))
        else:
            segments.append(_Segment(speaker, word, start, float(item.get("end_time", start))))
    return segments


def _merge_runs(segments: list[_Segment]) -> list[_Segment]:
    """Diarisers cut one speaker's turn into many segments: consecutive segments of one speaker are one turn."""
    merged: list[_Segment] = []
    for seg in segments:
        if merged and seg.speaker is not None and seg.speaker == merged[-1].speaker:
            last = merged[-1]
            last.text = _join(last.text, seg.text)
            last.end = seg.end if seg.end is not None else last.end
        else:
            merged.append(_Segment(seg.speaker, seg.text, seg.start, seg.end))
    return merged


def _join(a: str, b: str) -> str:
    cjk = bool(a and b) and ("\u4e00" <= a[-1] <= "\u9fff" or "\u4e00" <= b[0] <= "\u9fff")
    return a + ("" if cjk else " ") + b


def _name_generic_speakers(segments: list[_Segment]) -> list[_Segment]:
    names: dict[str, str] = {}
    for seg in segments:
        if seg.speaker and GENERIC_LABEL.match(seg.speaker) and seg.speaker not in names:
            for pattern in _SELF_INTRO:
                if m := pattern.search(seg.text[:300]):
                    names[seg.speaker] = m.group(1).strip()
                    break
    for seg in segments:
        if seg.speaker in names:
            seg.speaker = names[seg.speaker]
    return segments


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return ""
    ms = int(round(seconds * 1000))
    h, rest = divmod(ms, 3_600_000)
    m, rest = divmod(rest, 60_000)
    s, ms = divmod(rest, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}.{ms:03d}"
