"""Adding transcripts and rebuilding from the web: bearer-token routes that exist only when a token is configured."""

from __future__ import annotations

import hashlib
import os
import re
import threading
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse

from qa.speakers.attribution import attribute_speakers
from qa.index.build import build_index
from qa.index.embedding import load_embedder
from qa.errors import QAError, TranscriptError
from qa.settings import Settings
from qa.ingest.transcripts import TRANSCRIPT_SUFFIXES, parse_transcript_bytes, transcript_id

from .auth import bearer_ok, unauthorised
from .errors import error_response
from .state import IndexHolder, without_paths

_STEM = re.compile(r"[^a-z0-9]+")


def stored_name(filename: str, data: bytes) -> str:
    """A name we make ourselves: the slug of the client's stem, a content hash, an allowed suffix. Nothing else
    of the client's name survives, so it cannot point anywhere but into the transcripts folder."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    suffix = f".{suffix.lower()}" if dot else ""
    if suffix not in TRANSCRIPT_SUFFIXES:
        raise QAError(f"Upload {filename[:80]!r} has no transcript suffix: name it "
                      f"{', '.join(sorted(TRANSCRIPT_SUFFIXES))}")
    slug = _STEM.sub("-", stem.lower()).strip("-")[:60] or "transcript"
    return f"{slug}-{hashlib.sha256(data).hexdigest()[:10]}{suffix}"


def install_admin(app: FastAPI, settings: Settings, holder: IndexHolder) -> None:
    token = settings.admin_token
    if not token:
        return
    folder = Path(settings.transcripts_dir)
    rebuilding = threading.Lock()

    def authorised(request: Request) -> bool:
        return bearer_ok(request, token)

    @app.post("/admin/transcripts", status_code=201, summary="Add a transcript (admin)")
    async def upload(request: Request, filename: Annotated[str, Query(min_length=1, max_length=200)]) -> Any:
        if not authorised(request):
            return unauthorised()
        data = await request.body()
        # Hashing and parsing 10 MB takes seconds of CPU: in a thread, so the event loop keeps answering.
        body, status = await run_in_threadpool(_store_upload, folder, filename, data)
        return JSONResponse(body, status_code=status)

    @app.post("/admin/rebuild", summary="Rebuild the index from the transcripts folder (admin)")
    async def rebuild(request: Request, force: Annotated[bool, Query(description="rebuild even when nothing changed")] = False) -> Any:
        if not authorised(request):
            return unauthorised()
        if not rebuilding.acquire(blocking=False):
            return error_response(409, "busy", "A rebuild is already running: wait for it to finish")
        try:
            report = await run_in_threadpool(_rebuild, settings, holder, force)
        finally:
            rebuilding.release()
        return {"build": report.build.name, "up_to_date": report.up_to_date, "repaired": without_paths(report.repaired) if report.repaired else None,
                "transcripts": report.transcripts, "embedded": report.embedded, "reused": report.reused,
                "removed": report.removed, "duplicates": [{"file": Path(d).name, "same_as": Path(o).name}
                                                          for d, o in report.duplicates],
                "skipped": [{"file": Path(f).name, "error": without_paths(e)} for f, e in report.skipped],
                "warnings": [without_paths(w) for w in report.unanswered], "seconds": round(report.seconds, 2)}


def _store_upload(folder: Path, filename: str, data: bytes) -> tuple[dict[str, Any], int]:
    """Parse first, then store under a name we make; the same bytes already stored are recognised, not stored twice."""
    name = stored_name(filename, data)
    transcript = parse_transcript_bytes(data, name=name)
    briefing = attribute_speakers(transcript)
    body = {"stored": name, "id": transcript.id, "format": transcript.format, "bytes": len(data),
            "exchanges": len(briefing.exchanges), **({"warning": why} if (why := briefing.unanswered()) else {})}
    folder.mkdir(parents=True, exist_ok=True)
    same = _same_content(folder, name, data)
    if same is not None:
        return {**body, "stored": same.name, "id": transcript_id(same), "duplicate": True}, 200
    target = (folder / name).resolve()
    if target.parent != folder.resolve():
        raise TranscriptError(f"Upload {filename[:80]!r} would land outside the transcripts folder: refused")
    tmp = target.with_name(f".{name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
    return {**body, "duplicate": False}, 201


def _same_content(folder: Path, name: str, data: bytes) -> Path | None:
    """A stored file with these bytes: its name carries the same content hash (stored_name puts it there)."""
    fragment = name.rsplit("-", 1)[-1].split(".")[0]
    for path in folder.glob(f"*-{fragment}.*"):
        if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
            return path
    return None


def _rebuild(settings: Settings, holder: IndexHolder, force: bool):
    embedder = holder.embedder or load_embedder(settings.embedder)
    report = build_index([Path(settings.transcripts_dir)], Path(settings.index_dir), embedder=embedder,
                         show_progress=False, force=force)
    holder.reload()  # the answer to this request already comes from the new build
    return report
