"""The /ask response as the API documents it: every field described, with examples, so /docs explains itself.

Optional fields (the speaker's English, `about`) are left out of a response that has none rather than sent as null,
so clients written against the first contract see exactly what they saw before.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class SpeakerOut(BaseModel):
    name: str = Field(description="The speaker's name as the transcript gives it", examples=["杜墨"])
    title: str = Field(description="Their post, as introduced in the transcript ('' when unknown)", examples=["负责人"])
    organization: str = Field(description="Their body and department ('' when unknown)", examples=["金融监管总局法规司"])
    display: str = Field(description="How the briefing introduces them: organisation, title, name",
                         examples=["金融监管总局法规司负责人 杜墨"])
    name_en: str | None = Field(None, description="The name for an English reader (pinyin for a Chinese name)",
                                examples=["Du Mo"])
    title_en: str | None = Field(None, description="The post in English ('' when the glossary has none)", examples=["Head"])
    organization_en: str | None = Field(None, description="The body in English ('' when the glossary has none)",
                                        examples=["Department of Laws and Regulations, National Financial Regulatory Administration"])
    display_en: str | None = Field(None, description="Name and whole role in English",
                                   examples=["Du Mo, Head of the Department of Laws and Regulations, National Financial "
                                             "Regulatory Administration"])


class CitationOut(BaseModel):
    transcript_id: str = Field(description="The transcript's id (its file name without suffix)",
                               examples=["2026-03-23-scio-patent-conversion"])
    transcript_title: str = Field(description="The briefing's title", examples=["国新办举行新闻发布会：介绍专利转化运用专项行动（2023—2025 年）实施情况"])
    date: str | None = Field(description="The briefing's date (ISO 8601), null when the transcript does not say",
                             examples=["2026-03-23"])
    exchange: int = Field(description="Which exchange of the briefing: 0 is the opening statement (no reporter's "
                                      "question), 1 the first question, and so on", examples=[5])
    line_start: int = Field(description="First line of the answer in the transcript (1-based)", examples=[129])
    line_end: int = Field(description="Last line of the answer (inclusive)", examples=[149])
    highlight_lines: list[int] = Field(description="[first, last] line of the highlighted sentence(s), inside the answer",
                                       examples=[[141, 141]])
    url: str = Field(description="The transcript page, scrolled to the answer; the chat adds the highlight "
                                 "(&H141-L141) so the page marks it apart", examples=["/transcripts/2026-03-23-scio-patent-conversion#L129-L149"])
    time: str | None = Field(None, description="Where the answer starts in the recording, for transcripts with times "
                                               "(captions, diarised JSON); absent otherwise", examples=["00:12:04.500"])


class AttributionOut(BaseModel):
    evidence: str = Field(description="Why this speaker is credited with the answer: 'explicit label', 'hand-off …', "
                                      "'organisation: …', or 'default: the lead official (no other evidence)'",
                          examples=["organisation: speaks as 国家金融监督管理总局 (line 129)"])
    confidence: float = Field(description="How sure the attribution is, 0–1: 1.0 an explicit label, 0.95 a hand-off, "
                                          "0.5–0.9 an organisation speaking of itself, 0.4 a default (no evidence)",
                              examples=[0.9])


class AnswerOut(BaseModel):
    speaker: SpeakerOut = Field(description="Who gave the answer")
    text: str = Field(description="The speaker's whole answer in that exchange, their own words")
    highlight: str = Field(description="The sentence(s) of the answer that answer the question",
                           examples=["其中，2023年银行业金融机构累计发放知识产权质押贷款接近2000亿元"])
    question_asked: str | None = Field(description="The reporter's question the answer replied to; null for the "
                                                   "opening statement")
    score: float = Field(description="How well the answer matches, 0–1: 0.5 is the calibrated bar for found, ≥ 0.8 "
                                     "a clear answer. For a question about a person (see about) it is the "
                                     "attribution's confidence", examples=[0.83])
    citation: CitationOut
    attribution: AttributionOut


class AboutOut(BaseModel):
    name: str = Field(description="The person the question is about (the first, when it names a body)", examples=["杜墨"])
    display: str = Field(description="How the briefing introduces them", examples=["金融监管总局法规司负责人 杜墨"])
    names: list[str] = Field(description="Everyone it names (the members of a body)", examples=[["杜墨"]])
    answers: int = Field(description="How many answers they gave (all are returned, up to 20)", examples=[1])


class AskResponse(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "question": "2023年银行业发放的知识产权质押贷款有多少？", "found": True,
        "answers": [{
            "speaker": {"name": "杜墨", "title": "负责人", "organization": "金融监管总局法规司",
                        "display": "金融监管总局法规司负责人 杜墨", "name_en": "Du Mo", "title_en": "Head",
                        "organization_en": "Department of Laws and Regulations, National Financial Regulatory Administration",
                        "display_en": "Du Mo, Head of the Department of Laws and Regulations, National Financial "
                                      "Regulatory Administration"},
            "text": "谢谢你的提问。推进知识产权金融支持……",
            "highlight": "其中，2023年银行业金融机构累计发放知识产权质押贷款接近2000亿元",
            "question_asked": "金融支持是专利转化的一个重要保障……",
            "score": 0.93,
            "citation": {"transcript_id": "2026-03-23-scio-patent-conversion",
                         "transcript_title": "国新办举行新闻发布会：介绍专利转化运用专项行动（2023—2025 年）实施情况",
                         "date": "2026-03-23", "exchange": 5, "line_start": 129, "line_end": 149,
                         "highlight_lines": [141, 141],
                         "url": "/transcripts/2026-03-23-scio-patent-conversion#L129-L149"},
            "attribution": {"evidence": "organisation: speaks as 国家金融监督管理总局 (line 129)", "confidence": 0.9}}],
    }]})

    question: str = Field(description="The question as asked")
    found: bool = Field(description="True when the transcripts answer the question; false when nothing does — "
                                    "answers then holds the closest exchanges, for orientation only")
    answers: list[AnswerOut] = Field(description="Best first; at most top_k (a question about a person lists all "
                                                  "their answers, in the order given)")
    about: AboutOut | None = Field(None, description="Present when the question asks what a person or body said "
                                                     "('杜墨说了什么？', 'What did Du Mo say?')")
    interpreted_as: str | None = Field(None, description="How a follow-up was read with its history "
                                                         "('工信部在推动专利转化上做了哪些工作？'); null when taken as is")
    notes: list[str] = Field(default_factory=list, description="What of the history was ignored, and why")


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable machine-readable code", examples=["invalid_request"])
    message: str = Field(description="One line naming the bad input and the fix",
                         examples=["question: must not be empty"])


class ErrorOut(BaseModel):
    error: ErrorDetail
