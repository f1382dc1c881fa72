"""English names written in Chinese (莫诺 → Morneau, 威廉姆斯 → Williams, 格辛 → Gething): both sides reduced to a
skeleton of consonant classes and compared, since Chinese renders a foreign name sound by sound.

A reader asks "莫诺对债务怎么说？" about an English transcript; the dictionary knows Powell and Trudeau, but not most
ministers and witnesses, so the name is matched by sound against the speakers the index actually has."""

from __future__ import annotations

import re
from functools import lru_cache

# Characters Chinese uses to spell foreign names (Xinhua's table, the common ones).
TRANSLIT_CHARS = frozenset(
    "阿埃艾爱安昂奥澳巴拜班邦保鲍贝本比彼宾波伯勃博布查达戴丹道德登迪蒂丁东杜顿多厄恩尔法凡范菲费芬丰弗福富盖冈高戈格"
    "葛贡古瓜哈海汉豪赫黑亨洪胡华怀惠霍基吉加贾杰金津卡凯坎康柯科克肯孔库奎拉莱赖兰朗劳勒雷蕾里利莉丽连廉林琳刘卢鲁"
    "伦罗洛马玛迈麦曼梅门蒙米密明摩莫姆默穆纳娜奈南内妮尼涅宁纽努诺欧帕潘庞佩彭皮珀坡普奇齐恰乔切钦琼丘萨塞赛桑瑟森"
    "沙莎尚绍舍什施舒斯松苏索塔泰坦汤唐陶特提廷汀通图托瓦万旺威韦维温文翁沃乌伍武西希锡夏肖谢辛欣休修许雅亚扬耶伊"
    "因英尤于约詹泽扎根朱"
    "丝兹茜考珊瑞露薇黛茨嘉琪娅芙珍")
MAX_RUNS = 8  # runs of name characters looked at in one question (a question names its people early)
MAX_SKELETON = 10  # consonant classes of the longest name looked for ("kirsty williams" has 8)
MAX_NAME_CHARS = 10  # a longer stretch ("伊兰卡-戴维斯" is 6, with its hyphen 7) is no one name
_RUN = re.compile(r"[" + "".join(sorted(TRANSLIT_CHARS)) + r"·・\-－]{2,12}")
_INITIALS = (("zh", "S"), ("ch", "S"), ("sh", "S"), ("b", "B"), ("p", "B"), ("d", "D"), ("t", "D"), ("g", "G"),
             ("k", "G"), ("l", "L"), ("r", "L"), ("m", "M"), ("n", "N"), ("s", "S"), ("z", "S"), ("c", "S"),
             ("x", "S"), ("j", "S"), ("q", "S"), ("f", "F"), ("h", "H"), ("w", "W"), ("y", ""))
# English spelling → sound: "Rowlands" has no w to hear (罗兰兹), nor "Richards" or "Reynolds" a d (理查兹, 雷诺兹).
_EN_RULES = ((r"(?<=[aeiou])w(?=[^aeioun])", ""), (r"(?<=[nlr])d(?=s\b)", ""), (r"ph", "f"), (r"th", "s"),
             (r"sh", "s"), (r"ch", "s"), (r"ck", "k"), (r"qu", "k"), (r"x", "ks"), (r"c(?=[eiy])", "s"), (r"gh", ""),
             (r"wr", "r"), (r"kn", "n"), (r"ng\b", "n"), (r"(?<=[aeiou])h", ""),
             (r"r(?=[^aeiouy]|$)", ""), (r"e\b", ""), (r"(?<=[aeiou])y", ""))
_EN_CLASSES = {"b": "B", "p": "B", "d": "D", "t": "D", "g": "G", "k": "G", "c": "G", "q": "G", "l": "L", "r": "L",
               "m": "M", "n": "N", "s": "S", "z": "S", "j": "S", "f": "F", "v": "W", "w": "W", "h": "H"}


def skeleton_en(name: str) -> str:
    """'Morneau' → 'MN', 'Williams' → 'WLMS', 'Gething' → 'GSN', 'Trudeau' → 'DLD'."""
    text = re.sub(r"[^a-z]", "", name.lower())
    for pattern, repl in _EN_RULES:
        text = re.sub(pattern, repl, text)
    out = []
    for ch in text:
        cls = _EN_CLASSES.get(ch)
        if cls and (not out or out[-1] != cls):
            out.append(cls)
    return "".join(out)


def skeletons_en(name: str) -> set[str]:
    """How Chinese may write the name: a d after n that ends a word is written (雷蒙德 Raymond) or not (弗里兰
    Freeland, 克利夫兰 Cleveland), so 'Freeland' is heard as 'FLND' or 'FLN'."""
    heard = {skeleton_en(name)}
    if re.search(r"nd\b", name.lower()) and len(without := skeleton_en(re.sub(r"(?<=n)d\b", "", name.lower()))) >= 3:
        heard.add(without)  # not for 'Bond' (BN), which every 鲍恩 and 博恩 would be
    return heard


@lru_cache(maxsize=4096)
def skeleton_zh(name: str, *, silent_er: bool = False) -> str:
    """'莫诺' → 'MN', '威廉姆斯' → 'WLNMS', '格辛' → 'GSN', '鲍威尔' → 'BWL'."""
    out = []
    for ch in name:
        syllable = _syllable(ch)
        if syllable == "er":  # 尔 is an l (鲍威尔 Powell) or an r English does not sound (加尔诺 Garneau)
            if not silent_er:
                out.append("L")
            continue
        if syllable == "jia":  # 加 spells "ga" (加尔诺 Garneau, 加拿大 Canada)
            out.append("G")
            continue
        head = next((cls for initial, cls in _INITIALS if syllable.startswith(initial)), "")
        if head:
            out.append(head)
        if syllable.endswith(("n", "ng")):
            out.append("N")
    collapsed: list[str] = []
    for cls in out:
        if not collapsed or collapsed[-1] != cls:
            collapsed.append(cls)
    return "".join(collapsed)


# How a name reads a character pinyin reads otherwise alone: 什 is shi in 科尼什 (Cornish), not the shen of 什么;
# 休 spells Hugh, Huw, Hughes (休斯).
_NAME_READINGS = {"什": "shi", "休": "hu"}


@lru_cache(maxsize=8192)
def _syllable(ch: str) -> str:
    """One character's pinyin without tone ('' for '·', '-', or without pypinyin): a name is read character by
    character, as a transliteration is written."""
    if not "\u3400" <= ch <= "\u9fff":
        return ""
    if ch in _NAME_READINGS:
        return _NAME_READINGS[ch]
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return ""
    return lazy_pinyin(ch)[0]


def _distance(a: str, b: str, limit: int | None = None) -> int:
    """Edit distance; past `limit` it stops and returns limit + 1."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if limit is not None and min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


@lru_cache(maxsize=1)
def dictionary_words() -> dict[str, str]:
    """CC-CEDICT's words spelled only in name characters (利兹 Leeds, 瑞德西韦 remdesivir, 洛伦茨 Lorentz, 特鲁多
    Trudeau) → their first glosses, lowercased: a stretch the dictionary knows is what the dictionary says it is, not
    whichever speaker it happens to sound like. Stored in an index build beside the reverse glossary."""
    from qa.search.crosslingual import cedict_entries, cedict_path

    path = cedict_path()
    if path is None:
        return {}
    out: dict[str, str] = {}
    for simplified, _, definitions in cedict_entries(path):
        word = _clean(simplified)
        if 2 <= len(word) <= 6 and all(ch in TRANSLIT_CHARS for ch in word):
            gloss = " / ".join(definitions.split("/")[:2]).lower()[:160]
            out[word] = f"{out[word]} / {gloss}" if word in out else gloss
    return out


_TITLE_WORDS = frozenset("minister president secretary premier governor commissioner director ambassador "
                         "spokesperson chair chairman chairwoman deputy prime".split())


def _clean(stretch: str) -> str:
    return stretch.replace("·", "").replace("・", "")


class Transliterations:
    """The English names of an index (surnames and full names), found in a Chinese question by how they sound."""

    def __init__(self, names: dict[str, set[str]], words: dict[str, str] | None = None,
                 given: frozenset[str] = frozenset()) -> None:
        """names: an English form ('morneau', 'kirsty williams') → the speakers it names. words: dictionary words
        in name characters → their glosses (dictionary_words); one whose gloss names none of these speakers is not
        read as a name. given: the forms that are given names ('kirsty'), which yield to a surname sounding as
        close (莫诺 is Morneau, not Mona)."""
        forms = sorted((re.escape(f) for f in names if f.isascii()), key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(forms) + r")\b") if forms else None
        # A dictionary word in name characters → the speakers its gloss names by name (鲍威尔 'Powell'), or none
        # (利兹 'Leeds'); a title in a gloss ('prime minister of Canada') names nobody here.
        self._words = frozenset(words or {})
        self._word_owners: dict[str, set[str]] = {}
        for word, gloss in (words or {}).items():
            named = {f for f in pattern.findall(gloss) if not _TITLE_WORDS & set(f.split())} if pattern else set()
            if named:
                self._word_owners[word] = set().union(*(names[form] for form in named))
        skeletons = [(skeleton, owners, int(form not in given)) for form, owners in names.items() if form.isascii()
                     for skeleton in skeletons_en(form)]
        self.forms = [(s, owners, rank) for s, owners, rank in skeletons if len(s) >= 2]
        # By first sound and length: a stretch is compared only with names it could be within their tolerance.
        self._by_start: dict[tuple[str, int], list[tuple[str, set[str], int]]] = {}
        for form, owners, rank in self.forms:
            self._by_start.setdefault((form[0], len(form)), []).append((form, owners, rank))

    def find(self, question: str) -> set[str]:
        """The speakers the question names in Chinese characters (see heard)."""
        return set().union(*(owners for _, owners in self.heard(question)))

    def heard(self, question: str) -> list[tuple[str, set[str]]]:
        """Each stretch of the question read as a name, with the speakers it names. Per run of name characters,
        the speakers whose name sounds most like the longest stretch of it that starts where the run (or one of its
        '·'-parts) starts, the closest sound first: '贝恩斯提到' → Bains (提 is 提到's), '伊兰卡-戴维斯' →
        Irranca-Davies alone (not every Davies), '朱莉·摩根' → Julie Morgan (not Eluned Morgan). Bounded: the first MAX_RUNS runs of a question, and only names of a first sound and length within
        reach of the stretch (a 2,000-character question costs milliseconds, not seconds)."""
        found: list[tuple[str, set[str]]] = []
        near: dict[str, list[tuple[str, set[str], int, int]]] = {}  # skeleton → the names within reach, once a question
        runs = 0
        for match in _RUN.finditer(question):
            if match.start() and question[match.start() - 1].isdigit():
                continue  # "630万英镑": a figure's 万 and the 英 of 英镑, not a name
            runs += 1
            if runs > MAX_RUNS:
                break
            run = match.group()
            starts = [0] + [m.end() for m in re.finditer(r"[·・\-－]", run)]
            # "卡伦·科尼什": a name written with its given name is its surname at least — the given name alone (卡伦)
            # is not somebody else's surname (Garneau), nor is a surname cut short (休·戴 of 休·戴维). A hyphen
            # joins a double surname or two people (特鲁多-加尔诺), so it does not count.
            name = run.rstrip("·・-－")
            last = max((m.end() for m in re.finditer(r"[·・]", name)), default=0)
            best: tuple[int, int, int] | None = None
            owners: set[str] = set()
            spans: list[tuple[int, int]] = []  # where the best-sounding stretches are, in the run
            known_until = 0  # the end of a dictionary word found in the run: no name starts inside it
            for begin in starts:
                if begin < known_until:
                    continue
                # The dictionary says who a word is: 摩根 'Morgan' is every Morgan, not McKenna who sounds like him;
                # 利兹 'Leeds' and 比尔·盖茨 'Bill Gates' (of 比尔·盖茨基金会) are none of the speakers — when the word
                # ends where the name does, or another word follows (基金); 威廉 of 威廉森 is not the name.
                word_end = self._word_at(run, begin)
                runs_on = 0  # 威廉 of 威廉森 or 威廉姆斯: the name is longer than the word, so no shorter stretch is it
                if word_end and not (word_end == len(name) or run[word_end] in "·・-－" or self._word_at(run, word_end)):
                    word_end, runs_on = 0, word_end
                if word_end:
                    known_until = word_end
                    word = _clean(run[begin:word_end])
                    speakers = self._word_owners.get(word, set())
                    key = (len(word), 0, 1)
                    if speakers and (best is None or key > best):
                        best, owners, spans = key, set(speakers), [(begin, word_end)]
                    elif speakers and key == best:
                        owners |= speakers
                        spans.append((begin, word_end))
                for end in range(min(len(run), begin + MAX_NAME_CHARS), begin + 1, -1):
                    part = run[begin:end]
                    if part[-1] in "·・-－" or (last and end < min(len(name), last + 2)) or end <= runs_on:
                        continue
                    if word_end and not (end > word_end and any(c in "·・" for c in run[word_end:end])):
                        continue  # the dictionary word decided; only a name going on past it (朱莉·摩根) is heard
                    skeletons = {skeleton_zh(part), skeleton_zh(part, silent_er=True)} - {""}
                    if min(map(len, skeletons), default=0) < 2:
                        continue
                    length = len(_clean(part))
                    within = (x for k in skeletons for x in near.setdefault(k, list(self._near(k))))
                    for _, names, distance, rank in within:
                        key = (length - distance, -distance, rank)
                        if best is None or key > best:
                            best, owners, spans = key, set(names), [(begin, end)]
                        elif key == best:
                            owners |= names
                            spans.append((begin, end))
            if owners:
                found.append((run[min(b for b, _ in spans):max(e for _, e in spans)], owners))
        return found

    def _word_at(self, run: str, begin: int) -> int:
        """The end of the longest dictionary word in name characters starting at `begin` (0 if none)."""
        return next((end for end in range(min(len(run), begin + MAX_NAME_CHARS), begin + 1, -1)
                     if run[end - 1] not in "·・-－" and _clean(run[begin:end]) in self._words), 0)

    def _near(self, skeleton: str):
        """(form, owners, distance, rank) of every name within its tolerance of the skeleton."""
        if len(skeleton) > MAX_SKELETON:
            return
        # A form of length n tolerates (n - 2) // 2 edits, so its length is within that of the skeleton's.
        for size in range(max(2, (2 * len(skeleton) + 2) // 3), max(len(skeleton), 2 * len(skeleton) - 2) + 1):
            for form, names, rank in self._by_start.get((skeleton[0], size), ()):
                tolerance = max(0, (len(form) - 2) // 2)
                distance = _distance(form, skeleton, tolerance)
                if distance <= tolerance:
                    yield form, names, distance, rank
