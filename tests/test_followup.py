"""Follow-up questions (issue #10): how a question is read against its history, bad histories, and /ask with one."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from qa.index.build import build_index
from qa.cli import main
from qa.search.followup import MAX_HISTORY, read_history, read_question
from qa.index.store import load_index

from .conftest import BRIEFING, ROOT
from .fakes import HashEmbedder, briefing_app

T = "2026-03-23-scio-patent-conversion"


def turn(question: str, exchange: int | None = None, transcript: str = T) -> dict:
    item: dict = {"question": question}
    if exchange is not None:
        item["answer"] = {"transcript_id": transcript, "exchange": exchange}
    return item


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    root = tmp_path_factory.mktemp("followup-index")
    build_index([BRIEFING], root, embedder=HashEmbedder())
    return load_index(root)


def speakers_boosted(index, reading) -> set[str]:
    return {index.answers[i].speaker.name for i, extra in reading.boost.items() if extra > 0}


def test_ellipsis_swaps_the_subject_of_the_last_question(index):
    reading = read_question(index, "那工信部呢？", [turn("教育部做了哪些工作？", 2)])
    assert reading.interpreted_as == "工信部做了哪些工作？" and reading.kind == "ellipsis"
    assert speakers_boosted(index, reading) == {"魏巍"}


def test_pronoun_takes_the_speaker_of_the_last_answer(index):
    reading = read_question(index, "他说的专利池是什么？", [turn("工信部怎样推进强链增效？", 4)])
    assert reading.search_text.startswith("魏巍说的专利池") and "魏巍" in speakers_boosted(index, reading)


def test_english_pronoun_gets_the_english_name_and_body(index):
    he = read_question(index, "What did he say about patent pools?", [turn("How did MIIT strengthen chains?", 4)])
    assert he.interpreted_as == "What did Wei Wei say about patent pools?"
    it = read_question(index, "And what will it launch next year?", [turn("What did the Ministry of Education do?", 2)])
    assert it.interpreted_as == "And what will Ministry of Education launch next year?"
    they = read_question(index, "What are their plans for 2026?", [turn("What did the education ministry do?", 2)])
    assert they.interpreted_as == "What are the Ministry of Education's plans for 2026?"


def _exchange_of_last_answer_boosted(index, reading, exchange: int) -> bool:
    return any(index.answers[i].exchange == exchange and extra > 2.0 for i, extra in reading.boost.items())


@pytest.mark.parametrize("question, stays", [
    ("他说的专利池是什么？", False),            # a topic of its own: the same official, any exchange
    ("What did he say about patent pools?", False),
    ("他为什么这么说？", True),                  # nothing of its own: the answer just given
    ("What did he mean by that?", True),
    ("他还说了哪些下一步的安排？", True),        # more of the same answer
    ("What will they do next?", True),          # a facet of the same subject
    ("他对此怎么看？", True),                    # pointing back at what was just said
    ("Can he elaborate on that?", True),
])
def test_a_pronoun_question_with_a_topic_of_its_own_leaves_the_last_exchange(index, question, stays):
    reading = read_question(index, question, [turn("工信部怎样推进强链增效？", 4)])
    assert reading.kind == "pronoun" and "魏巍" in speakers_boosted(index, reading)
    assert _exchange_of_last_answer_boosted(index, reading, 4) is stays


def test_a_facet_keeps_the_speaker_and_the_topic(index):
    reading = read_question(index, "2025年呢？", [turn("2023年知识产权质押贷款发放了多少？", 5)])
    assert "质押贷款" in reading.search_text and "2025年" in reading.search_text
    assert speakers_boosted(index, reading) == {"杜墨"}


def test_more_pins_the_last_exchange(index):
    reading = read_question(index, "详细说说", [turn("五个不是什么？", 1)])
    pinned = max(reading.boost, key=reading.boost.get)
    assert reading.kind == "more" and index.answers[pinned].exchange == 1 and reading.search_text == "五个不是什么？"


def test_who_else_sets_the_last_speaker_aside(index):
    reading = read_question(index, "还有谁提到了先使用后付费？", [turn("开放许可是什么？", 1)])
    assert reading.kind == "who_else" and all(index.answers[i].speaker.name == "胡文辉" and extra < 0
                                              for i, extra in reading.boost.items())
    assert "先使用后付费" in reading.search_text and "胡文辉之外" in reading.interpreted_as


def test_a_chain_of_follow_ups_keeps_its_thread(index):
    history = [turn("教育部做了哪些工作？", 2), turn("那工信部呢？", 4)]
    reading = read_question(index, "他们下一步有什么安排？", history)
    assert reading.search_text.startswith("工信部下一步") and speakers_boosted(index, reading) == {"魏巍"}


@pytest.mark.parametrize("question", [
    "2023年银行业发放的知识产权质押贷款有多少？",
    "How long does it take to examine a patent on the fast track?",
    "Is it true that universities stopped rewarding patent grants?",
    "Which regions host the Ministry of Education's regional technology transfer centres?",
    "专利转化面临哪些困难呢？",
    "And how many patents were converted?",
])
def test_a_question_that_stands_alone_is_taken_as_is(index, question):
    reading = read_question(index, question, [turn("工信部做了哪些工作？", 4)])
    assert (reading.search_text, reading.interpreted_as, reading.boost) == (question, None, {})
    assert reading.cache_key == read_question(index, question, None).cache_key


@pytest.mark.parametrize("history, note", [
    ("not a list", "expected a list"),
    ({"question": "x"}, "expected a list"),
    ([turn("q", 99)], "has no exchange 99"),
    ([turn("q", 1, transcript="nope")], "no transcript 'nope'"),
    ([{"question": "q", "answer": {"transcript_id": T, "exchange": "1"}}], "whole number"),
    ([{"question": "q", "answer": "x"}], "answer ignored"),
    ([42], "history[0] ignored"),
    ([{"answer": {"transcript_id": T, "exchange": 1}}], "history[0] ignored"),
    ([turn("x" * 2001)], "over 2000 characters"),
])
def test_bad_history_is_ignored_with_a_note(index, history, note):
    turns, notes = read_history(index, history)
    assert any(note in n for n in notes), notes


def test_only_the_last_ten_turns_are_used(index):
    history = [turn(f"问题{i}") for i in range(13)]
    turns, notes = read_history(index, history)
    assert len(turns) == MAX_HISTORY and turns[0].question == "问题3" and "last 10 of 13" in notes[0]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app, _, _ = briefing_app(tmp_path_factory.mktemp("followup-web"), rate_limit=0)
    with TestClient(app) as c:
        yield c


def test_ask_with_history_says_how_it_read_the_question(client):
    body = client.post("/ask", json={"question": "那工信部呢？", "history": [turn("教育部做了哪些工作？", 2)]}).json()
    assert body["question"] == "那工信部呢？" and body["interpreted_as"] == "工信部做了哪些工作？"
    assert body["answers"][0]["speaker"]["name"] == "魏巍" and body["notes"] == []
    plain = client.post("/ask", json={"question": "那工信部呢？"}).json()
    assert plain["interpreted_as"] is None  # the cache key holds the reading: no stale follow-up answer


@pytest.mark.parametrize("history", ["x", 5, {"a": 1}, [1, 2], [turn("q", 10_000)], [turn("q", 1, "missing")] * 11,
                                     [{"question": None}], [{"question": "q", "answer": {"exchange": -1}}]])
def test_ask_with_bad_history_answers_with_notes(client, history):
    response = client.post("/ask", json={"question": "专利质押贷款有多少？", "history": history})
    assert response.status_code == 200 and response.json()["notes"] and response.json()["answers"]


def test_questions_of_2000_characters_in_every_turn(client):
    long_question = ("他们说的专利池是什么？" * 200)[:2000]
    history = [turn(long_question, i % 11) for i in range(MAX_HISTORY)]
    response = client.post("/ask", json={"question": long_question, "history": history})
    assert response.status_code == 200 and response.json()["notes"] == []
    assert len(response.json()["interpreted_as"] or "") <= 2100


def test_get_ask_takes_history_as_json(client):
    history = json.dumps([turn("教育部做了哪些工作？", 2)], ensure_ascii=False)
    body = client.get("/ask", params={"q": "那工信部呢？", "history": history}).json()
    assert body["interpreted_as"] == "工信部做了哪些工作？"
    broken = client.get("/ask", params={"q": "那工信部呢？", "history": "[{"}).json()
    assert broken["interpreted_as"] is None and "expected a list" in broken["notes"][0]


def test_cli_ask_history_from_json_or_file(tmp_path, capsys):
    root = tmp_path / "index"
    build_index([BRIEFING], root, embedder=HashEmbedder())
    history = tmp_path / "history.json"
    history.write_text(json.dumps([turn("教育部做了哪些工作？", 2)]), encoding="utf-8")
    from unittest import mock

    with mock.patch("qa.index.embedding.load_embedder", return_value=HashEmbedder()):
        assert main(["ask", "那工信部呢？", "--index", str(root), "--history", str(history), "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["interpreted_as"] == "工信部做了哪些工作？"
        assert main(["ask", "那工信部呢？", "--index", str(root), "--history", str(tmp_path / "none.json")]) == 2
        assert "--history" in capsys.readouterr().err


@pytest.mark.slow
def test_followup_set_with_the_real_embedder():
    """The issue's bar on tests/data/followups.jsonl: ≥ 0.90 top-1 on follow-ups, ≥ 0.95 unchanged standalone."""
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    import followups

    from qa.index.embedding import load_embedder
    from qa.search.retrieval import Retriever

    cases = followups.load_cases()
    assert sum(not c["standalone"] for c in cases) >= 40 and sum(c["standalone"] for c in cases) >= 20
    assert {c["lang"] for c in cases} == {"zh", "en"}
    root = ROOT / ".pytest_cache" / "followup-e5-index"
    build_index([BRIEFING], root, embedder=load_embedder("e5"), show_progress=False)
    figures = followups.score(Retriever(load_index(root), embedder=load_embedder("e5")), cases)
    # 0.917 with the learned ranker once a pronoun question with a topic of its own stopped pinning the last exchange.
    assert figures["top1_gold_history"] >= 0.90, figures["misses"]
    assert figures["standalone_unchanged"] >= 0.95, figures["changed_standalone"]
    assert figures["top1_gold_history"] > figures["top1_no_history"] + 0.2
