"""`问：… / 答：…` and `Q: … / A: …` transcripts: the answerer is named only in the title or the opening
("外交部发言人洪磊主持例行记者会", "Press briefing by Press Secretary Jane Doe", "Interview with Lena Berg, …"), so every 答/A turn gets that name."""

from __future__ import annotations

import re

from qa.ingest.turns import Turn
from qa.lexicon import HOST_WORDS, REPORTER_WORDS, UNNAMED_ANSWERERS
from qa.ingest.formats.paragraphs import parse_paragraphs

QA_LINE = re.compile(r"^\s*(?:\*\*)?\s*(问|答|Q|A)\s*(?:\*\*)?\s*[:：]")
_ANSWERER = (
    re.compile(r"([\u4e00-\u9fff]{2,14}?发言人[\u4e00-\u9fff]{2,4}?)(?:主持|举行|在)[\u4e00-\u9fff]{0,8}(?:记者会|发布会)"),
    # "国家发展改革委 国家能源局有关负责人就《…》答记者问": the officials in charge, unnamed but for their bodies
    re.compile(r"^([\u4e00-\u9fff、 　]{2,40}?(?:有关|相关)?负责(?:人|同志))就.{0,80}?答记者问", re.M),
    re.compile(r"[Pp]ress [Bb]riefing (?:[Bb]y|[Ww]ith) ((?:[A-Z][\w.'’\-]*\s+){0,4}[A-Z][\w'’\-]+)"),
    re.compile(r"((?:[A-Z][\w'’\-]+\s+){0,3}[Ss]pokesperson\s+(?:[A-Z][\w'’\-]+\s?){1,3})['’]s (?:Regular )?Press Conference"),
    # "Interview with Lena Berg, …", "An interview with Prime Minister Anthony Albanese": the name, on its line, without
    # the title before it or a headline's next word ("Interview With Lena Berg About …").
    re.compile(r"\b[Ii]nterview (?:[Ww]ith|[Oo]f)[ \t]+(?:(?:the[ \t]+)?(?:Prime[ \t]+Minister|Deputy[ \t]+Prime[ \t]+Minister|"
               r"President|Minister|Secretary|Chancellor|Premier|Governor|Mayor|Dr|Mr|Mrs|Ms|Prof)\.?[ \t]+)?"
               r"((?!(?:About|On|For|And|The|In|At|Of|With|To)\b)[A-Z][\w'’\-]+"
               r"(?:[ \t]+(?!(?:About|On|For|And|The|In|At|Of|With|To)\b)[A-Z][\w'’\-]+){1,2})"),
)
_QUESTION_LABELS = {"问": "记者", "Q": "Reporter"}
_ANSWER_LABELS = UNNAMED_ANSWERERS


def looks_like_qa(lines: list[str]) -> bool:
    """At least two questions and two answers marked 问/答 (or Q/A) at the start of lines."""
    marks = [m.group(1) for line in lines[:5000] if (m := QA_LINE.match(line))]
    asks = sum(1 for m in marks if m in _QUESTION_LABELS)
    return asks >= 2 and len(marks) - asks >= 2


def answerer_from_opening(lines: list[str]) -> str | None:
    """The spokesperson named in the title or the opening lines, with their body and title."""
    head = "\n".join(line.strip().strip("#* ") for line in lines[:15])
    head = re.sub(r"\d+\s*[年月日]", " ", head)  # '2015年3月2日外交部发言人…': the date is not part of the body
    for pattern in _ANSWERER:
        if m := pattern.search(head):
            return m.group(1).strip()
    return None


def parse_qa(lines: list[str]) -> tuple[list[Turn], str | None]:
    """Read the text as 'Label: text' turns, then give 问/Q to the reporter and 答/A to the answerer."""
    turns, title = parse_paragraphs(lines, "labelled")
    answerer = answerer_from_opening(lines)
    # "GOVERNOR MARSH: …" / "Q: And on wages?" / "A: No change.": a follow-up put straight after a named official's
    # answer is theirs to answer. Anything else between (a host, another question) and A is the file's answerer.
    answered: str | None = None  # the official whose answer the last labelled turn was
    follow_up_of: str | None = None  # the official a question was put straight after
    for turn in turns:
        if not turn.label:
            continue
        label = turn.label.strip("* ")
        if label in _QUESTION_LABELS or REPORTER_WORDS.search(label):
            # "问：", and a reporter by outlet ("台湾东森电视记者："): the 答 after is theirs to answer
            turn.label = _QUESTION_LABELS.get(label, turn.label)
            follow_up_of, answered = answered, None
            continue
        if label in _ANSWER_LABELS:
            turn.label = follow_up_of or answerer or _ANSWER_LABELS[label]
            answered = follow_up_of  # a second follow-up goes to the same official
        else:
            answered = None if HOST_WORDS.search(label) or REPORTER_WORDS.search(label) else turn.label
        follow_up_of = None
    return turns, title
