"""The admin page: upload any supported transcript, preview its parse, correct speakers, store, rebuild with
progress, list and delete. Exists only when QA_ADMIN_TOKEN is set; every data route wants the same bearer token
as the admin API (the page itself is an empty shell that asks for the token and keeps it in sessionStorage)."""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.templating import Jinja2Templates

from qa.speakers.attribution import attribute_speakers
from qa.index.build import build_index
from qa.index.embedding import load_embedder
from qa.errors import BadFileName, NotFound, QAError
from qa.speakers.overrides import SUFFIX as OVERRIDES_SUFFIX
from qa.speakers.overrides import corrections_from_dict, overrides_path
from qa.serialize import briefing_to_dict
from qa.settings import Settings
from qa.ingest.transcripts import TRANSCRIPT_SUFFIXES, parse_transcript_bytes

from .admin import stored_name
from .auth import bearer_ok, unauthorised
from .state import IndexHolder

HERE = Path(__file__).resolve().parent
LOW_CONFIDENCE = 0.6
MAX_JOBS_KEPT = 20


@dataclass
class RebuildJob:
    id: str
    state: str = "queued"  # queued → embedding → done | failed
    done: int = 0
    total: int = 0
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    result: dict[str, Any] | None = None
    error: str | None = None

    def to_dict(self) -> dict[str, Any]:
        end = self.finished or time.monotonic()
        return {"id": self.id, "state": self.state, "done": self.done, "total": self.total,
                "seconds": round(end - self.started, 2), "result": self.result, "error": self.error}


class _CountingEmbedder:
    """The serving embedder, counting passages as they are embedded so the page can show progress."""

    def __init__(self, inner, job: RebuildJob) -> None:
        self._inner, self._job = inner, job

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def embed_passages(self, texts, *, progress=None):
        self._job.state, self._job.total = "embedding", len(texts)

        def counted(count: float) -> None:
            self._job.done = min(self._job.total, self._job.done + int(count))
            if progress:
                progress(count)

        vectors = self._inner.embed_passages(texts, progress=counted)
        self._job.done = self._job.total
        return vectors


class RebuildJobs:
    """One rebuild at a time, in a background thread; a request while one runs gets that job back."""

    def __init__(self, settings: Settings, holder: IndexHolder) -> None:
        self.settings, self.holder = settings, holder
        self.jobs: dict[str, RebuildJob] = {}
        self._lock = threading.Lock()

    def start(self) -> RebuildJob:
        with self._lock:
            running = next((j for j in self.jobs.values() if j.finished is None), None)
            if running is not None:
                return running
            job = RebuildJob(uuid.uuid4().hex[:12])
            self.jobs[job.id] = job
            for old in list(self.jobs)[:-MAX_JOBS_KEPT]:
                del self.jobs[old]
        threading.Thread(target=self._run, args=(job,), name=f"rebuild-{job.id}", daemon=True).start()
        return job

    def _run(self, job: RebuildJob) -> None:
        try:
            embedder = self.holder.embedder or load_embedder(self.settings.embedder)
            report = build_index([Path(self.settings.transcripts_dir)], Path(self.settings.index_dir),
                                 embedder=_CountingEmbedder(embedder, job), show_progress=False)
            job.result = {"build": report.build.name, "up_to_date": report.up_to_date, "transcripts": report.transcripts,
                          "embedded": report.embedded, "removed": report.removed,
                          "skipped": [Path(f).name for f, _ in report.skipped], "warnings": report.unanswered}
            job.state = "done"
        except QAError as exc:
            job.state, job.error = "failed", exc.message
        except Exception as exc:  # reported to the page; the live index is untouched by a failed build
            job.state, job.error = "failed", f"Rebuild failed ({type(exc).__name__}: {exc}): see the server log"
        finally:
            job.finished = time.monotonic()


def install_admin_page(app: FastAPI, settings: Settings, holder: IndexHolder) -> None:
    token = settings.admin_token
    if not token:
        return
    folder = Path(settings.transcripts_dir)
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    jobs = RebuildJobs(settings, holder)

    def authorised(request: Request) -> bool:
        return bearer_ok(request, token)

    @app.get("/admin", response_class=HTMLResponse, include_in_schema=False)
    def admin_page(request: Request) -> Any:
        return templates.TemplateResponse(request, "admin.html", {"max_upload": settings.max_upload_bytes,
                                                                  "suffixes": ",".join(TRANSCRIPT_SUFFIXES)})

    @app.post("/admin/preview", summary="Parse an upload without storing it (admin)")
    async def preview(request: Request, filename: Annotated[str, Query(min_length=1, max_length=200)],
                      corrections: Annotated[str | None, Query(max_length=20_000)] = None) -> Any:
        if not authorised(request):
            return unauthorised()
        check_upload_name(filename)
        data = await request.body()
        return await run_in_threadpool(preview_body, data, filename, corrections)

    @app.get("/admin/transcripts", summary="Transcripts in the folder, and whether the live index holds them (admin)")
    def listing(request: Request) -> Any:
        if not authorised(request):
            return unauthorised()
        try:
            indexed = {Path(t["path"]).name: t for t in holder.get().retriever.index.transcripts.values()}
        except QAError:
            indexed = {}
        files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
                       and not p.name.startswith(".")) if folder.is_dir() else []
        return {"transcripts": [{"name": p.name, "bytes": p.stat().st_size, "corrected": overrides_path(p).exists(),
                                 "indexed": p.name in indexed, "id": indexed.get(p.name, {}).get("id"),
                                 "title": indexed.get(p.name, {}).get("title"),
                                 "exchanges": indexed.get(p.name, {}).get("exchanges")} for p in files]}

    @app.put("/admin/transcripts/{name}/speakers", summary="Write a transcript's speaker corrections (admin)")
    async def put_corrections(request: Request, name: str) -> Any:
        if not authorised(request):
            return unauthorised()
        target = transcript_file(folder, name)
        try:
            body = json.loads(await request.body() or b"{}")
        except (ValueError, RecursionError):  # nesting past Python's stack was a 500
            raise QAError(f"Speaker corrections for '{name}' are not JSON of a usable depth: send {{\"answer\": [...], \"label\": [...]}}") from None
        if not isinstance(body, dict):
            raise QAError(f"Speaker corrections for '{name}' must be a JSON object with 'answer' and 'label' lists")
        fixes = corrections_from_dict(body, name=name)
        briefing = await run_in_threadpool(lambda: attribute_speakers(
            parse_transcript_bytes(target.read_bytes(), name=target.name), corrections=fixes))
        path = overrides_path(target)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(fixes.to_toml(), encoding="utf-8")
        os.replace(tmp, path)
        return {"stored": path.name, "answers": len(fixes.answers), "labels": len(fixes.labels),
                "exchanges": len(briefing.exchanges)}

    @app.delete("/admin/transcripts/{name}", summary="Delete a transcript and its corrections (admin)")
    def delete(request: Request, name: str) -> Any:
        if not authorised(request):
            return unauthorised()
        target = transcript_file(folder, name)
        target.unlink()
        overrides_path(target).unlink(missing_ok=True)
        return {"deleted": name, "rebuild": "POST /admin/rebuild-jobs to drop it from the index"}

    @app.post("/admin/rebuild-jobs", status_code=202, summary="Start a rebuild; poll its progress (admin)")
    def start_rebuild(request: Request) -> Any:
        if not authorised(request):
            return unauthorised()
        return JSONResponse(jobs.start().to_dict(), status_code=202)

    @app.get("/admin/rebuild-jobs/{job_id}", summary="A rebuild's progress (admin)")
    def rebuild_status(request: Request, job_id: str) -> Any:
        if not authorised(request):
            return unauthorised()
        job = jobs.jobs.get(job_id)
        if job is None:
            raise NotFound(f"No rebuild job {job_id[:40]!r}: start one with POST /admin/rebuild-jobs")
        return job.to_dict()


def check_upload_name(filename: str) -> None:
    """A client's file name is only ever a hint (the stored name is made by the server), but one with a path or a NUL
    in it is a mistake or an attack: refuse it, naming it."""
    if any(c in filename for c in "/\\\x00") or filename.strip(". ") == "":
        raise BadFileName(f"File name {filename[:80]!r} has a path separator, a NUL or no name: upload the file under "
                          "its plain name (e.g. briefing.pdf)")
    if Path(filename).suffix.lower() not in TRANSCRIPT_SUFFIXES:
        raise BadFileName(f"File name {filename[:80]!r} has no transcript suffix: use one of {', '.join(TRANSCRIPT_SUFFIXES)}")


def transcript_file(folder: Path, name: str) -> Path:
    """The named file directly inside the transcripts folder, or an error: nothing outside it can be touched."""
    check_upload_name(name)
    if name.startswith(".") or name.endswith(OVERRIDES_SUFFIX):
        raise BadFileName(f"File name {name[:80]!r} is not a transcript: pass a name listed by GET /admin/transcripts")
    target = (folder / name).resolve()
    if target.parent != folder.resolve() or not target.is_file():
        raise NotFound(f"No transcript {name[:80]!r} in the transcripts folder: see GET /admin/transcripts")
    return target


def preview_body(data: bytes, filename: str, corrections: str | None) -> dict[str, Any]:
    """The parse the index would get, with each answer's evidence, confidence and whether it needs a look."""
    name = stored_name(filename, data)
    fixes = None
    if corrections:
        try:
            raw = json.loads(corrections)
        except (ValueError, RecursionError):
            raise QAError("Preview corrections are not JSON of a usable depth: send {\"answer\": [...], \"label\": [...]}") from None
        if not isinstance(raw, dict):
            raise QAError("Preview corrections must be a JSON object with 'answer' and 'label' lists")
        fixes = corrections_from_dict(raw, name=filename)
    transcript = parse_transcript_bytes(data, name=filename)
    briefing = attribute_speakers(transcript, corrections=fixes)
    body = briefing_to_dict(briefing)
    for exchange in body["exchanges"]:
        main = 0
        for answer in exchange["answers"]:
            answer["low"] = answer["confidence"] < LOW_CONFIDENCE
            answer["answer_index"] = main if answer["kind"] == "answer" else None
            main += answer["kind"] == "answer"
            answer["text"] = answer["text"][:600]
    body["transcript"].update(layout=transcript.layout, stored_as=name, bytes=len(data))
    body["low_confidence"] = sum(a["low"] for e in body["exchanges"] for a in e["answers"])
    body["warning"] = briefing.unanswered()
    body.pop("remarks", None)
    return body
