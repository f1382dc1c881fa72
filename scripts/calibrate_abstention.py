#!/usr/bin/env python
"""Calibrate when the service says "not found" (qa.search.retrieval.Abstention): two logistic models of the top
answer. For a question in the transcript's language: its margin over everyday statements, its term coverage and the
share of the question's terms the corpus knows. Across languages: the margin, the coverage and how far the answer
stands out from the median answer. Fitted on questions the corpus answers and questions it does not, then reported on
sets kept apart.

Calibration (fitted): the train suites' questions (all answerable), tests/data/out-of-corpus.txt (briefing),
in-corpus-en.txt (English questions the briefing answers) and near-domain-negatives.jsonl (questions beside its topic
it does not answer), the first half of tests/data/out-of-corpus-hearings.txt and of in-corpus-hearings.txt (val
hearings).
Reported, never fitted: the val suites, out-of-corpus-fresh.txt, near-domain-negatives-fresh.jsonl (written after the
fit), the second halves of the hearing sets. Writes the bars into qa/data/ranker.json ("abstention") and prints the
rates; --cross-only keeps the shipped same-language bars.

    .venv/bin/python scripts/calibrate_abstention.py [--dry-run] [--cross-only]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass, replace
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
    dominance: float   # top answer's closeness minus the median answer's (in its language)
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
        closeness = np.maximum(scored.raw["dense_passage"], scored.raw["dense_question"])
        out.append(Point(float(closeness[top]) - background, float(scored.raw["coverage"][top]), known,
                         float(scored.dominance[top]),
                         has_cjk(q) != has_cjk(retriever.index.answers[top].text[:200]), answerable))
    return out


def found(p: Point, a: Abstention) -> bool:
    if p.cross:
        return a.cross_bias + a.cross_margin * p.margin + a.cross_coverage * p.coverage + \
            a.cross_dominance * p.dominance >= 0
    return a.same_bias + a.same_margin * p.margin + a.same_coverage * p.coverage + a.same_known * p.known >= 0


def rates(ps: list[Point], a: Abstention) -> tuple[float, float, int, int]:
    pos = [p for p in ps if p.answerable]
    neg = [p for p in ps if not p.answerable]
    tpr = sum(found(p, a) for p in pos) / max(1, len(pos))
    tnr = sum(not found(p, a) for p in neg) / max(1, len(neg))
    return tpr, tnr, len(pos), len(neg)


def _logistic(x: np.ndarray, y: np.ndarray, c: float, floor: float) -> tuple[np.ndarray, float]:
    """Balanced logistic regression (scikit-learn), its bias then lowered until it refuses at most `floor`'s
    complement of the answerable points. A wrong "not found" hides the official's real answer; a wrong "found" is
    still shown with its score and tier."""
    from sklearn.linear_model import LogisticRegression

    if len(set(y.tolist())) < 2:
        raise SystemExit("calibration needs answerable and unanswerable questions of this kind: add some to tests/data/")
    weights = np.where(y == 1, 0.5 / y.mean(), 0.5 / (1 - y.mean()))
    model = LogisticRegression(C=c, max_iter=1000).fit(x, y, sample_weight=weights)
    w, bias = model.coef_[0], float(model.intercept_[0])
    logits = x[y == 1] @ w + bias
    return w, bias - min(0.0, float(np.quantile(logits, 1 - floor)))


def fit(calibration: list[Point], c: float = 0.3) -> Abstention:
    """Same language: margin, coverage and known share. Across languages: margin, coverage and dominance, on
    standardised inputs (the cosines move in hundredths) mapped back to raw weights."""
    same = [p for p in calibration if not p.cross]
    x = np.array([[p.margin, p.coverage, p.known] for p in same])
    y = np.array([p.answerable for p in same], dtype=int)
    (wm, wc, wk), bias = _logistic(x, y, c, RECALL_FLOOR)
    cross = [p for p in calibration if p.cross]
    x = np.array([[p.margin, p.coverage, p.dominance] for p in cross])
    y = np.array([p.answerable for p in cross], dtype=int)
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std < 1e-12] = 1.0  # a feature that never varies here gets weight 0, not a division by zero
    w, b = _logistic((x - mean) / std, y, c, RECALL_FLOOR)
    raw = w / std
    cross_bias = b - float(raw @ mean)
    return Abstention(*(round(float(v), 4) for v in (bias, wm, wc, wk, cross_bias, *raw)))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=ROOT / ".eval")
    parser.add_argument("--dry-run", action="store_true")
    parser.add_argument("--cross-only", action="store_true",
                        help="refit only the cross-language model; keep the shipped same-language bars")
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
    calibration += points(retriever_for("briefing-dev"), plain_questions(DATA / "in-corpus-en.txt"), True)
    calibration += points(retriever_for("briefing-dev"), plain_questions(DATA / "near-domain-negatives.jsonl"), False)
    calibration += points(retriever_for("qmsum-val"), half(DATA / "out-of-corpus-hearings.txt", 0), False)
    calibration += points(retriever_for("qmsum-val"), half(DATA / "in-corpus-hearings.txt", 0), True)
    for name in ("briefing-heldout", "briefing-en", "qmsum-val", "qmsum-val-zh"):
        if name in suites:
            report[name] = points(retriever_for(name), [q.q for q in load_questions(suites[name].questions)], True)
    report["out-of-corpus-fresh"] = points(retriever_for("briefing-dev"), plain_questions(DATA / "out-of-corpus-fresh.txt"), False)
    fresh = [json.loads(line) for line in (DATA / "near-domain-negatives-fresh.jsonl").read_text(encoding="utf-8").splitlines()
             if line.strip()]
    for lang in ("zh", "en"):
        report[f"near-domain-fresh ({lang})"] = points(retriever_for("briefing-dev"),
                                                       [f["q"] for f in fresh if f["lang"] == lang], False)
    report["hearings-out (2nd half)"] = points(retriever_for("qmsum-val"), half(DATA / "out-of-corpus-hearings.txt", 1), False)
    report["hearings-in (2nd half)"] = points(retriever_for("qmsum-val"), half(DATA / "in-corpus-hearings.txt", 1), True)

    current = Retriever.shipped_abstention()
    chosen = fit(calibration)
    if args.cross_only:
        chosen = replace(chosen, **{k: v for k, v in asdict(current).items() if k.startswith("same_")})
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
