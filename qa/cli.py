"""The `qa` command: parse, build, ask, serve, eval. User mistakes end in one line on stderr and exit code 2."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from typing import Sequence

from .attribution import Briefing, attribute_speakers
from .errors import QAError
from .serialize import briefing_to_dict
from .transcripts import FORMATS, load_transcript

EXIT_USER_ERROR = 2


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except QAError as exc:
        print(f"qa: error: {exc.message}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        print("qa: interrupted", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Answers from press-briefing transcripts, cited to the line.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = commands.add_parser("parse", help="show a transcript's exchanges, speakers and evidence")
    parse.add_argument("file", help="transcript file (.md, .txt, .vtt, .srt)")
    parse.add_argument("--json", action="store_true", help="print the parse JSON of DESIGN.md")
    parse.add_argument("--format", choices=FORMATS, help="force the format instead of detecting it")
    parse.set_defaults(run=_run_parse)
    return parser


def _run_parse(args: argparse.Namespace) -> int:
    briefing = attribute_speakers(load_transcript(args.file, format=args.format))
    if args.json:
        json.dump(briefing_to_dict(briefing), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_briefing_table(briefing))
    return 0


def format_briefing_table(briefing: Briefing) -> str:
    t = briefing.transcript
    out = [f"{t.title}  ({t.date or 'no date'}, {t.format}, {t.encoding})", ""]
    out.append("Speakers:")
    for s in briefing.speakers:
        out.append(f"  {s.role:<9} {s.display}")
    out.append("")
    out.append(f"{'#':>3}  {'lines':<9}  {_clip('speaker', 34)}  {'conf':>4}  evidence / question")
    for e in briefing.exchanges:
        question = e.question.text.replace("\n", " ") if e.question else "(opening statement)"
        out.append(f"{e.index:>3}  {'':<9}  {'Q: ' + _clip(question, 60)}")
        for a in e.answers:
            lines = f"{a.line_start}-{a.line_end}"
            role = f"{a.speaker.organization}{a.speaker.title}" + (" (hand-off)" if a.kind == "handoff" else "")
            who = _clip(f"{a.speaker.name} {role}", 34)
            out.append(f"{'':>3}  {lines:<9}  {who}  {a.confidence:>4.2f}  {_clip(a.evidence, 70)}")
    if briefing.remarks:
        out.append("")
        out.append("Host remarks:")
        for r in briefing.remarks:
            out.append(f"  {r.line_start}-{r.line_end}  {r.speaker.name}: {_clip(r.text.replace(chr(10), ' '), 60)}")
    return "\n".join(line.rstrip() for line in out) + "\n"


def _clip(text: str, width: int) -> str:
    """Cut to a display width (CJK characters take two columns) and pad, so the table's columns line up."""
    out, used = [], 0
    for ch in text:
        w = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        if used + w > width - 1 and used + w + _width(text[len(out) + 1:]) > width:
            out.append("…")
            used += 1
            break
        out.append(ch)
        used += w
    return "".join(out) + " " * max(0, width - used)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


if __name__ == "__main__":
    raise SystemExit(main())
