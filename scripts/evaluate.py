#!/usr/bin/env python
"""Every question suite, indexed as a user would index it (`qa build`), answered by this project and by the simple
baselines in the same run: one table of top-1, top-3, MRR, highlight hit rate and p50 latency.

Splits: `train` is what the ranking was fitted and tuned on; `val` is for choosing between designs and for
reporting, never for fitting (see qa/data/ranker-card.md for what was fitted on what).

    .venv/bin/python scripts/evaluate.py                      # all suites (first run embeds QMSum: ~15 min on 2 cores)
    .venv/bin/python scripts/evaluate.py --suite qmsum-val --misses
    .venv/bin/python scripts/evaluate.py --json results.json

Indexes and baseline vectors are kept in --work (default .eval/), so a second run only answers questions.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.baselines import BM25Turns, DenseTurns, transcript_turns  # noqa: E402
from qa.index.build import build_index, collect_sources  # noqa: E402
from qa.index.embedding import load_embedder  # noqa: E402
from qa.evaluation import evaluate, format_report, load_questions  # noqa: E402
from qa.search.retrieval import Retriever  # noqa: E402
from qa.index.store import load_index  # noqa: E402

SHARED = ROOT.parent / "shared"
BRIEFING = ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"
QMSUM = SHARED / "eval" / "qmsum-committee"
DATA = ROOT / "tests" / "data"


@dataclass(frozen=True)
class Suite:
    name: str
    split: str
    transcripts: tuple[Path, ...]
    questions: Path


SUITES = (
    Suite("briefing-dev", "train", (BRIEFING,), SHARED / "eval" / "dev-questions.jsonl"),
    Suite("briefing-heldout", "val", (BRIEFING,), DATA / "heldout-questions.jsonl"),
    Suite("briefing-en", "val", (BRIEFING,), DATA / "crosslingual-en-zh.jsonl"),
    Suite("briefing-en-train", "train", (BRIEFING,), DATA / "briefing-en-train.jsonl"),
    Suite("samples", "train", (ROOT / "tests" / "samples",), DATA / "sample-questions.jsonl"),
    Suite("qmsum-train", "train", (QMSUM / "train",), QMSUM / "train" / "questions.jsonl"),
    Suite("qmsum-train-zh", "train", (QMSUM / "train",), DATA / "crosslingual-zh-en-train.jsonl"),
    Suite("qmsum-val", "val", (QMSUM / "val",), QMSUM / "val" / "questions.jsonl"),
    Suite("qmsum-val-zh", "val", (QMSUM / "val",), DATA / "crosslingual-zh-en.jsonl"),
    Suite("fresh-formats", "val", (DATA / "fresh-formats",), DATA / "fresh-formats.jsonl"),
    Suite("fresh-formats-2", "val", (DATA / "fresh-formats-2",), DATA / "fresh-formats-2.jsonl"),
    Suite("fresh-formats-3", "val", (DATA / "fresh-formats-3",), DATA / "fresh-formats-3.jsonl"),
    Suite("fresh-formats-4", "val", (DATA / "fresh-formats-4",), DATA / "fresh-formats-4.jsonl"),
    Suite("fresh-formats-5", "val", (DATA / "fresh-formats-5",), DATA / "fresh-formats-5.jsonl"),
    Suite("fresh-formats-6", "val", (DATA / "fresh-formats-6",), DATA / "fresh-formats-6.jsonl"),
    Suite("fresh-formats-7", "val", (DATA / "fresh-formats-7",), DATA / "fresh-formats-7.jsonl"),
    Suite("fresh-formats-8", "val", (DATA / "fresh-formats-8",), DATA / "fresh-formats-8.jsonl"),
    Suite("fresh-formats-9", "val", (DATA / "fresh-formats-9",), DATA / "fresh-formats-9.jsonl"),
    Suite("fresh-formats-10", "val", (DATA / "fresh-formats-10",), DATA / "fresh-formats-10.jsonl"),
    Suite("fresh-formats-11", "val", (DATA / "fresh-formats-11",), DATA / "fresh-formats-11.jsonl"),
    Suite("fresh-formats-12", "val", (DATA / "fresh-formats-12",), DATA / "fresh-formats-12.jsonl"),
    Suite("fresh-formats-13", "val", (DATA / "fresh-formats-13",), DATA / "fresh-formats-13.jsonl"),
    Suite("fresh-formats-14", "val", (DATA / "fresh-formats-14",), DATA / "fresh-formats-14.jsonl"),
    Suite("fresh-formats-15", "val", (DATA / "fresh-formats-15",), DATA / "fresh-formats-15.jsonl"),
    Suite("fresh-formats-16", "val", (DATA / "fresh-formats-16",), DATA / "fresh-formats-16.jsonl"),
    Suite("fresh-formats-17", "val", (DATA / "fresh-formats-17",), DATA / "fresh-formats-17.jsonl"),
    Suite("fresh-formats-18", "val", (DATA / "fresh-formats-18",), DATA / "fresh-formats-18.jsonl"),
    Suite("fresh-formats-19", "val", (DATA / "fresh-formats-19",), DATA / "fresh-formats-19.jsonl"),
)


def built_index(suite: Suite, work: Path, embedder) -> Path:
    """The suite's index in work/, built (or brought up to date) as `qa build` would; suites over the same folders
    share one. Also used by scripts/fit_ranker.py and scripts/calibrate_abstention.py."""
    sources = collect_sources(list(suite.transcripts))
    index_dir = work / ("index-" + "-".join(sorted({p.parent.name for p in sources}))[:60])
    build_index(list(suite.transcripts), index_dir, embedder=embedder, show_progress=None)
    return index_dir


def run_suite(suite: Suite, work: Path, embedder, *, baselines: bool, show_misses: bool) -> list[dict]:
    retriever = Retriever(load_index(built_index(suite, work, embedder)), embedder=embedder)
    questions = load_questions(suite.questions)
    report = evaluate(retriever, questions)
    if show_misses:
        sys.stdout.write(f"\n## {suite.name}\n" + format_report(report))
    rows = [{"suite": suite.name, "split": suite.split, "questions": report.total, "pipeline": "this project",
             "top1": report.top1, "top3": report.top3, "mrr": report.mrr, "highlight": report.highlight,
             "p50_ms": report.p50_ms}]
    if baselines:
        docs = transcript_turns(collect_sources(list(suite.transcripts)))
        for baseline in (BM25Turns(docs), DenseTurns(docs, embedder=embedder, cache_dir=work / "baseline-vectors")):
            b = baseline.evaluate(questions)
            rows.append({"suite": suite.name, "split": suite.split, "questions": b.total, "pipeline": b.name,
                         "top1": b.top1, "top3": b.top3, "mrr": b.mrr, "highlight": float("nan"), "p50_ms": b.p50_ms})
    return rows


def format_table(rows: list[dict]) -> str:
    head = f"{'suite':18s} {'split':5s} {'n':>4s}  {'pipeline':16s} {'top-1':>6s} {'top-3':>6s} {'MRR':>6s} {'highl.':>6s} {'p50 ms':>7s}"
    out = [head, "-" * len(head)]
    for r in rows:
        highlight = "     -" if math.isnan(r["highlight"]) else f"{r['highlight']:6.3f}"
        out.append(f"{r['suite']:18s} {r['split']:5s} {r['questions']:4d}  {r['pipeline']:16s} {r['top1']:6.3f} "
                   f"{r['top3']:6.3f} {r['mrr']:6.3f} {highlight} {r['p50_ms']:7.1f}")
    return "\n".join(out) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--suite", action="append", choices=[s.name for s in SUITES], help="run only these suites")
    parser.add_argument("--work", type=Path, default=ROOT / ".eval", help="where indexes and cached vectors live")
    parser.add_argument("--no-baselines", action="store_true", help="only this project")
    parser.add_argument("--misses", action="store_true", help="print every miss of this project")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    embedder = load_embedder("e5")
    rows: list[dict] = []
    for suite in SUITES:
        if args.suite and suite.name not in args.suite:
            continue
        if not suite.questions.exists():
            print(f"skipping {suite.name}: {suite.questions} is missing", file=sys.stderr)
            continue
        rows.extend(run_suite(suite, args.work, embedder, baselines=not args.no_baselines, show_misses=args.misses))
    sys.stdout.write("\n" + format_table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
