"""Admin routes (bearer token, upload rules), overload (503), per-client rate limit (429), the response cache."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from fastapi.testclient import TestClient

from web.admin import stored_name

from .conftest import BRIEFING, SAMPLES
from .fakes import briefing_app

TOKEN = "correct-horse-battery-staple-42"


def test_admin_routes_do_not_exist_without_a_token(tmp_path):
    app, _, _ = briefing_app(tmp_path)
    with TestClient(app) as client:
        assert client.post("/admin/rebuild").status_code == 404
        assert client.post("/admin/transcripts?filename=a.md", content=b"x").status_code == 404


@pytest.mark.parametrize("header", [None, "Bearer wrong-token-wrong-token", "Basic " + TOKEN, TOKEN])
def test_admin_needs_the_bearer_token(tmp_path, header):
    app, _, _ = briefing_app(tmp_path, admin_token=TOKEN)
    headers = {"authorization": header} if header else {}
    with TestClient(app) as client:
        response = client.post("/admin/rebuild", headers=headers)
        assert response.status_code == 401 and response.headers["www-authenticate"] == "Bearer"
        assert response.json()["error"]["code"] == "unauthorized"


def test_upload_then_rebuild_serves_the_new_transcript(tmp_path):
    app, corpus, _ = briefing_app(tmp_path, admin_token=TOKEN, rate_limit=0)
    auth = {"authorization": f"Bearer {TOKEN}"}
    data = (SAMPLES / "mofcom-labelled.txt").read_bytes()
    with TestClient(app) as client:
        stored = client.post("/admin/transcripts", params={"filename": "../../etc/Mofcom Briefing.TXT"},
                             content=data, headers=auth)
        assert stored.status_code == 201, stored.text
        name = stored.json()["stored"]
        assert name.startswith("mofcom-briefing-") and name.endswith(".txt") and "/" not in name
        assert (corpus / name).read_bytes() == data
        rebuilt = client.post("/admin/rebuild", headers=auth)
        assert rebuilt.status_code == 200 and rebuilt.json()["transcripts"] == 2
        body = client.post("/ask", json={"question": "以旧换新补贴申请量有多少？"}).json()
        assert body["answers"][0]["speaker"]["name"] == "何亚东"


@pytest.mark.parametrize("filename, data, status", [
    ("notes.exe", b"hello", 400),
    ("empty.md", b"", 422),
    ("prose.md", b"Just prose, nobody speaking.", 422),
])
def test_bad_uploads_are_refused_and_not_stored(tmp_path, filename, data, status):
    app, corpus, _ = briefing_app(tmp_path, admin_token=TOKEN)
    with TestClient(app) as client:
        response = client.post("/admin/transcripts", params={"filename": filename}, content=data,
                               headers={"authorization": f"Bearer {TOKEN}"})
        assert response.status_code == status and "error" in response.json()
    assert sorted(p.name for p in corpus.iterdir()) == [BRIEFING.name]


def test_upload_size_is_capped(tmp_path):
    app, _, _ = briefing_app(tmp_path, admin_token=TOKEN, max_upload_bytes=1000)
    with TestClient(app) as client:
        response = client.post("/admin/transcripts", params={"filename": "big.md"}, content=b"x" * 2000,
                               headers={"authorization": f"Bearer {TOKEN}"})
        assert response.status_code == 413


@pytest.mark.parametrize("filename", ["a/b/../../x.md", "..\\..\\x.md", "/etc/passwd.md", "x.md\x00.exe"])
def test_stored_names_are_regenerated(filename):
    try:
        name = stored_name(filename, b"data")
    except Exception:
        return
    assert "/" not in name and "\\" not in name and ".." not in name and name.endswith(".md")


def test_rate_limit_answers_429_per_client(tmp_path):
    app, _, _ = briefing_app(tmp_path, rate_limit=2, rate_burst=3)
    with TestClient(app) as client:
        statuses = [client.post("/ask", json={"question": "专利"}).status_code for _ in range(6)]
        assert statuses[:3] == [200, 200, 200] and 429 in statuses[3:]
        limited = client.post("/ask", json={"question": "专利"})
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert limited.json()["error"]["code"] == "rate_limited"
        assert client.get("/healthz").status_code == 200  # never rate limited


def _hold_searches(app) -> tuple[threading.Event, threading.Semaphore, list[int]]:
    """Make the served retriever's searches wait: each releases `entered` when it starts, then waits for `release`
    (at most 10 s); `calls` counts them."""
    release, entered, calls = threading.Event(), threading.Semaphore(0), []
    retriever = app.state.holder.get().retriever
    original = retriever.search

    def held(*args, **kwargs):
        calls.append(1)
        entered.release()
        release.wait(10)
        return original(*args, **kwargs)

    retriever.search = held
    return release, entered, calls


def test_overload_answers_503_quickly_instead_of_queueing(tmp_path):
    app, _, _ = briefing_app(tmp_path, rate_limit=0, max_concurrency=2)
    with TestClient(app) as client:
        release, entered, _ = _hold_searches(app)
        with ThreadPoolExecutor(2) as pool:
            busy = [pool.submit(client.post, "/ask", json={"question": f"专利{i}"}) for i in range(2)]
            assert entered.acquire(timeout=5) and entered.acquire(timeout=5)
            started = time.perf_counter()
            turned_away = client.post("/ask", json={"question": "专利"})
            waited = time.perf_counter() - started
            assert client.get("/healthz").status_code == 200
            release.set()
            assert [f.result().status_code for f in busy] == [200, 200]
    assert turned_away.status_code == 503 and turned_away.json()["error"]["code"] == "overloaded"
    assert turned_away.headers["retry-after"] == "1" and waited < 1.0
    assert app.state.slots.in_flight == 0


def test_the_same_question_asked_at_once_is_one_search_not_a_503(tmp_path):
    """With one slot, ten readers asking the same question while it is being answered all get the answer: they wait
    for the search in flight instead of each taking a slot (they were turned away with 503)."""
    app, _, _ = briefing_app(tmp_path, rate_limit=0, max_concurrency=1)
    with TestClient(app) as client:
        release, entered, calls = _hold_searches(app)
        with ThreadPoolExecutor(10) as pool:
            first = pool.submit(client.post, "/ask", json={"question": "专利转化的成效如何？"})
            assert entered.acquire(timeout=5)
            others = [pool.submit(client.post, "/ask", json={"question": "专利转化的成效如何？"}) for _ in range(9)]
            time.sleep(0.3)  # the nine are waiting on the first
            other = client.post("/ask", json={"question": "另一个问题？"})  # a different question still needs a slot
            release.set()
            bodies = [f.result() for f in [first, *others]]
    assert other.status_code == 503
    assert [b.status_code for b in bodies] == [200] * 10 and len({b.text for b in bodies}) == 1 and len(calls) == 1
    assert app.state.slots.in_flight == 0


def test_copies_of_a_question_that_fails_share_its_error(tmp_path):
    """Ten copies of a question with an unknown speaker filter: each gets the first one's 404 (they stampeded for
    slots and got 503s)."""
    app, _, _ = briefing_app(tmp_path, rate_limit=0, max_concurrency=1)
    with TestClient(app) as client, ThreadPoolExecutor(10) as pool:
        replies = list(pool.map(lambda _: client.post("/ask", json={"question": "专利有多少", "speaker": "Nobody"}),
                                range(10)))
    assert [r.status_code for r in replies] == [404] * 10


def test_repeated_question_is_served_from_cache(tmp_path):
    app, _, _ = briefing_app(tmp_path, rate_limit=0)
    with TestClient(app) as client:
        first = client.post("/ask", json={"question": "一产业一团队指的是什么？"}).json()
        holder = app.state.holder
        calls = []
        original = holder.get().retriever.search
        holder.get().retriever.search = lambda *a, **k: calls.append(1) or original(*a, **k)
        second = client.post("/ask", json={"question": "一产业一团队指的是什么？"}).json()
        assert first == second and calls == []
