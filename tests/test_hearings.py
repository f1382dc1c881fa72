"""Hearings and meetings: one chair, members who ask, witnesses and ministers who answer — and a question that names
anyone, a member too, finds that person's turn."""

from __future__ import annotations

import shutil

import pytest

from qa import attribute_speakers, load_transcript
from qa.index.build import build_index
from qa.search.retrieval import Retriever
from qa.index.store import load_index

from .conftest import SAMPLES
from .fakes import HashEmbedder

HEARING = SAMPLES / "hearing-committee.txt"


@pytest.fixture(scope="module")
def hearing():
    return attribute_speakers(load_transcript(HEARING))


def test_hearing_roles_come_from_the_transcript(hearing):
    roles = {s.name: s.role for s in hearing.speakers}
    assert roles == {"Ann Price MS": "host", "Owen Rees MS": "reporter", "Lisa Grant MS": "reporter",
                     "Gareth Lloyd MS": "official", "Dr Sara Bowen": "official"}


def test_witness_adding_to_a_minister_is_an_answer_not_a_remark(hearing):
    first = hearing.exchanges[0]
    assert [a.speaker.name for a in first.main_answers] == ["Gareth Lloyd MS", "Dr Sara Bowen"]
    assert all("Sara Bowen" not in r.speaker.name for r in hearing.remarks)


def test_chair_asking_a_question_of_her_own_opens_an_exchange(hearing):
    asked = [e for e in hearing.exchanges if e.question and e.question.questioner.name == "Ann Price MS"]
    assert len(asked) == 1 and "three-mile rule" in asked[0].question.text
    assert asked[0].main_answers[0].speaker.name == "Gareth Lloyd MS"
    assert {r.text for r in hearing.remarks} >= {"Thank you. Lisa Grant."}


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hearing")
    shutil.copy(HEARING, folder)
    root = tmp_path_factory.mktemp("index")
    build_index([folder], root, embedder=HashEmbedder())
    return Retriever(load_index(root), embedder=HashEmbedder())


@pytest.mark.parametrize("question, questioner", [
    ("What did Lisa Grant ask about?", "Lisa Grant MS"),
    ("What did Owen Rees raise with the Minister?", "Owen Rees MS"),
])
def test_question_naming_a_member_finds_their_turn(retriever, question, questioner):
    top = retriever.search(question).hits[0]
    assert top.record.questioner == questioner and top.features["questioner_named"] == 1.0


def test_question_naming_a_witness_by_surname_finds_her_answer(retriever):
    top = retriever.search("What did Bowen say about fines?").hits[0]
    assert top.record.speaker.name == "Dr Sara Bowen" and "fine" in top.record.text
