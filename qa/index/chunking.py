"""Searchable units inside one speaker's answer: paragraph passages (≤ the model's tokens), sentences, the question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from qa.speakers.attribution import Briefing
from qa.lexicon import join_fragments
from qa.speakers.roster import Speaker

PASSAGE, SENTENCE, QUESTION = "passage", "sentence", "question"
KINDS = (PASSAGE, SENTENCE, QUESTION)
# Sentences are matched lexically and used for highlights; embedding them too would double the build time
# and, measured on the question sets, did not change the ranking (scripts/fusion_study.py).
EMBEDDED_KINDS = (PASSAGE, QUESTION)
MIN_SENTENCE_CHARS = 6
# Measured: 192, 128 and 96-token passages built no faster (a fixed cost per text) and ranked worse.
PASSAGE_TOKENS = 480
SMALL_PARAGRAPH_CHARS = 40

_SENTENCE = re.compile(
    r".+?(?:[。！？!?；;…]+[”’」』\"）)]*|[.!?]+[\"”’)]*(?=\s+[A-Z“\"(\d])|$)",
    re.S,
)


@dataclass(frozen=True)
class AnswerRecord:
    """One speaker's whole answer in one exchange: what the service hands back, with where it stands."""

    transcript_id: str
    exchange: int
    speaker: Speaker
    text: str
    line_start: int
    line_end: int
    question: str | None
    question_lines: tuple[int, int] | None
    evidence: str
    confidence: float
    time: str | None = None
    questioner: str | None = None
    role: str = "official"


@dataclass(frozen=True)
class Unit:
    """A piece of an answer (or its question) that is embedded and searched."""

    answer: int
    kind: str
    text: str
    line_start: int
    line_end: int


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.findall(text) if s.strip()]


def chunk_briefing(
    briefing: Briefing, *, count_tokens: Callable[[str], int], max_tokens: int = 480,
    passage_tokens: int = PASSAGE_TOKENS,
) -> tuple[list[AnswerRecord], list[Unit]]:
    """Answers (hand-offs excluded: they name a speaker, they answer nothing) and their units, answer ids local.

    Passages aim at passage_tokens (a paragraph longer than that is cut at sentences); nothing exceeds max_tokens."""
    records: list[AnswerRecord] = []
    units: list[Unit] = []
    fits = _Fits(count_tokens, max_tokens)
    fits_passage = _Fits(count_tokens, min(max_tokens, passage_tokens))
    for exchange in briefing.exchanges:
        question = exchange.question
        for answer in exchange.main_answers:
            answer_id = len(records)
            records.append(AnswerRecord(
                transcript_id=briefing.transcript.id,
                exchange=exchange.index,
                speaker=answer.speaker,
                text=answer.text,
                line_start=answer.line_start,
                line_end=answer.line_end,
                question=question.text if question else None,
                question_lines=(question.line_start, question.line_end) if question else None,
                evidence=answer.evidence,
                confidence=answer.confidence,
                time=answer.time,
                questioner=question.questioner.name if question else None,
                role=answer.speaker.role,
            ))
            paragraphs = [(p.strip(), t.line_start, t.line_end) for t in answer.parts for p in t.text.split("\n") if p.strip()]
            units.extend(_passages(answer_id, paragraphs, fits_passage))
            units.extend(_sentences(answer_id, paragraphs, fits))
            if question is not None:
                for piece in fits.pieces(question.text):
                    units.append(Unit(answer_id, QUESTION, piece, question.line_start, question.line_end))
    return records, units


class _Fits:
    """Token budget checks; a CJK character or an English word piece is at most one token, so short text needs no count."""

    def __init__(self, count_tokens: Callable[[str], int], max_tokens: int) -> None:
        self.count = count_tokens
        self.max = max_tokens

    def __call__(self, text: str) -> bool:
        return len(text) + 2 <= self.max or self.count(text) <= self.max

    def pieces(self, text: str) -> list[str]:
        """Text cut to fit: at sentences, then at commas, then anywhere."""
        if self(text):
            return [text]
        out: list[str] = []
        for sentence in split_sentences(text):
            if self(sentence):
                out.append(sentence)
                continue
            current = ""
            for clause in re.split(r"(?<=[，,、；;：:\s])", sentence):
                while clause and not self(clause):
                    cut = self.max // 2
                    out.append(clause[:cut])
                    clause = clause[cut:]
                if current and not self(current + clause):
                    out.append(current)
                    current = ""
                current += clause
            if current:
                out.append(current)
        return out


def _passages(answer: int, paragraphs: list[tuple[str, int, int]], fits: _Fits) -> list[Unit]:
    """A passage a paragraph; a long paragraph is packed sentence by sentence; a small one joins its neighbour."""
    passages: list[Unit] = []
    for text, start, end in paragraphs:
        if passages and len(text) < SMALL_PARAGRAPH_CHARS and fits(passages[-1].text + "\n" + text):
            last = passages[-1]
            passages[-1] = Unit(answer, PASSAGE, last.text + "\n" + text, last.line_start, end)
            continue
        if fits(text):
            passages.append(Unit(answer, PASSAGE, text, start, end))
            continue
        window = ""
        for piece in fits.pieces(text):
            candidate = join_fragments(window, piece)
            if window and not fits(candidate):
                passages.append(Unit(answer, PASSAGE, window, start, end))
                candidate = piece
            window = candidate
        if window:
            passages.append(Unit(answer, PASSAGE, window, start, end))
    return passages


def _sentences(answer: int, paragraphs: list[tuple[str, int, int]], fits: _Fits) -> list[Unit]:
    units = []
    for text, start, end in paragraphs:
        for sentence in split_sentences(text):
            if len(sentence) < MIN_SENTENCE_CHARS:
                continue
            for piece in fits.pieces(sentence):
                units.append(Unit(answer, SENTENCE, piece, start, end))
    return units
