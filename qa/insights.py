"""What the press office reads on the insights page: questions the briefings do not answer (grouped, so that forty
ways of asking one missing thing show as one line), the most asked questions, the answers readers flag most, and
the votes per day.

Grouping is lexical (CJK bigrams and English word stems, cosine ≥ 0.5, greedy leader clustering), not by the
embedder: it costs no model time, runs over thousands of logged questions in milliseconds, and groups rephrasings,
which is what an editor needs to see.
"""

from __future__ import annotations

import math
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any, Iterable

from qa.index.lexical import tokenize
from qa.lexicon import normalize

GROUP_SIMILARITY = 0.5
FLAGS = ("down", "wrong_speaker")


@dataclass
class QuestionGroup:
    example: str
    count: int
    questions: list[str]


def _vector(text: str) -> Counter:
    return Counter(tokenize(normalize(text).lower()) or [normalize(text).lower()])


def _cosine(a: Counter, b: Counter) -> float:
    dot = sum(v * b.get(k, 0) for k, v in a.items())
    if not dot:
        return 0.0
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def group_similar(questions: Iterable[str], *, threshold: float = GROUP_SIMILARITY, limit: int = 2000) -> list[QuestionGroup]:
    """Greedy leader clustering: each question joins the first group whose leader it resembles, else leads one.
    Most frequent first."""
    counts = Counter(q.strip() for q in questions if q and q.strip())
    leaders: list[tuple[Counter, QuestionGroup]] = []
    for text, count in counts.most_common(limit):
        vector = _vector(text)
        for leader_vector, group in leaders:
            if _cosine(vector, leader_vector) >= threshold:
                group.count += count
                group.questions.append(text)
                break
        else:
            leaders.append((vector, QuestionGroup(text, count, [text])))
    return sorted((g for _, g in leaders), key=lambda g: -g.count)


def summarize(questions: list[dict[str, Any]], feedback: list[dict[str, Any]], *, days: int = 30,
              now: float | None = None, top: int = 20) -> dict[str, Any]:
    """The insights page's data from question-log rows and feedback rows (as FeedbackStore.rows gives them)."""
    now = time.time() if now is None else now
    unanswered = group_similar(r["question"] for r in questions if not r["found"])
    asked = Counter(r["question"].strip() for r in questions)
    flagged: dict[tuple[str, int], dict[str, Any]] = {}
    for row in feedback:
        key = (row["transcript_id"], row["exchange"])
        entry = flagged.setdefault(key, {"transcript_id": key[0], "exchange": key[1], "speaker": row["speaker"],
                                         "up": 0, "down": 0, "wrong_speaker": 0, "comments": []})
        entry[row["vote"]] += 1
        if row.get("comment") and len(entry["comments"]) < 5:
            entry["comments"].append(row["comment"][:300])
    most_flagged = sorted((e for e in flagged.values() if e["down"] + e["wrong_speaker"]),
                          key=lambda e: (-(e["down"] + e["wrong_speaker"]), e["up"]))
    per_day: dict[str, Counter] = defaultdict(Counter)
    first_day = now - (days - 1) * 86400
    for row in feedback:
        if row["created_at"] >= first_day - 86400:
            per_day[time.strftime("%Y-%m-%d", time.gmtime(row["created_at"]))][row["vote"]] += 1
    timeline = []
    for offset in range(days):
        day = time.strftime("%Y-%m-%d", time.gmtime(first_day + offset * 86400))
        counts = per_day.get(day, Counter())
        timeline.append({"day": day, **{vote: counts.get(vote, 0) for vote in ("up", "down", "wrong_speaker")}})
    return {
        "totals": {"questions": len(questions), "unanswered": sum(1 for r in questions if not r["found"]),
                   "feedback": len(feedback)},
        "unanswered_groups": [{"example": g.example, "count": g.count, "questions": g.questions[:10]}
                              for g in unanswered[:top]],
        "most_asked": [{"question": q, "count": n} for q, n in asked.most_common(top)],
        "most_flagged": most_flagged[:top],
        "feedback_per_day": timeline,
    }
