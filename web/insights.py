"""The press office's insights page (admin): a page shell anyone with the URL may load, whose script asks for the
bearer token and fetches the figures from /admin/insights.json. Both exist only when QA_ADMIN_TOKEN is set."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from qa.feedback import FeedbackStore
from qa.insights import summarize
from qa.settings import Settings

from .auth import bearer_ok, unauthorised

HERE = Path(__file__).resolve().parent


def install_insights(app: FastAPI, settings: Settings, store: FeedbackStore) -> None:
    if not settings.admin_token:
        return
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    @app.get("/admin/insights", response_class=HTMLResponse, include_in_schema=False)
    def insights_page(request: Request) -> Any:
        return templates.TemplateResponse(request, "insights.html", {})

    @app.get("/admin/insights.json", summary="What people ask, what is unanswered, what is flagged (admin)",
             responses={401: {}})
    def insights_data(request: Request, days: Annotated[int, Query(ge=1, le=365)] = 30) -> Any:
        if not bearer_ok(request, settings.admin_token):
            return unauthorised()
        since = time.time() - days * 86400
        return {**summarize(store.rows("questions", since=since), store.rows("feedback", since=since), days=days),
                "days": days, "status": store.status()}
