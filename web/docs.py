"""/docs that works offline and reads OpenAPI 3.1, and the favicon.

Swagger UI comes from the `fastapi-offline` package, which bundles Swagger UI 5 (OpenAPI 3.1 support; the
`swagger-ui-bundle` package stops at 4.15.5, which shows "Unable to render this definition" for 3.1). It is served
from /docs-assets and started by /static/docs.js, since the CSP forbids inline script.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

STATIC = Path(__file__).resolve().parent / "static"


def swagger_ui_directory() -> Path | None:
    try:
        import fastapi_offline
    except ImportError:
        return None
    path = Path(fastapi_offline.__file__).resolve().parent / "static"
    return path if (path / "swagger-ui-bundle.js").is_file() else None


def install_docs(app: FastAPI, templates: Jinja2Templates) -> None:
    assets = swagger_ui_directory()
    if assets is not None:
        app.mount("/docs-assets", StaticFiles(directory=str(assets)), name="docs-assets")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def docs(request: Request) -> Any:
        return templates.TemplateResponse(request, "docs.html", {"bundled": assets is not None})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Any:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml",
                            headers={"Cache-Control": "public, max-age=86400"})
