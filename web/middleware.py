"""ASGI middleware: body size cap before anything parses, and the security headers on every response."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import send_error

CSP = "default-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"


class BodyLimit:
    """Refuses a body over max_bytes with 413: by Content-Length up front, or while it streams in. Uploads under
    /admin/ get their own, larger cap."""

    def __init__(self, app: ASGIApp, *, max_bytes: int, upload_bytes: int | None = None) -> None:
        self.app = app
        self.default_bytes = max_bytes
        self.upload_bytes = upload_bytes or max_bytes

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

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _BodyTooLarge()
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _BodyTooLarge:
            await send_error(send, 413, "too_large", _too_large(scope, limit))


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


SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [h for h in SECURITY_HEADERS if h[0] not in names]
            await send(message)

        await self.app(scope, receive, with_headers)
