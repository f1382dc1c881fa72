"""`qa eval`: top-1, top-3 and MRR on a question file, the highlight's hit rate, and every miss.

Two kinds of gold, one file may mix them:
- key gold, `{"q", "speaker", "key"}`: right when the answer's speaker name contains `speaker` and its text holds
  `key` (a phrase copied from the transcript); the highlight is scored on the key too;
- span gold, `{"q", "transcript", "spans": [[a, b], ...]}`: right when the lines the answer cites, or the lines of
  the question it answers, overlap one of the spans (inclusive line ranges) of that transcript.
"""

from __future__ import annotations

import math

import json
import statistics
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from qa.search.answers import find_highlight
from qa.errors import QAError
from qa.search.retrieval import Retriever

Span = tuple[int, int]


@dataclass(frozen=True)
class Question:
    q: str
    speaker: str | None = None
    key: str | None = None
    transcript: str | None = None
    spans: tuple[Span, ...] = ()


@dataclass
class Miss:
    q: str
    expected: str
    rank: int | None
    got: str
    exchange: int | None


@dataclass
class EvalReport:
    total: int
    top1: float
    top3: float
    mrr: float
    highlight: float
    abstained: int
    p50_ms: float = 0.0
    keyed_hits: int = 0
    misses: list[Miss] = field(default_factory=list)

    def to_dict(self) -> dict:
        """As JSON can say it: a rate with nothing to measure (no key-phrase gold for the highlight) is null, not NaN,
        which JSON has no word for."""
        return {k: None if isinstance(v, float) and math.isnan(v) else v for k, v in asdict(self).items()}


def load_questions(path: Path) -> list[Question]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QAError(f"Question file '{path}' cannot be read ({exc.strerror}): check the path") from None
    questions = [question_from_json(line, path, number) for number, line in enumerate(lines, 1) if line.strip()]
    if not questions:
        raise QAError(f"Question file '{path}' has no questions: one JSON object a line")
    return questions


def question_from_json(line: str, path: Path, number: int) -> Question:
    expected = ("expected {\"q\", \"speaker\", \"key\"} or {\"q\", \"transcript\", \"spans\": [[a, b], ...]} JSON")
    try:
        item = json.loads(line)
        if not isinstance(item, dict) or not isinstance(item.get("q"), str):
            raise TypeError
        spans = tuple((int(a), int(b)) for a, b in item.get("spans") or ())
        question = Question(item["q"], item.get("speaker"), item.get("key"), item.get("transcript"), spans)
    except (json.JSONDecodeError, TypeError, ValueError):
        raise QAError(f"Question file '{path}' line {number}: {expected}") from None
    if spans and not question.transcript:
        raise QAError(f"Question file '{path}' line {number}: span gold needs the \"transcript\" the spans point into")
    if not spans and not (question.speaker and question.key):
        raise QAError(f"Question file '{path}' line {number}: {expected}")
    if any(a > b for a, b in spans):
        raise QAError(f"Question file '{path}' line {number}: a span [a, b] needs a <= b")
    return question


def overlaps(start: int, end: int, spans: Iterable[Span]) -> bool:
    return any(start <= b and a <= end for a, b in spans)


def is_right(record, question: Question) -> bool:
    """Span gold: the cited lines or the question's lines overlap a gold span. Key gold: speaker and key phrase."""
    if question.transcript and record.transcript_id != question.transcript:
        return False
    if question.spans:
        if overlaps(record.line_start, record.line_end, question.spans):
            return True
        lines = record.question_lines
        return bool(lines) and overlaps(lines[0], lines[1], question.spans)
    return bool(question.speaker) and question.speaker in record.speaker.name and (question.key or "") in record.text


def describe_gold(question: Question) -> str:
    if question.spans:
        return f"{question.transcript} lines " + ", ".join(f"{a}-{b}" for a, b in question.spans)
    return str(question.speaker)


def evaluate(retriever: Retriever, questions: Sequence[Question], *, depth: int = 10) -> EvalReport:
    top1 = top3 = highlighted = keyed = abstained = 0
    mrr = 0.0
    misses = []
    times = []
    for question in questions:
        started = time.perf_counter()
        retrieval = retriever.search(question.q, top_k=depth)
        times.append((time.perf_counter() - started) * 1000)
        rank = next((i for i, hit in enumerate(retrieval.hits) if is_right(hit.record, question)), None)
        abstained += not retrieval.found
        if rank == 0:
            top1 += 1
            if question.key:
                keyed += 1
                highlighted += question.key in find_highlight(retriever.index, retrieval, retrieval.hits[0]).text
        if rank is not None and rank < 3:
            top3 += 1
        mrr += 1 / (rank + 1) if rank is not None else 0.0
        if rank != 0:
            first = retrieval.hits[0].record if retrieval.hits else None
            got = f"{first.speaker.name} {first.transcript_id}:{first.line_start}-{first.line_end}" if first else "-"
            misses.append(Miss(question.q, describe_gold(question), None if rank is None else rank + 1, got,
                               first.exchange if first else None))
    n = len(questions)
    return EvalReport(n, top1 / n, top3 / n, mrr / n, highlighted / keyed if keyed else float("nan"), abstained,
                      statistics.median(times) if times else 0.0, keyed, misses)


def format_report(report: EvalReport) -> str:
    highlight = (f"{report.highlight:.3f}  (of the {report.keyed_hits} top-1 hits with a key phrase, the share whose "
                 "highlight holds it)") if report.keyed_hits else "-      (no key-phrase gold among the top-1 hits)"
    lines = [
        f"questions  {report.total}",
        f"top-1      {report.top1:.3f}",
        f"top-3      {report.top3:.3f}",
        f"MRR        {report.mrr:.3f}",
        f"highlight  {highlight}",
        f"abstained  {report.abstained}  (questions answered found=false)",
        f"p50        {report.p50_ms:.1f} ms a question",
    ]
    for miss in report.misses:
        rank = f"rank {miss.rank}" if miss.rank else "not in top 10"
        lines.append(f"  miss: {miss.q}  — expected {miss.expected}, {rank}; first was {miss.got} (exchange {miss.exchange})")
    return "\n".join(lines) + "\n"
