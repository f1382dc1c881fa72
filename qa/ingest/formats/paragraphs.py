"""Paragraph transcripts: Markdown briefings, 'Name: text' and 'NAME. text' turns, with page breaks mended."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from qa.lexicon import (
    ANSWER_WORDS, EN_HONORIFICS, EN_NAME_SUFFIXES, EN_POST_HEAD, HOST_WORDS, HYPHENATED_GIVEN, REPORTER_WORDS, TITLE_WORDS_EN,
    TITLE_WORDS_ZH,
    cased, ends_sentence, has_cjk, join_fragments, record_label, simplified, wrapped_who, MEMBER_LABEL,
)
from qa.ingest.turns import Turn

TIMESTAMP = re.compile(r"^\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}[ T]+\d{1,2}:\d{2}(?::\d{2})?"
                       r"|[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d+)?[\])]|\d{1,2}:\d{2}:\d{2})\s*$")  # or "[00:13:40]", "00:09:12"
NOISE = re.compile(
    r"^\s*(?:[图视]?[片频]?直播|图文直播|文字直播|【[^】]{1,8}】(?:\s*【[^】]{1,8}】)*|(?:责任)?编辑[:：].*|来源[:：].*"
    r"|(?:(?:您的|当前)?位置[:：]\s*)?(?:首页|主页|网站首页|home)\s*[>＞»›](?:\s*[^>＞»›\n]{1,16}\s*[>＞»›]?)+"  # 首页 > 新闻发布
    r"|!\[[^\]]*\]\([^)]*\)|[（(](?:图为|来源[:：]|(?:责任)?编辑[:：])[^）)]{0,60}[）)]"
    r"|[\[(](?:laughter|applause|crosstalk|cross-talk|gavel|overlapping (?:voices|speakers)|multiple speakers)[\])]\.?"
    r"|\((?:please )?(?:also )?refer to the (?:chinese|english) portion of the (?:transcript|press release)\.?\)"
    r"|[（(]请同时参阅[^）)]{0,40}[）)]|[（(]請同時參閱[^）)]{0,40}[）)]|[|｜]+"
    r"|\((?:concluded|ends?|end of briefing)\)|\[(?:音乐|掌声|笑声|music|applause|laughter)\](?:\s*\[[^\]]{1,10}\])*"
    r"|page \d+ of \d+|-{3,}|\*{3,}|_{3,}|<!--.*-->"
    # a page's furniture: its back-to-top link, the QR prompt and the site's registration lines in the footer
    r"|page top|back to top|return to top|top of page|返回顶部|回到顶部|扫一扫在手机(?:上)?打开当前页|主办单位[:：].*|分享到[:：].*"
    r"|.*ICP备\d+号.*|.*公网安备\s*\d+号.*|网站标识码.*"
    # a WeChat article's: "点击蓝字关注我们", "▲图为发布会现场 记者 周子涵 摄", "审核：李明", "点个在看你最好看"
    r"|transcribed by https?://\S+|transcribe your own content|try rev and save time .{0,80}"
    r"|点击.{0,6}关注.{0,10}|[▲△▼]\s*图.{0,60}|(?:审核|校对|监制|初审|终审)[:：]\s*[\u4e00-\u9fff]{2,4}(?:[\s、，,]+[\u4e00-\u9fff]{2,4}){0,3}"
    r"|点个?在看.{0,12}"
    r"|(?:分享|收藏|点赞|在看)(?:\s+(?:分享|收藏|点赞|在看)){1,3})\s*$",
    re.I,
)
# A hearing's panel heading, case as printed: "Examination of witness", then "Witness: Jonathan Reece." — names only,
# each Capitalised ("WITNESS: By the gate." is a deposition's answer).
PANEL = re.compile(r"^\s*(?:Examination of [Ww]itness(?:es)?|Witness(?:es)?:[ \t]*(?:(?:Dr|Mr|Mrs|Ms|Professor)\.?[ \t]+)?"
                   r"[A-Z][a-z][\w'’-]*(?:[ \t]+[A-Z][a-z][\w'’-]*)+(?:,?[ \t]+(?:and[ \t]+)?[A-Z][a-z][\w'’-]*"
                   r"(?:[ \t]+[A-Z][a-z][\w'’-]*)+)*\.?)\s*$")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
CAPS_LABEL = re.compile(r"^((?:(?:MR|MS|MRS|DR)\.\s+)?[A-Z][A-Z'’\-]+(?:\s+[A-Z][A-Z'’\-]+){0,3})\.\s+(\S.*)$")
# The Congressional Record's and GPO hearings' labels, capitalised or not: "Mr. Okafor.", "Mr. OKAFOR.", "Ms. Lindqvist.",
# "The Chair.", "The CHAIRMAN.", "Senator Warren.", "Chairman Smith." — an honorific or a post, then one surname.
RECORD_LABEL = re.compile(
    r"^((?:Mr|Ms|Mrs|Miss|Dr)\.\s+[A-Z][\w'’-]+(?:\s+of\s+[A-Z][a-z]+)?"
    r"|The\s+(?:(?:Acting\s+|ACTING\s+|Vice\s+|VICE\s+)?(?:Chair(?:man|woman|person)?|CHAIR(?:MAN|WOMAN|PERSON)?)|Clerk|CLERK"
    r"|Speaker|SPEAKER|Presiding\s+Officer|PRESIDING\s+OFFICER)"
    r"|(?:Chair(?:man|woman)?|Senator|Representative|Secretary|Commissioner|Administrator|Director|Governor|Admiral)"
    r"\s+[A-Z][\w'’-]+)\.\s+(\S.*)$")
_BOLD_LABEL = re.compile(r"^\*\*([^*\n]{1,100}?)\s*(?:[:：]\s*\*\*|\*\*\s*[:：])\s*(.*)$")
# A whole turn in bold, its label and all: a Word file's questions ("**问：…？**"), judged as a plain colon label.
_BOLD_TURN = re.compile(r"^\*\*([^*\n:：]{1,20}?)\s*[:：]\s*([^*\n]+?)\s*\*\*\s*$")
# A name in bold on a line of its own, the turn in the paragraphs below ("**周立新**", "**新华社记者**").
_BOLD_LINE = re.compile(r"^\*\*([^*\n:：]{1,40}?)\*\*$")
HANSARD_LABEL = re.compile(rf"^(?P<label>{MEMBER_LABEL.pattern})\s*:\s+(?P<text>\S.*)$")  # record_label says who
_SMALL_CAPS_WORDS = frozenset("AND SO THE TO OF FOR IN ON AT BY WITH BUT OR IF IT IS WE I YOU THIS THAT NOW NO YES".split())
_CQ_LABEL = re.compile(
    r"^(?:\[\*\]\s*)?(?P<name>(?:(?:SEN|REP|SENATOR|REPRESENTATIVE|DEL|MR|MS|MRS|DR)\.?\s+)?[A-Z][A-Z'’.\-]+"
    r"(?:\s+[A-Z][A-Z'’.\-]+){1,3})(?:\s*\((?P<party>[A-Z]{1,2}-[A-Z][A-Z.\s]{1,14})\))?"
    r"(?P<post>(?:,\s*[A-Z0-9][A-Z0-9.&'’\-\s]{1,80}?){1,4})?\s*:\s+(?P<text>\S.*)$")
_COLON_LABEL = re.compile(r"^([^:：\n]{1,70}?|[^:：\n()]{1,20}\([^:：\n()]{3,60}\)|[^:：\n,()]{3,60},[ \t]*[^:：\n,()]{3,40})"
                          r"\s*[:：]\s*(.*)$")  # … or "Shri Randhir Jaiswal, Official Spokesperson", a name and a post
# "REPORTER (Ana Whitfield, KTVZ):", "Q (Marcus Bell, Oregon Public Broadcasting):": a role, and who in brackets.
_ROLE_BRACKETS = re.compile(r"^([A-Za-z][\w .'’-]{0,18}?)\s*\(([^()]{3,60})\)$")
_ROLE_WORD = re.compile(r"(?i)reporter|journalist|question|q|moderator|host|mc|presenter|interviewer|correspondent")
# Where a press release's transcript ends: "###", "-30-", "ENDS" on a line of their own; below are contacts and links.
# … and the UN's "* *** *" over "For information media. Not an official record."
# … and a Hong Kong government release's "Ends/Tuesday, December 1, 2026" over "Issued at HKT 12:48" and "NNNN".
_END_MARK = re.compile(r"#{3}|-\s?30\s?-|-?\s?ENDS\s?-?|\[?(?i:end of transcript)\]?|\*\s\*{3}\s\*|\*(?:\s\*){4,}"
                       r"|Ends\s*/\s*[A-Z][a-z]+day,.{6,20}\d{4}|NNNN|完(?:\s*/.{0,30})?"
                       r"|(?i:for (?:more|further) information|media (?:contacts?|enquiries|inquiries))\s*:?"
                       r"|【?相关(?:阅读|链接|新闻|文章|稿件)】?[:：]?"
                       r"|[（(](?:本次|今天的?)?(?:新闻)?(?:记者会|記者會|发布会|發布會|吹风会|吹風會)(?:结束|結束)[）)]"
                       r"|往期(?:推荐|回顾|精彩)|推荐阅读|\[(?i:end)\]|\((?i:end)\)|\.(?:\s\.){3,}")  # fullmatch, stripped
# End marks that also stand for an elision or a break: only an end when no paragraph of speech follows.
_WEAK_END = re.compile(r"\*(?:\s\*){4,}|\.(?:\s\.){3,}|往期(?:推荐|回顾|精彩)|推荐阅读")
# What a committee's record notes between its parts, no one's speech: "[The Convener opened the meeting at 09:30]",
# "Meeting suspended.", "10:14 On resuming—", "Members indicated agreement.", "Proceedings suspended from 10:30 to
# 10:45", "Meeting closed at 11:02."
PROCEDURE = re.compile(
    r"(?i)\[?(?:the (?:convener|chair|presiding officer|deputy presiding officer) (?:opened|closed) the meeting at "
    r"[\d.:]+(?:\s?[ap]\.?m\.?)?\.?|(?:meeting|proceedings|sitting|committee) (?:suspended|adjourned|closed)"
    r"(?: (?:at|from) [\d.:]+(?:\s?[ap]\.?m\.?)?(?: (?:to|until) [\d.:]+(?:\s?[ap]\.?m\.?)?)?)?\.?"
    r"|(?:\d{1,2}[:.]\d{2}\s+)?on resuming\s*[—–-]*|members indicated agreement\.?"
    r"|\(the (?:meeting|sitting) (?:opened|closed|was (?:suspended|adjourned)|rose) at [\d.:]+(?:\s?[ap]\.?m\.?)?\)\.?)\]?")
# The numbered parts of a release that prints an interview and a press conference: "一、有关负责人答记者问",
# "二、专题新闻发布会答问实录" (not an answer's "一、加强组织领导" nor "二、编印政策问答").
_PART_TITLE_ZH = re.compile(r"[一二三四五六七八九十]{1,2}、[^。！？!?：:，,；;]{0,24}(?:答记者问|实录)")
# A header's list of who speaks, above the first turn: "Speaker: Julie Kozack, Director, Communications Department",
# "Speakers: …" — a name, a comma and a post or a body; not the Speaker of a house ("Speaker: Honourable Members,
# Question Time…").
_HEADER_ROSTER = re.compile(r"(?i)speakers?|participants?|panel(?:l?ists)?|guests?|briefers?|presenters?")
_NAME_AND_POST = re.compile(r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’.-]+){1,3},\s*(?:the\s+)?[A-Z]")
# A WeChat article's section marks: "▌发布内容", "▌现场问答".
_SECTION_MARK = re.compile(r"[▌▍]\s*[^。！？!?：:]{2,16}")  # (not ◆ or ■, an answer's bullets too)
# A note added after the event in an official's name ("Addendum: DR. BRANDT (Federal Foreign Office) has informed us
# that …", the German government press conference's "Nachtrag"): that official's words, answering no earlier question.
_ADDENDUM = re.compile(r"(?i)^(?:addendum|addenda|nachtrag)$")
_LEADING_NAME = re.compile(r"^(?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w'’-]+")
# Hearing records number the questions before the asker's label ("Q12 Chair: …", "Q14 Tom Atherton: …").
_QUESTION_NUMBER = re.compile(r"^Q\s?\d{1,4}\.?\s+(?=[^:：\d\n]{1,40}?[:：])")
# The White House's reporter marker: a bare Q and spaces or a tab before the question ("Q    Which partners?").
_Q_MARKER = re.compile(r"^(Q)(?:\s{2,}|\t|\.\s+)\s*(\S.*)$")
_NOT_IN_LABEL = re.compile(r"[，,。!！?？；;“”\"《》「」\d#*\[\]<>/=]|https?")
_ENUMERATOR = re.compile(
    r"^(?:[一二三四五六七八九十]+是|第[一二三四五六七八九十]+|首先|其次|再次|最后|另外|此外|同时|比如|例如|注|注意|备注|说明"
    r"|附件|标题|时间|地点|主题|总之|目前|其中|发布人|发布嘉宾|出席嘉宾|出席人员|主办单位|note|example|source|date|time|title|location|subject|update|photo|venue"
    r"|interview|programme|program|transcript|broadcast|episode|guests?|please note"
    r"|(?:(?:council|staff|members?|also|others?|councillors?|commissioners?|board)\s+)?(?:present|absent|attending)"
    r"|attendance|roll call|(?:oral |rebuttal )?argument of|appearances|contents|proceedings)$",
    re.I,
)
_EN_LABEL_WORD = re.compile(r"^(?:[A-Z][\w.'’\-]*|(?:d|o|l|di|da|de|du|al|el)['’][A-Z][\w'’\-]*|of|the|and|de|van|von|der"
                            r"|den|da|di|du|le|la|al|bin|ben|for)$")  # "Minister for Health"
_DIGITS = re.compile(r"\d+")
_EVENT = re.compile(r"\b(?:briefing|press conference|news conference|interview|oral evidence|hearing|remarks|statement|"
                    r"meeting|doorstop|dialogue|debate|"
                    r"transcript)\b|发布会|记者会|答记者问|专访|听证", re.I)
_BARE_TRANSCRIPT = re.compile(r"(?i)(?:e\s?&\s?oe\s+|verbatim\s+|official\s+|full\s+|edited\s+)?transcript")
_NOTICE = re.compile(r"(?i)\s*(?:please note|note|notice|copyright|embargo(?:ed)?|disclaimer|check against delivery)\b")
_SECTION_HEADING = re.compile(r"(?i)(?:opening (?:remarks|statement)|questions? and answers?|q\s?&\s?a|watch\b|video\b)")
_INTERPRETED = re.compile(r"^[(\[](?i:interpretation|interpreted|translation|translated|through (?:an )?interpreter|"
                          r"via interpreter|as interpreted)[)\]]\s*")
_NAVIGATION = re.compile(r"\[[^\]\n]{1,60}\]\([^)\n]*\)")
_INLINE_MARKUP = re.compile(r"\*\*|<br\s*/?>|\[([^\]]*)\]\([^)]*\)")
_STYLES = {
    "markdown": ("heading", "bold", "colon"),
    "labelled": ("bold", "colon"),
    "caps": ("caps",),
}


@dataclass
class _Para:
    lines: list[tuple[int, str]] = field(default_factory=list)
    label: str | None = None
    label_only: bool = False
    heading: bool = False
    time: str | None = None
    numbered: bool = False
    procedural: bool = False  # a record's "Meeting suspended." / "On resuming—": a heading between parts, not the title

    @property
    def raw(self) -> str:
        text = ""
        for _, line in self.lines:
            text = join_fragments(text, line.strip())
        return text


def parse_paragraphs(lines: list[str], fmt: str) -> tuple[list[Turn], str | None]:
    """Return the turns and the title (from the leading headings or a short first line)."""
    styles = _STYLES[fmt]
    lines = _before_end_mark(lines, styles)
    counts = _label_counts(lines, styles)
    paras = _paragraphs(lines, styles, counts)
    paras = _mend_page_breaks(paras)
    title = _title(paras)
    turns = _turns(paras)
    if fmt in ("labelled", "caps"):
        turns = _merge_continuations(_pair_translations(turns))
    return turns, title


def name_bare_answers(turns: list[Turn]) -> None:
    """In a file of named labels, a bare "A:" goes on with the named official who just answered, or answers the
    follow-up put straight after their answer ("GOVERNOR HALE: …" / "A: And please, don't drive up Highway 20."):
    not an official called "A". The Q/A files of qapairs.py do the same with their own answerer."""
    answered: str | None = None
    follow_up_of: str | None = None
    for turn in turns:
        if not turn.label:
            continue
        label = turn.label.strip("* ")
        if label in ("A", "答"):
            if who := follow_up_of or answered:
                turn.label = who
            answered, follow_up_of = who, None
        elif REPORTER_WORDS.search(label):
            follow_up_of, answered = answered, None
        elif HOST_WORDS.search(label) or "?" in turn.text[-150:] or "？" in turn.text[-150:]:
            answered = follow_up_of = None  # a host, or a named reporter asking: no answerer to go on with
        else:
            answered, follow_up_of = turn.label, None


def _before_end_mark(lines: list[str], styles: tuple[str, ...]) -> list[str]:
    """The lines up to a press release's end mark ("###", "-30-", "ENDS"), the rest blank so line numbers hold:
    "Media contact: …", "Share this page", "Related news" below it were read as the moderator's last words. Not when
    a speaker's label follows: a statement's "ENDS" with the questions after it."""
    # The first in the second half: a "相关链接：" block under the headline is no end.
    end = next((i for i, line in enumerate(lines) if i >= len(lines) // 2 and len(line) < 40
                and _END_MARK.fullmatch(simplified(_unbold(line.strip())))), None)  # "**相關新聞**" too
    if end is None:
        return lines
    if _WEAK_END.fullmatch(simplified(_unbold(lines[end].strip()))) and any(len(line.strip()) > 100 and ends_sentence(line.strip())
                                                       for line in lines[end + 1:]):
        return lines  # ". . . ." or "* * * * *" with an answer's paragraphs after it: an elision, a break
    if any((found := _split_label(line.strip(), styles)) and found[2] != "bold line" and found[0] != "Media contact"
           and label_ok(found[0], found[2], Counter()) for line in lines[end + 1:]):
        return lines
    return lines[:end] + [""] * (len(lines) - end)


def count_colon_labels(lines: list[str]) -> int:
    counts = _label_counts(lines, ("colon",))
    return sum(n for label, n in counts.items() if label_ok(label, "colon", counts))


def _label_counts(lines: list[str], styles: tuple[str, ...]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for line in lines:
        found = _split_label(line.strip(), styles)
        if found:
            counts[found[0]] += 1
    return counts


def _split_label(line: str, styles: tuple[str, ...]) -> tuple[str, str, str] | None:
    """(label, rest, kind) if the line opens with something shaped like a speaker label; "Question [Deutsche Welle]"
    as "Question (Deutsche Welle)", who asks in brackets."""
    found = _label_of(line, styles)
    if found and (m := _SQUARE_BRACKETS.fullmatch(found[0])) and _ROLE_WORD.fullmatch(m.group(1).strip()):
        return f"{m.group(1).strip()} ({m.group(2).strip()})", found[1], found[2]
    if found and (m := _LANGUAGE_ASIDE.search(found[0])) and m.start() > 0:
        return found[0][:m.start()], found[1], found[2]  # "Ambassador Bonnafont (France) (spoke in French)"
    return found


_LANGUAGE_ASIDE = re.compile(r"\s*[(\[](?:spoke|speaking|speaks) in [A-Za-z]+[)\]]$|\s*[(\[](?:translation|interpretation)[)\]]$",
                             re.I)


_SQUARE_BRACKETS = re.compile(r"([A-Za-z][\w .'’-]{0,20}?)\s*\[([^\[\]]{1,60})\]")


# A transcription service's export: Otter.ai's "Chief Daniel Reyes  0:31" (a name, two spaces, the time, the words on
# the lines below) and Rev's "Governor Josh Green: (00:24)".
_STAMPED = re.compile(r"^(?P<name>[A-Z][\w.'’-]*(?: [\w.'’-]+){0,5}?)\s{2,}(?P<time>\d{1,2}:\d{2}(?::\d{2})?)$")
_REST_IS_TIME = re.compile(r"^[(\[]?(\d{1,2}:\d{2}(?::\d{2})?)[)\]]?$")


def _label_of(line: str, styles: tuple[str, ...]) -> tuple[str, str, str] | None:
    if "heading" in styles and (m := HEADING.match(line)):
        text = m.group(2).strip().strip("*").strip()
        if text.endswith((":", "：")):
            return text[:-1].strip(), "", "markup"
        return None
    if "bold" in styles and (m := _BOLD_LABEL.match(line)):
        return m.group(1).strip(), m.group(2).strip(), "markup"
    if "bold" in styles and (m := _BOLD_TURN.match(line)):
        return m.group(1).strip(), m.group(2).strip(), "colon"  # "**问：《实施意见》出台的背景是什么？**"
    if "bold" in styles and (m := _BOLD_LINE.match(line)):
        return m.group(1).strip(), "", "bold line"
    if "colon" in styles and (m := _STAMPED.match(line)):
        return m["name"], m["time"], "stamped"
    if "colon" in styles and (m := _Q_MARKER.match(line)):
        return m.group(1), m.group(2).strip(), "colon"
    if "colon" in styles and (m := _DASH_LABEL.match(line)) and _dash_label_ok(m["label"]):
        # The European Parliament's verbatim report: "Christine Lagarde, President of the European Central Bank. –
        # Thank you…", "Markus Ferber (PPE). – …".
        return m["label"].strip(), m["text"].strip(), "hansard"
    if "colon" in styles and (m := HANSARD_LABEL.match(line)) and record_label(m["label"], bare_names=False):
        # Hansard's first use: "Mr. James Bezan (Selkirk—Interlake—Eastman, CPC):", "Hon. Bill Blair (Minister of
        # National Defence):", "The Chair (Hon. Judy Sgro (Humber River—Black Creek, Lib.)):"; "Hon. Bill Blair:" after.
        return m["label"].strip(), m["text"].strip(), "hansard"
    if "colon" in styles and (m := _CQ_LABEL.match(line)) and (m["party"] or m["post"]):
        # A transcription service's first use of a name: "SEN. MARIA CANTWELL (D-WASH.):", "LAUREN PIKE, ASSISTANT
        # INSPECTOR GENERAL FOR AVIATION AUDITS, U.S. DEPARTMENT OF TRANSPORTATION:" — "CANTWELL:" after.
        return (m["name"] + ("" if m["party"] else m["post"] or "")).strip(), m["text"].strip(), "cq"
    if "colon" in styles and (m := _COLON_LABEL.match(_QUESTION_NUMBER.sub("", line, count=1))):
        if "," in m.group(1) and _CONTACT.match(m.group(2)):
            return None  # "Maria Lopez, Communications Director: maria.lopez@city.gov" is a contact line
        return m.group(1).strip(), m.group(2).strip(), "colon"
    if "caps" in styles and (m := CAPS_LABEL.match(line) or RECORD_LABEL.match(line)):
        if not re.search(r"[a-z]", m.group(2)) and len(m.group(2)) > 12 and not re.search(r"[.?!\"”]$", m.group(2)):
            return None  # a heading: "OPENING STATEMENT OF HON. TERESA VANCE, A REPRESENTATIVE IN" (no sentence end)
        return m.group(1).strip(), m.group(2).strip(), "caps"
    return None


def named_elsewhere(lines: list[str], counts: Counter[str]) -> frozenset[str]:
    """In a file whose turns are labelled by names said again and again (a hearing), the capitalised words said more
    than once: a name label said once is a speaker when the chair also names them ("…we have Rob Orford…" then
    "Rob Orford: …"), not "Drug Submissions: the median review time…". Empty for other files."""
    repeated = [n for n in counts.values() if n >= 2]
    if not (len(repeated) >= 3 and sum(repeated) >= 10):
        return frozenset()
    words = Counter(re.findall(r"\b[A-Z][\w'’-]+", "\n".join(lines)))
    return frozenset(w for w, n in words.items() if n >= 2)


_ROSTER_LINE = re.compile(r"^\s*(?:members present|present|witness(?:es)?|in attendance|panel(?:lists)?|participants|"
                          r"speakers|guests)\b\s*[:：]?", re.I)


def listed(lines: list[str]) -> str:
    """The header's lists of who takes part ("Members present: Dr Sarah Wollaston (Chair); Ben Bradshaw; …",
    "Witnesses: …", or the lines under a bare "Witnesses"), as one text: a name label said once that a list names is
    a speaker, in a hearing too short for names to repeat."""
    found: list[str] = []
    for i, line in enumerate(lines[:60]):
        if m := _ROSTER_LINE.match(line):
            rest = line[m.end():].strip()
            if rest:
                found.append(rest)
                continue
            # The lines under a bare "Witnesses" or "Speakers", from the first to the blank line after them.
            below = [text.strip() for text in lines[i + 1:i + 16]]
            start = next((k for k, text in enumerate(below) if text), len(below))
            end = next((k for k in range(start, len(below)) if not below[k]), len(below))
            found.extend(below[start:end])
    return "\n".join(found)


def introduced(lines: list[str], counts: Counter[str] | None = None) -> frozenset[str]:
    """The Chinese names that bold lines of their own give (**周立新**, **主持人 黎思远**) and that the file
    introduces as people — after a title ("…副局长周立新", "新闻发言人 黎思远") or before an honorific ("周立新先生"):
    a speaker said once as a label, where a bold subheading ("**冰雪经济**", "**数据来源**") is not."""
    names = {m.group(1).split()[-1] for line in lines if (m := _BOLD_LINE.match(line.strip())) and has_cjk(m.group(1))}
    names |= set(counts or ())  # and "周雅琴：", a guest official who answers once
    names = {n for n in names if 2 <= len(n) <= 4 and all(has_cjk(c) for c in n)}
    if not names:
        return frozenset()
    text = "\n".join(lines)
    said: set[str] = set()  # one pass over the file: every 2-4 characters after a title or before an honorific
    for m in _AFTER_TITLE.finditer(text):
        said.update(m.group(1)[:k] for k in (2, 3, 4))
    for m in _BEFORE_HONORIFIC.finditer(text):
        said.update(m.group(1)[-k:] for k in (2, 3, 4))
    return frozenset(names & said)


_AFTER_TITLE = re.compile("(?:" + "|".join(map(re.escape, TITLE_WORDS_ZH)) + r")\s?([\u4e00-\u9fff]{2,4})")
_BEFORE_HONORIFIC = re.compile(r"([\u4e00-\u9fff]{2,4})(?:先生|女士|同志)")
# How an English bold line of its own names a role: "**Moderator**", "**Reporter (BBC)**" — not "**Questions and
# Answers**" or "**Audience figures**".
_EN_ROLE_LINE = re.compile(r"(?i)^(?:the\s+)?(?:moderator|host|mc|reporter|journalist|chair(?:man|woman|person)?)\b")


def _bold_line_ok(label: str, counts: Counter[str], people: frozenset[str]) -> bool:
    """A bold line is a label only as a speaker: any bold line of its own could be a subheading."""
    words = label.split()
    if has_cjk(label):
        if label.endswith("记者") and len(label) <= 20 or words[0].startswith("主持") or label in ("问", "提问", "追问"):
            return True
        return words[-1] in people or (counts[label] >= 2 and 2 <= len(label) <= 3)
    if not label_ok(re.sub(r"\s*\([^()]{1,30}\)$", "", label), "colon", counts) or len(words) > 5:
        return False  # "Reporter (BBC)": the outlet in brackets is no part of the label's shape
    titled = any(label.startswith(t + " ") for t in TITLE_WORDS_EN if t != "General") and len(words) >= 2
    return bool(_EN_ROLE_LINE.match(label)) and len(words) <= 4 or titled or counts[label] >= 2 \
        or bool(EN_HONORIFICS.match(label + " "))


def label_ok(label: str, kind: str, counts: Counter[str], *, named_twice: frozenset[str] = frozenset(),
             cased: frozenset[str] = frozenset(), people: frozenset[str] = frozenset(), numbered: bool = False,
             roster: str = "") -> bool:
    """Whether a line's opening is a speaker label. named_twice: for a hearing, the capitalised words said more than
    once (named_elsewhere); cased: the words the file writes as names (Capitalised, not in capitals); people: the
    Chinese names it introduces (introduced); numbered: the line opens with a hearing's question number ("Q2 Ben
    Bradshaw: …"), which only a speaker's name follows; roster: the header's lists of who takes part (listed)."""
    if kind == "hansard":
        return True  # a post ("The Chair", "The Cabinet Secretary for …"), an honorific or a rank before a name, or a
        # member's seat and party, and who they are in brackets: _split_label checked it (record_label)
    if kind == "stamped":
        return counts[label] >= 2 or len(label.split()) >= 2  # its shape says so, a name said once has two words
    if kind == "colon" and re.fullmatch(r"(?:Speaker|Unknown Speaker|Participant) \d{1,2}", label):
        return True  # a transcription service's unnamed voices: "Speaker 2:"
    if kind == "colon" and "," in label and not has_cjk(label):
        # "Shri Randhir Jaiswal, Official Spokesperson:", "Official Spokesperson, Shri Randhir Jaiswal:": one part a
        # post, the other a name (not "Thank you, Madam Chair:" nor "On Canada, as you know:").
        parts = [p.strip() for p in label.split(",")]
        if len(parts) == 2 and not parts[1].lower().startswith(("the ", "mr", "madam", "dear")) \
                and (_post_shaped(parts[1]) and _name_shaped(parts[0])
                                or _post_shaped(parts[0]) and _name_shaped(parts[1], surname=len(parts[0].split()) >= 2)):
            return True
    if kind == "markup" and "(" in label and record_label(label) is not None:
        return True  # in bold, a bare name and a body too: "**Neil Ferrier (Scottish Government):**"
    if kind == "cq":
        # Its shape says so — a name in capitals with a party and state or a post — if the name is a name and the
        # post a post: not "AND SO, TO BE CLEAR ABOUT THIS:".
        name, _, post = label.partition(",")
        return not _SMALL_CAPS_WORDS & set(name.upper().replace(".", " ").split()) \
            and (not post or bool(EN_POST_HEAD.search(post.title())))
    if kind == "markup" and label and not has_cjk(label) and len(label) <= 60:
        # A bold label may carry the outlet or the post: "Journalist (Paul Geraghty, RTÉ News):", "Minister for
        # Health, Aoife Brennan TD:", "Dr Tomás Keane, Chief Medical Officer:" — each part shaped like a label.
        core = re.sub(r"\s*\([^()]{1,50}\)$", "", label)
        parts = [p.strip() for p in core.split(",")] if core != label or "," in core else []
        if parts and len(parts) <= 2 and all(p and label_ok(p, "markup", counts) for p in parts):
            return True
    if kind == "colon" and not has_cjk(label) and (core := re.sub(r"\s*\([^()]{2,40}\)$", "", label)) != label \
            and len(core.split()) >= 2 and any(core.startswith(t + " ") for t in TITLE_WORDS_EN) \
            and label_ok(core, kind, counts):
        return True  # a post, a name and a country or body in brackets: "Ambassador Linda Thomas-Greenfield (United States)"
    if kind == "colon" and (m := _ROLE_BRACKETS.match(label)) and not has_cjk(label) \
            and _ROLE_WORD.fullmatch(m.group(1).strip()) and re.search(r"\b[A-Z][a-z]|\b[A-Z]{2,6}\b", m.group(2)):
        return True
    if kind == "colon" and wrapped_who(label):
        return True  # "问（21世纪经济报道记者）", "答（国家能源局…司司长 刘建国）": who the brackets name
    if re.fullmatch(r"[\w·]{2,20}记者(?:[（(][^（）()]{1,6}[）)])?", simplified(label)) and has_cjk(label):
        return True  # an outlet's reporter, digits and all: "21世纪经济报道记者", "36氪记者", "TDM記者（葡文）"
    slashed = kind == "colon" and bool(_NAME_SLASH_OUTLET.fullmatch(label)) \
        and not _HEADER_WORDS.search(label.partition("/")[0])
    if not label or _NOT_IN_LABEL.search(label) and not slashed or _ENUMERATOR.match(simplified(label)):
        return False
    if slashed:
        return True  # the Palace's reporters: "MARICEL HALILI/TV5:", "CHONA YU/RADYO 630:" (not "SUBJECT MATTER/…:")
    if kind == "colon" and 3 <= len(label.split()) <= 8 and all(map(_EN_LABEL_WORD.match, label.split())) \
            and _full_at_first_use(label, counts):
        return True
    if kind == "markup" and not has_cjk(label) and len(label) <= 70 and 3 <= len(label.split()) <= 9 \
            and all(map(_EN_LABEL_WORD.match, label.split())) and EN_POST_HEAD.search(label) \
            and not EN_POST_HEAD.search(label.split()[-1]) and not _EVENT.search(label):
        return True  # in bold, a post and a name: "**Minister for Foreign Affairs Dr Vivian Balakrishnan:**" (not
        # "**Opening Remarks of the Deputy Secretary-General:**")
    if len(label) > 40:
        return False
    plain = simplified(label)  # 記者, 局長 as 记者, 局长
    role_word = bool(REPORTER_WORDS.search(plain) or HOST_WORDS.search(plain) or ANSWER_WORDS.search(plain))
    if kind == "caps":
        return " " in label or counts[label] >= 2
    if kind == "bold line":
        return _bold_line_ok(label, counts, people)
    if has_cjk(label):
        if kind == "markup":
            return True
        # (委员 of a 委员会 is the body's; a contact line's "…地址：" is no one)
        titled = any(t in plain.replace("委员会", "") for t in TITLE_WORDS_ZH) and not _CONTACT_FIELD.search(plain)
        return role_word or titled or (counts[label] >= 2 and len(label) <= 12) or label in people
    words = label.split()
    if not 1 <= len(words) <= 5 or not all(_EN_LABEL_WORD.match(w) for w in words):
        return False
    titled = any(label == t or label.startswith((t + " ", t + "-")) for t in TITLE_WORDS_EN)
    if not titled and label.isupper():  # "SECRETARY ROLLINS:" as whitehouse.gov writes it; not "GENERAL NOTE:"
        cased = label.title()
        titled = any(cased.startswith(t + " ") for t in TITLE_WORDS_EN if t != "General") and len(words) >= 2
        # "DEPUTY GOVERNOR ANAND:", "CHIEF ECONOMIST FERREIRA:" said once: a post's head word opens it, and a name
        # the file also writes as a name ("… Rajiv Anand") ends it — not "CHIEF EXECUTIVE SUMMARY:".
        titled = titled or (len(words) >= 3 and bool(EN_POST_HEAD.fullmatch(words[0].title()))
                            and not EN_POST_HEAD.fullmatch(words[-1].title()) and words[-1].title() in cased)
    # "Hon. Seamus O'Regan:" or "Huw Irranca-Davies AM:" said once is a speaker too (a minister answering once).
    styled = len(words) >= 2 and bool(EN_HONORIFICS.match(label + " ") or EN_NAME_SUFFIXES.search(label))
    # A surname alone ("REINHOLD:") the header's list gives as a name ("DR. REINHOLD (Federal Ministry of the
    # Interior)"), not as a list's own label ("II: Rachel Whitfield MP, …").
    named = 2 <= len(words) <= 3 and all(w[0].isupper() for w in words) \
        and (words[-1] in named_twice or bool(roster) and re.search(rf"(?<![\w-]){re.escape(label)}(?![\w-])", roster)) \
        or len(words) == 1 and len(label) >= 3 and label[0].isupper() and not EN_POST_HEAD.search(label.title()) \
        and label.lower() in _roster_names(roster)
    numbered = numbered and (len(words) >= 2 or role_word)  # "Q14 Tom Atherton:", "Q12 Chair:" — not "Q2 Review:"
    return role_word or titled or styled or named or numbered or counts[label] >= 2 or kind == "markup"


_NAME_SLASH_OUTLET = re.compile(r"[A-Z][A-Z'’.-]+(?: [A-Z][A-Z'’.-]+){1,3}/[A-Z0-9][\w .&'’-]{1,30}")
# Labels of who speaks whatever follows them: a role, an honorific, a post's head.
_SPEAKS_LABEL = re.compile(r"(?i)\b(?:moderator|host|chair(?:man|woman|person)?|operator|reporter|journalist|question|q|"
                           r"answer|mr|mrs|ms|dr|prof|minister|secretary|president|governor|mayor|ambassador|spokes\w+|"
                           r"director|commissioner|senator|rep|sen|premier|chancellor)\b")
_HEADER_WORDS = re.compile(r"(?i)\b(?:venue|subject|matter|date|time|room|topic|place|location|title|briefing)\b")
_NAME_PARTICLES = frozenset("de da di du del della der den van von le la al el bin ben ibn".split())
_CONTACT_FIELD = re.compile(r"(?:地址|电话|传真|电邮|邮编|网址|邮箱)$")
_CONTACT = re.compile(r"\S+@\S+\.\w|https?://|www\.|\+?\(?\d[\d\s().-]{6,}$")
_DASH_LABEL = re.compile(r"^(?P<label>[A-Z][^.:：–—\n]{2,110}?)\.[ \t]+[–—][ \t]+(?P<text>\S.*)$")
_EP_GROUP = re.compile(r"\((?:PPE|EPP|S&D|Renew|Verts/ALE|Greens/EFA|ECR|ID|PfE|ESN|The Left|GUE/NGL|NI)\)$")


def _dash_label_ok(label: str) -> bool:
    """A name and a post ("Irene Tinagli, Chair of the Committee on Economic and Monetary Affairs") or a name and a
    political group ("Jonás Fernández (S&D)") before ". –"."""
    if _EP_GROUP.search(label):
        return _name_shaped(_EP_GROUP.sub("", label).strip())
    name, _, post = (p.strip() for p in label.partition(","))
    return bool(post) and _name_shaped(name) and bool(EN_POST_HEAD.search(post)) and len(post.split()) <= 14


def _post_shaped(text: str) -> bool:
    """'Official Spokesperson', 'DEPUTY SPOKESPERSON OF THE FEDERAL MINISTRY OF THE INTERIOR': a post's head among one
    to twelve capitalised words."""
    words = text.split()
    return 1 <= len(words) <= 12 and all(w[:1].isupper() or w in ("of", "for", "and", "the") for w in words) \
        and bool(EN_POST_HEAD.search(cased(text)))


def _name_shaped(text: str, *, surname: bool = False) -> bool:
    """'Shri Randhir Jaiswal', 'Dr. Anna Brandt': an honorific or not, then two to four capitalised words — or
    (surname) one, as a post before it names the holder ("…, DR. BRANDT", "…, WEIDNER"). Not "Good Morning", "Thank
    You", "Last Tuesday"."""
    words = EN_HONORIFICS.sub("", text).split()
    return (1 if surname else 2) <= len(words) <= 4 and all(re.fullmatch(r"[A-Z][\w'’.-]*", w) for w in words) \
        and not EN_POST_HEAD.search(cased(text)) and not _NOT_NAME_WORDS & {w.lower().strip(".") for w in words}


_NOT_NAME_WORDS = frozenset("""good morning afternoon evening thank thanks you hello hi dear last next this first madam
sir monday tuesday wednesday thursday friday saturday sunday today yesterday again also and the""".split())


@lru_cache(maxsize=64)  # one header's list, asked of every one-word label
def _roster_names(roster: str) -> frozenset[str]:
    """The words of the names a header's list gives, not of their bodies: "DR. KLEIN (Federal Ministry for Housing,
    …)" gives 'dr.' and 'klein', not 'housing'; "II: Rachel Whitfield MP, …" gives nothing of "II"."""
    names: set[str] = set()
    for entry in re.split(r"[;\n]", re.sub(r"\([^()]*\)", " ", roster)):
        # each part of "Minister for Climate, Jane Duffy" or "Jane Duffy, Minister for Climate" but the post's
        for part in re.split(r",", re.sub(r"^\s*[^:：\s]{1,12}[:：]\s*", "", entry)):
            if not EN_POST_HEAD.search(part.title()) and not _BODY_WORDS.search(part):
                names.update(w.lower().strip(".,") for w in part.split())
    return frozenset(names)


_BODY_WORDS = re.compile(r"(?i)\b(?:department|ministry|office|agency|authority|council|committee|bank|university|institute|"
                         r"federal|government|service|board|commission|bureau)\b")


def _full_at_first_use(label: str, counts: Counter[str]) -> bool:
    """"Police Commissioner Rebecca Tran:" or "Deputy Mayor for Public Safety Marcus Bell:" once, then "Commissioner
    Tran:" / "Deputy Mayor Bell:": a post and a full name at first use, the post's head and the surname after."""
    words = re.sub(r"\s+(?:I{2,3}|IV|Jr\.?|Sr\.?)$", "", label).split()  # "… Philip Banks III"
    if not EN_POST_HEAD.search(label) or EN_POST_HEAD.fullmatch(words[-1]) or not re.fullmatch(r"[A-Z][a-z][\w'’-]*", words[-1]):
        return False
    # A surname before a hyphenated given name: "Presidential Spokesperson Kang Yu-jung" then "Spokesperson Kang".
    surnames = {words[-1], words[-2]} if HYPHENATED_GIVEN.fullmatch(words[-1]) else {words[-1]}
    return any(other != label and other.split()[-1] in surnames and len(other.split()) >= 2
               and (EN_POST_HEAD.search(other) or other.split()[0].isupper()) and not EN_POST_HEAD.fullmatch(other.split()[-1])
               for other in counts)


def _addendum_by(text: str, counts: Counter[str]) -> str | None:
    """Who an addendum is from: the speaker whose label its text opens with ("DR. BRANDT (…) has informed us", with
    "BRANDT:" the label), as the text writes them."""
    m = _LEADING_NAME.match(text)
    words = m.group().split() if m else []
    labels = {label.lower() for label in counts}
    for n in range(len(words), 0, -1):
        name = " ".join(words[:n])
        if (name.lower() in labels or EN_HONORIFICS.sub("", name).lower() in labels) \
                and not REPORTER_WORDS.search(name) and not HOST_WORDS.search(name):
            return name  # an official's, never "Question" or "Moderator"
    return None


def _initials_said_once(label: str, counts: Counter[str], before: str) -> bool:
    """"HM:" said once, in a file whose speakers go by initials ("CL:", "TAG:", "MK:" again and again), right after a
    paragraph naming someone of those initials: a reporter called on ("…goes to Helen Marsh from Reuters")."""
    if not re.fullmatch(r"[A-Z]{2,3}", label) or not any(
            "".join(w[0] for w in m.group().split()) == label
            for m in re.finditer(r"\b[A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*){1,2}", before)):
        return False
    others = [n for other, n in counts.items() if other != label and re.fullmatch(r"[A-Z]{2,4}", other) and n >= 2]
    return len(others) >= 2 and sum(others) >= 6


def _paragraphs(lines: list[str], styles: tuple[str, ...], counts: Counter[str]) -> list[_Para]:
    nonblank = sum(1 for line in lines if line.strip())
    blank_separated = sum(1 for line in lines if not line.strip()) * 4 >= nonblank
    # Running page headers repeat with only the page number changing, and end no sentence: a closing line said
    # three times ("以上就是相关情况，谢谢！") is speech and stays.
    shapes = Counter(_DIGITS.sub("#", line.strip()) for line in lines)
    # A running header with its page number is one twice: odd and even pages print it two ways ("Page 12 Senate
    # Tuesday, 3 November 2026", "Tuesday, 3 November 2026 Senate Page 13").
    repeated = {s for s, n in shapes.items()
                if (n >= 3 or n >= 2 and re.search(r"(?i)\bpage #", s)) and len(s) >= 12 and not _split_label(s, styles)
                and not re.search(r"[。！？!?]\W*$", s)}
    named_twice = named_elsewhere(lines, counts)
    people = introduced(lines, counts)
    roster = listed(lines)
    cased = frozenset(re.findall(r"\b[A-Z][a-z][\w'’-]*", "\n".join(lines)))
    paras: list[_Para] = []
    current: _Para | None = None
    last_time: str | None = None

    def flush() -> None:
        nonlocal current
        if current is not None and current.lines:
            paras.append(current)
        current = None

    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped:
            flush()
            continue
        if TIMESTAMP.match(stripped) or TIMESTAMP.match(_unbold(stripped)) \
                or re.fullmatch(r"\d{1,2}:\d{2}", _unbold(stripped)):  # "00:09:12", "**10:02**": a record's clock
            flush()
            last_time = _unbold(stripped)
            continue
        if NOISE.match(stripped) or NOISE.match(_clean(stripped)) or PANEL.match(stripped) \
                or _DIGITS.sub("#", stripped) in repeated:
            flush()
            continue
        if PROCEDURE.fullmatch(_INLINE_MARKUP.sub("", stripped).strip()):
            flush()
            paras.append(_Para([(number, stripped)], heading=True, time=last_time, procedural=True))
            continue
        found = _split_label(stripped, styles)
        if found and found[2] == "caps" and not CAPS_LABEL.match(stripped) and number >= 2 \
                and lines[number - 2].strip() and not ends_sentence(lines[number - 2].strip()):
            found = None  # a hard-wrapped line that starts "Mr. Okafor. …" mid-sentence goes on with the turn
        if found and found[0][:1].islower() and number >= 2 and lines[number - 2].strip() \
                and not ends_sentence(lines[number - 2].strip()) and found[0].split()[0] not in _NAME_PARTICLES:
            found = None  # "…and may it please" / "the Court: On the morning…": a wrapped sentence (not "de Villiers:")
        if found and _HEADER_ROSTER.fullmatch(found[0]) and (m := _NAME_AND_POST.match(found[1])) \
                and (EN_POST_HEAD.search(found[1][m.end() - 1:][:60]) or _BODY_WORDS.search(found[1][m.end() - 1:][:60])) \
                and not any(p.label for p in paras) and (current is None or current.label is None):
            found = None  # above the first turn, "Speaker: Julie Kozack, Director, Communications Department, IMF"
        if found and found[2] == "colon" and counts[found[0]] == 1 and not any(p.label for p in paras) \
                and found[1] and not ends_sentence(found[1]) and len(found[1]) < 200 and len(found[1].split()) >= 5 \
                and not has_cjk(found[0]) and not _SPEAKS_LABEL.search(found[0]) \
                and (number == len(lines) or not lines[number].strip()):
            found = None  # a headline above the first turn: "Security Council Stakeout: Ambassadors speak to the press…"
            # (not "MODERATOR: Good afternoon everyone" without its full stop)
        numbered = "colon" in styles and bool(_QUESTION_NUMBER.match(stripped))
        if found and (label_ok(found[0], found[2], counts, named_twice=named_twice, cased=cased, people=people,
                               numbered=numbered, roster=roster)
                      or found[2] == "colon" and _initials_said_once(
                          found[0], counts, (current or (paras[-1] if paras else _Para())).raw)):
            label, rest, _ = found
            flush()
            if rest and NOISE.match(rest):
                rest = ""  # "Question: [Crosstalk]", "Mayor Lee: [Laughter]": the note is no one's words, the label stands
            rest = _INTERPRETED.sub("", rest)  # "Secretary Lee: (Interpretation) As you know…": the words, not the note
            if m := _REST_IS_TIME.match(rest):
                rest, last_time = "", m.group(1)  # "Governor Josh Green: (00:24)", "Sarah Kim  0:02": the time, then the words
            if _ADDENDUM.match(label) and (named := _addendum_by(rest, counts)):
                paras.append(_Para([(number, stripped)], heading=True, time=last_time, procedural=True))
                label = named
            current = _Para([(number, rest)] if rest else [(number, "")], label=label, label_only=not rest, time=last_time,
                            numbered=numbered)
            if not rest:
                flush()
            continue
        if (_PART_TITLE_ZH.fullmatch(stripped) or _SECTION_MARK.fullmatch(stripped)) and not found:
            flush()  # "二、专题新闻发布会答问实录": a release's part, not the last answer's last line
            paras.append(_Para([(number, stripped)], heading=True, time=last_time))
            continue
        if "heading" in styles and (m := HEADING.match(stripped)):
            flush()
            paras.append(_Para([(number, m.group(2).strip())], heading=True, time=last_time))
            continue
        continues = current is not None and (blank_separated or not ends_sentence(current.lines[-1][1]))
        if current is not None and continues and _language(stripped) == _language(current.lines[-1][1]):
            current.lines.append((number, stripped))
        else:
            flush()
            current = _Para([(number, stripped)], time=last_time)
    flush()
    return paras


# A header's field: "時間：中華民國115年3月5日", "地点：…", "Date: …" — a line of its own, not a broken sentence's end.
_FIELD = re.compile(r"(?:[\u4e00-\u9fff]{2,4}|[A-Z][a-z]{2,11})[:：]\s*\S")


# … or a date on its own line, under the title: "March 5, 2026", "Monday, 16 March 2026", "2026年3月5日".
_BARE_DATE = re.compile(r"(?i)(?:[A-Z][a-z]+day,?\s+)?(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+\d{4})"
                        r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")


def _whole_bold(raw: str) -> bool:
    return raw.startswith("**") and raw.endswith("**") and raw.count("**") == 2 and len(raw) > 4


def _clean(raw: str) -> str:
    return _INLINE_MARKUP.sub(lambda m: m.group(1) or "", raw).strip()


def _mend_page_breaks(paras: list[_Para]) -> list[_Para]:
    """A paragraph that stops mid-sentence continues in the next plain paragraph (a page break split it)."""
    mended: list[_Para] = []
    for para in paras:
        prev = mended[-1] if mended else None
        if (
            prev is not None
            and not prev.heading
            and not prev.label_only
            and not para.heading
            and not para.label_only
            and para.label is None
            and not ends_sentence(_clean(prev.raw))
            and not re.search(r"(谢谢|thanks|thank you)\W*$", _clean(prev.raw), re.I)
            and not (_whole_bold(para.raw) and not _whole_bold(prev.raw))
            and not _FIELD.match(_clean(para.raw)) and not _BARE_DATE.fullmatch(_clean(para.raw))
        ):
            last_line = prev.lines[-1]
            prev.lines[-1] = (last_line[0], last_line[1].rstrip())
            prev.lines.extend(para.lines)
            continue
        mended.append(para)
    return mended


def _title(paras: list[_Para]) -> str | None:
    headings: list[str] = []
    # Not a page's skip link or its navigation bar ("[Skip to main content](#main)", "[NYC.gov](…) | … | [News](…)").
    paras = [p for p in paras if not p.procedural
             and not (p.label is None and (_NAVIGATION.fullmatch(p.raw.strip()) or p.raw.count("](") >= 2))]
    for para in paras:
        if not para.heading:
            break
        headings.append(_clean(para.raw))
    if headings:
        first, rest = headings[0], headings[1:]
        if not rest:
            return first
        glue = "" if has_cjk(first) else " "
        return first + ("：" if has_cjk(first) else ": ") + glue.join(rest)
    first = next((p for p in paras if not p.label_only), None)
    if first is None or first.label is not None:
        return None
    if len(first.raw) <= 80 and not _ends_sentence(first.raw):
        # A body's name above the event's ("EUROPEAN PARLIAMENT", then "MONETARY DIALOGUE WITH CHRISTINE LAGARDE, …"
        # a few paragraphs down): the event names the transcript.
        # Only over a body's name (in capitals, or a few words with no figure or colon), and never a section's heading.
        body = _clean(first.lines[0][1])
        if (body.isupper() or len(body.split()) <= 4 and not re.search(r"[\d:：]", body)) and not _EVENT.search(body):
            header = list(itertools.takewhile(lambda p: p.label is None, paras[paras.index(first):][:6]))
            below = [_clean(line) for _, line in first.lines[1:]] + [_clean(p.raw) for p in header[1:]]
            event = next((line for line in below if _EVENT.search(line) and len(line) <= 160 and not _ends_sentence(line)
                          and not _NOTICE.match(line) and not _BARE_TRANSCRIPT.fullmatch(line)
                          and not _SECTION_HEADING.match(line)), None)
            if event is not None:
                return event
        return _clean(first.raw)
    # A header of several lines run together ("THE WHITE HOUSE / Office of the Press Secretary / Press Briefing by
    # …"): the line that says what the event was, else the first line when it is title-sized.
    lines = [_clean(line) for _, line in first.lines[:8]]
    at = next((i for i, line in enumerate(lines) if _EVENT.search(line) and len(line) <= 160 and not ends_sentence(line)
               and not _NOTICE.match(line) and not _BARE_TRANSCRIPT.fullmatch(line)
               and not re.match(r"(?i)(?:interviews?|guests?|speakers?|with)\s*:", line)), None)
    # not 'PLEASE NOTE: "…" MUST BE CREDITED IF … TRANSCRIPT IS USED' nor "INTERVIEW: SARAH MITCHELL MP, …", nor a
    # bare "TRANSCRIPT" / "VERBATIM TRANSCRIPT" above the event's name
    if at is not None:
        named, after = lines[at], lines[at + 1] if at + 1 < len(lines) else ""
        if len(named.split()) <= 3 and after and len(after) <= 60 and not re.search(r"\d", after) \
                and not _EVENT.search(after) and not ends_sentence(after) \
                and not re.match(r"(?i)(?:before|of|by|at|in|on|to|with|for|the|and|from)\b", after):
            return f"{named}, {after}"  # "PRESS CONFERENCE" / "PARLIAMENT HOUSE, CANBERRA"
        return named
    return lines[0] if lines and len(lines[0]) <= 120 and not _ends_sentence(lines[0]) else None


def _ends_sentence(line: str) -> bool:
    """ends_sentence, but for a title's aside in brackets: "国防部例行记者会（2026年3月26日）" and "…答問內容（附短片）"
    end no sentence."""
    return ends_sentence(re.sub(r"\s*[（(][^（）().!?。！？]{1,30}[）)]\s*$", "", line) or line)


def _turns(paras: list[_Para]) -> list[Turn]:
    turns: list[Turn] = []
    pending_label: str | None = None
    section = False
    for i, para in enumerate(paras):
        if para.heading or _heading_above(para, paras[i + 1] if i + 1 < len(paras) else None):
            pending_label = None
            section = True
            continue
        if para.label_only:
            pending_label = para.label
            continue
        raw = para.raw
        text = _clean(raw)
        if not text:
            continue
        turns.append(
            Turn(
                text=text,
                line_start=para.lines[0][0],
                line_end=para.lines[-1][0],
                label=para.label or pending_label,
                bold=_whole_bold(raw),
                time=para.time,
                numbered=para.numbered,
                section=section,
            )
        )
        pending_label = None
        section = False
    return turns


def _unbold(line: str) -> str:
    """"**【答记者问】**" → "【答记者问】": a line in bold as its plain words."""
    m = re.fullmatch(r"\*\*(.+?)\*\*", line)
    return m.group(1).strip() if m else line


def _heading_above(para: _Para, following: _Para | None) -> bool:
    """A short line with no label and no sentence end, right above a labelled turn, that is bold or (in Chinese) a
    topic: a heading between parts ("**Briefing by the Under-Secretary-General for Management Strategy**" over "Ms.
    Pollard: …", "关于中外联演" over "记者：…"). Above unlabelled paragraphs it is an answer's own subheading
    ("**冰雪经济**") and stays its text."""
    if para.label or following is None or not following.label or following.label_only:
        return False
    text = _clean(para.raw)
    if not 0 < len(text) <= 150 or "\n" in text or ends_sentence(text):
        return False
    return _whole_bold(para.raw) or bool(_TOPIC_ZH.fullmatch(text))


# A Chinese briefing's topic line between exchanges: "关于中外联演", "关于台湾问题".
_TOPIC_ZH = re.compile(r"关于[^，。？！：；、,.?!:;]{2,28}")


def _merge_continuations(turns: list[Turn]) -> list[Turn]:
    """In fully labelled formats an unlabelled paragraph continues the turn above it."""
    merged: list[Turn] = []
    for turn in turns:
        if turn.label is None and merged and merged[-1].label is not None:
            prev = merged[-1]
            prev.text = prev.text + "\n" + turn.text
            prev.line_end = turn.line_end
            continue
        merged.append(turn)
    return merged


def _language(text: str) -> str:
    letters = [c for c in text if c.isalpha()]
    cjk = sum(1 for c in letters if has_cjk(c))
    return "zh" if letters and cjk / len(letters) > 0.3 else "en"


def _pair_translations(turns: list[Turn]) -> list[Turn]:
    """Bilingual transcripts follow each turn with its translation: keep both texts in one turn, under the first label."""
    if len(turns) < 4:
        return turns
    langs = [_language(t.text) for t in turns]
    switches = sum(1 for a, b in zip(langs, langs[1:]) if a != b)
    if switches < 0.6 * (len(turns) - 1):
        return turns
    paired: list[Turn] = []
    i = 0
    while i < len(turns):
        turn = turns[i]
        following = turns[i + 1] if i + 1 < len(turns) else None
        if following is not None and langs[i + 1] != langs[i] and (
            following.label is None or (turn.label is not None and following.label != turn.label)
        ):
            translation = turns[i + 1]
            text = translation.text
            if translation.label is None and (m := _COLON_LABEL.match(text)) and not _NOT_IN_LABEL.search(m.group(1)):
                text = m.group(2)
            turn.text = turn.text + "\n" + text
            turn.line_end = translation.line_end
            turn.label = turn.label or translation.label
            i += 2
        else:
            i += 1
        paired.append(turn)
    return paired
