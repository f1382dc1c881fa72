"""What kind of fact a question asks for — a number, a date, a place, a person, a reason, a list — and whether a
sentence holds one: the highlight should be the sentence with the figure, not the one on the topic."""

from __future__ import annotations

import re

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
                        r"重庆|江苏|浙江|广东|福建|山东|(?:in|across|from|throughout) (?:[A-Z][a-z]+)", re.I),
    "person": re.compile(r"(?:[A-Z][a-z]+ ){1,2}[A-Z][a-z]+|[\u4e00-\u9fff]{1,8}(?:部长|局长|司长|主任|教授|院士|书记|先生|女士)"),
    "reason": re.compile(r"因为|由于|为了|原因|所以|因此|导致|是因|\bbecause\b|\bsince\b|due to|so that|in order to|"
                         r"\breason\b|\bas a result\b|that's why", re.I),
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
