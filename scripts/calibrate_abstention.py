#!/usr/bin/env python
"""Calibrate when the service says "not found" (qa.search.retrieval.Abstention): for a question in the transcript's language,
a logistic model of the top answer's margin over everyday statements, its term coverage and the share of the
question's terms the corpus knows; across languages, a bar on the margin. Fitted on questions the corpus answers and
questions it does not, then reported on sets kept apart.

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
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from evaluate import SUITES, built_index  # noqa: E402
from qa.index.embedding import load_embedder  # noqa: E402
from qa.evaluation import load_questions  # noqa: E402
from qa.lexicon import has_cjk  # noqa: E402
from qa.search.ranker import DEFAULT_RANKER  # noqa: E402
from qa.search.retrieval import Abstention, Retriever  # noqa: E402
from qa.index.store import load_index  # noqa: E402

DATA = ROOT / "tests" / "data"
RECALL_FLOOR = 0.97


@dataclass
class Point:
    margin: float      # top answer's best passage (or question) cosine minus the best background cosine
    coverage: float    # top answer's term coverage
    known: float       # share of the question's concepts the corpus has words for
    cross: bool        # question and answer in different languages
    answerable: bool


def plain_questions(path: Path) -> list[str]:
    if path.suffix == ".jsonl":
        return [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def points(retriever: Retriever, questions: list[str], answerable: bool) -> list[Point]:
    out = []
    for q in questions:
        scored = retriever.score(q)
        fused = np.where(scored.allowed, retriever.ranker.score(scored.matrix), -np.inf)
        top = int(np.argmax(fused))
        background = float((retriever.index.background @ scored.query).max())
        known = retriever.index.turn_lexical.known_share(scored.analysis.concepts)
        closeness = max(float(scored.raw["dense_passage"][top]), float(scored.raw["dense_question"][top]))
        out.append(Point(closeness - background, float(scored.raw["coverage"][top]),
                         known, has_cjk(q) != has_cjk(retriever.index.answers[top].text[:200]), answerable))
    return out


def found(p: Point, a: Abstention) -> bool:
    if p.cross:
        return p.margin + a.coverage_weight * p.coverage >= a.threshold_cross_language
    return a.same_bias + a.same_margin * p.margin + a.same_coverage * p.coverage + a.same_known * p.known >= 0


def rates(ps: list[Point], a: Abstention) -> tuple[float, float, int, int]:
    pos = [p for p in ps if p.answerable]
    neg = [p for p in ps if not p.answerable]
    tpr = sum(found(p, a) for p in pos) / max(1, len(pos))
    tnr = sum(not found(p, a) for p in neg) / max(1, len(neg))
    return tpr, tnr, len(pos), len(neg)


def fit(calibration: list[Point], c: float = 0.3) -> Abstention:
    """Same language: balanced logistic regression (scikit-learn). Across languages: the bar and coverage weight
    with the best balanced accuracy on a grid."""
    from sklearn.linear_model import LogisticRegression

    same = [p for p in calibration if not p.cross]
    x = np.array([[p.margin, p.coverage, p.known] for p in same])
    y = np.array([p.answerable for p in same], dtype=int)
    weights = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    model = LogisticRegression(C=c, max_iter=1000).fit(x, y, sample_weight=weights)
    (wm, wc, wk), bias = model.coef_[0], float(model.intercept_[0])
    # The bar: refuse at most RECALL_FLOOR's complement of the answerable calibration questions. A wrong "not found"
    # hides the official's real answer; a wrong "found" is still shown with its score and tier.
    logits = x[y == 1] @ np.array([wm, wc, wk]) + bias
    bias -= min(0.0, float(np.quantile(logits, 1 - RECALL_FLOOR)))
    cross = [p for p in calibration if p.cross]
    best = None
    for cw in (0.0, 0.05, 0.1, 0.2):
        for bar in np.arange(-0.08, 0.08, 0.0025):
            a = Abstention(round(bias, 4), round(float(wm), 4), round(float(wc), 4), round(float(wk), 4), cw,
                           round(float(bar), 4))
            tpr, tnr, _, _ = rates(cross, a)
            key = ((tpr + tnr) / 2, tnr)  # ties: the more careful bar (few cross-lingual points to fit on)
            if best is None or key > best[0]:
                best = (key, a)
    return best[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=ROOT / ".eval")
    parser.add_argument("--dry-run", action="store_true")
    args = parser.parse_args()
    embedder = load_embedder("e5")
    suites = {s.name: s for s in SUITES if s.questions.exists()}
    retrievers = {}

    def retriever_for(name: str) -> Retriever:
        if name not in retrievers:
            retrievers[name] = Retriever(load_index(built_index(suites[name], args.work, embedder)), embedder=embedder)
        return retrievers[name]

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

    chosen = fit(calibration)
    current = Abstention()
    print(f"chosen: {chosen}")
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
        data["abstention"] = asdict(chosen)
        DEFAULT_RANKER.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
        print(f"wrote the bars into {DEFAULT_RANKER}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
