"""The highlight holds the kind of fact asked for: the sentence with the number for "how many", the places for
"where", the reason for "why" — not just the sentence on the topic."""

from __future__ import annotations

import shutil

import pytest

import numpy as np

from qa.search.answers import _extend, adjacent_pairs, concept_patterns, find_highlight
from qa.index.build import build_index
from qa.search.question_kinds import counted_forms, counts, holds, question_kinds
from qa.search.retrieval import Retriever
from qa.index.store import load_index

from .conftest import SAMPLES
from .fakes import HashEmbedder


@pytest.mark.parametrize("question, kinds", [
    ("专项行动期间发放了多少知识产权质押贷款？", {"number"}),
    ("How many pupils rely on school buses?", {"number"}),
    ("高校区域技术转移转化中心布局在哪些地方？", {"place", "list"}),
    ("Where are the regional centres?", {"place"}),
    ("When will the standards take effect?", {"date"}),
    ("为什么要开展整治规范年行动？", {"reason"}),
    ("Why did councils cut the routes?", {"reason"}),
    ("Who will chair the review?", {"person"}),
    ("教育部采取了哪些措施？", {"list"}),
    ("What did the minister say about safety?", set()),
    ("整治规范年行动要达到什么目标？", {"goal"}),
    ("上海交通大学的赋权改革取得了什么成效？", {"result"}),
    ("What results has the pilot achieved?", {"result"}),
])
def test_question_kinds(question, kinds):
    assert question_kinds(question) == kinds


@pytest.mark.parametrize("kind, sentence, expected", [
    ("goal", "力争到今年年底，推动代理行业秩序实现根本好转。", True),
    ("goal", "近日已经组织各地进行了工作动员和专题部署。", False),
    ("result", "2023年以来，通过该模式转化成果147项。", True),
    ("result", "学校将所有权赋予科研人员实施转化，取得良好成效。", False),
    ("number", "累计发放贷款 6000 亿元。", True),
    ("number", "Around 98,000 pupils travel every day.", True),
    ("number", "我们将继续推进这项工作。", False),
    ("date", "The standards take effect on July 1.", True),
    ("date", "明年将出台新办法。", True),
    ("place", "布局在江苏、粤港澳大湾区、北京、福建。", True),
    ("reason", "The main reason is cost.", True),
    ("reason", "Fuel prices rose sharply.", False),
])
def test_sentence_holds_the_kind(kind, sentence, expected):
    assert holds(kind, sentence) is expected


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hearing")
    shutil.copy(SAMPLES / "hearing-committee.txt", folder)
    root = tmp_path_factory.mktemp("index")
    build_index([folder], root, embedder=HashEmbedder())
    return Retriever(load_index(root), embedder=HashEmbedder())


@pytest.mark.parametrize("question, fact, answer_holds", [
    ("How many pupils rely on council school buses?", "98,000", "98,000 pupils"),
    ("Why have councils cut the school bus routes?", "reason is cost", "reason is cost"),
])
def test_highlight_holds_the_fact_asked_for(retriever, question, fact, answer_holds):
    retrieval = retriever.search(question, top_k=20)
    hit = next(h for h in retrieval.hits if answer_holds in h.record.text)
    assert fact in find_highlight(retriever.index, retrieval, hit).text


def test_highlight_takes_the_neighbour_that_holds_the_number(retriever):
    """'How many…' whose best-matching sentence has no figure: the adjacent sentence with the figure joins it."""
    retrieval = retriever.search("How many pupils rely on council school buses, and has that changed?", top_k=20)
    hit = next(h for h in retrieval.hits if "98,000" in h.record.text)
    text = find_highlight(retriever.index, retrieval, hit).text
    assert "98,000" in text


TRANSLATE = {"patent": ["专利"], "sme": ["中小企业"], "loan": ["贷款"], "people": ["有人"]}.get


@pytest.mark.parametrize("question, forms", [
    ("How many existing patents were inventoried?", ("patent", "专利", "件", "项")),
    ("How many SMEs were cultivated?", ("sme", "中小企业", "家")),
    ("How many people work in the industry?", ("people", "有人", "人", "名", "位")),
    ("培育了多少家样板企业？", ("家", "样板", "样板企业")),
    ("多少企业获得了贷款？", ("企业", "企业获得")),
    ("How many businesses received loans?", ("business", "家")),
    ("What did the minister say about safety?", ()),
])
def test_counted_forms_name_what_a_how_many_question_counts(question, forms):
    assert counted_forms(question, lambda word: TRANSLATE(word, [])) == forms


@pytest.mark.parametrize("sentence, forms, expected", [
    ("累计培育样板中小企业超过 3000 家，一批企业成长壮大。", ("sme", "中小企业", "家"), True),
    ("全国2700多所高校和科研机构134.9万件存量专利的盘点工作", ("patent", "专利", "件"), True),
    ("从业人员也超过 110 万人", ("people", "人"), True),
    ("筛选出的中小企业，覆盖 31 个省份", ("sme", "中小企业"), False),  # the figure counts provinces, past a comma
    ("As of today, 590,000 small business loans have been issued.", ("loan",), True),
    ("The loans went out in 2020, and the rest later.", ("loan",), True),
    ("We will keep working on this.", ("loan",), False),
])
def test_counts_finds_the_figure_beside_what_is_counted(sentence, forms, expected):
    assert counts(sentence, forms) is expected


def test_adjacent_pairs_reward_a_phrase_said_not_words_scattered():
    patterns = concept_patterns([[("专利",), ("patent",)], [("产业", "业化"), ("industrialization",)],
                                 [("样板",), ("model",)], [("企业",), ("enterprise",)]])
    assert adjacent_pairs("累计培育专利产业化样板中小企业超过 3000 家", patterns) == 3
    assert adjacent_pairs("实施专利产业化促进中小企业成长计划", patterns) == 1
    assert adjacent_pairs("the patent industrialization of model enterprises", patterns) == 3
    assert concept_patterns([[("专利",)]]) == []  # one idea: nothing to be adjacent to


def test_a_how_many_highlight_wants_the_figure_that_counts_the_thing(tmp_path):
    """'How many centres': a sentence with another figure ('over two years', '2 years') does not answer it; the
    neighbour that counts centres joins the highlight."""
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "hearing.txt").write_text(
        "# Committee on Skills: evidence session\n\n"
        "Ann Price MS: Welcome to the committee. Questions first from Owen Rees.\n\n"
        "Owen Rees MS: Minister, how many regional skills centres has the Government opened for apprentices?\n\n"
        "Gareth Lloyd MS: The Government has opened regional skills centres for apprentices over the last 2 years, "
        "working with colleges and employers in every region of the country. So far 14 centres are open. Each one "
        "also advises small employers on taking on their first apprentice.\n", encoding="utf-8")
    root = tmp_path / "index"
    build_index([folder], root, embedder=HashEmbedder())
    retriever = Retriever(load_index(root), embedder=HashEmbedder())
    retrieval = retriever.search("How many regional skills centres has the Government opened for apprentices?")
    hit = next(h for h in retrieval.hits if "14 centres" in h.record.text)
    assert "14 centres" in find_highlight(retriever.index, retrieval, hit).text


def test_a_third_sentence_joins_only_to_hold_the_missing_fact():
    texts = ["The campaign runs all year.", "It covers every agency.", "It aims to restore order by the end of the year."]
    score = np.array([2.0, 1.9, 0.2])
    goal = {"goal": np.array([False, False, True])}
    assert _extend([0], score, texts, {"goal"}, goal) == [0, 1, 2]
    held = {"goal": np.array([True, False, True])}
    assert _extend([0], score, texts, {"goal"}, held) == [0, 1]
