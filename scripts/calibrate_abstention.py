#!/usr/bin/env python
"""Calibrate when the service says "not found": the bars on the top answer's margin over everyday statements, fitted
on questions the corpus answers and questions it does not, then reported on sets kept apart.

Calibration (fitted): the train suites' questions (all answerable), tests/data/out-of-corpus.txt (briefing), the
first half of tests/data/out-of-corpus-hearings.txt and of in-corpus-hearings.txt (val hearings).
Reported, never fitted: the val suites, out-of-corpus-fresh.txt, near-domain-negatives.jsonl (briefing), the second
halves of the hearing sets. Writes the bars into qa/data/ranker.json ("abstention") and prints the rates.

    .venv/bin/python scripts/calibrate_abstention.py [--dry-run]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate import SUITES  # noqa: E402
from qa.build import build_index, collect_sources  # noqa: E402
from qa.embedding import load_embedder  # noqa: E402
from qa.evaluation import load_questions  # noqa: E402
from qa.lexicon import has_cjk  # noqa: E402
from qa.ranker import DEFAULT_RANKER  # noqa: E402
from qa.retrieval import Abstention, Retriever  # noqa: E402
from qa.store import load_index  # noqa: E402

DATA = ROOT / "tests" / "data"


@dataclass
class Point:
    margin: float      # top answer's best passage cosine minus the best background cosine
    coverage: float    # top answer's term coverage
    cross: bool        # question and answer in different languages
    answerable: bool


def plain_questions(path: Path) -> list[str]:
    if path.suffix == ".jsonl":
        return [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def points(retriever: Retriever, questions: list[str], answerable: bool) -> list[Point]:
    out = []
    for q in questions:
        hit = retriever.search(q, top_k=1).hits[0]
        background = float((retriever.index.background @ retriever.embedder.embed_queries([q])[0]).max())
        out.append(Point(hit.features["dense_passage"] - background, hit.features["coverage"],
                         has_cjk(q) != has_cjk(hit.record.text[:200]), answerable))
    return out


def found(p: Point, a: Abstention) -> bool:
    bar = a.threshold_cross_language if p.cross else a.threshold_same_language
    return p.margin + a.coverage_weight * p.coverage >= bar


def rates(ps: list[Point], a: Abstention) -> tuple[float, float, int, int]:
    pos = [p for p in ps if p.answerable]
    neg = [p for p in ps if not p.answerable]
    tpr = sum(found(p, a) for p in pos) / max(1, len(pos))
    tnr = sum(not found(p, a) for p in neg) / max(1, len(neg))
    return tpr, tnr, len(pos), len(neg)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=ROOT / ".eval")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    embedder = load_embedder("e5")
    suites = {s.name: s for s in SUITES if s.questions.exists()}
    retrievers = {}

    def retriever_for(name: str) -> Retriever:
        suite = suites[name]
        sources = collect_sources(list(suite.transcripts))
        index_dir = args.work / ("index-" + "-".join(sorted({p.parent.name for p in sources}))[:60])
        if index_dir not in retrievers:
            build_index(list(suite.transcripts), index_dir, embedder=embedder, show_progress=None)
            retrievers[index_dir] = Retriever(load_index(index_dir), embedder=embedder)
        return retrievers[index_dir]

    def half(path: Path, which: int) -> list[str]:
        qs = plain_questions(path)
        return qs[which::2]

    calibration: list[Point] = []
    report: dict[str, list[Point]] = {}
    for name in ("briefing-dev", "samples", "qmsum-train"):
        if name in suites:
            calibration += points(retriever_for(name), [q.q for q in load_questions(suites[name].questions)], True)
    calibration += points(retriever_for("briefing-dev"), plain_questions(DATA / "out-of-corpus.txt"), False)
    calibration += points(retriever_for("qmsum-val"), half(DATA / "out-of-corpus-hearings.txt", 0), False)
    calibration += points(retriever_for("qmsum-val"), half(DATA / "in-corpus-hearings.txt", 0), True)
    for name in ("briefing-heldout", "briefing-en", "qmsum-val", "qmsum-val-zh"):
        if name in suites:
            report[name] = points(retriever_for(name), [q.q for q in load_questions(suites[name].questions)], True)
    report["out-of-corpus-fresh"] = points(retriever_for("briefing-dev"), plain_questions(DATA / "out-of-corpus-fresh.txt"), False)
    if (DATA / "near-domain-negatives.jsonl").exists():
        report["near-domain-negatives"] = points(retriever_for("briefing-dev"),
                                                 plain_questions(DATA / "near-domain-negatives.jsonl"), False)
    report["hearings-out (2nd half)"] = points(retriever_for("qmsum-val"), half(DATA / "out-of-corpus-hearings.txt", 1), False)
    report["hearings-in (2nd half)"] = points(retriever_for("qmsum-val"), half(DATA / "in-corpus-hearings.txt", 1), True)

    best = None
    for cw in (0.0, 0.05, 0.1, 0.2, 0.3):
        for same in np.arange(-0.03, 0.10, 0.0025):
            for cross in np.arange(-0.05, 0.08, 0.0025):
                a = Abstention(coverage_weight=cw, threshold_same_language=float(same),
                               threshold_cross_language=float(cross))
                tpr, tnr, _, _ = rates(calibration, a)
                key = (round((tpr + tnr) / 2, 4), tpr)
                if best is None or key > best[0]:
                    best = (key, a)
    chosen = best[1]
    current = Abstention()
    print(f"chosen: coverage weight {chosen.coverage_weight}, bar same-language {chosen.threshold_same_language:.4f}, "
          f"cross-language {chosen.threshold_cross_language:.4f}")
    print(f"{'set':28s} {'n':>4s}  {'found (answerable) / not found (unanswerable)':>20s}   before")
    tpr, tnr, npos, nneg = rates(calibration, chosen)
    print(f"{'calibration':28s} {npos + nneg:4d}  answered {tpr:.3f}, abstained {tnr:.3f}")
    for name, ps in report.items():
        tpr, tnr, npos, nneg = rates(ps, chosen)
        btpr, btnr, _, _ = rates(ps, current)
        now, was = (tpr, btpr) if npos else (tnr, btnr)
        label = "answered" if npos else "abstained"
        print(f"{name:28s} {npos + nneg:4d}  {label} {now:.3f}   (was {was:.3f})")
    if not args.dry_run:
        data = json.loads(DEFAULT_RANKER.read_text(encoding="utf-8"))
        data["abstention"] = {"coverage_weight": chosen.coverage_weight,
                              "threshold_same_language": round(chosen.threshold_same_language, 4),
                              "threshold_cross_language": round(chosen.threshold_cross_language, 4),
                              "scale": chosen.scale}
        DEFAULT_RANKER.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote the bars into {DEFAULT_RANKER}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
