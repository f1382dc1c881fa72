"""POST /feedback (readers' votes on answers), the question log of /ask, and the admin export of both.

The store is qa/feedback.py; here are the HTTP edges: validation, 404 for an answer that does not exist, 503 when
the database cannot be written (the chat keeps answering: asking never depends on the database).
"""

from __future__ import annotations

import csv
import io
import time
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from qa.errors import NotFound
from qa.feedback import AskedQuestion, FeedbackStore, FeedbackUnavailable, Vote
from qa.settings import Settings

from .auth import bearer_ok, unauthorised
from .bodies import inline_schema, read_json
from .metrics import Metrics
from .state import IndexHolder

MAX_COMMENT = 2000
EXPORT_COLUMNS = ("id", "created_at", "question", "transcript_id", "exchange", "speaker", "vote", "comment", "build")


class AnswerRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    transcript_id: str = Field(min_length=1, max_length=200, description="The answer's citation.transcript_id")
    exchange: int = Field(ge=0, le=100_000, description="The answer's citation.exchange (0 is the opening statement)")

    @field_validator("exchange", mode="before")
    @classmethod
    def _json_integer(cls, value: Any) -> Any:
        """A JSON integer, as the schema says: 3 and 3.0 are, true and "3" are not."""
        if isinstance(value, (bool, str)):
            raise ValueError("exchange must be a whole number, as citation.exchange is")
        return value


class FeedbackRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: Annotated[str, StringConstraints(min_length=1, max_length=2000, pattern=r"\S")] = Field(
        description="The question the answer was given to")
    answer: AnswerRef = Field(description="Which answer the vote is about")
    vote: Literal["up", "down", "wrong_speaker"] = Field(description="up, down, or wrong_speaker")
    comment: str | None = Field(None, max_length=MAX_COMMENT, description=f"At most {MAX_COMMENT} characters")


class FeedbackCreated(BaseModel):
    id: int


def open_store(settings: Settings) -> FeedbackStore:
    return FeedbackStore(settings.feedback_path, log_questions=bool(settings.log_questions),
                         retention_days=settings.log_retention_days)


def log_answer(store: FeedbackStore, body: dict[str, Any], build: str | None, started: float) -> None:
    """One question-log row for an /ask response: what was asked, whether it was found, the top answer."""
    top = body["answers"][0] if body.get("answers") else None
    store.log_question(AskedQuestion(
        question=body["question"], found=bool(body.get("found")),
        transcript_id=top["citation"]["transcript_id"] if top else None,
        exchange=top["citation"]["exchange"] if top else None,
        speaker=top["speaker"]["name"] if top else None,
        latency_ms=(time.perf_counter() - started) * 1000, build=build,
        interpreted_as=body.get("interpreted_as")))


def install_feedback(app: FastAPI, settings: Settings, holder: IndexHolder, store: FeedbackStore,
                     metrics: Metrics) -> None:
    @app.post("/feedback", status_code=201, response_model=FeedbackCreated, summary="Vote on an answer",
              responses={400: {}, 404: {}, 413: {}, 415: {}, 422: {}, 503: {}},
              openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
                  "schema": inline_schema(FeedbackRequest)}}}})
    async def feedback(http: Request) -> Any:
        request = await read_json(http, FeedbackRequest)  # /ask's contract: 415, 400 and 422 in the one shape
        return await run_in_threadpool(_vote, request)

    def _vote(request: FeedbackRequest) -> Any:
        index = holder.get().retriever.index
        record = next((r for r in index.answers if r.transcript_id == request.answer.transcript_id
                       and r.exchange == request.answer.exchange), None)
        if record is None:
            raise NotFound(f"No answer at transcript {request.answer.transcript_id!r}, exchange "
                           f"{request.answer.exchange}: vote on an answer /ask returned (its citation)")
        try:
            row_id = store.add_vote(Vote(request.question, record.transcript_id, record.exchange, request.vote,
                                         speaker=record.speaker.name, comment=request.comment, build=index.build_id))
        except FeedbackUnavailable:
            metrics.feedback_errors.inc()
            raise
        metrics.feedback.labels(request.vote).inc()
        return JSONResponse({"id": row_id}, status_code=201)

    if not settings.admin_token:
        return

    @app.get("/admin/feedback", summary="Export the feedback (admin)", responses={401: {}})
    def export(request: Request, format: Annotated[Literal["json", "csv"], Query()] = "json",
               since_days: Annotated[int, Query(ge=0, le=3650)] = 0) -> Any:
        if not bearer_ok(request, settings.admin_token):
            return unauthorised()
        since = time.time() - since_days * 86400 if since_days else 0.0
        rows = store.rows("feedback", since=since)
        if format == "json":
            return {"feedback": rows, "count": len(rows), "status": store.status()}
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=EXPORT_COLUMNS, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({k: _csv_safe(v) for k, v in row.items()})
        return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": 'attachment; filename="feedback.csv"'})


def _csv_safe(value: Any) -> Any:
    """A cell starting with = + - @ is a formula to a spreadsheet: quote it with a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


__all__ = ["install_feedback", "open_store", "log_answer", "FeedbackUnavailable"]
