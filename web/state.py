"""The index being served, swapped for a new build without a restart and without failing a request in flight."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

from qa.embedding import Embedder, load_embedder, spec_for
from qa.errors import IndexUnavailable
from qa.retrieval import Retriever
from qa.store import CURRENT, load_index


@dataclass(frozen=True)
class Serving:
    """One loaded build and its retriever; requests hold on to the one they started with."""

    retriever: Retriever
    pointer: str


class IndexHolder:
    """Checks the CURRENT pointer at most every `check_interval` seconds; loads a new build beside the old one,
    then replaces the reference in one assignment. A build that fails to load leaves the old one serving."""

    def __init__(self, root: Path, *, embedder: Embedder | None = None, top_k: int = 3, check_interval: float = 1.0) -> None:
        self.root = Path(root)
        self.top_k = top_k
        self.check_interval = check_interval
        self._embedder = embedder
        self._serving: Serving | None = None
        self._lock = threading.Lock()
        self._checked = 0.0
        self.last_error: str | None = None

    @property
    def embedder(self) -> Embedder | None:
        return self._embedder

    def _pointer(self) -> str:
        try:
            return (self.root / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            return ""

    def get(self) -> Serving:
        serving = self._serving
        now = time.monotonic()
        if serving is not None and now - self._checked < self.check_interval:
            return serving
        with self._lock:
            self._checked = time.monotonic()
            pointer = self._pointer()
            if self._serving is not None and pointer == self._serving.pointer:
                return self._serving
            try:
                self._serving = self._load(pointer)
                self.last_error = None
            except IndexUnavailable as exc:
                self.last_error = exc.message
                if self._serving is None:
                    raise
            return self._serving

    def _load(self, pointer: str) -> Serving:
        index = load_index(self.root)
        embedder = self._embedder
        if embedder is None or embedder.id != index.embedder_id:
            embedder = load_embedder(spec_for(index.embedder_id))
            self._embedder = embedder
        return Serving(Retriever(index, embedder=embedder, top_k=self.top_k), pointer)
