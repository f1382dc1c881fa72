"""Transcript files in, Turns out: detect the format, decode the bytes, parse into labelled or unlabelled turns."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

from qa.ingest.decoding import decode_bytes, read_transcript_bytes
from qa.errors import TranscriptError
from qa.ingest.formats import captions, paragraphs, qapairs
from qa.ingest.formats.captions import TIMING
from qa.ingest.formats.paragraphs import CAPS_LABEL, RECORD_LABEL, count_colon_labels
from qa.ingest.turns import Transcript, Turn

TEXT_FORMATS = ("markdown", "labelled", "caps", "qa", "vtt", "srt")
FILE_FORMATS = ("html", "pdf", "docx", "json")
FORMATS = TEXT_FORMATS + FILE_FORMATS
TRANSCRIPT_SUFFIXES = (".md", ".markdown", ".txt", ".vtt", ".srt", ".html", ".htm", ".pdf", ".docx", ".json")
SUFFIX_FORMATS = {".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".json": "json"}


def load_transcript(path: str | Path, *, format: str | None = None) -> Transcript:
    """Read and parse one transcript file; every failure is a TranscriptError naming the file."""
    path = Path(path)
    return parse_transcript_bytes(read_transcript_bytes(path), name=str(path), format=format)


def parse_transcript_bytes(data: bytes, *, name: str, format: str | None = None) -> Transcript:
    """Parse a file's bytes: PDF, Word, HTML and JSON through their importers, everything else as text."""
    _check_format(format)
    path = Path(name)
    kind = format if format in FILE_FORMATS else None if format else detect_file_format(data, suffix=path.suffix.lower())
    if kind == "json":
        from qa.ingest.formats.jsonturns import parse_json_transcript

        lines, turns, title = parse_json_transcript(data, name=name)
        text = "\n".join(lines)
        return Transcript(id=transcript_id(path), title=title or _title_from_path(path), date=_find_date(path.name, text),
                          path=str(path), format="json", encoding="utf-8", turns=turns, lines=lines, layout="labelled")
    if kind is not None:
        from qa.ingest.formats.documents import blocks_to_text, document_blocks

        blocks = document_blocks(kind, data, name=name)
        # the layout is read from the body alone: a title heading would make any text look like Markdown
        layout = detect_format(blocks_to_text(blocks, headings=False))
        text = blocks_to_text(blocks, headings=layout == "markdown")
        transcript = parse_transcript_text(text, name=name, path=path, encoding="utf-8", format=layout)
        transcript.format = kind
        if transcript.date is None and kind == "html":
            transcript.date = _page_date(data)
        return transcript
    text, encoding = decode_bytes(data, name=name)
    return parse_transcript_text(text, name=name, path=path, encoding=encoding, format=format)


def parse_transcript_text(
    text: str, *, name: str, path: Path, encoding: str = "utf-8", format: str | None = None
) -> Transcript:
    text = text.lstrip("\ufeff")
    _check_format(format)
    if format in FILE_FORMATS:
        raise TranscriptError(f"Transcript '{name}': format {format!r} is a file format; pass the file's bytes")
    lines = text.split("\n")
    read, times = _line_times(_unnumbered(lines))  # "00:00:53 李明：谢谢主持人": the time read apart from the line
    fmt = format or detect_format("\n".join(read) if times else text, suffix=path.suffix.lower())
    if fmt in ("vtt", "srt"):
        turns = captions.parse_captions(lines, fmt, name=name)
        title = _title_from_note(lines)
    elif fmt == "qa":
        turns, title = qapairs.parse_qa(read)
    else:
        turns, title = paragraphs.parse_paragraphs(read, fmt)
        if fmt in ("labelled", "markdown"):
            paragraphs.name_bare_answers(turns)  # Q/A files give "A:" their own answerer (qapairs.py)
    for turn in turns if times else ():
        turn.time = turn.time or times[turn.line_start - 1]
    title = title or _title_from_welcome(text[:3000]) or _title_from_path(path)
    if not turns:
        raise TranscriptError(
            f"Transcript '{name}' has no speaker turns or paragraphs (lines 1-{len(text.splitlines())}): "
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
        layout="labelled" if fmt == "qa" else fmt,
    )


_LINE_TIME = re.compile(r"^[ \t]*\[?(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\]?[ \t]+(\S.*)$")


def _line_times(lines: list[str]) -> tuple[list[str], list[str | None]]:
    """A video platform's caption export, a time before every line ("00:00:53 李明：谢谢主持人", "00:01:03 2025年 …"):
    the lines without their times (line numbers unchanged) and each line's time; the lines as they are, and no
    times, when fewer than half the lines that say something open with one."""
    said = [line for line in lines if line.strip()]
    found = [_LINE_TIME.match(line) for line in lines]
    if not said or sum(1 for m in found if m) * 2 < len(said):
        return lines, []
    return [m.group(2) if m else line for m, line in zip(found, lines)], [m.group(1) if m else None for m in found]


_LINE_NUMBER = re.compile(r"^\s*([1-9]|1\d|2[0-5])(?:\s+|$)")


def _unnumbered(lines: list[str]) -> list[str]:
    """A court reporter's pages, each line numbered 1 to 25 in the margin ("3    CHIEF JUSTICE ROBERTS: We'll hear…"):
    the lines without their numbers (line numbers of the file unchanged); the lines as they are when fewer than half
    of those that say something open with such a number, or the numbers do not run 1, 2, 3… to 20 and more, page
    after page (an answer's numbered lists do not)."""
    said = [line for line in lines if line.strip()]
    numbers = [int(m.group(1)) for line in said if (m := _LINE_NUMBER.match(line))]
    pages, reached = 0, 0  # runs to 20 or more, then 1 again (a page number between them or not)
    for n in numbers:
        if n == 1:
            pages, reached = pages + (reached >= 20), 0
        reached = max(reached, n)
    if not said or len(numbers) * 2 < len(said) or pages < 1 \
            or sum(1 for a, b in zip(numbers, numbers[1:]) if b == a + 1) * 4 < len(numbers) * 3:
        return lines
    return [_LINE_NUMBER.sub("", line, count=1) if _LINE_NUMBER.match(line) else line for line in lines]


def _check_format(format: str | None) -> None:
    if format is not None and format not in FORMATS:
        raise TranscriptError(f"Unknown transcript format {format!r}: use one of {', '.join(FORMATS)}")


def detect_file_format(data: bytes, *, suffix: str = "") -> str | None:
    """PDF, Word (a ZIP), JSON or HTML by their first bytes, then by the suffix; None for plain text."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if _HTML_START.match(head):
        return "html"
    if head[:1] in (b"{", b"[") and (suffix == ".json" or _parses_as_json(data)):
        return "json"
    return SUFFIX_FORMATS.get(suffix)


_HTML_START = re.compile(rb"^(?:<!--.*?-->\s*|<\?xml[^>]*>\s*)*<(?:!doctype\s+html|html|head|body)\b", re.I | re.S)


def _parses_as_json(data: bytes) -> bool:
    try:
        json.loads(data.decode("utf-8-sig"))
    except ValueError:
        return False
    return True


def detect_format(text: str, *, suffix: str = "") -> str:
    """Guess the format from the content first, the file suffix second."""
    head = text.lstrip("\ufeff \n\t")
    if head.startswith("WEBVTT"):
        return "vtt"
    lines = text.split("\n")
    timings = sum(1 for line in lines[:2000] if TIMING.match(line))
    if timings and (suffix == ".srt" or "," in next(line for line in lines if TIMING.match(line))):
        return "srt"
    if timings and suffix == ".vtt":
        return "vtt"
    if qapairs.looks_like_qa(lines):
        return "qa"
    caps = [m.group(1) for line in lines
            if (m := CAPS_LABEL.match(line) or RECORD_LABEL.match(line.strip())) and m.group(1) not in _HONORIFICS
            and not _ABBREVIATED_POST.match(m.group(2))]
    if len(caps) >= 3 and len(set(caps)) >= 2:
        return "caps"
    if suffix in (".md", ".markdown") or re.search(r"^#{1,6}[ \t]|\*\*", text, re.M):
        return "markdown"
    if count_colon_labels(lines) >= 3:
        return "labelled"
    return "markdown"


_HONORIFICS = {"MR", "MS", "MRS", "DR"}  # 'MS. JEAN-PIERRE: …' is a colon label, not a 'MS.' caps label
# … and so are 'USEC. CASTRO: …', 'SEC. TIU LAUREL: …': an abbreviated post, then the name and a colon
_ABBREVIATED_POST = re.compile(r"[A-Z][A-Z'’\- ]{1,40}:\s")


def transcript_id(path: Path) -> str:
    """A URL-safe id from the file name: stable across rebuilds, unique within one transcripts folder."""
    stem = unicodedata.normalize("NFKC", path.stem).strip().lower()
    slug = re.sub(r"[^\w\-]+", "-", stem, flags=re.UNICODE).strip("-")
    return slug or "transcript"


_DATE_PATTERNS = (
    (re.compile(r"(20\d{2}|19\d{2})-(\d{2})-(\d{2})"), lambda m: (m[1], m[2], m[3])),
    # the Republic of China's calendar: 中華民國115年3月5日 is 2026-03-05
    (re.compile(r"(?:中華民國|中华民国|民國|民国)\s*(\d{2,3})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"),
     lambda m: (str(int(m[1]) + 1911), m[2], m[3])),
    (re.compile(r"(20\d{2}|19\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"), lambda m: (m[1], m[2], m[3])),
)
_FILENAME_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[_.](\d{2})[_.](\d{2})(?!\d)")  # "nato_briefing_2026_02_11"
_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTH_NAMES = r"(?:" + "|".join(_MONTHS) + r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"  # "11 Feb. 2026"
_EN_DATE = re.compile(r"\b(" + _MONTH_NAMES + r")\s+(\d{1,2}),\s*(\d{4})\b", re.I)
_EN_DAY_FIRST = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + _MONTH_NAMES + r"),?\s+(\d{4})\b", re.I)  # British


# A Hong Kong government release's dateline, at its end: "Ends/Tuesday, December 1, 2026" — the day of the remarks,
# where the text above says only "today (December 1)" and its answers name other dates.
_DATELINE = re.compile(r"(?m)^[ \t]*Ends[ \t]*/[ \t]*[A-Z][a-z]+day,[ \t]*(.{6,20}\d{4})[ \t]*$")


def _find_date(filename: str, text: str) -> str | None:
    datelines = [m.group(1) for m in _DATELINE.finditer(text[-3000:])]
    if (m := _FILENAME_DATE.search(filename)) and (named := _ymd(m.group())):
        filename = named
    if (m := _RELEASE_DATE.search(text[:1500])) and (released := _ymd(m.group(1))):
        datelines.append(released)  # "发布时间：2025/03/21" above the text, not the first date the answers name
    for source in (filename, *datelines[-1:], text[:5000]):
        # An ISO date wherever it is, else the first of the Chinese forms (an ROC date an answer quotes is later).
        iso, *chinese = ([(m.start(), parts(m)) for m in pattern.finditer(source)] for pattern, parts in _DATE_PATTERNS)
        for _, (y, mo, d) in iso + sorted(found for forms in chinese for found in forms):
            if day := _ymd(f"{y}-{mo}-{d}"):
                return day
        found = sorted([(m.start(), m[3], m[1], m[2]) for m in _EN_DATE.finditer(source)] +
                       [(m.start(), m[3], m[2], m[1]) for m in _EN_DAY_FIRST.finditer(source)])
        for _, year, month, day in found:  # whichever real date the text says first ("31 February" is none)
            try:
                return dt.date(int(year), _month(month), int(day)).isoformat()
            except ValueError:
                continue
    return None


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    return _MONTHS.get(name) or next(i for m, i in _MONTHS.items() if m.startswith(name[:3]))


# A release's own date at its head, in its text: "发布时间：2025/03/21", "Published: 2026.03.05", a line's "Date:
# 2026/07/15" (not a deadline's "截止日期：…" in an answer).
_DATE_DIGITS = r"(\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2})"
_RELEASE_LABEL = r"发布时间|发布日期|發布時間|發布日期|(?<![A-Za-z])(?:Published|Posted)(?![A-Za-z])"
_RELEASE_DATE = re.compile(rf"(?:{_RELEASE_LABEL}|(?m:^)\s*(?:\*\*)?(?:Date|日期)(?:\*\*)?)\s*[:：]?\s*(?:\*\*)?\s*"
                           rf"{_DATE_DIGITS}", re.I)
_PAGE_DATE = re.compile(r"(?:published_time|datePublished|pubdate|datetime)\W{1,12}(\d{4}-\d{2}-\d{2})"
                        rf"|(?:{_RELEASE_LABEL}|日期|(?<![A-Za-z])Date(?![A-Za-z]))\s*[:：]?\s*(?:<[^>]{{0,80}}>\s*)?{_DATE_DIGITS}",
                        re.I)


def _page_date(data: bytes) -> str | None:
    """The date a web page gives outside the article's text: its metadata, or "发布时间：2025-11-14 15:30"."""
    m = _PAGE_DATE.search(data[:200_000].decode("utf-8", errors="ignore"))
    return _ymd(m.group(1) or m.group(2)) if m else None


def _ymd(found: str) -> str | None:
    y, mo, d = re.findall(r"\d+", found)[:3]
    try:
        return dt.date(int(y), int(mo), int(d)).isoformat()
    except ValueError:
        return None


def _title_from_path(path: Path) -> str:
    return re.sub(r"[-_]+", " ", path.stem).strip() or path.name


_WELCOME = re.compile(r"欢迎(?:各位)?(?:出席|参加|来到)(?:今天的?|本次)?(.{4,40}?(?:新闻发布会|发布会|记者会|吹风会))"
                      r"|\b[Ww]elcome (?:to|back to) (?:today'?s |this )?((?:the )?[\w'’ ,-]{4,60}?"
                      r"(?:[Pp]ress [Cc]onference|[Bb]riefing|[Hh]earing|[Mm]eeting))\b")


def _title_from_welcome(text: str) -> str | None:
    """A caption file has no title line: the host names the event ("欢迎出席广州市防御台风“桦加沙”新闻发布会")."""
    m = _WELCOME.search(text)
    return (m.group(1) or m.group(2)).strip() if m else None


def _title_from_note(lines: list[str]) -> str | None:
    for line in lines[:10]:
        if m := re.match(r"^(?:WEBVTT|NOTE)\s+[-–]?\s*(\S.*)$", line.strip()):
            return m.group(1).strip()
    return None


__all__ = ["FORMATS", "TRANSCRIPT_SUFFIXES", "Transcript", "Turn", "detect_file_format", "detect_format",
           "load_transcript", "parse_transcript_bytes", "parse_transcript_text", "transcript_id"]
