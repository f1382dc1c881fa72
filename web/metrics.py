"""GET /metrics in the Prometheus text format: requests by route and status, /ask latency, cache hits, answers
found or not, the build served and its age, index swaps and rebuilds.

One process: each app has its own registry (tests build many apps). Several workers (`qa serve --workers N`):
the CLI sets PROMETHEUS_MULTIPROC_DIR before the workers start, every process writes its samples there, and
whichever worker answers /metrics aggregates them all (prometheus_client's MultiProcessCollector): counters and
histograms are summed over workers, gauges are reported per live worker (a `pid` label).
"""

from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .state import IndexHolder

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
REBUILD_BUCKETS = (1, 5, 15, 30, 60, 120, 300, 600, 1800)


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})

class Metrics:
    """The metric objects of one app; record_* methods are called from the routes and the middleware."""

    def __init__(self) -> None:
        self.multiprocess = multiprocess_dir() is not None
        # In multiprocess mode the samples go to files whatever the registry; this one only keeps names unique.
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter("qa_http_requests", "HTTP requests by route template, method and status",
                                ["route", "method", "status"], registry=r)
        self.ask_seconds = Histogram("qa_ask_seconds", "Time to answer /ask, from request to response",
                                     buckets=LATENCY_BUCKETS, registry=r)
        self.cache = Counter("qa_ask_cache", "Answers served from the response cache or computed", ["result"], registry=r)
        self.answers = Counter("qa_answers", "Questions answered, by whether the briefing answers them", ["found"],
                               registry=r)
        self.followups = Counter("qa_followups", "Questions read against their history, by kind", ["kind"], registry=r)
        self.feedback = Counter("qa_feedback", "Feedback votes stored, by vote", ["vote"], registry=r)
        self.feedback_errors = Counter("qa_feedback_errors", "Feedback writes refused because the database was unavailable",
                                       registry=r)
        self.swaps = Counter("qa_index_swaps", "New builds picked up by this server (hot swap), as seen at each scrape", registry=r)
        self.load_failures = Counter("qa_index_load_failures", "Builds that failed to load (the old one kept serving)",
                                     registry=r)
        self.rebuild_seconds = Histogram("qa_rebuild_seconds", "Duration of POST /admin/rebuild", buckets=REBUILD_BUCKETS,
                                         registry=r)
        self.rebuilds = Counter("qa_rebuilds", "POST /admin/rebuild runs by result", ["result"], registry=r)
        gauge_mode: dict[str, Any] = {"multiprocess_mode": "liveall"} if self.multiprocess else {}
        self.build_info = Gauge("qa_build_info", "The build being served (value 1)", ["build"], registry=r, **gauge_mode)
        self.build_age = Gauge("qa_build_age_seconds", "Seconds since the served build was built", registry=r, **gauge_mode)
        self._pointer: str | None = None
        self._last_error: str | None = None

    def observe_holder(self, holder: IndexHolder) -> None:
        """Notice a swap or a failed load (IndexHolder keeps no history) and refresh the build gauges."""
        try:
            serving = holder.get()
        except Exception:
            return
        if serving.pointer != self._pointer:
            if self._pointer is not None:
                self.swaps.inc()
                self.build_info.labels(self._pointer).set(0)
            self._pointer = serving.pointer
            self.build_info.labels(serving.pointer).set(1)
        if holder.last_error and holder.last_error != self._last_error:
            self.load_failures.inc()
        self._last_error = holder.last_error
        built_at = serving.retriever.index.manifest.get("built_at")
        if built_at:
            try:
                moment = datetime.strptime(built_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
                self.build_age.set(max(0.0, time.time() - moment.timestamp()))
            except ValueError:
                pass

    def close(self) -> None:
        """A worker that stops takes its per-process gauges with it (a killed one leaves them until restart)."""
        if self.multiprocess:
            from prometheus_client import multiprocess

            multiprocess.mark_process_dead(os.getpid())

    def exposition(self) -> bytes:
        if self.multiprocess:
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)


class MetricsMiddleware:
    """Counts every response by its route template (not the raw path, so ids do not explode the label set), and
    times /ask and /admin/rebuild. Outermost, so 413s, 429s and 503s from the limits are counted too."""

    def __init__(self, app: ASGIApp, *, metrics: Metrics, known_paths: set[str]) -> None:
        self.app = app
        self.metrics = metrics
        self.known_paths = known_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording)
        finally:
            elapsed = time.perf_counter() - started
            route = scope.get("route")
            path = getattr(route, "path", None) or (scope["path"] if scope["path"] in self.known_paths else "unmatched")
            method = scope["method"] if scope["method"] in _METHODS else "other"  # a client names any method it likes
            self.metrics.requests.labels(path, method, str(status)).inc()
            if path == "/ask" and status == 200:
                self.metrics.ask_seconds.observe(elapsed)
            elif path == "/admin/rebuild" and status not in (401, 409):
                self.metrics.rebuild_seconds.observe(elapsed)
                self.metrics.rebuilds.labels("ok" if status < 400 else "failed").inc()


def install_metrics(app: FastAPI, metrics: Metrics, holder: IndexHolder) -> None:
    @app.get("/metrics", include_in_schema=False)
    def prometheus_metrics() -> Response:
        metrics.observe_holder(holder)
        return Response(metrics.exposition(), media_type=CONTENT_TYPE_LATEST)
