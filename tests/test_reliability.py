"""The fast parts of issue #5 that CI runs: one real SIGKILL crash point, and a short schemathesis run in-process."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys

import pytest

from qa.index.build import build_index
from qa.index.embedding import load_embedder
from qa.search.retrieval import Retriever
from qa.index.store import current_build, load_index

from .conftest import ROOT, SAMPLES


@pytest.mark.slow
def test_sigkill_just_before_the_swap_leaves_the_old_index_serving(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLES / "mofcom-labelled.txt", corpus)
    root = tmp_path / "index"
    embedder = load_embedder("e5")
    build_index([corpus], root, embedder=embedder)
    live = current_build(root)
    before = Retriever(load_index(root), embedder=embedder).search("以旧换新").hits[0].record
    shutil.copy(SAMPLES / "briefing.srt", corpus)
    env = {**os.environ, "QA_CRASH_AT": "swap:before-pointer"}
    done = subprocess.run([sys.executable, "-m", "qa.cli", "build", str(corpus), "--index", str(root), "--quiet"],
                          cwd=ROOT, env=env, capture_output=True, timeout=300)
    assert done.returncode == -signal.SIGKILL
    assert current_build(root) == live
    after = Retriever(load_index(root), embedder=embedder).search("以旧换新").hits[0].record
    assert after == before
    recovered = build_index([corpus], root, embedder=embedder)
    assert recovered.build != live and len(load_index(root).transcripts) == 2
    assert not [p for p in (root / "builds").iterdir() if p.name.endswith(".tmp")]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    schemathesis = pytest.importorskip("schemathesis")
    from .fakes import briefing_app

    app, _, _ = briefing_app(tmp_path_factory.mktemp("fuzz"), rate_limit=0)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_schemathesis_short_run_finds_no_5xx_or_schema_violation(api_schema):
    """A short in-process run of every check; scripts/fuzz.py runs 1,000 cases an operation against a real server."""
    from hypothesis import HealthCheck, settings

    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()

        @settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call()
            if response.status_code >= 500:
                failures.append((case.operation.label, response.status_code, response.text[:200]))
            case.validate_response(response)

        from hypothesis import given

        given(operation.as_strategy())(run)()
    assert failures == []
