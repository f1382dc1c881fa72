"""Load shedding: past a bound on searches in flight /ask answers 503 at once; past a per-client rate, 429. /healthz is
exempt from both.

The client address is the socket's peer, or the one a trusted proxy forwarded (uvicorn rewrites it only for
QA_TRUSTED_PROXIES, see web/server.py): a forwarding header from anyone else cannot mint new buckets."""

from __future__ import annotations

import contextlib
import math
import threading
import time
from typing import Iterator

from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import WebError, send_error

EXEMPT_PREFIXES = ("/healthz", "/static/", "/docs-assets/")


class SearchSlots:
    """At most `limit` searches at once; the next question is turned away with 503 instead of queueing without bound.

    A slot is taken around the search itself, after the body has been read and validated: a client that sends its
    body one byte a second holds a connection, never a slot (that is what the body timeout of BodyTimeout bounds).
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.in_flight = 0
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def hold(self) -> Iterator[None]:
        """Enter with a slot, or raise WebError 503 with Retry-After at once."""
        if not self.limit:
            yield
            return
        with self._lock:
            admitted = self.in_flight < self.limit
            if admitted:
                self.in_flight += 1
        if not admitted:
            raise WebError(503, "overloaded", f"The server is answering {self.limit} questions already: retry in a second",
                           {"Retry-After": "1"})
        try:
            yield
        finally:
            with self._lock:
                self.in_flight -= 1


class RateLimit:
    """A token bucket per client address: `rate` requests a second on average, bursts up to `burst`."""

    def __init__(self, app: ASGIApp, *, rate: float, burst: int, max_clients: int = 10_000) -> None:
        self.app = app
        self.rate = rate
        self.burst = max(burst, 1)
        self.max_clients = max_clients
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.rate or scope["path"].startswith(EXEMPT_PREFIXES):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        wait = self._take(client)
        if wait > 0:
            await send_error(send, 429, "rate_limited", f"Too many requests from {client}: slow down to {self.rate:g} a second",
                             {"Retry-After": str(max(1, math.ceil(wait)))})
            return
        await self.app(scope, receive, send)

    def _take(self, client: str) -> float:
        now = time.monotonic()
        with self._lock:
            if len(self._buckets) >= self.max_clients and client not in self._buckets:
                self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < self.burst / self.rate}
            tokens, last = self._buckets.get(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[client] = (tokens, now)
                return (1.0 - tokens) / self.rate
            self._buckets[client] = (tokens - 1.0, now)
            return 0.0
