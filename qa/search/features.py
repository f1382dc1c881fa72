"""What the ranker sees of each answer for one question: meaning, words, the reporter's question, the exchange around
it, and who is named. Computed for every answer at once, as arrays; qa/search/ranker.py turns them into one score."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from qa.index.chunking import PASSAGE, QUESTION, SENTENCE, AnswerRecord
from qa.index.lexical import STOPWORDS_EN, Alternative
from qa.lexicon import (
    EN_HONORIFICS, EN_NAME_SUFFIXES, EN_POST_HEAD, ORG_ENGLISH, has_cjk, normalize, organization_names, simplified,
    top_organization,
)
from qa.speakers.english import default_glossary
from qa.speakers.roster import Speaker, sole_post_holders, surname_title
from qa.index.store import Index, UnitTable
from qa.search.question_kinds import SENTENCE_PATTERNS
from qa.search.transliteration import Transliterations, dictionary_words
from qa.speakers.header import title_forms

# Per-question standardised (z-scored over the answers searched): scales differ between questions, order doesn't.
GRADED = ("dense_passage", "dense_question", "bm25", "bm25_question", "coverage", "dense_exchange", "bm25_exchange",
          "dense_neighbour", "bm25_neighbour", "dense_transcript", "bm25_transcript", "bm25_turn", "length")
# Reciprocal rank among the answers searched, 10 / (10 + rank): robust to how the scores are spread (as in RRF).
RANKED = ("rank_dense_passage", "rank_dense_question", "rank_bm25", "rank_bm25_question", "rank_coverage",
          "rank_bm25_turn")
# 0/1 as they are.
FLAGS = ("speaker_named", "body_named", "questioner_named", "quote", "answers_question", "holds_kind")
FEATURES = GRADED + RANKED + FLAGS
_RRF_K = 10.0
_NEVER = re.compile(r"(?!)")  # matches nothing
_WORDS = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_CANDIDATES = 400


# "the Prime Minister", "the Minister of Seniors", "Madam Secretary": a title, then what it is of, capitalised.
_TITLE = re.compile(r"(?i:\b(?:the\s+)?)((?i:(?:deputy |prime |first |vice |acting |associate )?(?:minister|president|"
                    r"secretary|premier|governor|commissioner|director|ambassador|spokesperson))"
                    r"(?:\s+(?:of|for)\s+(?:the\s+)?[A-Z][\w'’-]*(?:\s+(?:and\s+)?[A-Z][\w'’-]*){0,4})?)")


@dataclass
class Mentions:
    """Who the question names: answer speakers (by person or by body) and questioners, as record-level flags."""

    persons: set[str] = field(default_factory=set)
    bodies: set[str] = field(default_factory=set)
    stripped: str = ""


class FeatureBuilder:
    """Built once per loaded index; thread-safe (read-only state)."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._kinds: dict[str, np.ndarray] = {}  # filled lazily: the same arrays whichever thread fills them first
        answers = index.answers
        self.n = len(answers)
        self.speaker_names = np.array([a.speaker.name for a in answers], dtype=object)
        self.questioners = np.array([a.questioner or "" for a in answers], dtype=object)
        self.has_question = np.array([a.question is not None for a in answers], dtype=bool)
        self.normalized_texts = [normalize(a.text) for a in answers]
        self.length = np.log1p(np.array([len(a.text) for a in answers], dtype=np.float64))
        self.exchange_group = _groups([(a.transcript_id, a.exchange) for a in answers])
        self.previous, self.following = _neighbours(answers)
        transcript_group = _groups([(a.transcript_id,) for a in answers])
        self.transcript_rows = [np.nonzero(transcript_group == g)[0] for g in range(transcript_group.max() + 1)] \
            if self.n else []
        self.mention_table = mention_table([a.speaker for a in answers],
                                           [a.questioner for a in answers if a.questioner], title_aliases(answers),
                                           roster=index.roster)
        # People with Latin names, by their English forms: what a Chinese question can only spell by sound. (A
        # Chinese name's pinyin is no such form: the question writes 杜墨 itself, and 马达 is no 杜墨.)
        english_people: dict[str, set[str]] = {}
        for pattern, names, is_person in self.mention_table:
            form = _form(pattern)
            latin = {n for n in names if not has_cjk(n)}
            if is_person and form.isascii() and latin:
                english_people.setdefault(form, set()).update(latin)
        given_names = {g for g in map(_given_name, set(self.speaker_names)) if g}
        words = index.reverse_glossary.names or (dictionary_words() if english_people else {})  # builds before v3
        self.transliterations = Transliterations(english_people, words, frozenset(given_names & set(english_people)))
        # A surname the transcripts also use as a word ("young people", "the green economy") names its speaker only
        # written as a name: "What did Young say?", not "What about young people?".
        common = common_word_names([f for f in english_people if " " not in f], [a.text for a in answers])
        # A given name that is also a word ("Grant", "Bill C-4") is no name at all: it is weaker evidence than a
        # surname, and capitalised it still starts sentences.
        self._cased = [None if form not in common else _NEVER if form in given_names
                       else re.compile(rf"\b{re.escape(form[:1].upper() + form[1:])}\b")
                       for form in (_form(pattern) for pattern, _, _ in self.mention_table)]

    def mentions(self, text: str) -> Mentions:
        original = simplified(normalize(text))  # 曾家榮 and 曾家荣 alike (mention_table reads names so too)
        lowered = original.lower()
        found = Mentions(stripped=lowered)
        for (pattern, names, is_person), cased in zip(self.mention_table, self._cased):
            if pattern.search(found.stripped) and (cased is None or cased.search(original)):
                (found.persons if is_person else found.bodies).update(names)
                found.stripped = pattern.sub(" ", found.stripped)
        if has_cjk(text) and self.transliterations.forms:
            for stretch, names in self.transliterations.heard(text):
                found.persons |= names
                # A name is not glossed word by word: 麦克劳德 is McLeod, not 'mike' (麦克) and more.
                found.stripped = found.stripped.replace(normalize(stretch).lower(), " ")
        return found

    def compute(self, query: np.ndarray, lexical_text: str, concepts: list[list[Alternative]], mentions: Mentions,
                quotes: list[str], allowed: np.ndarray, kinds: frozenset[str] = frozenset(),
                ) -> tuple[dict[str, np.ndarray], np.ndarray]:
        """Raw feature values per answer, and the coverage of every sentence (the highlight uses it). kinds: what
        the question asks for (question_kinds: a number, a date, a place…)."""
        index, n = self.index, self.n
        tables = index.tables
        restricted = None if allowed.all() else allowed
        f: dict[str, np.ndarray] = {
            "dense_passage": dense_per_answer(tables[PASSAGE], query, n, restricted),
            "dense_question": dense_per_answer(tables[QUESTION], query, n, restricted),
        }
        f["bm25"] = max_per_answer(index.lexical.scores(lexical_text), tables[PASSAGE].answers, n, floor=0.0)
        f["bm25_question"] = max_per_answer(index.question_lexical.scores(lexical_text), tables[QUESTION].answers, n,
                                            floor=0.0)
        joint = index.turn_lexical.scores(lexical_text)
        passages = len(tables[PASSAGE].texts)
        f["bm25_turn"] = np.maximum(max_per_answer(joint[:passages], tables[PASSAGE].answers, n, floor=0.0),
                                    max_per_answer(joint[passages:], tables[QUESTION].answers, n, floor=0.0))
        coverage = index.terms.coverage(concepts) if concepts else np.zeros(len(tables[SENTENCE].texts), np.float32)
        f["coverage"] = max_per_answer(coverage, tables[SENTENCE].answers, n, floor=0.0)
        f["dense_exchange"] = self._exchange_max(f["dense_passage"])
        f["bm25_exchange"] = self._exchange_max(f["bm25"])
        f["dense_neighbour"] = self._neighbour_max(f["dense_passage"])
        f["bm25_neighbour"] = self._neighbour_max(f["bm25"])
        f["dense_transcript"] = self._transcript_top(f["dense_passage"])
        f["bm25_transcript"] = self._transcript_top(f["bm25"])
        f["length"] = self.length
        f["speaker_named"] = np.isin(self.speaker_names, list(mentions.persons)).astype(np.float64)
        f["body_named"] = (np.isin(self.speaker_names, list(mentions.bodies)) & (f["speaker_named"] == 0)).astype(np.float64)
        f["questioner_named"] = np.isin(self.questioners, list(mentions.persons | mentions.bodies)).astype(np.float64)
        quote = np.zeros(n, dtype=np.float64)
        if quotes:
            for i, text in enumerate(self.normalized_texts):
                if allowed[i]:
                    quote[i] = any(q in text for q in quotes)
        f["quote"] = quote
        f["answers_question"] = self.has_question.astype(np.float64)
        # An answer that holds what the question asks for ("which countries" → a sentence naming places; "how much"
        # → one with a figure) and is on its terms, or follows an answer that is: a short follow-up's "Principally
        # Mexico and South Korea." after the turn that spoke of "some partners".
        holding = np.zeros(len(coverage), dtype=bool)
        for kind in kinds & set(SENTENCE_PATTERNS):
            holding |= self._sentence_kinds(kind)
        on_topic = (f["coverage"] > 0) | (self._neighbour_max(f["coverage"]) > 0)
        f["holds_kind"] = (max_per_answer(holding.astype(np.float64), tables[SENTENCE].answers, n, floor=0.0) * on_topic
                           if kinds else np.zeros(n))
        return f, coverage

    def _sentence_kinds(self, kind: str) -> np.ndarray:
        """Which sentences of the index hold a kind of fact; worked out once per kind and index (a regex a sentence)."""
        found = self._kinds.get(kind)
        if found is None:
            pattern = SENTENCE_PATTERNS[kind]
            found = np.array([bool(pattern.search(t)) for t in self.index.tables[SENTENCE].texts], dtype=bool)
            self._kinds[kind] = found
        return found

    def _exchange_max(self, values: np.ndarray) -> np.ndarray:
        best = np.full(self.exchange_group.max() + 1 if self.n else 0, -np.inf)
        np.maximum.at(best, self.exchange_group, values)
        return best[self.exchange_group]

    def _transcript_top(self, values: np.ndarray, k: int = 3) -> np.ndarray:
        """How well the transcript as a whole matches: the mean of its k best answers (which hearing is meant)."""
        out = np.zeros(self.n, dtype=np.float64)
        if len(self.transcript_rows) < 2:
            return out
        for rows in self.transcript_rows:
            top = values[rows]
            if len(top) > k:
                top = np.partition(top, -k)[-k:]
            out[rows] = float(np.mean(top))
        return out

    def _neighbour_max(self, values: np.ndarray) -> np.ndarray:
        padded = np.append(values, -np.inf)
        return np.maximum(padded[self.previous], padded[self.following])


def standardise(features: dict[str, np.ndarray], allowed: np.ndarray) -> np.ndarray:
    """The matrix the ranker reads: graded features z-scored over the answers searched, flags as they are."""
    columns = []
    for name in FEATURES:
        if name in RANKED:
            columns.append(reciprocal_rank(np.asarray(features[name.removeprefix("rank_")], dtype=np.float64), allowed))
            continue
        values = np.asarray(features[name], dtype=np.float64)
        columns.append(zscore(values, allowed) if name in GRADED else values)
    return np.column_stack(columns) if columns else np.zeros((len(allowed), 0))


def reciprocal_rank(values: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    """10 / (10 + rank) among the answers searched (rank 0 is the best); 0 for answers outside the filter. Tied
    answers share one rank, the mean of the places they fill: an answer no reporter's question matches at all is not
    ranked above the others because it comes first in the index (the first transcript's opening statement did)."""
    masked = np.where(allowed, values, -np.inf)
    _, group, counts = np.unique(-masked, return_inverse=True, return_counts=True)
    group = group.reshape(-1)
    first = np.concatenate(([0], np.cumsum(counts)[:-1]))  # each value's first place, best value first
    ranks = (first + (counts - 1) / 2.0)[group]
    return np.where(allowed, _RRF_K / (_RRF_K + ranks), 0.0)


def zscore(values: np.ndarray, allowed: np.ndarray) -> np.ndarray:
    subset = values[allowed]
    finite = subset[np.isfinite(subset)]
    std = float(finite.std()) if len(finite) else 0.0
    if std < 1e-9:
        return np.zeros_like(values, dtype=np.float64)
    out = (values - float(finite.mean())) / std
    return np.nan_to_num(out, nan=0.0, neginf=-3.0, posinf=3.0)


def dense_per_answer(table: UnitTable, query: np.ndarray, n: int, allowed: np.ndarray | None) -> np.ndarray:
    """Best cosine per answer: FAISS top candidates over everything, or exact scores inside a filter."""
    if not len(table.texts):
        return np.zeros(n, dtype=np.float32)
    if allowed is not None:
        rows = np.nonzero(allowed[table.answers])[0]
        scores = table.vectors[rows] @ query
        return max_per_answer(scores, table.answers[rows], n, floor=float(scores.min()) if len(scores) else 0.0)
    k = min(_CANDIDATES, len(table.texts))
    distances, ids = table.faiss.search(query.reshape(1, -1).astype(np.float32), k)
    distances, ids = distances[0], ids[0]
    keep = ids >= 0
    return max_per_answer(distances[keep], table.answers[ids[keep]], n, floor=float(distances[keep].min()))


def max_per_answer(scores: np.ndarray, answers: np.ndarray, n: int, *, floor: float) -> np.ndarray:
    out = np.full(n, floor, dtype=np.float32)
    if len(scores):
        np.maximum.at(out, answers, scores.astype(np.float32))
    return out


def _groups(keys: list[tuple]) -> np.ndarray:
    ids: dict[tuple, int] = {}
    return np.array([ids.setdefault(k, len(ids)) for k in keys], dtype=np.int64)


def _neighbours(answers: list[AnswerRecord]) -> tuple[np.ndarray, np.ndarray]:
    """The answer before and after each one in the same transcript (n = none): a short follow-up answer is
    often explained by what surrounds it."""
    n = len(answers)
    previous = np.full(n, n, dtype=np.int64)
    following = np.full(n, n, dtype=np.int64)
    for i in range(1, n):
        if answers[i].transcript_id == answers[i - 1].transcript_id:
            previous[i] = i - 1
            following[i - 1] = i
    return previous, following


def person_forms(name: str) -> set[str]:
    """'Hon. Navdeep Bains' → {'navdeep bains', 'bains'}; 'Kirsty Williams AM' → {'kirsty williams', 'williams'};
    '杜墨' → {'杜墨', 'du mo', 'mo du', 'dumo'}."""
    if has_cjk(name):
        return {name} | _pinyin_forms(name)
    core = _core_name(name)
    forms = {name.lower(), core.lower()}
    parts = core.split()
    if len(parts) > 1 and len(parts[-1]) >= 4:
        forms.add(parts[-1].lower())
    return {f for f in forms if len(f) >= 2}


def title_aliases(answers: list[AnswerRecord]) -> dict[str, set[str]]:
    """Titles the questioners use for whoever answers them: 'Will the Prime Minister…?' answered by Justin Trudeau
    again and again makes 'prime minister' one of his names, per transcript (the Minister of one hearing is not that
    of another). A title of two words or more needs three questions and 60% of them answered by one speaker.
    "Chair" is left out: a member says "Chair, …" to the chair before asking someone else."""
    counts: dict[tuple[str, str], dict[str, int]] = {}
    seen: set[tuple[str, int]] = set()
    for a in answers:
        if not a.question or (a.transcript_id, a.exchange) in seen or has_cjk(a.question[:200]):
            continue
        seen.add((a.transcript_id, a.exchange))  # an exchange's first answer is the one the question was put to
        for title in {" ".join(m.group(1).split()).lower() for m in _TITLE.finditer(a.question)}:
            per = counts.setdefault((a.transcript_id, title), {})
            per[a.speaker.name] = per.get(a.speaker.name, 0) + 1
    aliases: dict[str, set[str]] = {}
    for (_, title), per in counts.items():
        name, n = max(per.items(), key=lambda item: item[1])
        if " " in title and n >= 3 and n >= 0.6 * sum(per.values()):  # "minister" alone names too many
            aliases.setdefault(title, set()).add(name)
    return aliases


def _form(pattern: re.Pattern[str]) -> str:
    """The text a mention pattern matches: '\\bkirsty\\ williams\\b' → 'kirsty williams'."""
    return pattern.pattern.removeprefix(r"\b").removesuffix(r"\b").replace("\\", "")


def common_word_names(forms: list[str], texts: list[str]) -> set[str]:
    """The one-word names (surnames) the texts use at least twice in lower case, and no less often than capitalised:
    'young', 'green', 'fast' in hearings, never 'trudeau'."""
    if not forms:
        return set()
    words = Counter(w for text in texts for w in _WORDS.findall(text))
    if sum(n for w, n in words.items() if w[0].isupper()) < 0.01 * sum(words.values()):
        return set()  # a lower-case (speech-to-text) transcript says every name in lower case
    return {f for f in forms if words[f] >= 2 and words[f] >= words[f[:1].upper() + f[1:]]}


def mention_table(speakers: list[Speaker], questioners: list[str], titles: dict[str, set[str]] | None = None,
                  roster: list[Speaker] = ()) -> list[tuple[re.Pattern[str], set[str], bool]]:
    """Ways a question names someone — name, 韩司长, pinyin ('du mo'), surname ('powell', 'bains'), a title their
    questioners use ('the prime minister') — or a body, in either language; (pattern, names, names a person).
    Officials, witnesses and members alike."""
    by_pattern: dict[str, set[str]] = {}
    personal: set[str] = set()
    for title, names in (titles or {}).items():
        by_pattern.setdefault(title, set()).update(names)
        personal.add(title)
    people = {s.name: s for s in speakers if s.role != "host"}
    # A given name only one person has — answering or asking — ("What would Kirsty be content with?") names them.
    given = Counter(g for g in (_given_name(n) for n in set(people) | set(questioners)) if g)
    sole = {name: post for post, name in sole_post_holders(speakers, roster).items()}
    english_posts = _english_posts(list(people.values()))
    for s in people.values():
        names = person_forms(s.name)
        if (first := _given_name(s.name)) and given[first] == 1:
            names.add(first)
        if short := surname_title(s):
            names.add(short)
        names |= title_forms(s.title)  # 'the agriculture secretary', from the transcript's header
        names |= english_posts.get(s.name, set())  # 盛立平, 商务部副部长: 'the vice minister of commerce'
        if post := sole.get(s.name):
            names.add(post)  # 'the treasurer': the post a label gave ("TREASURER:"), held by no one else here
        personal.update(n.lower() for n in names)
        for name in names:
            by_pattern.setdefault(name.lower(), set()).add(s.name)
        org = s.organization
        if org:
            bodies = {n for n in organization_names(org) if len(n) >= 2} | set(ORG_ENGLISH.get(top_organization(org), ()))
            for body in bodies:
                by_pattern.setdefault(body.lower(), set()).add(s.name)
    for name in set(questioners):
        if has_cjk(name) and name.endswith("记者"):
            continue  # '澎湃新闻记者' names an outlet, not a person a reader asks about
        for form in person_forms(name):
            personal.add(form.lower())
            by_pattern.setdefault(form.lower(), set()).add(name)
    posts = {post.lower() for post in sole.values()}
    table = []
    for text in sorted(by_pattern, key=len, reverse=True):
        pattern = re.escape(simplified(text)) if has_cjk(text) else rf"\b{re.escape(text)}\b"
        if text in posts:
            pattern += r"(?!\s+(?:of|for|to|at)\b)"  # 'the minister', not 'the minister for roads' (another post)
        table.append((re.compile(pattern), by_pattern[text], text in personal))
    return table


def _english_posts(people: list[Speaker]) -> dict[str, set[str]]:
    """How an English question names a Chinese official by post, through the English glossary (qa/data): 商务部副部长
    盛立平 is 'the vice minister of commerce' and 'the commerce vice minister'; a post of one word only when no one
    else here holds it ('the spokesperson')."""
    english = default_glossary()
    posts: dict[str, list[str]] = {}
    for s in people:
        if has_cjk(s.name) and has_cjk(s.title):
            posts[s.name] = [t for t in english.title(s.title, s.organization).split(" and ") if t]
    counts = Counter(t.lower() for ts in posts.values() for t in set(ts))
    out: dict[str, set[str]] = {}
    for s in people:
        forms: set[str] = set()
        body = english.organization(top_organization(s.organization)) if s.organization else ""
        body = re.sub(r"^(?:the\s+)?(?:ministry|department|office|bureau) of (?:the\s+)?", "", body, flags=re.I)
        for title in posts.get(s.name, []):
            if body and not has_cjk(body):
                forms |= title_forms(f"{title} of {body}")
            if counts[title.lower()] == 1:
                forms.add(f"the {title.lower()}")
        if forms:
            out[s.name] = forms
    return out


def _core_name(name: str) -> str:
    """'Hon. Navdeep Bains' → 'Navdeep Bains', 'Kirsty Williams AM' → 'Kirsty Williams', 'Prime Minister Sarah
    Whitlock' → 'Sarah Whitlock' (a post the label gave, before the name the page's byline gave)."""
    core = EN_NAME_SUFFIXES.sub("", EN_HONORIFICS.sub("", name.strip())).strip()
    return _LEADING_POST.sub("", core) if len(core.split()) > 2 else core


_LEADING_POST = re.compile(r"^(?:[A-Z][\w'’-]*[ \t]+){0,2}?" + EN_POST_HEAD.pattern + r"[ \t]+(?=[A-Z])")


def _given_name(name: str) -> str | None:
    """'Kirsty Williams AM' → 'kirsty'; None for one-word, Chinese or initial-only names ('Chair Powell' is a title)."""
    if has_cjk(name):
        return None
    parts = _core_name(name).split()
    if len(parts) < 2 or len(parts[0]) < 4 or not parts[0].isalpha() or parts[0].lower() in _NOT_GIVEN \
            or parts[0].lower() in STOPWORDS_EN:
        return None
    return parts[0].lower()


_NOT_GIVEN = frozenset({"chair", "chairman", "chairwoman", "vice", "deputy", "acting", "minister", "secretary",
                        "president", "premier", "governor", "speaker", "senator", "general", "professor"})


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
