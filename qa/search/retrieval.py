"""From a question to ranked answers: features per answer (qa/search/features.py), a learned linear ranking (qa/search/ranker.py),
and abstention when nothing in the corpus answers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields, replace

import numpy as np

from qa.index.chunking import PASSAGE, QUESTION, AnswerRecord
from qa.search.crosslingual import Glossary
from qa.index.embedding import Embedder, spec_for
from qa.errors import EmbedderError, QAError
from qa.search.question_kinds import question_kinds
from qa.speakers.english import default_glossary
from qa.search.features import FEATURES, FeatureBuilder, Mentions, standardise
from qa.index.lexical import Alternative, stem, tokenize
from qa.lexicon import has_cjk, normalize, simplified
from qa.search.ranker import Ranker, load_ranker
from qa.search.reverse_glossary import Gloss
from qa.index.store import Index

_QUOTE = re.compile(r"[“\"「『]([^”\"」』]{2,60})[”\"」』]")
_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_ZH_FUNCTION = frozenset("了的吗呢吧啊呀么着")  # particles: 就 of 就业, 能 of 能源, 会 of 社会 are words


class FilterError(QAError):
    """A speaker or transcript filter that matches nothing in the index: nothing by that name is found."""

    status = 404
    code = "unknown_filter"


@dataclass(frozen=True)
class Abstention:
    """When nothing answers: a logistic model per case, calibrated by scripts/calibrate_abstention.py (which writes
    these into qa/data/ranker.json).

    Same language: the margin (the answer's best passage, or the reporter's question it answers, whichever is closer)
    over the best background statement (qa/data/background.txt), the answer's term coverage, and the share of the
    question's terms the corpus knows at all — a near-domain question ("how many trademarks…") matches the topic but
    names what the corpus never says.
    Across languages the terms carry over only through the glossary and the margin alone cannot tell a near-domain
    question from an answered one (both sit a few hundredths above the background), so the model adds how far the
    answer stands out from the corpus's median answer: an answered question has one answer well ahead, a near-domain
    one finds the whole briefing about equally close."""

    same_bias: float = -2.2435
    same_margin: float = 0.737
    same_coverage: float = 1.6273
    same_known: float = 2.5063
    cross_bias: float = 2.3333
    cross_margin: float = 66.667
    cross_coverage: float = 3.3333
    cross_dominance: float = 0.0


DEFAULT_ABSTENTION = Abstention()


@dataclass
class QueryAnalysis:
    text: str
    concepts: list[list[Alternative]]
    lexical_text: str
    speakers: set[str]
    quotes: list[str]
    persons: set[str] = field(default_factory=set)
    mentions: Mentions = field(default_factory=Mentions)


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


@dataclass
class Scored:
    """Everything one question computes before the answers are cut to top_k (scripts/fit_ranker.py reads it)."""

    analysis: QueryAnalysis
    query: np.ndarray
    allowed: np.ndarray
    raw: dict[str, np.ndarray]
    matrix: np.ndarray
    coverage: np.ndarray
    relevance: np.ndarray
    dominance: np.ndarray


class Retriever:
    """Thread-safe: all state is read-only after construction; one query embedding per question."""

    def __init__(self, index: Index, *, embedder: Embedder, ranker: Ranker | None = None,
                 abstention: Abstention | None = None, top_k: int = 3) -> None:
        if embedder.id != index.embedder_id:
            raise EmbedderError(
                f"Index '{index.root}' was built with {index.embedder_id}, not {embedder.id}: ask with "
                f"--embedder {spec_for(index.embedder_id)} or rebuild with `qa build --embedder {spec_for(embedder.id)}`"
            )
        self.index = index
        self.embedder = embedder
        self.ranker = ranker or load_ranker()
        self.ranker.check(FEATURES)
        self.abstention = abstention or self.shipped_abstention(self.ranker)
        self.top_k = top_k
        self.features = FeatureBuilder(index)
        self._speaker_names = self.features.speaker_names
        english = default_glossary()
        forms = {n: tuple({_name_key(n), _name_key(english.name(n))}) for n in set(self._speaker_names)}
        self._speaker_forms = [forms[n] for n in self._speaker_names]
        self._transcript_ids = np.array([a.transcript_id for a in index.answers], dtype=object)
        self._chinese_answers = np.array([has_cjk(a.text[:200]) for a in index.answers], dtype=bool)

    @staticmethod
    def shipped_abstention(ranker: Ranker | None = None) -> Abstention:
        """The calibrated bars the ranker file carries (qa/data/ranker.json), over the defaults."""
        known = {f.name for f in fields(Abstention)}
        calibrated = {k: v for k, v in ((ranker or load_ranker()).abstention or {}).items() if k in known}
        return replace(DEFAULT_ABSTENTION, **calibrated)

    # -- query analysis --------------------------------------------------------------------------------------
    def analyse(self, question: str) -> QueryAnalysis:
        mentions = self.features.mentions(question)
        reverse = self.index.reverse_glossary
        if reverse.entries and has_cjk(question):
            # Chinese names of English speakers (鲍威尔 → powell) are found through their dictionary glosses.
            # Each wording after "the", as an English question names a post's holder: 州长 'governor' is "the
            # governor", the one Governor Hale is.
            pieces = [(piece, run[k - 1] if k else None)
                      for run in (reverse.segment(r) for r in _CJK_RUN.findall(simplified(question)))
                      for k, piece in enumerate(run)]
            # A post another word qualifies is someone else's: 冰岛总理 is Iceland's prime minister, not the one who
            # answers here — unless the transcripts say the qualifier too (俄勒冈州州长: Oregon's, Governor Hale).
            # 总理 alone, 请问总理, 问总理 are the post. Every gloss may name a body.
            glossed: list[str] = []
            own: list[str] = []
            for piece, before in pieces:
                if isinstance(piece, Gloss):
                    phrases = ["the " + " ".join(words) for words in piece.english]
                    glossed += phrases
                    own += phrases if self._own_post(before) else []
            named = self.features.mentions(" ".join(glossed))
            people = self.features.mentions(" ".join(own)).persons
            # 朱莉·摩根: the sound found Julie Morgan; 摩根 glosses every Morgan, who are not added. Nor is anyone
            # else the glosses name then: they read names inside other words too (大卫 'David' in 圣大卫大学, St
            # David's), so they add people only when the sound heard none of the people they name.
            if not people & mentions.persons:
                mentions.persons |= people
            mentions.bodies |= named.bodies
        stripped = mentions.stripped
        quotes = [normalize(q).strip() for q in _QUOTE.findall(question)]
        concepts: list[list[Alternative]] = []
        english_words: list[str] = []
        vocab = self.index.terms.vocab
        for run in _CJK_RUN.findall(stripped):
            for piece in reverse.segment(run) if reverse.entries else [run]:
                if isinstance(piece, Gloss):
                    concepts.append([tuple(tokenize(piece.chinese))] + [tuple(words) for words in piece.english])
                    english_words.extend(w for words in piece.english[:2] for w in words)
                else:
                    for part in piece.split():
                        # A bigram across two words with a particle (处了, 贴的, 了吗) is no concept the corpus could
                        # say: unknown, it would count as a word the transcripts never use.
                        concepts.extend([(b,)] for b in (part[i:i + 2] for i in range(len(part) - 1))
                                        if b in vocab or not _ZH_FUNCTION & set(b))
        latin = _CJK_RUN.sub(" ", stripped)
        translations: list[str] = []
        glossary: Glossary = self.index.glossary
        for concept in glossary.concepts(latin) if glossary.entries else _plain_concepts(latin):
            alternatives: list[Alternative] = [tuple(tokenize(word)) for word in concept.chinese]
            alternatives.append(tuple(stem(w) for w in concept.english.split()))
            concepts.append([a for a in alternatives if a])
            translations.extend(sorted(concept.chinese, key=self._rarity)[:2])  # the corpus's usual wording first
        lexical_text = " ".join([stripped, *translations, *english_words])
        return QueryAnalysis(question, concepts, lexical_text, mentions.persons | mentions.bodies, quotes,
                             set(mentions.persons), mentions)

    # -- search ---------------------------------------------------------------------------------------------
    def score(self, question: str, *, speaker: str | None = None, transcript: str | None = None) -> Scored:
        allowed = self._allowed(speaker, transcript)
        analysis = self.analyse(question)
        query = self.embedder.embed_queries([question])[0]
        raw, coverage = self.features.compute(query, analysis.lexical_text, analysis.concepts, analysis.mentions,
                                              analysis.quotes, allowed, frozenset(question_kinds(question)))
        matrix = standardise(raw, allowed)
        background = float((self.index.background @ query).max()) if len(self.index.background) else 0.0
        known = self.index.turn_lexical.known_share(analysis.concepts)  # answers' and questions' words
        # An answer is as close as its best passage, or as the reporter's question it answers (asked again in other
        # words, that question is answered by it however the answer is worded).
        closeness = np.maximum(raw["dense_passage"], raw["dense_question"])
        dominance = self._dominance(query, question)
        relevance = self._relevance(closeness - background + 0.05 * raw["quote"], raw["coverage"], dominance, known,
                                    question)
        return Scored(analysis, query, allowed, raw, matrix, coverage, relevance, dominance)

    def search(self, question: str, *, top_k: int | None = None, speaker: str | None = None,
               transcript: str | None = None, boost: dict[int, float] | None = None) -> Retrieval:
        top_k = top_k or self.top_k
        scored = self.score(question, speaker=speaker, transcript=transcript)
        fused = self.ranker.score(scored.matrix)
        if boost:  # follow-ups (qa/search/followup.py): extra ranking score for the answers a conversation points at, by id
            for answer_id, extra in boost.items():
                fused[answer_id] += extra * self.ranker.unit
        fused[~scored.allowed] = -np.inf
        order = [int(i) for i in np.argsort(-fused, kind="stable") if scored.allowed[i]][:top_k]
        hits = [
            Hit(i, self.index.answers[i], float(fused[i]), float(scored.relevance[i]),
                {name: float(values[i]) for name, values in scored.raw.items()})
            for i in order
        ]
        found = bool(hits) and hits[0].relevance >= 0.5
        return Retrieval(question, found, hits, scored.analysis, scored.query, scored.coverage)

    def _own_post(self, before: Gloss | str | None) -> bool:
        """Whether a post glossed after `before` is one of the index's: nothing or an asking word before it, or a
        qualifier the transcripts say (in English: the place or body of someone who speaks here)."""
        if before is None:
            return True
        if not isinstance(before, Gloss):
            return before.strip() in _ASKS_OF
        if before.chinese in _ASKS_OF:
            return True
        known = self.index.turn_lexical.known_share
        return any(known([[tuple(words)]]) == 1.0 for words in before.english)  # glosses are stemmed already

    def _allowed(self, speaker: str | None, transcript: str | None) -> np.ndarray:
        allowed = np.ones(len(self.index.answers), dtype=bool)
        if speaker:
            wanted = _name_key(speaker)
            # By the name as written or as an English reader sees it ("Du Mo" for 杜墨: the chat shows pinyin); in
            # Latin letters by whole words ("Greaves", "du mo", "DuMo"), so "u" names no one.
            allowed &= np.array([any(_names_match(wanted, n) for n in names) for names in self._speaker_forms],
                                dtype=bool)
            if not allowed.any():
                known = ", ".join(sorted(set(self._speaker_names)))[:300]
                raise FilterError(f"No answers by a speaker named {speaker!r}: use one of {known}")
        if transcript:
            allowed &= self._transcript_ids == transcript.strip()
            if not allowed.any():
                raise FilterError(f"No transcript {transcript!r} in the index (or no answers by that speaker in it): "
                                  "see `qa ask --json` citations or /api/transcripts for ids")
        return allowed

    def _rarity(self, word: str) -> float:
        """How rarely the transcripts say a Chinese word: the IDF of its rarest bigram (申请 before 用场 for
        'application' in a briefing that says 申请 throughout)."""
        terms = self.index.terms
        return max((float(terms.idf[terms.vocab[t]]) if t in terms.vocab else 99.0 for t in tokenize(word)),
                   default=99.0)

    def _dominance(self, query: np.ndarray, question: str) -> np.ndarray:
        """How far each answer stands out from the median answer of its language, for the answers in the other
        language than the question (0 for the rest: the same-language model does not read it). Exact cosines over
        the whole index, whatever the filters: a filter must not make an answer stand out more, and the features'
        candidate search leaves most answers of a large index at one floor value."""
        out = np.zeros(len(self.index.answers), dtype=np.float64)
        group = self._chinese_answers != has_cjk(question)
        if not group.any():
            return out
        n = len(self.index.answers)
        closeness = np.full(n, -1.0)
        for kind in (PASSAGE, QUESTION):
            table = self.index.tables[kind]
            if len(table.texts) and table.vectors is not None:
                np.maximum.at(closeness, table.answers, table.vectors @ query)
        out[group] = closeness[group] - float(np.median(closeness[group]))
        return out

    def _relevance(self, margin: np.ndarray, coverage: np.ndarray, dominance: np.ndarray, known: float,
                   question: str) -> np.ndarray:
        """→ a score in (0, 1) per answer that is 0.5 exactly at the calibrated bar."""
        a = self.abstention
        same = self._chinese_answers == has_cjk(question)
        same_logit = a.same_bias + a.same_margin * margin + a.same_coverage * coverage + a.same_known * known
        cross_logit = a.cross_bias + a.cross_margin * margin + a.cross_coverage * coverage + a.cross_dominance * dominance
        return 1.0 / (1.0 + np.exp(-np.where(same, same_logit, cross_logit)))


# What a question may say before the post it asks (请问总理…, 问一下部长…): no qualifier of the post.
_ASKS_OF = frozenset("请问 问 请 想问 向 对 让 和 与 同 跟 据 那 这位 那位 请教 问一下 想请问".split())


def _plain_concepts(text: str):
    from qa.search.crosslingual import Concept

    return [Concept(w) for w in re.findall(r"[a-z0-9][a-z0-9']*", text) if tokenize(w)]


def _name_key(name: str) -> str:
    """'Ｄｕ  Mo', 'du-mo' → 'du mo': width, case, accents and separators as a filter may write them."""
    plain = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    return " ".join(re.split(r"[\s\-_.·・]+", plain)).strip()


def _names_match(wanted: str, name: str) -> bool:
    if has_cjk(wanted) or has_cjk(name):
        wanted, name = simplified(wanted), simplified(name)  # 曾家荣 is 曾家榮
        return bool(wanted) and (wanted in name or name in wanted)
    words, known = wanted.split(), name.split()
    if not words:
        return False
    if wanted.replace(" ", "") == name.replace(" ", ""):
        return True  # "dumo"
    return any(known[i:i + len(words)] == words for i in range(len(known) - len(words) + 1)) \
        or any(words[i:i + len(known)] == known for i in range(len(words) - len(known) + 1))
