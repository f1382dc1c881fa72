"""Follow-up questions: read a question against the turns before it, so that "那工信部呢？" or "what did he say
about patent pools?" lands where the conversation points, while a question that stands on its own is searched
exactly as if there were no history.

No model is involved: a few patterns decide whether a question leans on the history (a pronoun, an ellipsis, a
"more" or a "who else"), and the history's last turn supplies what it leans on — the speaker and body of its
answer, its transcript and exchange, and its question as the topic. The result is a `Reading`: the text to
search, a per-answer ranking boost for `Retriever.search(boost=...)`, and how the question was read.
"""

from __future__ import annotations

import json
import re
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qa.index.chunking import AnswerRecord
from qa.index.lexical import tokenize
from qa.errors import QAError
from qa.lexicon import ORG_ENGLISH, has_cjk, normalize, organization_names, top_organization
from qa.speakers.roster import Speaker, surname_title
from qa.index.store import Index

MAX_HISTORY = 10
MAX_TURN_CHARS = 2000
# The query embedding does not truncate and costs grow with length: a carried topic is clipped, a search text capped.
MAX_TOPIC_CHARS = 300

# Boosts are in the retriever's fused-score units (a sum of z-scores; a named speaker earns +1 to +3).
SPEAKER_BOOST = 2.0
NAMED_BOOST = 3.0
EXCHANGE_PIN = 4.0
TOPIC_BOOST = 1.5
AWAY_FROM_SPEAKER = -4.0

_PERSON_ZH = re.compile(r"(?<![其吉])(他|她)(?![们人])")
_GROUP_ZH = re.compile(r"他们|她们|该部门?|该局|该司|该机构|这个部门|这个部|这个局|那个部门|贵部|贵局|这位(?:官员|司长|局长|领导)?|那位(?:官员|司长|局长|领导)?")
_THING_ZH = re.compile(r"它们|它")
_PERSON_EN = re.compile(r"\b(he|she|him|her|his|hers)\b", re.I)
_GROUP_EN = re.compile(r"\b(they|them|their|theirs|this official|that official|the ministry|that ministry|this ministry|"
                       r"the department|that department|this department|the agency|that agency)\b(?!\s+of\b|'s)", re.I)
# "it" as a pronoun, not the "it" of "how long does it take" or "is it true that".
_THING_EN = re.compile(r"\b(it|its)\b(?!\s+(?:take|takes|took|mean|means|true|possible|necessary|important|that)\b)"
                       r"(?<!\bis it)(?<!\bdoes it)", re.I)

_MORE = re.compile(r"^\W*(?:(?:请|能|可以)?(?:再|更)?(?:详细|具体|展开|多)(?:一点|一些|些)?(?:说说|讲讲|介绍|谈谈|说|讲)"
                   r"(?:一下|一点|点)?|还有呢|继续(?:说|讲)?|说详细点|能具体点吗|细说|"
                   r"(?:tell me |say |can you say |could you say )?more(?: about (?:that|this|it))?(?: please)?|"
                   r"go on|continue|elaborate|more details?(?: please)?|(?:in )?more detail(?: please)?|anything else)\W*$", re.I)
_WHO_ELSE = re.compile(r"还有谁|还有哪些(?:人|部门|官员|单位)|谁还|其他(?:人|部门|官员|发布人)|别的(?:人|部门|官员)|别人|"
                       r"who else|anyone else|any(?:one|body)? other (?:official|speaker|ministry|department)s?|"
                       r"other (?:officials|speakers|ministries|departments)", re.I)
_ELLIPSIS_ZH = re.compile(r"^\W*(?:(?:那么?|还有|至于)\s*(?P<x>[^，。？?！!]{1,24}?)(?:那边|方面)?(?:呢|怎么样|如何)"
                          r"|(?P<y>[^，。？?！!]{1,24}?)(?:那边|方面)?呢)\W*$")
_ELLIPSIS_EN = re.compile(r"^\W*(?:(?:and|so|but|ok|okay)[, ]+)?(?:what|how) about (?P<x>[^?]{1,60}?)\W*$|"
                          r"^\W*(?:and|but) (?:for |in )?(?P<y>(?:the )?[^?]{1,40}?)\?\s*$", re.I)
# An ellipsis is a phrase, not a question of its own: "专利转化面临哪些困难呢？" and "And how many were sold?" are not.
_QUESTION_WORDS = re.compile(r"哪|什么|怎么|怎样|如何|多少|几|吗|是否|为什么|谁|"
                             r"\b(?:what|how|which|who|why|when|where|is|are|did|does|do|was|were|will|can|could)\b", re.I)
_DEMONSTRATIVE = re.compile(r"这些|那些|这个|那个|这项|那项|这种|那种|上述|\b(?:these|those)\b", re.I)
_WHO_ELSE_FILLER = re.compile(r"谈到|谈过|提到|提过|说过|说了|讲了|讲过|介绍|这个|这|了|过|也|呢|"
                              r"\b(?:said|say|says|this|that|it|about|talked|talk|mentioned|mention|spoke|on|of|too|also)\b",
                              re.I)
# An ellipsis that names a facet of the same subject (its next steps, its results, a year) keeps the speaker.
_FACET = re.compile(r"下一步|接下来|今后|未来|明年|去年|今年|后续|计划|安排|成效|效果|进展|数据|多少|\d{4}年?|"
                    r"\b(?:next|future|plans?|results?|effects?|progress|figures?|numbers?|data|later|"
                    r"this year|last year|next year|\d{4})\b", re.I)
_CJK_PUNCT_END = "？?。！!"
_SAYING = re.compile(r"这么|那么|那样|说的|说了|说过|所说|说|讲的|讲了|讲|谈的|谈了|谈|提到|认为|觉得|意思|的|了|呢|吗|是|这|那|"
                     r"怎么看|看法|具体|详细|解释|"
                     r"\b(?:say|said|says|saying|think|thinks|thought|mean|means|meant|talk|talked|tell|told|speak|"
                     r"spoke|mention|mentioned|add|added|answer|answered|respond|responded|explain|explained|"
                     r"elaborate|clarify|expand|stand by|stands by|comment|view|views|position|"
                     r"then|again|exactly|really|just)\b", re.I)  # "this", "that", "else": _CONTINUING
# More of the same answer, or a word pointing back at it ("他对此怎么看？", "Can he elaborate on that?").
_CONTINUING = re.compile(r"还|又|另外|此|这个问题|这一点|这件事|这样|\b(?:else|also|too|other|that|this|it|those|these)\b",
                         re.I)


@dataclass(frozen=True)
class Turn:
    """One earlier turn, validated: its question and the answer it got, if the client said and it exists."""

    question: str
    record: AnswerRecord | None = None


@dataclass(frozen=True)
class Carried:
    """What the last turn hands to the next question."""

    topic: str
    speaker: Speaker | None
    record: AnswerRecord | None
    subject: tuple[str, tuple[str, ...]] | None  # (the words naming a speaker or body in the topic, their speakers)


@dataclass(frozen=True)
class Reading:
    """How a question is searched. `interpreted_as` is None when the question was taken as is."""

    question: str
    search_text: str
    interpreted_as: str | None = None
    kind: str = "standalone"
    boost: dict[int, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    @property
    def cache_key(self) -> tuple:
        """Everything about the reading that changes the answer; a standalone question shares the no-history key."""
        return (self.search_text, tuple(sorted(self.boost.items())))


class _Forms:
    """The words by which a question names each speaker of an index (name, 韩司长, pinyin, body, English body)."""

    def __init__(self, index: Index) -> None:
        self.by_key: dict[tuple[str, int], AnswerRecord] = {}
        forms: dict[str, set[str]] = {}
        self.speakers: dict[str, Speaker] = {}
        for record in index.answers:
            self.by_key.setdefault((record.transcript_id, record.exchange), record)
            if len(record.text) > len(self.by_key[(record.transcript_id, record.exchange)].text):
                self.by_key[(record.transcript_id, record.exchange)] = record
            s = record.speaker
            if s.role not in ("official", "unknown"):
                continue
            self.speakers[s.name] = s
            names = {s.name, *(n for n in organization_names(s.organization) if len(n) >= 2)}
            names.update(ORG_ENGLISH.get(top_organization(s.organization), ()))
            if short := surname_title(s):
                names.add(short)
            if english := english_name(s):
                names.add(english)
            for n in names:
                forms.setdefault(n.lower(), set()).add(s.name)
        self.patterns = [(re.compile(re.escape(f) if has_cjk(f) else rf"\b{re.escape(f)}\b", re.I), tuple(sorted(names)))
                         for f, names in sorted(forms.items(), key=lambda kv: len(kv[0]), reverse=True)]
        self.transcripts = set(index.transcripts)
        self.answer_ids = {id(r): i for i, r in enumerate(index.answers)}
        self.by_speaker: dict[str, list[int]] = {}
        for i, record in enumerate(index.answers):
            self.by_speaker.setdefault(record.speaker.name, []).append(i)

    def mention(self, text: str) -> tuple[re.Match[str], tuple[str, ...]] | None:
        """The longest words in text that name a speaker or their body, and whom they name."""
        for pattern, names in self.patterns:
            if match := pattern.search(text):
                return match, names
        return None


_FORMS: dict[int, tuple["weakref.ref[Index]", _Forms]] = {}


def _forms(index: Index) -> _Forms:
    """Built once per loaded index (an Index is read-only), dropped with it."""
    entry = _FORMS.get(id(index))
    if entry is None or entry[0]() is not index:
        entry = (weakref.ref(index, lambda _, key=id(index): _FORMS.pop(key, None)), _Forms(index))
        _FORMS[id(index)] = entry
    return entry[1]


def english_name(speaker: Speaker) -> str | None:
    """魏巍 → 'Wei Wei': how an English question names a Chinese official (and what the retriever matches)."""
    if not has_cjk(speaker.name):
        return None
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return None
    syllables = lazy_pinyin(speaker.name)
    if len(syllables) < 2:
        return None
    return f"{syllables[0].title()} {''.join(syllables[1:]).title()}"


def read_history(index: Index, raw: Any) -> tuple[list[Turn], list[str]]:
    """The usable turns of a client's history, most recent last, and a note for everything ignored. Never raises:
    history is context, so a bad one costs the follow-up, not the answer."""
    if raw is None:
        return [], []
    if not isinstance(raw, list):
        return [], [f"history ignored: expected a list of turns, got {type(raw).__name__}"]
    notes = []
    if len(raw) > MAX_HISTORY:
        notes.append(f"history: only the last {MAX_HISTORY} of {len(raw)} turns were used")
    forms = _forms(index)
    offset = max(0, len(raw) - MAX_HISTORY)
    turns = []
    for position, item in enumerate(raw[offset:], start=offset):
        where = f"history[{position}]"
        question = item.get("question") if isinstance(item, dict) else None
        if not isinstance(question, str) or not question.strip():
            notes.append(f"{where} ignored: expected {{\"question\": \"...\", \"answer\"?: {{...}}}}")
            continue
        if len(question) > MAX_TURN_CHARS:
            notes.append(f"{where} ignored: its question is over {MAX_TURN_CHARS} characters")
            continue
        if not _is_text(question):
            notes.append(f"{where} ignored: its question is not text (a lone surrogate, \\ud800…)")
            continue
        turns.append(Turn(question.strip(), _answer_record(forms, item.get("answer"), where, notes)))
    return turns, notes


def _answer_record(forms: _Forms, answer: Any, where: str, notes: list[str]) -> AnswerRecord | None:
    if answer is None:
        return None
    if not isinstance(answer, dict):
        notes.append(f"{where}.answer ignored: expected {{\"transcript_id\": \"...\", \"exchange\": N}}")
        return None
    transcript, exchange = answer.get("transcript_id"), answer.get("exchange")
    if not isinstance(transcript, str) or transcript not in forms.transcripts:
        notes.append(f"{where}.answer ignored: no transcript {str(transcript)[:80]!r} in the index")
        return None
    if isinstance(exchange, bool) or not isinstance(exchange, int):
        notes.append(f"{where}.answer ignored: exchange must be a whole number")
        return None
    record = forms.by_key.get((transcript, exchange))
    if record is None:
        notes.append(f"{where}.answer ignored: transcript {transcript!r} has no exchange {exchange}")
    return record


def read_question(index: Index, question: str, history: Any = None) -> Reading:
    """How to search `question` given the raw history a client sent (see read_history)."""
    turns, notes = read_history(index, history)
    reading = resolve(index, question, turns)
    search_text = reading.search_text[:MAX_TURN_CHARS]
    interpreted_as = search_text if reading.interpreted_as == reading.search_text else reading.interpreted_as
    return Reading(reading.question, search_text, interpreted_as, reading.kind, reading.boost, tuple(notes))


def resolve(index: Index, question: str, turns: list[Turn]) -> Reading:
    """Each earlier turn is itself read against the ones before it, so a chain of follow-ups keeps its thread."""
    forms = _forms(index)
    carried: Carried | None = None
    for turn in turns:
        topic = _resolve(forms, turn.question, carried).search_text[:MAX_TOPIC_CHARS]
        speaker = turn.record.speaker if turn.record else None
        mention = forms.mention(topic)
        subject = (mention[0].group(0), mention[1]) if mention else None
        if speaker is None and subject and len(subject[1]) == 1:
            speaker = forms.speakers.get(subject[1][0])
        carried = Carried(topic, speaker, turn.record, subject)
    return _resolve(forms, question, carried)


def _resolve(forms: _Forms, question: str, carried: Carried | None) -> Reading:
    taken_as_is = Reading(question, question)
    if carried is None:
        return taken_as_is
    text = normalize(question).strip()
    chinese = has_cjk(text)
    speaker = carried.speaker
    if _WHO_ELSE.search(text):
        away = {i: AWAY_FROM_SPEAKER for i in forms.by_speaker.get(speaker.name, [])} if speaker else {}
        rest = re.sub(r"\s+", " ", _WHO_ELSE_FILLER.sub(" ", _WHO_ELSE.sub(" ", text))).strip(" ?？。")
        own = len(re.sub(r"\W", "", rest)) >= 2
        topic = rest if own else _without_subject(forms, carried.topic)
        label = _person_label(speaker, chinese) if speaker else ""
        about = _bare(topic if own else carried.topic)
        shown = (f"还有谁谈到：{about}" + (f"（{label}之外）" if label else "")) if chinese else \
            (f"Who else spoke on: {about}" + (f" (besides {label})" if label else ""))
        return Reading(question, topic, shown, "who_else", away)
    if _MORE.match(text):
        boost = _speaker_boost(forms, speaker, TOPIC_BOOST)
        if carried.record is not None:
            boost[forms.answer_ids[id(carried.record)]] = EXCHANGE_PIN
        shown = f"{carried.topic}（详细）" if chinese else f"More on: {carried.topic}"
        return Reading(question, carried.topic, shown, "more", boost)
    ellipsis = _ellipsis(text)
    if ellipsis:
        return _resolve_ellipsis(forms, question, ellipsis, carried, chinese)
    return _resolve_pronoun(forms, question, text, carried, chinese) or taken_as_is


def _ellipsis(text: str) -> str | None:
    match = (_ELLIPSIS_ZH if has_cjk(text) else _ELLIPSIS_EN).match(text)
    if not match:
        return None
    phrase = (match.group("x") or match.group("y")).strip()
    return None if _QUESTION_WORDS.search(phrase) else phrase


def _resolve_ellipsis(forms: _Forms, question: str, new: str, carried: Carried, chinese: bool) -> Reading:
    named = forms.mention(new)
    topic = carried.topic
    if named is not None or not _FACET.search(new):
        # A new subject: it takes the old subject's place in the topic, or heads the topic when it had none.
        if carried.subject is not None:
            start = topic.find(carried.subject[0])
            if start < 0:
                start = topic.lower().find(carried.subject[0].lower())
            rewritten = topic[:start] + new + topic[start + len(carried.subject[0]):]
        else:
            rewritten = f"{new}：{_bare(topic)}" if chinese else f"{_bare(topic)} — what about {new}?"
        boost = _speaker_boost(forms, forms.speakers.get(named[1][0]) if named and len(named[1]) == 1 else None,
                               NAMED_BOOST)
        if named is None and carried.subject is None and carried.record is not None:
            boost[forms.answer_ids[id(carried.record)]] = TOPIC_BOOST
        return Reading(question, rewritten, rewritten, "ellipsis", boost)
    # A facet of the same subject: the topic with the facet, and the same speaker.
    rewritten = f"{new}，{_bare(topic)}" if chinese else f"{_bare(topic)} — {new}?"
    return Reading(question, rewritten, rewritten, "ellipsis", _speaker_boost(forms, carried.speaker, SPEAKER_BOOST))


def _resolve_pronoun(forms: _Forms, question: str, text: str, carried: Carried, chinese: bool) -> Reading | None:
    speaker = carried.speaker
    person = (_PERSON_ZH if has_cjk(text) else _PERSON_EN)
    group = (_GROUP_ZH if has_cjk(text) else _GROUP_EN)
    thing = (_THING_ZH if has_cjk(text) else _THING_EN)
    if speaker is not None and (person.search(text) or group.search(text)):
        pattern, label = (person, _person_label(speaker, chinese)) if person.search(text) else (
            group, _body_label(speaker, chinese))
        rewritten = pattern.sub(_possessive(label, chinese), question.strip())  # the asker's own punctuation
        boost = _speaker_boost(forms, speaker, SPEAKER_BOOST)
        if _own_topic(pattern.sub(" ", text)):
            # "What did he say about patent pools?" names its own topic: the same official, not the same exchange.
            return Reading(question, rewritten, rewritten, "pronoun", boost)
        return Reading(question, rewritten, rewritten, "pronoun",
                       _with_exchange(forms, boost, carried.record, TOPIC_BOOST))
    demonstrative = _DEMONSTRATIVE.search(text)
    if thing.search(text) or demonstrative:
        if carried.subject is not None and not demonstrative:
            subject = carried.subject[0] if has_cjk(carried.subject[0]) == chinese else (
                _body_label(speaker, chinese) if speaker else carried.subject[0])
            rewritten = thing.sub(_possessive(subject, chinese), question.strip())
            boost = _speaker_boost(forms, speaker, SPEAKER_BOOST)
        else:
            asked = question.strip()
            rewritten = f"{asked}（{_bare(carried.topic)}）" if chinese else f"{asked} ({_bare(carried.topic)})"
            boost = _speaker_boost(forms, speaker, TOPIC_BOOST)
        return Reading(question, rewritten, rewritten, "pronoun",
                       _with_exchange(forms, boost, carried.record, TOPIC_BOOST))
    return None


def _own_topic(text: str) -> bool:
    """Words of its own once the question words, the verbs of saying and the facets of the same subject ("next",
    "下一步", "the data") are gone: '专利池', 'patent pools' — not '他为什么这么说？' or 'What will they do next?'."""
    if _CONTINUING.search(text):
        return False  # "他还说了…", "What else did he say…": more of the same answer
    rest = _FACET.sub(" ", _SAYING.sub(" ", _QUESTION_WORDS.sub(" ", text)))  # "what will they do next" asks a facet
    return any(len(t) >= 3 or (len(t) == 2 and has_cjk(t)) for t in tokenize(rest))  # a Chinese word, an English one


def _possessive(label: str, chinese: bool):
    """English possessives keep their 's; other pronouns become the label."""
    def replace(match: re.Match[str]) -> str:
        if not chinese and match.group(0).lower() in ("his", "her", "hers", "its", "their", "theirs"):
            return f"{label}'s"
        return label
    return replace


def _speaker_boost(forms: _Forms, speaker: Speaker | None, amount: float) -> dict[int, float]:
    if speaker is None:
        return {}
    return {i: amount for i in forms.by_speaker.get(speaker.name, [])}


def _with_exchange(forms: _Forms, boost: dict[int, float], record: AnswerRecord | None, amount: float) -> dict[int, float]:
    """A follow-up most often stays in the exchange it follows: that answer gets a little more."""
    if record is not None:
        answer_id = forms.answer_ids[id(record)]
        boost[answer_id] = boost.get(answer_id, 0.0) + amount
    return boost


def _person_label(speaker: Speaker, chinese: bool) -> str:
    if chinese or not has_cjk(speaker.name):
        return speaker.name
    return english_name(speaker) or speaker.name


def _body_label(speaker: Speaker, chinese: bool) -> str:
    top = top_organization(speaker.organization)
    if chinese:
        short = [n for n in organization_names(top) if n != top]
        return min(short, key=len) if short else (top or speaker.name)
    english = ORG_ENGLISH.get(top)
    if english:
        words = english[0].split()
        if len(words) == 1:
            return "the " + words[0].upper()
        return "the " + " ".join(w if w in ("of", "and", "for") else w.capitalize() for w in words)
    return _person_label(speaker, chinese)


def _without_subject(forms: _Forms, topic: str) -> str:
    mention = forms.mention(topic)
    if mention is None:
        return topic
    stripped = (topic[:mention[0].start()] + topic[mention[0].end():]).strip()
    return stripped or topic


def _bare(text: str) -> str:
    return text.strip().rstrip(_CJK_PUNCT_END + " ")


def with_reading(body: dict[str, Any], reading: Reading) -> dict[str, Any]:
    """The /ask body for the question as asked, saying how it was read (and what of the history was ignored)."""
    return {**body, "question": reading.question, "interpreted_as": reading.interpreted_as,
            "notes": list(reading.notes) + list(body.get("notes", []))}


def load_history(value: str | None) -> Any:
    """`qa ask --history`: a JSON list given inline, or the path of a file holding one."""
    if value is None:
        return None
    text = value
    if not value.lstrip().startswith(("[", "{")):
        try:
            text = Path(value).read_text(encoding="utf-8")
        except OSError as exc:
            raise QAError(f"--history {value!r} is neither JSON nor a readable file ({exc.strerror}): "
                          "pass '[{\"question\": \"...\"}]' or a file holding that") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise QAError(f"--history is not valid JSON ({exc}): pass a list like '[{{\"question\": \"...\"}}]'") from None
    except RecursionError:
        raise QAError("--history nests too deep to read: pass a flat list like '[{\"question\": \"...\"}]'") from None


def _is_text(value: str) -> bool:
    """Encodable as UTF-8: JSON may carry a lone surrogate ("\\ud800"), which the embedder cannot take."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True
