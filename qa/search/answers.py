"""The matched speaker's whole answer, the sentences of it that answer the question, and the citation: the /ask body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from qa.index.chunking import PASSAGE, SENTENCE, AnswerRecord
from qa.lexicon import has_cjk, normalize
from qa.search.question_kinds import SPREADING, counted_forms, counts, holds, question_kinds
from qa.search.retrieval import Hit, Retrieval
from qa.index.store import Index

MAX_HIGHLIGHT_CHARS = 240
MAX_PHRASE_CONCEPTS = 24
PHRASE_BONUS = 0.5  # per pair of the question's neighbouring ideas said side by side ("专利产业化样板": three pairs)
KIND_BONUS = 1.0  # a sentence holding the kind of fact asked for (a number for "how many") is worth 1 sd of match


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
    texts = [sentences.texts[r] for r in rows]
    score = _z(passage_score) + 1.5 * _z(coverage)
    for q in retrieval.analysis.quotes:
        score += 3.0 * np.array([q in normalize(t) for t in texts])
    kinds = question_kinds(retrieval.question)
    holding = {kind: np.array([holds(kind, t) for t in texts]) for kind in kinds}
    for kind in kinds:
        score += KIND_BONUS * holding[kind]
    score += PHRASE_BONUS * np.array([min(adjacent_pairs(normalize(t).lower(), patterns), 3) for t in texts]) \
        if (patterns := concept_patterns(retrieval.analysis.concepts)) else 0.0
    if "number" in kinds and (forms := counted_forms(retrieval.question, _translator(index))):
        # Of the sentences with a figure, the one whose figure counts what was asked about; when one does, a figure
        # that counts something else ("过去两年") no longer answers "how many centres".
        counting = np.array([counts(t, forms) for t in texts])
        score += KIND_BONUS * counting
        if counting.any():
            holding["number"] = counting
    chosen = _extend([int(np.argmax(score))], score, texts, kinds, holding)
    glue = "" if has_cjk(texts[chosen[0]]) else " "
    lines = sentences.lines[rows[chosen]]
    return Highlight(glue.join(texts[i] for i in chosen), int(lines[:, 0].min()), int(lines[:, 1].max()))


def concept_patterns(concepts: list[list[tuple[str, ...]]]) -> list[re.Pattern[str] | None]:
    """One pattern per idea of the question, in its order, matching any of its wordings in a sentence; the first
    MAX_PHRASE_CONCEPTS ideas only (a 2,000-character question would otherwise cost a regex per word)."""
    out: list[re.Pattern[str] | None] = []
    for alternatives in concepts[:MAX_PHRASE_CONCEPTS]:
        forms = []
        for alt in alternatives:
            if not alt:
                continue
            if all(has_cjk(t) for t in alt):  # CJK bigrams back to the word: ('产业', '业化') → 产业化
                forms.append(re.escape(alt[0] + "".join(t[-1] for t in alt[1:])))
            else:
                forms.append(r"\b" + r"\w*\W+".join(re.escape(t) for t in alt) + r"\w*")
        out.append(re.compile("|".join(sorted(set(forms), key=len, reverse=True))) if forms else None)
    return out if sum(p is not None for p in out) >= 2 else []


def adjacent_pairs(sentence: str, patterns: list[re.Pattern[str] | None]) -> int:
    """How many neighbouring ideas of the question stand side by side in the sentence, in either order (a gap of
    two characters in Chinese, two short words in English): a phrase said, not its words scattered."""
    spans = [[m.span() for m in p.finditer(sentence)] if p is not None else [] for p in patterns]
    most = 2 if has_cjk(sentence) else 12
    return sum(1 for left, right in zip(spans, spans[1:])
               if any(0 <= b[0] - a[1] <= most or 0 <= a[0] - b[1] <= most for a in left for b in right))


def _translator(index: Index):
    glossary = index.glossary
    if not glossary.entries:
        return None
    return lambda word: [c for concept in glossary.concepts(word) for c in concept.chinese]


def _extend(chosen: list[int], score: np.ndarray, texts: list[str], kinds: set[str],
            holding: dict[str, np.ndarray]) -> list[int]:
    """Grow the highlight over adjacent sentences: a neighbour almost as good, one that holds the kind of fact asked
    for when the chosen ones do not, or the rest of a list or a reason. Two sentences at most, three when the third
    holds the missing fact or the question asks for a list, a place or a reason (a spreading kind)."""
    best = score[chosen[0]]
    spreading = kinds & SPREADING
    limit = MAX_HIGHLIGHT_CHARS * (1.5 if spreading else 1)
    while len(chosen) < 3:
        candidates = [i for i in (chosen[0] - 1, chosen[-1] + 1) if 0 <= i < len(texts)]
        missing = [k for k in kinds if not any(holding[k][j] for j in chosen)]
        added = False
        for i in sorted(candidates, key=lambda i: -score[i]):
            fills_gap = any(holding[k][i] for k in missing)
            if len(chosen) == 2 and not (spreading or fills_gap):  # a third sentence: a list, or the missing fact
                continue
            if sum(len(texts[j]) for j in chosen) + len(texts[i]) > (limit * 1.5 if fills_gap else limit):
                continue
            continues = any(holding[k][i] for k in spreading) and i == chosen[-1] + 1
            if score[i] >= best - 0.25 or fills_gap or continues:
                chosen = sorted(chosen + [i])
                added = True
                break
        if not added:
            break
    return chosen


def _z(values: np.ndarray) -> np.ndarray:
    values = values.astype(np.float64)
    std = values.std()
    return (values - values.mean()) / std if std > 1e-9 else np.zeros_like(values)


def answer_body(index: Index, retrieval: Retrieval) -> dict[str, Any]:
    """Exactly the /ask response of DESIGN.md (extended with the highlight's lines and the answer's evidence)."""
    answers = []
    ceiling = 1.0
    for hit in retrieval.hits:
        highlight = find_highlight(index, retrieval, hit)
        # The order is the ranker's; the score says how sure we are that an answer answers. One ranked lower never
        # shows a higher score than those above it (a 0.56 "also relevant" under a 0.37 "closest" read as a bug).
        ceiling = max(0.0, min(ceiling, hit.relevance))
        answers.append(answer_json(index, hit.record, highlight=highlight.text,
                                   highlight_lines=(highlight.line_start, highlight.line_end), score=ceiling))
    return {"question": retrieval.question, "found": retrieval.found, "answers": answers}


def answer_json(index: Index, record: AnswerRecord, *, highlight: str, highlight_lines: tuple[int, int],
                score: float) -> dict[str, Any]:
    """One answer in the shape of the /ask contract: ranked answers and a person's listed answers alike."""
    transcript = index.transcripts.get(record.transcript_id, {})
    speaker = record.speaker
    return {
        "speaker": {"name": speaker.name, "title": speaker.title, "organization": speaker.organization,
                    "display": speaker.display},
        "text": record.text,
        "highlight": highlight,
        "question_asked": record.question,
        "score": round(float(score), 3),
        "citation": {
            "transcript_id": record.transcript_id,
            "transcript_title": transcript.get("title", record.transcript_id),
            "date": transcript.get("date"),
            "exchange": record.exchange,
            "line_start": record.line_start,
            "line_end": record.line_end,
            "highlight_lines": list(highlight_lines),
            "url": f"/transcripts/{record.transcript_id}#L{record.line_start}-L{record.line_end}",
            **({"time": record.time} if record.time else {}),
        },
        "attribution": {"evidence": record.evidence, "confidence": record.confidence},
    }
