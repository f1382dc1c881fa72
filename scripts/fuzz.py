#!/usr/bin/env python
"""Hostile input, measured: the figures in docs/RELIABILITY.md.

1. schemathesis against the app's own OpenAPI schema on a real server: --cases per operation, every check
   (no 5xx, responses conform to the schema, status codes documented, …).
2. hypothesis on the transcript parser: --inputs arbitrary texts and byte strings (split over the cores); nothing
   may escape but the project's TranscriptError.
3. Hostile transcripts — huge lines, a 10 MB file, one over the size cap, deeply nested markup, control
   characters, RTL overrides — each parsed or refused with a clear error, within a time bound.
4. Issue 12's attacks against `qa serve` with the shipped limits (scripts/_abuse.py): slow bodies, 2,000-character
   questions, a pickle planted in $TMPDIR, spoofed X-Forwarded-For, an 8 MB upload and a 100-transcript hot swap
   under /healthz, a truncated live build, deep JSON and huge integers, one file under 15 names.

    .venv/bin/python scripts/fuzz.py [--cases 1000] [--inputs 100000] [--json out.json]     # about 6 minutes
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from _server import serving  # noqa: E402

PYTHON = sys.executable
BRIEFING = ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"


def run_schemathesis(cases: int, work: Path) -> dict:
    index = work / "index"
    assert subprocess.run([PYTHON, "-m", "qa.cli", "build", str(BRIEFING), "--index", str(index), "--quiet"], cwd=ROOT).returncode == 0
    with serving(index, QA_RATE_LIMIT="0", QA_MAX_CONCURRENCY="64") as base:
        report = work / "schemathesis.json"
        started = time.perf_counter()
        done = subprocess.run(
            [str(Path(PYTHON).with_name("schemathesis")), "run", f"{base}/openapi.json", "--checks", "all",
             "--max-examples", str(cases), "--generation-database", "none", "--seed", "20261124",
             "--report", "ndjson", "--report-ndjson-path", str(report)],
            cwd=ROOT, capture_output=True, text=True, timeout=3600)
        seconds = time.perf_counter() - started
    tail = "\n".join(done.stdout.strip().splitlines()[-25:])
    print(tail)
    per_operation = _cases_per_operation(report)
    for label, count in sorted(per_operation.items()):
        print(f"  {label:24s} {count} cases")
    return {"exit_code": done.returncode, "seconds": round(seconds, 1), "max_examples": cases,
            "cases_per_operation": per_operation, "summary": tail}


def _cases_per_operation(report: Path) -> dict[str, int]:
    """Cases schemathesis actually ran, per operation, over all phases (from its NDJSON report)."""
    counts: dict[str, int] = {}
    if not report.exists():
        return counts
    for line in report.read_text(encoding="utf-8").splitlines():
        event = json.loads(line).get("ScenarioFinished")
        if event:
            recorder = event["recorder"]
            counts[recorder["label"]] = counts.get(recorder["label"], 0) + len(recorder.get("cases", {}))
    return counts


def _hypothesis_worker(args: tuple[int, int]) -> dict:
    """One process's share of the parser fuzzing; counts inputs and anything but TranscriptError."""
    count, seed = args
    from hypothesis import HealthCheck, given, seed as fix_seed, settings, strategies as st

    from qa import TranscriptError, attribute_speakers, parse_transcript_bytes
    from qa.ingest.transcripts import FORMATS
    from tests.test_parse_property import _TEXTS

    seen = {"inputs": 0, "parsed": 0, "refused": 0}
    failures: list[str] = []

    def parse(data: bytes, fmt) -> None:
        seen["inputs"] += 1
        try:
            attribute_speakers(parse_transcript_bytes(data, name="fuzz.md", format=fmt))
            seen["parsed"] += 1
        except TranscriptError:
            seen["refused"] += 1
        except Exception as exc:  # the point of the exercise: record, don't stop
            failures.append(f"{type(exc).__name__}: {exc} on {data[:80]!r}")

    common = settings(max_examples=count // 2, deadline=None, database=None, suppress_health_check=list(HealthCheck))

    @fix_seed(seed)
    @common
    @given(text=_TEXTS, fmt=st.one_of(st.none(), st.sampled_from(FORMATS)))
    def texts(text, fmt):
        parse(text.encode("utf-8"), fmt)

    @fix_seed(seed + 1)
    @common
    @given(data=st.binary(max_size=2000), fmt=st.one_of(st.none(), st.sampled_from(FORMATS)))
    def blobs(data, fmt):
        parse(data, fmt)

    texts()
    blobs()
    return {**seen, "failures": failures[:10]}


def run_hypothesis(inputs: int) -> dict:
    workers = max(1, os.cpu_count() or 1)
    started = time.perf_counter()
    with ProcessPoolExecutor(workers) as pool:
        parts = list(pool.map(_hypothesis_worker, [(inputs // workers, 1000 + n) for n in range(workers)]))
    total = {k: sum(p[k] for p in parts) for k in ("inputs", "parsed", "refused")}
    failures = [f for p in parts for f in p["failures"]]
    seconds = time.perf_counter() - started
    print(f"parser fuzzing: {total['inputs']} inputs in {seconds:.0f} s: {total['parsed']} parsed, {total['refused']} "
          f"refused with TranscriptError, {len(failures)} other exceptions")
    return {**total, "other_exceptions": failures, "seconds": round(seconds, 1)}


def hostile_cases(work: Path) -> list[tuple[str, bytes]]:
    briefing = BRIEFING.read_bytes()
    ten_mb = briefing * (10 * 1024 * 1024 // len(briefing))
    return [
        ("one 5 MB line", "主持人：".encode() + "专利".encode() * (5 * 1024 * 1024 // 6)),
        ("10 MB briefing (repeated)", ten_mb),
        ("25 MB file, over the 20 MB cap", b"a" * (25 * 1024 * 1024)),
        ("deeply nested bold markers", b"**" * 200_000 + b"\n\n" + briefing),
        ("deep heading and bracket nesting", (b"#" * 6 + b" " + b"[" * 50_000 + b"]" * 50_000 + b"\n") * 20),
        ("50,000 empty speaker labels", b"\xe8\xae\xb0\xe8\x80\x85\xef\xbc\x9a\n" * 50_000),
        ("control characters throughout", bytes(range(1, 32)) * 3000),
        ("control characters sprinkled in a briefing", briefing.replace("。".encode(), "\x07。\x1b".encode())),
        ("RTL overrides in speakers and text", "\u202e记者：请问\u202e？\n\n\u202e某部部长 王明：\u2066回答\u2069。\n".encode() * 1000),
        ("a million newlines", b"\n" * 1_000_000 + "记者：请问？\n部长 王明：好。\n".encode()),
        ("VTT with 100,000 cues", b"WEBVTT\n\n" + b"".join(
            f"{i}\n00:00:{i % 60:02d}.000 --> 00:00:{i % 60:02d}.500\n<v Speaker {i % 5}>cue {i}\n\n".encode()
            for i in range(100_000))),
        ("UTF-16 with a lone surrogate", b"\xff\xfe" + "记者：".encode("utf-16-le") + b"\x00\xd8" + b"a\x00"),
    ]


def run_hostile(work: Path, limit_s: float = 120.0) -> list[dict]:
    from qa import TranscriptError, attribute_speakers
    from qa.ingest.transcripts import load_transcript

    results = []
    for name, data in hostile_cases(work):
        path = work / "hostile.md"
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            briefing = attribute_speakers(load_transcript(path))
            outcome = f"parsed: {len(briefing.exchanges)} exchanges"
            ok = True
        except TranscriptError as exc:
            outcome = f"refused: {exc.message[:110]}"
            ok = True
        except Exception as exc:
            outcome = f"CRASH {type(exc).__name__}: {exc}"[:160]
            ok = False
        seconds = time.perf_counter() - started
        ok = ok and seconds <= limit_s
        results.append({"case": name, "bytes": len(data), "outcome": outcome, "seconds": round(seconds, 2), "ok": ok})
        print(f"{'PASS' if ok else 'FAIL'} {name:45s} {len(data) / 1e6:7.2f} MB {seconds:6.2f} s  {outcome}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1000, help="schemathesis cases per API operation")
    parser.add_argument("--inputs", type=int, default=100_000, help="parser inputs for hypothesis")
    parser.add_argument("--skip-api", action="store_true")
    parser.add_argument("--only-api", action="store_true")
    parser.add_argument("--only-abuse", action="store_true", help="only the issue 12 attacks")
    parser.add_argument("--scale", type=int, default=100, help="transcripts in the hot-swap index (0: skip it)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    figures: dict[str, object] = {}
    try:
        if not args.only_api and not args.only_abuse:
            figures["hostile"] = run_hostile(work)
            figures["parser"] = run_hypothesis(args.inputs)
        if not args.skip_api and not args.only_abuse:
            figures["api"] = run_schemathesis(args.cases, work)
        if not args.only_api:
            from _abuse import run_abuse

            index = work / "index"
            if not index.exists():
                assert subprocess.run([PYTHON, "-m", "qa.cli", "build", str(BRIEFING), "--index", str(index), "--quiet"],
                                      cwd=ROOT).returncode == 0
            figures["abuse"] = run_abuse(work, index, scale=args.scale)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    failed = (not all(c["ok"] for c in figures.get("hostile", []))
              or figures.get("parser", {}).get("other_exceptions")
              or ("api" in figures and figures["api"]["exit_code"] != 0))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
