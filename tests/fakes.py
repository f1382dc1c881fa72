"""A small deterministic embedder for fast tests: hashed character bigrams, so similar text gets similar vectors."""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

from qa.index.lexical import tokenize


class HashEmbedder:
    max_tokens = 512

    def __init__(self, dimension: int = 64, ident: str = "fake:hash-bigrams") -> None:
        self._dimension = dimension
        self.id = ident
        self.calls = 0

    @property
    def dimension(self) -> int:
        return self._dimension

    def _vector(self, text: str) -> np.ndarray:
        v = np.zeros(self._dimension, dtype=np.float32)
        for token in tokenize(text) or [text]:
            h = int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")
            v[h % self._dimension] += 1.0 if (h >> 32) & 1 else -1.0
        norm = np.linalg.norm(v)
        return v / norm if norm else v + 1.0 / np.sqrt(self._dimension)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.vstack([self._vector(t) for t in texts])

    def embed_passages(self, texts: Sequence[str], *, progress=None) -> np.ndarray:
        self.calls += len(texts)
        if progress:
            progress(len(texts))
        return np.vstack([self._vector(t) for t in texts]) if texts else np.zeros((0, self._dimension), np.float32)

    def token_count(self, text: str) -> int:
        return len(text) + 2


def briefing_app(folder, **settings):
    """The web app over the bundled briefing, indexed with HashEmbedder in folder: (app, transcripts dir, index dir)."""
    import shutil

    from qa.index.build import build_index
    from qa.settings import Settings
    from web.app import create_app
    from web.state import IndexHolder

    from .conftest import BRIEFING

    corpus = folder / "transcripts"
    corpus.mkdir(exist_ok=True)
    shutil.copy(BRIEFING, corpus)
    root = folder / "index"
    build_index([corpus], root, embedder=HashEmbedder())
    config = Settings.from_env({}, index_dir=root, transcripts_dir=corpus, **settings)
    app = create_app(config, holder=IndexHolder(root, embedder=HashEmbedder(), check_interval=0.0))
    return app, corpus, root


def indexed(tmp_path, files: dict[str, str]):
    """A Retriever over an index of these transcripts ({file name: text}) built with the fake embedder."""
    from qa.index.build import build_index
    from qa.index.store import load_index
    from qa.search.retrieval import Retriever

    folder = tmp_path / "transcripts"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    build_index([folder], tmp_path / "index", embedder=HashEmbedder())
    return Retriever(load_index(tmp_path / "index"), embedder=HashEmbedder())
