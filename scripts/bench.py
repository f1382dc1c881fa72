#!/usr/bin/env python
"""Measure what issue #3 names: build time, in-process `ask` latency against query embedding alone, peak RSS,
and the same at scale on a generated corpus of 100 transcripts.

    .venv/bin/python scripts/bench.py                  # the bundled briefing (about 30 s)
    .venv/bin/python scripts/bench.py --scale 100      # plus a synthetic 100-transcript corpus (about 8 min)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.index.build import build_index  # noqa: E402
from qa.index.embedding import load_embedder  # noqa: E402
from qa.evaluation import load_questions  # noqa: E402
from qa.search.followup import read_question  # noqa: E402
from qa.search.retrieval import Retriever  # noqa: E402
from qa.index.store import load_index  # noqa: E402

BRIEFING = ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"
DEV = ROOT.parent / "shared" / "eval" / "dev-questions.jsonl"
HELDOUT = ROOT / "tests" / "data" / "heldout-questions.jsonl"
FOLLOWUPS = ROOT / "tests" / "data" / "followups.jsonl"


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_build(sources: list[Path], embedder, repeats: int) -> tuple[list[float], Path]:
    times = []
    root = None
    for _ in range(repeats):
        root = Path(tempfile.mkdtemp(prefix="bench-index-"))
        started = time.perf_counter()
        build_index(sources, root, embedder=embedder, show_progress=False)
        times.append(time.perf_counter() - started)
    assert root is not None
    return times, root


def time_queries(retriever: Retriever, questions: list[str], rounds: int) -> tuple[list[float], list[float]]:
    ask, embed = [], []
    for question in questions[:3]:
        retriever.search(question)
    for _ in range(rounds):
        for question in questions:
            started = time.perf_counter()
            retriever.embedder.embed_queries([question])
            embed.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            retriever.search(question)
            ask.append((time.perf_counter() - started) * 1000)
    return ask, embed


def time_followups(retriever: Retriever, rounds: int) -> dict[str, float]:
    """`ask` of each second question of tests/data/followups.jsonl with its history (read_question, then search)
    against the same question without history, interleaved so that machine noise hits both alike."""
    cases = [json.loads(line) for line in FOLLOWUPS.read_text(encoding="utf-8").splitlines() if line.strip()]
    timings: dict[str, list[float]] = {"standalone_with": [], "standalone_without": [], "followup_with": [],
                                       "followup_without": [], "followup_resolved_typed": [], "reading_only": []}
    for _ in range(rounds):
        for case in cases:
            kind = "standalone" if case["standalone"] else "followup"
            started = time.perf_counter()
            reading = read_question(retriever.index, case["q"], case["history"])
            timings["reading_only"].append((time.perf_counter() - started) * 1000)
            retriever.search(reading.search_text, boost=reading.boost or None)
            timings[f"{kind}_with"].append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            retriever.search(case["q"])
            timings[f"{kind}_without"].append((time.perf_counter() - started) * 1000)
            if kind == "followup":  # the resolved question typed out in full, asked without history
                started = time.perf_counter()
                retriever.search(reading.search_text)
                timings["followup_resolved_typed"].append((time.perf_counter() - started) * 1000)
    return {name: percentile(values, 50) for name, values in timings.items()}


def index_size_mb(root: Path) -> float:
    live = (root / "CURRENT").read_text().strip()
    return sum(p.stat().st_size for p in (root / "builds" / live).rglob("*") if p.is_file()) / 1e6


def synthetic_corpus(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Variants of the briefing: numbers changed and sentences rotated inside every paragraph, so no two
    transcripts share a paragraph (the embedder deduplicates identical texts; a copy would flatter the build)."""
    rng = random.Random(seed)
    text = BRIEFING.read_text(encoding="utf-8")
    paths = []
    for i in range(count):
        def renumber(m: re.Match) -> str:
            return str(rng.randint(2, 9999))

        lines = []
        for line in text.split("\n"):
            if len(line) > 60 and not line.startswith(("#", "**国家")):
                sentences = re.findall(r"[^。！？]+[。！？]?", line)
                k = rng.randrange(len(sentences)) if len(sentences) > 1 else 0
                line = "".join(sentences[k:] + sentences[:k])
                line = re.sub(r"(?<![-\d])\d{2,4}(?![-\d:])", renumber, line)
            lines.append(line)
        path = folder / f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}-briefing-{i:03d}.md"
        path.write_text("\n".join(lines), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=0, help="also build a synthetic corpus of N transcripts")
    parser.add_argument("--rounds", type=int, default=5, help="passes over the question set for latency")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()

    questions = [q.q for path in (DEV, HELDOUT) if path.exists() for q in load_questions(path)]
    embedder = load_embedder("e5")
    embedder.embed_queries(["warm up"])
    figures: dict[str, object] = {}

    builds, root = time_build([BRIEFING], embedder, repeats=3)
    retriever = Retriever(load_index(root), embedder=embedder)
    ask, embed = time_queries(retriever, questions, args.rounds)
    figures["briefing"] = {
        "build_s_median": statistics.median(builds), "build_s_all": builds,
        "ask_ms_p50": percentile(ask, 50), "ask_ms_p95": percentile(ask, 95),
        "embed_ms_p50": percentile(embed, 50), "embed_ms_p95": percentile(embed, 95),
        "ask_over_embed_p50": percentile(ask, 50) / percentile(embed, 50),
        "index_mb": index_size_mb(root), "queries": len(ask),
    }
    print(f"briefing: build {statistics.median(builds):.2f} s (median of {len(builds)}: "
          + ", ".join(f"{b:.2f}" for b in builds) + ")")
    print(f"  ask p50 {percentile(ask, 50):.1f} ms, p95 {percentile(ask, 95):.1f} ms over {len(ask)} queries; "
          f"query embedding alone p50 {percentile(embed, 50):.1f} ms, p95 {percentile(embed, 95):.1f} ms; "
          f"ratio p50 {percentile(ask, 50) / percentile(embed, 50):.2f}")

    follow = time_followups(retriever, args.rounds)
    figures["followups"] = follow
    print(f"follow-ups: ask p50 with history {follow['followup_with']:.1f} ms vs the resolved question typed out "
          f"without history {follow['followup_resolved_typed']:.1f} ms "
          f"({follow['followup_with'] - follow['followup_resolved_typed']:+.2f} ms) and the bare follow-up without history "
          f"{follow['followup_without']:.1f} ms ({follow['followup_with'] - follow['followup_without']:+.2f} ms); "
          f"standalone with history {follow['standalone_with']:.1f} ms vs without {follow['standalone_without']:.1f} ms "
          f"({follow['standalone_with'] - follow['standalone_without']:+.2f} ms); reading the history alone p50 "
          f"{follow['reading_only']:.3f} ms")

    if args.scale:
        folder = Path(tempfile.mkdtemp(prefix="bench-corpus-"))
        sources = synthetic_corpus(folder, args.scale)
        megabytes = sum(p.stat().st_size for p in sources) / 1e6
        big_builds, big_root = time_build(sources, embedder, repeats=1)
        big = Retriever(load_index(big_root), embedder=embedder)
        big_ask, big_embed = time_queries(big, questions, max(1, args.rounds // 2))
        counts = big.index.manifest["counts"]
        figures["scale"] = {
            "transcripts": args.scale, "corpus_mb": megabytes, "build_s": big_builds[0],
            "index_mb": index_size_mb(big_root), "counts": counts,
            "ask_ms_p50": percentile(big_ask, 50), "ask_ms_p95": percentile(big_ask, 95),
            "embed_ms_p50": percentile(big_embed, 50),
            "p95_over_briefing_p95": percentile(big_ask, 95) / percentile(ask, 95),
        }
        print(f"scale: {args.scale} transcripts, {megabytes:.1f} MB, {counts['passage']} passages, "
              f"{counts['sentence']} sentences: build {big_builds[0]:.1f} s, index {index_size_mb(big_root):.1f} MB")
        print(f"  ask p50 {percentile(big_ask, 50):.1f} ms, p95 {percentile(big_ask, 95):.1f} ms "
              f"({percentile(big_ask, 95) / percentile(ask, 95):.2f}x the one-transcript p95)")

    figures["peak_rss_mb"] = peak_rss_mb()
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
