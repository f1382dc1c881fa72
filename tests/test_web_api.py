"""The /ask API in-process: the contract, every error status, the security headers, and the hot index swap."""

from __future__ import annotations

import shutil
import threading
import time

import pytest
from fastapi.testclient import TestClient

from qa.index.build import build_index
from qa.settings import Settings
from web.app import create_app
from web.state import IndexHolder

from .conftest import SAMPLES
from .fakes import HashEmbedder, briefing_app


def eventually(probe, done, timeout: float = 10.0):
    """probe() until done(result): a new build is loaded in the background, so it shows up a moment later."""
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if done(result) or time.monotonic() > deadline:
            return result
        time.sleep(0.02)


@pytest.fixture()
def served(tmp_path):
    app, corpus, root = briefing_app(tmp_path, rate_limit=0)
    with TestClient(app) as client:
        yield client, corpus, root


def test_post_ask_contract(served):
    client, _, _ = served
    response = client.post("/ask", json={"question": "一产业一团队指的是什么？", "top_k": 2})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"question", "found", "answers", "interpreted_as", "notes"} and len(body["answers"]) == 2
    assert body["interpreted_as"] is None and body["notes"] == []
    answer = body["answers"][0]
    assert answer["speaker"]["name"] == "周大旺" and answer["speaker"]["display"] == "教育部科学技术与信息化司司长 周大旺"
    assert answer["citation"]["url"] == "/transcripts/2026-03-23-scio-patent-conversion#L79-L91"
    assert answer["highlight"] in answer["text"] and "一产业一团队" in answer["highlight"]


def test_scores_never_rise_down_the_list(served, monkeypatch):
    """The ranker orders, the score says how sure we are: an answer below another never shows more certainty."""
    from qa.search.retrieval import Retriever

    search = Retriever.search

    def rising(self, *args, **kwargs):  # relevance rising with rank, as the ranker and the calibration can disagree
        retrieval = search(self, *args, **kwargs)
        for rank, hit in enumerate(retrieval.hits):
            hit.relevance = 0.3 + 0.2 * rank
        return retrieval

    monkeypatch.setattr(Retriever, "search", rising)
    client, _, _ = served
    scores = [a["score"] for a in client.post("/ask", json={"question": "专利转化运用专项行动的目标？", "top_k": 3})
              .json()["answers"]]
    assert scores == [0.3, 0.3, 0.3]


def test_a_history_turn_that_is_not_text_is_ignored_with_a_note(served):
    """A lone surrogate ("\\ud800") in a history question reached the embedder and made a 500."""
    client, _, _ = served
    response = client.post("/ask", content=('{"question": "他呢", "history": [{"question": "\\ud800教育部怎样支持专利转化？", '
                                            '"answer": {"transcript_id": "2026-03-23-scio-patent-conversion", '
                                            '"exchange": 2}}]}').encode(), headers={"content-type": "application/json"})
    assert response.status_code == 200 and any("not text" in n for n in response.json()["notes"])
    refused = client.post("/ask", content=b'{"question": "\\ud800 x"}', headers={"content-type": "application/json"})
    assert refused.status_code == 422 and "question" in refused.json()["error"]["message"]


def test_get_ask_for_links(served):
    client, _, _ = served
    response = client.get("/ask", params={"q": "一产业一团队指的是什么？", "top_k": 1})
    assert response.status_code == 200 and response.json()["answers"][0]["speaker"]["name"] == "周大旺"


def test_filters_over_http(served):
    client, _, _ = served
    body = client.post("/ask", json={"question": "专利", "speaker": "杜墨", "top_k": 3}).json()
    assert {a["speaker"]["name"] for a in body["answers"]} == {"杜墨"}
    for written in ("Du Mo", "DuMo", "du-mo", "Ｄｕ Ｍｏ"):  # as the chat shows him, however typed
        body = client.post("/ask", json={"question": "专利", "speaker": written, "top_k": 3}).json()
        assert {a["speaker"]["name"] for a in body["answers"]} == {"杜墨"}, written
    assert client.post("/ask", json={"question": "专利", "speaker": "u"}).status_code == 404  # a letter names no one
    response = client.post("/ask", json={"question": "专利", "speaker": "Nobody"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "unknown_filter"


@pytest.mark.parametrize("kwargs, status, code, words", [
    ({"json": {"question": ""}}, 422, "invalid_request", "empty"),
    ({"json": {"question": "   "}}, 422, "invalid_request", "empty"),
    ({"json": {"question": "问" * 2001}}, 422, "invalid_request", "too long"),
    ({"json": {"question": "\u200b\u200b\ufeff"}}, 422, "invalid_request", "no letters or digits"),
    ({"json": {"question": "😀😀🔥"}}, 422, "invalid_request", "no letters or digits"),
    ({"json": {"question": "\u0000\u0000"}}, 422, "invalid_request", "no letters or digits"),
    ({"json": {"question": "专利", "top_k": 0}}, 422, "invalid_request", "top_k"),
    ({"json": {"question": "专利", "extra": 1}}, 422, "invalid_request", "extra"),
    ({"json": ["not", "an", "object"]}, 422, "invalid_request", ""),
    ({"content": b'{"question": "x"', "headers": {"content-type": "application/json"}}, 400, "bad_request", "not valid JSON"),
    ({"content": b'{"question": "\xff\xfe"}', "headers": {"content-type": "application/json"}}, 400, "bad_request", "UTF-8"),
    ({"content": b"question=x", "headers": {"content-type": "application/x-www-form-urlencoded"}}, 415,
     "unsupported_media_type", "application/json"),
    ({"content": b'{"question": "x"}'}, 415, "unsupported_media_type", "(none)"),
    ({"content": b"{" + b" " * (300 * 1024) + b"}", "headers": {"content-type": "application/json"}}, 413, "too_large", "KB"),
])
def test_client_errors_have_one_shape(served, kwargs, status, code, words):
    client, _, _ = served
    response = client.post("/ask", **kwargs)
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code and words in body["error"]["message"]


def test_streamed_oversized_body_is_refused(served):
    client, _, _ = served

    def chunks():
        for _ in range(40):
            yield b"x" * 8192

    response = client.post("/ask", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 413 and response.json()["error"]["code"] == "too_large"


def test_unknown_route_and_method_use_the_error_shape(served):
    client, _, _ = served
    missing = client.get("/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "not_found"
    wrong = client.put("/ask", json={"question": "x"})
    assert wrong.status_code == 405 and wrong.json()["error"]["code"] == "method_not_allowed"
    assert client.get("/transcripts/no-such").status_code == 404


def test_security_headers_everywhere_and_no_cors(served):
    client, _, _ = served
    oversized = client.post("/ask", content=b"{" + b" " * (300 * 1024) + b"}", headers={"content-type": "application/json"})
    assert oversized.status_code == 413
    for response in (client.get("/"), client.get("/healthz"), client.post("/ask", json={"question": ""}),
                     client.get("/static/app.js"), client.get("/nope"), oversized):
        assert response.headers["content-security-policy"].startswith("default-src 'self'; frame-ancestors 'none'; object-src 'none'")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/ask", headers={"origin": "https://evil.example", "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_only_when_configured(tmp_path, served):
    _, corpus, root = served
    settings = Settings.from_env({}, index_dir=root, cors_origins="https://app.example")
    app = create_app(settings, holder=IndexHolder(root, embedder=HashEmbedder()))
    with TestClient(app) as client:
        response = client.get("/healthz", headers={"origin": "https://app.example"})
        assert response.headers["access-control-allow-origin"] == "https://app.example"


def test_pages_and_catalogue(served):
    client, _, _ = served
    assert client.get("/healthz").json()["status"] == "ok"
    speakers = client.get("/api/speakers").json()["speakers"]
    assert {s["name"] for s in speakers} == {"胡文辉", "周大旺", "魏巍", "杜墨", "韩爱朋"}
    transcripts = client.get("/api/transcripts").json()["transcripts"]
    assert transcripts[0]["id"] == "2026-03-23-scio-patent-conversion" and transcripts[0]["exchanges"] == 11
    page = client.get("/transcripts/2026-03-23-scio-patent-conversion")
    assert page.status_code == 200 and 'id="L129"' in page.text and "金融监管总局法规司负责人 杜墨" in page.text
    chat = client.get("/")
    assert "<script>" not in chat.text and 'src="/static/app.js"' in chat.text
    assert client.get("/openapi.json").json()["paths"]["/ask"]["post"]["requestBody"]["required"] is True
    assert client.get("/docs").status_code == 200


def test_transcript_text_is_escaped(tmp_path):
    corpus = tmp_path / "t"
    corpus.mkdir()
    (corpus / "xss.md").write_text("**记者：**<img src=x onerror=alert(1)> 请问？\n\n**某部部长 王明：**<script>alert(1)</script>回答。\n",
                                   encoding="utf-8")
    build_index([corpus], tmp_path / "i", embedder=HashEmbedder())
    app = create_app(Settings.from_env({}, index_dir=tmp_path / "i"), holder=IndexHolder(tmp_path / "i", embedder=HashEmbedder()))
    with TestClient(app) as client:
        page = client.get("/transcripts/xss").text
        assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
        assert "<script>alert(1)</script>" not in page


def test_hot_swap_picks_up_new_build_without_failing_requests(served):
    client, corpus, root = served
    before = client.get("/healthz").json()["build"]
    shutil.copy(SAMPLES / "mofcom-labelled.txt", corpus)
    failures: list[int] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            status = client.post("/ask", json={"question": "以旧换新补贴申请量有多少？"}).status_code
            if status != 200:
                failures.append(status)

    workers = [threading.Thread(target=hammer) for _ in range(3)]
    for w in workers:
        w.start()
    try:
        build_index([corpus], root, embedder=HashEmbedder(), force=True)
        build_index([corpus], root, embedder=HashEmbedder(), force=True)
    finally:
        stop.set()
        for w in workers:
            w.join(timeout=30)
    assert failures == []
    after = eventually(lambda: client.get("/healthz").json(), lambda h: h["transcripts"] == 2)
    assert after["build"] != before and after["transcripts"] == 2
    body = client.post("/ask", json={"question": "以旧换新补贴申请量有多少？"}).json()
    assert body["answers"][0]["speaker"]["name"] == "何亚东"


def test_damaged_new_build_keeps_old_one_serving(served, tmp_path):
    client, corpus, root = served
    assert client.get("/healthz").status_code == 200
    live = (root / "CURRENT").read_text()
    (root / "CURRENT").write_text("no-such-build\n")
    health = eventually(lambda: client.get("/healthz").json(), lambda h: h["reload_error"])
    assert "missing build" in health["reload_error"] and str(tmp_path) not in health["reload_error"]
    assert client.post("/ask", json={"question": "专利"}).status_code == 200
    (root / "CURRENT").write_text(live)  # the problem is gone: so is the error
    assert client.get("/healthz").json()["reload_error"] is None


def test_no_index_is_503_with_the_error_shape(tmp_path):
    app = create_app(Settings.from_env({}, index_dir=tmp_path / "none"), holder=IndexHolder(tmp_path / "none"))
    with TestClient(app) as client:
        response = client.post("/ask", json={"question": "专利"})
        assert response.status_code == 503 and "qa build" in response.json()["error"]["message"]


def test_head_is_get_without_the_body(served):
    """Uptime checks send HEAD: the GET's status and headers, no body (it was a 405)."""
    client, _, _ = served
    for path in ("/", "/healthz", "/ask?q=专利"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200 and head.content == b""
        assert head.headers["content-type"] == got.headers["content-type"]
    assert client.head("/nope").status_code == 404


def test_405_lists_every_method_of_the_path(served):
    client, _, _ = served
    response = client.delete("/ask")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, HEAD, POST" or response.headers["allow"] == "GET, POST"
    assert "use GET" in response.json()["error"]["message"]
