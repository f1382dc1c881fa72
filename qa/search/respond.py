"""The /ask body for a question, whichever way it is best answered: a question about a person or body lists what
they said (qa/search/about.py); any other is ranked (qa/search/retrieval.py, qa/search/answers.py). Both `qa ask` and `POST /ask` come
through here, so they answer alike."""

from __future__ import annotations

import re
from typing import Any

from qa.errors import QAError
from qa.search.about import absent_person, answer_about
from qa.search.answers import answer_body
from qa.speakers.english import add_english
from qa.search.retrieval import Retriever


def respond(retriever: Retriever, question: str, *, top_k: int | None = None, speaker: str | None = None,
            transcript: str | None = None, boost: dict[int, float] | None = None) -> dict[str, Any]:
    """boost: extra ranking score by answer id, from a follow-up's history (qa/search/followup.py)."""
    body = answer_about(retriever.index, question, top_k=top_k or retriever.top_k, speaker=speaker,
                        transcript=transcript)
    if body is None:
        retrieval = retriever.search(question, top_k=top_k, speaker=speaker, transcript=transcript, boost=boost)
        body = answer_body(retriever.index, retrieval)
        if body["found"] and not speaker and (who := absent_person(retriever.index, question)) \
                and not _shares_words(who, body["answers"][0]["speaker"]):
            # "What did the Agriculture Secretary say?" over a patent briefing: no one here is; the ranked answers
            # are shown as the closest, never as what that person said.
            body = {**body, "found": False, "notes": [f"No one here is {who!r}: these are the closest answers"],
                    "answers": [{**a, "score": min(a["score"], NOT_FOUND_SCORE)} for a in body["answers"]]}
    return add_english(body)


def _shares_words(who: str, speaker: dict[str, Any]) -> bool:
    """Whether the phrase and the top answer's speaker share a word beyond "the" and posts: "the Environment Agency
    chief executive" is Dr Greaves (Chief Executive, Environment Agency) though no alias spells it so."""
    words = {w for w in re.findall(r"[a-z]{3,}", who.lower())} - {"the", "and"} - _POST_WORDS
    about = " ".join(str(speaker.get(k, "")) for k in ("name", "title", "organization", "display")).lower()
    return any(re.search(rf"\b{re.escape(w)}\b", about) for w in words)


_POST_WORDS = frozenset("secretary minister director spokesperson chief executive head deputy office".split())
NOT_FOUND_SCORE = 0.49  # below the bar of found (0.5): how the chat shows answers that are only the closest


MAX_QUESTION = 2000
MAX_TOP_K = 20  # answers a question may ask for, over HTTP and on the command line
# A letter or digit of the scripts people ask in, spelled in \\u escapes that Python, JavaScript (the JSON Schema of
# /ask carries it) and pydantic's Rust engine read alike; \\w would not do, JavaScript's is ASCII alone.
QUESTION_PATTERN = ("[0-9A-Za-z\\u00AA\\u00B5\\u00BA\\u00C0-\\u00D6\\u00D8-\\u00F6\\u00F8-\\u02AF\\u0386\\u0388-\\u03FF"
                    "\\u0400-\\u0481\\u048A-\\u052F\\u05D0-\\u05EA\\u0620-\\u064A\\u0660-\\u0669\\u0671-\\u06D3"
                    "\\u0904-\\u0939\\u0966-\\u096F\\u0E01-\\u0E30\\u0E50-\\u0E59\\u10A0-\\u10FA\\u1100-\\u11FF"
                    "\\u1E00-\\u1FBC\\u3041-\\u3096\\u30A1-\\u30FA\\u3400-\\u4DBF\\u4E00-\\u9FFF\\uAC00-\\uD7A3"
                    "\\uF900-\\uFAFF\\uFF10-\\uFF19\\uFF21-\\uFF3A\\uFF41-\\uFF5A]")
_WORD = re.compile(QUESTION_PATTERN)


def check_question(question: str) -> str:
    """The question, or a QAError naming what is wrong: blank, only symbols ("😀🔥", zero-width spaces), or too long.
    The same rule for `qa ask` and /ask (whose schema says the length and that it is not blank)."""
    try:
        question.encode("utf-8")
    except UnicodeEncodeError:
        raise QAError("Question is not text (it holds a lone surrogate, such as \\ud800): send it as UTF-8") from None
    if not question.strip():
        raise QAError("Question is empty: ask it in words, e.g. '杜墨说了什么？' or 'What did Du Mo say?'")
    if not _WORD.search(question):
        raise QAError("Question has no letters or digits: ask it in words, e.g. '杜墨说了什么？' or 'What did Du Mo say?'")
    if len(question) > MAX_QUESTION:
        raise QAError(f"Question is {len(question)} characters: at most {MAX_QUESTION} are read; ask it shorter")
    return question
