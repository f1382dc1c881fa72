"""How `qa serve` runs the app under uvicorn: forwarding headers believed only from listed proxies, and a bound on
the time a client may take to send its request headers.

uvicorn believes X-Forwarded-For from 127.0.0.1 by default, so any local client could pick its own address and
slip the per-client rate limit; here no proxy is trusted unless QA_TRUSTED_PROXIES names it. uvicorn has no timeout
for a request's headers (a client may send one byte a minute and hold its connection for ever): the protocol below
answers 408 and closes the connection past QA_HEADER_TIMEOUT. The body has its own bound (web/middleware.py).
"""

from __future__ import annotations

import asyncio
import json

import uvicorn
from uvicorn.protocols.http.h11_impl import H11Protocol

from qa.settings import Settings

from .errors import error_body
from .middleware import SECURITY_HEADERS


def uvicorn_config(app: object, settings: Settings, **options: object) -> uvicorn.Config:
    trusted = settings.trusted_proxy_list
    return uvicorn.Config(app, host=settings.host, port=settings.port, log_level="warning",
                          proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None,
                          http=header_timeout_protocol(settings.header_timeout), **options)


def header_timeout_protocol(seconds: float) -> type[asyncio.Protocol]:
    """uvicorn's h11 protocol with a header deadline of `seconds`, counted from the connection (or, on a kept-alive
    connection, from the first byte of the next request)."""
    return type("HeaderTimeoutProtocol", (HeaderTimeoutProtocol,), {"header_timeout": seconds})


class HeaderTimeoutProtocol(H11Protocol):
    header_timeout: float = 10.0
    _header_timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self._between_requests():
            self._arm()
        super().data_received(data)
        if not self._between_requests():
            self._disarm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        self._refuse(400, "Bad Request", "bad_request", f"{msg} Send a valid HTTP/1.1 request.")

    def _between_requests(self) -> bool:
        return self.cycle is None or self.cycle.response_complete

    def _arm(self) -> None:
        if self._header_timer is None:
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def _disarm(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self._between_requests() and not self.transport.is_closing():
            self._refuse(408, "Request Timeout", "request_timeout",
                         f"Request headers not received within {self.header_timeout:g} s: send them faster")

    def _refuse(self, status: int, reason: str, code: str, message: str) -> None:
        """Written as raw bytes: h11 will not send a response to a request it has not seen whole."""
        body = json.dumps(error_body(code, message)).encode()
        head = [f"HTTP/1.1 {status} {reason}".encode(), b"content-type: application/json",
                b"content-length: " + str(len(body)).encode(), b"connection: close"]
        head += [name + b": " + value for name, value in SECURITY_HEADERS]
        self.transport.write(b"\r\n".join(head) + b"\r\n\r\n" + body)
        self.transport.close()
