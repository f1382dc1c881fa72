"""What users get: the bundled model on the bundled briefing, measured against the question sets."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qa.index.build import build_index
from qa.index.embedding import load_embedder
from qa.evaluation import evaluate, load_questions
from qa.search.retrieval import Retriever
from qa.index.store import load_index

from .conftest import BRIEFING, ROOT

DEV = ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
DATA = Path(__file__).resolve().parent / "data"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def e5_retriever(tmp_path_factory):
    root = tmp_path_factory.mktemp("e5-index")
    embedder = load_embedder("e5")
    build_index([BRIEFING], root, embedder=embedder)
    return Retriever(load_index(root), embedder=embedder)


def _questions(path: Path):
    if not path.exists():
        pytest.skip(f"{path} is not here (the dev set lives in shared/, beside the project)")
    return load_questions(path)


def test_dev_set_meets_targets(e5_retriever):
    report = evaluate(e5_retriever, _questions(DEV))
    # 35 of 36 with the learned ranker (fitted across genres; the hand-set fusion tuned on this set had 36).
    assert report.top1 >= 0.95, report.misses
    assert report.top3 == 1.0, report.misses
    assert report.highlight >= 0.85
    # Abstention is calibrated to refuse at most 3% of answerable calibration questions (dev among them): 4 here.
    assert report.abstained <= 4


def test_heldout_set_written_for_this_project(e5_retriever):
    report = evaluate(e5_retriever, _questions(DATA / "heldout-questions.jsonl"))
    assert report.top1 >= 0.9, report.misses
    assert report.top3 >= 0.97
    assert report.abstained <= 2


@pytest.mark.parametrize("name", ["out-of-corpus.txt", "out-of-corpus-fresh.txt"])
def test_out_of_corpus_questions_abstain(e5_retriever, name):
    questions = [q for q in (DATA / name).read_text(encoding="utf-8").split("\n") if q.strip()]
    found = [q for q in questions if e5_retriever.search(q).found]
    # Two near-domain questions about the US patent office are still answered from the patent briefing.
    assert len(found) <= 2, found
    for q in ("明天天气怎么样？", "Who won the World Cup?"):
        assert not e5_retriever.search(q).found


def test_english_question_gets_chinese_answer_cross_lingually(e5_retriever):
    result = e5_retriever.search("What did the finance regulator say about IP pledge loans in 2025?")
    assert result.found and result.hits[0].record.speaker.name == "杜墨"


def test_english_scores_tell_answered_from_near_domain_questions(e5_retriever):
    """Across languages the score is a calibrated probability, not a bar on a steep scale: English questions the
    Chinese briefing answers mostly show as clear answers (0.75, web/static/app.js), near-domain ones it does not
    answer mostly don't — before, both were all above 0.9. Chinese near-domain questions are refused."""
    def top(q):
        return e5_retriever.search(q).hits[0].relevance

    answered = [json.loads(line)["q"] for line in (DATA / "crosslingual-en-zh.jsonl").read_text("utf-8").splitlines()
                if line.strip()]
    near = [json.loads(line) for line in (DATA / "near-domain-negatives-fresh.jsonl").read_text("utf-8").splitlines()
            if line.strip()]
    clear_answered = sum(top(q) >= 0.75 for q in answered) / len(answered)
    clear_near = sum(top(n["q"]) >= 0.75 for n in near if n["lang"] == "en") / sum(n["lang"] == "en" for n in near)
    assert clear_answered >= 0.6 and clear_near <= 0.6, (clear_answered, clear_near)  # now 0.68 and 0.50
    assert sum(top(q) >= 0.5 for q in answered) / len(answered) >= 0.9  # still found: now 0.98
    assert sum(e5_retriever.search(n["q"]).found for n in near if n["lang"] == "zh") <= 1  # now 0 of 8


def test_a_filter_does_not_make_an_answer_more_certain(e5_retriever):
    """The cross-language score reads how far an answer stands out from the rest of the index: a speaker filter
    leaves the rest out of the search, not out of that comparison."""
    question = "How many trademarks were registered in 2025?"
    top = e5_retriever.search(question).hits[0]
    filtered = e5_retriever.search(question, speaker=top.record.speaker.name)
    same = next(h for h in filtered.hits if h.answer_id == top.answer_id)
    assert same.relevance == pytest.approx(top.relevance, abs=1e-6)


@pytest.mark.parametrize("question", ["What did the Agriculture Secretary say?", "What did the agriculture ministry say?"])
def test_a_question_about_a_post_no_one_here_holds_is_not_found(e5_retriever, question):
    """The briefing has no agriculture secretary: its closest answers are shown as the closest, with a note — never as
    what that person said (the first came back found, scored 0.77, as 胡文辉's words)."""
    from qa.search.respond import respond

    body = respond(e5_retriever, question)
    assert body["found"] is False and all(a["score"] < 0.5 for a in body["answers"])
    assert any("No one here is" in note for note in body["notes"])


@pytest.mark.parametrize("question, who", [("What did the IP office say?", "胡文辉"), ("韩司长说了什么？", "韩爱朋"),
                                           ("What did the Ministry of Education say?", "周大旺")])
def test_a_question_about_a_post_or_body_someone_here_holds_is_answered(e5_retriever, question, who):
    from qa.search.about import absent_person
    from qa.search.respond import respond

    assert absent_person(e5_retriever.index, question) is None
    body = respond(e5_retriever, question)
    assert body["found"] and body["answers"][0]["speaker"]["name"] == who
