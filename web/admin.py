"""Adding transcripts and rebuilding from the web: bearer-token routes that exist only when a token is configured."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from qa.attribution import attribute_speakers
from qa.build import build_index
from qa.embedding import load_embedder
from qa.errors import QAError, TranscriptError
from qa.settings import Settings
from qa.transcripts import TRANSCRIPT_SUFFIXES, parse_transcript_bytes

from .errors import error_response
from .state import IndexHolder

_STEM = re.compile(r"[^a-z0-9]+")


def stored_name(filename: str, data: bytes) -> str:
    """A name we make ourselves: the slug of the client's stem, a content hash, an allowed suffix. Nothing else
    of the client's name survives, so it cannot point anywhere but into the transcripts folder."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in TRANSCRIPT_SUFFIXES:
        raise QAError(f"Upload {filename[:80]!r} has no transcript suffix: name it .md, .txt, .vtt or .srt")
    slug = _STEM.sub("-", stem.lower()).strip("-")[:60] or "transcript"
    return f"{slug}-{hashlib.sha256(data).hexdigest()[:10]}{suffix}"


def install_admin(app: FastAPI, settings: Settings, holder: IndexHolder) -> None:
    token = settings.admin_token
    if not token:
        return
    folder = Path(settings.transcripts_dir)
    rebuilding = threading.Lock()

    def authorised(request: Request) -> bool:
        header = request.headers.get("authorization", "")
        scheme, _, given = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())

    def unauthorised() -> JSONResponse:
        return error_response(401, "unauthorized", "Missing or wrong bearer token: send Authorization: Bearer <QA_ADMIN_TOKEN>",
                              headers={"WWW-Authenticate": "Bearer"})

    @app.post("/admin/transcripts", status_code=201, summary="Add a transcript (admin)")
    async def upload(request: Request, filename: Annotated[str, Query(min_length=1, max_length=200)]) -> Any:
        if not authorised(request):
            return unauthorised()
        data = await request.body()
        name = stored_name(filename, data)
        transcript = parse_transcript_bytes(data, name=name)
        briefing = attribute_speakers(transcript)
        folder.mkdir(parents=True, exist_ok=True)
        target = (folder / name).resolve()
        if target.parent != folder.resolve():
            raise TranscriptError(f"Upload {filename[:80]!r} would land outside the transcripts folder: refused")
        tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        return JSONResponse({"stored": name, "id": transcript.id, "format": transcript.format, "bytes": len(data),
                             "exchanges": len(briefing.exchanges)}, status_code=201)

    @app.post("/admin/rebuild", summary="Rebuild the index from the transcripts folder (admin)")
    async def rebuild(request: Request) -> Any:
        if not authorised(request):
            return unauthorised()
        if not rebuilding.acquire(blocking=False):
            return error_response(409, "busy", "A rebuild is already running: wait for it to finish")
        try:
            report = await run_in_threadpool(_rebuild, settings, holder)
        finally:
            rebuilding.release()
        return {"build": report.build.name, "up_to_date": report.up_to_date, "transcripts": report.transcripts,
                "embedded": report.embedded, "reused": report.reused, "removed": report.removed,
                "seconds": round(report.seconds, 2)}


def _rebuild(settings: Settings, holder: IndexHolder):
    embedder = holder.embedder or load_embedder(settings.embedder)
    return build_index([Path(settings.transcripts_dir)], Path(settings.index_dir), embedder=embedder, show_progress=False)
