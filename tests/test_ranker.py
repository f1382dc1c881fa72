"""The learned ranking ships as a versioned data file; a file fitted on other features is refused, not misread."""

from __future__ import annotations

import json

import numpy as np
import pytest

from qa.search.features import FEATURES
from qa.search.ranker import DEFAULT_RANKER, Ranker, RankerError, load_ranker


def test_shipped_ranker_loads_and_matches_this_release():
    ranker = load_ranker()
    ranker.check(FEATURES)
    assert ranker.features == FEATURES and np.isfinite(ranker.weights).all()
    data = json.loads(DEFAULT_RANKER.read_text(encoding="utf-8"))
    assert data["fitted"]["on"] and data["fitted"]["chosen_on"], "the file says what it was fitted and chosen on"


def test_ranker_fitted_on_other_features_is_refused():
    ranker = Ranker(FEATURES[:-1] + ("reporter_mood",), np.ones(len(FEATURES)), "old.json")
    with pytest.raises(RankerError) as info:
        ranker.check(FEATURES)
    message = info.value.message
    assert "old.json" in message and f"missing {FEATURES[-1]}" in message and "unknown reporter_mood" in message
    assert "scripts/fit_ranker.py" in message


def test_feature_order_matters():
    with pytest.raises(RankerError, match="another order"):
        Ranker(tuple(reversed(FEATURES)), np.ones(len(FEATURES))).check(FEATURES)


@pytest.mark.parametrize("content, message", [
    ("not json", "cannot be read"),
    ('{"format": "something-else"}', "not a Briefing QA ranker"),
    ('{"format": "briefing-qa-ranker", "version": 99}', "version 99"),
    ('{"format": "briefing-qa-ranker", "version": 1, "features": ["a"], "weights": {"b": 1}}', "do not match"),
    ('{"format": "briefing-qa-ranker", "version": 1, "features": ["a"], "weights": {"a": "x"}}', "not a number"),
])
def test_bad_ranker_files_are_refused_with_the_fix(tmp_path, content, message):
    path = tmp_path / "ranker.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RankerError) as info:
        load_ranker(path)
    assert message in info.value.message and str(path) in info.value.message


def test_round_trip(tmp_path):
    ranker = Ranker(FEATURES, np.linspace(-1, 1, len(FEATURES)))
    path = tmp_path / "r.json"
    path.write_text(json.dumps(ranker.to_json()), encoding="utf-8")
    loaded = load_ranker(path)
    assert loaded.features == FEATURES and np.allclose(loaded.weights, ranker.weights)


def test_an_answer_holding_what_the_question_asks_for_is_flagged(tmp_path):
    """holds_kind: "which countries" wants a sentence naming places, on the question's terms — the short follow-up
    "Principally Mexico and South Korea." holds it, the turn before it ("some partners still restrict…") does not."""
    from .fakes import indexed

    retriever = indexed(tmp_path, {"wh.txt": (
        "# Briefing\n\nQ: When will the vaccine pilot expand?\n\nSECRETARY ROLLINS: In April. Some partners still "
        "restrict poultry from vaccinated flocks, so we move carefully.\n\nQ: Which partners?\n\nSECRETARY ROLLINS: "
        "Principally in Mexico and in South Korea. Poultry talks go on.\n")})
    for question, flagged in [("Which countries restrict poultry from vaccinated flocks?", {1}),
                              ("Do partners restrict poultry?", set())]:
        raw = retriever.score(question).raw
        assert {i for i, v in enumerate(raw["holds_kind"]) if v} == flagged, question


def test_tied_answers_share_a_rank_whatever_their_place_in_the_index():
    """Answers no reporter's question matches (BM25 0) all rank alike: the first of them in the index is not second."""
    import numpy as np

    from qa.search.features import reciprocal_rank

    values = np.array([0.0, 3.0, 0.0, 2.0, 3.0, 0.0])
    ranks = 10 / reciprocal_rank(values, np.ones(6, dtype=bool)) - 10
    assert ranks.tolist() == [4.0, 0.5, 4.0, 2.0, 0.5, 4.0]
    outside = np.array([True, False, True, True, True, True])
    assert reciprocal_rank(values, outside)[1] == 0.0 and reciprocal_rank(values, outside)[4] == 1.0
