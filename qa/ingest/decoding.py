"""Turn a transcript file's bytes into text: UTF-8 (BOM or not), UTF-16, GB18030/GBK — or a clear refusal, never mojibake."""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

from qa.errors import TranscriptError

MAX_BYTES = 20 * 1024 * 1024
_ALLOWED_CONTROLS = {"\n", "\r", "\t", "\f"}


def read_transcript_text(path: Path) -> tuple[str, str]:
    """Return (text, encoding) of the file at path, with line endings normalised to \\n."""
    return decode_bytes(read_transcript_bytes(path), name=str(path))


def read_transcript_bytes(path: Path) -> bytes:
    """The file's bytes, or a TranscriptError for a directory, a missing or unreadable file, or one over the cap."""
    if path.is_dir():
        raise TranscriptError(f"Transcript '{path}' is a directory: pass a transcript file (.md, .txt, .vtt, .srt, .html, .pdf, .docx, .json)")
    try:
        with path.open("rb") as handle:  # read at most one byte past the cap: /dev/zero or a pipe never ends
            data = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise TranscriptError(f"Transcript '{path}' does not exist: check the path") from None
    except OSError as exc:
        raise TranscriptError(f"Transcript '{path}' cannot be read ({exc.strerror}): check its permissions") from None
    if len(data) > MAX_BYTES:
        raise TranscriptError(
            f"Transcript '{path}' is over {MAX_BYTES // (1024 * 1024)} MB, the limit: split it"
        )
    return data


def decode_bytes(data: bytes, *, name: str) -> tuple[str, str]:
    if not data.strip():
        raise TranscriptError(f"Transcript '{name}' is empty: expected a transcript (Markdown, 'Name: text', WebVTT or SRT)")
    text, encoding = _decode(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    _refuse_binary(text, name)
    if not text.strip():
        raise TranscriptError(f"Transcript '{name}' is empty: expected a transcript (Markdown, 'Name: text', WebVTT or SRT)")
    return text, encoding


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", name), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16:
            return utf16

        offset = data.index(b"\x00")
        raise TranscriptError(f"Transcript '{name}' looks binary (NUL byte at offset {offset}): pass a text transcript")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        if text is not None and _plausible_chinese(text):
            return text, "gb18030"
        bad = data[utf8_error.start]
        raise TranscriptError(
            f"Transcript '{name}' is not valid UTF-8, UTF-16 or GB18030 text (byte 0x{bad:02x} at offset {utf8_error.start}): "
            "re-save it as UTF-8"
        ) from None


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise TranscriptError(
            f"Transcript '{name}' is not valid {encoding.upper()} (bad bytes at offset {exc.start}): re-save it as UTF-8"
        ) from None


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM: NUL bytes in text; take the byte order whose decoding reads as text."""
    if len(data) % 2:
        return None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _reads_as_text(text):
            return text, encoding
    return None


def _is_cjk(c: str) -> bool:
    """Han characters, CJK punctuation and full-width forms: what Chinese transcript text is made of."""
    return "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef"


def _is_plain(c: str) -> bool:
    return c.isascii() and c.isprintable()


def _reads_as_text(text: str) -> bool:
    chars = [c for c in text if not c.isspace()]
    if not chars:
        return False
    good = sum(1 for c in chars if _is_plain(c) or _is_cjk(c) or "\u00c0" <= c <= "\u024f" or c in "“”‘’—…·")
    return good / len(chars) >= 0.95


def _plausible_chinese(text: str) -> bool:
    """GB18030 decodes most byte soup; accept it only when the result reads as Chinese text."""
    letters = [c for c in text if not c.isspace()]
    if not letters:
        return False
    cjk = sum(1 for c in letters if _is_cjk(c))
    plain = sum(1 for c in letters if _is_plain(c))
    return cjk / len(letters) >= 0.3 and (cjk + plain) / len(letters) >= 0.97


def _refuse_binary(text: str, name: str) -> None:
    controls = 0
    for i, ch in enumerate(text):
        if ch in _ALLOWED_CONTROLS:
            continue
        if ch == "\x00":
            raise TranscriptError(f"Transcript '{name}' looks binary (NUL character at offset {i}): pass a text transcript")
        if unicodedata.category(ch) == "Cc":
            controls += 1
    if controls > max(8, len(text) // 100):
        raise TranscriptError(
            f"Transcript '{name}' looks binary ({controls} control characters): pass a text transcript"
        )
