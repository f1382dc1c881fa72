"""HTML pages, PDFs and Word files become one normalised text — paragraphs separated by blank lines, headings as
`# …`, bold runs as `**…**` — which the paragraph parser then reads like any Markdown transcript. That text is
what the index stores as `transcripts/<id>.txt`, so citations and #L anchors point at lines a reader can see."""

from __future__ import annotations

import re

from qa.ingest.formats.blocks import Block

_WH_QUESTION = re.compile(r"^Q[\s\u00a0]+(?=[A-Z“\"'(])")  # White House style: 'Q    Thank you, Karine.'
_BOLD_CAPS_LABEL = re.compile(r"^\*\*((?:(?:MR|MS|MRS|DR)\.\s+)?[A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+){0,3}\.)\*\*\s*")
_CLOCK = re.compile(r"^\d{1,2}:\d{2}\s*[AP]\.?M\.?(?:\s*[A-Z]{2,4})?$", re.I)  # '1:47 P.M. EDT' closing a briefing
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")


def document_blocks(kind: str, data: bytes, *, name: str) -> list[Block]:
    """The paragraphs and headings of an HTML, PDF or DOCX file. The importer for each kind is imported only when
    needed, so `qa ask` never loads them."""
    if kind == "html":
        from qa.ingest.formats.htmlpage import html_blocks as reader
    elif kind == "pdf":
        from qa.ingest.formats.pdfdoc import pdf_blocks as reader
    elif kind == "docx":
        from qa.ingest.formats.worddoc import docx_blocks as reader
    else:
        raise ValueError(kind)
    return reader(data, name=name)


def blocks_to_text(blocks: list[Block], *, headings: bool = True) -> str:
    out: list[str] = []
    for block in blocks:
        text = clean_inline(block.text)
        if not text or text == "****" or _CLOCK.match(text):
            continue
        if block.heading:
            text = ("# " if headings else "") + text.replace("**", "")
        text = _BOLD_CAPS_LABEL.sub(r"\1 ", text)  # 'CHAIR POWELL.' labels are read by the caps parser, unbolded
        out.append(_WH_QUESTION.sub("Q: ", text))
    return "\n\n".join(out) + "\n"


def clean_inline(text: str) -> str:
    """One line per paragraph; empty or space-only bold runs dropped; a label's colon kept inside its bold run."""
    text = _SPACES.sub(" ", text.replace("\n", " ")).strip()
    text = re.sub(r"\*\*\s*\*\*", "", text)
    text = re.sub(r"\*\*\s+", "** ", text)
    text = re.sub(r"^\*\* ", "**", text)
    return text.strip()
