"""Dataclasses to the JSON of the contracts in DESIGN.md: done here, at the edge, once."""

from __future__ import annotations

from typing import Any

from qa.speakers.attribution import Briefing, Utterance
from qa.speakers.roster import Speaker


def speaker_ref(speaker: Speaker) -> dict[str, str]:
    return {"name": speaker.name, "title": speaker.title, "organization": speaker.organization}


def utterance_to_dict(u: Utterance) -> dict[str, Any]:
    return {
        "speaker": speaker_ref(u.speaker),
        "text": u.text,
        "line_start": u.line_start,
        "line_end": u.line_end,
        "evidence": u.evidence,
        "confidence": u.confidence,
        "kind": u.kind,
        "time": u.time,
    }


def briefing_to_dict(briefing: Briefing) -> dict[str, Any]:
    t = briefing.transcript
    return {
        "transcript": {"id": t.id, "title": t.title, "date": t.date, "path": t.path, "format": t.format,
                       "encoding": t.encoding},
        "speakers": [s.to_dict() for s in briefing.speakers],
        "exchanges": [
            {
                "index": e.index,
                "question": e.question.text if e.question else None,
                "questioner": speaker_ref(e.question.questioner) if e.question else None,
                "question_lines": [e.question.line_start, e.question.line_end] if e.question else None,
                "answers": [utterance_to_dict(a) for a in e.answers],
            }
            for e in briefing.exchanges
        ],
        "remarks": [utterance_to_dict(r) for r in briefing.remarks],
    }
