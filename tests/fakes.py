"""A small deterministic embedder for fast tests: hashed character bigrams, so similar text gets similar vectors."""

from __future__ import annotations

import hashlib
from typing import Sequence

import numpy as np

from qa.lexical import tokenize


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
