#!/usr/bin/env python
"""Feedback under load and under SIGKILL (issue #10), against real `qa serve` processes: the figures in
docs/RELIABILITY.md.

1. 1,000 POST /feedback over 8 keep-alive connections: every 201's id must be in the database afterwards (0 lost),
   with p50/p95/p99 latency and throughput. The per-client rate limit is off (QA_RATE_LIMIT=0): all 8 connections
   come from 127.0.0.1 and would otherwise share one bucket of 20 a second.
2. 20 rounds: a server takes votes from 8 connections and is SIGKILLed after a random 0.3-1.5 s; after each kill
   the database must hold every vote acknowledged with 201 before it, and pass `PRAGMA integrity_check`.

    .venv/bin/python scripts/feedback_load.py [--posts 1000] [--kills 20] [--json out.json]     # about 2 minutes
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from _server import start_server, wait_healthy  # noqa: E402

from qa.index.build import build_index  # noqa: E402
from qa.index.embedding import load_embedder  # noqa: E402

BRIEFING = ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"
T = "2026-03-23-scio-patent-conversion"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def post_votes(port: int, label: str, connections: int, *, total: int | None = None,
               stop: threading.Event | None = None) -> tuple[set[int], list[float], int]:
    """Votes from `connections` keep-alive clients until `total` are sent or `stop` is set: (acknowledged ids,
    latencies of the 201s in ms, requests that got no answer)."""
    acknowledged: set[int] = set()
    latencies: list[float] = []
    unanswered = [0]
    lock = threading.Lock()
    counter = iter(range(total if total is not None else 10**9))

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while stop is None or not stop.is_set():
            with lock:
                i = next(counter, None)
            if i is None:
                break
            body = json.dumps({"question": f"{label} #{i}", "answer": {"transcript_id": T, "exchange": i % 11},
                               "vote": ("up", "down", "wrong_speaker")[i % 3]}).encode()
            started = time.perf_counter()
            try:
                conn.request("POST", "/feedback", body=body, headers={"content-type": "application/json"})
                response = conn.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                with lock:
                    unanswered[0] += 1
                if stop is not None:
                    return
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            if response.status == 201:
                with lock:
                    acknowledged.add(json.loads(data)["id"])
                    latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return acknowledged, latencies, unanswered[0]


def stored_ids(database: Path) -> tuple[set[int], str]:
    with sqlite3.connect(database) as db:
        return {row[0] for row in db.execute("SELECT id FROM feedback")}, db.execute("PRAGMA integrity_check").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="feedback-load-"))
    index = work / "index"
    build_index([BRIEFING], index, embedder=load_embedder("e5"), show_progress=False)
    database = work / "feedback.sqlite3"
    env = {"QA_FEEDBACK_DB": str(database), "QA_RATE_LIMIT": "0"}
    figures: dict[str, object] = {"cores": os.cpu_count()}

    process, port = start_server(index, **env)
    wait_healthy(port)
    started = time.perf_counter()
    acknowledged, latencies, unanswered = post_votes(port, "load", args.connections, total=args.posts)
    wall = time.perf_counter() - started
    process.terminate()
    process.wait(timeout=10)
    stored, integrity = stored_ids(database)
    lost = len(acknowledged - stored)
    figures["load"] = {"posts": args.posts, "connections": args.connections, "acknowledged": len(acknowledged),
                       "unanswered": unanswered, "lost": lost, "seconds": round(wall, 2),
                       "per_second": round(len(acknowledged) / wall, 1), "p50_ms": round(percentile(latencies, 50), 1),
                       "p95_ms": round(percentile(latencies, 95), 1), "p99_ms": round(percentile(latencies, 99), 1),
                       "integrity": integrity}
    print(f"{args.posts} posts at {args.connections} connections: {len(acknowledged)} acknowledged, {lost} lost, "
          f"{unanswered} unanswered; {len(acknowledged) / wall:.0f}/s, p50 {percentile(latencies, 50):.1f} ms, "
          f"p95 {percentile(latencies, 95):.1f} ms, p99 {percentile(latencies, 99):.1f} ms; integrity {integrity}")

    rng = random.Random(10)
    rounds = []
    everything: set[int] = set(acknowledged)
    for round_ in range(args.kills):
        process, port = start_server(index, **env)
        wait_healthy(port)
        stop = threading.Event()
        result: dict = {}

        def load() -> None:
            result["ids"], result["latencies"], result["unanswered"] = post_votes(port, f"kill {round_}",
                                                                                  args.connections, stop=stop)

        loader = threading.Thread(target=load)
        loader.start()
        delay = rng.uniform(0.3, 1.5)
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        stop.set()
        loader.join(timeout=30)
        everything |= result["ids"]
        stored, integrity = stored_ids(database)
        missing = len(everything - stored)
        rounds.append({"after_s": round(delay, 2), "acknowledged": len(result["ids"]), "missing": missing,
                       "in_flight_unanswered": result["unanswered"], "integrity": integrity})
        print(f"kill {round_ + 1:2d} after {delay:.2f} s: {len(result['ids'])} acknowledged this round, "
              f"{result['unanswered']} cut off in flight; acknowledged missing from the database: {missing}; {integrity}")
    figures["kills"] = {"rounds": rounds, "acknowledged_total": len(everything),
                        "missing_total": sum(r["missing"] for r in rounds),
                        "all_integrity_ok": all(r["integrity"] == "ok" for r in rounds)}
    print(f"{args.kills} SIGKILLs: {len(everything)} acknowledged in all, "
          f"{figures['kills']['missing_total']} missing, integrity ok in every round: {figures['kills']['all_integrity_ok']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
