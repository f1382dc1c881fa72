"""GET /metrics (issue #10): the Prometheus text format, parsed by Prometheus' own parser; and `qa serve --workers 2`
sharing a hot swap and aggregating metrics across processes."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from .conftest import ROOT, SAMPLES
from .fakes import briefing_app

TOKEN = "metrics-admin-token-0123456789"


def samples(text: str) -> dict[tuple, float]:
    out = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            out[(sample.name, tuple(sorted((k, v) for k, v in sample.labels.items() if k != "pid")))] = sample.value
    return out


def value(parsed: dict, name: str, **labels: str) -> float:
    return sum(v for (n, ls), v in parsed.items() if n == name and all((k, labels[k]) in ls for k in labels))


def test_metrics_count_routes_latency_cache_and_answers(tmp_path):
    app, _, root = briefing_app(tmp_path, rate_limit=0, admin_token=TOKEN)
    with TestClient(app) as client:
        for _ in range(2):
            client.post("/ask", json={"question": "2023年银行业发放的知识产权质押贷款有多少？"})
        client.post("/ask", json={"question": "明天天气怎么样？"})
        client.post("/ask", json={"question": ""})
        client.get("/transcripts/2026-03-23-scio-patent-conversion")
        client.get("/nope")
        client.post("/ask", json={"question": "那工信部呢？", "history": [{"question": "教育部做了哪些工作？"}]})
        for n in range(3):  # methods a client makes up share one label: they cannot grow /metrics without limit
            client.request(f"M{n:05d}X", "/ask")
        response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    parsed = samples(response.text)
    assert value(parsed, "qa_http_requests_total", route="/ask", status="200") == 4
    assert value(parsed, "qa_http_requests_total", route="/ask", status="422") == 1
    assert value(parsed, "qa_http_requests_total", route="/transcripts/{transcript_id}", status="200") == 1
    assert value(parsed, "qa_http_requests_total", route="unmatched", status="404") == 1
    assert value(parsed, "qa_http_requests_total", route="/ask", method="other", status="405") == 3
    assert "M00001X" not in response.text
    assert value(parsed, "qa_ask_seconds_count") == 4 and value(parsed, "qa_ask_seconds_bucket", le="+Inf") == 4
    assert value(parsed, "qa_ask_cache_total", result="hit") == 1 and value(parsed, "qa_ask_cache_total", result="miss") == 3
    assert value(parsed, "qa_answers_total", found="true") >= 2 and value(parsed, "qa_answers_total", found="false") >= 1
    assert value(parsed, "qa_followups_total", kind="ellipsis") == 1
    build = (root / "CURRENT").read_text().strip()
    assert value(parsed, "qa_build_info", build=build) == 1 and value(parsed, "qa_build_age_seconds") >= 0


def test_rebuild_and_swap_are_counted(tmp_path):
    app, corpus, _ = briefing_app(tmp_path, rate_limit=0, admin_token=TOKEN)
    with TestClient(app) as client:
        client.get("/metrics")
        shutil.copy(SAMPLES / "mofcom-labelled.txt", corpus)
        from unittest import mock

        from .fakes import HashEmbedder

        with mock.patch("web.admin.load_embedder", return_value=HashEmbedder()):
            assert client.post("/admin/rebuild", headers={"authorization": f"Bearer {TOKEN}"}).status_code == 200
        client.post("/ask", json={"question": "以旧换新"})
        parsed = samples(client.get("/metrics").text)
    assert value(parsed, "qa_rebuilds_total", result="ok") == 1 and value(parsed, "qa_rebuild_seconds_count") == 1
    assert value(parsed, "qa_index_swaps_total") == 1


@pytest.mark.slow
def test_two_workers_share_a_hot_swap_and_their_metrics(tmp_path):
    from qa.index.build import build_index
    from qa.index.embedding import load_embedder

    sys.path.insert(0, str(ROOT / "scripts"))
    from _server import free_port, wait_healthy

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLES / "mofcom-labelled.txt", corpus)
    root = tmp_path / "index"
    embedder = load_embedder("e5")
    build_index([corpus], root, embedder=embedder, show_progress=False)
    port = free_port()
    env = {**os.environ, "QA_RATE_LIMIT": "0", "QA_FEEDBACK_DB": str(tmp_path / "fb.sqlite3")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    process = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--index", str(root), "--port", str(port),
                                "--workers", "2"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(port, timeout=120)
        for _ in range(40):  # each followed by a scrape, so that both workers answer some of each
            with urllib.request.urlopen(f"{base}/ask?q=%E4%BB%A5%E6%97%A7%E6%8D%A2%E6%96%B0") as response:
                assert response.status == 200
            urllib.request.urlopen(f"{base}/metrics").read()
        text = urllib.request.urlopen(f"{base}/metrics").read().decode()
        pids = {s.labels["pid"] for f in text_string_to_metric_families(text) for s in f.samples if "pid" in s.labels}
        assert value(samples(text), "qa_http_requests_total", route="/ask", status="200") == 40
        assert len(pids) == 2  # both workers served and both report their build gauges
        before = json.loads(urllib.request.urlopen(f"{base}/healthz").read())["build"]
        shutil.copy(SAMPLES / "briefing.srt", corpus)
        build_index([corpus], root, embedder=embedder, show_progress=False)
        # Each worker loads the new build in the background after its next check of CURRENT: wait until every
        # answer, from either worker, comes from the new build.
        deadline = time.monotonic() + 30
        while True:
            builds = {json.loads(urllib.request.urlopen(f"{base}/healthz").read())["build"] for _ in range(30)}
            if (len(builds) == 1 and builds != {before}) or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert len(builds) == 1 and builds != {before}
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_rate_limit_is_split_between_workers(tmp_path):
    """Per-process buckets at rate/N and burst/N: N workers together allow about the configured rate."""
    app, _, _ = briefing_app(tmp_path, rate_limit=1, rate_burst=4, workers=2)
    with TestClient(app) as client:
        statuses = [client.get("/api/speakers").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
