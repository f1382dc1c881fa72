"""`qa build`, `qa ask`, `qa eval` on the command line: output shapes and one-line errors."""

from __future__ import annotations

import json
import shutil

import pytest

from qa.cli import main

from .conftest import BRIEFING

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("cli-index")
    corpus = tmp_path_factory.mktemp("cli-corpus")
    shutil.copy(BRIEFING, corpus)
    assert main(["build", str(corpus), "--index", str(root), "--quiet"]) == 0
    return root


def test_build_reports_what_it_did(index_dir, capsys, tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    shutil.copy(BRIEFING, corpus)
    assert main(["build", str(corpus), "--index", str(tmp_path / "i"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "1 transcripts (1 embedded, 0 unchanged, 0 removed)" in out and "11 answers" in out


def test_ask_json_is_the_ask_contract(index_dir, capsys):
    assert main(["ask", "2023年银行业发放的知识产权质押贷款有多少？", "--index", str(index_dir), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert set(body) == {"question", "found", "answers", "interpreted_as", "notes"} and body["found"] is True
    first = body["answers"][0]
    assert {"speaker", "text", "highlight", "question_asked", "score", "citation"} <= set(first)
    assert {k: first["speaker"][k] for k in ("name", "title", "organization", "display")} == {
        "name": "杜墨", "title": "负责人", "organization": "金融监管总局法规司", "display": "金融监管总局法规司负责人 杜墨"}
    assert first["speaker"]["name_en"] == "Du Mo"  # the contract's optional English fields
    assert "接近2000亿元" in first["highlight"] and first["highlight"] in first["text"]
    citation = first["citation"]
    assert citation["transcript_id"] == "2026-03-23-scio-patent-conversion" and citation["date"] == "2026-03-23"
    assert (citation["exchange"], citation["line_start"], citation["line_end"]) == (5, 129, 149)
    assert citation["url"] == "/transcripts/2026-03-23-scio-patent-conversion#L129-L149"
    assert 0.0 <= first["score"] <= 1.0 and first["question_asked"].startswith("金融支持是专利转化")


def test_ask_out_of_corpus_is_not_found(index_dir, capsys):
    assert main(["ask", "Who won the World Cup?", "--index", str(index_dir), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["found"] is False


def test_ask_text_output_names_speaker_and_lines(index_dir, capsys):
    assert main(["ask", "一产业一团队指的是什么？", "--index", str(index_dir), "--top-k", "1"]) == 0
    out = capsys.readouterr().out
    assert "周大旺" in out and "lines 79-91" in out and "»" in out


def test_eval_prints_figures(index_dir, capsys, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"q": "一产业一团队指的是什么？", "speaker": "周大旺", "key": "一产业一团队"}\n', encoding="utf-8")
    assert main(["eval", str(questions), "--index", str(index_dir), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["top1"] == 1.0 and report["total"] == 1 and report["misses"] == []


@pytest.mark.parametrize("argv, text", [
    (["ask", "专利", "--index", "{missing}"], "No index in"),
    (["ask", "专利", "--index", "{index}", "--speaker", "Nobody"], "No answers by a speaker named 'Nobody'"),
    (["ask", "专利", "--index", "{index}", "--embedder", "st:/nonexistent-model"], "was built with e5:multilingual-e5-small"),
    (["build", "{missing}", "--index", "{tmp}"], "does not exist"),
    (["eval", "{missing}", "--index", "{index}"], "cannot be read"),
    (["ask", "   ", "--index", "{index}"], "Question is empty"),
    (["ask", "😀？！", "--index", "{index}"], "no letters or digits"),
    (["ask", "问" * 2001, "--index", "{index}"], "at most 2000"),
    (["ask", "专利", "--index", "{index}", "--top-k", "-1"], "--top-k -1 is out of range"),
    (["ask", "专利", "--index", "{index}", "--history", "[" * 100_000], "nests too deep"),
    (["build", "{index}", "--index", "{file}"], "is a file, not a folder"),
    (["ask", "专利", "--index", "{file}"], "is a file, not a folder"),
    (["parse", "{big}"], "over 20 MB"),
])
def test_cli_errors_are_one_line_exit_2(index_dir, tmp_path, capsys, argv, text):
    (tmp_path / "file").write_text("x")
    with open(tmp_path / "big.txt", "wb") as big:  # sparse: 21 MB that takes no disk
        big.truncate(21 * 1024 * 1024)
    paths = {"missing": str(tmp_path / "missing"), "index": str(index_dir), "tmp": str(tmp_path / "i"),
             "file": str(tmp_path / "file"), "big": str(tmp_path / "big.txt")}
    assert main([a.format(**paths) for a in argv]) == 2
    err = capsys.readouterr().err
    assert text in err and err.count("\n") == 1 and "Traceback" not in err
