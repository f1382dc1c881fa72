"""Word (.docx) transcripts from a press office: paragraphs in order, headings, bold speaker labels kept.
Read straight from the package's word/document.xml (no python-docx needed at run time).

A .docx is a ZIP: its members' uncompressed sizes are checked before anything is inflated (a zip bomb is refused),
and a ZIP that holds no word/document.xml (a renamed archive of something else) is refused as not a Word file."""

from __future__ import annotations

import io
import zipfile
from xml.etree import ElementTree

from qa.errors import TranscriptError
from qa.ingest.formats.blocks import Block

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200


def docx_blocks(data: bytes, *, name: str) -> list[Block]:
    """Paragraphs of word/document.xml in order (tables included), read with the standard library's XML parser:
    python-docx took 20-50 ms just to open a small file, more than the rest of its build."""
    archive = _checked_archive(data, name)
    try:
        with archive:
            root = ElementTree.fromstring(archive.read("word/document.xml"))
    except Exception as exc:  # zipfile, zlib and expat raise a dozen types for a broken file: all mean "damaged"
        raise TranscriptError(f"Transcript '{name}' is a damaged Word file ({type(exc).__name__}): re-save it as .docx") from None
    blocks: list[Block] = []
    for para in root.iter(f"{_W}p"):
        style = para.find(f"{_W}pPr/{_W}pStyle")
        style_id = style.get(f"{_W}val", "") if style is not None else ""
        heading = style_id.lower().startswith("heading") or style_id.lower() == "title"
        pieces = []
        for run in para.iter(f"{_W}r"):
            text = "".join(_run_text(run))
            bold = run.find(f"{_W}rPr/{_W}b")
            is_bold = bold is not None and bold.get(f"{_W}val", "true").lower() not in ("0", "false", "off")
            pieces.append(f"**{text}**" if is_bold and text.strip() and not heading else text)
        text = "".join(pieces)
        if text.strip():
            blocks.append(Block(text, heading=heading))
    if not blocks:
        raise TranscriptError(f"Transcript '{name}' is a Word file with no text: check it is the transcript")
    return blocks


def _run_text(run: ElementTree.Element):
    for child in run:
        if child.tag == f"{_W}t":
            yield child.text or ""
        elif child.tag == f"{_W}tab":
            yield "\t"
        elif child.tag in (f"{_W}br", f"{_W}cr"):
            yield " "


def _checked_archive(data: bytes, name: str) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, NotImplementedError, EOFError, OSError):
        raise TranscriptError(f"Transcript '{name}' is not a Word file (not a valid .docx archive): re-save it as .docx") from None
    try:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        packed = sum(m.compress_size for m in members) or 1
        if total > MAX_UNCOMPRESSED or total / packed > MAX_RATIO:
            raise TranscriptError(
                f"Transcript '{name}' unpacks to {total // (1024 * 1024)} MB from {len(data) // 1024} KB (a zip bomb?): "
                "refused; re-save the document in Word or LibreOffice"
            )
        if "word/document.xml" not in {m.filename for m in members}:
            raise TranscriptError(f"Transcript '{name}' is a ZIP archive but not a Word document (no word/document.xml): "
                                  "upload the .docx itself")
    except BaseException:
        archive.close()
        raise
    return archive
