"""The index on disk: a directory per build with a manifest of hashed files, built beside the live one, then swapped in."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import numpy as np

from qa.index.chunking import EMBEDDED_KINDS, KINDS, AnswerRecord, Unit
from qa.search.crosslingual import Glossary
from qa.search.reverse_glossary import ReverseGlossary
from qa.errors import IndexUnavailable, QAError
from qa.faults import crash_point
from qa.index.lexical import LexicalIndex, TermMatrix
from qa.speakers.roster import Speaker

FORMAT_VERSION = 3  # 2: BM25 over the reporters' questions (bm25-question/), glossary-zh.json; 3: bm25-turns/
CURRENT = "CURRENT"
BUILDS = "builds"


@dataclass
class UnitTable:
    """All units of one kind: texts, owning answers, line spans and, for embedded kinds, vectors and a FAISS index."""

    texts: list[str]
    answers: np.ndarray
    lines: np.ndarray
    vectors: np.ndarray | None = None
    faiss: object = field(default=None, repr=False)
    parents: np.ndarray | None = None

    @classmethod
    def from_units(cls, units: list[Unit], vectors: np.ndarray | None, parents: np.ndarray | None = None) -> "UnitTable":
        index = None
        if vectors is not None:
            import faiss

            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
            index = faiss.IndexFlatIP(vectors.shape[1])
            if len(units):
                index.add(vectors)
        return cls(
            texts=[u.text for u in units],
            answers=np.array([u.answer for u in units], dtype=np.int32),
            lines=np.array([[u.line_start, u.line_end] for u in units], dtype=np.int32).reshape(-1, 2),
            vectors=vectors,
            faiss=index,
            parents=parents,
        )


@dataclass
class Index:
    """A loaded, verified build: read-only, safe to share between threads."""

    root: Path
    directory: Path
    manifest: dict
    answers: list[AnswerRecord]
    transcripts: dict[str, dict]
    tables: dict[str, UnitTable]
    lexical: LexicalIndex
    question_lexical: LexicalIndex
    turn_lexical: LexicalIndex
    terms: TermMatrix
    glossary: Glossary
    background: np.ndarray
    reverse_glossary: ReverseGlossary

    @property
    def embedder_id(self) -> str:
        return self.manifest["embedder"]

    @property
    def build_id(self) -> str:
        return self.directory.name

    @property
    def roster(self) -> list[Speaker]:
        """Everyone the transcripts' rosters name — hosts and questioners too, who answer nothing."""
        return [Speaker(**s) for info in self.transcripts.values() for s in info.get("speakers", ())]

    def transcript_lines(self, transcript_id: str) -> list[str]:
        path = self.directory / "transcripts" / f"{transcript_id}.txt"
        try:
            return path.read_text(encoding="utf-8").split("\n")
        except OSError as exc:  # the build's folder was moved or pruned under a server still answering from memory
            raise IndexUnavailable(f"Build '{self.directory.name}' lost its copy of transcript '{transcript_id}' "
                                   f"({exc.strerror}): rebuild the index with `qa build`") from None


def current_build(root: Path) -> Path | None:
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise IndexUnavailable(f"Index directory '{root}' is a file, not a folder: pass --index the folder "
                               "`qa build` made") from None
    return root / BUILDS / name if name else None


def load_index(root: Path) -> Index:
    """Load the live build, refusing loudly anything missing, truncated, tampered with or foreign."""
    root = Path(root)
    directory = current_build(root)
    if directory is None:
        raise IndexUnavailable(f"No index in '{root}': build one with `qa build` (or pass --index DIR)")
    if not directory.is_dir():
        raise IndexUnavailable(f"Index '{root}' points to a missing build '{directory.name}': rebuild with `qa build`")
    manifest = _read_manifest(directory)
    _verify_files(directory, manifest)
    try:
        return _load_verified(root, directory, manifest)
    except (OSError, ValueError, KeyError, json.JSONDecodeError) as exc:
        raise IndexUnavailable(f"Index build '{directory}' cannot be read ({type(exc).__name__}): rebuild with `qa build`") from None


def verify_build(directory: Path) -> None:
    """Raise IndexUnavailable unless every file of the build has its manifest's size and SHA-256 (what `qa build`
    checks before it calls a build up to date, so that a damaged live build is rebuilt, not trusted)."""
    _verify_files(directory, _read_manifest(directory))


def _read_manifest(directory: Path) -> dict:
    path = directory / "manifest.json"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexUnavailable(f"Index build '{directory}' has no manifest.json: it is truncated; rebuild with `qa build`") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise IndexUnavailable(f"Index build '{directory}' has an unreadable manifest.json: rebuild with `qa build`") from None
    if not isinstance(manifest, dict) or manifest.get("format") != "briefing-qa-index":
        raise IndexUnavailable(f"'{directory}' is not a Briefing QA index (foreign manifest.json): point --index at one, or rebuild with `qa build`")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise IndexUnavailable(
            f"Index build '{directory}' has format version {manifest.get('format_version')}, this release reads "
            f"{FORMAT_VERSION}: rebuild with `qa build`"
        )
    return manifest


def _verify_files(directory: Path, manifest: dict) -> None:
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise IndexUnavailable(f"Index build '{directory}' lists no files in its manifest: rebuild with `qa build`")
    for name, expected in files.items():
        path = directory / name
        if not path.is_file():
            raise IndexUnavailable(f"Index file '{path}' is missing: the build is truncated; rebuild with `qa build`")
        if path.stat().st_size != expected["bytes"] or sha256_file(path) != expected["sha256"]:
            raise IndexUnavailable(f"Index file '{path}' does not match its manifest (truncated or modified): rebuild with `qa build`")


def _load_verified(root: Path, directory: Path, manifest: dict) -> Index:
    import faiss

    data = json.loads((directory / "records.json").read_text(encoding="utf-8"))
    answers = [record_from_json(r) for r in data["answers"]]
    tables = {}
    for kind in KINDS:
        units = data["units"][kind]
        table = UnitTable(
            texts=units["texts"],
            answers=np.asarray(units["answers"], dtype=np.int32),
            lines=np.asarray(units["lines"], dtype=np.int32).reshape(-1, 2),
            parents=np.asarray(units["parents"], dtype=np.int32) if units.get("parents") is not None else None,
        )
        if kind in EMBEDDED_KINDS:
            table.vectors = np.load(directory / f"vectors-{kind}.npy", allow_pickle=False)
            table.faiss = faiss.read_index(str(directory / f"faiss-{kind}.index"))
            if table.faiss.ntotal != len(table.texts) or len(table.vectors) != len(table.texts):
                raise ValueError(f"{kind} count mismatch")
        tables[kind] = table
    return Index(
        root=root,
        directory=directory,
        manifest=manifest,
        answers=answers,
        transcripts={t["id"]: t for t in data["transcripts"]},
        tables=tables,
        lexical=LexicalIndex.load(directory / "bm25", size=len(tables["passage"].texts)),
        question_lexical=LexicalIndex.load(directory / "bm25-question", size=len(tables["question"].texts)),
        turn_lexical=LexicalIndex.load(directory / "bm25-turns",
                                       size=len(tables["passage"].texts) + len(tables["question"].texts)),
        terms=TermMatrix.load(directory),
        glossary=Glossary(json.loads((directory / "glossary.json").read_text(encoding="utf-8"))),
        background=np.load(directory / "vectors-background.npy", allow_pickle=False),
        reverse_glossary=ReverseGlossary(json.loads((directory / "glossary-zh.json").read_text(encoding="utf-8"))),
    )


def record_to_json(r: AnswerRecord) -> dict:
    return {
        "transcript_id": r.transcript_id, "exchange": r.exchange, "speaker": r.speaker.to_dict(), "text": r.text,
        "line_start": r.line_start, "line_end": r.line_end, "question": r.question,
        "question_lines": list(r.question_lines) if r.question_lines else None, "evidence": r.evidence,
        "confidence": r.confidence, "time": r.time, "questioner": r.questioner, "role": r.role,
    }


def record_from_json(d: dict) -> AnswerRecord:
    return AnswerRecord(
        transcript_id=d["transcript_id"], exchange=d["exchange"], speaker=Speaker(**d["speaker"]), text=d["text"],
        line_start=d["line_start"], line_end=d["line_end"], question=d["question"],
        question_lines=tuple(d["question_lines"]) if d["question_lines"] else None, evidence=d["evidence"],
        confidence=d["confidence"], time=d.get("time"), questioner=d.get("questioner"), role=d.get("role", "official"),
    )


# -- writing a build -------------------------------------------------------------------------------------------

@contextlib.contextmanager
def build_lock(root: Path) -> Iterator[None]:
    """One build at a time per index root; a second waits rather than racing the swap."""
    try:
        root.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise QAError(f"Index directory '{root}' is a file, not a folder: pass --index a folder (new or an index's)") from None
    except OSError as exc:
        raise QAError(f"Index directory '{root}' cannot be created ({exc.strerror}): pass --index a writable folder") from None
    with open(root / ".build.lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_build_directory(root: Path) -> Path:
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S%f")
    path = root / BUILDS / f"{stamp}-{uuid.uuid4().hex[:8]}.tmp"
    path.mkdir(parents=True)
    return path


def write_json(path: Path, value: object) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")


def seal_and_swap(root: Path, staging: Path, manifest: dict) -> Path:
    """Hash and fsync every file, write the manifest, rename the build into place, then atomically repoint CURRENT."""
    files = {}
    for path in sorted(p for p in staging.rglob("*") if p.is_file()):
        _fsync_file(path)
        files[path.relative_to(staging).as_posix()] = {"bytes": path.stat().st_size, "sha256": sha256_file(path)}
    crash_point("seal:hashed")
    manifest = {**manifest, "format": "briefing-qa-index", "format_version": FORMAT_VERSION, "files": files}
    manifest_path = staging / "manifest.json"
    write_json(manifest_path, manifest)
    _fsync_file(manifest_path)
    _fsync_dir(staging)
    crash_point("seal:manifest")
    final = staging.with_name(staging.name.removesuffix(".tmp"))
    os.rename(staging, final)
    _fsync_dir(final.parent)
    crash_point("swap:renamed")
    pointer = root / f"{CURRENT}.tmp"
    pointer.write_text(final.name + "\n", encoding="utf-8")
    _fsync_file(pointer)
    crash_point("swap:before-pointer")
    os.replace(pointer, root / CURRENT)
    crash_point("swap:after-pointer")
    _fsync_dir(root)
    crash_point("swap:synced")
    return final


def prune_builds(root: Path, *, keep: int = 2, stale_after_s: float = 0) -> None:
    """Keep the live build and the one before it (a server may still be reading it); drop abandoned staging dirs."""
    builds = root / BUILDS
    if not builds.is_dir():
        return
    live = current_build(root)
    finished = sorted((p for p in builds.iterdir() if p.is_dir() and not p.name.endswith(".tmp")), key=lambda p: p.name)
    keepers = {p for p in finished[-keep:]} | ({live} if live else set())
    for path in builds.iterdir():
        stale = path.name.endswith(".tmp") and time.time() - path.stat().st_mtime >= stale_after_s
        if path.is_dir() and ((not path.name.endswith(".tmp") and path not in keepers) or stale):
            shutil.rmtree(path, ignore_errors=True)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _fsync_file(path: Path) -> None:
    with open(path, "rb") as fh:
        os.fsync(fh.fileno())


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
