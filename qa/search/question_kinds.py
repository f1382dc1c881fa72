"""What kind of fact a question asks for — a number, a date, a place, a person, a reason, a list — and whether a
sentence holds one: the highlight should be the sentence with the figure, not the one on the topic."""

from __future__ import annotations

import re

from qa.index.lexical import stem
from qa.lexicon import has_cjk

_NUMERAL = r"(?:\d[\d,.]*|[一二两三四五六七八九十百千万亿]+)"
_ZH_UNIT = r"(?:万|亿|%|％|个|家|项|件|次|倍|元|人|所|场|批|笔|户|只|种|款|份|亩|吨|斤|年|名|条|套|台)"
_MONTHS = r"january|february|march|april|may|june|july|august|september|october|november|december"

QUESTION_PATTERNS: dict[str, re.Pattern[str]] = {
    "number": re.compile(r"多少|几(?:个|家|项|件|次|倍|成|所|批)|多大|多高|多长|规模|比例|比重|占比|增长了?多|金额|数量|总量"
                         r"|how (?:many|much|large|big|high|far)|what (?:percentage|share|proportion|amount|number|figure)"
                         r"|number of|how many", re.I),
    "date": re.compile(r"什么时候|何时|哪年|哪一年|哪个月|多久|期限|截止|时间表|when\b|what (?:year|date|month|time)|how long"
                       r"|by when|deadline|timeline", re.I),
    "place": re.compile(r"哪些地方|哪里|在哪|哪些地区|哪些省|哪几个省|哪些城市|什么地方|布局在|where\b"
                        r"|which (?:regions?|provinces?|countries|country|cities|city|places?|areas?|parts)", re.I),
    "person": re.compile(r"谁|哪位|哪些人|\bwho\b|\bwhom\b", re.I),
    "reason": re.compile(r"为什么|为何|原因|怎么会|出于什么|\bwhy\b|what (?:caused|led to|is the reason)|reasons?\b", re.I),
    "goal": re.compile(r"目标|要达到|达到什么|力争|\b(?:goals?|aims?|targets?|objectives?|aiming|intends? to)\b", re.I),
    "result": re.compile(r"成效|效果|成果|成绩|取得了?(?:什么|哪些)|\b(?:results?|outcomes?|achieved|achievements?|impact)\b",
                         re.I),
    "list": re.compile(r"哪些|哪几|有什么措施|什么举措|几个方面|做了什么|采取了?什么|what (?:measures|steps|actions|"
                       r"initiatives|policies|are the)|which (?:steps|measures)", re.I),
}

SENTENCE_PATTERNS: dict[str, re.Pattern[str]] = {
    "number": re.compile(rf"\d|{_NUMERAL}\s*{_ZH_UNIT}|percent|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|"
                         r"hundred|thousand|million|billion|trillion|dozens?)\b", re.I),
    "date": re.compile(rf"\d{{4}}\s*年|\d{{1,2}}\s*月|[今明去前]年|年底|年初|年内|上半年|下半年|季度|\b(?:19|20)\d{{2}}\b"
                       rf"|\b(?:{_MONTHS})\b|next (?:year|month|week)|this (?:year|month)|last (?:year|month)"
                       r"|by the end of|within \w+ (?:days|weeks|months|years)", re.I),
    "place": re.compile(r"[\u4e00-\u9fff]{1,6}(?:省|市|自治区|地区|大湾区|半岛|县|区域)|东部|西部|中部|东北|沿海|北京|上海|天津|"
                        r"重庆|江苏|浙江|广东|福建|山东|\b(?:in|across|from|throughout) "
                        # A capitalised name (case-sensitive under re.I: "from vaccinated" is no place), not a month
                        rf"(?!(?:{_MONTHS}|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b)(?-i:[A-Z][a-z]+)",
                        re.I),
    "person": re.compile(r"(?:[A-Z][a-z]+ ){1,2}[A-Z][a-z]+|[\u4e00-\u9fff]{1,8}(?:部长|局长|司长|主任|教授|院士|书记|先生|女士)"),
    "reason": re.compile(r"因为|由于|为了|原因|所以|因此|导致|是因|\bbecause\b|\bsince\b|due to|so that|in order to|"
                         r"\breason\b|\bas a result\b|that's why", re.I),
    "goal": re.compile(r"力争|目标|确保|争取|到\d{4}\s*年|到.{0,4}年底|实现.{0,12}(?:好转|提升|翻番|突破|覆盖)"
                       r"|\b(?:aim(?:s|ing)? to|goal|target|by the end of|by \d{4})\b", re.I),
    "result": re.compile(rf"{_NUMERAL}\s*{_ZH_UNIT}|\d|提升|增长|提高|percent|\b(?:rose|grew|increased|doubled)\b", re.I),
    "list": re.compile(r"[一二三四五六七八九]是|第[一二三四五]|首先|其次|再次|最后|[、；;].+[、；;]|\bfirst(?:ly)?\b|\bsecond(?:ly)?\b|"
                       r"\bthird(?:ly)?\b|\bfinally\b|, and\b", re.I),
}

# Kinds whose answer often runs over more than one sentence: the highlight may take up to three.
SPREADING = frozenset({"place", "list", "reason"})


def question_kinds(question: str) -> set[str]:
    """Every kind the question asks for; 'how many universities, and where?' asks for two."""
    return {kind for kind, pattern in QUESTION_PATTERNS.items() if pattern.search(question)}


def holds(kind: str, sentence: str) -> bool:
    return bool(SENTENCE_PATTERNS[kind].search(sentence))


# "How many X" / "多少家X": the highlight wants the figure that counts X, not any figure (a Chinese answer holds a dozen).
_HOW_MANY_EN = re.compile(r"\b(?:how many|how much|number of|amount of)\s+((?:[a-z][\w'-]*\s+){0,4}?[a-z][\w'-]*)"
                          r"(?=\s+(?:are|were|is|was|has|have|had|did|do|does|will|would|can|could|should|at|in|on|for"
                          r"|from|by|with|to|that|which|who|work|working|been|got|get|received|took)\b|\s*[?,.]|\s*$)", re.I)
_HOW_MANY_ZH = (re.compile(r"多少([个家项件次所批名位人户笔份条套台种])?([\u4e00-\u9fff]{0,6})"),
                re.compile(r"几(?!乎|年来|个方面)([个家项件次所批名位人户笔份条套台种])?([\u4e00-\u9fff]{0,6})"))
# What a counted thing is counted in, in Chinese: 110 万人, 3000 家 (enterprises), 134.9 万件 (patents).
_MEASURES = {
    "people": "人名位", "person": "人名位", "worker": "人名", "staff": "人名", "employee": "人名", "practitioner": "人名",
    "student": "人名", "researcher": "人名", "company": "家", "enterprise": "家", "firm": "家", "business": "家",
    "sme": "家", "institution": "家所", "university": "所", "school": "所", "college": "所", "agency": "家",
    "patent": "件项", "case": "件起", "application": "件", "item": "项件", "project": "项个", "contract": "项份",
    "center": "个家", "centre": "个家", "platform": "个家", "base": "个家", "time": "次",
}
_NUMBER = r"(?:\d[\d,.]*|[一二两三四五六七八九十百千万亿]{1,6})"


def counted_forms(question: str, translate=None) -> tuple[str, ...]:
    """The words that name what a "how many" question counts, in both languages: its head noun ('patents'), the
    Chinese for it through `translate` (an English word → Chinese words), and the measure word it is counted in."""
    forms: list[str] = []
    if m := (_HOW_MANY_ZH[0].search(question) or _HOW_MANY_ZH[1].search(question)):
        measure, noun = m.group(1) or "", m.group(2)
        forms += [measure] if measure and measure != "个" else []
        # The counted thing follows 多少 (and its measure word): "多少企业获得了贷款" counts 企业, not 获得; a
        # four-character compound ("样板企业") is kept whole beside its first word.
        noun = re.split(r"[的了是在被有和与及]", noun)[0]
        forms += [noun[:2]] if len(noun) >= 2 else []
        forms += [noun[:4]] if len(noun) >= 4 else []
    elif m := _HOW_MANY_EN.search(question):
        head = m.group(1).split()[-1].lower()
        stemmed = _singular(head)
        forms.append(stemmed)
        forms += list(translate(stemmed) if translate else ())[:3]
        forms += list(_MEASURES.get(stemmed, ""))
    return tuple(dict.fromkeys(f for f in forms if f))


def _singular(word: str) -> str:
    """businesses → business, classes → class: the index's plural rule (companies → company, patents → patent),
    which leaves "businesses" a "businesse", after the -es plurals of words ending in s, sh, ch, x, z."""
    if len(word) > 4 and word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    return stem(word)


def counts(sentence: str, forms: tuple[str, ...]) -> bool:
    """A figure right beside what the question counts: '134.9万件存量专利', '超过 3000 家', '590,000 small business
    loans' (within a clause: no comma between)."""
    for form in forms:
        if len(form) == 1:  # a measure word: straight after the figure (万 / 多 may stand between)
            if re.search(rf"{_NUMBER}\s*[万亿多余]?\s*{form}", sentence):
                return True
            continue
        word, gap = re.escape(form), 8 if has_cjk(form) else 30  # a few characters, or a few English words
        if re.search(rf"{_NUMBER}[^，,。；;]{{0,{gap}}}?{word}|{word}[^，,。；;]{{0,{gap}}}?{_NUMBER}", sentence, re.I):
            return True
    return False
