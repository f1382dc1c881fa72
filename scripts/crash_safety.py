#!/usr/bin/env python
"""Crash safety and hot swap, proven: the figures in docs/RELIABILITY.md.

1. A rebuild is killed with SIGKILL at every crash point (qa/faults.py: while parsing, while embedding, after each
   file written, around the rename and the pointer swap, while pruning). After each kill, a fresh process loads the
   index and answers a fixed set of questions: the answers must equal the last good index's, or the new index's if
   the swap completed — never an error, a refusal or an empty index. Then a normal build must recover.
2. A real server answers constant /ask traffic during three rebuilds: every response must be 2xx.

    .venv/bin/python scripts/crash_safety.py [--json out.json]      # about 4 minutes
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

from _server import start_server, wait_healthy  # noqa: E402

PYTHON = sys.executable
SAMPLES = ROOT / "tests" / "samples"
BRIEFING = ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"
POINTS = [
    "build:locked", "build:parsed:1", "build:parsed:2", "embedding:1", "embedding:5", "embedding:12",
    "cache:saved:0", "cache:saved:2", "write:vectors-passage", "write:faiss-passage", "write:vectors-question",
    "write:faiss-question", "write:records", "write:bm25", "write:terms", "write:glossary", "seal:hashed",
    "seal:manifest", "swap:renamed", "swap:before-pointer", "swap:after-pointer", "swap:synced", "prune:before",
    "prune:after",
]
QUESTIONS = [
    "2023年银行业发放的知识产权质押贷款有多少？",
    "一产业一团队指的是什么？",
    "How much IP insurance coverage was provided during the campaign?",
    "一季度汽车以旧换新补贴申请量有多少？",
    "How should we interpret the projections for rate cuts this year?",
    "明天天气怎么样？",
]
CHECKER = r"""
import json, sys
from pathlib import Path
from qa.index.embedding import load_embedder
from qa.search.retrieval import Retriever
from qa.index.store import load_index, current_build
root = Path(sys.argv[1])
index = load_index(root)
retriever = Retriever(index, embedder=load_embedder("e5"))
out = {"build": current_build(root).name, "answers": []}
for q in json.loads(sys.argv[2]):
    r = retriever.search(q, top_k=1)
    h = r.hits[0].record
    out["answers"].append([r.found, h.transcript_id, h.exchange, h.speaker.name, h.line_start, h.line_end])
print(json.dumps(out, ensure_ascii=False))
"""


def run_build(corpus: Path, index: Path, crash_at: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("QA_CRASH_AT", None)
    if crash_at:
        env["QA_CRASH_AT"] = crash_at
    return subprocess.run([PYTHON, "-m", "qa.cli", "build", str(corpus), "--index", str(index), "--quiet", "--force"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)


def answers_after_restart(index: Path) -> dict:
    """A new process, as a restarted server would be: load the index from disk, answer the fixed questions."""
    done = subprocess.run([PYTHON, "-c", CHECKER, str(index), json.dumps(QUESTIONS, ensure_ascii=False)], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        return {"error": (done.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(done.stdout)


def crash_trials(work: Path) -> list[dict]:
    old_corpus, new_corpus = work / "corpus-old", work / "corpus-new"
    old_corpus.mkdir()
    new_corpus.mkdir()
    shutil.copy(BRIEFING, old_corpus)
    for path in (BRIEFING, SAMPLES / "mofcom-labelled.txt", SAMPLES / "fomc-caps.txt", SAMPLES / "briefing.srt"):
        shutil.copy(path, new_corpus)
    template = work / "index-template"
    assert run_build(old_corpus, template).returncode == 0
    reference = work / "index-reference"
    shutil.copytree(template, reference)
    assert run_build(new_corpus, reference).returncode == 0
    before, after = answers_after_restart(template), answers_after_restart(reference)
    print(f"old index answers: {before['answers']}\nnew index answers: {after['answers']}")
    results = []
    for point in POINTS:
        trial = work / f"trial-{point.replace(':', '-')}"
        shutil.copytree(template, trial)
        started = time.perf_counter()
        crashed = run_build(new_corpus, trial, crash_at=point)
        killed = crashed.returncode == -signal.SIGKILL
        state = answers_after_restart(trial)
        swapped = state.get("build") not in (None, before["build"])
        expected = after["answers"] if swapped else before["answers"]
        served_right = "error" not in state and state["answers"] == expected
        recovered = run_build(new_corpus, trial)
        recovery = answers_after_restart(trial)
        recovered_right = recovered.returncode == 0 and recovery.get("answers") == after["answers"]
        ok = killed and served_right and recovered_right
        results.append({"point": point, "killed": killed, "swap_completed": swapped, "served_as_expected": served_right,
                        "recovered": recovered_right, "ok": ok, "seconds": round(time.perf_counter() - started, 1),
                        "detail": state.get("error", "")})
        print(f"{'PASS' if ok else 'FAIL'} {point:24s} killed={killed} swap_completed={swapped} "
              f"served={'new' if swapped else 'old'}:{served_right} recovered={recovered_right} {state.get('error', '')}")
        shutil.rmtree(trial, ignore_errors=True)
    return results


RELAXED = {"QA_RATE_LIMIT": "0", "QA_MAX_CONCURRENCY": "64"}


def hot_swap_under_load(work: Path, rebuilds: int = 3, clients: int = 4, *, relaxed: bool = True) -> dict:
    """With relaxed limits every request must be 2xx; with the shipped ones (20 a second per client, 8 searches in
    flight) the 4 clients, all from 127.0.0.1, are also rate limited: 429 is then expected, anything else fails."""
    corpus = work / "corpus-new"
    index = work / f"index-live-{'relaxed' if relaxed else 'default'}"
    shutil.copytree(work / "index-template", index)
    process, port = start_server(index, QA_CACHE_SIZE="0", **(RELAXED if relaxed else {}))
    wait_healthy(port)
    base = f"http://127.0.0.1:{port}"
    statuses: dict[int, int] = {}
    builds_seen: set[str] = set()
    stop = threading.Event()
    lock = threading.Lock()

    def client(n: int) -> None:
        i = n
        while not stop.is_set():
            body = json.dumps({"question": QUESTIONS[i % len(QUESTIONS)]}).encode()
            request = urllib.request.Request(base + "/ask", data=body, headers={"content-type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = 0
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
            i += 1

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    try:
        for _ in range(rebuilds):
            time.sleep(1.0)
            assert run_build(corpus, index).returncode == 0
            time.sleep(1.5)
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                builds_seen.add(json.loads(response.read())["build"])
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
        process.terminate()
        process.wait(timeout=10)
    total = sum(statuses.values())
    non_2xx = sum(n for s, n in statuses.items() if not 200 <= s < 300)
    failures = sum(n for s, n in statuses.items() if not 200 <= s < 300 and (relaxed or s != 429))
    print(f"hot swap under load ({'relaxed' if relaxed else 'default'} limits): {total} requests during {rebuilds} "
          f"rebuilds, {non_2xx} non-2xx, {failures} failures, builds served: {len(builds_seen)}, statuses {statuses}")
    return {"limits": "relaxed" if relaxed else "default", "requests": total, "non_2xx": non_2xx, "failures": failures,
            "statuses": statuses, "rebuilds": rebuilds, "builds_served": len(builds_seen), "clients": clients}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="crash-safety-"))
    started = time.perf_counter()
    try:
        trials = crash_trials(work)
        swaps = [hot_swap_under_load(work, relaxed=True), hot_swap_under_load(work, relaxed=False)]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    passed = sum(t["ok"] for t in trials)
    print(f"crash points: {passed} of {len(trials)} passed; total {time.perf_counter() - started:.0f} s")
    if args.json:
        args.json.write_text(json.dumps({"crash_points": trials, "passed": passed, "total": len(trials),
                                         "hot_swap": swaps}, indent=2, ensure_ascii=False) + "\n")
    sys.exit(0 if passed == len(trials) and all(s["failures"] == 0 for s in swaps) else 1)


if __name__ == "__main__":
    main()
