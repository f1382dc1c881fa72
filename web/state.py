"""The index being served, swapped for a new build without a restart and without failing a request in flight.

A new build is loaded by a background thread while the old one keeps answering: loading reads and hashes every
file of the build (~110 ms for 8 MB, more for bigger ones), and no request — least of all one on the event loop,
like /healthz — should wait for that. Only the very first load, when there is nothing to serve yet, is waited for.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from qa.index.embedding import Embedder, load_embedder, spec_for
from qa.errors import IndexUnavailable
from qa.search.retrieval import Retriever
from qa.index.store import CURRENT, load_index

log = logging.getLogger("briefing_qa.web")

_QUOTED_PATH = re.compile(r"'(/[^']*)'")


@dataclass(frozen=True)
class Serving:
    """One loaded build and its retriever; requests hold on to the one they started with."""

    retriever: Retriever
    pointer: str


class IndexHolder:
    """Checks the CURRENT pointer at most every `check_interval` seconds. A build that fails to load leaves the old
    one serving and is reported in `last_error` (without file paths: /healthz is public) until the pointer moves on
    or back; a failed build is retried at most every `retry_interval` seconds."""

    def __init__(self, root: Path, *, embedder: Embedder | None = None, top_k: int = 3, check_interval: float = 1.0,
                 retry_interval: float = 5.0) -> None:
        self.root = Path(root)
        self.top_k = top_k
        self.check_interval = check_interval
        self.retry_interval = retry_interval
        self._embedder = embedder
        self._serving: Serving | None = None
        self._lock = threading.Lock()
        self._loader = threading.Lock()
        self._checked = 0.0
        self._failed: tuple[str, float] | None = None
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
        """The build being served; never waits for a reload once something is served."""
        serving = self._serving
        if serving is None:
            return self.reload()
        now = time.monotonic()
        if now - self._checked >= self.check_interval:
            self._checked = now
            self._check(serving, now)
        return self._serving or serving

    async def get_async(self) -> Serving:
        """For routes on the event loop: the first load runs in a thread; later calls only read the pointer."""
        if self._serving is None:
            return await asyncio.to_thread(self.get)
        return self.get()

    def _check(self, serving: Serving, now: float) -> None:
        pointer = self._pointer()
        if pointer == serving.pointer:
            self.last_error, self._failed = None, None
            return
        failed = self._failed
        if failed is not None and failed[0] == pointer and now - failed[1] < self.retry_interval:
            return
        if self._loader.acquire(blocking=False):
            threading.Thread(target=self._reload_in_background, name="index-reload", daemon=True).start()

    def _reload_in_background(self) -> None:
        try:
            self.reload()
        except Exception as exc:  # recorded for /healthz; the old build keeps serving
            log.exception("loading the new index build failed")
            self.last_error = f"The new build could not be loaded ({type(exc).__name__}): rebuild with `qa build`"
        finally:
            self._loader.release()

    def reload(self) -> Serving:
        """Load the build CURRENT names now, in the caller's thread (the first load, and right after a rebuild)."""
        with self._lock:
            pointer = self._pointer()
            if self._serving is not None and pointer == self._serving.pointer:
                self.last_error, self._failed = None, None
                return self._serving
            try:
                self._serving = self._load(pointer)
                self.last_error, self._failed = None, None
            except IndexUnavailable as exc:
                self.last_error = without_paths(exc.message)
                self._failed = (pointer, time.monotonic())
                if self._serving is None:
                    raise IndexUnavailable(self.last_error) from None
            return self._serving

    def _load(self, pointer: str) -> Serving:
        with _no_cycle_collection():
            index = load_index(self.root)
            embedder = self._embedder
            if embedder is None or embedder.id != index.embedder_id:
                embedder = load_embedder(spec_for(index.embedder_id))
                self._embedder = embedder
            return Serving(Retriever(index, embedder=embedder, top_k=self.top_k), pointer)


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """A load allocates hundreds of thousands of objects, which sets off full collections of the whole heap (up to
    0.1 s each, measured) that stop every thread, the event loop included. No collection during the load; then the
    loaded index is frozen out of later ones (it is acyclic data, freed by reference counting when swapped out)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def without_paths(message: str) -> str:
    """'/srv/qa/index/builds/x/faiss.index' → 'faiss.index': where the server keeps its files is nobody's business."""
    return _QUOTED_PATH.sub(lambda m: "'" + (Path(m.group(1)).name or "/") + "'", message)
