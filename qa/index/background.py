"""Everyday statements that no briefing answers: a question closer to these than to the transcripts is out of corpus."""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path

import numpy as np

from qa.index.embedding import Embedder

DATA = Path(__file__).resolve().parent.parent / "data"
SENTENCES = DATA / "background.txt"


def background_sentences() -> list[str]:
    lines = SENTENCES.read_text(encoding="utf-8").split("\n")
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def _fingerprint() -> str:
    return hashlib.sha256(SENTENCES.read_bytes()).hexdigest()


def shipped_path(embedder_id: str) -> Path:
    return DATA / f"background-{re.sub(r'[^A-Za-z0-9]+', '-', embedder_id).strip('-')}.npy"


def background_vectors(embedder: Embedder, cache_dir: Path) -> np.ndarray:
    """Shipped vectors for the bundled model, else embedded once per embedder and kept in the index cache."""
    fingerprint = _fingerprint()
    shipped = shipped_path(embedder.id)
    sidecar = shipped.with_suffix(".json")
    if shipped.exists() and sidecar.exists() and json.loads(sidecar.read_text())["sha256"] == fingerprint:
        return np.load(shipped, allow_pickle=False)
    cached = cache_dir / f"{shipped.stem}-{fingerprint[:12]}.npy"
    if cached.exists():
        return np.load(cached, allow_pickle=False)
    vectors = embedder.embed_passages(background_sentences())
    tmp = cached.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        np.save(fh, vectors, allow_pickle=False)
    os.replace(tmp, cached)
    return vectors


def write_shipped(embedder: Embedder) -> Path:
    """Regenerate the shipped vectors (scripts/make_background.py) after editing background.txt."""
    path = shipped_path(embedder.id)
    np.save(path, embedder.embed_passages(background_sentences()), allow_pickle=False)
    path.with_suffix(".json").write_text(json.dumps({"embedder": embedder.id, "sha256": _fingerprint()}) + "\n")
    return path
