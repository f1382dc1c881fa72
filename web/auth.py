"""The admin bearer token: one constant-time check and one 401 for every admin route (upload, rebuild, the admin
page, feedback export, insights)."""

from __future__ import annotations

import hmac

from fastapi import Request
from fastapi.responses import JSONResponse

from .errors import error_response


def bearer_ok(request: Request, token: str) -> bool:
    """Constant-time check of `Authorization: Bearer <token>`; never true without a configured token."""
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return bool(token) and scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def unauthorised() -> JSONResponse:
    return error_response(401, "unauthorized", "Missing or wrong bearer token: send Authorization: Bearer <QA_ADMIN_TOKEN>",
                          headers={"WWW-Authenticate": "Bearer"})
