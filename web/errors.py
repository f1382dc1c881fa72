"""The one JSON error shape, {"error": {"code", "message"}}, and the handlers that produce it."""

from __future__ import annotations

import json
import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import Send

from qa.errors import QAError

log = logging.getLogger("briefing_qa.web")

_CODES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed", 408: "request_timeout",
          413: "too_large", 415: "unsupported_media_type", 422: "invalid_request", 429: "rate_limited", 503: "unavailable"}


class WebError(Exception):
    """A refusal that belongs to HTTP, not to the domain (overload, a slow or malformed body): raised in a route,
    answered in the one shape with its headers."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def error_body(code: str, message: str) -> dict:
    return {"error": {"code": code, "message": message}}


async def send_error(send: Send, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
    """The same shape from ASGI middleware, which answers before any route (413, 429, 503)."""
    body = json.dumps(error_body(code, message)).encode()
    extra = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), *extra]})
    await send({"type": "http.response.body", "body": body})


def error_response(status: int, code: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QAError)
    async def qa_error(request: Request, exc: QAError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message)

    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> JSONResponse:
        return error_response(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        return error_response(422, "invalid_request", _describe(exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "request failed"
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 404 and message == "Not Found":
            message = f"No such page: {request.url.path}"
        if exc.status_code == 405:
            allowed = _methods_for(app, request.url.path)
            headers["Allow"] = ", ".join(allowed)
            message = f"{request.method} is not allowed on {request.url.path}: use {' or '.join(allowed)}"
        return error_response(exc.status_code, _CODES.get(exc.status_code, "error"), message, headers or None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return error_response(500, "internal", "Something went wrong on our side; the error was logged.")


def _methods_for(app: FastAPI, path: str) -> list[str]:
    """Every method some route serves on this path (GET and POST /ask are two routes; Allow must name both)."""
    methods: set[str] = set()
    for route in app.routes:
        regex = getattr(route, "path_regex", None)
        if regex is not None and regex.match(path) and getattr(route, "methods", None):
            methods |= set(route.methods)
    return sorted(methods)


def _describe(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors()[:3]:
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query"))
        message = error.get("msg", "invalid")
        if error.get("type") == "string_too_long":
            message = f"is too long (at most {error.get('ctx', {}).get('max_length')} characters)"
        elif error.get("type") == "string_too_short" or (error.get("type") == "string_pattern_mismatch"
                                                          and where == "question"):
            message = "is empty: ask a question"
        elif error.get("type") == "value_error":  # our own check's sentence, whole ("Question is empty: …")
            parts.append(str(error.get("ctx", {}).get("error") or message.removeprefix("Value error, ")))
            continue
        parts.append(f"{where or 'body'} {message}")
    return "; ".join(parts)
