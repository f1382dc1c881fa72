"""Chinese questions over English transcripts: Chinese words → the English words the corpus uses (CC-CEDICT read
the other way), and transliterated names (鲍威尔 → Powell, 特鲁多 → Trudeau) from the same dictionary.

Built per corpus at index time (only glosses whose words all occur in the transcripts are kept), stored in the
build as glossary-zh.json, and used at question time by a greedy longest-word segmentation of the question."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from qa.search.crosslingual import cedict_entries, cedict_path
from qa.search.transliteration import dictionary_words
from qa.index.lexical import STOPWORDS_EN, stem

MAX_WORD_CHARS = 6
MAX_GLOSS_WORDS = 3
NAMES_KEY = "#names"  # not a Chinese word: the dictionary's name-character words, beside the glosses
PREFIX_CHARS = 6  # a gloss word and a corpus word sharing this many first letters are one word ('vaccin…')
_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:CL|lit|fig|abbr|also written|variant of|see|old variant of|surname)\b.*", re.I)
_WORD = re.compile(r"[a-z][a-z']*")
# Question words and verbs of saying: their glosses ("something", "anything", "to say") would only add noise.
FUNCTION_WORDS = frozenset(
    "什么 为什么 怎么 怎样 如何 多少 哪些 哪里 哪个 是否 有没有 有什么 认为 表示 介绍 谈到 谈了 说了 提到 方面 情况 问题 目前 "
    "正在 关于 对于 这个 那个 这些 那些 他们 我们 可以 能否 是不是 已经 还是 怎么样 一些 主要 具体 发言 回应 回答 看待".split())
# Plurals the stemmer leaves as they are, for the dictionary's singular glosses.
_IRREGULAR_PLURALS = {"child": "children", "person": "people", "woman": "women", "man": "men", "foot": "feet",
                      "tooth": "teeth", "mouse": "mice"}
_DROP = frozenset({"to", "sth", "sb", "one's", "a", "an", "the", "of", "oneself", "etc"})


@dataclass(frozen=True)
class Gloss:
    """One Chinese word of the question and the English wordings of it found in the corpus."""

    chinese: str
    english: tuple[tuple[str, ...], ...]


@lru_cache(maxsize=1)
def reverse_dictionary() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Every simplified CC-CEDICT headword (2-6 characters) → its short English glosses as stemmed word tuples."""
    path = cedict_path()
    if path is None:
        return {}
    # A proper noun's entry (capitalised pinyin: 大学 Da4 xue2 'the Great Learning') goes after the word's common
    # senses (da4 xue2 'university'), which are what a question means by it.
    common: dict[str, list[tuple[str, ...]]] = {}
    proper: dict[str, list[tuple[str, ...]]] = {}
    for word, pinyin, definitions in cedict_entries(path):
        if not 2 <= len(word) <= MAX_WORD_CHARS:
            continue
        named = pinyin[:1].isupper()
        glosses = (proper if named else common).setdefault(word, [])
        for definition in definitions.split("/")[:3]:
            pieces = re.split(r"[;,]", _NOISE.sub("", definition))
            # A proper noun's definition is its name, then a description: 'Wales, constituent nation of UK'.
            for piece in pieces[:1] if named else pieces:
                words = tuple(stem(w) for w in _WORD.findall(piece.lower()) if w not in _DROP)
                if 1 <= len(words) <= MAX_GLOSS_WORDS and not all(w in STOPWORDS_EN for w in words) \
                        and words not in glosses:
                    glosses.append(words)
    out = {w: common.get(w, []) + [g for g in proper.get(w, []) if g not in common.get(w, [])]
           for w in common.keys() | proper.keys()}
    return {w: tuple(g) for w, g in out.items() if g}


class ReverseGlossary:
    """The part of the reverse dictionary a corpus can use: glosses whose every word occurs in the corpus."""

    def __init__(self, entries: dict, names: dict[str, str] | None = None) -> None:
        """entries: a Chinese word → its glosses in the corpus's words; names: the dictionary's words spelled in
        name characters → their glosses (qa.search.transliteration.dictionary_words), kept in the same file under
        NAMES_KEY so names found by sound can defer to the dictionary."""
        entries = dict(entries)
        stored = entries.pop(NAMES_KEY, None)
        self.names: dict[str, str] = names if names is not None else (stored if isinstance(stored, dict) else {})
        self.entries = {w: tuple(tuple(g) for g in glosses) for w, glosses in entries.items()}

    @classmethod
    def for_corpus(cls, english_vocabulary: set[str]) -> "ReverseGlossary":
        """Glosses in the corpus's own words: a gloss word the corpus never uses stands for the corpus word that
        shares its first six letters, the shortest one (疫苗 'vaccine' → 'vaccination' of a hearing that says only that)."""
        by_prefix: dict[str, str] = {}
        for w in sorted(english_vocabulary, key=lambda w: (len(w), w)):
            if len(w) >= PREFIX_CHARS:
                by_prefix.setdefault(w[:PREFIX_CHARS], w)

        def corpus_form(w: str) -> str | None:
            if w in english_vocabulary:
                return w
            if _IRREGULAR_PLURALS.get(w) in english_vocabulary:
                return _IRREGULAR_PLURALS[w]  # 儿童 'child' of a corpus that says "children"
            return by_prefix.get(w[:PREFIX_CHARS]) if len(w) >= PREFIX_CHARS else None

        entries: dict[str, list[list[str]]] = {}
        for word, glosses in reverse_dictionary().items():
            kept: list[list[str]] = []
            for gloss in glosses:
                # A stopword is in no corpus's vocabulary (tokenize drops it): 'this year' is 'year' (今年).
                forms = [corpus_form(w) for w in gloss if w not in STOPWORDS_EN]
                if len(forms) >= 3 and sum(f is None for f in forms) == 1:  # 'US Federal Reserve', never 'us'
                    forms = [f for f in forms if f]
                if forms and all(forms) and forms not in kept:
                    kept.append(forms)  # type: ignore[arg-type]
            if kept:
                entries[word] = kept[:6]
        return cls(entries, dictionary_words())

    def to_json(self) -> dict:
        out: dict = {w: [list(g) for g in glosses] for w, glosses in self.entries.items()}
        if self.names:
            out[NAMES_KEY] = self.names
        return out

    def segment(self, run: str) -> list[Gloss | str]:
        """Longest-word matching over one run of Chinese characters, from the left and from the right, keeping the
        reading that leaves fewer characters outside words (then the fewer words; then the one from the right,
        the better guess for Chinese): "谈到了当前" is 谈到 了 当前, not 谈到 了当 ('frank') 前. Known words
        become Glosses, function words a space, the rest stays text."""
        forward, backward = self._words(run, reverse=False), self._words(run, reverse=True)
        best = min((backward, forward), key=lambda words: (sum(len(w) == 1 for w in words), len(words)))
        out: list[Gloss | str] = []
        for word in best:
            if word in FUNCTION_WORDS:
                out.append(" ")
            elif len(word) > 1 and word in self.entries:
                out.append(Gloss(word, self.entries[word]))
            elif out and isinstance(out[-1], str) and out[-1] != " ":
                out[-1] += word
            else:
                out.append(word)
        return out

    def _words(self, run: str, *, reverse: bool) -> list[str]:
        """Greedy longest matches (dictionary or function words), single characters between them."""
        words: list[str] = []
        i, j = 0, len(run)
        while i < j:
            size = next((n for n in range(min(MAX_WORD_CHARS, j - i), 1, -1)
                         if (w := (run[j - n:j] if reverse else run[i:i + n])) in self.entries or w in FUNCTION_WORDS),
                        1)
            if reverse:
                words.append(run[j - size:j])
                j -= size
            else:
                words.append(run[i:i + size])
                i += size
        return words[::-1] if reverse else words
