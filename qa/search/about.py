"""Questions about a person or a body — "杜墨说了什么？", "What did Du Mo say?", "金融监管总局讲了什么" — answered with
everything that speaker said: each exchange with its topic (the reporter's question) and a highlight.

Ranking by meaning cannot answer these: the question names someone and asks for nothing in particular, so no
passage resembles it (they came back *Not found*, or another official). The intent is recognised here, the name
resolved against the people of the index (officials, witnesses, the members or reporters who ask, the host; in
Chinese, pinyin, English, with or without titles), and the answers listed in the order they were given.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from qa.search.answers import MAX_HIGHLIGHT_CHARS, answer_json
from qa.search.asked import OtherTurn, other_turns
from qa.index.chunking import SENTENCE, AnswerRecord
from qa.speakers.english import default_glossary
from qa.lexicon import HONORIFICS_ZH, ORG_ENGLISH, TITLE_WORDS_ZH, has_cjk, normalize, organization_names, top_organization
from qa.search.transliteration import Transliterations
from qa.speakers.header import title_forms
from qa.speakers.roster import Speaker, sole_post_holders, surname_title
from qa.errors import QAError
from qa.index.store import Index

MAX_ABOUT_ANSWERS = 20

_END = r"[\s?？。.!！~～]*$"
_ZH_VERB = r"(?:都|主要|具体|一共|分别|还)?(?:说|讲|谈|介绍|回答|提|表示|发言|答|讲述|谈论|阐述)(?:了|过|到)?"
_ZH_WHAT = r"(?:些|哪些|什么|啥|些什么|哪几个|几个|多少)(?:内容|方面|问题|情况|话|东西|事情|观点|要点)?"
_ZH_PLACE = r"(?:在(?:本次|今天的?|这次|此次)?(?:新闻)?(?:发布会|会上|会议|听证会)上?)?"
_ZH_PATTERNS = [
    re.compile(rf"^(?:请问)?(?P<who>.{{1,40}}?){_ZH_PLACE}{_ZH_VERB}{_ZH_WHAT}{_END}"),
    re.compile(rf"^(?:请问)?(?P<who>.{{1,40}}?){_ZH_PLACE}的(?:发言|回答|讲话|答问|介绍)(?:是什么|有哪些|讲了什么|内容)?{_END}"),
    re.compile(rf"^(?:请问)?(?P<who>.{{1,40}}?){_ZH_PLACE}(?:问|提问)(?:了|过)?{_ZH_WHAT}{_END}"),
]
_EN_PLACE = r"(?:\s+(?:at|in|during|on)\s+(?:the|this|today'?s?|that)\s+(?:briefing|press\s+conference|conference|hearing|session|meeting|event))?(?:\s+today)?"
_EN_VERB = (r"(?:say|said|talk\s+about|talked\s+about|discuss|cover|speak\s+about|speak\s+on|mention|answer|address|"
            r"tell\s+us|tell\s+reporters|explain|have\s+to\s+say|ask|ask\s+about)")
_EN_PATTERNS = [
    re.compile(rf"^(?:and\s+|so\s+)?(?:what|which\s+(?:topics|questions|subjects|issues|points|areas|things))\s+"
               rf"(?:did|does|has|have|do)\s+(?P<who>.+?)\s+{_EN_VERB}{_EN_PLACE}{_END}", re.I),
    re.compile(rf"^(?:please\s+)?(?:tell\s+me|show\s+me|show|list|summari[sz]e)\s+(?:what|everything)\s+(?P<who>.+?)\s+"
               rf"(?:said|says|answered|talked\s+about|covered|asked){_EN_PLACE}{_END}", re.I),
    re.compile(rf"^(?:what\s+(?:were|are|was)\s+|show\s+me\s+|list\s+)?(?P<who>.+?)['’]s?\s+"
               rf"(?:answers|remarks|comments|points|statements|questions|answer|remark|statement){_EN_PLACE}{_END}", re.I),
    re.compile(rf"^(?:what\s+was\s+said\s+by|answers\s+(?:by|from)|everything\s+(?:by|from))\s+(?P<who>.+?){_EN_PLACE}{_END}", re.I),
]
_COURTESY = re.compile(r"谢谢|感谢|我来回答|大家好|thank|good (?:morning|afternoon|evening)|hello", re.I)
_HOST_WORDS = ("host", "the host", "moderator", "the moderator", "主持人", "主持")
_PRONOUNS = {"他", "她", "他们", "她们", "该负责人", "这位", "he", "she", "they", "him", "her", "this speaker", "the speaker"}
_EN_TITLES = re.compile(
    r"^(?:(?:the|mr|mrs|ms|miss|madam|madame|dr|prof|professor|director|general|deputy|vice|commissioner|minister|"
    r"head|chair|chairman|chairwoman|spokesperson|spokesman|spokeswoman|secretary|governor|administrator|senator|"
    r"representative|rep|sen|congressman|congresswoman|member|witness|official|host|moderator|of|department|"
    r"director-general|press)\.?\s+)+", re.I)


@dataclass
class Person:
    """Someone of the index, with every way a question may name them."""

    speaker: Speaker
    aliases: set[str] = field(default_factory=set)
    surnames: set[str] = field(default_factory=set)
    bodies: set[str] = field(default_factory=set)
    answers: list[int] = field(default_factory=list)


@dataclass
class Directory:
    """The people of one index build, by name; built once per build (cheap: a loop over the answers)."""

    people: dict[str, Person]
    words: dict[str, str] = field(default_factory=dict)  # dictionary words in name characters (transliteration.py)
    given: dict[str, set[str]] = field(default_factory=dict)  # surname → given names the transcripts write with it
    _sound: Transliterations | None = field(default=None, repr=False)

    def heard(self, phrase: str) -> list[Person]:
        """English people a Chinese phrase names by sound: 罗林斯 is Rollins, 莱维特 Leavitt."""
        if self._sound is None:
            forms: dict[str, set[str]] = {}
            for name, person in self.people.items():
                if not has_cjk(name):
                    for form in {a for a in person.aliases if a.isascii() and a[:1].isalpha()} | person.surnames:
                        forms.setdefault(form, set()).add(name)
            self._sound = Transliterations(forms, self.words)
        named = self._sound.find(phrase)
        return [p for name, p in self.people.items() if name in named]

    def resolve(self, who: str) -> list[Person]:
        """A phrase → the person it names, or the people of the body it names ([] when it names no one known)."""
        phrase = _clean(who)
        if not phrase:
            return []
        if has_cjk(phrase):
            named = [p for p in self.people.values() if has_cjk(p.speaker.name) and p.speaker.name in phrase]
            if not named:
                named = [p for p in self.people.values() if any(a in phrase for a in p.aliases if has_cjk(a) and len(a) >= 2)]
            if named:
                return _longest_names(named)
            bodies = sorted({b for p in self.people.values() for b in p.bodies if has_cjk(b) and b in phrase}, key=len)
            return self._body(bodies[-1]) if bodies else self.heard(phrase)
        lowered = phrase.lower()
        exact = [p for p in self.people.values() if lowered in p.aliases or re.sub(r"^the\s+", "", lowered) in p.aliases]
        if exact:
            return exact
        stripped = _EN_TITLES.sub("", lowered).strip()
        if stripped != lowered:
            exact = [p for p in self.people.values() if stripped in p.aliases]
            if exact:
                return exact
            by_surname = [p for p in self.people.values() if stripped in p.surnames]
            if by_surname:
                return by_surname
        words = stripped.split()
        if 2 <= len(words) <= 3:  # "Dr Martin Greaves" for the label "Dr Greaves": the surname, with a given name
            by_surname = [p for p in self.people.values() if words[-1] in p.surnames and not has_cjk(p.speaker.name)
                          and (words[-2] in " ".join(p.aliases).split()
                               or words[-2] in self.given.get(words[-1], ()))]  # not "Peter Greaves"
            if len(by_surname) == 1:
                return by_surname
        return self._body(re.sub(r"^the\s+", "", lowered))

    def _body(self, phrase: str) -> list[Person]:
        members = [p for p in self.people.values() if phrase in p.bodies]
        return sorted(members, key=lambda p: -len(p.answers))


_DIRECTORIES: dict[str, Directory] = {}
_LOCK = threading.Lock()


def directory_for(index: Index) -> Directory:
    key = str(index.directory)
    with _LOCK:
        found = _DIRECTORIES.get(key)
        if found is None:
            if len(_DIRECTORIES) > 4:
                _DIRECTORIES.clear()
            found = _DIRECTORIES[key] = build_directory([r.speaker for r in index.answers],
                                                         index.reverse_glossary.names, roster=index.roster)
            found.given = _given_names(index, {s for p in found.people.values() for s in p.surnames if s.isascii()})
        return found


def _given_names(index: Index, surnames: set[str]) -> dict[str, set[str]]:
    """The given names the transcripts' headers write before a speaker's surname ("Dr Martin Greaves, Chief
    Executive"), lower case: a question may use them though the labels do not."""
    given: dict[str, set[str]] = {}
    if not surnames:
        return given
    pattern = re.compile(r"\b([A-Z][a-z'’-]+)[ \t]+(" + "|".join(re.escape(s.capitalize()) for s in surnames) + r")\b")
    for transcript_id in index.transcripts:
        try:
            head = "\n".join(index.transcript_lines(transcript_id)[:60])
        except QAError:
            continue
        for m in pattern.finditer(head):
            given.setdefault(m.group(2).lower(), set()).add(m.group(1).lower())
    return given


def build_directory(speakers: list[Speaker], words: dict[str, str] | None = None, roster: list[Speaker] = ()) -> Directory:
    """People by name from the speaker of each item (answers, or other turns); Person.answers holds item positions.
    The roster (everyone the index names) says which posts someone alone holds."""
    glossary = default_glossary()
    people: dict[str, Person] = {}
    for i, s in enumerate(speakers):
        person = people.get(s.name)
        if person is None:
            person = people[s.name] = Person(s)
            _add_names(person, glossary)
        person.answers.append(i)
    for post, name in sole_post_holders([person.speaker for person in people.values()], roster).items():
        people[name].aliases.add(post)  # 'the treasurer' of "TREASURER:", held by no one else here
    return Directory(people, words or {})


def _add_names(person: Person, glossary) -> None:
    s = person.speaker
    aliases, surnames = person.aliases, person.surnames
    aliases.add(s.name.lower())
    if s.role == "host":
        aliases.update(_HOST_WORDS)
    if has_cjk(s.name):
        if short := surname_title(s):
            aliases.add(short)
        aliases.update(s.name[0] + h for h in HONORIFICS_ZH)
        english = glossary.name(s.name).lower()
        parts = english.split()
        if len(parts) >= 2:
            aliases.update({english, " ".join(parts[1:] + parts[:1]), "".join(parts)})
            surnames.add(parts[0])
    else:
        lowered = s.name.lower()
        parts = _EN_TITLES.sub("", lowered).split()
        if parts:
            aliases.add(" ".join(parts))
            surnames.add(parts[-1])
            if len(parts[-1]) >= 4:
                aliases.add(parts[-1])
        aliases.update(title_forms(s.title))  # 'the agriculture secretary', from the transcript's header
        if s.title and s.organization and not has_cjk(s.title + s.organization):  # 'the environment agency chief
            title, body = s.title.lower(), s.organization.lower()                 # executive'
            aliases.update({f"{body} {title}", f"{title} of {body}", f"{title} of the {body}", f"{title}, {body}"})
    if s.organization:
        top = top_organization(s.organization)
        person.bodies.update(n.lower() for n in organization_names(s.organization) if len(n) >= 2)
        person.bodies.update(ORG_ENGLISH.get(top, ()))
        english_body = glossary.organization(top)
        if english_body:
            person.bodies.add(english_body.lower())
        # "the foreign ministry spokesperson": the body in English, then the post in English.
        post = glossary.title(s.title, s.organization).lower() if has_cjk(s.title) else ""
        if post and " and " not in post:
            aliases.update(f"{body} {post}" for body in {*ORG_ENGLISH.get(top, ()), english_body.lower()} if body)


def _clean(who: str) -> str:
    who = normalize(who).strip(" \t,，:：、\"“”'‘’")
    if has_cjk(who):
        who = re.sub(r"^(?:那么|那|请问|关于)", "", who)
    return who.strip()


def _longest_names(people: list[Person]) -> list[Person]:
    """'韩爱朋' inside '胡文辉提到韩爱朋' is ambiguous; keep everyone named, most answers first."""
    return sorted(people, key=lambda p: (-len(p.speaker.name), -len(p.answers)))[:3]


def about_intent(question: str) -> str | None:
    """The phrase naming who the question is about ("杜墨", "Du Mo", "the finance regulator"), or None."""
    text = normalize(question).strip()
    if not text or len(text) > 120:
        return None
    for pattern in _ZH_PATTERNS if has_cjk(text) else _EN_PATTERNS:
        match = pattern.match(text)
        if match:
            who = match.group("who").strip()
            if has_cjk(who) and re.search(r"[^反相针绝面]\s*(?:对于|对(?![外内话象比照口待应])|关于)[^对]{2,}", who):
                return None  # "财务总监德赛对债券利率说了什么": what she said of something, ranked as any question
            if who and not re.fullmatch(r"(?:你|你们|我|我们|大家|it|you|we|i|this|that|the briefing|the transcript)",
                                        who, re.I):
                return who
    return None


# Words that make a phrase name a post or a body ("the Agriculture Secretary", "the agriculture ministry"); not "the
# committee", "the meeting", "the members", which a hearing's questions use for its own people.
_POST_OR_BODY_EN = frozenset("secretary minister director spokesperson spokesman spokeswoman governor president premier "
                             "mayor commissioner ambassador chancellor treasurer senator ministry department office "
                             "administration agency commission bureau regulator authority".split())
_BODY_ZH = re.compile(r"(?:部|局|委员会|署|厅|办公室|总局|银行|政府)$")


def absent_person(index: Index, question: str) -> str | None:
    """The post or body a question about someone names, when nobody in the index holds or is it ("What did the
    Agriculture Secretary say?" over a Chinese patent briefing): the ranked answers are then only the closest."""
    who = about_intent(question)
    if who is None or who.lower() in _PRONOUNS or who.lower() in _HOST_WORDS:
        return None
    if has_cjk(who):
        names_post = any(who.endswith(t) for t in TITLE_WORDS_ZH) or bool(_BODY_ZH.search(who))
    else:
        names_post = bool(_POST_OR_BODY_EN & {re.sub(r"['’]s?$|[.,]$", "", w.lower()) for w in who.split()})
    if not names_post or directory_for(index).resolve(who) or _about_other_turns(index, question, who, None):
        return None
    return who


@dataclass(frozen=True)
class AboutAnswer:
    record: AnswerRecord
    answer_id: int
    highlight: str
    highlight_lines: tuple[int, int]


def answer_about(index: Index, question: str, *, top_k: int = 3, speaker: str | None = None,
                 transcript: str | None = None) -> dict[str, Any] | None:
    """The /ask body listing what the person (or body) the question is about said, or None when it is not such a
    question or names no one in the index — the ranked search answers it then."""
    who = about_intent(question)
    if who is None:
        return None
    directory = directory_for(index)
    if who.lower() in _PRONOUNS and speaker:
        people = [p for p in directory.people.values() if speaker.strip().lower() in p.speaker.name.lower()]
    else:
        people = directory.resolve(who)
    if speaker:
        wanted = speaker.strip().lower()
        people = [p for p in people if wanted in p.speaker.name.lower() or p.speaker.name.lower() in wanted]
    if not people and not speaker:
        return _about_other_turns(index, question, who, transcript)
    if not people:
        return None
    ids = [i for p in people for i in p.answers
           if not transcript or index.answers[i].transcript_id == transcript.strip()]
    if not ids:
        return None
    limit = max(top_k, MAX_ABOUT_ANSWERS)
    ordered = sorted(ids, key=lambda i: (people.index(next(p for p in people if i in p.answers)),
                                         _date(index, index.answers[i]), index.answers[i].line_start))[:limit]
    answers = [_answer_json(index, _about_answer(index, i)) for i in ordered]
    lead = people[0].speaker
    return {"question": question, "found": True, "answers": answers,
            "about": {"name": lead.name, "display": lead.display, "names": [p.speaker.name for p in people],
                      "answers": len(ids)}}


def _about_other_turns(index: Index, question: str, who: str, transcript: str | None) -> dict[str, Any] | None:
    """Someone who asks or hosts rather than answers: their questions or remarks, each cited to its lines."""
    turns = [t for t in other_turns(index) if not transcript or t.transcript_id == transcript.strip()]
    people = build_directory([t.speaker for t in turns], index.reverse_glossary.names, roster=index.roster).resolve(who)
    if not people:
        return None
    chosen = [turns[i] for i in people[0].answers][:MAX_ABOUT_ANSWERS]
    lead = people[0].speaker
    return {"question": question, "found": True, "answers": [_turn_json(index, t) for t in chosen],
            "about": {"name": lead.name, "display": lead.display, "names": [lead.name], "answers": len(people[0].answers)}}


def _turn_json(index: Index, turn: OtherTurn) -> dict[str, Any]:
    transcript = index.transcripts.get(turn.transcript_id, {})
    s = turn.speaker
    highlight = turn.highlight
    return {
        "speaker": {"name": s.name, "title": s.title, "organization": s.organization, "display": s.display},
        "text": turn.text,
        "highlight": highlight,
        "question_asked": turn.text if turn.kind == "question" else None,
        "score": 1.0,
        "citation": {
            "transcript_id": turn.transcript_id,
            "transcript_title": transcript.get("title", turn.transcript_id),
            "date": transcript.get("date"),
            "exchange": turn.exchange,
            "line_start": turn.line_start,
            "line_end": turn.line_end,
            "highlight_lines": [turn.line_start, turn.line_end],
            "url": f"/transcripts/{turn.transcript_id}#L{turn.line_start}-L{turn.line_end}",
        },
        "attribution": {"evidence": f"labelled {s.role}: the {turn.kind} is theirs", "confidence": 1.0},
    }


def _date(index: Index, record: AnswerRecord) -> str:
    return str(index.transcripts.get(record.transcript_id, {}).get("date") or "")


def _about_answer(index: Index, answer_id: int) -> AboutAnswer:
    record = index.answers[answer_id]
    sentences = index.tables[SENTENCE]
    lo, hi = np.searchsorted(sentences.answers, [answer_id, answer_id + 1])
    if hi <= lo:
        return AboutAnswer(record, answer_id, record.text[:MAX_HIGHLIGHT_CHARS], (record.line_start, record.line_end))
    topic = record.question or str(index.transcripts.get(record.transcript_id, {}).get("title", ""))
    best = max(range(lo, hi), key=lambda r: (_overlap(topic, sentences.texts[r]), -r))
    text = sentences.texts[best][:MAX_HIGHLIGHT_CHARS]
    line_start, line_end = (int(x) for x in sentences.lines[best])
    return AboutAnswer(record, answer_id, text, (line_start, line_end))


def _overlap(topic: str, sentence: str) -> float:
    """How much of the topic a sentence takes up (character bigrams or words); courtesies ('谢谢你的提问', 'Good
    afternoon') and scraps rank below any sentence with content."""
    if len(sentence) < 12 or _COURTESY.search(sentence[:16]):
        return -1.0
    a, b = _grams(topic), _grams(sentence)
    return len(a & b) / (len(a) ** 0.5 * len(b) ** 0.5) if a and b else 0.0


def _grams(text: str) -> set[str]:
    text = normalize(text).lower()
    if has_cjk(text):
        runs = re.findall(r"[\u3400-\u9fff]+", text)
        return {run[i:i + 2] for run in runs for i in range(len(run) - 1)}
    return set(re.findall(r"[a-z0-9]{3,}", text))


def _answer_json(index: Index, about: AboutAnswer) -> dict[str, Any]:
    """The score is how sure the attribution is, which is the whole question when someone asks what a person said."""
    return answer_json(index, about.record, highlight=about.highlight, highlight_lines=about.highlight_lines,
                       score=about.record.confidence)
