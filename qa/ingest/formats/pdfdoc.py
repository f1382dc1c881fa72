"""PDF transcripts (the Federal Reserve publishes its press conferences this way): the text layer read with
pypdfium2 (PDFium, in C: 8-20x faster here than pdfplumber/pdfminer on the same files), running headers and footers and page numbers removed, words hyphenated across lines mended, lines
rejoined into paragraphs by their spacing, bold speaker labels kept. A PDF without a text layer is refused."""

from __future__ import annotations

import ctypes
import re
from collections import Counter
from dataclasses import dataclass

from qa.errors import TranscriptError
from qa.lexicon import ends_sentence, has_cjk, join_fragments
from qa.ingest.formats.blocks import Block
from qa.ingest.formats.paragraphs import TIMESTAMP

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
    """Each page's text lines with their position, size and bold label (pypdfium2: PDFium's C text layer)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise TranscriptError(f"Transcript '{name}' is an encrypted PDF: save an unprotected copy and upload that") from None
        raise TranscriptError(f"Transcript '{name}' is a damaged PDF ({exc}): re-export or re-download it") from None
    try:
        if len(document) > MAX_PAGES:
            raise TranscriptError(f"Transcript '{name}' has {len(document)} pages: the limit is {MAX_PAGES}; split it")
        return [_page_lines(document[number], number) for number in range(len(document))]
    except pdfium.PdfiumError as exc:
        raise TranscriptError(f"Transcript '{name}' is a damaged PDF ({exc}): re-export or re-download it") from None
    finally:
        document.close()


def _page_lines(page, number: int) -> list[_Line]:
    import pypdfium2.raw as raw

    height = page.get_height()
    textpage = page.get_textpage()
    handle = textpage.raw
    text = textpage.get_text_range()
    lines: list[_Line] = []
    for start, chunk in _line_spans(text):
        first = start + (len(chunk) - len(chunk.lstrip()))
        last = start + len(chunk.rstrip()) - 1
        x, y, x_end, y_end = (ctypes.c_double() for _ in range(4))
        raw.FPDFText_GetCharOrigin(handle, first, x, y)
        raw.FPDFText_GetCharOrigin(handle, last, x_end, y_end)  # PDFium joins a word hyphenated over two lines
        size = raw.FPDFText_GetFontSize(handle, first) or 10.0
        stripped = chunk.strip()
        bold = 0
        while bold < len(stripped) and (stripped[bold].isspace() or _is_bold(raw, handle, first + bold)):
            bold += 1
        if bold == len(stripped):
            stripped = f"**{stripped}**"
        elif bold and stripped[:bold].strip():
            stripped = f"**{stripped[:bold].rstrip()}** {stripped[bold:].lstrip()}"
        # U+FFFE marks PDFium's soft hyphen: inside a line the word was joined already, at its end it is a hyphen
        stripped = re.sub("\ufffe$", "-", stripped).replace("\ufffe", "")
        lines.append(_Line(stripped, height - y.value - 0.8 * size, height - y_end.value + 0.2 * size, x.value, size, number))
    textpage.close()
    page.close()
    return lines


def _line_spans(text: str) -> list[tuple[int, str]]:
    """(index of the line's first character, line) for the non-blank lines PDFium's text layer breaks with CR LF."""
    spans, start = [], 0
    for piece in text.split("\r\n"):
        if piece.strip():
            spans.append((start, piece))
        start += len(piece) + 2
    return spans


def _is_bold(raw, handle, index: int) -> bool:
    if raw.FPDFText_GetFontWeight(handle, index) >= 600:
        return True
    buffer = ctypes.create_string_buffer(128)
    raw.FPDFText_GetFontInfo(handle, index, buffer, 128, None)
    return b"bold" in buffer.value.lower()


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
