"""Rates on the chat's question sets, through the same path as /ask (qa/search/respond.py):
person/body questions (top-1 speaker right, never not found), near-domain negatives (found: false), and how many
questions of the ranking sets the person intent takes over (it should take none: their answers stay as ranked).

    PYTHONPATH=. python scripts/chat_sets.py --index index/ [--dev ../shared/eval/dev-questions.jsonl]
    PYTHONPATH=. python scripts/chat_sets.py --index .eval/index-fresh-formats --fresh   # the fresh-formats sets
    PYTHONPATH=. python scripts/chat_sets.py --index .eval/index-fresh-formats-2 --fresh2  # its negatives (-3 … -8 too)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from qa.search.about import about_intent
from qa.index.embedding import load_embedder, spec_for
from qa.search.respond import respond
from qa.search.retrieval import Retriever
from qa.index.store import load_index

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
CLEAR_SCORE = 0.75  # web/static/app.js


def read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index", default="index")
    parser.add_argument("--dev", action="append", default=[], help="ranking sets the person intent must leave alone")
    parser.add_argument("--fresh", action="store_true", help="the sets of the fresh-formats transcripts (an index of "
                        "tests/data/fresh-formats): person questions and questions they do not answer")
    parser.add_argument("--fresh2", action="store_true", help="the questions the fresh-formats-2 … -8 transcripts "
                        "(an index of tests/data/fresh-formats-2 or -3) do not answer")
    args = parser.parse_args()
    index = load_index(Path(args.index))
    retriever = Retriever(index, embedder=load_embedder(spec_for(index.embedder_id)), top_k=3)

    people = [] if args.fresh2 else read(DATA / ("fresh-formats-people.jsonl" if args.fresh else "person-questions.jsonl"))
    right = not_found = 0
    for item in people:
        body = respond(retriever, item["q"])
        top = body["answers"][0]["speaker"]["name"] if body["answers"] else None
        right += top == item["speaker"]
        not_found += not body["found"]
        if top != item["speaker"] or not body["found"]:
            print(f"  person miss: {item['q']} → {top} (found {body['found']}), expected {item['speaker']}")
    if people:
        print(f"person/body questions: {len(people)}  top-1 speaker {right / len(people):.3f}  not found {not_found}")

    # The first set calibrated the bars (scripts/calibrate_abstention.py); the fresh one was written after, unseen.
    for name in (f"{Path(args.index).name.removeprefix('index-')}-negatives.jsonl",) if args.fresh2 else ("fresh-formats-negatives.jsonl",) if args.fresh \
            else ("near-domain-negatives.jsonl", "near-domain-negatives-fresh.jsonl"):
        negatives = read(DATA / name)
        found = {n["q"]: respond(retriever, n["q"])["found"] for n in negatives}
        for lang in ("zh", "en", None):
            subset = [n for n in negatives if lang is None or n["lang"] == lang]
            abstained = sum(not found[n["q"]] for n in subset)
            print(f"{name} ({lang or 'all'}): {len(subset)}  found:false {abstained / len(subset):.3f}")
        for q in (q for q, f in found.items() if f):
            print(f"  answered: {q}")

    if args.fresh or args.fresh2:
        return
    # The chat's tiers (web/static/app.js): clear at 0.75 and above, "closest we found" from 0.5, else not found.
    # English questions over a Chinese briefing: how the tiers split answered questions from near-domain ones.
    items = read(DATA / "crosslingual-en-zh.jsonl")
    english = {"answerable (crosslingual-en-zh)": [i["q"] for i in items]}
    for name in ("near-domain-negatives.jsonl", "near-domain-negatives-fresh.jsonl"):
        english[f"not answered ({name})"] = [n["q"] for n in read(DATA / name) if n["lang"] == "en"]
    tops = [respond(retriever, i["q"])["answers"][0] for i in items]
    right = [t["speaker"]["name"] == i["speaker"] for t, i in zip(tops, items)]
    english["answerable, top-1 speaker right"] = [i["q"] for i, r in zip(items, right) if r]
    english["answerable, top-1 speaker wrong"] = [i["q"] for i, r in zip(items, right) if not r]
    top_score = {i["q"]: t["score"] for i, t in zip(items, tops)}
    for label, questions in english.items():
        scores = [top_score[q] if q in top_score else respond(retriever, q)["answers"][0]["score"] for q in questions]
        clear = sum(s >= CLEAR_SCORE for s in scores)
        closest = sum(0.5 <= s < CLEAR_SCORE for s in scores)
        print(f"English, {label}: {len(scores)}  clear {clear / len(scores):.2f}  closest {closest / len(scores):.2f}  "
              f"not found {(len(scores) - clear - closest) / len(scores):.2f}")

    for path in [DATA / "heldout-questions.jsonl", *map(Path, args.dev)]:
        items = read(path)
        taken = [i["q"] for i in items if about_intent(i["q"])]
        print(f"{path.name}: {len(items)} questions, taken by the person intent: {len(taken)} {taken[:5]}")


if __name__ == "__main__":
    main()
