"""What readers see besides answers: the English glossary for speakers and the transcript page's rendering."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from qa.speakers.english import default_glossary, pinyin_name
from qa.speakers.roster import Speaker
from web.transcript_view import inline_segments

from .fakes import briefing_app


@pytest.mark.parametrize("speaker, name_en, display_en", [
    (Speaker("杜墨", "负责人", "金融监管总局法规司"), "Du Mo",
     "Du Mo, Head of the Department of Laws and Regulations, National Financial Regulatory Administration"),
    (Speaker("胡文辉", "副局长", "国家知识产权局"), "Hu Wenhui",
     "Hu Wenhui, Deputy Commissioner, China National Intellectual Property Administration"),
    (Speaker("周大旺", "司长", "教育部科学技术与信息化司"), "Zhou Dawang",
     "Zhou Dawang, Director-General of the Department of Science, Technology and Informatization, Ministry of Education"),
    (Speaker("王小明", "司长", "某某委员会某某司"), "Wang Xiaoming", "Wang Xiaoming, Director-General"),  # unknown body: not guessed
    (Speaker("Chair Powell", "Chair", ""), "Chair Powell", "Chair Powell, Chair"),
])
def test_glossary_gives_pinyin_and_english_roles(speaker, name_en, display_en):
    fields = default_glossary().speaker_fields(speaker)
    assert fields["name_en"] == name_en and fields["display_en"] == display_en


def test_pinyin_for_names_outside_the_glossary():
    assert pinyin_name("韩爱朋") == "Han Aipeng"


@pytest.mark.parametrize("text, segments", [
    ("**在存量专利盘活方面**，我们首次", [("在存量专利盘活方面", True), ("，我们首次", False)]),
    ("plain", [("plain", False)]),
    ("a ** lone marker", [("a ** lone marker", False)]),
    ("<b>x</b> **y**", [("<b>x</b> ", False), ("y", True)]),
])
def test_inline_bold_becomes_segments(text, segments):
    assert inline_segments(text) == segments


def test_transcript_page_has_no_markup_no_blank_lines_and_question_numbers(tmp_path):
    app, _, _ = briefing_app(tmp_path, rate_limit=0)
    with TestClient(app) as client:
        html = client.get("/transcripts/2026-03-23-scio-patent-conversion").text
        favicon = client.get("/favicon.ico")
    assert "####" not in html and "**" not in html
    assert '<h5 class="text">国务院新闻办新闻局副局长、新闻发言人 贾惠丽：</h5>' in html
    assert "<strong>在存量专利盘活方面</strong>" in html
    assert 'id="L2"' not in html and 'id="L3"' in html  # line 2 is blank: not rendered, numbers kept
    assert "第5问" in html and "Question 10" in html and '<time datetime="2026-03-23">' in html
    assert "Du Mo, Head of the Department of Laws and Regulations" in html
    assert favicon.status_code == 200 and favicon.headers["content-type"].startswith("image/svg+xml")


def test_openapi_describes_every_ask_response_field(tmp_path):
    app, _, _ = briefing_app(tmp_path, rate_limit=0)
    with TestClient(app) as client:
        schema = client.get("/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    components = schema["components"]["schemas"]
    for model in ("AskResponse", "AnswerOut", "SpeakerOut", "CitationOut", "AttributionOut", "AboutOut"):
        for name, field in components[model]["properties"].items():
            if "$ref" in field or any("$ref" in part for part in field.get("anyOf", [])):
                continue
            assert field.get("description"), f"{model}.{name} has no description"
    assert components["AskResponse"].get("examples")
    assert "person" in schema["paths"]["/ask"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    for name in ("found", "score", "exchange", "highlight_lines", "confidence"):
        owner = next(m for m in components.values() if name in m.get("properties", {}))
        assert owner["properties"][name].get("description")
