"""Chinese questions over English transcripts: English names written in Chinese are matched by sound to the
speakers an index has (the closest name to the longest stretch of name characters, not every name that sounds a
little alike), and Chinese words reach the corpus's English words through the reverse glossary."""

from __future__ import annotations

import pytest

from qa.search.transliteration import Transliterations, skeleton_en, skeleton_zh

SPEAKERS = {
    "bains": {"Hon. Navdeep Bains"}, "blanchet": {"Mr. Yves-François Blanchet"}, "burns": {"Angela Burns AM"},
    "morgan": {"Julie Morgan AM", "Eluned Morgan AM"}, "julie morgan": {"Julie Morgan AM"},
    "eluned morgan": {"Eluned Morgan AM"}, "irranca-davies": {"Huw Irranca-Davies AM"},
    "davies": {"Suzy Davies AM", "Huw Irranca-Davies AM"}, "owen": {"Bethan Owen"}, "garneau": {"Hon. Marc Garneau"},
    "kelly": {"Mr. Pat Kelly"}, "powell": {"Jerome Powell"}, "trudeau": {"Right Hon. Justin Trudeau"},
    "karen cornish": {"Karen Cornish"}, "cornish": {"Karen Cornish"}, "rowlands": {"Meilyr Rowlands"},
    "meilyr rowlands": {"Meilyr Rowlands"}, "huw david": {"Huw David"}, "david": {"Huw David"},
    "macaulay": {"Hon. Lawrence MacAulay"}, "sahota": {"Ms. Ruby Sahota"}, "brown": {"Simon Brown"},
    "blaney": {"Dr David Blaney"}, "freeland": {"Hon. Chrystia Freeland"},
    "fayal el-khoury": {"Mr. Fayal El-Khoury"}, "fayal": {"Mr. Fayal El-Khoury"}, "raymond": {"Raymond Ellis"},
}


def _retriever_over(tmp_path, name: str, text: str, needs: str):
    """A retriever over one English transcript (hash vectors), or a skip when CC-CEDICT lacks the word `needs`."""
    from qa.index.build import build_index
    from qa.index.store import load_index
    from qa.search.retrieval import Retriever
    from qa.search.reverse_glossary import reverse_dictionary

    from .fakes import HashEmbedder

    if needs not in reverse_dictionary():
        pytest.skip("CC-CEDICT is not installed")
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / name).write_text(text, encoding="utf-8")
    build_index([folder], tmp_path / "index", embedder=HashEmbedder())
    return Retriever(load_index(tmp_path / "index"), embedder=HashEmbedder())


@pytest.fixture(scope="module")
def names():
    return Transliterations(SPEAKERS)


@pytest.mark.parametrize("question, expected", [
    ("贝恩斯提到的宽带项目有多少资金？", {"Hon. Navdeep Bains", "Angela Burns AM"}),  # 提 belongs to 提到
    ("朱莉·摩根说大约有多少托儿机构关闭了？", {"Julie Morgan AM"}),                   # the full name, not every Morgan
    ("伊兰卡-戴维斯为什么这么认为？", {"Huw Irranca-Davies AM"}),                     # not every Davies
    ("加尔诺重申了什么减排承诺？", {"Hon. Marc Garneau"}),                           # 尔 as an r English does not sound
    ("鲍威尔对通胀怎么看？", {"Jerome Powell"}),                                     # 尔 as an l
    ("特鲁多说了什么？", {"Right Hon. Justin Trudeau"}),
    ("630万英镑的资金给了谁？", set()),                                              # 万英 of a figure is no Owen
    ("疫情期间疫苗接种的情况怎么样？", set()),
    ("卡伦·科尼什如何看待工作量？", {"Karen Cornish"}),       # 什 is shi in a name; 卡伦 alone is no Garneau
    ("梅利尔·罗兰兹谈到了什么？", {"Meilyr Rowlands"}),        # 兹 spells -nds, Rowlands' w is not heard
    ("休·戴维是怎么回答的？", {"Huw David"}),                  # 休 spells Huw; 休·戴 (Sahota) cuts the surname short
    ("麦考利如何看待退伍军人政策？", {"Hon. Lawrence MacAulay"}),
    ("布兰尼博士认为什么？", {"Dr David Blaney"}),             # not Brown (布朗): the w of "own" is heard
    ("弗里兰如何看待恢复加拿大企业？", {"Hon. Chrystia Freeland"}),  # -land without its d, not Fayal (弗里)
    ("雷蒙德如何看待？", {"Raymond Ellis"}),                       # -mond with it
])
def test_names_found_by_sound(names, question, expected):
    assert names.find(question) == expected


@pytest.mark.parametrize("question, expected", [
    ("威廉姆斯对代写论文网站持什么立场？", {"Kirsty Williams AM"}),  # the whole name within reach, not 威廉 = Virani
    ("威廉森说了什么？", {"Mr. John Williamson"}),
    ("维拉尼说了什么？", {"Mr. Arif Virani"}),
    ("贝恩斯提到的宽带项目有多少资金？", {"Hon. Navdeep Bains", "Angela Burns AM"}),
])
def test_a_longer_stretch_heard_near_beats_a_shorter_one_heard_exactly(question, expected):
    names = {**SPEAKERS, "williams": {"Kirsty Williams AM"}, "virani": {"Mr. Arif Virani"},
             "williamson": {"Mr. John Williamson"}}
    assert Transliterations(names, {"威廉": "william or wilhelm (name)"}).find(question) == expected


def test_skeletons_of_both_languages_meet():
    assert skeleton_en("Morneau") == skeleton_zh("莫诺") == "MN"
    assert skeleton_en("Williams") == "WLMS"
    assert skeleton_zh("加尔诺", silent_er=True) == skeleton_en("Garneau") == "GN"


def test_reverse_glossary_speaks_the_corpus_words():
    """疫苗 glossed 'vaccine' stands for 'vaccination' in a hearing that never says 'vaccine'; a gloss with a word the
    corpus lacks altogether is dropped."""
    from qa.search.reverse_glossary import Gloss, ReverseGlossary, reverse_dictionary

    if not reverse_dictionary():
        pytest.skip("CC-CEDICT is not installed")
    glossary = ReverseGlossary.for_corpus({"vaccination", "child", "grenade", "launcher"})
    pieces = {p.chinese: p.english for p in glossary.segment("儿童疫苗榴弹发射器") if isinstance(p, Gloss)}
    assert ("vaccination",) in pieces["疫苗"]
    assert pieces["儿童"] == (("child",),)
    assert ("grenade", "launcher") in pieces["榴弹发射器"]
    assert "网站" not in glossary.entries  # 'website': no word of the corpus starts like it


@pytest.mark.parametrize("british, american", [
    ("centre", "center"), ("licence", "license"), ("programme", "program"), ("organisation", "organization"),
    ("practising", "practicing"), ("defence", "defense"), ("sentence", "sentence"), ("patent", "patent"),
])
def test_british_spellings_are_looked_up_as_the_dictionary_spells_them(british, american):
    from qa.search.crosslingual import _american

    assert _american(british) == american


def test_english_words_reach_the_glossary_through_possessives_and_doubled_consonants():
    """"universities'" and "Japan's" are looked up as the words; "running", "planned" as run and plan."""
    from qa.search.crosslingual import Glossary

    glossary = Glossary({"university": ("高校",), "japan": ("日本",), "run": ("运行",), "plan": ("计划",),
                         "control": ("控制",), "ad": ("广告",)})
    found = {c.english: c.chinese for c in glossary.concepts(
        "Universities' patents, Japan’s office, running, planned, controlled, added")}
    assert found["university"] == ("高校",) and found["japan"] == ("日本",)
    assert found["running"] == ("运行",) and found["planned"] == ("计划",) and found["controlled"] == ("控制",)
    assert found["added"] == ()  # not 'ad
    assert [c.chinese for c in Glossary({"dres": ("错",)}).concepts("dressed")] == [()]  # a double s stays


def test_a_stopword_is_no_concept_and_a_plural_in_es_finds_its_word():
    """"Does" is a stopword as written, not 'doe' (a deer, 雌鹿) once stemmed; "taxes" and "processes", which the
    stemmer leaves at 'taxe' and 'processe', find 'tax' and 'process'."""
    from qa.search.crosslingual import Glossary

    glossary = Glossary({"doe": ("雌鹿",), "tax": ("税收",), "process": ("流程",), "course": ("课程",)})
    found = {c.english: c.chinese for c in glossary.concepts("Does it cut taxes, processes and courses?")}
    assert "doe" not in found and "does" not in found
    assert found["taxe"] == ("税收",) and found["processe"] == ("流程",) and found["course"] == ("课程",)


def test_a_verb_glossed_with_a_light_verb_is_also_found_by_its_noun():
    """盘点 'to make an inventory' answers "inventoried" (→ inventory); 检查 'to carry out an inspection' answers
    "inspection"; not take / give / hold / do (idioms), nor a particle or an adverb, nor more than one word."""
    from qa.search.crosslingual import _gloss_keys

    assert list(_gloss_keys("to make an inventory")) == ["make inventory", "inventory"]
    assert list(_gloss_keys("to carry out an inspection")) == ["carry out inspection", "inspection"]
    assert list(_gloss_keys("to take stock")) == ["take stock"]  # take: idioms ("take place" is no place)
    assert list(_gloss_keys("to make clear")) == ["make clear"]
    assert list(_gloss_keys("to make a clean break")) == ["make clean break"]
    assert list(_gloss_keys("to make")) == ["make"]


def test_a_full_name_by_sound_is_not_widened_by_the_surname_gloss(tmp_path):
    """摩根 glosses 'Morgan' in the dictionary, which names every Morgan of the hearing; 埃鲁内德·摩根 by sound is one."""
    retriever = _retriever_over(
        tmp_path, "hearing.txt",
        "# Committee on Health: evidence session\n\n"
        "Ann Price MS: Welcome to the Deputy Minister, Julie Morgan, and the Minister, Eluned Morgan. Questions first "
        "from Owen Rees.\n\n"
        "Owen Rees MS: Deputy Minister, how many childcare settings closed during the pandemic?\n\n"
        "Julie Morgan MS: About a third of childcare settings closed, and most have now reopened.\n\n"
        "Owen Rees MS: Minister, what about the universities?\n\n"
        "Eluned Morgan MS: The universities stayed open for research throughout the pandemic.\n", "摩根")
    assert retriever.analyse("埃鲁内德·摩根对大学怎么看？").persons == {"Eluned Morgan MS"}
    assert "摩根" not in retriever.analyse("埃鲁内德·摩根对大学怎么看？").lexical_text  # a name is not glossed
    assert retriever.analyse("摩根说了什么？").persons == {"Julie Morgan MS", "Eluned Morgan MS"}


def test_the_reverse_glossary_reads_the_words_only_a_reporter_said(tmp_path):
    """'smoke' is said only in the reporter's question ("The smoke is terrible in Bend today"): 烟雾 reaches it, so a
    Chinese question about the smoke finds the exchange through the question's words too."""
    retriever = _retriever_over(
        tmp_path, "smoke.txt",
        "Wildfire update\n\nREPORTER: The smoke is terrible in Bend today. What are you telling people?\n\n"
        "DIRECTOR MAYFIELD: Stay indoors and keep windows closed, children too.\n\nREPORTER: And the schools?\n\n"
        "DIRECTOR MAYFIELD: Practices move indoors.\n", "烟雾")
    assert ("smoke",) in retriever.index.reverse_glossary.entries["烟雾"]
    assert ("children",) in retriever.index.reverse_glossary.entries["儿童"]  # the gloss says 'child'

    assert "smoke" in retriever.analyse("烟雾这么严重，大家该怎么办？").lexical_text.split()


def test_a_chinese_post_names_its_only_holder(tmp_path):
    """州长 is 'governor' in the dictionary: "州长怎么说" asks what the governor said, and Governor Hale is the one
    governor, as "What did the governor say?" finds him; 部长 names no one where there is no minister."""
    retriever = _retriever_over(
        tmp_path, "fire.txt",
        "Wildfire update\n\nMS. ORTEGA: The Governor will speak first.\n\n"
        "GOVERNOR HALE: The fire has burned 41,300 acres of Oregon.\n\nREPORTER: What about price gouging at gas stations?\n\n"
        "GOVERNOR HALE: My declaration triggered the price gouging law.\n\nREPORTER: And the shelters?\n\n"
        "FIRE MARSHAL DELGADO: They have room for 400 more people.\n", "州长")
    assert retriever.analyse("州长对加油站哄抬油价怎么说？").persons == {"Governor Hale"}
    assert retriever.analyse("部长对加油站哄抬油价怎么说？").persons == set()
    assert retriever.analyse("请问州长，避难所还有空位吗？").persons == {"Governor Hale"}
    # Another word before the post makes it someone else's: California's governor is not Governor Hale — unless
    # the transcripts say it too (Oregon's governor is).
    assert retriever.analyse("加州州长对加油站哄抬油价怎么说？").persons == set()
    assert retriever.analyse("俄勒冈州长对加油站哄抬油价怎么说？").persons == {"Governor Hale"}


@pytest.mark.parametrize("question, expected", [
    ("利兹的学校怎么样？", set()),                                  # Leeds, not Rees by sound
    ("比尔·盖茨基金会捐了多少？", set()),                             # Bill Gates, then the word 基金
    ("摩根说了什么？", {"Julie Morgan AM", "Eluned Morgan AM"}),       # the dictionary's Morgan, every one of them
    ("朱莉·摩根说了什么？", {"Julie Morgan AM"}),                      # a name going on past a dictionary word
    ("特鲁多怎么说？", {"Right Hon. Justin Trudeau"}),                 # a title in the gloss names nobody
    ("朱莉·摩根-说了什么", {"Julie Morgan AM"}),                       # a run ending on a separator
    ("特鲁多-加尔诺会谈谈了什么？", {"Right Hon. Justin Trudeau", "Hon. Marc Garneau"}),  # a hyphen joins two people
    ("威廉森说了什么？", {"Mr. John Williamson"}),                     # 威廉 (William) begins a longer name
])
def test_dictionary_words_are_what_the_dictionary_says(question, expected):
    names = {**SPEAKERS, "williamson": {"Mr. John Williamson"}, "the prime minister": {"Right Hon. Justin Trudeau",
                                                                                       "Hon. Chrystia Freeland"}}
    words = {"利兹": "leeds", "比尔盖茨": "bill gates (1955-), co-founder of microsoft", "基金": "fund",
             "摩根": "morgan (name)", "威廉": "william or wilhelm (name)",
             "特鲁多": "justin trudeau (1971-), prime minister of canada from 2015"}
    assert Transliterations(names, words).find(question) == expected


def test_reverse_glossary_keeps_the_dictionary_words_beside_its_entries():
    from qa.search.reverse_glossary import NAMES_KEY, ReverseGlossary

    glossary = ReverseGlossary({"儿童": [["child"]]}, {"利兹": "leeds"})
    stored = glossary.to_json()
    assert stored[NAMES_KEY] == {"利兹": "leeds"}
    again = ReverseGlossary(stored)
    assert again.names == {"利兹": "leeds"} and set(again.entries) == {"儿童"}


def test_reverse_glosses_drop_stopwords_and_one_missing_word_of_three():
    """今年 'this year' is 'year' (a stopword is in no vocabulary); 美联储 'US Federal Reserve' is 'federal reserve'
    in a corpus that never says 'us'; a two-word gloss with a word missing is still dropped."""
    from qa.search.reverse_glossary import Gloss, ReverseGlossary, reverse_dictionary

    if "美联储" not in reverse_dictionary():
        pytest.skip("CC-CEDICT is not installed")
    glossary = ReverseGlossary.for_corpus({"year", "federal", "reserve", "interest", "rate", "child"})
    pieces = {p.chinese: p.english for p in glossary.segment("今年美联储降息") if isinstance(p, Gloss)}
    assert ("year",) in pieces["今年"]
    assert ("federal", "reserve") in pieces["美联储"]
    assert ("interest", "rate") in pieces["降息"]
    assert "儿童" in glossary.entries and "网站" not in glossary.entries
    # a proper noun's sense after the common ones: 大学 is a university before it is the Great Learning
    assert reverse_dictionary()["大学"][0] == ("university",)


def test_chinese_is_read_in_words_from_both_ends_and_names_lose_their_descriptions():
    """谈到了当前: 当前 ('current'), not 了当 ('frank') and 前; 威尔士 'Wales, constituent nation of UK' is 'Wales'."""
    from qa.search.reverse_glossary import Gloss, ReverseGlossary, reverse_dictionary

    if "当前" not in reverse_dictionary():
        pytest.skip("CC-CEDICT is not installed")
    glossary = ReverseGlossary.for_corpus({"current", "frank", "ready", "education", "wale", "constituent", "nation"})
    words = [p.chinese for p in glossary.segment("会议谈到了当前的教育状况") if isinstance(p, Gloss)]
    assert "当前" in words and "了当" not in words
    assert reverse_dictionary()["威尔士"] == (("wale",),)


def test_a_given_name_only_one_speaker_has_names_them_and_yields_to_a_surname():
    names = {"kirsty williams": {"Kirsty Williams AM"}, "williams": {"Kirsty Williams AM"},
             "kirsty": {"Kirsty Williams AM"}, "morneau": {"Hon. Bill Morneau"}, "mona": {"Hon. Mona Fortier"},
             "fortier": {"Hon. Mona Fortier"}}
    heard = Transliterations(names, given=frozenset({"kirsty", "mona"}))
    assert heard.find("柯丝蒂认为有多少所学校处于红色类别？") == {"Kirsty Williams AM"}
    assert heard.find("莫诺对债务怎么说？") == {"Hon. Bill Morneau"}  # Mona sounds the same: the surname first


def test_a_short_name_in_nd_is_not_heard_without_its_d():
    """'Bond' without its d would be any 鲍恩 (Bowen) or 博恩 (Bourne); 'Freeland' without it is still a name."""
    names = Transliterations({"bond": {"Governor Bond"}})
    assert names.find("鲍恩说了什么？") == set() and names.find("博恩如何看待？") == set()
