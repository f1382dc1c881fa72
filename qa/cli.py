"""The `qa` command: parse, build, ask, serve, eval. User mistakes end in one line on stderr and exit code 2."""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path
from typing import Sequence

from qa.speakers.attribution import Briefing, attribute_speakers
from qa.errors import QAError
from qa.serialize import briefing_to_dict
from qa.settings import Settings
from qa.ingest.transcripts import FORMATS, load_transcript

EXIT_USER_ERROR = 2
LOW_CONFIDENCE = 0.6


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
    except BrokenPipeError:  # `qa ask … | head`: the reader stopped reading, which is no error of ours
        sys.stderr.close()
        return 141


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qa", description="Answers from press-briefing transcripts, cited to the line.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    parse = commands.add_parser("parse", help="show a transcript's exchanges, speakers and evidence")
    parse.add_argument("file", help="transcript file (.md, .txt, .vtt, .srt, .html, .pdf, .docx, .json)")
    parse.add_argument("--json", action="store_true", help="print the parse JSON of DESIGN.md")
    parse.add_argument("--format", choices=FORMATS, help="force the format instead of detecting it")
    parse.set_defaults(run=_run_parse)

    build = commands.add_parser("build", help="build or update the index from transcript files or folders")
    build.add_argument("paths", nargs="*", help="transcript files or folders (default: the transcripts folder)")
    build.add_argument("--index", help="index directory (default: index/, or QA_INDEX_DIR)")
    build.add_argument("--embedder", help="'e5' (bundled, default) or 'st:NAME_OR_PATH'")
    build.add_argument("--quiet", action="store_true", help="no progress bar")
    build.add_argument("--force", action="store_true", help="build even when nothing changed")
    build.set_defaults(run=_run_build)

    ask = commands.add_parser("ask", help="answer a question with the speaker's own words and a citation")
    ask.add_argument("question")
    ask.add_argument("--index", help="index directory (default: index/, or QA_INDEX_DIR)")
    ask.add_argument("--top-k", type=int, help="how many answers (default 3)")
    ask.add_argument("--speaker", help="only answers by this speaker")
    ask.add_argument("--transcript", help="only answers from this transcript id")
    ask.add_argument("--embedder", help="refuse unless the index was built with this embedder")
    ask.add_argument("--json", action="store_true", help="print exactly the /ask response body")
    ask.add_argument("--history", help="earlier turns for a follow-up: a JSON list, or a file holding one")
    ask.set_defaults(run=_run_ask)

    serve = commands.add_parser("serve", help="serve the web chat and the /ask API")
    serve.add_argument("--index", help="index directory (default: index/, or QA_INDEX_DIR)")
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default 8000)")
    serve.add_argument("--workers", type=int, help="worker processes (default 1, or QA_WORKERS)")
    serve.set_defaults(run=_run_serve)

    evaluate = commands.add_parser("eval", help="top-1 / top-3 / MRR on a question file, with each miss")
    evaluate.add_argument("questions", help="JSONL, a question per line: {\"q\", \"speaker\", \"key\"} (who answers, "
                          "a phrase the answer holds) or {\"q\", \"transcript\", \"spans\": [[line_a, line_b], …]}")
    evaluate.add_argument("--index", help="index directory (default: index/, or QA_INDEX_DIR)")
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")
    evaluate.set_defaults(run=_run_eval)
    return parser


def _settings(args: argparse.Namespace) -> Settings:
    return Settings.from_env(
        index_dir=Path(args.index) if getattr(args, "index", None) else None,
        embedder=getattr(args, "embedder", None),
        top_k=getattr(args, "top_k", None),
    )


def _run_build(args: argparse.Namespace) -> int:
    from qa.index.build import build_index
    from qa.index.embedding import load_embedder

    settings = _settings(args)
    paths = [Path(p) for p in args.paths] or [settings.transcripts_dir]
    report = build_index(paths, settings.index_dir, embedder=load_embedder(settings.embedder),
                         show_progress=False if args.quiet else None, force=args.force)
    for note in report.notes():
        print(f"qa: {note}", file=sys.stderr)
    if report.up_to_date:
        print(f"index {report.build} is up to date: {report.transcripts} transcripts unchanged")
        return 0
    print(f"built {report.build} in {report.seconds:.1f}s: {report.transcripts} transcripts "
          f"({len(report.embedded)} embedded, {len(report.reused)} unchanged, {len(report.removed)} removed), "
          f"{report.answers} answers, " + ", ".join(f"{n} {k}s" for k, n in report.units.items()))
    return 0


def _open_retriever(args: argparse.Namespace):
    from qa.index.embedding import load_embedder, spec_for
    from qa.search.retrieval import Retriever
    from qa.index.store import load_index

    settings = _settings(args)
    index = load_index(settings.index_dir)
    spec = getattr(args, "embedder", None) or spec_for(index.embedder_id)
    return Retriever(index, embedder=load_embedder(spec), top_k=settings.top_k)


def _run_ask(args: argparse.Namespace) -> int:
    from qa.search.followup import load_history, read_question, with_reading
    from qa.search.respond import MAX_TOP_K, check_question, respond

    check_question(args.question)  # before the index loads: a blank question costs nothing
    if args.top_k is not None and not 1 <= args.top_k <= MAX_TOP_K:
        raise QAError(f"--top-k {args.top_k} is out of range: use a whole number from 1 to {MAX_TOP_K} (as /ask does)")
    retriever = _open_retriever(args)
    reading = read_question(retriever.index, args.question, load_history(args.history))
    body = with_reading(respond(retriever, reading.search_text, top_k=args.top_k, speaker=args.speaker,
                                transcript=args.transcript, boost=reading.boost or None), reading)
    if args.json:
        json.dump(body, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if body["interpreted_as"]:
        print(f"(read as: {body['interpreted_as']})")
    for note in body["notes"]:
        print(f"(note: {note})")
    if not body["found"]:
        print("Not found in the indexed transcripts. Closest exchanges:")
    for rank, answer in enumerate(body["answers"], 1):
        c = answer["citation"]
        print(f"{rank}. {answer['speaker']['display']}  (score {answer['score']:.2f})")
        print(f"   {c['transcript_title']} · exchange {c['exchange']} · lines {c['line_start']}-{c['line_end']}")
        if answer["question_asked"]:
            print(f"   Q: {_clip(answer['question_asked'].replace(chr(10), ' '), 100).rstrip()}")
        print(f"   » {answer['highlight']}")
        print()
    return 0


def _run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from web.app import create_app
    from web.server import uvicorn_config
    from qa.index.store import load_index

    settings = Settings.from_env(index_dir=Path(args.index) if args.index else None, host=args.host, port=args.port,
                                 workers=args.workers)
    load_index(settings.index_dir)  # refuse a missing or damaged index before binding the port
    print(f"serving {settings.index_dir} on http://{settings.host}:{settings.port}"
          + (f" with {settings.workers} workers" if settings.workers > 1 else ""), file=sys.stderr)
    if settings.workers == 1:
        uvicorn.Server(uvicorn_config(create_app(settings), settings)).run()
        return 0
    from web.server import HeaderTimeoutProtocol

    from qa.workers import prepare_workers, remove_metrics_folder

    metrics_folder = prepare_workers(settings)
    trusted = settings.trusted_proxy_list
    try:
        # Worker processes are spawned: the protocol class must be importable, so it keeps its default header
        # deadline (10 s) whatever QA_HEADER_TIMEOUT says.
        uvicorn.run("web.app:create_app_from_env", factory=True, workers=settings.workers, host=settings.host,
                    port=settings.port, log_level="warning", proxy_headers=bool(trusted),
                    forwarded_allow_ips=trusted or None, http=HeaderTimeoutProtocol)
    finally:
        remove_metrics_folder(metrics_folder)
    return 0


def _run_eval(args: argparse.Namespace) -> int:
    from qa.evaluation import evaluate, format_report, load_questions

    retriever = _open_retriever(args)
    report = evaluate(retriever, load_questions(Path(args.questions)))
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_report(report))
    return 0


def _run_parse(args: argparse.Namespace) -> int:
    from qa.speakers.overrides import load_corrections

    briefing = attribute_speakers(load_transcript(args.file, format=args.format), corrections=load_corrections(Path(args.file)))
    if args.json:
        json.dump(briefing_to_dict(briefing), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(format_briefing_table(briefing))
    if why := briefing.unanswered():
        print(f"qa: warning: {why}", file=sys.stderr)
    return 0


def format_briefing_table(briefing: Briefing) -> str:
    t = briefing.transcript
    out = [f"{t.title}  ({t.date or 'no date'}, {t.format}, {t.encoding})", ""]
    out.append("Speakers:")
    for s in briefing.speakers:
        out.append(f"  {s.role:<9} {s.display}")
    out.append("")
    doubtful = sorted(((a.confidence, e.index, a) for e in briefing.exchanges for a in e.answers if a.confidence < LOW_CONFIDENCE),
                      key=lambda item: item[:2])
    if doubtful:
        out.append(f"Check these first (confidence < {LOW_CONFIDENCE}; correct them in {Path(t.path).name}.speakers.toml):")
        for confidence, index, a in doubtful:
            out.append(f"  exchange {index:>3}  lines {a.line_start}-{a.line_end}  {a.speaker.name}  {confidence:.2f}  {_clip(a.evidence, 60)}")
        out.append("")
    out.append(f"{'#':>3}  {'lines':<9}  {_clip('speaker', 34)}  {'conf':>4}  evidence / question")
    for e in briefing.exchanges:
        question = e.question.text.replace("\n", " ") if e.question else "(opening statement)"
        out.append(f"{e.index:>3}  {'':<9}  {'Q: ' + _clip(question, 60)}")
        for a in e.answers:
            lines = f"{a.line_start}-{a.line_end}"
            post = "" if a.speaker.name.startswith(a.speaker.post + " ") else a.speaker.post  # "Chair Powell"
            role = post + (" (hand-off)" if a.kind == "handoff" else "")
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
