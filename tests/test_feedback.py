"""Feedback and the question log (issue #10): POST /feedback, the SQLite store and its faults, the admin export and
insights, and a real server SIGKILLed while votes are being written."""

from __future__ import annotations

import csv
import io
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

import pytest
from fastapi.testclient import TestClient

from qa.feedback import MIGRATIONS, AskedQuestion, FeedbackStore, FeedbackUnavailable, Vote, migrate
from qa.insights import group_similar, summarize

from .conftest import ROOT, SAMPLES
from .fakes import briefing_app

T = "2026-03-23-scio-patent-conversion"
TOKEN = "feedback-admin-token-0123456789"
AUTH = {"authorization": f"Bearer {TOKEN}"}


def vote(exchange: int = 5, value: str = "up", **extra) -> dict:
    return {"question": "质押贷款有多少？", "answer": {"transcript_id": T, "exchange": exchange}, "vote": value, **extra}


@pytest.fixture()
def served(tmp_path):
    app, _, _ = briefing_app(tmp_path, rate_limit=0, admin_token=TOKEN)
    with TestClient(app) as client:
        yield client, app


def test_feedback_is_stored_and_exported(served):
    client, app = served
    first = client.post("/feedback", json=vote(comment="=HYPERLINK(\"x\") 有用"))
    second = client.post("/feedback", json=vote(4, "wrong_speaker"))
    assert first.status_code == 201 and second.status_code == 201 and second.json()["id"] > first.json()["id"]
    rows = client.get("/admin/feedback", headers=AUTH).json()["feedback"]
    assert [(r["exchange"], r["vote"], r["speaker"]) for r in rows] == [(5, "up", "杜墨"), (4, "wrong_speaker", "魏巍")]
    exported = client.get("/admin/feedback", params={"format": "csv"}, headers=AUTH)
    assert exported.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert table[0]["comment"].startswith("'=HYPERLINK")  # no formula reaches a spreadsheet
    assert client.get("/admin/feedback").status_code == 401


@pytest.mark.parametrize("body, status", [
    (vote(99), 404),
    ({**vote(), "answer": {"transcript_id": "nope", "exchange": 1}}, 404),
    (vote(value="meh"), 422),
    (vote(comment="长" * 10_000), 422),
    ({**vote(), "extra": 1}, 422),
    ({**vote(), "answer": {"transcript_id": T, "exchange": True}}, 422),  # true is no exchange number
    ({"question": "", "answer": {"transcript_id": T, "exchange": 1}, "vote": "up"}, 422),
])
def test_bad_feedback_is_refused_with_the_error_shape(served, body, status):
    client, _ = served
    response = client.post("/feedback", json=body)
    assert response.status_code == status and set(response.json()) == {"error"}


@pytest.mark.parametrize("content, content_type, status, words", [
    ("question=x", "text/plain", 415, "send application/json"),
    ('{"question":', "application/json", 400, "not valid JSON"),
    ("[" * 5000 + "]" * 5000, "application/json", 400, "levels deep"),
    ('{"vote": ' + "9" * 5000 + "}", "application/json", 400, "digits"),
])
def test_feedback_bodies_are_refused_as_ask_refuses_them(served, content, content_type, status, words):
    """/ask's contract on /feedback: 415 for another content type, 400 naming what is wrong with the JSON."""
    client, _ = served
    response = client.post("/feedback", content=content, headers={"content-type": content_type})
    assert response.status_code == status and words in response.json()["error"]["message"]


def test_huge_comment_body_is_413(served):
    client, _ = served
    assert client.post("/feedback", json=vote(comment="x" * 300_000)).status_code == 413


def test_admin_routes_absent_without_a_token(tmp_path):
    app, _, _ = briefing_app(tmp_path, rate_limit=0)
    with TestClient(app) as client:
        for path in ("/admin/feedback", "/admin/insights", "/admin/insights.json"):
            assert client.get(path, headers=AUTH).status_code == 404
        assert client.post("/feedback", json=vote()).status_code == 201


def test_question_log_keeps_no_client_address_and_feeds_insights(served):
    client, app = served
    for question in ("明天天气怎么样？", "明天的天气怎么样", "2023年银行业发放的知识产权质押贷款有多少？"):
        client.post("/ask", json={"question": question})
    client.post("/feedback", json=vote(5, "down", comment="数字不对"))
    app.state.feedback.flush()
    rows = app.state.feedback.rows("questions")
    assert [r["question"] for r in rows][-1] == "2023年银行业发放的知识产权质押贷款有多少？"
    assert not any(k for k in rows[0] if "client" in k or "addr" in k or k == "ip")
    assert all("127.0.0.1" not in json.dumps(r) and "testclient" not in json.dumps(r) for r in rows)
    data = client.get("/admin/insights.json", headers=AUTH).json()
    assert data["totals"]["questions"] == 3 and data["most_flagged"][0]["comments"] == ["数字不对"]
    weather = [g for g in data["unanswered_groups"] if "天气" in g["example"]]
    assert len(weather) == 1 and weather[0]["count"] == 2
    assert sum(d["down"] for d in data["feedback_per_day"]) == 1
    assert client.get("/admin/insights.json").status_code == 401
    page = client.get("/admin/insights")
    assert page.status_code == 200 and "<script>" not in page.text and "insights.js" in page.text


def test_question_log_can_be_turned_off(tmp_path):
    app, _, _ = briefing_app(tmp_path, rate_limit=0, log_questions=0)
    with TestClient(app) as client:
        client.post("/ask", json={"question": "专利质押"})
        app.state.feedback.flush()
        assert app.state.feedback.rows("questions") == []


def test_retention_prunes_old_questions(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3", retention_days=30)
    store.log_question(AskedQuestion("new", True, T, 1, "x", 5.0, "b"))
    store.flush()
    with sqlite3.connect(tmp_path / "f.sqlite3") as db:
        db.execute("INSERT INTO questions (asked_at, question, found) VALUES (?, 'old', 0)", (time.time() - 31 * 86400,))
    store._prune()
    assert [r["question"] for r in store.rows("questions")] == ["new"]
    store.close()


def test_migrations_are_numbered_and_upgrade_an_old_database(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:
        db.executescript(MIGRATIONS[0] + "; PRAGMA user_version = 1;")
        db.execute("INSERT INTO feedback (created_at, question, transcript_id, exchange, vote) VALUES (1, 'q', 't', 1, 'up')")
    db = sqlite3.connect(path, isolation_level=None)
    assert migrate(db) == len(MIGRATIONS) == db.execute("PRAGMA user_version").fetchone()[0]
    assert db.execute("SELECT count(*) FROM feedback").fetchone()[0] == 1
    db.execute("PRAGMA user_version = 99")
    with pytest.raises(sqlite3.OperationalError, match="newer"):
        migrate(db)
    db.close()


@pytest.mark.parametrize("fault", ["readonly", "full"])
def test_database_fault_keeps_the_chat_answering(served, fault):
    client, app = served
    assert client.post("/feedback", json=vote()).status_code == 201
    store = app.state.feedback
    store.flush()
    if fault == "readonly":
        store._connection.execute("PRAGMA query_only = ON")
    else:
        pages = store._connection.execute("PRAGMA page_count").fetchone()[0]
        store._connection.execute(f"PRAGMA max_page_count = {pages}")
    refused = client.post("/feedback", json=vote(comment="长" * 2000))  # 6 KB: more than a free page
    assert refused.status_code == 503 and refused.json()["error"]["code"] == "feedback_unavailable"
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["feedback"]["available"] is False and health["feedback"]["error"]
    for i in range(3):
        assert client.post("/ask", json={"question": f"专利质押贷款 {i}"}).status_code == 200
    store._connection.execute("PRAGMA query_only = OFF")
    store._connection.execute("PRAGMA max_page_count = 1073741823")
    assert client.post("/feedback", json=vote()).status_code == 201
    assert client.get("/healthz").json()["feedback"]["available"] is True


def test_database_path_that_cannot_be_created(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    app, _, _ = briefing_app(tmp_path, rate_limit=0, feedback_db=str(blocker / "feedback.sqlite3"))
    with TestClient(app) as client:
        app.state.feedback.flush()
        assert client.get("/healthz").json()["feedback"]["available"] is False  # known before any vote
        assert client.post("/ask", json={"question": "专利质押"}).status_code == 200
        assert client.post("/feedback", json=vote()).status_code == 503
        assert client.get("/healthz").json()["feedback"]["available"] is False


def test_concurrent_votes_are_group_committed_and_none_lost(tmp_path):
    store = FeedbackStore(tmp_path / "f.sqlite3")
    ids: list[int] = []
    lock = threading.Lock()

    def post(n: int) -> None:
        for i in range(50):
            row = store.add_vote(Vote(f"q{n}-{i}", T, 1, "up"))
            with lock:
                ids.append(row)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(ids)) == 400 and len(store.rows("feedback")) == 400
    with pytest.raises(Exception):
        store.add_vote(Vote("q", T, 1, "sideways"))
    store.close()


def test_group_similar_joins_rephrasings_and_keeps_others_apart():
    groups = group_similar(["明天天气怎么样？", "明天天气如何", "明天的天气怎么样？", "What is the weather tomorrow?",
                            "weather tomorrow?", "谁是发言人？"])
    sizes = sorted(g.count for g in groups)
    assert sizes == [1, 2, 3]


def test_summary_counts_votes_per_day():
    now = 1_800_000_000.0
    feedback = [{"transcript_id": T, "exchange": 1, "speaker": "x", "vote": v, "comment": None, "created_at": now - d * 86400}
                for v, d in (("up", 0), ("down", 0), ("down", 1), ("wrong_speaker", 40))]
    summary = summarize([], feedback, days=30, now=now)
    assert len(summary["feedback_per_day"]) == 30
    assert summary["feedback_per_day"][-1] == {"day": time.strftime("%Y-%m-%d", time.gmtime(now)), "up": 1, "down": 1,
                                               "wrong_speaker": 0}
    assert summary["most_flagged"][0]["down"] == 2


@pytest.mark.slow
def test_sigkill_while_writing_feedback_loses_nothing_acknowledged(tmp_path):
    """A real `qa serve` takes votes from 4 connections and is SIGKILLed mid-stream, three times: every vote that got
    a 201 before the kill is in the database afterwards."""
    from qa.index.build import build_index
    from qa.index.embedding import load_embedder

    sys.path.insert(0, str(ROOT / "scripts"))
    from _server import start_server, wait_healthy

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "mofcom.txt").write_bytes((SAMPLES / "mofcom-labelled.txt").read_bytes())
    root = tmp_path / "index"
    build_index([corpus], root, embedder=load_embedder("e5"), show_progress=False)
    database = tmp_path / "feedback.sqlite3"
    acknowledged: set[int] = set()
    for round_ in range(3):
        process, port = start_server(root, QA_FEEDBACK_DB=str(database), QA_RATE_LIMIT="0")
        wait_healthy(port)
        base = f"http://127.0.0.1:{port}"
        answer = json.loads(urllib.request.urlopen(f"{base}/ask?q=%E4%BB%A5%E6%97%A7%E6%8D%A2%E6%96%B0").read())
        target = {"transcript_id": answer["answers"][0]["citation"]["transcript_id"],
                  "exchange": answer["answers"][0]["citation"]["exchange"]}
        stop = threading.Event()

        def post(n: int) -> None:
            i = 0
            while not stop.is_set():
                body = json.dumps({"question": f"r{round_} c{n} #{i}", "answer": target, "vote": "up"}).encode()
                request = urllib.request.Request(f"{base}/feedback", data=body, headers={"content-type": "application/json"})
                try:
                    with urllib.request.urlopen(request, timeout=5) as response:
                        if response.status == 201:
                            acknowledged.add(json.loads(response.read())["id"])
                except (OSError, urllib.error.HTTPError, http.client.HTTPException, ValueError):
                    return  # the server was killed mid-request or mid-reply (IncompleteRead, a cut JSON body)
                i += 1

        threads = [threading.Thread(target=post, args=(n,)) for n in range(4)]
        for t in threads:
            t.start()
        time.sleep(1.0 + 0.3 * round_)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        stop.set()
        for t in threads:
            t.join(timeout=10)
    assert len(acknowledged) > 30
    with sqlite3.connect(database) as db:
        stored = {row[0] for row in db.execute("SELECT id FROM feedback")}
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert acknowledged <= stored


def test_processes_starting_together_migrate_once(tmp_path):
    """Two workers open the same new database at once: one migrates, the other finds it done."""
    path = tmp_path / "shared.sqlite3"
    code = ("import sqlite3, sys; from qa.feedback import migrate; "
            "db = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10); db.execute('PRAGMA journal_mode=WAL'); "
            "print(migrate(db))")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    runs = [subprocess.Popen([sys.executable, "-c", code, str(path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            for _ in range(4)]
    results = [run.communicate(timeout=60) for run in runs]
    assert all(run.returncode == 0 for run in runs), results
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
