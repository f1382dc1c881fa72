"""The matched speaker's whole answer, the sentences of it that answer the question, and the citation: the /ask body."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .chunking import PASSAGE, SENTENCE
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
    """The sentence that holds most of the question, inside the passage that matches it best in meaning; its
    neighbour too when almost as good."""
    sentences, passages = index.tables[SENTENCE], index.tables[PASSAGE]
    lo, hi = np.searchsorted(sentences.answers, [hit.answer_id, hit.answer_id + 1])
    record = hit.record
    if hi <= lo:
        return Highlight(record.text[:MAX_HIGHLIGHT_CHARS], record.line_start, record.line_end)
    rows = np.arange(lo, hi)
    parents = sentences.parents[rows]
    passage_score = np.full(len(rows), -1.0)
    valid = parents >= 0
    if valid.any() and passages.vectors is not None:
        passage_score[valid] = passages.vectors[parents[valid]] @ retrieval.query_vector
    coverage = retrieval.sentence_coverage[rows]
    score = _z(passage_score) + 1.5 * _z(coverage)
    for q in retrieval.analysis.quotes:
        score += 3.0 * np.array([q in normalize(sentences.texts[r]) for r in rows])
    ranked = np.argsort(-score, kind="stable")
    chosen = [int(ranked[0])]
    if len(ranked) > 1:
        second = int(ranked[1])
        adjacent = abs(second - chosen[0]) == 1
        short_enough = len(sentences.texts[rows[chosen[0]]]) + len(sentences.texts[rows[second]]) <= MAX_HIGHLIGHT_CHARS
        if adjacent and short_enough and score[second] >= score[chosen[0]] - 0.25:
            chosen.append(second)
    chosen.sort()
    texts = [sentences.texts[rows[i]] for i in chosen]
    glue = "" if has_cjk(texts[0]) else " "
    lines = sentences.lines[rows[chosen]]
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
