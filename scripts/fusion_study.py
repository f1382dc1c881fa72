#!/usr/bin/env python
"""Compare fusion weights and vector variants on question sets: how the defaults in qa/retrieval.py were chosen.

    .venv/bin/python scripts/fusion_study.py --index index ../shared/eval/dev-questions.jsonl tests/data/heldout-questions.jsonl

Prints top-1/top-3 per question set for the best configurations, single-signal baselines, and how the default
abstains on the in-corpus sets and on tests/data/out-of-corpus*.txt.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from qa.embedding import load_embedder, spec_for  # noqa: E402
from qa.evaluation import is_right, load_questions  # noqa: E402
from qa.retrieval import DEFAULT_FUSION, Fusion, Retriever  # noqa: E402
from qa.store import load_index  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
OUT_OF_CORPUS = (DATA / "out-of-corpus.txt", DATA / "out-of-corpus-fresh.txt")


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
    embedder = load_embedder(spec_for(index.embedder_id))
    sets = {p.name: load_questions(p) for p in args.questions}
    grid = {
        "dense_passage": (0.5, 1.0),
        "dense_question": (0.0, 0.25, 0.5),
        "bm25": (0.0, 0.25, 0.5),
        "coverage": (0.0, 0.5, 1.0, 1.5),
    }
    bonuses = (0.0, 0.5, 1.0, 1.5)
    retriever = Retriever(index, embedder=embedder)
    cached = {name: [features_of(retriever, q.q) for q in qs] for name, qs in sets.items()}
    rows = []
    for values in itertools.product(*grid.values()):
        weights = dict(zip(grid, values))
        for speaker_bonus in bonuses:
            fusion = replace(DEFAULT_FUSION, weights=weights, speaker_bonus=speaker_bonus)
            results = [evaluate_fusion(retriever, fusion, cached[name], qs)[:2] for name, qs in sets.items()]
            rows.append((weights, speaker_bonus, results))
    rows.sort(key=lambda r: (-sum(t1 for t1, _ in r[2]), -sum(t3 for _, t3 in r[2])))
    print("dense_p dense_q bm25 cover speaker  " + "  ".join(f"{n[:18]:>18}" for n in sets))
    for weights, bonus, results in rows[:15]:
        cells = "  ".join(f"{t1:.3f}/{t3:.3f}".rjust(18) for t1, t3 in results)
        print(f"{weights['dense_passage']:7} {weights['dense_question']:7} {weights['bm25']:4} {weights['coverage']:5} "
              f"{bonus:7}  {cells}")
    for label, weights, bonus in (("dense only", {"dense_passage": 1.0}, 0.0),
                                  ("bm25 only", {"bm25": 1.0}, 0.0),
                                  ("default", DEFAULT_FUSION.weights, DEFAULT_FUSION.speaker_bonus)):
        fusion = replace(DEFAULT_FUSION, weights=weights, speaker_bonus=bonus)
        results = [evaluate_fusion(retriever, fusion, cached[name], qs)[:2] for name, qs in sets.items()]
        print(f"{label:12s} " + "  ".join(f"{t1:.3f}/{t3:.3f}" for t1, t3 in results))
    retriever.fusion = DEFAULT_FUSION
    inside = [retriever.search(q.q, top_k=1) for qs in sets.values() for q in qs]
    outside = [retriever.search(q, top_k=1) for path in OUT_OF_CORPUS for q in path.read_text(encoding="utf-8").split("\n") if q.strip()]
    print(f"abstention (default): in-corpus found {sum(r.found for r in inside)}/{len(inside)} "
          f"(lowest score {min(r.hits[0].relevance for r in inside):.3f}); out-of-corpus found "
          f"{sum(r.found for r in outside)}/{len(outside)}: {[r.question for r in outside if r.found]}")


if __name__ == "__main__":
    main()
