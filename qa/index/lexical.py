"""Lexical side of retrieval: tokens (CJK bigrams, English words), BM25 over passages, term coverage of sentences."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Sequence

import numpy as np

from qa.lexicon import normalize, simplified

_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+(?:[.,][0-9]+)*%?")
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}")
STOPWORDS_EN = frozenset(
    """a an the of to in on for and or is are was were be been do does did what which who whom how why when where
    that this these those it its with by as at from about into than then there their they we you your our i me my
    has have had can could would should will shall may might much many any some did say said tell""".split()
)


def tokenize(text: str) -> list[str]:
    """CJK runs become character bigrams (robust to unsegmented text); English words lose case, stopwords and plural -s."""
    tokens: list[str] = []
    # "U.K." is the "UK" a question says; 會議 the 会议 (traditional characters are matched as simplified)
    text = _DOTTED.sub(lambda m: m.group().replace(".", ""), simplified(normalize(text)))
    for m in _RUNS.finditer(text.lower()):
        run = m.group()
        if "\u3400" <= run[0] <= "\u9fff" or "\uf900" <= run[0] <= "\ufaff":
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1)) if len(run) > 1 else tokens.append(run)
        elif run not in STOPWORDS_EN:
            tokens.append(stem(run))
    return tokens


def stem(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


class LexicalIndex:
    """BM25 over token lists (bm25s sparse matrices); scores for every document of one query at once."""

    def __init__(self, bm25: object, vocab: dict[str, int], size: int) -> None:
        self._bm25 = bm25
        self._vocab = vocab
        self.size = size

    @classmethod
    def build(cls, texts: Sequence[str]) -> "LexicalIndex":
        import bm25s

        # bm25s cannot index nothing: an empty corpus gets one empty document and reports size 0.
        corpus = [tokenize(t) or [""] for t in texts] or [[""]]
        bm25 = bm25s.BM25()
        bm25.index(corpus, show_progress=False)
        return cls(bm25, bm25.vocab_dict, len(texts))

    def scores(self, query: str) -> np.ndarray:
        ids = [self._vocab[t] for t in tokenize(query) if t in self._vocab and t != ""]
        if not ids or self.size == 0:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._bm25.get_scores_from_ids(ids), dtype=np.float32)

    def known_share(self, concepts: Sequence[Sequence[Alternative]]) -> float:
        """The share of the question's concepts this index has words for at all, in any wording: a question about
        what the transcripts never mention scores low however close its topic."""
        if not concepts:
            return 1.0
        counts = Counter(tuple(map(tuple, alternatives)) for alternatives in concepts)  # "专利"×1000 is one concept
        known = sum(n for alternatives, n in counts.items()
                    if any(alt and all(t in self._vocab for t in alt) for alt in alternatives))
        return known / len(concepts)

    def save(self, directory: Path) -> None:
        self._bm25.save(str(directory), show_progress=False)

    @classmethod
    def load(cls, directory: Path, size: int) -> "LexicalIndex":
        import bm25s

        bm25 = bm25s.BM25.load(str(directory), show_progress=False, verbosity=0)
        return cls(bm25, bm25.vocab_dict, size)


Alternative = tuple[str, ...]
"""Tokens that must all occur for one wording of a concept: ('知识', '识产', '产权') for 知识产权."""


class TermMatrix:
    """Which tokens each sentence holds (0/1) and how rare each token is: how much of a question a sentence covers."""

    def __init__(self, matrix, vocab: dict[str, int], idf: np.ndarray) -> None:
        self.matrix = matrix.tocsc()
        self.vocab = vocab
        self.idf = idf
        self._idf_values: list[float] = idf.tolist()
        self.size = matrix.shape[0]

    @classmethod
    def build(cls, texts: Sequence[str]) -> "TermMatrix":
        from scipy import sparse

        vocab: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        for row, text in enumerate(texts):
            for token in set(tokenize(text)):
                rows.append(row)
                cols.append(vocab.setdefault(token, len(vocab)))
        matrix = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(len(texts), max(1, len(vocab)))
        )
        df = np.asarray(matrix.sum(axis=0)).ravel()
        idf = np.log1p((len(texts) - df + 0.5) / (df + 0.5)).astype(np.float32)
        return cls(matrix, vocab, idf)

    def coverage(self, concepts: Sequence[Sequence[Alternative]]) -> np.ndarray:
        """Per sentence, the IDF-weighted share of the concepts it contains in any of their wordings, in [0, 1].

        Concepts whose wordings are single tokens (CJK bigrams, English words: nearly all) are matched in one sparse
        product, so a 2,000-character question costs milliseconds, not one sparse slice per concept (~0.4 s).
        """
        from scipy import sparse

        total = np.zeros(self.size, dtype=np.float32)
        weight_sum = 0.0
        unseen = float(self.idf.max()) if len(self.idf) else 1.0
        single_weights: list[float] = []
        single_tokens: list[int] = []
        single_concepts: list[int] = []
        idf = self._idf_values
        for alternatives in concepts:
            known = [[self.vocab[t] for t in alt] for alt in alternatives if alt and all(t in self.vocab for t in alt)]
            if not known:
                weight_sum += unseen if any(alternatives) else 0.0
                continue
            if all(len(ids) == 1 for ids in known):
                weight = max(idf[ids[0]] for ids in known)
                weight_sum += weight
                single_tokens.extend(ids[0] for ids in known)
                single_concepts.extend([len(single_weights)] * len(known))
                single_weights.append(weight)
                continue
            weight = max(float(self.idf[ids].mean()) for ids in known)
            weight_sum += weight
            matched = np.zeros(self.size, dtype=bool)
            for ids in known:
                hits = np.asarray(self.matrix[:, ids].sum(axis=1)).ravel() >= len(ids)
                matched |= hits
            total += weight * matched
        if single_weights:
            columns = sorted(set(single_tokens))
            position = {token: i for i, token in enumerate(columns)}
            wordings = sparse.csr_matrix((np.ones(len(single_tokens), dtype=np.float32),
                                          ([position[t] for t in single_tokens], single_concepts)),
                                         shape=(len(columns), len(single_weights)))
            matched = (self.matrix[:, columns] @ wordings).tocsr()
            matched.data[:] = 1.0
            total += (matched @ np.asarray(single_weights, dtype=np.float64)).astype(np.float32)
        return total / weight_sum if weight_sum > 0 else total

    def save(self, path: Path) -> None:
        from scipy import sparse

        sparse.save_npz(path / "terms.npz", self.matrix.tocsr())
        np.save(path / "terms-idf.npy", self.idf)
        (path / "terms-vocab.json").write_text(json.dumps(self.vocab, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, path: Path) -> "TermMatrix":
        from scipy import sparse

        vocab = json.loads((path / "terms-vocab.json").read_text(encoding="utf-8"))
        return cls(sparse.load_npz(path / "terms.npz"), vocab, np.load(path / "terms-idf.npy"))
