"""Load shedding: past a concurrency bound /ask answers 503 at once; past a per-client rate, 429. /healthz is exempt."""

from __future__ import annotations

import math
import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

from .errors import send_error

EXEMPT_PREFIXES = ("/healthz", "/static/", "/docs-assets/")


class ConcurrencyLimit:
    """At most `limit` /ask requests in flight; the next is turned away with 503 instead of queueing without bound."""

    def __init__(self, app: ASGIApp, *, limit: int, paths: tuple[str, ...] = ("/ask",)) -> None:
        self.app = app
        self.limit = limit
        self.paths = paths
        self.in_flight = 0
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.limit or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        with self._lock:
            admitted = self.in_flight < self.limit
            if admitted:
                self.in_flight += 1
        if not admitted:
            await send_error(send, 503, "overloaded", f"The server is answering {self.limit} questions already: "
                             "retry in a second", {"Retry-After": "1"})
            return
        try:
            await self.app(scope, receive, send)
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
