"""Questions about a person or a body: the intent, the name resolved in every spelling, that speaker's answers."""

from __future__ import annotations

import json
import shutil

import pytest
from fastapi.testclient import TestClient

from qa.search.about import about_intent, answer_about
from qa.index.build import build_index
from qa.index.store import load_index

from .conftest import ROOT, SAMPLES
from .fakes import HashEmbedder, briefing_app

PERSON_SET = [json.loads(line) for line in (ROOT / "tests" / "data" / "person-questions.jsonl").read_text("utf-8").splitlines()]


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    app, _, _ = briefing_app(tmp_path_factory.mktemp("about"), rate_limit=0)
    with TestClient(app) as c:
        yield c


@pytest.mark.parametrize("question, who", [
    ("杜墨说了什么？", "杜墨"),
    ("杜墨在发布会上讲了哪些内容？", "杜墨"),
    ("金融监管总局讲了什么", "金融监管总局"),
    ("魏巍谈了哪些方面？", "魏巍"),
    ("韩司长的回答有哪些？", "韩司长"),
    ("What did Du Mo say?", "Du Mo"),
    ("Which topics did Director Han cover at the briefing?", "Director Han"),
    ("What were Hu Wenhui's answers?", "Hu Wenhui"),
    ("Tell me what the finance regulator said.", "the finance regulator"),
])
def test_intent_finds_who_the_question_is_about(question, who):
    assert about_intent(question) == who


@pytest.mark.parametrize("question", [
    "知识产权质押贷款累计发放了多少？",
    "What did the finance regulator say about IP pledge loans?",  # a topic: ranked, not listed
    "财务总监德赛对债券利率说了什么？",  # the same in Chinese: 对 a topic
    "杜墨关于质押融资讲了什么",
    "专利转化运用主要面临哪些困难？",
    "What did you say?",
    "教育部怎样推动高校专利转化？",
])
def test_topical_questions_are_not_taken(question):
    assert about_intent(question) is None


@pytest.mark.parametrize("item", PERSON_SET, ids=[i["q"] for i in PERSON_SET])
def test_person_set_top_speaker_and_never_not_found(client, item):
    body = client.post("/ask", json={"question": item["q"]}).json()
    assert body["found"] is True
    assert body["answers"][0]["speaker"]["name"] == item["speaker"]
    assert body["about"]["name"] == item["speaker"]


def test_every_answer_of_the_speaker_with_topic_and_highlight(client):
    body = client.post("/ask", json={"question": "胡文辉说了什么？", "top_k": 3}).json()
    exchanges = [a["citation"]["exchange"] for a in body["answers"]]
    assert exchanges == sorted(exchanges) and len(exchanges) == body["about"]["answers"] >= 4  # all, not top_k
    assert exchanges[0] == 0 and body["answers"][0]["question_asked"] is None  # the opening statement first
    for answer in body["answers"]:
        assert answer["highlight"] in answer["text"].replace("\n", "") or answer["highlight"] in answer["text"]
        assert not answer["highlight"].startswith("谢谢")
        lo, hi = answer["citation"]["highlight_lines"]
        assert answer["citation"]["line_start"] <= lo <= hi <= answer["citation"]["line_end"]


def test_speaker_filter_with_the_same_person(client):
    body = client.post("/ask", json={"question": "What did Du Mo say?", "speaker": "杜墨"}).json()
    assert body["found"] and {a["speaker"]["name"] for a in body["answers"]} == {"杜墨"}
    pronoun = client.post("/ask", json={"question": "她说了什么？", "speaker": "杜墨"}).json()
    assert pronoun["about"]["name"] == "杜墨"


def test_filter_for_someone_else_falls_back_to_the_filtered_search(client):
    body = client.post("/ask", json={"question": "What did Du Mo say?", "speaker": "魏巍"}).json()
    assert "about" not in body and {a["speaker"]["name"] for a in body["answers"]} <= {"魏巍"}


def test_unknown_name_is_ranked_as_usual(client):
    body = client.post("/ask", json={"question": "What did Elon Musk say?"}).json()
    assert "about" not in body


def test_speaker_objects_carry_english(client):
    answer = client.post("/ask", json={"question": "What did Du Mo say?"}).json()["answers"][0]
    assert answer["speaker"]["name_en"] == "Du Mo"
    assert answer["speaker"]["display_en"] == ("Du Mo, Head of the Department of Laws and Regulations, "
                                               "National Financial Regulatory Administration")


@pytest.fixture(scope="module")
def mixed_index(tmp_path_factory):
    """The briefing, a US press conference and a labelled MOFCOM briefing in one index."""
    folder = tmp_path_factory.mktemp("mixed")
    corpus = folder / "t"
    corpus.mkdir()
    for path in (SAMPLES / "fomc-caps.txt", SAMPLES / "mofcom-labelled.txt", ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"):
        shutil.copy(path, corpus)
    build_index([corpus], folder / "i", embedder=HashEmbedder())
    return load_index(folder / "i")


@pytest.mark.parametrize("question", ["What did Chair Powell say?", "What did Powell say?", "What did Mr. Powell say?"])
def test_english_names_in_other_transcripts(mixed_index, question):
    body = answer_about(mixed_index, question)
    assert body is not None and body["about"]["name"] == "Chair Powell" and len(body["answers"]) == 3
    assert not body["answers"][0]["highlight"].startswith("Good afternoon")  # courtesies are not the gist


@pytest.mark.parametrize("question, name, first", [
    ("What did Colby Smith ask?", "Colby Smith", "How should we interpret the projections"),
    ("路透社记者问了什么？", "路透社记者", "Could you comment"),
    ("贾惠丽说了什么？", "贾惠丽", "女士们、先生们"),
    ("What did Jia Huili say?", "贾惠丽", "女士们、先生们"),
])
def test_people_who_ask_or_host_are_listed_too(mixed_index, question, name, first):
    body = answer_about(mixed_index, question)
    assert body is not None and body["found"] and body["about"]["name"] == name
    assert body["answers"][0]["highlight"].startswith(first)
    lo, hi = body["answers"][0]["citation"]["highlight_lines"]
    assert body["answers"][0]["citation"]["line_start"] <= lo <= hi <= body["answers"][0]["citation"]["line_end"]


def test_a_post_names_its_holder_only_where_no_one_else_in_the_index_holds_it(tmp_path):
    """Chair Powell is "the chair" of an index of his press conference alone, not of one that also holds a hearing
    chaired by "The Chair:" (a host, who answers nothing); "the committee chair" never names him."""
    from qa.search.features import FeatureBuilder

    for name, files in (("fomc", ["fomc-caps.txt"]), ("both", ["fomc-caps.txt", "hearing-committee.txt"])):
        corpus = tmp_path / name
        corpus.mkdir()
        for file in files:
            text = (SAMPLES / file).read_text(encoding="utf-8")
            (corpus / file).write_text(text.replace("Ann Price MS:", "The Chair:"), encoding="utf-8")
        build_index([corpus], tmp_path / f"{name}-i", embedder=HashEmbedder())
        index = load_index(tmp_path / f"{name}-i")
        body = answer_about(index, "What did the chair say?")
        assert body is not None and body["about"]["name"] == ("Chair Powell" if name == "fomc" else "The Chair")
        mentions = FeatureBuilder(index).mentions
        assert ("Chair Powell" in mentions("What did the chair say about rates?").persons) == (name == "fomc")
        assert "Chair Powell" not in mentions("What did the committee chair ask about rates?").persons


@pytest.mark.parametrize("question", ["What did Daniel Okafor say?", "What did Okafor say?", "What did the Treasurer say?",
                                      "奥卡福说了什么？"])
def test_a_post_holder_named_by_the_page_byline_is_found_by_name_and_post(tmp_path, question):
    from .test_importers import _BYLINE_PAGE

    corpus = tmp_path / "t"
    corpus.mkdir()
    (corpus / "doorstop.html").write_text(_BYLINE_PAGE, encoding="utf-8")
    build_index([corpus], tmp_path / "i", embedder=HashEmbedder())
    body = answer_about(load_index(tmp_path / "i"), question)
    assert body is not None and body["found"] and body["about"]["name"] == "Treasurer Daniel Okafor"
    assert len(body["answers"]) == 2


def test_a_post_the_header_gives_names_its_holder_and_a_deputy_holds_no_other_post():
    """'the minister' is Mark Delaney, "Minister of State for Rail" by the header, while he is the only minister;
    a deputy governor does not make 'the governor' ambiguous, and is 'the deputy governor' himself."""
    from qa.speakers.roster import Speaker, sole_post_holders

    speakers = [Speaker("Governor Marsh", title="Governor"),
                Speaker("Deputy Governor Anand", title="Deputy Governor for Financial Stability"),
                Speaker("Mark Delaney", title="Minister of State for Rail", organization="Department for Transport"),
                Speaker("Sarah Kettering", title="Chief Executive", organization="Great British Railways")]
    holders = sole_post_holders(speakers)
    assert holders["the governor"] == "Governor Marsh" and holders["the deputy governor"] == "Deputy Governor Anand"
    assert holders["the minister"] == "Mark Delaney" and holders["the chief executive"] == "Sarah Kettering"
    assert "the minister" not in sole_post_holders(speakers, [Speaker("Jane Roe", title="Minister for Water")])


def test_a_minister_of_state_is_named_as_the_minister_for_the_portfolio():
    from qa.speakers.header import title_forms

    assert {"minister for rail", "rail minister"} <= title_forms("Minister of State for Rail")
    assert title_forms("Secretary of Agriculture") == {"secretary of agriculture", "agriculture secretary"}
    assert title_forms("Governor") == set()


def test_a_sole_post_is_not_another_portfolio_and_a_state_minister_keeps_his_words():
    """'the minister for roads' is not the index's only minister, the rail minister; "Minister of State Security" is
    still the state security minister."""
    from qa.search.features import mention_table
    from qa.speakers.header import title_forms
    from qa.speakers.roster import Speaker

    table = mention_table([Speaker("Mark Delaney", title="Minister of State for Rail")], [])
    named = lambda q: set().union(*(names for pattern, names, _ in table if pattern.search(q.lower())))  # noqa: E731
    assert named("What did the minister say about fares?") == {"Mark Delaney"}
    assert named("What did the minister for roads say?") == set()
    assert "state security minister" in title_forms("Minister of State Security")


def test_a_chinese_officials_post_names_them_in_english():
    """商务部副部长 盛立平 is 'the vice minister of commerce' to an English reader (the shipped English glossary), and
    the one spokesperson is 'the spokesperson'; two directors-general make 'the director-general' name neither."""
    from qa.search.features import mention_table
    from qa.speakers.roster import Speaker

    table = mention_table([Speaker("盛立平", title="副部长", organization="商务部"),
                           Speaker("贺晓东", title="新闻发言人", organization="商务部"),
                           Speaker("郑卫东", title="司长", organization="国家发展改革委就业收入分配和消费司"),
                           Speaker("何雅琴", title="司长", organization="商务部市场运行和消费促进司")], [])
    named = lambda q: set().union(*(names for pattern, names, _ in table if pattern.search(q.lower())))  # noqa: E731
    assert named("What did the vice minister of commerce say about brands?") == {"盛立平"}
    assert named("What did the commerce vice minister say?") == {"盛立平"}
    assert named("What did the spokesperson say about tariffs?") == {"贺晓东"}
    assert named("What did the director-general say?") == set()


def test_a_name_with_dui_is_still_a_name():
    assert about_intent("反对党领袖说了什么？") == "反对党领袖"
    assert about_intent("中联部对外联络局局长说了什么") == "中联部对外联络局局长"
