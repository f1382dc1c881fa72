"""`qa eval`: top-1, top-3 and MRR on a question file, the highlight's hit rate, and every miss."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .answers import find_highlight
from .errors import QAError
from .retrieval import Retriever


@dataclass(frozen=True)
class Question:
    q: str
    speaker: str
    key: str


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
    misses: list[Miss] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def load_questions(path: Path) -> list[Question]:
    questions = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise QAError(f"Question file '{path}' cannot be read ({exc.strerror}): check the path") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            questions.append(Question(item["q"], item["speaker"], item["key"]))
        except (json.JSONDecodeError, KeyError, TypeError):
            raise QAError(f"Question file '{path}' line {number}: expected {{\"q\", \"speaker\", \"key\"}} JSON") from None
    if not questions:
        raise QAError(f"Question file '{path}' has no questions: one JSON object a line")
    return questions


def is_right(record, question: Question) -> bool:
    """Right when the answer's speaker name contains the expected one and its full text contains the key phrase."""
    return question.speaker in record.speaker.name and question.key in record.text


def evaluate(retriever: Retriever, questions: list[Question], *, depth: int = 10) -> EvalReport:
    top1 = top3 = highlighted = abstained = 0
    mrr = 0.0
    misses = []
    for question in questions:
        retrieval = retriever.search(question.q, top_k=depth)
        rank = next((i for i, hit in enumerate(retrieval.hits) if is_right(hit.record, question)), None)
        abstained += not retrieval.found
        if rank == 0:
            top1 += 1
            highlighted += question.key in find_highlight(retriever.index, retrieval, retrieval.hits[0]).text
        if rank is not None and rank < 3:
            top3 += 1
        mrr += 1 / (rank + 1) if rank is not None else 0.0
        if rank != 0:
            first = retrieval.hits[0].record if retrieval.hits else None
            misses.append(Miss(question.q, question.speaker, None if rank is None else rank + 1,
                               first.speaker.name if first else "-", first.exchange if first else None))
    n = len(questions)
    return EvalReport(n, top1 / n, top3 / n, mrr / n, highlighted / max(1, top1), abstained, misses)


def format_report(report: EvalReport) -> str:
    lines = [
        f"questions  {report.total}",
        f"top-1      {report.top1:.3f}",
        f"top-3      {report.top3:.3f}",
        f"MRR        {report.mrr:.3f}",
        f"highlight  {report.highlight:.3f}  (of the top-1 hits, the share whose highlight holds the key phrase)",
        f"abstained  {report.abstained}  (questions answered found=false)",
    ]
    for miss in report.misses:
        rank = f"rank {miss.rank}" if miss.rank else "not in top 10"
        lines.append(f"  miss: {miss.q}  — expected {miss.expected}, {rank}; first was {miss.got} (exchange {miss.exchange})")
    return "\n".join(lines) + "\n"
