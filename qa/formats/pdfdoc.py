"""PDF transcripts (the Federal Reserve publishes its press conferences this way): the text layer read with
pdfplumber, running headers and footers and page numbers removed, words hyphenated across lines mended, lines
rejoined into paragraphs by their spacing, bold speaker labels kept. A PDF without a text layer is refused."""

from __future__ import annotations

import io
import re
from collections import Counter
from dataclasses import dataclass

from ..errors import TranscriptError
from ..lexicon import ends_sentence, has_cjk, join_fragments
from .blocks import Block
from .paragraphs import TIMESTAMP

MAX_PAGES = 2000
_PAGE_NUMBER = re.compile(r"^\W*(?:page\s*)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?\W*$|^第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?$", re.I)
_DIGITS = re.compile(r"\d+")
_HYPHENATED = re.compile(r"[A-Za-z]-$")


@dataclass
class _Line:
    text: str
    top: float
    bottom: float
    x0: float
    size: float
    page: int


def pdf_blocks(data: bytes, *, name: str) -> list[Block]:
    pages = _read_lines(data, name)
    if not any(pages):
        raise TranscriptError(f"Transcript '{name}' is a PDF with no text layer (scanned pages): run OCR first "
                              "(e.g. ocrmypdf) and upload the result")
    pages = _drop_running_lines(pages)
    return _paragraphs(pages)


def _read_lines(data: bytes, name: str) -> list[list[_Line]]:
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise TranscriptError(f"Transcript '{name}' is an encrypted PDF: save an unprotected copy and upload that") from None
    except Exception as exc:  # pdfminer raises many types for a damaged file; all mean the same to the user
        if isinstance(exc.args[0] if exc.args else None, (PDFPasswordIncorrect, PDFEncryptionError)):
            raise TranscriptError(f"Transcript '{name}' is an encrypted PDF: save an unprotected copy and upload that") from None
        raise TranscriptError(f"Transcript '{name}' is a damaged PDF ({type(exc).__name__}): re-export or re-download it") from None
    pages: list[list[_Line]] = []
    try:
        with pdf:
            if len(pdf.pages) > MAX_PAGES:
                raise TranscriptError(f"Transcript '{name}' has {len(pdf.pages)} pages: the limit is {MAX_PAGES}; split it")
            for number, page in enumerate(pdf.pages):
                pages.append([_line(raw, number) for raw in page.extract_text_lines(return_chars=True, strip=True)
                              if raw["text"].strip()])
    except TranscriptError:
        raise
    except Exception as exc:
        raise TranscriptError(f"Transcript '{name}' is a damaged PDF ({type(exc).__name__}): re-export or re-download it") from None
    return pages


def _line(raw: dict, page: int) -> _Line:
    chars = [c for c in raw["chars"] if c["text"].strip()]
    text = raw["text"].strip()
    bold = [("bold" in c.get("fontname", "").lower()) for c in chars]
    if bold and bold[0] and not all(bold):
        count = next(i for i, b in enumerate(bold) if not b)
        # the bold run covers the first `count` non-space characters: find where they end in the line's text
        seen, cut = 0, len(text)
        for i, ch in enumerate(text):
            if not ch.isspace():
                seen += 1
                if seen == count:
                    cut = i + 1
                    break
        text = f"**{text[:cut]}** {text[cut:].lstrip()}"
    elif bold and all(bold):
        text = f"**{text}**"
    size = max((c.get("size", 10.0) for c in chars), default=10.0)
    return _Line(text, raw["top"], raw["bottom"], raw["x0"], size, page)


def _drop_running_lines(pages: list[list[_Line]]) -> list[list[_Line]]:
    """Headers and footers repeat at the top or bottom of most pages (page numbers changing): drop them."""
    edge_shapes: Counter[str] = Counter()
    for lines in pages:
        for line in lines[:2] + lines[-2:]:
            edge_shapes[_shape(line.text)] += 1
    repeated = {s for s, n in edge_shapes.items() if len(pages) >= 2 and n >= max(2, len(pages) // 2)}
    kept = []
    for lines in pages:
        edges = {id(line) for line in lines[:2] + lines[-2:]}
        kept.append([line for line in lines
                     if not (id(line) in edges and (_shape(line.text) in repeated or _PAGE_NUMBER.match(_plain(line.text))))])
    return kept


def _shape(text: str) -> str:
    return _DIGITS.sub("#", _plain(text)).lower()


def _plain(text: str) -> str:
    return text.replace("**", "").strip()


def _paragraphs(pages: list[list[_Line]]) -> list[Block]:
    """A new paragraph where the gap above a line is clearly wider than the line spacing, or at a bold label."""
    gaps = [b.top - a.bottom for lines in pages for a, b in zip(lines, lines[1:])]
    usual = sorted(gaps)[len(gaps) // 4] if gaps else 0.0
    first_tops = [lines[0].top for lines in pages if lines]
    page_top = min(first_tops) if first_tops else 0.0
    blocks: list[Block] = []
    current = ""
    previous: _Line | None = None
    for lines in pages:
        for line in lines:
            new_paragraph = previous is None or line.text.startswith("**") or any(
                TIMESTAMP.match(_plain(x.text)) for x in (line, previous)) or (
                line.page == previous.page and line.top - previous.bottom > usual + 0.5 * line.size
            ) or (line.page != previous.page and ends_sentence(_plain(previous.text))
                  and line.top > page_top + 0.3 * line.size)  # at a page's top, a paragraph shows by its space above
            if new_paragraph and current:
                blocks.append(Block(current))
                current = ""
            if current and _HYPHENATED.search(current) and line.text[:1].islower():
                current = current[:-1] + line.text
            elif current and (has_cjk(current[-1]) or has_cjk(line.text[:1]) or _mostly_cjk(current)):
                current += line.text  # Chinese wraps anywhere, even inside a number: no space at a line break
            else:
                current = join_fragments(current, line.text) if current else line.text
            previous = line
    if current:
        blocks.append(Block(current))
    return blocks


def _mostly_cjk(text: str) -> bool:
    tail = text[-40:]
    return sum(1 for c in tail if has_cjk(c)) * 3 > len(tail)
