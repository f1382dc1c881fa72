"""Word (.docx) transcripts from a press office: paragraphs in order, headings, bold speaker labels kept.

A .docx is a ZIP: its members' uncompressed sizes are checked before anything is inflated (a zip bomb is refused),
and a ZIP that holds no word/document.xml (a renamed archive of something else) is refused as not a Word file."""

from __future__ import annotations

import io
import zipfile

from ..errors import TranscriptError
from .blocks import Block

MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_RATIO = 200


def docx_blocks(data: bytes, *, name: str) -> list[Block]:
    _check_archive(data, name)
    from docx import Document

    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors… for a broken package
        raise TranscriptError(f"Transcript '{name}' is a damaged Word file ({type(exc).__name__}): re-save it as .docx") from None
    blocks: list[Block] = []
    for para in document.paragraphs:
        style = (para.style.name if para.style is not None else "") or ""
        heading = style.startswith("Heading") or style == "Title"
        text = "".join(f"**{run.text}**" if run.bold and run.text.strip() and not heading else run.text for run in para.runs)
        if text.strip():
            blocks.append(Block(text, heading=heading))
    if not blocks:
        raise TranscriptError(f"Transcript '{name}' is a Word file with no text: check it is the transcript")
    return blocks


def _check_archive(data: bytes, name: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise TranscriptError(f"Transcript '{name}' is not a Word file (not a valid .docx archive): re-save it as .docx") from None
    with archive:
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
