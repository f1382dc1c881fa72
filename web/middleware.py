"""ASGI middleware: body size and time caps before anything parses, and the security headers on every response."""

from __future__ import annotations

import asyncio

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import send_error

CSP = "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"


class BodyLimit:
    """Refuses a body over max_bytes with 413: by Content-Length up front, or while it streams in. Uploads under
    /admin/ get their own, larger cap. A body not complete `seconds` after the request began is answered 408 and the
    connection closed, so a client sending one byte a second holds nothing for long."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_bytes: int | None = None, seconds: float = 10.0) -> None:
        self.app = app
        self.default_bytes = max_bytes
        self.upload_bytes = upload_bytes or max_bytes
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.upload_bytes if scope["path"].startswith("/admin/") else self.default_bytes
        await self._limited(scope, receive, send, limit)

    async def _limited(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                too_big = False
            if too_big:
                await send_error(send, 413, "too_large", _too_large(scope, limit))
                return
        seen = 0
        complete = False
        started = False
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.seconds

        async def limited_receive() -> Message:
            nonlocal seen, complete
            if complete:
                return await receive()
            try:
                message = await asyncio.wait_for(receive(), timeout=max(deadline - loop.time(), 0.0))
            except asyncio.TimeoutError:
                raise _BodyTooSlow() from None
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge()
                complete = not message.get("more_body", False)
            else:
                complete = True
            return message

        async def watched_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, limited_receive, watched_send)
        except _BodyTooLarge:
            if not started:
                await send_error(send, 413, "too_large", _too_large(scope, limit))
        except _BodyTooSlow:
            if not started:
                await send_error(send, 408, "request_timeout", f"Request body not received within {self.seconds:g} s: "
                                 "send it faster (or raise QA_BODY_TIMEOUT for slow uploads)", {"Connection": "close"})


def _too_large(scope: Scope, limit: int) -> str:
    """An upload's refusal names the file (from ?filename=) and the setting that caps it."""
    from urllib.parse import parse_qs

    names = parse_qs((scope.get("query_string") or b"").decode("latin-1")).get("filename")
    if scope["path"].startswith("/admin/") and names:
        return (f"Upload {names[0][:80]!r} is over the {limit / (1024 * 1024):g} MB upload cap: split the transcript "
                "or raise QA_MAX_UPLOAD_BYTES")
    return f"Request body over {limit // 1024} KB: send less"


class _BodyTooLarge(Exception):
    pass


class _BodyTooSlow(Exception):
    pass


SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Outermost layer (web/app.py puts it outside Starlette's error middleware), so a 500 carries the headers too.
    Answers and admin data are `Cache-Control: no-store`: a shared cache must not keep a user's question or the
    admin's view of the corpus."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = list(SECURITY_HEADERS)
        if scope["path"] == "/ask" or scope["path"].startswith("/admin/"):
            extra.append((b"cache-control", b"no-store"))

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in extra if h[0] not in names]
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadAsGet:
    """HEAD is GET without the body (RFC 9110): uptime checks send it, and the routes are declared for GET alone (so
    HEAD was a 405). The headers, Content-Length included, are the GET's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headless(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headless)
