"""Span gold and key gold in `qa eval`, and the turn baselines that every suite is reported beside."""

from __future__ import annotations

import json

import pytest

from qa.baselines import BM25Turns, transcript_turns, turn_is_right
from qa.index.chunking import AnswerRecord
from qa.errors import QAError
from qa.evaluation import EvalReport, Question, is_right, load_questions
from qa.speakers.roster import Speaker

from .conftest import SAMPLES


def _record(lines=(20, 24), question_lines=(16, 18), transcript="hearing"):
    return AnswerRecord(transcript_id=transcript, exchange=3, speaker=Speaker("Dr Sara Bowen"), text="We wrote to councils.",
                        line_start=lines[0], line_end=lines[1], question="What will you do?",
                        question_lines=question_lines, evidence="explicit label", confidence=1.0)


@pytest.mark.parametrize("spans, right", [
    (((22, 30),), True),    # overlaps the answer's own lines
    (((10, 16),), True),    # touches the question it answers at line 16
    (((25, 40),), False),   # starts after the answer ends
    (((1, 15),), False),    # ends before the question starts
    (((1, 2), (24, 24)), True),  # any one of several spans
])
def test_span_gold_is_right_when_answer_or_its_question_overlaps(spans, right):
    assert is_right(_record(), Question("q", transcript="hearing", spans=spans)) is right


def test_span_gold_needs_the_same_transcript():
    assert not is_right(_record(transcript="other"), Question("q", transcript="hearing", spans=((20, 24),)))


def test_span_gold_without_a_question_uses_answer_lines_only():
    record = _record(question_lines=None)
    assert not is_right(record, Question("q", transcript="hearing", spans=((16, 18),)))


def test_key_gold_needs_speaker_and_phrase():
    assert is_right(_record(), Question("q", speaker="Bowen", key="councils"))
    assert not is_right(_record(), Question("q", speaker="Lloyd", key="councils"))
    assert not is_right(_record(), Question("q", speaker="Bowen", key="fines"))


def test_question_file_mixes_both_golds(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text("\n".join(json.dumps(x) for x in [
        {"q": "a", "speaker": "胡文辉", "key": "6000 亿元"},
        {"q": "b", "transcript": "t", "spans": [[3, 5], [9, 9]]},
    ]) + "\n", encoding="utf-8")
    first, second = load_questions(path)
    assert (first.speaker, first.key, first.spans) == ("胡文辉", "6000 亿元", ())
    assert (second.transcript, second.spans) == ("t", ((3, 5), (9, 9)))


@pytest.mark.parametrize("line, message", [
    ('{"q": "b", "spans": [[3, 5]]}', "span gold needs the \"transcript\""),
    ('{"q": "b", "transcript": "t", "spans": [[5, 3]]}', "needs a <= b"),
    ('{"q": "b", "transcript": "t", "spans": [["x"]]}', "line 1: expected"),
    ('{"q": "b"}', "line 1: expected"),
    ('not json', "line 1: expected"),
])
def test_bad_question_lines_name_the_line(tmp_path, line, message):
    path = tmp_path / "q.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(QAError) as info:
        load_questions(path)
    assert message in info.value.message and str(path) in info.value.message


def test_bm25_turn_baseline_grades_spans_over_any_speaker():
    docs = transcript_turns([SAMPLES / "hearing-committee.txt"])
    assert len(docs) == 14 and docs[0].line_start == 3
    question = Question("Will councils be fined for ignoring the letter?", transcript="hearing-committee",
                        spans=((25, 27),))
    report = BM25Turns(docs).evaluate([question])
    assert report.top1 == 1.0 and report.total == 1
    assert turn_is_right(docs[-2], question) and not turn_is_right(docs[0], question)



def test_a_report_with_no_highlight_to_score_is_valid_json():
    """Span gold scores no highlight: the rate is null in `qa eval --json`, not NaN (which JSON parsers refuse)."""
    import json

    report = EvalReport(3, 1.0, 1.0, 1.0, float("nan"), 0)
    text = json.dumps(report.to_dict(), allow_nan=False)
    assert json.loads(text)["highlight"] is None and json.loads(text)["top1"] == 1.0
