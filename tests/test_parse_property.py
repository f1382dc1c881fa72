"""Whatever the bytes, parsing either succeeds or raises the project's TranscriptError — nothing else."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from qa import TranscriptError, attribute_speakers, parse_transcript_bytes
from qa.ingest.transcripts import FORMATS

_PIECES = st.sampled_from([
    "**", "#### ", "主持人：", "记者：", "胡文辉：", "CHAIR POWELL. ", "MICHELLE SMITH. ", "WEBVTT\n", "-->",
    "00:00:01.000 --> 00:00:02.000\n", "<v Ann>", "2026-03-23 15:46:14\n", "请问", "？", "?", "谢谢。", "\n\n",
    "请韩爱朋司长来回答。", "我局", "教育部", "国务院新闻办公室于2026年3月23日举行新闻发布会，请国家知识产权局副局长胡文辉介绍",
    "\u202e", "\x00", "\ufeff", "１２", "Q: ", "A: ",
])
_TEXTS = st.lists(st.one_of(_PIECES, st.text(max_size=40)), max_size=30).map("".join)


def _parse(data: bytes, fmt: str | None) -> None:
    try:
        attribute_speakers(parse_transcript_bytes(data, name="fuzz.md", format=fmt))
    except TranscriptError:
        pass


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXTS, fmt=st.one_of(st.none(), st.sampled_from(FORMATS)))
def test_parser_raises_only_transcript_error_on_arbitrary_text(text, fmt):
    _parse(text.encode("utf-8"), fmt)


@settings(max_examples=300, deadline=None)
@given(data=st.binary(max_size=600), fmt=st.one_of(st.none(), st.sampled_from(FORMATS)))
def test_parser_raises_only_transcript_error_on_arbitrary_bytes(data, fmt):
    _parse(data, fmt)
