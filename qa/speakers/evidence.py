"""Which body an unlabelled answer speaks for: the organisations it names as itself, '我部'-style self-references,
and the body the reporter put the question to — scored against the roster."""

from __future__ import annotations

import re
from collections import defaultdict

from qa.lexicon import normalize, self_reference_units, top_organization
from qa.speakers.roster import Roster, Speaker
from qa.ingest.turns import Turn

_COLLABORATION_BEFORE = re.compile(r"(?:与|会同|联合|同|和|及|、|在|协同|配合|向|对|经|报)\s*$")
_COLLABORATION_AFTER = re.compile(r"^(?:的(?:大力)?(?:支持|指导|帮助)|联合|等部门|和|、)")


def score_organizations(
    turns: list[Turn], question: str | None, roster: Roster, org_index: dict[str, list[Speaker]]
) -> tuple[Speaker, str, float] | None:
    """An answer names the body it speaks for ('教育部着力…', '我部…'); bodies named as partners ('与…联合') don't count."""
    scores: dict[Speaker, float] = defaultdict(float)
    reasons: dict[Speaker, list[tuple[float, str]]] = defaultdict(list)
    offset = 0
    for turn in turns:
        text = normalize(turn.text)
        for name, position in _self_mentions(text, org_index):
            weight = 2.0 if offset + position < 200 else 1.0
            for s in org_index[name]:
                scores[s] += weight
                reasons[s].append((weight, f"speaks as {name} (line {turn.line_start})"))
        for unit, words in self_reference_units(text):
            for s in roster.officials:
                top = top_organization(s.organization)
                if top.endswith(unit):
                    weight = 0.75 if top.endswith("总" + unit) else 1.5
                    scores[s] += weight
                    reasons[s].append((weight, f"says '{words}' → {top} (line {turn.line_start})"))
        offset += len(text)
    if question is not None:
        for name, _ in _self_mentions(normalize(question), org_index):
            for s in org_index[name]:
                scores[s] += 1.5
                reasons[s].append((1.5, f"the question is put to {name}"))
    if not scores:
        return None
    ranked = sorted(roster.officials, key=lambda s: (-scores.get(s, 0.0), s != roster.lead, roster.officials.index(s)))
    best = ranked[0]
    top_score = scores.get(best, 0.0)
    if top_score <= 0:
        return None
    rivals = [scores.get(s, 0.0) for s in ranked[1:] if top_organization(s.organization) != top_organization(best.organization)]
    runner_up = max(rivals, default=0.0)
    colleagues = [s for s in ranked[1:] if top_organization(s.organization) == top_organization(best.organization)
                  and scores.get(s, 0.0) == top_score]
    why = max(reasons[best])[1]
    confidence = 0.9 if top_score >= 2 * max(runner_up, 0.5) else 0.7 if top_score > runner_up else 0.5
    if colleagues:
        why += f"; {best.name} leads for {top_organization(best.organization)}"
        confidence = min(confidence, 0.7)
    return best, f"organisation: {why}", confidence


def _self_mentions(text: str, org_index: dict[str, list[Speaker]]) -> list[tuple[str, int]]:
    """Organisation names in text that are not partners of the speaker; longest names first, never counted twice."""
    found = []
    masked = text
    for name in sorted(org_index, key=len, reverse=True):
        for m in re.finditer(re.escape(name), masked):
            before = masked[max(0, m.start() - 6):m.start()]
            after = masked[m.end():m.end() + 6]
            if not (_COLLABORATION_BEFORE.search(before) or _COLLABORATION_AFTER.match(after)):
                found.append((name, m.start()))
        masked = masked.replace(name, "\0" * len(name))
    return found
