"""The matched speaker's whole answer, the sentences of it that answer the question, and the citation: the /ask body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .chunking import SENTENCE
from .lexicon import has_cjk, normalize
from .retrieval import Hit, Retrieval
from .store import Index

MAX_HIGHLIGHT_CHARS = 240


@dataclass(frozen=True)
class Highlight:
    text: str
    line_start: int
    line_end: int


def find_highlight(index: Index, retrieval: Retrieval, hit: Hit) -> Highlight:
    """Best sentence by meaning and by how much of the question it holds; its neighbour too when almost as good."""
    table = index.tables[SENTENCE]
    lo, hi = np.searchsorted(table.answers, [hit.answer_id, hit.answer_id + 1])
    record = hit.record
    if hi <= lo:
        return Highlight(record.text[:MAX_HIGHLIGHT_CHARS], record.line_start, record.line_end)
    rows = np.arange(lo, hi)
    score = _z(table.vectors[rows] @ retrieval.query_vector) + _z(retrieval.sentence_coverage[rows])
    for q in retrieval.analysis.quotes:
        score += 3.0 * np.array([q in normalize(table.texts[r]) for r in rows])
    ranked = np.argsort(-score)
    chosen = [int(ranked[0])]
    if len(ranked) > 1:
        second = int(ranked[1])
        adjacent = abs(second - chosen[0]) == 1
        short_enough = len(table.texts[rows[chosen[0]]]) + len(table.texts[rows[second]]) <= MAX_HIGHLIGHT_CHARS
        if adjacent and short_enough and score[second] >= score[chosen[0]] - 0.5:
            chosen.append(second)
    chosen.sort()
    texts = [table.texts[rows[i]] for i in chosen]
    glue = "" if has_cjk(texts[0]) else " "
    lines = table.lines[rows[chosen]]
    return Highlight(glue.join(texts), int(lines[:, 0].min()), int(lines[:, 1].max()))


def _z(values: np.ndarray) -> np.ndarray:
    values = values.astype(np.float64)
    std = values.std()
    return (values - values.mean()) / std if std > 1e-9 else np.zeros_like(values)


def answer_body(index: Index, retrieval: Retrieval) -> dict[str, Any]:
    """Exactly the /ask response of DESIGN.md (extended with the highlight's lines and the answer's evidence)."""
    answers = []
    for hit in retrieval.hits:
        record = hit.record
        transcript = index.transcripts.get(record.transcript_id, {})
        highlight = find_highlight(index, retrieval, hit)
        speaker = record.speaker
        answers.append({
            "speaker": {"name": speaker.name, "title": speaker.title, "organization": speaker.organization,
                        "display": speaker.display},
            "text": record.text,
            "highlight": highlight.text,
            "question_asked": record.question,
            "score": round(max(0.0, min(1.0, hit.relevance)), 3),
            "citation": {
                "transcript_id": record.transcript_id,
                "transcript_title": transcript.get("title", record.transcript_id),
                "date": transcript.get("date"),
                "exchange": record.exchange,
                "line_start": record.line_start,
                "line_end": record.line_end,
                "highlight_lines": [highlight.line_start, highlight.line_end],
                "url": f"/transcripts/{record.transcript_id}#L{record.line_start}-L{record.line_end}",
            },
            "attribution": {"evidence": record.evidence, "confidence": record.confidence},
        })
    return {"question": retrieval.question, "found": retrieval.found, "answers": answers}
