"""Importers measured: round-trip against the plain-text version of each fixture, and import speed per format.

    PYTHONPATH=$PWD .venv/bin/python scripts/import_bench.py                # round-trip shares + ms per import
    PYTHONPATH=$PWD .venv/bin/python scripts/import_bench.py --extractors   # HTML extractors side by side
    PYTHONPATH=$PWD .venv/bin/python scripts/import_bench.py --json

Round-trip: the fixture (tests/samples/imports/, made by scripts/make_import_fixtures.py) and its plain-text source
are both parsed and attributed; a *turn* is a question or an answer (speaker name + text, whitespace and markup
ignored). turns = share of the plain text's turns found, in order, in the import; speakers = share of the plain
text's (name, role) pairs found; answers = share of answers with the same speaker and text.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import statistics
import sys
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from qa.speakers.attribution import Briefing, attribute_speakers  # noqa: E402
from qa.ingest.transcripts import parse_transcript_bytes  # noqa: E402

FIXTURES = ROOT / "tests" / "samples" / "imports"


def _norm(text: str) -> str:
    return re.sub(r"[\s*]+", "", unicodedata.normalize("NFKC", text))


def turn_items(briefing: Briefing) -> list[tuple]:
    items: list[tuple] = []
    for exchange in briefing.exchanges:
        if exchange.question is not None:
            items.append(("Q", _norm(exchange.question.text)))
        for answer in exchange.answers:
            items.append(("A", answer.speaker.name, _norm(answer.text)))
    return items


def reference_briefing(fixture: str, meta: dict) -> Briefing:
    source = ROOT / meta["source"]
    return attribute_speakers(parse_transcript_bytes(source.read_bytes(), name=source.name))


def diariser_names(meta: dict) -> dict[str, str]:
    """For a diarised fixture: each generic label (as the parser names it) → the name in the plain text."""
    from qa.speakers.roster import parse_person

    style = meta.get("label_style")
    names = {}
    for name, label in (meta.get("labels") or {}).items():
        if style:
            label = style.format(int(label.rsplit("_", 1)[1]))
        names[parse_person(label).name] = parse_person(name).name
    return names


def renamed(items: list[tuple], names: dict[str, str]) -> list[tuple]:
    return [(i[0], names.get(i[1], i[1]), i[2]) if i[0] == "A" else i for i in items]


def compare(reference: Briefing, imported: Briefing, names: dict[str, str] | None = None) -> dict[str, float]:
    """Diarised imports are compared after their labels are mapped back to the names the plain text uses."""
    names = names or {}
    ref, got = turn_items(reference), renamed(turn_items(imported), names)
    matcher = difflib.SequenceMatcher(a=ref, b=got, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    ref_speakers = {(s.name, s.role) for s in reference.speakers}
    got_speakers = {(names.get(s.name, s.name), s.role) for s in imported.speakers}
    ref_answers = [i for i in ref if i[0] == "A"]
    got_answers = set(i for i in got if i[0] == "A")
    return {
        "turns": matched / max(len(ref), len(got), 1),
        "speakers": len(ref_speakers & got_speakers) / max(len(ref_speakers), 1),
        "answers": sum(1 for a in ref_answers if a in got_answers) / max(len(ref_answers), 1),
        "reference_turns": len(ref),
        "imported_turns": len(got),
    }


def time_import(data: bytes, name: str, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        attribute_speakers(parse_transcript_bytes(data, name=name))
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def build_seconds(path: Path) -> float:
    """A fresh build of this one file (parse, attribute, chunk, embed, write): what parsing is a share of."""
    import tempfile

    from qa.index.build import build_index
    from qa.index.embedding import load_embedder

    embedder = load_embedder("e5")
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        build_index([path], Path(tmp) / "index", embedder=embedder, show_progress=False)
        return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--extractors", action="store_true", help="compare HTML extractors on the HTML fixtures")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--only", default="", help="only fixtures whose name contains this")
    parser.add_argument("--builds", action="store_true",
                        help="also build an index of each fixture alone (bundled e5 embedder) and report parse / build")
    args = parser.parse_args()
    sources = json.loads((FIXTURES / ".sources.json").read_text(encoding="utf-8"))
    rows = []
    for fixture, meta in sources.items():
        if args.only not in fixture:
            continue
        data = (FIXTURES / fixture).read_bytes()
        reference = reference_briefing(fixture, meta)
        source_bytes = (ROOT / meta["source"]).read_bytes()
        if args.extractors and fixture.endswith(".html"):
            from qa.ingest.formats import documents, htmlpage

            for extractor in ("selectolax", "trafilatura"):
                started = time.perf_counter()
                text = documents.blocks_to_text(htmlpage.html_blocks(data, name=fixture, extractor=extractor), headings=False)
                seconds = time.perf_counter() - started
                from qa.ingest.transcripts import detect_format, parse_transcript_text

                try:
                    layout = detect_format(text.replace("\n# ", "\n"))
                    imported = attribute_speakers(parse_transcript_text(text, name=fixture, path=Path(fixture), format=layout))
                    scores = compare(reference, imported)
                except Exception as exc:  # a failed extraction scores zero
                    scores = {"turns": 0.0, "speakers": 0.0, "answers": 0.0, "error": str(exc)[:80]}
                rows.append({"fixture": fixture, "extractor": extractor, "ms": seconds * 1000, **scores})
            continue
        imported = attribute_speakers(parse_transcript_bytes(data, name=fixture))
        scores = compare(reference, imported, diariser_names(meta))
        ms = time_import(data, fixture, args.repeat) * 1000
        text_ms = time_import(source_bytes, Path(meta["source"]).name, args.repeat) * 1000
        row = {"fixture": fixture, "format": imported.transcript.format, "layout": imported.transcript.layout,
               "ms": ms, "plain_text_ms": text_ms, **scores}
        if args.builds:
            row["build_ms"] = build_seconds(FIXTURES / fixture) * 1000
            row["parse_share"] = row["ms"] / row["build_ms"]
        rows.append(row)
    if args.json:
        json.dump(rows, sys.stdout, indent=1)
        print()
        return 0
    for row in rows:
        head = f"{row['fixture']:30} {row.get('extractor') or row.get('format'):12}"
        extra = f" (plain text {row['plain_text_ms']:6.1f} ms)" if "plain_text_ms" in row else ""
        if "build_ms" in row:
            extra += f"  build {row['build_ms'] / 1000:6.2f} s, parse share {row['parse_share']:.3f}"
        error = f"  ERROR {row['error']}" if "error" in row else ""
        print(f"{head} turns {row['turns']:.2f} speakers {row['speakers']:.2f} answers {row['answers']:.2f}  "
              f"{row['ms']:7.1f} ms{extra}{error}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
