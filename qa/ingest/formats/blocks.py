"""A paragraph or heading of an HTML, PDF or Word document: what each document importer returns."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Block:
    """A paragraph or a heading of the document, its bold runs already marked with **."""

    text: str
    heading: bool = False
