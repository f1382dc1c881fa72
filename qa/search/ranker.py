"""The learned ranking: a linear model over qa/search/features.py, fitted by scripts/fit_ranker.py and shipped as a small
versioned JSON file (qa/data/ranker.json; what it was fitted on is in qa/data/ranker-card.md).

A person can read it: each weight says how much one standardised feature moves an answer up the list."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from qa.errors import QAError

RANKER_FORMAT = "briefing-qa-ranker"
RANKER_VERSION = 1
DEFAULT_RANKER = Path(__file__).resolve().parent.parent / "data" / "ranker.json"


class RankerError(QAError):
    """A ranker file that cannot be used with this release: unreadable, foreign, or fitted on other features."""

    status = 500
    code = "ranker_mismatch"


@dataclass(frozen=True)
class Ranker:
    features: tuple[str, ...]
    weights: np.ndarray
    source: str = "built-in"
    abstention: dict | None = None  # the calibrated bars of qa.search.retrieval.Abstention, when the file has them

    def score(self, matrix: np.ndarray) -> np.ndarray:
        return matrix @ self.weights

    @property
    def unit(self) -> float:
        """What one point of an outside boost (qa/search/followup.py) is worth in this model's scores. The boosts were tuned
        on the hand-set fusion, whose match features (dense, question, BM25, coverage) weighed 2.5 per standard
        deviation together; here the same role is played by every graded and ranked feature."""
        from qa.search.features import FLAGS

        graded = [abs(float(w)) for name, w in zip(self.features, self.weights) if name not in FLAGS]
        return sum(graded) / 2.5 if graded else 1.0

    def check(self, features: Sequence[str]) -> None:
        """Refuse to rank with a model fitted on another feature set: its weights would land on the wrong columns."""
        if tuple(features) != self.features:
            missing = sorted(set(features) - set(self.features))
            extra = sorted(set(self.features) - set(features))
            detail = (f"missing {', '.join(missing)}" if missing else "") + ("; " if missing and extra else "") + (
                f"unknown {', '.join(extra)}" if extra else "") or "same names in another order"
            raise RankerError(f"Ranker '{self.source}' was fitted on other features than this release computes "
                              f"({detail}): refit it with scripts/fit_ranker.py")

    def to_json(self, **extra: object) -> dict:
        return {"format": RANKER_FORMAT, "version": RANKER_VERSION, "features": list(self.features),
                "weights": {name: round(float(w), 6) for name, w in zip(self.features, self.weights)}, **extra}


def load_ranker(path: Path | None = None) -> Ranker:
    path = Path(path or DEFAULT_RANKER)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise RankerError(f"Ranker '{path}' cannot be read ({type(exc).__name__}): reinstall, or refit it with "
                          "scripts/fit_ranker.py") from None
    if not isinstance(data, dict) or data.get("format") != RANKER_FORMAT:
        raise RankerError(f"'{path}' is not a Briefing QA ranker file: point at qa/data/ranker.json")
    if data.get("version") != RANKER_VERSION:
        raise RankerError(f"Ranker '{path}' is version {data.get('version')}, this release reads {RANKER_VERSION}: "
                          "refit it with scripts/fit_ranker.py")
    weights = data.get("weights")
    features = data.get("features")
    if not isinstance(weights, dict) or not isinstance(features, list) or set(weights) != set(features):
        raise RankerError(f"Ranker '{path}' lists weights that do not match its features: refit it with "
                          "scripts/fit_ranker.py")
    try:
        vector = np.array([float(weights[name]) for name in features], dtype=np.float64)
    except (TypeError, ValueError):
        raise RankerError(f"Ranker '{path}' has a weight that is not a number: refit it with scripts/fit_ranker.py") from None
    abstention = data.get("abstention")
    if abstention is not None and (not isinstance(abstention, dict) or not all(
            isinstance(v, (int, float)) for v in abstention.values())):
        raise RankerError(f"Ranker '{path}' has unreadable abstention bars: rerun scripts/calibrate_abstention.py")
    return Ranker(tuple(features), vector, str(path), abstention)
