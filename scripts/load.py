#!/usr/bin/env python
"""Load, overload and cold start against a real server on 127.0.0.1: the figures in docs/BENCHMARKS.md.

For 1, 4 and 16 keep-alive connections, each for --seconds: throughput, p50/p95/p99 of POST /ask, errors, and the
server's memory before and after — once with the response cache (questions repeat, as users' do) and once with it
off (every request embeds its question). While 16 connections saturate /ask, /healthz is timed. Then 32
connections against the default concurrency bound show 503s coming back fast, and a cold start is timed from
process start to the first answered question.

    .venv/bin/python scripts/load.py [--seconds 60] [--json out.json]      # about 7 minutes at 60 s
    .venv/bin/python scripts/load.py --workers 1,2 --seconds 30            # the same server at 1 and 2 workers
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from _server import start_server  # noqa: E402

from qa.evaluation import load_questions  # noqa: E402

PYTHON = sys.executable
BRIEFING = ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"
QUESTION_FILES = [ROOT.parent / "shared" / "eval" / "dev-questions.jsonl", ROOT / "tests" / "data" / "heldout-questions.jsonl"]


# The clients all come from 127.0.0.1, one rate bucket: with the shipped limits most requests past the burst are 429.
LIMITS = [("relaxed", {"QA_RATE_LIMIT": "0", "QA_MAX_CONCURRENCY": "64"}), ("default", {})]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Server:
    def __init__(self, index: Path, **env: str) -> None:
        self.started = time.perf_counter()
        self.process, self.port = start_server(index, **env)

    def wait_until_answering(self, question: str) -> float:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status, _ = post(self.port, question)
                if status == 200:
                    return time.perf_counter() - self.started
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("server never answered")

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def post(port: int, question: str, connection: http.client.HTTPConnection | None = None) -> tuple[int, float]:
    conn = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    body = json.dumps({"question": question, "top_k": 3}, ensure_ascii=False).encode()
    started = time.perf_counter()
    conn.request("POST", "/ask", body=body, headers={"content-type": "application/json"})
    response = conn.getresponse()
    response.read()
    elapsed = (time.perf_counter() - started) * 1000
    if connection is None:
        conn.close()
    return response.status, elapsed


def run_load(port: int, questions: list[str], connections: int, seconds: float, probe_health: bool = False) -> dict:
    latencies: list[float] = []
    refused: list[float] = []
    statuses: dict[int, int] = {}
    health: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = n * 7
        mine: list[float] = []
        turned_away: list[float] = []
        counts: dict[int, int] = {}
        while time.monotonic() < stop_at:
            try:
                status, elapsed = post(port, questions[i % len(questions)], conn)
            except (OSError, http.client.HTTPException):
                status, elapsed = 0, 0.0
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            counts[status] = counts.get(status, 0) + 1
            if status == 200:
                mine.append(elapsed)
            elif status == 503:
                turned_away.append(elapsed)
            i += 1
        with lock:
            latencies.extend(mine)
            refused.extend(turned_away)
            for status, n_ in counts.items():
                statuses[status] = statuses.get(status, 0) + n_

    def prober() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            health.append((time.perf_counter() - started) * 1000)
            time.sleep(0.1)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    if probe_health:
        threads.append(threading.Thread(target=prober))
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - began
    total = sum(statuses.values())
    result = {
        "connections": connections, "seconds": round(wall, 1), "requests": total,
        "rps": round(statuses.get(200, 0) / wall, 1), "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1), "p99_ms": round(percentile(latencies, 99), 1),
        "errors": total - statuses.get(200, 0), "statuses": statuses,
    }
    if refused:
        result["503_p50_ms"] = round(percentile(refused, 50), 1)
        result["503_p95_ms"] = round(percentile(refused, 95), 1)
    if probe_health:
        result["healthz_p50_ms"] = round(percentile(health, 50), 1)
        result["healthz_p95_ms"] = round(percentile(health, 95), 1)
    return result


def compare_workers(index: Path, questions: list[str], counts: list[int], seconds: float) -> list[dict]:
    """The same load at each worker count: uncached at 4 and 16 connections, cached at 16."""
    rows = []
    for workers in counts:
        for mode, cache, connections in (("no-cache", "0", 4), ("no-cache", "0", 16), ("cache", "1024", 16)):
            server = Server(index, QA_RATE_LIMIT="0", QA_CACHE_SIZE=cache, QA_MAX_CONCURRENCY="64", QA_WORKERS=str(workers))
            server.wait_until_answering(questions[0])
            for q in questions[:5]:
                post(server.port, q)
            run = run_load(server.port, questions, connections, seconds)
            server.stop()
            rows.append({"workers": workers, "mode": mode, **run})
            print(f"workers={workers} {mode:8s} c={connections:2d}: {run['rps']:6.1f} req/s, p50 {run['p50_ms']} ms, "
                  f"p95 {run['p95_ms']} ms, p99 {run['p99_ms']} ms, errors {run['errors']}")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--workers", help="only compare worker counts, e.g. 1,2 (qa serve --workers N)")
    parser.add_argument("--limits", nargs="+", choices=[name for name, _ in LIMITS], default=[name for name, _ in LIMITS],
                        help="relaxed: no rate limit, 64 in flight; default: as shipped (20 a second per client, 8)")
    args = parser.parse_args()
    questions = [q.q for path in QUESTION_FILES if path.exists() for q in load_questions(path)]
    work = Path(tempfile.mkdtemp(prefix="load-"))
    index = work / "index"
    built = subprocess.run([PYTHON, "-m", "qa.cli", "build", str(BRIEFING), "--index", str(index), "--quiet"], cwd=ROOT)
    assert built.returncode == 0
    figures: dict[str, object] = {"questions": len(questions), "cores": os.cpu_count()}
    if args.workers:
        try:
            figures["workers"] = compare_workers(index, questions, [int(n) for n in args.workers.split(",")], args.seconds)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2) + "\n")
        return
    modes = [(f"{cache_name}/{limits}", cache, limit_env) for limits, limit_env in LIMITS if limits in args.limits
             for cache_name, cache in (("cache", "1024"), ("no-cache", "0"))]
    try:
        for mode, cache, limit_env in modes:
            server = Server(index, QA_CACHE_SIZE=cache, **limit_env)
            server.wait_until_answering(questions[0])
            for q in questions[:5]:
                post(server.port, q)
            before = rss_mb(server.process.pid)
            runs = []
            for connections in (1, 4, 16):
                run = run_load(server.port, questions, connections, args.seconds, probe_health=connections == 16)
                runs.append(run)
                print(f"{mode:16s} c={connections:2d}: {run['rps']:6.1f} req/s, p50 {run['p50_ms']} ms, p95 {run['p95_ms']} ms, "
                      f"p99 {run['p99_ms']} ms, non-200 {run['errors']} {run['statuses']}"
                      + (f", /healthz p50 {run['healthz_p50_ms']} ms p95 {run['healthz_p95_ms']} ms" if "healthz_p50_ms" in run else ""))
            after = rss_mb(server.process.pid)
            print(f"{mode:16s} server RSS {before:.0f} MB before, {after:.0f} MB after ({(after / before - 1) * 100:+.1f}%)")
            figures[mode] = {"runs": runs, "rss_before_mb": round(before, 1), "rss_after_mb": round(after, 1)}
            server.stop()

        server = Server(index, QA_RATE_LIMIT="0", QA_CACHE_SIZE="0")
        server.wait_until_answering(questions[0])
        overload = run_load(server.port, questions, 32, min(args.seconds, 20))
        server.stop()
        print(f"overload c=32 (bound 8): {overload['statuses']}, answered p95 {overload['p95_ms']} ms, "
              f"503 p50 {overload.get('503_p50_ms')} ms p95 {overload.get('503_p95_ms')} ms")
        figures["overload"] = overload

        starts = []
        for _ in range(3):
            server = Server(index)
            seconds = server.wait_until_answering("一产业一团队指的是什么？")
            starts.append((seconds, rss_mb(server.process.pid)))
            server.stop()
        cold = statistics.median(s for s, _ in starts)
        print(f"cold start to first answer: {cold:.2f} s (median of 3: {', '.join(f'{s:.2f}' for s, _ in starts)}); "
              f"serving RSS {max(r for _, r in starts):.0f} MB")
        figures["cold_start"] = {"seconds_median": round(cold, 2), "runs": [round(s, 2) for s, _ in starts],
                                 "rss_mb": round(max(r for _, r in starts), 1)}
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
