"""Each supported format parses into the right exchanges and speakers, on realistic samples."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

import pytest

from qa import attribute_speakers, load_transcript, parse_transcript_bytes
from qa.ingest.transcripts import detect_format

from .conftest import SAMPLES


def _summary(path: Path, **kwargs) -> list[tuple[str | None, list[str]]]:
    briefing = attribute_speakers(load_transcript(path, **kwargs))
    return [(e.question.questioner.name if e.question else None, [a.speaker.name for a in e.main_answers])
            for e in briefing.exchanges]


@pytest.mark.parametrize("name, fmt", [
    ("mofcom-labelled.txt", "labelled"),
    ("mfa-bilingual.txt", "labelled"),
    ("fomc-caps.txt", "caps"),
    ("briefing.vtt", "vtt"),
    ("briefing.srt", "srt"),
])
def test_format_detected(name, fmt):
    assert load_transcript(SAMPLES / name).format == fmt


def test_labelled_turns_with_outlet_reporters():
    assert _summary(SAMPLES / "mofcom-labelled.txt") == [
        ("澎湃新闻记者", ["何亚东"]),
        ("路透社记者", ["何亚东"]),
    ]
    briefing = attribute_speakers(load_transcript(SAMPLES / "mofcom-labelled.txt"))
    answer = briefing.exchanges[0].main_answers[0]
    assert answer.text.endswith("纳入补贴范围。") and (answer.line_start, answer.line_end) == (6, 7)
    reporter = briefing.exchanges[0].question.questioner
    assert reporter.organization == "澎湃新闻" and reporter.role == "reporter"
    assert {r.text for r in briefing.remarks} >= {"下一个问题。"}


def test_bilingual_turns_keep_translation_with_the_original_speaker():
    briefing = attribute_speakers(load_transcript(SAMPLES / "mfa-bilingual.txt"))
    assert [e.question is None for e in briefing.exchanges] == [True, False, False]
    assert {a.speaker.name for e in briefing.exchanges for a in e.answers} == {"毛宁"}
    answer = briefing.exchanges[1].main_answers[0]
    assert "中方积极参与了本次谈判" in answer.text and "Paris Agreement" in answer.text
    assert (answer.line_start, answer.line_end) == (10, 11)
    question = briefing.exchanges[1].question
    assert question.questioner.name == "法新社记者" and question.text.endswith("held this week?")
    assert "AFP:" not in question.text


def test_caps_turns_with_moderator_calling_on_reporters():
    assert _summary(SAMPLES / "fomc-caps.txt") == [
        (None, ["Chair Powell"]),
        ("Colby Smith", ["Chair Powell"]),
        ("Steve Liesman", ["Chair Powell"]),
    ]
    briefing = attribute_speakers(load_transcript(SAMPLES / "fomc-caps.txt"))
    roles = {s.name: s.role for s in briefing.speakers}
    assert roles == {"Chair Powell": "official", "Michelle Smith": "host", "Colby Smith": "reporter",
                     "Steve Liesman": "reporter"}
    opening = briefing.exchanges[0].main_answers[0].text
    assert "remain squarely focused on achieving" in opening  # hard-wrapped lines joined with a space
    assert "PAGE 1 of 3" not in opening and "Press Conference" not in opening  # running page headers dropped
    assert briefing.transcript.date == "2025-06-18"


def test_webvtt_voice_tags_and_cue_times():
    briefing = attribute_speakers(load_transcript(SAMPLES / "briefing.vtt"))
    assert [(e.question.questioner.name, [a.speaker.name for a in e.main_answers]) for e in briefing.exchanges] == [
        ("Dana Ortiz", ["Secretary Lee"]),
        ("Sam Patel", ["Secretary Lee"]),
    ]
    answer = briefing.exchanges[0].main_answers[0]
    assert answer.text == "Thanks, Dana. The standards take effect on July 1, and utilities will have eighteen months to comply."
    assert answer.time == "00:00:09.500"
    assert (answer.line_start, answer.line_end) == (14, 19)
    assert "<i>" not in briefing.exchanges[1].main_answers[0].text


def test_srt_name_prefixes_and_continuation_cues():
    briefing = attribute_speakers(load_transcript(SAMPLES / "briefing.srt"))
    assert [(e.question.questioner.name, [a.speaker.name for a in e.main_answers]) for e in briefing.exchanges] == [
        ("新华社记者", ["刘涛"]),
        ("央视记者", ["刘涛"]),
    ]
    answer = briefing.exchanges[0].main_answers[0]
    assert answer.text == "谢谢你的提问。今年粮食产量目标是1.4万亿斤左右。我们将稳定粮食播种面积。"
    assert answer.time == "00:00:09,500"


def test_markdown_bold_labels_and_inline_labels(tmp_path):
    path = tmp_path / "inline.md"
    path.write_text(
        "# 某部新闻发布会\n\n**主持人：**请记者提问。\n\n**记者：**请问新政策何时实施？\n\n"
        "**某部部长 王明：**谢谢你的提问。新政策将于下月实施。\n\n具体细则另行公布。\n",
        encoding="utf-8",
    )
    briefing = attribute_speakers(load_transcript(path))
    assert briefing.transcript.title == "某部新闻发布会"
    answer = briefing.exchanges[0].main_answers[0]
    assert answer.speaker.name == "王明" and answer.speaker.title == "部长"
    assert answer.text.endswith("具体细则另行公布。")



def test_markdown_bold_names_on_lines_of_their_own(tmp_path):
    """'**周立新**' above the answer labels it (a name the header also says, said once as a label too: 梁雅婷);
    '**新华社记者**' a reporter; a bold subheading ('**一、总体情况**') labels nothing; '邀请到…副局长周立新' is
    the body 国家体育总局, not '到国家体育总局'."""
    path = tmp_path / "bold-lines.md"
    path.write_text(
        "# 国务院新闻办公室举行新闻发布会\n\n**主持人 新闻发言人 黎思远**\n\n"
        "今天我们邀请到国家体育总局副局长周立新先生，文化和旅游部资源开发司副司长梁雅婷女士，请他们介绍有关情况。\n\n"
        "**周立新**\n\n谢谢主持人。2025年全国滑雪场总数达到738家。\n\n**一、总体情况**\n\n冰雪经济总规模达到1.05万亿元。\n\n"
        "**新华社记者**\n\n请问冬季旅游的整体情况怎么样？\n\n**梁雅婷**\n\n谢谢您的提问。冰雪休闲旅游人数预计达到5.8亿人次。\n\n"
        "**人民日报记者**\n\n请问冰雪装备的国产化水平怎么样？\n\n**周立新**\n\n国产造雪机的市场占有率已经达到60%左右。\n",
        encoding="utf-8",
    )
    briefing = attribute_speakers(load_transcript(path))
    assert _summary(path) == [(None, ["周立新"]), ("新华社记者", ["梁雅婷"]), ("人民日报记者", ["周立新"])]
    opening = briefing.exchanges[0].main_answers[0]
    assert opening.text.startswith("谢谢主持人") and opening.text.endswith("1.05万亿元。")
    assert opening.speaker.organization == "国家体育总局" and opening.speaker.title == "副局长"
    assert briefing.exchanges[1].question.text == "请问冬季旅游的整体情况怎么样？"

def test_q_and_a_turns_beside_named_officials_and_a_moderator_named_in_the_header(tmp_path):
    """'DEPUTY GOVERNOR ANAND:' said once is a speaker (a post's head word, then a name) with the post as title;
    'A:' after a follow-up 'Q:' is the official who answered last, not a made-up Spokesperson; the header's
    'Moderator: James Corrigan, …' makes the 'JAMES CORRIGAN:' turns the host's, never answers."""
    path = tmp_path / "bank.txt"
    path.write_text(
        "Bank of Valdoria - Monetary Policy Press Conference\n\n"
        "Speakers: Governor Helen Marsh; Deputy Governor Rajiv Anand\nModerator: James Corrigan, Head of Media Relations\n\n"
        "JAMES CORRIGAN: Good morning and welcome. Governor.\n\n"
        "GOVERNOR MARSH: Thank you. The Committee voted to reduce Bank Rate to 4.25 percent.\n\n"
        "JAMES CORRIGAN: Priya Nair from Reuters.\n\n"
        "Q: Priya Nair, Reuters. Should markets expect another cut in March?\n\n"
        "GOVERNOR MARSH: I'm not going to pre-announce anything.\n\n"
        "JAMES CORRIGAN: Next, Daniel Okoro.\n\n"
        "Q: Daniel Okoro, Financial Times. For the Deputy Governor: are you worried about arrears?\n\n"
        "DEPUTY GOVERNOR ANAND: The share of mortgages in arrears rose to 1.3 percent.\n\n"
        "Q: And the countercyclical capital buffer?\n\nA: No change. It stays at 1 percent.\n\n"
        "JAMES CORRIGAN: Last question.\n\nQ: Governor, why cut today?\n\nGOVERNOR MARSH: Because inflation is falling.\n\n"
        "Q: So no emergency cuts?\n\nA: None.\n",
        encoding="utf-8",
    )
    briefing = attribute_speakers(load_transcript(path))
    assert [[a.speaker.name for a in e.main_answers] for e in briefing.exchanges] == [
        ["Governor Marsh"], ["Governor Marsh"], ["Deputy Governor Anand"], ["Deputy Governor Anand"],
        ["Governor Marsh"], ["Governor Marsh"]]
    roles = {s.name: s.role for s in briefing.speakers}
    assert roles["James Corrigan"] == "host" and "Spokesperson" not in roles
    assert next(s for s in briefing.speakers if s.name == "Deputy Governor Anand").title.startswith("Deputy Governor")


def test_forced_format_overrides_detection(tmp_path):
    path = tmp_path / "odd.txt"
    path.write_text("MODERATOR. Questions please.\nJANE DOE. What is the plan?\nTHE SECRETARY. We will act.\n")
    assert load_transcript(path, format="caps").format == "caps"


@pytest.mark.parametrize("encoding, bom", [
    ("utf-8", b""),
    ("utf-8", codecs.BOM_UTF8),
    ("utf-16-le", codecs.BOM_UTF16_LE),
    ("utf-16-be", codecs.BOM_UTF16_BE),
    ("utf-16-le", b""),
    ("gb18030", b""),
    ("gbk", b""),
])
def test_encodings_decode_without_mojibake(encoding, bom):
    text = (SAMPLES / "mofcom-labelled.txt").read_text(encoding="utf-8")
    transcript = parse_transcript_bytes(bom + text.encode(encoding), name="mofcom.txt")
    briefing = attribute_speakers(transcript)
    assert briefing.exchanges[0].main_answers[0].text.startswith("谢谢你的提问。一季度")
    assert "\ufeff" not in transcript.turns[0].text


def test_detect_format_prefers_content_over_suffix():
    assert detect_format("WEBVTT\n\n00:00.000 --> 00:01.000\nhi\n", suffix=".txt") == "vtt"
    assert detect_format("1\n00:00:01,000 --> 00:00:02,000\nhi\n", suffix=".txt") == "srt"


def test_repeated_closing_lines_are_speech_not_page_headers(tmp_path):
    closing = "以上就是相关情况的介绍，谢谢！"
    text = "".join(f"**记者：**第{i}个问题是什么？\n\n**某部部长 王明：**这是第{i}个回答。\n\n{closing}\n\n" for i in range(4))
    path = tmp_path / "closings.md"
    path.write_text(text, encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    assert len(briefing.exchanges) == 4
    assert all(e.main_answers[0].text.endswith(closing) for e in briefing.exchanges)


def test_a_hearing_chair_is_named_by_the_members_present(tmp_path):
    """'Q41 Chair:' is Dame Eleanor Pryce when the header lists "Members present: Dame Eleanor Pryce (Chair); …"."""
    path = tmp_path / "hearing.txt"
    path.write_text(
        "Transport Committee\nOral evidence: Rail fares, HC 612\n\n"
        "Members present: Dame Eleanor Pryce (Chair); Gareth Owusu; Fiona Baird.\n\n"
        "Q41 Chair: Good morning and welcome. Minister, what does the fare freeze cost?\n\n"
        "Mark Delaney: About £140 million in the first year.\n\n"
        "Q42 Gareth Owusu: Who pays for it?\n\nMark Delaney: The Department, from its existing budget.\n\n"
        "Q43 Chair: And when will the review report?\n\nMark Delaney: In the spring.\n",
        encoding="utf-8",
    )
    briefing = attribute_speakers(load_transcript(path))
    roles = {s.name: s.role for s in briefing.speakers}
    assert roles["Chair Dame Eleanor Pryce"] == "host" and "Chair" not in roles
    assert briefing.exchanges[0].question.questioner.name == "Chair Dame Eleanor Pryce"


def test_bold_subheadings_are_no_speakers(tmp_path):
    """A bold line of its own is a label only as a person the file introduces, a reporter, a host or a titled name:
    '**冰雪经济**' and '**数据来源**' (said elsewhere as words), '**二是强化专家队伍建设**' (专家 inside it),
    '**General Information**', '**Questions and Answers**', '**CHIEF EXECUTIVE SUMMARY**' stay the speaker's text;
    '**Reporter (BBC)**' asks, and a host's bare '**黎思远**' after '**主持人 黎思远**' is the host."""
    zh = tmp_path / "zh.md"
    zh.write_text(
        "# 新闻发布会\n\n国家体育总局副局长周立新出席发布会。\n\n**主持人 黎思远**\n\n今天我们邀请到国家体育总局副局长周立新先生。\n\n"
        "**周立新**\n\n谢谢主持人。冰雪经济总规模达到1.05万亿元，数据来源是统计局。\n\n**冰雪经济**\n\n冰雪经济是重要方向。\n\n"
        "**数据来源**\n\n以上数据来自统计局。\n\n**二是强化专家队伍建设**\n\n我们将组建专家委员会。\n\n**黎思远**\n\n下面请大家提问。\n\n"
        "**新华社记者**\n\n请问有哪些具体措施？\n\n**周立新**\n\n主要从三个方面发力。\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(zh))
    assert {s.name: s.role for s in briefing.speakers} == {"黎思远": "host", "周立新": "official", "新华社记者": "reporter"}
    assert briefing.exchanges[0].main_answers[0].text.endswith("我们将组建专家委员会。")
    assert "下面请大家提问" not in briefing.exchanges[0].main_answers[0].text
    en = tmp_path / "en.md"
    en.write_text(
        "# Press briefing on flood resilience\n\n**Moderator**\n\nGood morning. I'm joined by Minister Sarah Holt.\n\n"
        "**Minister Sarah Holt**\n\nThis winter we spent 40 million pounds on flood defences.\n\n**General Information**\n\n"
        "The programme covers 120 towns.\n\n**Questions and Answers**\n\nWe now take questions.\n\n**Reporter (BBC)**\n\n"
        "How many homes are protected?\n\n**Minister Sarah Holt**\n\nAbout 50,000 homes.\n\n**CHIEF EXECUTIVE SUMMARY**\n\n"
        "The chief executive will report in May.\n", encoding="utf-8")
    assert _summary(en) == [(None, ["Minister Sarah Holt"]), ("Reporter (BBC)", ["Minister Sarah Holt"])]


def test_a_host_line_names_the_host_only_as_a_header_and_a_follow_up_only_after_an_answer(tmp_path):
    """"MODERATOR: Governor Marsh, the floor is yours." calls on an official, who stays one; an "A:" after a host's
    aside goes to the interview's answerer, not to the Moderator; a chair who also speaks under her own name is
    the host under both labels."""
    called = tmp_path / "called.txt"
    called.write_text("Bank press conference\n\nMODERATOR: Governor Marsh, the floor is yours.\n\n"
                      "GOVERNOR MARSH: The Committee voted to cut.\n\nREPORTER: Will you cut again?\n\n"
                      "GOVERNOR MARSH: I will not pre-announce anything.\n\nREPORTER: And on wages?\n\n"
                      "GOVERNOR MARSH: Wage growth is too strong.\n", encoding="utf-8")
    assert _summary(called) == [(None, ["Governor Marsh"]), ("Reporter", ["Governor Marsh"]),
                                ("Reporter", ["Governor Marsh"])]
    aside = tmp_path / "aside.txt"
    aside.write_text("Interview with Lena Berg\n\nMODERATOR: Welcome.\n\nQ: Will taxes rise?\n\n"
                     "MODERATOR: Please keep to one question each.\n\nA: No. We have no plans to raise income tax.\n\n"
                     "Q: And VAT?\n\nA: VAT stays at 20 percent.\n", encoding="utf-8")
    assert [names for _, names in _summary(aside)] == [["Lena Berg"], ["Lena Berg"]]
    hearing = Path(__file__).parent / "data" / "fresh-formats-2" / "transport-committee-rail-fares.txt"
    chair = tmp_path / "chair.txt"
    chair.write_text(hearing.read_text(encoding="utf-8")
                     + "\nDame Eleanor Pryce: The Committee will now go into private session.\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(chair))
    assert {s.name: s.role for s in briefing.speakers}["Dame Eleanor Pryce"] == "host"
    assert len(briefing.exchanges) == len(attribute_speakers(load_transcript(hearing)).exchanges)


def test_a_post_ends_at_its_head_word_not_at_the_surname():
    from qa.speakers.roster import parse_person

    assert parse_person("DEPUTY GOVERNOR PRIYA ANAND").title == "Deputy Governor"
    assert parse_person("Chief Economist Lucia Ferreira").title == "Chief Economist"
    assert parse_person("Professor Jean White").title == ""


def test_an_answer_label_that_names_no_one_is_not_an_explicit_speaker(tmp_path):
    """'A:' in a file that never says who answers is the file's unnamed answerer, at half confidence (the chat says
    so), not an 'explicit label' at 1.0; once the opening names the answerer, it is theirs."""
    path = tmp_path / "qa.txt"
    path.write_text("Press questions\n\nQ: Will taxes rise?\n\nA: No.\n\nQ: And VAT?\n\nA: VAT stays at 20 percent.\n",
                    encoding="utf-8")
    answers = [e.main_answers[0] for e in attribute_speakers(load_transcript(path)).exchanges]
    assert [(a.speaker.name, a.confidence) for a in answers] == [("Spokesperson", 0.5)] * 2
    path.write_text("Interview with Lena Berg\n\nQ: Will taxes rise?\n\nA: No.\n\nQ: And VAT?\n\nA: VAT stays.\n",
                    encoding="utf-8")
    answers = [e.main_answers[0] for e in attribute_speakers(load_transcript(path)).exchanges]
    assert [(a.speaker.name, a.confidence) for a in answers] == [("Lena Berg", 1.0)] * 2


def test_a_reporter_who_says_who_they_are_is_the_questioner():
    """'Q: Thank you. Priya Nair, Reuters. Governor, …' is asked by Priya Nair of Reuters, not by 'Reporter'; a
    question that opens with a vocative ("Governor, three members…", "Prime Minister, Canada's …") names no one."""
    path = Path(__file__).parent / "data" / "fresh-formats-2" / "bov-mpc-2026-02-05.txt"
    questioners = [(e.question.questioner.name, e.question.questioner.organization)
                   for e in attribute_speakers(load_transcript(path)).exchanges if e.question]
    # "Q: And the countercyclical capital buffer?" straight after the answer to him is his follow-up.
    assert questioners[:4] == [("Priya Nair", "Reuters"), ("Daniel Okoro", "Financial Times"),
                               ("Daniel Okoro", "Financial Times"), ("Maria Lindqvist", "Bloomberg")]
    from qa.speakers.attribution import _introduced_reporter

    assert _introduced_reporter("Governor, three members voted to hold. Why?") is None
    assert _introduced_reporter("Prime Minister, Canada's exports fell. What now?") is None
    assert _introduced_reporter("Mr Speaker, Madam Deputy. A question.") is None


def test_a_spokesperson_who_opens_and_answers_is_an_official_not_the_host(tmp_path):
    """海关总署-style: the spokesperson opens, introduces a guest ('邀请了…副司长周雅琴'), answers most questions and
    hands one over. His answers are answers, his hand-over ("这个问题请周雅琴副司长来回答。") none; the guest's body is
    综合业务司, not '了综合业务司'."""
    path = tmp_path / "customs.txt"
    path.write_text(
        "海关总署例行新闻发布会\n\n海关总署新闻发言人 林晓峰：各位记者朋友，上午好！今天我们邀请了综合业务司副司长周雅琴出席发布会，"
        "回答大家关心的问题。一季度进出口总值10.86万亿元。下面，欢迎大家提问。\n\n"
        "新华社记者：请问如何看待二季度的外贸走势？\n\n林晓峰：谢谢你的提问。我们预计二季度进出口将延续平稳增长态势。\n\n"
        "央视记者：今年在压缩通关时间方面有什么新举措？\n\n林晓峰：这个问题请周雅琴副司长来回答。\n\n"
        "周雅琴：谢谢。3月份全国进口整体通关时间为28.6小时。\n\n路透社记者：稀土出口是否出现变化？\n\n"
        "林晓峰：一季度稀土出口量同比下降3.2%。\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    roles = {s.name: s.role for s in briefing.speakers}
    assert roles["林晓峰"] == "official" and roles["周雅琴"] == "official"
    assert [[a.speaker.name for a in e.main_answers] for e in briefing.exchanges] == [
        ["林晓峰"], ["林晓峰"], ["周雅琴"], ["林晓峰"]]
    assert next(s for s in briefing.speakers if s.name == "周雅琴").organization == "综合业务司"


def test_caption_speaker_changes_without_names(tmp_path):
    """'>>' starts another speaker: an unnamed one who asks is a reporter, and the unnamed answer after is the
    official the question addresses ("Director, …") — not the last named speaker going on."""
    path = tmp_path / "presser.vtt"
    cues = ["MAYOR LEE: Good afternoon. A water main broke this morning.", "DIRECTOR PATEL: Thank you, Mayor.",
            "The pipe was installed in 1962.", ">> MAYOR LEE: We'll take some questions.",
            ">> Director, was this main on the replacement list?", ">> It was scheduled for 2028.",
            ">> Mayor, where can people get water?", ">> At three distribution points."]
    path.write_text("WEBVTT\n\n" + "".join(f"00:00:{i * 5:02d}.000 --> 00:00:{i * 5 + 4:02d}.000\n{c}\n\n"
                                           for i, c in enumerate(cues)), encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    asked = [(e.question.text if e.question else None, [(a.speaker.name, a.confidence) for a in e.main_answers])
             for e in briefing.exchanges]
    assert asked[1:] == [("Director, was this main on the replacement list?", [("Director Patel", 0.7)]),
                         ("Mayor, where can people get water?", [("Mayor Lee", 0.7)])]


def test_bold_labels_with_an_outlet_or_a_post_after_a_comma(tmp_path):
    """gov.ie style: '**Journalist (Paul Geraghty, RTÉ News):**' asks, '**Minister for Health, Aoife Brennan TD:**'
    answers; neither runs on inside the turn before it."""
    path = tmp_path / "briefing.md"
    path.write_text(
        "# Winter virus briefing\n\n**Moderator:** Good morning. The Minister will open.\n\n"
        "**Minister for Health, Aoife Brennan TD:** Thank you. There are 612 patients in hospital with flu.\n\n"
        "**Moderator:** Questions now.\n\n**Journalist (Paul Geraghty, RTÉ News):** How many have taken the vaccine?\n\n"
        "**Minister Brennan:** About 1.1 million people.\n\n**Moderator:** Next.\n\n"
        "**Journalist (Ruth O'Connell, TheJournal.ie):** And deaths?\n\n**Minister Brennan:** Sadly, 38.\n",
        encoding="utf-8")
    assert _summary(path) == [(None, ["Aoife Brennan TD"]), ("Paul Geraghty", ["Aoife Brennan TD"]),
                              ("Ruth O'Connell", ["Aoife Brennan TD"])]
    speakers = {s.name: s for s in attribute_speakers(load_transcript(path)).speakers}
    assert (speakers["Paul Geraghty"].title, speakers["Paul Geraghty"].organization) == ("Journalist", "RTÉ News")
    assert speakers["Aoife Brennan TD"].title == "Minister for Health"


def test_one_official_under_several_labels_is_one_speaker():
    """"Dr Tomás Keane, Chief Medical Officer:", "Dr Keane:", "Dr. Keane:" and "CMO:" are one man, the Chief Medical
    Officer the byline names ("Chief Medical Officer Dr Tomás Keane": the Dr is his, not the post's); two Morgans
    with their given names stay two."""
    path = Path(__file__).parent / "data" / "fresh-formats-3" / "health-winter-briefing-2026-12-09.html"
    briefing = attribute_speakers(load_transcript(path))
    officials = {s.name: s.title for s in briefing.speakers if s.role == "official"}
    assert officials == {"Aoife Brennan TD": "Minister for Health", "Dr Tomás Keane": "Chief Medical Officer"}
    answers = [a for e in briefing.exchanges for a in e.main_answers]
    assert [next(a.speaker.name for a in answers if a.text.startswith(t)) for t in ("We are not recommending", "RSV peaked",
                                                                                   "Sadly, 47 deaths")] \
        == ["Dr Tomás Keane"] * 3  # "Dr Keane:", "CMO:", "Dr. Keane:"


def test_a_dotted_honorific_is_the_same_speaker():
    """'Dr. Keane:' once beside 'Dr Keane:' is one speaker (and both are Dr Tomás Keane, who opened)."""
    path = Path(__file__).parent / "data" / "fresh-formats-3" / "health-winter-briefing-2026-12-09.html"
    briefing = attribute_speakers(load_transcript(path))
    names = {s.name for s in briefing.speakers}
    assert "Dr Tomás Keane" in names and "Dr. Keane" not in names and "Dr Keane" not in names
    assert any(a.speaker.name == "Dr Tomás Keane" and a.line_start == 77 for e in briefing.exchanges for a in e.main_answers)


def test_a_governors_press_conference_as_copied_from_the_web(tmp_path):
    """"REPORTER (Ana Whitfield, KTVZ):" and "Q (Marcus Bell, OPB):" are labels, not text run on into the answer
    before; "MS. ORTEGA:" is the moderator the header names ("Moderator: Lucia Ortega, Press Secretary"), her calls
    not answers; a bare "A:" goes on with the governor; the contacts and links below "###" are nobody's words."""
    path = tmp_path / "fire.txt"
    path.write_text(
        "TRANSCRIPT: Governor Hale Updates Oregonians on the Juniper Creek Fire\n\nPosted: August 14, 2026\n"
        "Moderator: Lucia Ortega, Press Secretary to the Governor\n\n[Check against delivery.]\n\n"
        "MS. ORTEGA: Good afternoon. The Governor will give an update.\n\n"
        "GOVERNOR HALE: Thank you, Lucia. The fire has burned 41,300 acres.\n\n"
        "MS. ORTEGA: Questions now. Ana.\n\n"
        "REPORTER (Ana Whitfield, KTVZ): Governor, when can people in Camp Sherman go home?\n\n"
        "GOVERNOR HALE: Not before Tuesday.\n\nMS. ORTEGA: Marcus.\n\n"
        "Q (Marcus Bell, Oregon Public Broadcasting): What caused the fire?\n\n"
        "GOVERNOR HALE: The cause is under investigation.\n\n"
        "A: And please, don't drive up Highway 20 to look at it.\n\n"
        "MS. ORTEGA: Thank you, everyone.\n\n###\n\nMedia contact: Lucia Ortega, press.office@oregon.gov\n\n"
        "Share this page: Facebook | X | Email\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    roles = {s.name: s.role for s in briefing.speakers}
    assert roles["Ms. Ortega"] == "host" and roles["Ana Whitfield"] == roles["Marcus Bell"] == "reporter"
    assert "A" not in roles
    assert _summary(path) == [(None, ["Governor Hale"]), ("Ana Whitfield", ["Governor Hale"]),
                              ("Marcus Bell", ["Governor Hale"])]  # the bare "A:" goes on with his answer
    said = " ".join(a.text for e in briefing.exchanges for a in e.main_answers) + " ".join(r.text for r in briefing.remarks)
    assert "Share this page" not in said and "Media contact" not in said


def test_a_scio_briefing_that_lists_its_guests_with_semicolons_and_an_outlet_with_digits(tmp_path):
    """"出席今天发布会的有：商务部副部长盛立平先生；…司长何雅琴女士。" introduces three officials, not one called 何雅琴
    whose title runs over the other two; "**21世纪经济报道记者：**" is a reporter asking, not the end of the answer
    before it."""
    path = tmp_path / "scio.md"
    path.write_text(
        "# 国务院新闻办公室举行新闻发布会\n\n**新闻发言人 邢晓岚：**\n\n女士们、先生们，大家上午好！出席今天发布会的有："
        "商务部副部长盛立平先生；国家发展改革委消费司司长郑卫东先生；商务部消费促进司司长何雅琴女士。\n\n"
        "**盛立平：**\n\n前三季度，社会消费品零售总额达到36.9万亿元。\n\n**新华社记者：**\n\n以旧换新进展如何？\n\n"
        "**何雅琴：**\n\n前三季度，以旧换新带动销售额1.2万亿元。\n\n**21世纪经济报道记者：**\n\n县域商业体系怎么完善？\n\n"
        "**何雅琴：**\n\n我们将建设县级物流配送中心1200个。\n", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    officials = {s.name: (s.organization, s.title) for s in briefing.speakers if s.role == "official"}
    assert officials == {"盛立平": ("商务部", "副部长"), "郑卫东": ("国家发展改革委消费司", "司长"),
                         "何雅琴": ("商务部消费促进司", "司长")}
    assert _summary(path)[-2:] == [("新华社记者", ["何雅琴"]), ("21世纪经济报道记者", ["何雅琴"])]


def test_a_sunday_programme_interview(tmp_path):
    """A programme's transcript: its title is the programme's, not the notice asking to credit it; "[00:13:40]" on its own line is the time, not words run on into the answer before;
    the header's "INTERVIEW: SARAH MITCHELL MP, SECRETARY OF STATE …" lines are no speaker "Interview" but give her
    post; the presenter who asks every question asks them (she is no chair); "Good morning, Claire." answers nothing."""
    path = tmp_path / "sunday.txt"
    path.write_text(
        "SUNDAY WITH CLAIRE WHITFIELD\nBBC ONE\n\n"
        "PLEASE NOTE: \"BBC ONE'S SUNDAY WITH CLAIRE WHITFIELD\" MUST BE CREDITED IF ANY PART OF THIS TRANSCRIPT IS USED\n\n"
        "INTERVIEW: SARAH MITCHELL MP, SECRETARY OF STATE FOR HEALTH AND SOCIAL CARE\n"
        "INTERVIEW: DR RAVI SHARMA, CO-CHAIR, BMA RESIDENT DOCTORS COMMITTEE\n\n[00:09:58]\n\n"
        "CLAIRE WHITFIELD: Good morning. Resident doctors walk out again on Wednesday. Health Secretary, welcome.\n\n"
        "SARAH MITCHELL: Good morning, Claire.\n\n"
        "CLAIRE WHITFIELD: Can you stop the strike?\n\nSARAH MITCHELL: My door is open. I met the BMA on Thursday.\n\n"
        "[00:13:40]\n\nCLAIRE WHITFIELD: How long is the waiting list?\n\n"
        "SARAH MITCHELL: We're at 7.4 million, down from 7.6 million.\n\n"
        "CLAIRE WHITFIELD: Dr Sharma, will you call it off?\n\nDR RAVI SHARMA: Not without a credible offer on pay.\n",
        encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    assert load_transcript(path).title == "SUNDAY WITH CLAIRE WHITFIELD"  # not the crediting notice
    people = {s.name: (s.role, s.title) for s in briefing.speakers}
    assert "Interview" not in people and people["Claire Whitfield"][0] == "reporter"
    assert people["Sarah Mitchell"] == ("official", "Secretary of State for Health and Social Care")
    answers = [a for e in briefing.exchanges for a in e.main_answers]
    assert [a.text for a in answers][0] == "My door is open. I met the BMA on Thursday."
    assert next(a for a in answers if a.text.startswith("We're at")).time == "[00:13:40]"
    assert all("[00:" not in a.text for a in answers)


def test_a_ministry_press_conference_with_follow_ups_and_a_sign_off(tmp_path):
    """"追问：" is the reporter who just asked, asking again; "发布人：商务部新闻发言人 贺晓东" gives him his post; "今天的
    发布会就到这里。谢谢大家！" answers nothing."""
    path = tmp_path / "mofcom.txt"
    path.write_text(
        "商务部召开例行新闻发布会（2026年3月12日）\n\n发布人：商务部新闻发言人 贺晓东\n\n"
        "贺晓东：\n各位记者朋友，下午好！欢迎参加商务部例行新闻发布会。\n\n"
        "路透社记者：\n美国将对中国产半导体加征关税，中方将如何回应？\n\n贺晓东：\n中方将采取必要措施。\n\n"
        "追问：\n“必要措施”具体包括哪些？\n\n贺晓东：\n我们将根据事态发展作出回应。\n\n"
        "新华社记者：\n以旧换新进展如何？\n\n贺晓东：\n1-2月带动销售额3200亿元。\n\n贺晓东：\n今天的发布会就到这里。谢谢大家！\n",
        encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    he = next(s for s in briefing.speakers if s.name == "贺晓东")
    assert (he.organization, he.title) == ("商务部", "新闻发言人")
    asked = [(e.question.questioner.name, [a.text for a in e.main_answers]) for e in briefing.exchanges if e.question]
    assert asked == [("路透社记者", ["中方将采取必要措施。"]), ("路透社记者", ["我们将根据事态发展作出回应。"]),
                     ("新华社记者", ["1-2月带动销售额3200亿元。"])]


def test_a_spokespersons_call_on_the_next_reporter_is_no_answer(tmp_path):
    """"We have time for two or three for the Ambassador. Matt." and "Okay. With that, let's go to your questions.
    Matt, you want to start?" call on a reporter; "Essentially, yes." and "…on a solution, Mr. Chair." answer."""
    from qa.speakers.attribution import _hands_over

    assert _hands_over("We have time for two or three for the Ambassador. Matt.")
    assert _hands_over("Okay. With that, let's go to your questions. Matt, you want to start?")
    assert not _hands_over("Essentially, yes.")
    assert not _hands_over("We are engaged with the industry, and we are working with them on a solution, Mr. Chair.")
    assert not _hands_over("Next week. Tuesday.")


REVIEWED = Path(__file__).parent / "data" / "review-2026-12-03"


def _answers_by(path: Path) -> list[tuple[str, str]]:
    return [(a.speaker.name, a.text) for e in attribute_speakers(load_transcript(path)).exchanges for a in e.main_answers]


def test_a_reviewers_repros_of_the_new_reading_rules(tmp_path):
    """Each file is a reviewer's repro of a reading rule added on 2026-12-03 that went too far."""
    # All-caps speech is no heading: the council meeting in capitals still has its two answers.
    assert [n for n, _ in _answers_by(REVIEWED / "allcaps_caps.txt")][1:3] == ["Mr. Okafor", "Mr. Okafor"]
    # A bare "A:" after a named reporter's question is no follow-up of hers: the answers stay answers.
    said = _answers_by(REVIEWED / "bare_a_named_reporter2.txt")
    assert len(said) == 5 and all(n != "Priya Nair" and n != "Tom Beck" for n, _ in said)
    # "ENDS" after a statement, with the questions below it, cuts nothing.
    assert any(t.startswith("The total cost is 4.2 billion") for _, t in _answers_by(REVIEWED / "endmark_ends.txt"))
    # A hard-wrapped line that starts "Mr. Okafor. …" mid-sentence goes on with the witness's testimony.
    gpo = attribute_speakers(load_transcript(REVIEWED / "gpo_wrap.txt"))
    assert "Dr. Harwell" not in {s.name for s in gpo.speakers}
    # "Minister Smith" is not John Smith of the Rivers Agency.
    assert {n for n, _ in _answers_by(REVIEWED / "merge_two_smiths.txt")} == {"Minister Smith", "John Smith"}
    # A briefing's "Present:" line lists officials, not members who ask.
    present = {s.name: s.role for s in attribute_speakers(load_transcript(REVIEWED / "present_header.txt")).speakers}
    assert present["Aoife Brennan"] == present["Tomas Keane"] == "official"
    # "Q2 Review: growth came in at 2.1 percent" is the secretary's statement, not a speaker "Review".
    names = {s.name for s in attribute_speakers(load_transcript(REVIEWED / "qnumber_quarter.txt")).speakers}
    assert not {"Review", "Outlook"} & names
    # "The key question (for patients and families): …" inside an answer is no reporter's label.
    assert any("The key question (for patients and families)" in t for _, t in _answers_by(REVIEWED / "rolebrackets.txt"))
    # Two header lines, two entries: Defra is the minister's body, not "Defra Dr Martin Greaves, …".
    unwrapped = {s.name: s.organization for s in attribute_speakers(load_transcript(REVIEWED / "unwrap_header.txt")).speakers}
    assert unwrapped["Rachel Whitfield"] == "Defra"


def test_the_end_mark_check_is_linear_on_a_line_of_spaces():
    import time

    from qa.ingest.formats.paragraphs import parse_paragraphs

    lines = ["MINISTER: Good morning.", "", " " * 3000 + "end" + " " * 3000 + "x", "", "REPORTER: When?", "", "MINISTER: Soon."]
    started = time.perf_counter()
    parse_paragraphs(lines, "labelled")
    assert time.perf_counter() - started < 2.0  # 22 s with the first end-mark pattern


def test_a_web_pages_header_block_gives_the_byline(tmp_path):
    """state.gov wraps the headline and "Daniel Holloway, Principal Deputy Spokesperson" in <div class="page-header">:
    an article's header, not the site's, so "MR HOLLOWAY:" gets his post (he had none, and "the spokesperson" named
    no one)."""
    path = tmp_path / "briefing.html"
    path.write_text(
        "<html><head><title>Department Press Briefing</title></head><body><header class='site-header'>State.gov"
        "</header><main id='content'><div class='page-header'><h1>Department Press Briefing – March 12, 2026</h1>"
        "<p class='article-meta__author-bureau'>Daniel Holloway, Principal Deputy Spokesperson</p></div>"
        "<div class='entry-content'><p><strong>MR HOLLOWAY:</strong> Good afternoon. One announcement.</p>"
        "<p><strong>QUESTION:</strong> On Sudan, will the truce hold?</p>"
        "<p><strong>MR HOLLOWAY:</strong> We will judge it by what happens on the ground.</p>"
        "<p><strong>QUESTION:</strong> And the sanctions?</p><p><strong>MR HOLLOWAY:</strong> We never preview them.</p>"
        "</div></main><footer class='site-footer'>Copyright</footer></body></html>", encoding="utf-8")
    speaker = next(s for s in attribute_speakers(load_transcript(path)).speakers if s.name == "Mr Holloway")
    assert speaker.title == "Principal Deputy Spokesperson"
    assert "State.gov" not in "\n".join(load_transcript(path).lines)


def test_a_reporter_who_names_whom_they_ask_before_themselves_is_the_questioner():
    """"Ambassador, Nadia Farouk with Al Arabiya. Is any of this money new?" and "Daniel, Li Wen, Phoenix TV. …"."""
    from qa.speakers.attribution import _introduced_reporter

    assert (_introduced_reporter("Ambassador, Nadia Farouk with Al Arabiya. Is any of this money new?").name,
            _introduced_reporter("Daniel, Li Wen, Phoenix TV. Will you meet them?").name) == ("Nadia Farouk", "Li Wen")
    assert _introduced_reporter("Minister, the plan. Will it pass?") is None
    assert _introduced_reporter("On Cyclone Nadia, how many homes have been damaged?") is None  # the topic


def _read(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return attribute_speakers(load_transcript(path))


def test_a_provincial_page_with_name_and_post_labels_and_the_host_in_its_header(tmp_path):
    """"**王建国（省应急管理厅厅长）：**" is 王建国; "**发布人：**" lists who answers, it says nothing; the
    header's "**主持人：**省政府新闻办公室副主任　刘洋" names the host; a party post is the title's."""
    briefing = _read(tmp_path, "hunan.md", (
        "首页 > 新闻发布 > 发布会实录\n\n# 省政府新闻办举行新闻发布会\n\n**时间：**2027年8月15日上午10:00\n\n"
        "**发布人：**\n\n省应急管理厅党委书记、厅长　王建国\n\n省水利厅党组书记、厅长　李晓峰\n\n"
        "**主持人：**省政府新闻办公室副主任　刘洋\n\n（图为发布会现场。记者 周敏 摄）\n\n"
        "**主持人：**\n\n各位记者朋友，大家上午好！\n\n**王建国：**\n\n全省已恢复供电。\n\n"
        "**湖南日报记者：**\n\n堤防什么时候修复？\n\n**李晓峰（省水利厅厅长）：**\n\n汛前全部修复。\n\n"
        "**新华社记者：**\n\n倒塌房屋有多少？\n\n**王建国（省应急管理厅厅长）：**\n\n共有1.2万户。\n"))
    people = {s.name: (s.title, s.organization, s.role) for s in briefing.speakers}
    assert people["王建国"] == ("党委书记、厅长", "省应急管理厅", "official")
    assert people["李晓峰"][2] == "official" and people["刘洋"] == ("副主任", "省政府新闻办公室", "host")
    assert "发布人" not in people and not any("）" in n for n in people)
    assert [(a.speaker.name, a.text) for e in briefing.exchanges[1:] for a in e.main_answers] == [
        ("李晓峰", "汛前全部修复。"), ("王建国", "共有1.2万户。")]
    assert all("图为" not in r.text for r in briefing.remarks)


def test_initials_labels_named_by_the_speaker_key_and_by_the_host_calling_on_reporters(tmp_path):
    briefing = _read(tmp_path, "who.txt", (
        "Virtual press conference on the outbreak - 11 March 2027\n\nSpeaker key:\nCL Christoph Lindner\n"
        "TAG Dr Tedros Adhanom Ghebreyesus\nMK Dr Mireille Kouassi\n\n"
        "CL: Hello everyone and welcome. Dr Tedros, over to you.\n\n"
        "TAG: Thank you, Christoph. Five weeks ago the ministry notified WHO of a cluster.\n\n00:09:12\n\n"
        "CL: Thank you. The first question goes to Helen Marsh from Reuters. Helen, please unmute.\n\n"
        "HM: Thank you. What would it take to declare an emergency?\n\n"
        "TAG: The committee will advise. Mireille can add on the contacts.\n\n"
        "MK: Thank you, Helen. 1,650 contacts have been listed.\n\n"
        "CL: The next question goes to Jamal Okonkwo from Al Jazeera.\n\n"
        "JO: Is there a shortage of protective equipment?\n\n"
        "MK: Not any more. Supplies arrived on Monday.\n\n"
        "CL: Thank you all. That ends the briefing.\n"))
    people = {s.name: (s.organization, s.role) for s in briefing.speakers}
    assert people["Christoph Lindner"][1] == "host"
    assert people["Helen Marsh"] == ("Reuters", "reporter") and people["Jamal Okonkwo"] == ("Al Jazeera", "reporter")
    assert [(e.question.questioner.name, [a.speaker.name for a in e.main_answers]) for e in briefing.exchanges[1:3]] == [
        ("Helen Marsh", ["Dr Tedros Adhanom Ghebreyesus", "Dr Mireille Kouassi"]), ("Jamal Okonkwo", ["Dr Mireille Kouassi"])]
    assert briefing.exchanges[0].answers[0].text.endswith("of a cluster.")  # "00:09:12" on its own line is the time


def test_a_breadcrumb_is_no_title_and_no_ones_words(tmp_path):
    briefing = _read(tmp_path, "crumbs.md", "首页 > 新闻发布 > 发布会实录\n\n# 省政府新闻办举行新闻发布会\n\n"
                     "**主持人：**\n\n下面请提问。\n\n**新华社记者：**\n\n堤防什么时候修复？\n\n**李晓峰（省水利厅厅长）：**\n\n汛前全部修复。\n")
    assert briefing.transcript.title == "省政府新闻办举行新闻发布会"
    assert "首页" not in " ".join(t.text for t in briefing.transcript.turns)


def test_a_presiding_spokespersons_announcements_open_the_briefing_and_her_sign_off_answers_nothing(tmp_path):
    """外交部: the first paragraphs, above the first question and under no label, are the spokesperson's (the title
    says she presides); "应…外交部长王毅邀请" introduces no official; "今天的记者会就到这里" closes, it answers nothing."""
    briefing = _read(tmp_path, "mfa.txt", (
        "2026年4月16日外交部发言人许晓岚主持例行记者会\n\n2026-04-16 19:32\n\n"
        "应国务院总理李强邀请，冰岛总理约恩斯多蒂尔将于4月20日至23日对中国进行正式访问。\n\n"
        "应中共中央政治局委员、外交部长王毅邀请，肯尼亚外长瓦科利将于4月18日至19日访华。\n\n"
        "总台央视记者：请介绍此访安排和中方期待。\n\n许晓岚：这是约恩斯多蒂尔总理就任以来首次访华。\n\n"
        "法新社记者：中方是否事先知情？\n\n许晓岚：我刚才已经回答了这个问题。\n\n今天的记者会就到这里，谢谢大家。\n"))
    assert {s.name for s in briefing.speakers} == {"许晓岚", "总台央视记者", "法新社记者"}
    opening = briefing.exchanges[0]
    assert opening.question is None and [(a.speaker.name, a.line_start, a.line_end) for a in opening.answers] == [
        ("许晓岚", 5, 7)]
    last = briefing.exchanges[-1].main_answers
    assert [(a.text, a.line_end) for a in last] == [("我刚才已经回答了这个问题。", 15)]
    assert [r.text for r in briefing.remarks] == ["今天的记者会就到这里，谢谢大家。"]


def test_an_australian_press_conference_names_its_prime_minister_and_its_minister(tmp_path):
    """The header's "PRIME MINISTER" over "THE HON MARCUS ELLERY MP"; the Prime Minister's "I'm joined by the
    Minister for Housing, Claire Hargreaves."; "TRANSCRIPT" over "PRESS CONFERENCE" is no title."""
    briefing = _read(tmp_path, "pm.txt", (
        "PRIME MINISTER\nTHE HON MARCUS ELLERY MP\n\nTRANSCRIPT\nPRESS CONFERENCE\nPARLIAMENT HOUSE, CANBERRA\n"
        "TUESDAY, 10 MARCH 2026\n\nPRIME MINISTER: Good morning. I'm joined by the Minister for Housing, Claire "
        "Hargreaves. Today I'm announcing the Homes Trades Bonus.\n\nMINISTER HARGREAVES: Thanks, Prime Minister. The "
        "bonus is paid in two instalments.\n\nJOURNALIST: On Cyclone Nadia, how many homes have been damaged?\n\n"
        "PRIME MINISTER: More than 3,200 claims have been lodged.\n\nJOURNALIST: Minister, when does it start?\n\n"
        "MINISTER HARGREAVES: On 1 July.\n\nENDS\n"))
    assert briefing.transcript.title == "PRESS CONFERENCE, PARLIAMENT HOUSE, CANBERRA"
    people = {s.name: s.title for s in briefing.speakers}
    assert people["Prime Minister Marcus Ellery"] == "Prime Minister"
    assert people["Minister Hargreaves"] == "Minister for Housing"
    assert [e.question.questioner.name for e in briefing.exchanges if e.question] == ["Journalist", "Journalist"]


def test_a_spoken_list_of_names_and_posts_gives_each_their_own(tmp_path):
    """"I'm very pleased to welcome Kirsty Williams AM, Minister for Education, Steve Davies, director of the education
    directorate": Steve Davies is no Minister for Education."""
    briefing = _read(tmp_path, "senedd.txt", (
        "Children, Young People and Education Committee\n\n"
        "Lynne Neagle AM: Welcome. I'm very pleased to welcome Kirsty Williams AM, Minister for Education, Steve "
        "Davies, director of the education directorate. Can I ask about schools?\n\n"
        "Kirsty Williams AM: Schools are open to vulnerable children.\n\nLynne Neagle AM: And the exams?\n\n"
        "Steve Davies: Grades will be calculated.\n\nLynne Neagle AM: And teachers?\n\n"
        "Steve Davies: They will be supported.\n"))
    people = {s.name: s.title for s in briefing.speakers}
    assert people["Kirsty Williams AM"] == "Minister for Education" and people["Steve Davies"] == ""


def test_an_officials_label_said_again_for_each_paragraph_is_one_answer(tmp_path):
    briefing = _read(tmp_path, "council.txt", (
        "CITY OF MILLBROOK\nREGULAR MEETING OF THE CITY COUNCIL\n\n"
        "MAYOR KOWALSKI: We will now go to Item 8, the Elm Street water main.\n\n"
        "PUBLIC WORKS DIRECTOR ORTEGA: Thank you. Can we get the first slide up?\n\n"
        "PUBLIC WORKS DIRECTOR ORTEGA: The mains were installed between 1958 and 1964.\n\n"
        "PUBLIC WORKS DIRECTOR ORTEGA: The total cost is $14.6 million.\n\n"
        "COUNCILMEMBER RAMIREZ: And the businesses on Elm?\n\n"
        "PUBLIC WORKS DIRECTOR ORTEGA: We will keep one lane open.\n\n"
        "COUNCILMEMBER RAMIREZ: Will parking stay?\n\n"
        "PUBLIC WORKS DIRECTOR ORTEGA: Yes, on one side.\n"))
    ortega = [(a.line_start, a.line_end) for e in briefing.exchanges for a in e.main_answers
              if a.speaker.name == "Public Works Director Ortega"]
    assert ortega == [(6, 10), (14, 14), (18, 18)]


def test_a_council_meetings_attendance_lines_and_roll_call_answer_nothing(tmp_path):
    briefing = _read(tmp_path, "roll.txt", (
        "CITY OF MILLBROOK\nREGULAR MEETING OF THE CITY COUNCIL\n\n"
        "COUNCIL PRESENT: Mayor Diane Kowalski; Councilmembers Alicia Ramirez and Sandra Obi.\n"
        "STAFF PRESENT: Greg Patterson, City Manager; Janet Moore, City Clerk.\n\n"
        "MAYOR KOWALSKI: I call this meeting to order. Madam Clerk, please call the roll.\n\n"
        "CITY CLERK MOORE: Councilmember Ramirez.\n\nCOUNCILMEMBER RAMIREZ: Here.\n\n"
        "CITY CLERK MOORE: Councilmember Obi.\n\nCOUNCILMEMBER OBI: Present.\n\n"
        "MAYOR KOWALSKI: Item 8. Questions for staff?\n\n"
        "COUNCILMEMBER RAMIREZ: What will the Elm Street project cost?\n\n"
        "CITY MANAGER PATTERSON: $14.6 million, most of it from a state loan.\n\n"
        "COUNCILMEMBER OBI: Who pays for the lead lines?\n\nCITY MANAGER PATTERSON: The city, on both sides.\n"))
    names = {s.name for s in briefing.speakers}
    assert not {"Council Present", "Staff Present"} & names
    roles = {s.name: s.role for s in briefing.speakers}  # members present ask, staff present answer
    assert roles["Councilmember Obi"] == roles["Councilmember Ramirez"] == "reporter"
    assert roles["City Manager Patterson"] == "official"
    answered = [(e.question.questioner.name, [a.text for a in e.main_answers]) for e in briefing.exchanges if e.question]
    assert answered[-2:] == [("Councilmember Ramirez", ["$14.6 million, most of it from a state loan."]),
                             ("Councilmember Obi", ["The city, on both sides."])]
    assert not any(a.text in ("Here.", "Present.", "Councilmember Obi.") for e in briefing.exchanges for a in e.answers)


def test_a_statistics_bureau_page_gives_its_date_and_its_follow_ups_no_speaker(tmp_path):
    """"发布时间：2025-11-14 15:30" sits in the page's chrome, outside the article: still the date. "追问：" is the
    reporter before, not a speaker of its own; "（来源：国家统计局 国新网）" is nobody's words."""
    path = tmp_path / "nbs.html"
    path.write_text(
        "<html><head><title>国家统计局</title></head><body><div class='nav'>首页 | 新闻发布</div>"
        "<div class='detail-info'><span>发布时间：2025-11-14 15:30</span></div><div class='article'>"
        "<h1>国家统计局新闻发言人就10月份国民经济运行情况答记者问</h1>"
        "<p><strong>寿小丽：</strong>下面请付凌晖先生作介绍。</p><p><strong>付凌晖：</strong>10月份国民经济总体平稳。</p>"
        "<p><strong>澎湃新闻记者：</strong>消费增速为什么放缓？</p><p><strong>付凌晖：</strong>主要受基数影响。</p>"
        "<p><strong>追问：</strong>11月会回升吗？</p><p><strong>付凌晖：</strong>预计会有所回升。</p>"
        "<p><strong>寿小丽：</strong>今天的发布会就到这里。</p><p>（来源：国家统计局 国新网）</p></div>"
        "<div class='footer'>版权所有</div></body></html>", encoding="utf-8")
    briefing = attribute_speakers(load_transcript(path))
    assert briefing.transcript.date == "2025-11-14"
    assert "追问" not in {s.name for s in briefing.speakers}
    assert [e.question.questioner.name for e in briefing.exchanges if e.question] == ["澎湃新闻记者", "澎湃新闻记者"]
    assert "来源" not in " ".join(u.text for u in briefing.remarks)


def test_an_english_sign_off_answers_nothing():
    from qa.speakers.attribution import _is_pleasantry

    assert _is_pleasantry("Thank you very much. We will see each other tomorrow, same place, same time. Have a good "
                          "afternoon.")
    assert _is_pleasantry("Thank you. That is all for today.")
    assert not _is_pleasantry("Thanks. That is all the money we have, and it will not be enough.")


REVIEWED_B = Path(__file__).parent / "data" / "review-2026-12-03b"


def _read_reviewed(name: str):
    return attribute_speakers(load_transcript(REVIEWED_B / name))


def _answers(briefing) -> list[tuple[str, str]]:
    return [(a.speaker.name, a.text) for e in briefing.exchanges for a in e.main_answers]


def test_a_second_reviewers_repros_of_the_evening_rules():
    """Each file is a reviewer's repro of a reading rule added on the evening of 2026-12-03 that went too far."""
    # "WITNESS: By the gate." is a deposition's answer, not a panel heading.
    assert ("Witness", "By the gate.") in _answers(_read_reviewed("witness_label.txt"))
    # "Open Settings > Privacy > Location." is speech, not a breadcrumb.
    assert any("Open Settings > Privacy > Location." in t for _, t in _answers(_read_reviewed("breadcrumb_speech.txt")))
    # "AND SO, TO BE CLEAR ABOUT THIS: NO POOL WILL CLOSE." goes on with the director's answer.
    caps = _read_reviewed("cq_caps_sentence.txt")
    assert {s.name for s in caps.speakers} == {"Councilmember Alvarez", "Director Okafor"}
    # "SEN. BILL CASSIDY (R-LA.), CHAIRMAN:" is Sen. Bill Cassidy, who chairs; "CASSIDY:" after is him.
    chair = {s.name: s.role for s in _read_reviewed("cq_chair_label.txt").speakers}
    assert chair["Sen. Bill Cassidy"] == "host" and "Cassidy" not in chair
    # "MPOX: cases have fallen…" in a file of initials is no speaker: no one called on "Mpox".
    assert "Mpox" not in {s.name for s in _read_reviewed("mpox_initials.txt").speakers}
    # At her own press conference a senator answers.
    assert [n for n, _ in _answers(_read_reviewed("senator_presser.txt"))][:2] == ["Sen. Maria Cantwell"] * 2
    # "DEL RIO:" is the witness Carlos Del Rio, not a delegate.
    assert {n for n, _ in _answers(_read_reviewed("delrio.txt"))} == {"Carlos Del Rio"}
    # "REPORTER:" and "NBC REPORTER:" are two questioners.
    assert {"Reporter", "Nbc Reporter"} <= {s.name for s in _read_reviewed("reporter_merge.txt").speakers}
    # "Thank you. Yes, we will see each other again in London on Monday to close…" answers the question.
    assert any(t.startswith("Thank you. Yes, we will see") for _, t in _answers(_read_reviewed("signoff_answer.txt")))
    # "Here." answers where the pump station goes; "Fire Chief Daniels." who leads the investigation.
    assert ("Public Works Director Ortega", "Here.") in _answers(_read_reviewed("rollcall_here.txt"))
    assert ("Mayor Cole", "Fire Chief Daniels.") in _answers(_read_reviewed("rollcall_name.txt"))
    # A news site's lead-in and an editor's note above a 外交部 transcript are nobody's announcements.
    assert not any("中新网" in t or "实录" in t for _, t in _answers(_read_reviewed("mfa_preamble.txt")))
    # "**主持人：**首先请王建国厅长介绍情况" does not rename the host.
    assert "主持人" in {s.name for s in _read_reviewed("host_named.md").speakers}


def test_questions_in_bold_and_an_answerer_named_only_as_the_body_in_charge(tmp_path):
    """A Word file's "**问：…？**" in bold is a question like "问：…"; the title's "国家发展改革委 国家能源局有关负责人就…答记者问"
    names who answers."""
    briefing = _read(tmp_path, "ndrc.txt", (
        "**国家发展改革委 国家能源局有关负责人就《实施意见》答记者问**\n\n2026-10-29 来源：国家发展改革委网站\n\n"
        "**问：《实施意见》出台的背景是什么？**\n\n答：近年来，我国新型储能快速发展。\n\n"
        "**问：提出了哪些主要目标？**\n\n答：到2027年，新型储能装机规模达到1.8亿千瓦以上。\n\n"
        "**问：价格机制有哪些安排？**\n\n答：完善容量电价机制。\n"))
    asked = [(e.question.text, [(a.speaker.name, a.text) for a in e.main_answers]) for e in briefing.exchanges]
    assert [q for q, _ in asked] == ["《实施意见》出台的背景是什么？", "提出了哪些主要目标？", "价格机制有哪些安排？"]
    assert {n for _, answers in asked for n, _ in answers} == {"国家能源局有关负责人"}
    assert asked[1][1][0][1] == "到2027年，新型储能装机规模达到1.8亿千瓦以上。"


def test_a_hansard_committee_and_a_un_noon_briefing():
    """"Mr. James Bezan (Selkirk—Interlake—Eastman, CPC):", "Hon. Bill Blair (Minister of National Defence):" and "The
    Chair (Hon. Judy Sgro (…, Lib.)):" are labels, "Hon. Bill Blair:" after is him; the noon briefing's announcements
    above the first question are the Spokesman's, as its header says ("Noon briefing by Stéphane Dujarric, Spokesman…")."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-9"
    hansard = attribute_speakers(load_transcript(fresh / "nddn-evidence-2026-11-24.txt"))
    people = {s.name: (s.title, s.role) for s in hansard.speakers}
    # "The Chair (Hon. Judy Sgro (…))" names her; "The Chair:" after is her too.
    assert people["Hon. Judy Sgro"] == ("Chair", "host") and "The Chair" not in people
    assert people["Mr. James Bezan"][1] == "reporter"
    assert people["Hon. Bill Blair"] == ("Minister of National Defence", "official")
    assert people["Ms. Stefanie Beck"] == ("Deputy Minister", "official")
    assert [a.speaker.name for a in hansard.exchanges[0].answers] == ["Hon. Bill Blair"]  # his opening statement
    noon = attribute_speakers(load_transcript(fresh / "un-noon-briefing-2026-11-18.txt"))
    opening = noon.exchanges[0]
    assert opening.question is None and opening.answers[0].speaker.name == "Spokesman Stéphane Dujarric"
    assert opening.answers[0].text.startswith("Good afternoon.  The Secretary-General arrived in Nairobi")
    # The guest's part: "**Briefing by the Under-Secretary-General…**" over "Ms. Pollard: …" opens a statement of
    # its own, after "Okay. Let me bring up our guest…", which answers nothing; her post is the header's.
    guest = next(e for e in noon.exchanges if e.answers and e.answers[0].speaker.name == "Ms. Pollard")
    assert guest.question is None and guest.answers[0].line_start == 73
    assert any(r.line_start == 69 for r in noon.remarks)
    pollard = next(s for s in noon.speakers if s.name == "Ms. Pollard")
    assert pollard.title == "Under-Secretary-General for Management Strategy, Policy and Compliance"
    lederer = next(s for s in noon.speakers if s.name == "Edith Lederer")  # "Question (Edith Lederer, Associated Press):"
    assert (lederer.title, lederer.organization) == ("", "Associated Press")
    # "Correspondent: Thank you." asks nothing; "Paulina, all yours. Have a good afternoon." and the footer below
    # "* *** *" answer nothing.
    last = noon.exchanges[-1].main_answers
    assert [a.speaker.name for a in last] == ["Spokesman Stéphane Dujarric"] and "official record" not in last[0].text
    assert {"Correspondent": "reporter"}.items() <= {s.name: s.role for s in noon.speakers}.items()


def test_a_defence_ministry_briefing_a_hong_kong_release_and_a_fed_press_conference():
    """fresh-formats-10: 国防部's "关于中外联演" topic lines head the next exchange, not the answer above them; its title
    ends on a date in brackets; "（责任编辑：刘芳）" is no speech; "国防部新闻发言人张晓峰大校举行…" gives his post. The Hong
    Kong release is dated by its "Ends/Tuesday, December 1, 2026" (its answers name April 2027 first), ends there,
    and "the Chief Executive, Mr Eric Tsang Ka-wing," names its label. "MICHAEL MCKEE." is Michael McKee."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-10"
    mnd = attribute_speakers(load_transcript(fresh / "mnd-20260326.txt"))
    assert mnd.transcript.title == "国防部例行记者会（2026年3月26日）"
    answers = [a for e in mnd.exchanges for a in e.answers]
    assert not any(re.fullmatch(r"关于[^，。？！]{2,12}", a.text.splitlines()[-1]) for a in answers)
    assert answers[-1].line_end == 109 and not any("责任编辑" in r.text for r in mnd.remarks)
    zhang = next(s for s in mnd.speakers if s.name == "张晓峰")
    assert "发言人" in zhang.title
    hk = attribute_speakers(load_transcript(fresh / "hk-ce-20261201.html"))
    assert hk.transcript.date == "2026-12-01"
    last = hk.exchanges[-1].answers[-1]
    assert last.speaker.name == "Chief Executive Eric Tsang Ka-wing" and last.line_end == last.line_start
    fed = attribute_speakers(load_transcript(fresh / "fomc-20260318.txt"))
    assert "Michael McKee" in {s.name for s in fed.speakers}


def test_a_scottish_committee_pdf_a_pentagon_briefing_and_a_scio_word_file():
    """fresh-formats-11. The Official Report: "Monica Lennon (Central Scotland) (Lab):" then "Monica Lennon:" is one
    member; "The Cabinet Secretary for Net Zero and Energy (Kirsty Galloway):" is her, opening the second panel after
    "On resuming—"; "Meeting suspended." is nobody's. The Pentagon: "Let's go to Associated Press, Lita." and "All
    right, thanks, everybody. … We'll see you next week." answer nothing; "STAFF: Next, we'll go to Jennifer Griffin,
    Fox." names who asks next, and a bare "Q:" after a named reporter's answer is her follow-up. The Word file:
    "主持人：…新闻发言人 陈文俊" over "**陈文俊：**" turns makes him the host; 中国证券监督管理委员会 is 高冬梅's body."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-11"
    scottish = attribute_speakers(load_transcript(fresh / "nzet-2026-11-03.pdf"))
    names = [s.name for s in scottish.speakers]
    assert names.count("Monica Lennon") == 1 and not any("(Lab)" in n or n.startswith("The Cabinet") for n in names)
    galloway = next(s for s in scottish.speakers if s.name == "Kirsty Galloway")
    assert galloway.title == "Cabinet Secretary for Net Zero and Energy" and galloway.role == "official"
    statement = next(e for e in scottish.exchanges if e.answers and e.answers[0].line_start == 71)
    assert statement.question is None and statement.answers[0].speaker.name == "Kirsty Galloway"
    said = [u.text for e in scottish.exchanges for u in e.answers] + [r.text for r in scottish.remarks]
    assert not any("Meeting suspended" in t or "On resuming" in t or "Meeting closed" in t for t in said)
    dod = attribute_speakers(load_transcript(fresh / "dod-briefing-2026-11-12.html"))
    assert {43, 141} <= {r.line_start for r in dod.remarks}
    askers = {e.question.line_start: e.question.questioner for e in dod.exchanges if e.question}
    assert (askers[55].name, askers[55].organization) == ("Jennifer Griffin", "Fox")
    assert askers[27].name == "Tara Copp" and askers[63].name == "Oren Liebermann"
    scio = attribute_speakers(load_transcript(fresh / "scio-pbc-2026-01-15.docx"))
    people = {s.name: s for s in scio.speakers}
    assert people["陈文俊"].role == "host" and "新闻发言人" in people["陈文俊"].title and "主持人" not in people
    assert (people["高冬梅"].organization, people["高冬梅"].title) == ("中国证券监督管理委员会", "副主席")
    assert not any("【" in u.text for e in scio.exchanges for u in e.answers)


def test_an_mea_briefing_a_traditional_chinese_release_and_senate_estimates():
    """fresh-formats-12. MEA: "Shri Randhir Jaiswal, Official Spokesperson:" opens (the announcements are his),
    "Official Spokesperson:" after is him, questions put one after another are answered together, "(Question
    inaudible)" is a question, "Sidhant from WION." asks. Hong Kong in traditional characters: "行政長官：" is the
    曾家榮 of the lead, the page ends at "完", the title keeps its "（附短片）". Senate Estimates: "Senator Gallagher,
    Minister for Finance" in attendance answers; "Senator Jane Smith (Chair)" chairs; both page headers go."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-12"
    mea = attribute_speakers(load_transcript(fresh / "mea-weekly-briefing-2026-11-20.txt"))
    officials = [s for s in mea.speakers if s.role == "official"]
    assert [(s.name, s.title) for s in officials] == [("Shri Randhir Jaiswal", "Official Spokesperson")]
    opening = mea.exchanges[0]
    assert opening.question is None and (opening.answers[0].line_start, opening.answers[0].line_end) == (5, 13)
    bundled = mea.exchanges[1]
    assert (bundled.question.line_start, bundled.question.line_end) == (15, 19) and bundled.answers
    assert bundled.question.questioner.name == "Sidhant"
    assert any(e.question and e.question.text == "(Question inaudible)" and e.answers for e in mea.exchanges)
    hk = attribute_speakers(load_transcript(fresh / "hk-ce-media-session-2026-12-08.html"))
    assert hk.transcript.title == "行政長官出席行政會議前會見傳媒開場發言和答問內容（附短片）"
    assert [(s.name, s.title) for s in hk.speakers if s.role == "official"] == [("曾家榮", "行政長官")]
    last = hk.exchanges[-1].answers[-1]
    assert last.line_end == last.line_start and "完" not in last.text.splitlines()[-1][-2:]
    senate = attribute_speakers(load_transcript(fresh / "senate-economics-estimates-2026-11-03.txt"))
    people = {s.name: s for s in senate.speakers}
    assert people["Senator Gallagher"].role == "official" and people["Senator Gallagher"].title.startswith("Minister for Finance")
    assert people["Chair Jane Smith"].role == "host"
    said = "\n".join(u.text for e in senate.exchanges for u in e.answers)
    assert "Senate Page" not in said and "Proceedings suspended" not in said


def test_a_caption_export_a_verbatim_report_and_a_government_press_conference():
    """fresh-formats-13. A video platform's caption export with a time before every line ("00:00:53 李明：…") reads
    like any labelled file, its times kept on the turns, "[音乐]" / "[掌声]" no speech, officials introduced one
    after another's 先生 / 女士, "张副局长：" their 张建国. The European Parliament's "Christine Lagarde, President of
    the European Central Bank. – …" and "Markus Ferber (PPE). – …" are labels. "DEPUTY SPOKESPERSON OF THE FEDERAL
    FOREIGN OFFICE, DR. BRANDT:" is Dr. Brandt, whom "BRANDT:" is after; "QUESTION (Jung):" is asked by Jung."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-13"
    captions = attribute_speakers(load_transcript(fresh / "anhui-waimao-fabuhui-20260120.txt"))
    officials = {s.name: s for s in captions.speakers if s.role == "official"}
    assert set(officials) == {"李明", "张建国", "陈静"} and officials["陈静"].title == "副关长"
    answers = [a for e in captions.exchanges for a in e.answers]
    assert answers[0].time == "00:00:53" and not any("[音乐]" in a.text or "[掌声]" in a.text for a in answers)
    ep = attribute_speakers(load_transcript(fresh / "econ-monetary-dialogue-2026-03-16.txt"))
    people = {s.name: s for s in ep.speakers}
    assert ep.transcript.title.startswith("MONETARY DIALOGUE WITH CHRISTINE LAGARDE")  # not the body above it
    assert people["Christine Lagarde"].title == "President of the European Central Bank"
    assert people["Markus Ferber"].role == "reporter" and people["Irene Tinagli"].role == "host"
    assert ep.exchanges[0].question is None and ep.exchanges[0].answers[0].speaker.name == "Christine Lagarde"
    regpk = attribute_speakers(load_transcript(fresh / "regpk-2026-01-14.txt"))
    names = {s.name: s for s in regpk.speakers}
    assert names["Dr. Brandt"].title == "Deputy Spokesperson of the Federal Foreign Office" and "Brandt" not in names
    assert "Jung" in names and not any(n.startswith("QUESTION") for n in names)
    moldova = next(e for e in regpk.exchanges if e.question and e.question.line_start == 39)
    assert [a.speaker.name for a in moldova.answers] == ["Dr. Brandt", "Weidner"]


def test_a_government_press_conferences_chair_long_posts_and_addenda():
    """fresh-formats-13's government press conference, as it should be read: the press club's chair who welcomes,
    gives the floor and closes hosts it; "DEPUTY SPOKESPERSON OF THE FEDERAL MINISTRY OF THE INTERIOR, DR.
    REINHOLD:" (a post of nine words) and then "REINHOLD:" alone (the header's list names him) answer; each
    "Addendum: DR. BRANDT (…) has informed us that …" is that official's, answering no earlier question."""
    regpk = attribute_speakers(load_transcript(Path(__file__).parent / "data" / "fresh-formats-13" / "regpk-2026-01-14.txt"))
    people = {s.name: s for s in regpk.speakers}
    assert people["Chair Kolb"].role == "host" and "Addendum" not in people
    assert people["Dr. Reinhold"].title == "Deputy Spokesperson of the Federal Ministry of the Interior"
    by_line = {a.line_start: (e, a) for e in regpk.exchanges for a in e.answers}
    assert by_line[83][1].speaker.name == "Dr. Reinhold" and by_line[89][1].speaker.name == "Dr. Reinhold"
    assert by_line[89][0].question.text.startswith("Dr Reinhold, when will")
    for line, who in ((101, "Dr. Brandt"), (103, "Spokesperson Hoffmann")):
        exchange, answer = by_line[line]
        assert answer.speaker.name == who and exchange.question is None and not answer.text.startswith("Addendum")


def test_a_mayors_media_availability_with_full_labels_at_first_use():
    """fresh-formats-14's city press conference: "Police Commissioner Rebecca Tran:" and "Deputy Mayor for Public
    Safety Marcus Bell:" once, "Commissioner Tran:" / "Deputy Mayor Bell:" after, are one speaker each with the post
    the label gives; the headline above ("Mayor Lee, Police Commissioner Tran, …") is no one's post; the deputy mayor
    who opens once and then gives the floor hosts; "I'll let the Commissioner answer that." answers nothing; the
    page's skip link is no title."""
    mayor = attribute_speakers(load_transcript(Path(__file__).parent / "data" / "fresh-formats-14" / "mayor_lee_summer_safety.md"))
    people = {s.name: s for s in mayor.speakers}
    assert set(people) == {"Deputy Mayor for Communications Janet Ruiz", "Mayor Daniel Lee", "Police Commissioner Rebecca Tran",
                           "Health Commissioner Dr. Anil Mehta", "Deputy Mayor for Public Safety Marcus Bell", "Question"}
    assert people["Police Commissioner Rebecca Tran"].title == "Police Commissioner" and not people["Mayor Daniel Lee"].organization
    assert people["Deputy Mayor for Public Safety Marcus Bell"].title == "Deputy Mayor for Public Safety"
    assert people["Deputy Mayor for Communications Janet Ruiz"].role == "host"
    by_line = {a.line_start: a for e in mayor.exchanges for a in e.answers}
    assert by_line[23].speaker.name == "Police Commissioner Rebecca Tran" and by_line[23].line_end == 29
    assert 59 not in by_line and by_line[61].speaker.name == "Police Commissioner Rebecca Tran"
    assert mayor.transcript.title.startswith("Transcript: Mayor Lee, Police Commissioner Tran")
    # "Question: Sorry. Karen Wu, Politico." and "Maria Lopez, NY1 again." say who asks; "Question: [Crosstalk]" and
    # the mayor's "Thank you, everybody. Stay cool out there…" at the end are no question and no answer.
    askers = {e.question.line_start: e.question.questioner.name for e in mayor.exchanges if e.question}
    assert askers[85] == "Karen Wu" and askers[139] == "Maria Lopez"
    assert 143 not in by_line and not any("[Crosstalk]" in r.text for r in mayor.remarks)


def test_a_cabinet_secretarys_press_conference_and_a_two_part_release():
    """fresh-formats-14. The Chief Cabinet Secretary's page: "HAYASHI:" is "CHIEF CABINET SECRETARY HAYASHI:"; the
    press secretary who only calls the last question and closes hosts; "Page Top" is no speech. The 答记者问 release:
    "答（国家能源局能源节约和科技装备司司长 刘建国）：" and "答（刘建国）：" are 刘建国, 司长 of that department;
    "问（21世纪经济报道记者）：" asks (digits and all, after the host's "最后一个问题。"); the date is the page's
    发布时间, not the first date an answer names; "二、专题新闻发布会答问实录" ends part one's last answer; the
    footer (相关阅读, 扫一扫…, ICP lines) is no one's."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-14"
    ccs = attribute_speakers(load_transcript(fresh / "ccs_press_conference_20250310pm.html"))
    people = {s.name: s for s in ccs.speakers}
    assert "Hayashi" not in people and people["Press Secretary"].role == "host"
    said = [a for e in ccs.exchanges for a in e.answers]
    assert {a.speaker.name for a in said} == {"Chief Cabinet Secretary Hayashi"}
    assert not any("Page Top" in a.text or "last question" in a.text for a in said)
    ndrc = attribute_speakers(load_transcript(fresh / "ndrc_xinxing_chuneng.txt"))
    assert ndrc.transcript.date == "2025-03-21"
    people = {s.name: s for s in ndrc.speakers}
    assert people["刘建国"].title == "司长" and people["刘建国"].organization == "国家能源局能源节约和科技装备司"
    assert people["王晓梅"].role == "official" and not any("答" in name for name in people)
    asked = {e.question.text: e for e in ndrc.exchanges if e.question}
    sodium = next(e for q, e in asked.items() if q.startswith("钠离子电池"))
    assert sodium.question.questioner.name == "21世纪经济报道记者" and sodium.answers[0].speaker.name == "刘建国"
    part_one_end = next(e for q, e in asked.items() if q.startswith("下一步还有哪些工作安排")).answers[0]
    assert "答问实录" not in part_one_end.text
    everything = "\n".join(u.text for e in ndrc.exchanges for u in e.answers) + "\n".join(r.text for r in ndrc.remarks)
    assert "相关阅读" not in everything and "ICP" not in everything and "扫一扫" not in everything


def test_an_imf_briefing_a_mac_press_conference_and_a_nato_page():
    """fresh-formats-15. The IMF's header "Speaker: Julie Kozack, Director, …" is no turn (the spokesperson answers,
    not hosts), its "* * * * *" ends the transcript. The 陸委會 Word file: "梁文傑副主委兼發言人：" and "經濟處張志銘處長：" put
    the name before the post (and the body before the name), "梁副主委：" / "張處長：" are the same two; the date is
    中華民國115年3月5日; the title is the bold heading, not the fields under it; "（記者會結束）" ends it. NATO's
    "Question [Deutsche Welle]:" asks; the page is dated from its file name."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-15"
    imf = attribute_speakers(load_transcript(fresh / "imf_briefing_2026_03_05.txt"))
    assert {s.name: s.role for s in imf.speakers} == {"Ms. Kozack": "official", "Questioner": "reporter"}
    assert len([e for e in imf.exchanges if e.answers]) >= 20
    assert not any("MEDIA RELATIONS" in a.text for e in imf.exchanges for a in e.answers)
    mac = attribute_speakers(load_transcript(fresh / "mac_press_1150305.docx"))
    officials = {s.name: s for s in mac.speakers if s.role == "official"}
    assert set(officials) == {"梁文傑", "張志銘"} and officials["梁文傑"].title == "副主委兼發言人"
    assert officials["張志銘"].organization == "經濟處" and officials["張志銘"].title == "處長"
    assert mac.transcript.date == "2026-03-05" and mac.transcript.title == "大陸委員會例行記者會逐字稿"
    assert not any("Mainland Affairs Council" in a.text for e in mac.exchanges for a in e.answers)
    nato = attribute_speakers(load_transcript(fresh / "nato_pre_ministerial_2026_02_11.html"))
    roles = {s.name: s.role for s in nato.speakers}
    assert roles["NATO Spokesperson Allison Hart"] == "host" and roles["Deutsche Welle"] == "reporter"
    assert nato.transcript.date == "2026-02-11" and len(nato.exchanges) == 14  # an opening, 11 questions, 2 follow-ups


def test_a_wechat_copy_a_doorstop_page_and_a_korean_briefing():
    """fresh-formats-16. The WeChat copy's "▲图为发布会现场", "▌现场问答", 审核, 点个在看 and what follows 往期推荐 are
    no speech. The doorstop page's "**Minister for Foreign Affairs Dr Vivian Balakrishnan:**" is a label and "Minister:"
    him; the press secretary who opens and thanks hosts; ". . . . ." ends it. The Korean briefing's "Presidential
    Spokesperson Kang Yu-jung:" then "Spokesperson Kang:" (a surname before a hyphenated given name), "NSA Wi:"
    beside "National Security Adviser Wi Sung-lac:", "Reporter (KBS):" asking, "**Venue:**" no one, "(Interpretation)"
    and "[END]" no words."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-16"
    hubei = attribute_speakers(load_transcript(fresh / "hubei_health_20260412.txt"))
    said = "\n".join([a.text for e in hubei.exchanges for a in e.answers] + [r.text for r in hubei.remarks])
    assert not any(mark in said for mark in ("▲", "▌", "审核", "点个在看", "往期推荐", "高考报名"))
    mfa = attribute_speakers(load_transcript(fresh / "mfa_sg_doorstop_20260412.html"))
    roles = {s.name: s.role for s in mfa.speakers}
    assert roles["MFA Press Secretary"] == "host" and roles["Minister for Foreign Affairs Dr Vivian Balakrishnan"] == "official"
    assert "Minister" not in roles
    assert not any("MINISTRY OF FOREIGN AFFAIRS" in r.text for r in mfa.remarks)
    korea = attribute_speakers(load_transcript(fresh / "kr_presidential_briefing_20260412.md"))
    people = {s.name: s for s in korea.speakers}
    assert people["Presidential Spokesperson Kang Yu-jung"].role == "host"
    assert not {"Spokesperson Kang", "NSA Wi", "Secretary Lee", "Venue"} & set(people) and "Reporter (KBS)" in people
    answers = [a for e in korea.exchanges for a in e.answers]
    assert {a.speaker.name for a in answers} == {"Senior Presidential Secretary for Public Relations Lee Do-woon",
                                                 "National Security Adviser Wi Sung-lac"}
    assert not any("(Interpretation)" in a.text or "[END]" in a.text for a in answers)


def test_a_court_transcript_a_macao_press_conference_and_a_palace_briefing():
    """fresh-formats-17. The Supreme Court's pages number each line 1 to 25 in the margin: read without the numbers,
    the Chief Justice presides (and asks), the advocates answer, "the Court:" of a wrapped "may it please / the
    Court:" is no label and the contents' "ORAL ARGUMENT OF:" no one. The Macao page's traditional labels said once
    ("文綺華局長：", "衛生局局長羅奕龍：", "TDM記者（葡文）：") and "法務局局長 Ricardo Almeida：" are speakers, posts and bodies
    split; "**相關新聞**" ends it. The Palace's "USEC. CASTRO:" and "SEC. TIU LAUREL:" are labels, not "USEC." in
    capitals, "MARICEL HALILI/TV5:" asks, and the undersecretary who hosts keeps her answers to what is put to her."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-17"
    court = attribute_speakers(load_transcript(fresh / "okafor-v-united-states-24-517.txt"))
    roles = {s.name: s.role for s in court.speakers}
    assert roles["Chief Justice Roberts"] == "host" and roles["Mr. Smith"] == "official" and roles["Ms. Jones"] == "official"
    assert roles["Justice Kagan"] == "reporter" and not any("Argument" in n or "Court" in n for n in roles)
    assert len(court.exchanges) >= 18 and not any(a.text[:3].strip().isdigit() for e in court.exchanges for a in e.answers)
    macao = attribute_speakers(load_transcript(fresh / "macao-cny-2026-press-conference.md"))
    people = {s.name: s for s in macao.speakers}
    assert people["Ricardo Almeida"].title == "局長" and people["Ricardo Almeida"].organization == "法務局"
    assert people["羅奕龍"].organization == "衛生局" and people["新聞局代表"].role == "host"
    assert people["TDM記者（葡文）"].role == "reporter"
    assert not any("版權所有" in r.text or "相關新聞" in r.text for r in macao.remarks)
    palace = attribute_speakers(load_transcript(fresh / "pco-briefing-da-2025-11-12.html"))
    roles = {s.name: s.role for s in palace.speakers}
    assert roles["Sec. Tiu Laurel"] == "official" and roles["Maricel Halili/Tv5"] == "reporter" and "Usec" not in roles
    castro = {a.line_start for e in palace.exchanges for a in e.answers if a.speaker.name == "Usec. Castro"}
    assert {53, 75} <= castro and 49 not in castro


def test_a_un_stakeout_a_prime_ministers_page_and_a_court_press_conference():
    """fresh-formats-18. The stakeout's "Ambassador Linda Thomas-Greenfield (United States):" and "Ambassador Jérôme
    Bonnafont (France) (spoke in French):" are ambassadors (the country their body), its headline "Security Council
    Stakeout: Ambassadors speak to the press…" no speaker. The Prime Minister's operator hosts and "Prime Minister,
    David Akin, Global News." names who asks. The 最高人民法院's 庭长 and 副庭长 are posts; "**（来源：**…）" no speech."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-18"
    un = attribute_speakers(load_transcript(fresh / "unsc_stakeout_sudan_2025-10-14.txt"))
    people = {s.name: s for s in un.speakers}
    assert people["Ambassador Jérôme Bonnafont"].organization == "France" and people["Ambassador Nebenzia"].role == "official"
    assert not any("Stakeout" in n for n in people) and len([e for e in un.exchanges if e.answers]) >= 15
    pm = attribute_speakers(load_transcript(fresh / "pm_carney_ottawa_2025-09-18.html"))
    assert {s.name: s.role for s in pm.speakers}["Operator"] == "host"
    assert any(e.question and e.question.questioner.name == "David Akin" for e in pm.exchanges)
    court = attribute_speakers(load_transcript(fresh / "spc_xinwen_fabuhui_2025-06-26.docx"))
    people = {s.name: s for s in court.speakers}
    assert people["陈宜芳"].title == "庭长" and people["丁广宇"].title == "副庭长" and not any("来源" in n for n in people)
    # A first speaker's greeting without its full stop is no headline.
    path = Path(__file__).parent / "data" / "review-2026-12-04c" / "moderator_greeting.txt"
    assert {s.name: s.role for s in attribute_speakers(load_transcript(path)).speakers}["Moderator"] == "host"


def test_transcription_service_exports_and_a_taiwan_affairs_office_release():
    """fresh-formats-19. An Otter.ai export ("Chief Daniel Reyes  0:31", the words on the lines below) and a Rev
    export ("Governor Josh Green: (00:24)", "Speaker 2: (14:32)") are read as labels with their times; the public
    information officer who introduces herself and then only calls on reporters hosts; "Transcribed by
    https://otter.ai" and Rev's footer are no speech. The 国台办 release's bare "答：" after a reporter named by outlet
    is the spokesperson's, and "（本次发布会结束）" ends it."""
    fresh = Path(__file__).parent / "data" / "fresh-formats-19"
    otter = attribute_speakers(load_transcript(fresh / "fairview_police_otter.txt"))
    roles = {s.name: s.role for s in otter.speakers}
    assert roles["Sarah Kim"] == "host" and roles["Chief Daniel Reyes"] == "official" and roles["Speaker 3"] == "reporter"
    answers = [a for e in otter.exchanges for a in e.answers]
    assert len(answers) >= 15 and answers[0].time == "0:31" and not any("otter.ai" in a.text for a in answers)
    rev = attribute_speakers(load_transcript(fresh / "green_maui_rev.txt"))
    roles = {s.name: s.role for s in rev.speakers}
    assert roles["Governor Josh Green"] == "official" and roles["Speaker 2"] == "reporter" and roles["Leilani Fong"] == "host"
    said = "\n".join(a.text for e in rev.exchanges for a in e.answers)
    assert "(00:" not in said and "Try Rev" not in said
    gtb = attribute_speakers(load_transcript(fresh / "gtb_20240612.txt"))
    assert {s.name for s in gtb.speakers if s.role == "official"} == {"朱凤莲"}
    assert not any("本次发布会结束" in a.text for e in gtb.exchanges for a in e.answers)


def test_a_fourth_reviewers_repros_of_this_sessions_rules():
    """tests/data/review-2026-12-04: where a reviewer found the rules of fresh-formats-13 to -15 over-reach, each as it
    should be read."""
    def read(name: str):
        return attribute_speakers(load_transcript(Path(__file__).parent / "data" / "review-2026-12-04" / name))

    def answered(briefing) -> set[int]:
        return {a.line_start for e in briefing.exchanges for a in e.answers}

    # "I'll let each district make that call." / "I'll let you know when…" answer; "I'll let the Press Secretary speak
    # for the President on that." hands over.
    assert {15, 25, 41} <= answered(read("a_passes_to_real_answers.md"))
    white_house = read("p_whitehouse_briefing.txt")
    assert 28 in answered(white_house) and 22 not in answered(white_house)
    # "Stay safe, stay off the roads…" answering a question is an answer, not a sign-off.
    assert {17, 21} <= answered(read("b_stay_safe_answer.md"))
    # An answer's own "一、定期召开新闻发布会" stays in it; 截止日期 in an answer does not date the transcript.
    items = next(a for e in read("c_part_title_in_answer.txt").exchanges for a in e.answers if a.line_start == 12)
    assert "定期召开新闻发布会" in items.text
    assert read("d_date_label_in_answer.txt").transcript.date == "2025-04-18"
    # "Housing:" in a Cabinet report is no speaker though the header's list has a ministry for housing.
    assert not {"Housing", "Transport"} & {s.name for s in read("e_roster_single_word_label.txt").speakers}
    # Another witness called Green leaves "Minister for Climate and Green Finance" the minister's post.
    lowe = next(s for s in read("f_header_other_surname.txt").speakers if s.name == "Kerry Lowe")
    assert lowe.title == "Minister for Climate and Green Finance"
    # A post that runs on stops at the name: "Deputy Mayor for Health Dr. Ted Long", "… Philip Banks III".
    split = {s.name: s.title for s in read("g_post_name_split.md").speakers}
    assert split["Deputy Mayor for Health Dr. Ted Long"] == "Deputy Mayor for Health"
    assert split["Deputy Mayor for Public Safety Philip Banks III"] == "Deputy Mayor for Public Safety"
    assert "Mayor Adams" not in split  # "Mayor Adams:" is the Mayor Eric Adams of the first label
    # A headline over "## Opening Remarks", and "Government Press Conference" under the government's name, title.
    assert read("h_title_event_heading.md").transcript.title.startswith("Safe Summer NYC")
    assert read("h2_title_event_topics.txt").transcript.title == "Government Press Conference"
    # "Mayor Lee: [Laughter]" then his words: his answer; "Question: [Crosstalk]" then the question: a question.
    assert {15, 21} <= answered(read("j_stage_note_then_paragraph.md"))
    asked = [e.question.text for e in read("j2_stage_note_reporter.md").exchanges if e.question]
    assert any(q.startswith("Mr. Mayor, on the migrant shelters") for q in asked)
    # "相关链接：" under the headline is no end: the footer after "完" is nobody's.
    related = read("k_related_links_top.txt")
    assert not any("版权所有" in r.text for r in related.remarks) and related.transcript.date == "2025-03-18"
    # "Correction: Mayor Lee misspoke…" is an editor's note, not the mayor's words.
    assert not any(a.text.startswith("Mayor Lee misspoke") and "Lee" in a.speaker.name
                   for e in read("l_correction_note.md").exchanges for a in e.answers)
    # A governor who states the emergency and leaves the questions to others is no host; nor is an official whose one
    # line refers further questions elsewhere.
    roles = {s.name: s.role for s in read("m_opener_floor_only_host.txt").speakers}
    assert roles["Governor Hochul"] == "official"
    assert {s.name: s.role for s in read("n_manages_floor_official.txt").speakers}["Mr Harris"] == "official"
    # "问（英文）" / "答（英文）" stay a question and an answer.
    assert {12, 16} <= answered(read("o_qa_wrapped_language.txt"))
    # A director's opening statement stays hers though her short label reads as a host's.
    assert 7 in answered(read("s_host_merge_full_label_statement.md"))
    # "Saturday Night Lights again." and "Commissioner Tran, Washington Heights." name no questioner.
    askers = {e.question.questioner.name for e in read("i_self_intro_sorry_again.md").exchanges if e.question}
    assert not {"Saturday Night", "Commissioner Tran"} & askers


def test_a_fifth_reviewers_repros_of_the_later_rules():
    """tests/data/review-2026-12-04b: where a reviewer found the rules of fresh-formats-15 and -16 (and the fourth
    review's fixes) over-reach, each as it should be read."""
    def read(name: str):
        return attribute_speakers(load_transcript(Path(__file__).parent / "data" / "review-2026-12-04b" / name))

    def speakers(briefing) -> dict[str, object]:
        return {s.name: s for s in briefing.speakers}

    # "常务副市长：", "江苏省副省长：", "司法部长：" put no name before the post: the header's 张明 and 方伟 hold them.
    assert "张明" in speakers(read("t05_zh_changwu.txt")) and "方伟" in speakers(read("t06_zh_province.txt"))
    assert not {"司法", "农业"} & set(speakers(read("t21_zh_field_minister.txt")))
    # "Minister:" beside a "Minister of State …" is not her; "Clarke-Walsh" and "JEAN-PIERRE" are surnames.
    alone = read("t10_minister_alone.md")
    assert {a.speaker.name for e in alone.exchanges for a in e.answers if a.line_start == 11} == {"Minister"}
    assert "Ms. Jean-Pierre" not in speakers(read("t11_jean_pierre.txt"))
    assert "Minister Clarke-Walsh" not in speakers(read("t02_hyphen_surname.txt"))
    # A list of witnesses written "Post, Name" vouches for "Duffy:"; the Speaker's "Honourable Members, …" is a turn.
    assert speakers(read("t23b_roster_postfirst.txt"))["Duffy"].role == "official"
    assert any("Question Time" in u.text for e in read("t07b_speaker_house.txt").exchanges for u in e.answers) \
        or any("Question Time" in r.text for r in read("t07b_speaker_house.txt").remarks)
    # ". . . ." inside the last answer is an elision; "◆" bullets and "审核：区人社部门…" stay in the answer.
    elided = "\n".join(a.text for e in read("t16_elision.txt").exchanges for a in e.answers)
    assert elided.rstrip().endswith(".") and len([line for line in elided.splitlines() if len(line) > 100]) >= 2
    bullets = "\n".join(a.text for e in read("t08_wechat_bullets.txt").exchanges for a in e.answers)
    assert "◆" in bullets and "审核：区人社部门" in bullets
    # "Thank you, everyone. See you next week." signs off; a reporter who asks first and twice does not host.
    assert any("See you next week" in r.text for r in read("t18_signoff_comma.txt").remarks)
    assert speakers(read("t19_reporter_first.md"))["Journalist (Sky News)"].role == "reporter"
    # The header's 2026年3月11日 over an ROC date an answer quotes; "Date: 2026/07/15"; a file name's "2025_26_01".
    assert read("t14_roc_date.txt").transcript.date == "2026-03-11"
    assert read("t15_date_slash.txt").transcript.date == "2026-07-15"
    assert read("budget_2025_26_01.txt").transcript.date == "2026-07-15"
    # "Jonathan Head, BBC." names who asks; "请对外贸易司负责同志来回答" hands over.
    assert any(e.question and e.question.questioner.name == "Jonathan Head" for e in read("t17_head_bbc.txt").exchanges)
    assert not any("负责同志来回答" in a.text for e in read("t22_zh_handover.txt").exchanges for a in e.answers)
    # "**Opening Remarks of the Deputy Secretary-General:**" is a heading, not a speaker.
    assert not any(n.startswith("Opening Remarks") for n in speakers(read("t20_bold_heading.md")))


def test_a_sixth_reviewers_repros_of_the_court_and_palace_rules():
    """tests/data/review-2026-12-04c: a Chief Justice's press conference is no court sitting (he answers); "de
    Villiers:" is a label after a line that ends no sentence; an answer's numbered lists are no margin numbers; a
    header's "SUBJECT MATTER/RAIL PROJECTS:" is no reporter; "the Smith Street closure" does not address moderator
    Anne Smith."""
    def read(name: str):
        return attribute_speakers(load_transcript(Path(__file__).parent / "data" / "review-2026-12-04c" / name))

    assert {s.name: s.role for s in read("r4_cj_press.txt").speakers}["Chief Justice Cheung"] == "official"
    assert {s.name: s.role for s in read("r2_tight.txt").speakers}["de Villiers"] == "official"
    listed = read("r1_lists2.txt")
    said = "\n".join([e.question.text for e in listed.exchanges if e.question] + [a.text for e in listed.exchanges for a in e.answers])
    assert "1 million for hospitals" in said
    assert not any("/" in s.name and "SUBJECT" in s.name.upper() for s in read("r10_header.txt").speakers)
    assert not any(a.speaker.name == "Moderator Anne Smith" for e in read("r11_smith3.txt").exchanges for a in e.answers)


def test_a_third_reviewers_repros_of_this_evenings_rules():
    """tests/data/review-2026-12-03c: what a reviewer found the new rules misread, each as it should be."""
    def read(name: str):
        return attribute_speakers(load_transcript(Path(__file__).parent / "data" / "review-2026-12-03c" / name))

    # A host the header names who also answers a question keeps his answer.
    host = read("t15_host_also_answers.txt")
    asked = next(e for e in host.exchanges if e.question and "新闻办" in e.question.text)
    assert [a.speaker.name for a in asked.answers] == ["李明"]
    # "**10:02**" between two witnesses' answers is the record's clock: both answer the same question.
    clock = read("t13_time_between_witnesses.md")
    assert [a.speaker.name for a in clock.exchanges[0].answers] == ["Professor Jane Doe", "Dr Callum Baird"]
    # "Mayor Street Bridge:", a header's "Prime Minister: Anthony Albanese", a footer's "Maria Lopez, Communications
    # Director: maria.lopez@city.gov" are nobody's speech.
    assert not any("Mayor Street" in s.name for s in read("t18_council_items.txt").speakers)
    assert not any(t.strip() == "Anthony Albanese" for _, t in _answers(read("t12_header_posts.txt")))
    assert not any("@" in t for _, t in _answers(read("t11_contact_block.txt")))
    # A question that follows up no one is not the last named reporter's; "Greetings from Nairobi." names no one.
    for name in ("t03_followup2.txt", "t06_followup_wrong.txt"):
        askers = [e.question.questioner.name for e in read(name).exchanges if e.question]
        assert askers[1] != "Tom Bowman", name
    assert not any(e.question and e.question.questioner.name == "Greetings" for e in read("t14_greetings_from.txt").exchanges)
