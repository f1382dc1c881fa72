#!/usr/bin/env python
"""Compare fusion weights and vector variants on question sets: how the defaults in qa/retrieval.py were chosen.

    .venv/bin/python scripts/fusion_study.py --index index ../shared/eval/dev-questions.jsonl tests/data/heldout-questions.jsonl

Prints top-1/top-3 per question set for each configuration, then the abstention margins: the relevance of the
weakest in-corpus question against the strongest out-of-corpus one (tests/data/out-of-corpus.txt).
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.chunking import PASSAGE, SENTENCE  # noqa: E402
from qa.embedding import load_embedder  # noqa: E402
from qa.evaluation import is_right, load_questions  # noqa: E402
from qa.retrieval import DEFAULT_FUSION, Fusion, Retriever  # noqa: E402
from qa.store import UnitTable, load_index  # noqa: E402

OUT_OF_CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "out-of-corpus.txt"


def mean_of_sentences(index) -> UnitTable:
    """Passage vectors rebuilt as the normalised mean of the sentences inside them (what a sentences-only build has)."""
    passages, sentences = index.tables[PASSAGE], index.tables[SENTENCE]
    vectors = passages.vectors.copy()
    for i, (answer, (start, end)) in enumerate(zip(passages.answers, passages.lines)):
        rows = np.nonzero((sentences.answers == answer) & (sentences.lines[:, 0] >= start) & (sentences.lines[:, 1] <= end)
                          & np.array([t in passages.texts[i] for t in sentences.texts]))[0]
        if len(rows):
            v = sentences.vectors[rows].mean(axis=0)
            vectors[i] = v / np.linalg.norm(v)
    return _table(passages, vectors)


def _table(template: UnitTable, vectors: np.ndarray) -> UnitTable:
    import faiss

    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(np.ascontiguousarray(vectors, dtype=np.float32))
    return UnitTable(template.texts, template.answers, template.lines, np.ascontiguousarray(vectors), index)


def features_of(retriever: Retriever, question: str):
    """Everything fusion needs for one question, computed once: features, mentions, quotes."""
    analysis = retriever.analyse(question)
    query = retriever.embedder.embed_queries([question])[0]
    allowed = np.ones(len(retriever.index.answers), dtype=bool)
    features, _ = retriever._features(query, analysis, allowed)
    return analysis, features, allowed


def evaluate_fusion(retriever: Retriever, fusion: Fusion, cached, questions) -> tuple[float, float, list[float]]:
    retriever.fusion = fusion
    top1 = top3 = 0
    relevances = []
    for q, (analysis, features, allowed) in zip(questions, cached):
        fused, relevance = retriever._fuse(features, analysis, allowed)
        order = np.argsort(-fused)[:3]
        ranks = [i for i, a in enumerate(order) if is_right(retriever.index.answers[a], q)]
        top1 += bool(ranks) and ranks[0] == 0
        top3 += bool(ranks)
        relevances.append(float(relevance[order[0]]))
    return top1 / len(questions), top3 / len(questions), relevances


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("questions", nargs="+", type=Path)
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args()
    index = load_index(args.index)
    embedder = load_embedder("e5" if index.embedder_id.startswith("e5:") else index.embedder_id)
    sets = {p.name: load_questions(p) for p in args.questions}
    real = index.tables[PASSAGE]
    derived = mean_of_sentences(index)
    grid = {
        "dense_passage": (0.0, 0.5, 1.0),
        "dense_sentence": (0.0, 0.5, 1.0),
        "coverage": (0.5, 1.0, 1.5),
        "bm25": (0.0, 0.25),
        "dense_question": (0.0, 0.25),
    }
    bonuses = ((0.5, 2.0), (1.0, 2.0), (1.5, 2.0))
    rows = []
    for variant, table in (("real passages", real), ("mean-of-sentences", derived)):
        index.tables[PASSAGE] = table
        retriever = Retriever(index, embedder=embedder)
        cached = {name: [features_of(retriever, q.q) for q in qs] for name, qs in sets.items()}
        for values in itertools.product(*grid.values()):
            weights = dict(zip(grid, values))
            if not weights["dense_passage"] and not weights["dense_sentence"]:
                continue
            for speaker_bonus, quote_bonus in bonuses:
                fusion = replace(DEFAULT_FUSION, weights=weights, speaker_bonus=speaker_bonus, quote_bonus=quote_bonus)
                results = [evaluate_fusion(retriever, fusion, cached[name], qs)[:2] for name, qs in sets.items()]
                rows.append((variant, weights, speaker_bonus, results))
    index.tables[PASSAGE] = real
    rows.sort(key=lambda r: (-sum(t1 for t1, _ in r[3]), -sum(t3 for _, t3 in r[3])))
    names = list(sets)
    print("variant             dense_p dense_s cover bm25 dense_q spk  " + "  ".join(f"{n[:18]:>18}" for n in names))
    for variant, w, sb, results in rows[:25]:
        cells = "  ".join(f"{t1:.3f}/{t3:.3f}".rjust(18) for t1, t3 in results)
        print(f"{variant:19s} {w['dense_passage']:7} {w['dense_sentence']:7} {w['coverage']:5} {w['bm25']:4} "
              f"{w['dense_question']:7} {sb:4} {cells}")
    for variant in ("real passages", "mean-of-sentences"):
        best = next(r for r in rows if r[0] == variant)
        print(f"best {variant}: {best[1]} speaker_bonus={best[2]} -> {best[3]}")
    retriever = Retriever(index, embedder=embedder)
    inside = [rel for qs in sets.values() for rel in
              evaluate_fusion(retriever, DEFAULT_FUSION, [features_of(retriever, q.q) for q in qs], qs)[2]]
    outside = [retriever.search(q, top_k=1).hits[0].relevance for q in OUT_OF_CORPUS.read_text(encoding="utf-8").split("\n") if q.strip()]
    print(f"relevance: in-corpus min {min(inside):.3f} (p5 {np.percentile(inside, 5):.3f}), "
          f"out-of-corpus max {max(outside):.3f} (p95 {np.percentile(outside, 95):.3f})")


if __name__ == "__main__":
    main()
