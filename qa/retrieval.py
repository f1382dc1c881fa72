"""From a question to ranked answers: dense (FAISS) and lexical (BM25, term coverage) fused per answer, with abstention."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from .chunking import PASSAGE, QUESTION, SENTENCE, AnswerRecord
from .crosslingual import Glossary
from .embedding import Embedder, spec_for
from .errors import EmbedderError, QAError
from .lexical import Alternative, stem, tokenize
from .lexicon import ORG_ENGLISH, has_cjk, normalize, organization_names, top_organization
from .roster import Speaker, surname_title
from .store import Index, UnitTable

FEATURES = ("dense_passage", "dense_question", "bm25", "coverage")
_QUOTE = re.compile(r"[“\"「『]([^”\"」』]{2,60})[”\"」』]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_CANDIDATES = 400


class FilterError(QAError):
    """A speaker or transcript filter that matches nothing in the index: nothing by that name is found."""

    status = 404
    code = "unknown_filter"


@dataclass(frozen=True)
class Fusion:
    """How features become one ranking score, and when nothing answers. Both chosen by scripts/fusion_study.py.

    Ranking: a weighted sum of per-question z-scores of the features, plus bonuses for a named speaker and a quoted
    phrase found verbatim. Relevance: how much better the answer matches than the best background statement
    (qa/data/background.txt), plus a little term coverage; the bar is lower when question and transcript differ
    in language, because cross-lingual cosines run lower.
    """

    weights: dict[str, float]
    speaker_bonus: float = 1.0
    person_bonus: float = 2.0
    quote_bonus: float = 2.0
    coverage_in_relevance: float = 0.1
    threshold_same_language: float = 0.035
    threshold_cross_language: float = 0.005
    relevance_scale: float = 0.015


DEFAULT_FUSION = Fusion(
    weights={"dense_passage": 1.0, "dense_question": 0.25, "bm25": 0.25, "coverage": 1.0},
)


@dataclass
class QueryAnalysis:
    text: str
    concepts: list[list[Alternative]]
    lexical_text: str
    speakers: set[str]
    quotes: list[str]
    persons: set[str] = field(default_factory=set)


@dataclass
class Hit:
    answer_id: int
    record: AnswerRecord
    score: float
    relevance: float
    features: dict[str, float] = field(default_factory=dict)


@dataclass
class Retrieval:
    question: str
    found: bool
    hits: list[Hit]
    analysis: QueryAnalysis
    query_vector: np.ndarray
    sentence_coverage: np.ndarray


class Retriever:
    """Thread-safe: all state is read-only after construction; one query embedding per question."""

    def __init__(self, index: Index, *, embedder: Embedder, fusion: Fusion = DEFAULT_FUSION, top_k: int = 3) -> None:
        if embedder.id != index.embedder_id:
            raise EmbedderError(
                f"Index '{index.root}' was built with {index.embedder_id}, not {embedder.id}: ask with "
                f"--embedder {spec_for(index.embedder_id)} or rebuild with `qa build --embedder {spec_for(embedder.id)}`"
            )
        self.index = index
        self.embedder = embedder
        self.fusion = fusion
        self.top_k = top_k
        self._speaker_names = np.array([a.speaker.name for a in index.answers], dtype=object)
        self._transcript_ids = np.array([a.transcript_id for a in index.answers], dtype=object)
        self._mentions = _mention_table([a.speaker for a in index.answers])
        self._chinese_answers = np.array([has_cjk(a.text[:200]) for a in index.answers], dtype=bool)
        self._normalized_texts = [normalize(a.text) for a in index.answers]

    # -- query analysis --------------------------------------------------------------------------------------
    def analyse(self, question: str) -> QueryAnalysis:
        text = normalize(question)
        lowered = text.lower()
        speakers: set[str] = set()
        persons: set[str] = set()
        stripped = lowered
        for pattern, names, is_person in self._mentions:
            if pattern.search(stripped):
                speakers.update(names)
                if is_person:
                    persons.update(names)
                stripped = pattern.sub(" ", stripped)
        quotes = [normalize(q).strip() for q in _QUOTE.findall(question)]
        concepts: list[list[Alternative]] = []
        for run in _CJK_RUN.findall(stripped):
            concepts.extend([(run[i:i + 2],)] for i in range(len(run) - 1))
        latin = _CJK_RUN.sub(" ", stripped)
        translations: list[str] = []
        glossary: Glossary = self.index.glossary
        for concept in glossary.concepts(latin) if glossary.entries else _plain_concepts(latin):
            alternatives: list[Alternative] = [tuple(tokenize(word)) for word in concept.chinese]
            alternatives.append(tuple(stem(w) for w in concept.english.split()))
            concepts.append([a for a in alternatives if a])
            translations.extend(concept.chinese[:2])
        lexical_text = stripped + " " + " ".join(translations)
        return QueryAnalysis(question, concepts, lexical_text, speakers, quotes, persons)

    # -- search ---------------------------------------------------------------------------------------------
    def search(self, question: str, *, top_k: int | None = None, speaker: str | None = None,
               transcript: str | None = None, boost: dict[int, float] | None = None) -> Retrieval:
        top_k = top_k or self.top_k
        allowed = self._allowed(speaker, transcript)
        analysis = self.analyse(question)
        query = self.embedder.embed_queries([question])[0]
        features, coverage = self._features(query, analysis, allowed)
        fused, relevance = self._fuse(features, analysis, allowed)
        if boost:  # follow-ups (qa/followup.py): extra ranking score for the answers a conversation points at, by id
            for answer_id, extra in boost.items():
                fused[answer_id] += extra
        background = float((self.index.background @ query).max()) if len(self.index.background) else 0.0
        relevance = self._relevance(relevance - background, question)
        order = [int(i) for i in np.argsort(-fused) if allowed[i]][:top_k]
        hits = [
            Hit(i, self.index.answers[i], float(fused[i]), float(relevance[i]),
                {name: float(values[i]) for name, values in features.items()})
            for i in order
        ]
        found = bool(hits) and hits[0].relevance >= 0.5
        return Retrieval(question, found, hits, analysis, query, coverage)

    def _allowed(self, speaker: str | None, transcript: str | None) -> np.ndarray:
        allowed = np.ones(len(self.index.answers), dtype=bool)
        if speaker:
            wanted = speaker.strip().lower()
            allowed &= np.array([wanted in n.lower() or n.lower() in wanted for n in self._speaker_names], dtype=bool)
            if not allowed.any():
                known = ", ".join(sorted(set(self._speaker_names)))[:300]
                raise FilterError(f"No answers by a speaker named {speaker!r}: use one of {known}")
        if transcript:
            allowed &= self._transcript_ids == transcript.strip()
            if not allowed.any():
                raise FilterError(f"No transcript {transcript!r} in the index (or no answers by that speaker in it): "
                                  "see `qa ask --json` citations or /api/transcripts for ids")
        return allowed

    def _features(self, query: np.ndarray, analysis: QueryAnalysis, allowed: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray]:
        n = len(self.index.answers)
        tables = self.index.tables
        restricted = not allowed.all()
        features = {
            "dense_passage": _dense(tables[PASSAGE], query, n, allowed if restricted else None),
            "dense_question": _dense(tables[QUESTION], query, n, allowed if restricted else None),
        }
        bm25 = self.index.lexical.scores(analysis.lexical_text)
        features["bm25"] = _max_per_answer(bm25, tables[PASSAGE].answers, n, floor=0.0)
        coverage = self.index.terms.coverage(analysis.concepts) if analysis.concepts else np.zeros(
            len(tables[SENTENCE].texts), dtype=np.float32)
        features["coverage"] = _max_per_answer(coverage, tables[SENTENCE].answers, n, floor=0.0)
        return features, coverage

    def _fuse(self, features: dict[str, np.ndarray], analysis: QueryAnalysis, allowed: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        fusion = self.fusion
        fused = np.zeros(len(allowed), dtype=np.float64)
        for name, weight in fusion.weights.items():
            if weight:
                fused += weight * _zscore(features[name], allowed)
        speaker_match = np.array([name in analysis.speakers for name in self._speaker_names], dtype=bool)
        person_match = np.array([name in analysis.persons for name in self._speaker_names], dtype=bool)
        quote_match = np.zeros(len(allowed), dtype=bool)
        if analysis.quotes:
            for i, text in enumerate(self._normalized_texts):
                if allowed[i]:
                    quote_match[i] = any(q in text for q in analysis.quotes)
        fused += fusion.speaker_bonus * speaker_match + fusion.person_bonus * person_match + fusion.quote_bonus * quote_match
        relevance = features["dense_passage"] + fusion.coverage_in_relevance * features["coverage"] + 0.05 * quote_match
        fused[~allowed] = -np.inf
        return fused, relevance

    def _relevance(self, margin: np.ndarray, question: str) -> np.ndarray:
        """Margin over the background → a score in (0, 1) that is 0.5 exactly at the calibrated bar."""
        fusion = self.fusion
        asked_in_chinese = has_cjk(question)
        same = self._chinese_answers == asked_in_chinese
        bar = np.where(same, fusion.threshold_same_language, fusion.threshold_cross_language)
        return 1.0 / (1.0 + np.exp(-(margin - bar) / fusion.relevance_scale))


def _dense(table: UnitTable, query: np.ndarray, n: int, allowed: np.ndarray | None) -> np.ndarray:
    """Best cosine per answer: FAISS top candidates over everything, or exact scores inside a filter."""
    if not len(table.texts):
        return np.zeros(n, dtype=np.float32)
    if allowed is not None:
        rows = np.nonzero(allowed[table.answers])[0]
        scores = table.vectors[rows] @ query
        return _max_per_answer(scores, table.answers[rows], n, floor=float(scores.min()) if len(scores) else 0.0)
    k = min(_CANDIDATES, len(table.texts))
    distances, ids = table.faiss.search(query.reshape(1, -1).astype(np.float32), k)
    distances, ids = distances[0], ids[0]
    keep = ids >= 0
    return _max_per_answer(distances[keep], table.answers[ids[keep]], n, floor=float(distances[keep].min()))


def _max_per_answer(scores: np.ndarray, answers: np.ndarray, n: int, *, floor: float) -> np.ndarray:
    out = np.full(n, floor, dtype=np.float32)
    if len(scores):
        np.maximum.at(out, answers, scores.astype(np.float32))
    return out


def _zscore(values: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    subset = values[allowed]
    std = float(subset.std()) if len(subset) else 0.0
    if std < 1e-9:
        return np.zeros_like(values, dtype=np.float64)
    return (values - float(subset.mean())) / std


def _plain_concepts(text: str):
    from .crosslingual import Concept

    return [Concept(w) for w in re.findall(r"[a-z0-9][a-z0-9']*", text) if tokenize(w)]


def _mention_table(speakers: list[Speaker]) -> list[tuple[re.Pattern[str], set[str], bool]]:
    """Ways a question names a speaker — name, 韩司长, pinyin ('du mo'), surname ('powell') — or their body, in either
    language; (pattern, speakers, names a person)."""
    by_pattern: dict[str, set[str]] = {}
    personal: set[str] = set()
    for s in {s.name: s for s in speakers if s.role in ("official", "unknown")}.values():
        names = {s.name}
        if short := surname_title(s):
            names.add(short)
        if has_cjk(s.name):
            names.update(_pinyin_forms(s.name))
        else:
            parts = s.name.split()
            if len(parts) > 1 and len(parts[-1]) >= 4:
                names.add(parts[-1])
        personal.update(n.lower() for n in names)
        org = s.organization
        if org:
            names.update(n for n in organization_names(org) if len(n) >= 2)
            names.update(ORG_ENGLISH.get(top_organization(org), ()))
        for name in names:
            by_pattern.setdefault(name.lower(), set()).add(s.name)
    table = []
    for text in sorted(by_pattern, key=len, reverse=True):
        pattern = re.escape(text) if has_cjk(text) else rf"\b{re.escape(text)}\b"
        table.append((re.compile(pattern), by_pattern[text], text in personal))
    return table


def _pinyin_forms(name: str) -> set[str]:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return set()
    syllables = lazy_pinyin(name)
    if len(syllables) < 2:
        return set()
    surname, given = syllables[0], "".join(syllables[1:])
    return {f"{surname} {given}", f"{given} {surname}", f"{surname}{given}"}

