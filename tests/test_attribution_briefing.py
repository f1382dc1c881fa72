"""The bundled briefing, read by hand: who answers each question, and where."""

from __future__ import annotations

import pytest

# (exchange, answering official, first line of the answer, last line) — worked out by reading the transcript.
EXPECTED = [
    (0, "胡文辉", 25, 49),   # opening statement, explicit label
    (1, "胡文辉", 59, 75),   # "我局联合相关部门": 国家知识产权局, its lead official
    (2, "周大旺", 79, 91),   # "教育部着力…", after a page break mid-sentence
    (3, "胡文辉", 95, 107),  # no organisation named: the lead official answers
    (4, "魏巍", 111, 125),   # "工信部打出了一套组合拳", "我部与国家知识产权局联合…"
    (5, "杜墨", 129, 149),   # "国家金融监督管理总局…", a timestamp mid-answer
    (6, "胡文辉", 157, 167),  # "国家知识产权局持续加大…"
    (7, "韩爱朋", 179, 193),  # handed off: "请我们局…韩爱朋司长来回答"
    (8, "魏巍", 201, 211),   # the question is put to 工信部
    (9, "韩爱朋", 225, 235),  # handed off: "请韩爱朋司长来回答"
    (10, "周大旺", 245, 261),  # "教育部全面梳理…"
]


def test_briefing_has_opening_statement_and_ten_questions(briefing):
    assert len(briefing.exchanges) == 11
    assert briefing.exchanges[0].question is None
    assert all(e.question is not None for e in briefing.exchanges[1:])


@pytest.mark.parametrize("index, speaker, line_start, line_end", EXPECTED)
def test_attribution_names_the_official_who_answered(briefing, index, speaker, line_start, line_end):
    exchange = briefing.exchanges[index]
    answers = exchange.main_answers
    assert [a.speaker.name for a in answers] == [speaker]
    assert (answers[0].line_start, answers[0].line_end) == (line_start, line_end)


@pytest.mark.parametrize("index, question_line", [(1, 55), (2, 77), (3, 93), (4, 109), (5, 127), (6, 153), (7, 171),
                                                   (8, 197), (9, 217), (10, 241)])
def test_questions_found_bold_or_plain(briefing, index, question_line):
    question = briefing.exchanges[index].question
    assert question.line_start == question_line
    assert question.questioner.role == "reporter"


def test_attribution_handoff_names_next_speaker(briefing):
    handoffs = [(e.index, a) for e in briefing.exchanges for a in e.answers if a.kind == "handoff"]
    assert [(i, a.line_start) for i, a in handoffs] == [(7, 175), (9, 221)]
    assert handoffs[0][1].speaker.name == "胡文辉"  # "请我们局…": a colleague from the same bureau hands over
    assert "hand-off" in briefing.exchanges[7].main_answers[0].evidence


def test_page_break_mended_inside_answer(briefing):
    answer = briefing.exchanges[3].main_answers[0].text
    assert "发明专利审查结案的准确率" in answer
    assert "针对这个特点，教育部着力" in briefing.exchanges[2].main_answers[0].text


def test_timestamps_and_captions_are_not_text(briefing):
    answer = briefing.exchanges[5].main_answers[0].text
    assert "15:46:14" not in answer and "下一步，国家金融监督管理总局" in answer
    everything = "".join(a.text for e in briefing.exchanges for a in e.answers)
    assert "图片直播" not in everything and "责任编辑" not in everything and "**" not in everything


def test_host_interjections_are_remarks_not_answers(briefing):
    remarks = {r.line_start: r for r in briefing.remarks}
    assert {51, 215, 237, 263} <= set(remarks)
    assert all(r.speaker.name == "贾惠丽" and r.speaker.role == "host" for r in remarks.values())


def test_roster_from_introduction_and_labels(briefing):
    by_name = {s.name: s for s in briefing.speakers}
    assert by_name["杜墨"].organization == "金融监管总局法规司" and by_name["杜墨"].title == "负责人"
    assert by_name["魏巍"].organization == "工业和信息化部科技司"
    assert by_name["贾惠丽"].role == "host"
    assert {s.name for s in briefing.speakers if s.role == "official"} == {"胡文辉", "周大旺", "魏巍", "杜墨", "韩爱朋"}


def test_weak_evidence_is_flagged_with_low_confidence(briefing):
    default = briefing.exchanges[3].main_answers[0]
    assert default.confidence < 0.5 and "default" in default.evidence
    assert briefing.exchanges[2].main_answers[0].confidence >= 0.9
