"""The /ask body for a question, whichever way it is best answered: a question about a person or body lists what
they said (qa/search/about.py); any other is ranked (qa/search/retrieval.py, qa/search/answers.py). Both `qa ask` and `POST /ask` come
through here, so they answer alike."""

from __future__ import annotations

from typing import Any

from qa.search.about import answer_about
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
    return add_english(body)
