"""The highlight holds the kind of fact asked for: the sentence with the number for "how many", the places for
"where", the reason for "why" — not just the sentence on the topic."""

from __future__ import annotations

import shutil

import pytest

from qa.search.answers import find_highlight
from qa.index.build import build_index
from qa.search.question_kinds import holds, question_kinds
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
])
def test_question_kinds(question, kinds):
    assert question_kinds(question) == kinds


@pytest.mark.parametrize("kind, sentence, expected", [
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
