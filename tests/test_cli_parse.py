"""`qa parse`: the readable table and the JSON contract of DESIGN.md."""

from __future__ import annotations

import json

from qa.cli import main


def test_parse_json_matches_design_contract(briefing_path, capsys):
    assert main(["parse", str(briefing_path), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["transcript"]["id"] == "2026-03-23-scio-patent-conversion"
    assert body["transcript"]["date"] == "2026-03-23"
    assert body["transcript"]["title"].startswith("国新办举行新闻发布会")
    assert {"name": "胡文辉", "title": "副局长", "organization": "国家知识产权局", "role": "official"} in body["speakers"]
    opening = body["exchanges"][0]
    assert opening["index"] == 0 and opening["question"] is None and opening["questioner"] is None
    first = opening["answers"][0]
    assert first["speaker"] == {"name": "胡文辉", "title": "副局长", "organization": "国家知识产权局"}
    assert (first["line_start"], first["line_end"], first["evidence"]) == (25, 49, "explicit label")
    assert set(first) >= {"speaker", "text", "line_start", "line_end", "evidence"}
    fifth = body["exchanges"][5]
    assert fifth["questioner"]["name"] == "记者"
    assert fifth["answers"][0]["speaker"]["name"] == "杜墨"


def test_parse_table_lists_every_exchange(briefing_path, capsys):
    assert main(["parse", str(briefing_path)]) == 0
    out = capsys.readouterr().out
    for name in ("胡文辉", "周大旺", "魏巍", "杜墨", "韩爱朋"):
        assert name in out
    assert "(opening statement)" in out and "hand-off" in out and "129-149" in out


def test_parse_rejects_unknown_format(briefing_path, capsys):
    try:
        main(["parse", str(briefing_path), "--format", "rtf"])
    except SystemExit as exc:
        assert exc.code == 2
    assert "invalid choice" in capsys.readouterr().err
