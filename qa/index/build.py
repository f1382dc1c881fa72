"""From transcript files to a sealed index build: only new or changed transcripts are parsed and embedded again."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from qa.speakers.attribution import attribute_speakers
from qa.index.background import background_vectors
from qa.index.chunking import EMBEDDED_KINDS, KINDS, PASSAGE, QUESTION, SENTENCE, AnswerRecord, Unit, chunk_briefing
from qa.search.crosslingual import DICTIONARY_VERSION, Glossary
from qa.search.reverse_glossary import ReverseGlossary
from qa.index.embedding import Embedder
from qa.errors import IndexUnavailable, QAError
from qa.faults import crash_point
from qa.index.lexical import LexicalIndex, TermMatrix, tokenize
from qa.lexicon import has_cjk
from qa.speakers.overrides import load_corrections, overrides_digest
from qa.index.store import (
    FORMAT_VERSION, UnitTable, build_lock, current_build, new_build_directory, prune_builds, record_from_json,
    record_to_json, seal_and_swap, sha256_file, verify_build, write_json,
)
from qa.ingest.transcripts import TRANSCRIPT_SUFFIXES, parse_transcript_bytes, transcript_id

CHUNKER_VERSION = 72  # bump whenever reading, attribution, chunking or tokenising changes: indexes then read their
# transcripts again and reuse the vectors of unchanged texts. What each version changed: `git log -G "^CHUNKER_VERSION"
# -- qa/index/build.py` (the commits say it; the list that stood here until 55 is in that history too).
PROGRESS_THRESHOLD = 300


@dataclass
class _Chunked:
    """One transcript's share of the index, as cached between builds."""

    info: dict
    lines: list[str]
    answers: list[AnswerRecord]
    units: list[Unit]
    vectors: np.ndarray | None = None


@dataclass
class BuildReport:
    build: Path
    transcripts: int
    embedded: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    answers: int = 0
    units: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    up_to_date: bool = False
    repaired: str | None = None  # why the live build was rebuilt although its sources had not changed
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, the file with the same content)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, why it could not be parsed)
    unanswered: list[str] = field(default_factory=list)  # why a file that parsed gave no answer to index

    def notes(self) -> list[str]:
        """One line for each thing the user should know beyond the counts: a repair, a duplicate, a skipped file."""
        lines = [f"repaired: the live build was damaged ({self.repaired})"] if self.repaired else []
        lines += [f"duplicate: {file} has the same content as {same}; indexed once" for file, same in self.duplicates]
        lines += [f"skipped {Path(file).name}: {error}" for file, error in self.skipped]
        lines += [f"warning: {why}" for why in self.unanswered]
        return lines


def collect_sources(paths: Sequence[Path]) -> list[Path]:
    """Transcript files named directly or found (recursively) in the folders named."""
    found: list[Path] = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in TRANSCRIPT_SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)))
        elif path.is_file():
            found.append(path)
        else:
            raise QAError(f"Transcript path '{path}' does not exist: pass transcript files or folders")
    if not found:
        joined = ", ".join(f"'{p}'" for p in paths)
        raise QAError(f"No transcripts found in {joined}: add .md, .txt, .vtt, .srt, .html, .pdf, .docx or .json files")
    return list(dict.fromkeys(p.resolve() for p in found))


def build_index(paths: Sequence[Path], root: Path, *, embedder: Embedder, show_progress: bool | None = None,
                force: bool = False) -> BuildReport:
    """Build beside the live index and swap it in; a no-op (the live build is reported) when nothing changed."""
    started = time.perf_counter()
    root = Path(root)
    sources = collect_sources(paths)
    with build_lock(root):
        crash_point("build:locked")
        prune_builds(root, stale_after_s=0)
        live, manifest = _live_manifest(root)
        digests = {path: sha256_file(path) for path in sources}
        fixes = {path: overrides_digest(path) for path in sources}
        sources, duplicates = _distinct(sources, digests)
        known_bad = _skipped_in(manifest, digests)
        repaired = None
        if not force and live is not None and _built_from(manifest, digests, fixes, embedder):
            repaired = _damage(live)
            if repaired is None:
                return BuildReport(build=live, transcripts=len(sources) - len(known_bad),
                                   reused=[transcript_id(p) for p in sources if str(p) not in known_bad],
                                   seconds=time.perf_counter() - started, up_to_date=True, duplicates=duplicates,
                                   skipped=sorted(known_bad.items()))
        previous = [s["path"] for s in manifest.get("sources", []) if isinstance(s, dict) and "path" in s]
        cache_dir = root / "cache"
        cache_dir.mkdir(parents=True, exist_ok=True)
        chunks: list[_Chunked] = []
        keys: list[str] = []
        report = BuildReport(build=root, transcripts=0, repaired=repaired, duplicates=duplicates)
        for path in sources:
            key = _cache_key(digests[path], embedder, fixes[path])
            cached = _load_cache(cache_dir, key, path)
            if cached is None:
                # Only a transcript not in the cache is read again; its key follows the bytes actually parsed.
                data = path.read_bytes()
                sha = hashlib.sha256(data).hexdigest()
                key = _cache_key(sha, embedder, fixes[path])
                try:
                    cached = _chunk(data, path, sha, embedder, fixes[path])
                except QAError as exc:  # one bad file is reported, not fatal to the others
                    report.skipped.append((str(path), exc.message))
                    continue
                except RecursionError:  # nesting no reader was written for: still this file's fault alone
                    report.skipped.append((str(path), f"Transcript '{path.name}' nests too deep to read: save its "
                                                      "text as a .txt file"))
                    continue
                crash_point(f"build:parsed:{len(chunks)}")
                report.embedded.append(cached.info["id"])
            else:
                report.reused.append(cached.info["id"])
            keys.append(key)
            chunks.append(cached)
            if why := cached.info.get("unanswered"):
                report.unanswered.append(why)
        if not chunks:
            raise QAError(f"No transcript could be parsed ({len(report.skipped)} tried); the first: "
                          f"{report.skipped[0][1] if report.skipped else 'none'}")
        report.transcripts = len(chunks)
        _unique_ids(chunks)
        _embed_missing(chunks, embedder, show_progress, known=_live_vectors(live, manifest, embedder))
        for number, (key, chunk) in enumerate(zip(keys, chunks)):
            _save_cache(cache_dir, key, chunk)
            crash_point(f"cache:saved:{number}")
        report.removed = sorted(set(previous) - {c.info["path"] for c in chunks})
        background = background_vectors(embedder, cache_dir)
        staging = new_build_directory(root)
        try:
            manifest, counts = _write_build(staging, chunks, embedder, background, cache_dir)
            manifest["skipped"] = [{"path": path, "sha256": digests[Path(path)], "error": error}
                                   for path, error in report.skipped]
            report.build = seal_and_swap(root, staging, manifest)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        crash_point("prune:before")
        prune_builds(root)
        _prune_cache(cache_dir, set(keys))
        crash_point("prune:after")
    report.answers = counts["answers"]
    report.units = {k: counts[k] for k in KINDS}
    report.seconds = time.perf_counter() - started
    return report


def _chunk(data: bytes, path: Path, sha: str, embedder: Embedder, fixes: str | None) -> _Chunked:
    transcript = parse_transcript_bytes(data, name=str(path))
    briefing = attribute_speakers(transcript, corrections=load_corrections(path))
    answers, units = chunk_briefing(briefing, count_tokens=embedder.token_count, max_tokens=embedder.max_tokens - 32)
    info = {
        "id": transcript.id, "title": transcript.title, "date": transcript.date, "path": str(path), "sha256": sha,
        "format": transcript.format, "encoding": transcript.encoding, "exchanges": len(briefing.exchanges),
        "speakers": [s.to_dict() for s in briefing.speakers], "overrides_sha256": fixes,
        **({"unanswered": why} if (why := briefing.unanswered()) else {}),
    }
    return _Chunked(info, transcript.lines, answers, units)


def _embedded(units: list[Unit]) -> list[Unit]:
    return [u for u in units if u.kind in EMBEDDED_KINDS]


def _live_vectors(live: Path | None, manifest: dict, embedder: Embedder) -> dict[str, np.ndarray]:
    """Text → vector from the live build and the one kept before it, so a change of parsing or chunking embeds only
    the texts it changed. Read from sealed builds' own files; anything unreadable just means embedding again."""
    if live is None:
        return {}
    known: dict[str, np.ndarray] = {}
    builds = sorted(p for p in live.parent.iterdir() if p.is_dir() and not p.name.endswith(".tmp"))
    for build in [*(b for b in builds if b != live), live]:  # the live build's vectors win
        try:
            if json.loads((build / "manifest.json").read_text(encoding="utf-8")).get("embedder") != embedder.id:
                continue
            units = json.loads((build / "records.json").read_text(encoding="utf-8"))["units"]
            for kind in EMBEDDED_KINDS:
                vectors = np.load(build / f"vectors-{kind}.npy", allow_pickle=False)
                texts = units[kind]["texts"]
                if len(texts) == len(vectors):
                    known.update(zip(texts, vectors))
        except (OSError, ValueError, KeyError, TypeError):
            continue
    return known


def _embed_missing(chunks: list[_Chunked], embedder: Embedder, show_progress: bool | None,
                   known: dict[str, np.ndarray] | None = None) -> None:
    pending = [c for c in chunks if c.vectors is None]
    if not pending:
        return
    known = known or {}
    all_texts = [u.text for c in pending for u in _embedded(c.units)]
    texts = list(dict.fromkeys(t for t in all_texts if t not in known))
    bar = None
    if show_progress is not False and len(texts) >= PROGRESS_THRESHOLD:
        from tqdm import tqdm

        bar = tqdm(total=len(texts), desc="embedding", unit="text", disable=None if show_progress is None else False)
    done = [0]

    def progress(count: float) -> None:
        before, done[0] = done[0], done[0] + count
        for mark in (1, 5, 12, 40):
            if before < mark <= done[0]:
                crash_point(f"embedding:{mark}")
        if bar:
            bar.update(count)

    try:
        fresh = embedder.embed_passages(texts, progress=progress) if texts else np.zeros((0, embedder.dimension))
    finally:
        if bar:
            bar.close()
    known = {**known, **dict(zip(texts, fresh))}
    for chunk in pending:
        embedded = [known[u.text] for u in _embedded(chunk.units)]
        chunk.vectors = (np.vstack(embedded).astype(np.float32) if embedded
                         else np.zeros((0, embedder.dimension), dtype=np.float32))


def _unique_ids(chunks: list[_Chunked]) -> None:
    """Two files with one name in different folders get -2, -3 … so citations stay unambiguous."""
    seen: dict[str, int] = {}
    for chunk in chunks:
        base = chunk.info["id"]
        seen[base] = seen.get(base, 0) + 1
        if seen[base] > 1:
            new_id = f"{base}-{seen[base]}"
            chunk.info["id"] = new_id
            chunk.answers = [_with_transcript(a, new_id) for a in chunk.answers]


def _with_transcript(record: AnswerRecord, new_id: str) -> AnswerRecord:
    return replace(record, transcript_id=new_id)


def _write_build(staging: Path, chunks: list[_Chunked], embedder: Embedder, background: np.ndarray,
                 cache_dir: Path) -> tuple[dict, dict]:
    answers: list[AnswerRecord] = []
    by_kind: dict[str, list[Unit]] = {k: [] for k in KINDS}
    vectors: dict[str, list[np.ndarray]] = {k: [] for k in EMBEDDED_KINDS}
    for chunk in chunks:
        offset = len(answers)
        answers.extend(chunk.answers)
        assert chunk.vectors is not None
        embedded = iter(chunk.vectors)
        for unit in chunk.units:
            by_kind[unit.kind].append(Unit(unit.answer + offset, unit.kind, unit.text, unit.line_start, unit.line_end))
            if unit.kind in EMBEDDED_KINDS:
                vectors[unit.kind].append(next(embedded))
    dimension = embedder.dimension
    records = {"answers": [record_to_json(a) for a in answers], "transcripts": [c.info for c in chunks], "units": {}}
    import faiss

    parents = _sentence_parents(by_kind[SENTENCE], by_kind[PASSAGE])
    for kind in KINDS:
        matrix = None
        if kind in EMBEDDED_KINDS:
            matrix = np.vstack(vectors[kind]) if vectors[kind] else np.zeros((0, dimension), dtype=np.float32)
        table = UnitTable.from_units(by_kind[kind], matrix, parents if kind == SENTENCE else None)
        if matrix is not None:
            np.save(staging / f"vectors-{kind}.npy", table.vectors, allow_pickle=False)
            crash_point(f"write:vectors-{kind}")
            faiss.write_index(table.faiss, str(staging / f"faiss-{kind}.index"))
            crash_point(f"write:faiss-{kind}")
        records["units"][kind] = {"texts": table.texts, "answers": table.answers.tolist(), "lines": table.lines.tolist(),
                                  "parents": parents.tolist() if kind == SENTENCE else None}
    np.save(staging / "vectors-background.npy", np.asarray(background, dtype=np.float32), allow_pickle=False)
    write_json(staging / "records.json", records)
    crash_point("write:records")
    LexicalIndex.build([u.text for u in by_kind[PASSAGE]]).save(staging / "bm25")
    LexicalIndex.build([u.text for u in by_kind[QUESTION]]).save(staging / "bm25-question")
    # Answers and the questions they follow in one index, one IDF: a turn of either kind competes with every other.
    LexicalIndex.build([u.text for u in by_kind[PASSAGE]] + [u.text for u in by_kind[QUESTION]]).save(staging / "bm25-turns")
    crash_point("write:bm25")
    sentence_texts = [u.text for u in by_kind[SENTENCE]]
    TermMatrix.build(sentence_texts).save(staging)
    crash_point("write:terms")
    corpus_has_cjk = any(has_cjk(a.text[:200]) for a in answers)
    bigrams = {t for text in sentence_texts for t in tokenize(text)} if corpus_has_cjk else set()
    write_json(staging / "glossary.json", Glossary.for_corpus(bigrams, cache_dir=cache_dir).entries if bigrams else {})
    # The English the transcripts say, in answers and in the questions put to them ("The smoke is terrible in Bend
    # today…"): a Chinese question's 烟雾 reaches 'smoke' when only a reporter said it.
    english = {t for text in [*sentence_texts, *(u.text for u in by_kind[QUESTION])] for t in tokenize(text)
               if t.isascii() and t[0].isalpha()}
    corpus_has_english = any(not has_cjk(a.text[:200]) for a in answers)
    write_json(staging / "glossary-zh.json", ReverseGlossary.for_corpus(english).to_json() if corpus_has_english else {})
    crash_point("write:glossary")
    (staging / "transcripts").mkdir()
    for chunk in chunks:
        (staging / "transcripts" / f"{chunk.info['id']}.txt").write_text("\n".join(chunk.lines), encoding="utf-8")
    counts = {"transcripts": len(chunks), "answers": len(answers), **{k: len(by_kind[k]) for k in KINDS}}
    manifest = {
        "embedder": embedder.id,
        "dimension": dimension,
        "counts": counts,
        "sources": [{k: c.info.get(k) for k in ("id", "path", "sha256", "overrides_sha256", "format", "title", "date")}
                    for c in chunks],
        "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "chunker_version": CHUNKER_VERSION,
        "dictionary_version": DICTIONARY_VERSION,
    }
    return manifest, counts


def _sentence_parents(sentences: list[Unit], passages: list[Unit]) -> np.ndarray:
    """The passage each sentence stands in (same answer, text inside it): highlights pick sentences of the best passage."""
    parents = np.full(len(sentences), -1, dtype=np.int32)
    by_answer: dict[int, list[int]] = {}
    for i, passage in enumerate(passages):
        by_answer.setdefault(passage.answer, []).append(i)
    for i, sentence in enumerate(sentences):
        candidates = by_answer.get(sentence.answer, [])
        probe = sentence.text[:30]
        parents[i] = next((p for p in candidates if probe in passages[p].text),
                          next((p for p in candidates if passages[p].line_start <= sentence.line_start <= passages[p].line_end),
                               candidates[0] if candidates else -1))
    return parents


def _cache_key(sha: str, embedder: Embedder, fixes: str | None = None) -> str:
    """The transcript's bytes, its speaker corrections (a changed correction must rebuild), embedder, chunker."""
    return f"{sha[:40]}{'-' + fixes[:12] if fixes else ''}-{_slug(embedder.id)}-v{CHUNKER_VERSION}"


def _live_manifest(root: Path) -> tuple[Path | None, dict]:
    """The live build and its manifest, read once per build; ({}) when there is none or it cannot be read."""
    directory = current_build(root)
    try:
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8")) if directory else {}
    except (OSError, ValueError):
        return None, {}
    return (directory, manifest) if isinstance(manifest, dict) else (None, {})


def _built_from(manifest: dict, digests: dict[Path, str], fixes: dict[Path, str | None], embedder: Embedder) -> bool:
    """Whether the live build was made from exactly these files' contents (the ones it indexed, the ones it skipped
    as unparseable) and speaker corrections, with this embedder, chunker, index format and glossary dictionary;
    duplicates of an indexed file count as built from."""
    if manifest.get("embedder") != embedder.id or manifest.get("chunker_version") != CHUNKER_VERSION \
            or manifest.get("format_version") != FORMAT_VERSION:
        return False
    if manifest.get("dictionary_version", 1) != DICTIONARY_VERSION:  # builds before it was recorded: version 1
        return False  # the glossaries are rewritten from the cached transcripts: nothing is embedded again
    entries = [s for key in ("sources", "skipped") for s in manifest.get(key) or [] if isinstance(s, dict)]
    built = {(s.get("path"), s.get("sha256")) for s in entries}
    if not built <= {(str(p), sha) for p, sha in digests.items()}:
        return False
    if {sha for _, sha in built} != set(digests.values()):
        return False
    return all(s.get("overrides_sha256") == fixes.get(Path(s["path"]))
               for s in manifest.get("sources") or [] if isinstance(s, dict) and "path" in s)


def _damage(build: Path) -> str | None:
    """Why the live build cannot be trusted (a file truncated, modified or missing), or None when it is whole."""
    try:
        verify_build(build)
    except IndexUnavailable as exc:
        return exc.message
    return None


def _distinct(sources: list[Path], digests: dict[Path, str]) -> tuple[list[Path], list[tuple[str, str]]]:
    """One file per content: the same bytes under another name would put the same answer in the top-k twice."""
    first: dict[str, Path] = {}
    duplicates = []
    for path in sources:
        seen = first.setdefault(digests[path], path)
        if seen is not path:
            duplicates.append((str(path), str(seen)))
    return list(first.values()), duplicates


def _skipped_in(manifest: dict, digests: dict[Path, str]) -> dict[str, str]:
    """Files the live build could not parse and that are still the same bytes: {path: error}."""
    current = {str(p): sha for p, sha in digests.items()}
    return {s["path"]: s.get("error", "") for s in manifest.get("skipped") or []
            if isinstance(s, dict) and current.get(s.get("path")) == s.get("sha256")}


def _load_cache(cache_dir: Path, key: str, path: Path) -> _Chunked | None:
    meta, arrays = cache_dir / f"{key}.json", cache_dir / f"{key}.npy"
    try:
        data = json.loads(meta.read_text(encoding="utf-8"))
        vectors = np.load(arrays, allow_pickle=False)
        units = [Unit(u[1], u[0], u[2], u[3], u[4]) for u in data["units"]]
        if len(_embedded(units)) != len(vectors):
            return None
        info = {**data["info"], "path": str(path), "id": transcript_id(path)}
        answers = [_with_transcript(record_from_json(a), info["id"]) for a in data["answers"]]
        return _Chunked(info, data["lines"], answers, units, vectors)
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None


def _save_cache(cache_dir: Path, key: str, chunk: _Chunked) -> None:
    meta, arrays = cache_dir / f"{key}.json", cache_dir / f"{key}.npy"
    if meta.exists() and arrays.exists():
        return
    tmp = cache_dir / f".{key}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        np.save(fh, np.asarray(chunk.vectors, dtype=np.float32), allow_pickle=False)
    os.replace(tmp, arrays)
    payload = {"info": chunk.info, "lines": chunk.lines, "answers": [record_to_json(a) for a in chunk.answers],
               "units": [[u.kind, u.answer, u.text, u.line_start, u.line_end] for u in chunk.units]}
    tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, meta)


def _prune_cache(cache_dir: Path, keep: Iterable[str]) -> None:
    keep = set(keep)
    for path in cache_dir.iterdir():
        if path.name.startswith(("background-", "cedict-")):
            continue
        if path.name.split(".")[0] not in keep:
            path.unlink(missing_ok=True)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-")[:40] + "-" + hashlib.sha1(text.encode()).hexdigest()[:8]
