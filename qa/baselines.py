"""Simple pipelines the service must beat, run in the same command as it: BM25 and the bundled e5 over every turn.

They know nothing of speakers, exchanges or questions: each turn of the transcript (any speaker) is one document.
Graded leniently with the same gold as the service: a span question is right when the turn's lines overlap a span;
a key question when the turn's text holds the key phrase, whoever speaks."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from qa.index.embedding import Embedder
from qa.evaluation import Question, overlaps
from qa.index.lexical import LexicalIndex
from qa.ingest.transcripts import load_transcript

E5_PREFIX_CHARS = 600  # what a minimal pipeline embeds of a long turn


@dataclass(frozen=True)
class TurnDoc:
    transcript_id: str
    text: str
    line_start: int
    line_end: int


def transcript_turns(paths: Sequence[Path]) -> list[TurnDoc]:
    docs = []
    for path in paths:
        transcript = load_transcript(path)
        for turn in transcript.turns:
            if len(turn.text.strip()) >= 2:
                docs.append(TurnDoc(transcript.id, turn.text, turn.line_start, turn.line_end))
    return docs


def turn_is_right(doc: TurnDoc, question: Question) -> bool:
    if question.transcript and doc.transcript_id != question.transcript:
        return False
    if question.spans:
        return overlaps(doc.line_start, doc.line_end, question.spans)
    return (question.key or "\0") in doc.text


@dataclass
class BaselineReport:
    name: str
    total: int
    top1: float
    top3: float
    mrr: float
    p50_ms: float


class TurnBaseline:
    """Ranks turns by one score function; `rank` returns turn indices, best first."""

    name = "baseline"

    def __init__(self, docs: list[TurnDoc]) -> None:
        self.docs = docs

    def scores(self, question: str) -> np.ndarray:  # pragma: no cover - overridden
        raise NotImplementedError

    def evaluate(self, questions: Sequence[Question], *, depth: int = 10) -> BaselineReport:
        top1 = top3 = 0
        mrr = 0.0
        times = []
        for question in questions:
            started = time.perf_counter()
            order = np.argsort(-self.scores(question.q), kind="stable")[:depth]
            times.append((time.perf_counter() - started) * 1000)
            rank = next((r for r, i in enumerate(order) if turn_is_right(self.docs[int(i)], question)), None)
            top1 += rank == 0
            top3 += rank is not None and rank < 3
            mrr += 1 / (rank + 1) if rank is not None else 0.0
        n = max(1, len(questions))
        return BaselineReport(self.name, len(questions), top1 / n, top3 / n, mrr / n,
                              float(np.median(times)) if times else 0.0)


class BM25Turns(TurnBaseline):
    name = "BM25 over turns"

    def __init__(self, docs: list[TurnDoc]) -> None:
        super().__init__(docs)
        self.index = LexicalIndex.build([d.text for d in docs])

    def scores(self, question: str) -> np.ndarray:
        return self.index.scores(question)


class DenseTurns(TurnBaseline):
    """The bundled embedder over the first 600 characters of each turn; vectors cached on disk by text hash."""

    name = "e5 over turns"

    def __init__(self, docs: list[TurnDoc], *, embedder: Embedder, cache_dir: Path | None = None) -> None:
        super().__init__(docs)
        self.embedder = embedder
        texts = [d.text[:E5_PREFIX_CHARS] for d in docs]
        self.vectors = _cached_passages(embedder, texts, cache_dir)

    def scores(self, question: str) -> np.ndarray:
        return self.vectors @ self.embedder.embed_queries([question])[0]


def _cached_passages(embedder: Embedder, texts: list[str], cache_dir: Path | None) -> np.ndarray:
    if cache_dir is None:
        return embedder.embed_passages(texts)
    digest = hashlib.sha256((embedder.id + "\0" + "\0".join(texts)).encode()).hexdigest()[:24]
    path = Path(cache_dir) / f"turns-{digest}.npy"
    if path.exists():
        vectors = np.load(path, allow_pickle=False)
        if len(vectors) == len(texts):
            return vectors
    vectors = embedder.embed_passages(texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vectors, allow_pickle=False)
    tmp.replace(path)
    return vectors
