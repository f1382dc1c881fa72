"""English questions over Chinese transcripts: English words and phrases → the Chinese words the corpus uses (CC-CEDICT)."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from qa.index.lexical import STOPWORDS_EN, stem
from qa.lexicon import cedict_path  # where the dictionary is (transliteration and the reverse glossary import it from here)

_GLOSS_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:CL|lit|fig|abbr|also written|variant of|see|old variant of)\b.*", re.I)
_WORD = re.compile(r"[a-z][a-z']*")
_QUESTION_WORD = re.compile(r"[a-z0-9][a-z0-9']*(?:[.,][0-9]+)*%?")  # and numbers as tokenize() reads them: 2025, 5g
_POSSESSIVE = re.compile(r"'s?$")  # "universities'", "Japan's": the word itself

# Policy English of official translations that CC-CEDICT glosses differently or not at all.
POLICY_TERMS: dict[str, tuple[str, ...]] = {
    "ip": ("知识产权",), "ipr": ("知识产权",), "intellectual property": ("知识产权",),
    "sme": ("中小企业",), "small and medium enterprise": ("中小企业",), "small and medium-sized enterprise": ("中小企业",),
    "r d": ("研发",), "ai": ("人工智能",), "gdp": ("国内生产总值", "GDP"), "campaign": ("专项行动", "行动"),
    "special campaign": ("专项行动",), "initiative": ("行动", "举措"), "measure": ("措施", "举措"),
    "consortium": ("联合体",), "consortia": ("联合体",), "alliance": ("联盟",), "self inspection": ("自查",),
    "rectification": ("整改", "整治"), "crackdown": ("整治", "打击"), "pledge": ("质押",), "pledged": ("质押",),
    "pledge loan": ("质押贷款",), "pledge financing": ("质押融资",), "university": ("高校", "大学"),
    "universities": ("高校", "大学"), "college": ("高校",), "research institution": ("科研机构",),
    "research institute": ("科研机构", "研究院"), "enterprise": ("企业",), "company": ("企业", "公司"),
    "firm": ("企业",), "ministry": ("部",), "regulator": ("监管",), "regulatory": ("监管",), "supervision": ("监管",),
    "financial regulator": ("金融监管",), "finance regulator": ("金融监管",), "agency": ("机构", "代理机构"),
    "patent agency": ("专利代理机构",), "patent attorney": ("专利代理师",), "patent agent": ("专利代理师",),
    "license": ("许可",), "licensing": ("许可",), "transfer": ("转让", "转移"), "commercialization": ("产业化", "转化"),
    "commercialisation": ("产业化", "转化"), "industrialization": ("产业化",), "conversion": ("转化",),
    "utilization": ("运用", "转化运用"), "examination": ("审查",), "examiner": ("审查员",), "pilot": ("试点",),
    "platform": ("平台",), "ecosystem": ("生态",), "mechanism": ("机制",), "system": ("制度", "体系"),
    "target": ("目标",), "goal": ("目标",), "growth": ("增长",), "increase": ("增长", "提升"), "year on year": ("同比",),
    "quarter": ("季度",), "billion yuan": ("亿元",), "trillion yuan": ("万亿元",), "yuan": ("元",), "loan": ("贷款",),
    "financing": ("融资",), "insurance": ("保险",), "securitization": ("证券化",), "coverage": ("保额", "覆盖"),
    "household": ("户",), "supply chain": ("供应链",), "industrial chain": ("产业链",), "industry chain": ("产业链",),
    "value added": ("增加值",), "export": ("出口",), "import": ("进口",), "subsidy": ("补贴", "资助"),
    "reward": ("奖励",), "evaluation": ("评价", "评估"), "assessment": ("评估",), "talent": ("人才",),
    "training": ("培训", "培养"), "service": ("服务",), "revenue": ("营收", "收入"), "employee": ("从业人员",),
    "practitioner": ("从业人员",), "next step": ("下一步",), "going forward": ("下一步",), "plan": ("计划", "规划"),
    "five year plan": ("五年规划",), "government work report": ("政府工作报告",), "reform": ("改革",),
    "penalty": ("处罚",), "punishment": ("处罚",), "trademark": ("商标",), "copyright": ("版权", "著作权"),
    "lending": ("贷款", "放贷"),  # not the dictionary's 出借 ("lend out"), which is lending a licence in 出租出借资质
}
MAX_PHRASE_WORDS = 4
FORWARD_VERSION = 6  # the parsed English → Chinese dictionary's cache (POLICY_TERMS, gloss parsing); 2: "lending";
# 4: a light verb's noun (3 named an experiment's copies); 5: of five verbs only, a noun of five letters or more; 6: a
# proper noun's name before its description ('Shanghai municipality' is also 'shanghai'), "quarter"
DICTIONARY_VERSION = 13  # bump when POLICY_TERMS or the gloss parsing changes (and FORWARD_VERSION when the English
# → Chinese side does): indexes rewrite their glossaries
# (qa/index/build.py) without embedding again; 2: "lending"; 3: the dictionary's name-character words kept beside the
# reverse glossary; 4: reverse glosses without their stopwords ('this year' → 'year'); 5: a gloss of three words or
# more with one not in the corpus is kept without it ('US Federal Reserve' → 'federal reserve'); 6: a proper noun's
# glosses after the common senses (大学 'university' before 'the Great Learning'); 7: a proper noun's description
# is no gloss ('Wales, constituent nation of UK' is 'wales'); segmentation from both ends; 9 (8 named an
# experiment's builds): a light verb's noun ('to make an inventory' is 'inventory'); 10: of five verbs only; 11: a
# proper noun's name before its description, "quarter"; 12: the reverse glossary reads the questions' English too;
# 13: a singular gloss finds the corpus's irregular plural ('child' → "children")


@dataclass(frozen=True)
class Concept:
    """One idea of the question: its own words and, for an English phrase, the Chinese words that say it."""

    english: str
    chinese: tuple[str, ...] = ()



# Verbs whose object names the deed ("make an inventory", "carry out an inspection"); not take / give / hold / do,
# whose glosses are idioms ("take place" 发生, "take office" 上任, "give birth").
_LIGHT_VERBS = frozenset({"make", "carry", "conduct", "perform", "undertake"})
_NOT_DEEDS = frozenset("up down on in out off over back away through along forward clear even sure certain".split())


def _gloss_keys(definition: str) -> Iterable[str]:
    for gloss in re.split(r"[;,]", _GLOSS_NOISE.sub("", definition)):
        words = [w for w in _WORD.findall(gloss.lower()) if w not in ("to", "sth", "sb", "one's", "a", "an", "the")]
        if 1 <= len(words) <= MAX_PHRASE_WORDS:
            yield " ".join(stem(w) for w in words)
            # A verb glossed by a light verb and its noun is what the noun names as a deed: 盘点 'to make an
            # inventory' is also what "inventoried" (→ inventory) and "the inventory" ask for.
            rest = words[2:] if words[:2] == [words[0], "out"] else words[1:]
            if len(words) > 1 and words[0] in _LIGHT_VERBS and len(rest) == 1 and len(rest[0]) >= 5 \
                    and rest[0] not in _NOT_DEEDS and not rest[0].endswith("ly"):
                yield stem(rest[0])


@lru_cache(maxsize=2)
def _full_dictionary(cache_dir: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Every short English gloss of CC-CEDICT → the simplified Chinese words it glosses; parsed once per process, and
    kept as JSON in the index's own cache folder. JSON because a cache is data: a pickle runs whatever code its writer
    put in it, and one under a predictable name in the shared temp folder could be planted by any local user."""
    path = cedict_path()
    if path is None:
        return {}
    if cache_dir is None:
        return _parsed_cedict(path)
    stat = path.stat()
    cache = Path(cache_dir) / f"cedict-{FORWARD_VERSION}-{stat.st_size}-{int(stat.st_mtime)}.json"
    for stale in Path(cache_dir).glob("cedict-*.json"):  # another version's or dictionary file's copy
        if stale != cache:
            try:
                stale.unlink(missing_ok=True)
            except OSError:
                pass
    try:
        data = json.loads(cache.read_text(encoding="utf-8"))
        if isinstance(data, dict):
            return {str(k): tuple(v) for k, v in data.items() if isinstance(v, list)}
    except (OSError, ValueError):
        pass
    mapping = _parsed_cedict(path)
    tmp = cache.with_name(f".{cache.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(json.dumps(mapping, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache)
    except OSError:
        tmp.unlink(missing_ok=True)
    return mapping


@lru_cache(maxsize=1)
def _parsed_cedict(path: Path) -> dict[str, tuple[str, ...]]:
    """Parsed once per process (~2 s), whichever index folder the JSON copy is then kept in."""
    return _parse_cedict(path)


_CEDICT_LINE = re.compile(r"^\S+ (\S+) \[([^\]]*)\] /(.*)/\s*$")


def cedict_entries(path: Path) -> Iterable[tuple[str, str, str]]:
    """(simplified, pinyin, definitions joined by '/') for each entry line of a CC-CEDICT file."""
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#") and (m := _CEDICT_LINE.match(line)):
                yield m.group(1), m.group(2), m.group(3)


def _parse_cedict(path: Path) -> dict[str, tuple[str, ...]]:
    mapping: dict[str, set[str]] = {}
    for simplified, pinyin, definitions in cedict_entries(path):
        if len(simplified) < 2:
            continue
        for definition in definitions.split("/")[:4]:
            for key in _gloss_keys(definition):
                if not all(word in STOPWORDS_EN for word in key.split()):
                    mapping.setdefault(key, set()).add(simplified)
        if pinyin[:1].isupper() and (name := _proper_name(definitions.split("/")[0])):
            mapping.setdefault(name, set()).add(simplified)
    for phrase, words in POLICY_TERMS.items():
        key = " ".join(stem(w) for w in _WORD.findall(phrase))
        mapping[key] = set(words) | mapping.get(key, set())
    return {k: tuple(sorted(v, key=lambda w: (-len(w), w))) for k, v in mapping.items()}


_PLACE_WORDS = frozenset("municipality province city county district prefecture region autonomous subprovincial "
                         "prefecture-level county-level town township village island river lake mountain".split())


def _proper_name(definition: str) -> str | None:
    """A place's or a body's name before the words that describe it: 上海 'Shanghai municipality, central east China'
    is what "Shanghai" asks for (the gloss alone is 'shanghai municipality'); 'Guangdong province' → 'guangdong'."""
    head = re.split(r"[,;(]", definition, maxsplit=1)[0].split()
    name = []
    for word in head:
        if not word[:1].isupper():
            break
        name.append(word)
    if not name or len(name) == len(head) or len(name) > 3 or head[len(name)] not in _PLACE_WORDS \
            or not all(re.fullmatch(r"[A-Za-z'-]+", w) for w in name):
        return None  # not "Ministry of Commerce": 'ministry' names every ministry
    return " ".join(stem(w) for w in _WORD.findall(" ".join(name).lower())) or None


class Glossary:
    """The part of the dictionary a corpus can use: only Chinese words whose every bigram occurs in the corpus."""

    def __init__(self, entries: dict[str, tuple[str, ...]]) -> None:
        self.entries = entries

    @classmethod
    def for_corpus(cls, bigram_vocabulary: set[str], *, cache_dir: Path | None = None) -> "Glossary":
        """cache_dir: where the parsed dictionary may be kept (the index's own cache folder), or None for no file."""
        dictionary = _full_dictionary(Path(cache_dir) if cache_dir is not None else None)
        words = {w for ws in dictionary.values() for w in ws}
        # A two-character word is one bigram: a set intersection decides most words at C speed.
        present = {w for w in words if len(w) == 2} & bigram_vocabulary
        present |= {w for w in words if len(w) > 2 and all(w[i:i + 2] in bigram_vocabulary for i in range(len(w) - 1))}
        entries = {}
        for key, ws in dictionary.items():
            kept = tuple(w for w in ws if w in present)
            if kept:
                entries[key] = kept[:12]
        return cls(entries)

    def concepts(self, question: str) -> list[Concept]:
        """Greedy longest-phrase lookup: 'intellectual property rights' before 'property'."""
        raw = [_POSSESSIVE.sub("", w) for w in _QUESTION_WORD.findall(question.lower().replace("’", "'"))]
        words = [w if w in STOPWORDS_EN else stem(w) for w in raw]  # "does" stays a stopword, not a deer ("doe")
        concepts: list[Concept] = []
        i = 0
        while i < len(words):
            size = next((n for n in range(min(MAX_PHRASE_WORDS, len(words) - i), 0, -1)
                         if " ".join(words[i:i + n]) in self.entries
                         and not (n == 1 and words[i] in STOPWORDS_EN)), 0)
            if size:
                phrase = " ".join(words[i:i + size])
                concepts.append(Concept(phrase, self.entries[phrase]))
                i += size
                continue
            if words[i] not in STOPWORDS_EN and (found := self._inflected(words[i])):
                concepts.append(Concept(words[i], found))
                i += 1
                continue
            if words[i] not in STOPWORDS_EN:
                concepts.append(Concept(words[i]))
            i += 1
        return concepts

    def _inflected(self, word: str) -> tuple[str, ...]:
        """established → establish, received → receive, carried → carry, providing → provide; British spellings
        as the dictionary's American ones: centre → center, licence → license, organisation → organization."""
        candidates = [american] if (american := _american(word)) != word else []
        if word.endswith(("xe", "se", "ze", "che", "she")):
            candidates.append(word[:-1])  # the stemmer leaves -es half off: taxes → taxe → tax, processes → process
        if word.endswith("ied"):
            candidates.append(word[:-3] + "y")
        if word.endswith("ed"):
            candidates += [word[:-2], word[:-1]]
        if word.endswith("ing"):
            candidates += [word[:-3], word[:-3] + "e"]
        stem_ = word[:-3] if word.endswith("ing") else word[:-2] if word.endswith("ed") else ""
        if len(stem_) > 3 and stem_[-1] == stem_[-2] and stem_[-1] not in "aeious":
            candidates.append(stem_[:-1])  # running → run, planned → plan, controlled → control (added is no "ad")
        return next((self.entries[c] for c in candidates if c in self.entries), ())


_BRITISH = ((r"tre$", "ter"), (r"^licen[cs]e", "license"), (r"^practis", "practic"), (r"isation$", "ization"),
            (r"is(e|ed|ing|er)$", r"iz\1"), (r"yse$", "yze"), (r"our$", "or"), (r"ogue$", "og"), (r"mme$", "m"),
            (r"^(de|of)fence", r"\1fense"))


def _american(word: str) -> str:
    """The first British spelling rule that applies ('programme' → 'program'); the word itself if none does."""
    for pattern, replacement in _BRITISH:
        if len(word) > 4 and re.search(pattern, word):
            return re.sub(pattern, replacement, word)
    return word
