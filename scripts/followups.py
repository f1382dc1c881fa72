#!/usr/bin/env python
"""Score follow-up questions (issue #10) with the real bundled embedder on the bundled briefing.

tests/data/followups.jsonl holds two-turn conversations: the first turn's question and the answer it points at,
then a second question. For follow-ups, the second answer must be one of `expect` at top-1; for pairs whose
second question stands alone, the history must change nothing (same top answer as without it, taken as is).
Each follow-up is scored three ways, side by side: with the history as written (gold first answer), with the
first answer the service really gave (what the chat sends), and without history at all (the baseline).

    .venv/bin/python scripts/followups.py [--index DIR] [--json out.json]      # about 30 s (builds an index)
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa.index.build import build_index  # noqa: E402
from qa.index.embedding import load_embedder, spec_for  # noqa: E402
from qa.search.followup import read_question  # noqa: E402
from qa.search.retrieval import Retriever  # noqa: E402
from qa.index.store import load_index  # noqa: E402

DATA = ROOT / "tests" / "data" / "followups.jsonl"
BRIEFING = ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"


def load_cases(path: Path = DATA) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def top_exchange(retriever: Retriever, question: str, history: list | None) -> tuple[int | None, str | None]:
    reading = read_question(retriever.index, question, history)
    hits = retriever.search(reading.search_text, boost=reading.boost).hits
    return (hits[0].record.exchange if hits else None), reading.interpreted_as


def score(retriever: Retriever, cases: list[dict]) -> dict:
    rows = []
    for case in cases:
        first = case["history"][0]
        live_hits = retriever.search(first["question"]).hits
        live_history = [{"question": first["question"], "answer": {
            "transcript_id": live_hits[0].record.transcript_id, "exchange": live_hits[0].record.exchange}}]
        with_gold, interpreted = top_exchange(retriever, case["q"], case["history"])
        with_live, _ = top_exchange(retriever, case["q"], live_history)
        alone, _ = top_exchange(retriever, case["q"], None)
        rows.append({**case, "gold_history_top1": with_gold, "live_history_top1": with_live, "no_history_top1": alone,
                     "first_right": live_hits[0].record.exchange == first["answer"]["exchange"],
                     "interpreted_as": interpreted})
    follow = [r for r in rows if not r["standalone"]]
    alone = [r for r in rows if r["standalone"]]

    def rate(rows_: list[dict], key: str) -> float:
        return sum(r[key] in r["expect"] for r in rows_) / max(1, len(rows_))

    by_lang = {lang: rate([r for r in follow if r["lang"] == lang], "gold_history_top1") for lang in ("zh", "en")}
    return {
        "followups": len(follow), "standalone_pairs": len(alone),
        "top1_gold_history": rate(follow, "gold_history_top1"),
        "top1_live_history": rate(follow, "live_history_top1"),
        "top1_no_history": rate(follow, "no_history_top1"),
        "top1_gold_history_by_language": by_lang,
        "first_turn_top1": sum(r["first_right"] for r in follow) / max(1, len(follow)),
        "standalone_unchanged": sum(r["gold_history_top1"] == r["no_history_top1"] and r["interpreted_as"] is None
                                    for r in alone) / max(1, len(alone)),
        "misses": [{k: r[k] for k in ("id", "q", "expect", "gold_history_top1", "live_history_top1", "interpreted_as")}
                   for r in follow if r["gold_history_top1"] not in r["expect"]],
        "changed_standalone": [{k: r[k] for k in ("id", "q", "gold_history_top1", "no_history_top1", "interpreted_as")}
                               for r in alone if r["gold_history_top1"] != r["no_history_top1"] or r["interpreted_as"]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index", type=Path, help="an index of the bundled briefing (default: build one in a temp dir)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    parser.add_argument("--cases", type=Path, default=DATA, help="the conversations (default tests/data/followups.jsonl; "
                        "tests/data/followups-heldout.jsonl was written after the patterns were tuned)")
    args = parser.parse_args()
    root = args.index
    if root is None:
        root = Path(tempfile.mkdtemp(prefix="followups-index-"))
        build_index([BRIEFING], root, embedder=load_embedder("e5"), show_progress=False)
    index = load_index(root)
    retriever = Retriever(index, embedder=load_embedder(spec_for(index.embedder_id)))
    figures = score(retriever, load_cases(args.cases))
    print(f"follow-ups: {figures['followups']}  top-1 with history {figures['top1_gold_history']:.3f} "
          f"(zh {figures['top1_gold_history_by_language']['zh']:.3f}, en {figures['top1_gold_history_by_language']['en']:.3f}); "
          f"with the live first answer {figures['top1_live_history']:.3f}; without history {figures['top1_no_history']:.3f}")
    print(f"first turns right at top-1: {figures['first_turn_top1']:.3f}")
    if figures["standalone_pairs"]:
        print(f"standalone pairs: {figures['standalone_pairs']}  unchanged by history {figures['standalone_unchanged']:.3f}")
    for miss in figures["misses"]:
        print("  miss:", json.dumps(miss, ensure_ascii=False))
    for changed in figures["changed_standalone"]:
        print("  changed:", json.dumps(changed, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
