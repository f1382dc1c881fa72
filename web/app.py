"""The web chat and the JSON API: `create_app(settings)` builds a FastAPI app around the index being served."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from collections import OrderedDict
from pathlib import Path
from typing import Annotated, Any, AsyncIterator

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, WithJsonSchema, field_validator

from qa.index.embedding import Embedder
from qa.speakers.english import default_glossary
from qa.errors import NotFound, QAError
from qa.search.respond import MAX_QUESTION, MAX_TOP_K, QUESTION_PATTERN, check_question, respond
from qa.search.followup import MAX_HISTORY, read_question, with_reading
from qa.settings import Settings

from .admin import install_admin
from .bodies import MAX_DEPTH, nesting_depth, parse_json_body, read_json
from .docs import install_docs
from .admin_page import install_admin_page
from .errors import WebError, install_error_handlers
from .schemas import AskResponse, ErrorOut
from .feedback import install_feedback, log_answer, open_store
from .insights import install_insights
from .limits import RateLimit, SearchSlots
from .metrics import Metrics, MetricsMiddleware, install_metrics
from .middleware import BodyLimit, HeadAsGet, SecurityHeaders
from .state import IndexHolder
from .transcript_view import transcript_view

HERE = Path(__file__).resolve().parent
SWITCH_INTERVAL_S = 0.0005


def _in_words(question: str) -> str:
    try:
        return check_question(question)
    except QAError as exc:
        raise ValueError(exc.message) from None


# "In words" is part of the schema (a letter or digit somewhere), so a client can see what the server accepts; a
# question of symbols alone ("😀🔥", "？。！", zero-width spaces) is refused as `qa ask` refuses it, in its words.
Question = Annotated[str, StringConstraints(min_length=1, max_length=MAX_QUESTION), AfterValidator(_in_words),
                     WithJsonSchema({"type": "string", "minLength": 1, "maxLength": MAX_QUESTION,
                                     "pattern": QUESTION_PATTERN})]
# Read leniently by qa/search/followup.py (a bad history costs the follow-up, never the answer), so typed Any here and
# documented as what clients should send.
History = Annotated[Any, WithJsonSchema({
    "type": "array", "maxItems": MAX_HISTORY, "description": "Earlier turns, most recent last; anything unusable is "
    "ignored with a note in the response's `notes`",
    "items": {"type": "object", "required": ["question"], "properties": {
        "question": {"type": "string", "maxLength": MAX_QUESTION},
        "answer": {"type": "object", "required": ["transcript_id", "exchange"], "properties": {
            "transcript_id": {"type": "string"}, "exchange": {"type": "integer"}}}}}})]


class AskRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Question = Field(description="The question, in Chinese or English")
    top_k: int = Field(3, ge=1, le=MAX_TOP_K, description="How many answers to return")
    speaker: str | None = Field(None, max_length=100, description="Only answers by this speaker")
    transcript: str | None = Field(None, max_length=200, description="Only answers from this transcript id")
    history: History = Field(None, description="The conversation so far, for follow-up questions")

    @field_validator("top_k", mode="before")
    @classmethod
    def _json_integer(cls, value: Any) -> Any:
        """A JSON integer, as the schema says: 3 and 3.0 are, true and "3" are not."""
        if isinstance(value, (bool, str)):
            raise ValueError("must be a JSON integer")
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value


ASK_EXAMPLES = {
    "question": {"summary": "A question in Chinese", "value": {"question": "2023年银行业发放的知识产权质押贷款有多少？", "top_k": 3}},
    "english": {"summary": "In English, one speaker", "value": {"question": "What about IP pledge loans?", "speaker": "杜墨"}},
    "person": {"summary": "What a person said (the answer has `about`)", "value": {"question": "What did Du Mo say?"}},
}
ERRORS = {status: {"model": ErrorOut} for status in (400, 404, 413, 415, 422, 429, 503)}


def create_app(settings: Settings | None = None, *, embedder: Embedder | None = None,
               holder: IndexHolder | None = None) -> FastAPI:
    settings = settings or Settings.from_env()
    # Parsing an upload and loading a build run in threads, in Python: with the default 5 ms GIL switch interval the
    # event loop waits up to 5 ms per hand-over, several times a request, and /healthz crept past 50 ms during an
    # 8 MB upload (tests/test_abuse.py). Handing over every 0.5 ms keeps it under that bar.
    sys.setswitchinterval(SWITCH_INTERVAL_S)
    holder = holder or IndexHolder(settings.index_dir, embedder=embedder, top_k=settings.top_k)
    # Searches are CPU-bound (the query embedding): a pool the size of the machine serves them; more threads
    # would only fight over the cores, grow memory, and slow /healthz. The concurrency bound keeps the queue short.
    searchers = ThreadPoolExecutor(max_workers=settings.search_threads or 2 * (os.cpu_count() or 1),
                                   thread_name_prefix="search")
    store = open_store(settings)
    metrics = Metrics()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        searchers.shutdown(wait=False, cancel_futures=True)
        store.close()
        metrics.close()

    app = FastAPI(title="Briefing QA", version="0.1.0", docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Answers from press-briefing transcripts: the official's own words, cited to the line.")
    app.state.holder = holder
    app.state.settings = settings
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    install_docs(app, templates)

    cache = ResponseCache(settings.cache_size)
    slots = SearchSlots(settings.max_concurrency)
    app.state.slots = slots

    # The same question asked again while it is being answered waits for that answer instead of taking a slot of
    # its own: a popular question asked by twenty readers at once is one search, not twenty (and no 503s).
    in_flight: dict[tuple, asyncio.Future] = {}

    async def search_async(request: AskRequest) -> dict[str, Any]:
        key = (request.question, request.top_k, request.speaker, request.transcript,
               json.dumps(request.history, sort_keys=True, ensure_ascii=False, default=str))
        pending = in_flight.get(key)
        if pending is not None:
            try:
                return await asyncio.shield(pending)  # its answer, or its error (404 for an unknown filter, 503)
            except asyncio.CancelledError:
                if not pending.cancelled():
                    raise  # this request itself was cancelled
            # the first asker went away before its answer: this one searches for itself
        loop = asyncio.get_running_loop()
        future = in_flight[key] = loop.create_future()
        try:
            with slots.hold():
                body = await loop.run_in_executor(searchers, search, request)
        except asyncio.CancelledError:
            future.cancel()
            raise
        except Exception as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: nobody may be waiting for it
            raise
        else:
            future.set_result(body)
            return body
        finally:
            if in_flight.get(key) is future:
                del in_flight[key]

    def search(request: AskRequest) -> dict[str, Any]:
        started = time.perf_counter()
        serving = holder.get()
        # A follow-up is read with its history first (qa/search/followup.py); then a question about a person is answered by
        # qa/search/about.py and any other ranked: qa/search/respond.py chooses (as `qa ask`).
        reading = read_question(serving.retriever.index, request.question, request.history)
        key = (serving.pointer, reading.cache_key, request.top_k, request.speaker, request.transcript)
        body = cache.get(key)
        metrics.cache.labels("hit" if body is not None else "miss").inc()
        if body is None:
            body = respond(serving.retriever, reading.search_text, top_k=request.top_k, speaker=request.speaker,
                           transcript=request.transcript, boost=reading.boost or None)
            cache.put(key, body)
        body = with_reading(body, reading)
        metrics.answers.labels(str(body["found"]).lower()).inc()
        if reading.interpreted_as:
            metrics.followups.labels(reading.kind).inc()
        log_answer(store, body, serving.retriever.index.build_id, started)
        return body

    @app.post("/ask", response_model=AskResponse, response_model_exclude_unset=True, responses=ERRORS,
              summary="Ask a question",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/json": {"schema": AskRequest.model_json_schema(ref_template="#/components/schemas/{model}"),
                                       "examples": ASK_EXAMPLES}}}})
    async def ask(request: Request) -> Any:
        return await search_async(await read_json(request, AskRequest))

    @app.get("/ask", response_model=AskResponse, response_model_exclude_unset=True, responses=ERRORS,
             summary="Ask a question (for links)")
    async def ask_get(q: Annotated[Question, Query(description="The question")],
                      top_k: Annotated[int, Query(ge=1, le=MAX_TOP_K)] = 3,
                      speaker: Annotated[str | None, Query(max_length=100)] = None,
                      transcript: Annotated[str | None, Query(max_length=200)] = None,
                      history: Annotated[str | None, Query(max_length=30_000, description="JSON, as in POST")] = None) -> Any:
        return await search_async(AskRequest(question=q, top_k=top_k, speaker=speaker, transcript=transcript,
                                             history=_json_or_text(history)))

    @app.get("/healthz", summary="Liveness and the build being served", responses={503: {"model": ErrorOut}})
    async def healthz() -> Any:
        serving = await holder.get_async()
        index = serving.retriever.index
        return {"status": "ok", "build": index.build_id, "transcripts": len(index.transcripts),
                "answers": len(index.answers), "reload_error": holder.last_error, "feedback": store.status()}

    @app.get("/api/speakers", summary="Everyone who answers in the indexed transcripts")
    def speakers() -> Any:
        index = holder.get().retriever.index
        table: dict[str, dict[str, Any]] = {}
        for record in index.answers:
            s = record.speaker
            entry = table.setdefault(s.name, {"name": s.name, "title": s.title, "organization": s.organization,
                                              "display": s.display, **default_glossary().speaker_fields(s),
                                              "answers": 0, "transcripts": []})
            entry["answers"] += 1
            if record.transcript_id not in entry["transcripts"]:
                entry["transcripts"].append(record.transcript_id)
        return {"speakers": list(table.values())}

    @app.get("/api/transcripts", summary="The indexed transcripts")
    def transcripts() -> Any:
        index = holder.get().retriever.index
        counts: dict[str, int] = {}
        for record in index.answers:
            counts[record.transcript_id] = counts.get(record.transcript_id, 0) + 1
        return {"transcripts": [{"id": t["id"], "title": t["title"], "date": t["date"], "format": t["format"],
                                 "exchanges": t["exchanges"], "answers": counts.get(t["id"], 0),
                                 "url": f"/transcripts/{t['id']}"} for t in index.transcripts.values()]}

    @app.get("/transcripts/{transcript_id}", response_class=HTMLResponse, include_in_schema=False)
    def transcript_page(request: Request, transcript_id: str) -> Any:
        index = holder.get().retriever.index
        info = index.transcripts.get(transcript_id)
        if info is None:
            raise NotFound(f"No transcript {transcript_id!r}: see /api/transcripts for the ids")
        return templates.TemplateResponse(request, "transcript.html", {"view": transcript_view(index, transcript_id)})

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def chat(request: Request) -> Any:
        return templates.TemplateResponse(request, "chat.html", {"max_question": MAX_QUESTION})

    install_admin(app, settings, holder)
    install_feedback(app, settings, holder, store, metrics)
    install_insights(app, settings, store)
    install_metrics(app, metrics, holder)
    app.state.feedback = store
    app.state.metrics = metrics
    install_admin_page(app, settings, holder)

    # The last added runs first: the rate limit turns requests away before any work; the body caps (size, time)
    # run before any parsing. The bound on searches in flight is taken around the search alone (search_async).
    if settings.cors_origin_list:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origin_list, allow_methods=["GET", "POST"],
                           allow_headers=["content-type", "authorization"])
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, upload_bytes=settings.max_upload_bytes,
                       seconds=settings.body_timeout)
    # With N worker processes each keeps its own buckets, so each allows rate/N: see README "Several workers".
    app.add_middleware(RateLimit, rate=settings.rate_limit / settings.workers,
                       burst=max(1, settings.rate_burst // settings.workers))
    app.add_middleware(MetricsMiddleware, metrics=metrics,
                       known_paths={getattr(r, "path", "") for r in app.routes if "{" not in getattr(r, "path", "{")})
    # Outside Starlette's own error middleware, so that a 500 carries the security headers too.
    build_stack = app.build_middleware_stack
    app.build_middleware_stack = lambda: SecurityHeaders(HeadAsGet(build_stack()))  # type: ignore[method-assign]
    return app


def create_app_from_env() -> FastAPI:
    """For `uvicorn --factory` (qa serve --workers N): every worker builds its app from the QA_* environment."""
    return create_app(Settings.from_env())


def _json_or_text(raw: str | None) -> Any:
    """?history= as JSON, bounded like a body (deep nesting and huge integers are 400); anything else as text, which
    qa/search/followup.py ignores with a note."""
    if raw is None:
        return None
    if nesting_depth(raw) > MAX_DEPTH:
        return parse_json_body(raw.encode("utf-8"))  # raises the 400 that names the depth
    try:
        return parse_json_body(raw.encode("utf-8"))
    except WebError:
        return raw


class ResponseCache:
    """Recent answers by (build, question, options): a repeated question costs no embedding. Bounded, thread-safe."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple) -> dict[str, Any] | None:
        if not self.size:
            return None
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: tuple, value: dict[str, Any]) -> None:
        if not self.size:
            return
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

