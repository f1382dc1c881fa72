"""Who is on stage: speakers parsed from labels and from the host's introduction, with titles and organisations."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from qa.lexicon import (
    EN_HONORIFICS, EN_POST_HEAD, HONORIFICS_ZH, HOST_WORDS, REPORTER_WORDS, TITLE_WORDS_EN, TITLE_WORDS_ZH, cased, has_cjk, normalize,
    organization_names, record_label, simplified, titled, NAME_WORDS, PARTIES, SURNAMES_ZH, wrapped_who,
)

ROLES = ("host", "official", "reporter", "unknown")


@dataclass(frozen=True)
class Speaker:
    name: str
    title: str = ""
    organization: str = ""
    role: str = "official"

    @property
    def post(self) -> str:
        """金融监管总局法规司负责人, 'Chief Executive, Environment Agency': the title with its body."""
        return f"{self.organization}{self.title}" if has_cjk(self.organization + self.title) else ", ".join(
            p for p in (self.title, self.organization) if p)

    @property
    def display(self) -> str:
        """金融监管总局法规司负责人 杜墨 — how the briefing itself introduces a speaker."""
        head = self.post
        if not head or head == self.name or self.name.startswith(head + " "):  # "Chair Powell", not "… (Chair)"
            return self.name
        return f"{head} {self.name}" if has_cjk(head) else f"{self.name} ({head})"

    def to_dict(self) -> dict[str, str]:
        return {"name": self.name, "title": self.title, "organization": self.organization, "role": self.role}


@dataclass
class Roster:
    speakers: list[Speaker] = field(default_factory=list)
    lead: Speaker | None = None
    # A label's name → the speaker's full name, where the label gave only a post ("Treasurer" → "Treasurer Daniel
    # Okafor", named by the header): turns keep finding their speaker by label.
    aliases: dict[str, str] = field(default_factory=dict)

    def find(self, name: str) -> Speaker | None:
        name = self.aliases.get(name, name)
        return next((s for s in self.speakers if s.name == name), None)

    def add(self, speaker: Speaker) -> Speaker:
        """Merge with a known speaker of the same name: keep the richer title and organisation."""
        known = self.find(speaker.name)
        if known is None:
            self.speakers.append(speaker)
            return speaker
        merged = replace(
            known,
            title=known.title or speaker.title,
            organization=known.organization or speaker.organization,
            role=known.role if known.role != "unknown" else speaker.role,
        )
        self.speakers[self.speakers.index(known)] = merged
        if self.lead is known:
            self.lead = merged
        return merged

    def set_role(self, name: str, role: str) -> None:
        known = self.find(name)
        if known is not None and known.role != role:
            self.update(known, role=role)

    def update(self, speaker: Speaker, **changes: str) -> None:
        """Replace a speaker of the roster with a copy that has these fields changed (the lead stays the lead); a new
        name keeps the old one as an alias."""
        updated = replace(speaker, **changes)
        if updated.name != speaker.name:
            self._rename(speaker.name, updated.name)
        self.speakers[self.speakers.index(speaker)] = updated
        if self.lead is speaker:
            self.lead = updated

    def merge(self, speaker: Speaker, *, into: Speaker) -> None:
        """Drop a speaker who is another under a second label ("PRIME MINISTER:" beside "PRIME MINISTER SARAH
        WHITLOCK:"): the label stays an alias, the lead passes on."""
        self._rename(speaker.name, into.name)
        self.speakers.remove(speaker)
        if self.lead is speaker:
            self.lead = into

    def _rename(self, old: str, new: str) -> None:
        self.aliases[old] = new
        self.aliases.update({label: new for label, name in self.aliases.items() if name == old})

    @property
    def officials(self) -> list[Speaker]:
        return [s for s in self.speakers if s.role == "official"]

    def mentioned_in(self, text: str) -> list[Speaker]:
        """Officials named in text by full name or by surname + title (韩爱朋司长, 韩司长)."""
        found = []
        for s in self.officials:
            short = surname_title(s)
            if s.name in text or (short and short in text):
                found.append(s)
        return found


def label_post(s: Speaker) -> str | None:
    """The post a label gave before the name ('Treasurer' of "Treasurer Daniel Okafor", 'Chair' of "Chair Powell")."""
    return s.title if s.title and not has_cjk(s.name) and s.name.startswith(s.title + " ") else None


def sole_post_holders(speakers: list[Speaker], others: list[Speaker] = ()) -> dict[str, str]:
    """'the treasurer' → "Treasurer Daniel Okafor": the post a label gave, as a question names its holder, where no
    one else of these speakers or the others (the index's whole roster: hosts too) holds a post of that word — a
    deputy treasurer, a hearing's "The Chair:" — so neither "the chair" of a hearing nor "the committee chair" names
    Chair Powell."""
    people = {s.name: s for s in [*others, *speakers]}
    holders: dict[str, str] = {}
    for s in speakers:
        for post in {p for p in (label_post(s), header_post(s)) if p}:
            # A deputy governor holds no post of "governor": the governor is the one the Governor is.
            word = re.compile(rf"(?<!deputy )(?<!vice )(?<!vice-)(?<!assistant )(?<!shadow )\b{re.escape(post.lower())}\b")
            if not any(o.name != s.name and word.search(f"{o.title} {o.name}".lower()) for o in people.values()):
                holders[f"the {post.lower()}"] = s.name
    return holders


def header_post(s: Speaker) -> str | None:
    """The post of an English title the header gave, without what it is of or for: 'Minister' of "Minister of State
    for Rail, Department for Transport", 'Chief Executive' of "Chief Executive, Environment Agency"."""
    if not s.title or has_cjk(s.title + s.name):
        return None
    head = re.split(r",|\s+(?:of|for|to|on|at)\s+", s.title, maxsplit=1)[0].strip()
    return head if 1 <= len(head.split()) <= 3 and EN_POST_HEAD.search(head) else None


def surname_title(s: Speaker) -> str | None:
    if not has_cjk(s.name) or not s.title:
        return None
    last_title = next((t for t in TITLE_WORDS_ZH if s.title.endswith(t)), None)
    return s.name[0] + last_title if last_title else None


# Words that open a post and are no name: "Deputy Governor Anand" is the post and a surname, "Professor Jean White"
# an honorific and a full name.
_POST_MODIFIERS = frozenset({"Deputy", "Chief", "Vice", "Acting", "Assistant", "Associate", "Senior", "Principal"})
_POST_NOUNS = frozenset({"Economist", "Justice", "Scientist", "Statistician", "Constable", "Whip", "Spokesperson"})


def _run_on(words: list[str], head: int) -> int | None:
    """Where a post whose head word is words[head] ends when "for"/"of" runs it on ("Deputy Mayor for Public Safety …"):
    at the name (0 when nothing would be left after the "for"); None when no "for"/"of" follows the head."""
    return _name_start(words, head + 2) if head + 1 < len(words) and words[head + 1] in ("for", "of") else None


def _name_start(words: list[str], earliest: int) -> int:
    """Where the name starts after a post that runs on ("Deputy Mayor for Public Safety Philip Banks III", "Acting
    Secretary of Labor Julie A. Su", "Deputy Mayor for Health Dr. Ted Long"): at an honorific, else a first name, the
    initials and the surname before any suffix; 0 when the post would be left with nothing after its "for"/"of"."""
    honorific = next((i for i in range(earliest, len(words)) if EN_HONORIFICS.fullmatch(words[i] + " ")), None)
    if honorific is not None:
        return honorific
    i = len(words)
    while i > earliest and re.fullmatch(r"(?:I{2,3}|IV|Jr\.?|Sr\.?)", words[i - 1]):
        i -= 1
    i -= 1  # the surname
    while i > earliest and re.fullmatch(r"[A-Z]\.", words[i - 1]):
        i -= 1
    i -= 1  # the first name
    return i if i > earliest else 0


@lru_cache(maxsize=8192)  # a label is read once per turn and per rule: the same answer each time (Speaker is frozen)
def parse_person(label: str, *, role: str | None = None) -> Speaker:
    """'国家知识产权局副局长 胡文辉' → Speaker(胡文辉, 副局长, 国家知识产权局); 'CHAIR POWELL' → Speaker('Chair Powell', 'Chair')."""
    label = re.sub(r"\s+", " ", label.strip().strip("*：: "))
    inferred = role or infer_role(label)
    if not has_cjk(label):
        if (described := _hansard(label) or _described(label, inferred)) is not None:
            return described
        if (m := _POST_NAME_BODY.fullmatch(label)) and opening_title(m["who"]):
            # "Ambassador Linda Thomas-Greenfield (United States)": the post and the name, the country or body apart
            return Speaker(name=m["who"], title=opening_title(m["who"]), organization=m["body"], role=inferred)
        name = titled(label) if label.isupper() else label
        title = opening_title(name)
        words = name.split()
        if title and len(words) >= 5 and (end := _run_on(words, len(title.split()) - 1)):
            title = " ".join(words[:end])  # "Deputy Mayor for Communications Janet Ruiz"
        if not title and len(words) >= 3:
            # "Deputy Governor Priya Anand", "Chief Economist Ferreira", "Police Commissioner Rebecca Tran": the post
            # ends at its last head word — or runs on to the full name ("Deputy Mayor for Public Safety Marcus Bell").
            last = max((i for i, w in enumerate(words) if EN_POST_HEAD.fullmatch(w) or w in _POST_NOUNS), default=0)
            if last < len(words) - 1 and (EN_POST_HEAD.fullmatch(words[last]) or words[last] in _POST_NOUNS) \
                    and (words[0] in _POST_MODIFIERS and last > 0 or len(words) - last - 1 <= 3):
                end = last + 1 if (run := _run_on(words, last)) is None else run
                title = "" if not end or EN_HONORIFICS.fullmatch(" ".join(words[:end]) + " ") else " ".join(words[:end])
        return Speaker(name=name, title=title, role=inferred)
    if wrapped := wrapped_who(label):
        return parse_person(wrapped[1], role=role or ("unknown" if wrapped[0] in ("答", "回答") else "reporter"))
    if inferred == "reporter":
        org = re.sub(r"的?记者$", "", label).strip()
        return Speaker(name=label, title="记者" if "记者" in label else "", organization=org if org != label else "",
                       role="reporter")
    if m := _NAME_AND_POST_ZH.match(label):
        # "王建国（省应急管理厅厅长）": the name, then the post in brackets.
        org, title = split_org_title(m["post"])
        if title:
            return Speaker(name=m["name"], title=title, organization=org, role=inferred)
    for honorific in HONORIFICS_ZH:
        if label.endswith(honorific) and len(label) > len(honorific) + 1:
            label = label[: -len(honorific)]
    if " " not in label and (parts := _name_before_title(label)):
        return Speaker(name=parts[1], title=parts[2], organization=parts[0], role=inferred)
    if m := re.fullmatch(r"(?P<head>[\u4e00-\u9fff·、]+)\s+(?P<name>[A-Z][\w.'’-]*(?:\s+[A-Za-z][\w.'’-]*){0,3})", label):
        org, title = split_org_title(m["head"])  # "法務局局長 Ricardo Almeida": the post, then a name in Latin letters
        return Speaker(name=m["name"], title=title, organization=org, role=inferred)
    if " " in label:
        head, name = label.rsplit(" ", 1)
    else:
        head, name = split_title_name(label)
    org, title = split_org_title(head)
    return Speaker(name=name or label, title=title, organization=org, role=inferred)


_BODY_ENDS = tuple("处司局部委会厅署办院室组所行馆") + ("中心",)
# What ends a place's or a body's name, never a person's: 江苏省, 高新区.
_PLACE_ENDS = tuple("省市县区州镇乡村") + _BODY_ENDS


def _name_before_title(label: str) -> tuple[str, str, str] | None:
    """(body, name, title) of a label that puts the name before the post: "梁文傑副主委兼發言人" → ('', 梁文傑,
    副主委兼發言人), "經濟處張志銘處長" → (經濟處, 張志銘, 處長): two or three characters a surname opens, after a body's
    name if any. Not "商务部新闻发言人" (a body) nor "新闻发言人" (a post alone)."""
    plain = simplified(label)  # one character for one: positions in plain are positions in label
    start = len(plain)
    while title := next((t for t in TITLE_WORDS_ZH if plain[:start].endswith(t)), None):
        start -= len(title)
        if start > 1 and plain[start - 1] in "兼、" and any(plain[:start - 1].endswith(t) for t in TITLE_WORDS_ZH):
            start -= 1  # "副主委兼发言人": posts joined
            continue
        break
    head = plain[:start]
    if start == len(plain) or len(head) < 2:
        return None
    for k in (3, 2):
        name = head[-k:]
        # After a body, two or three characters; alone, three ("梁文傑") — two alone are as often a word (常务, 司法).
        after_body = len(head) > k and head[:-k].endswith(_BODY_ENDS)
        if len(head) >= k and name[0] in SURNAMES_ZH and not name.endswith(_PLACE_ENDS) and has_cjk(name) \
                and (after_body or len(head) == k == 3):
            return label[:start - k], label[start - k:start], label[start:]
    return None


_POST_NAME_BODY = re.compile(r"(?P<who>[A-Z][^()]{3,60}?)\s*\((?P<body>[A-Z][^()]{1,40})\)")
_ROLE_AND_PERSON = re.compile(r"^(?P<role>[A-Za-z][\w .'’-]{1,30}?)\s*\((?P<inner>[^()]{3,80})\)$")
_NAME_WORDS = NAME_WORDS  # (qa/lexicon.py: the record labels read names too)


_PARTY = re.compile(rf",\s*(?:CPC|Lib\.?|NDP|BQ|GP|Green|Ind\.?|Conservative|Liberal|{PARTIES})\)?$")
def _hansard(label: str) -> Speaker | None:
    """Parliamentary records' labels: "The Chair (Hon. Judy Sgro (…, Lib.))" and "The Convener (Edward Mountain)"
    chair (chair_in_label names them); "The Cabinet Secretary for Net Zero and Energy (Kirsty Galloway)" holds that
    post; "Mr. James Bezan (Selkirk—Interlake—Eastman, CPC)" and "Monica Lennon (Central Scotland) (Lab)" are members
    (the seat and party are no post); "Gen Jennie Carignan (Chief of the Defence Staff, Canadian Armed Forces)" a post
    and a body; "Neil Ferrier (Scottish Government)" a body."""
    m = record_label(label)
    if m is None:
        return None
    who, inner = m["who"], m["inner"].strip()
    if who.startswith("The "):
        post = who[4:]
        return Speaker(name=who, title=post, role="host" if HOST_WORDS.search(post) else "unknown")
    if m["party"] or _PARTY.search(inner):
        return Speaker(name=who, role="unknown")
    title, _, organization = (p.strip() for p in inner.partition(","))
    if not organization and not EN_POST_HEAD.search(title):
        title, organization = "", title  # "Dr. Jane Doe (University of Strathclyde)": a body, no post
    return Speaker(name=who, title=title, organization=organization, role="unknown")


def chair_in_label(label: str) -> str | None:
    """'Hon. Judy Sgro' of "The Chair (Hon. Judy Sgro (Humber River—Black Creek, Lib.))", 'Kirsty Galloway' of "The
    Cabinet Secretary for Net Zero and Energy (Kirsty Galloway)": the person a post's label names in its brackets,
    before their riding or party; None for "The Chair" alone or brackets that name no one."""
    m = record_label(label)
    if m is None or not m["who"].startswith("The "):
        return None
    person = re.split(r"[(,]", m["inner"], maxsplit=1)[0].strip()
    core = EN_HONORIFICS.sub("", person)
    return person if 2 <= len(core.split()) <= 4 and _NAME_WORDS.match(core) else None


def _described(label: str, role: str) -> Speaker | None:
    """A label that says who and what: "Journalist (Paul Geraghty, RTÉ News)" is Paul Geraghty, a journalist of RTÉ
    News; "Moderator (Ciara Doyle, Press Officer)" the moderator Ciara Doyle; "Minister for Health, Aoife Brennan TD"
    and "Dr Tomás Keane, Chief Medical Officer" a name and a post, either way round. None for any other label."""
    if m := _ROLE_AND_PERSON.match(label):
        role = infer_role(m["role"].strip())  # "Q (Marcus Bell, Oregon Public Broadcasting)": Q asks
        if role not in ("reporter", "host"):
            return None
        person, _, rest = (p.strip() for p in m["inner"].partition(","))
        if not (_name_like(person) or role == "reporter" and re.fullmatch(r"(?:Dr\.?\s+)?[A-Z][a-z][\w'’-]+", person)):
            return None  # ("QUESTION (Jung)": the reporter's surname alone)
        person = titled(person) if person.isupper() else person  # "REPORTER (ANA WHITFIELD, KTVZ)"
        kind = m["role"].strip()
        kind = "" if kind.upper() in ("Q", "QUESTION", "QUESTIONER") else kind.title() if kind.isupper() else kind
        if role == "reporter":
            return Speaker(name=person, title=kind, organization=rest, role=role)
        return Speaker(name=person, title=rest or kind, role=role)
    parts = [p.strip() for p in label.split(",")]
    if len(parts) > 2 and role == "unknown" and _name_like(parts[0].title() if parts[0].isupper() else parts[0]) \
            and EN_POST_HEAD.search(parts[1].title()):
        # "LAUREN PIKE, ASSISTANT INSPECTOR GENERAL FOR AVIATION AUDITS, U.S. DEPARTMENT OF TRANSPORTATION"
        name, title, organization = (cased(p) for p in (parts[0], parts[1], ", ".join(parts[2:])))
        return Speaker(name=name, title=title, organization=organization, role=role)
    if len(parts) != 2 or role not in ("unknown", "official"):
        return None  # ("Official Spokesperson, Shri Randhir Jaiswal" reads as an official's label)
    parts = [cased(p) for p in parts]  # "SPOKESPERSON OF THE FEDERAL MINISTRY OF DEFENCE, WEIDNER"
    posts = [p for p in parts if EN_POST_HEAD.search(p) and not EN_HONORIFICS.match(p + " ")]
    names = [p for p in parts if p not in posts and (_name_like(p) or len(posts[:1]) == 1 and len(posts[0].split()) >= 2
                                                     and bool(re.fullmatch(r"(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?[A-Z][\w'’-]+", p)))]
    if len(posts) != 1 or len(names) != 1:
        return None
    return Speaker(name=names[0], title=posts[0], role=role)


def _name_like(text: str) -> bool:
    """Two to five words shaped like a person's name ("Aoife Brennan TD", "Dr Tomás Keane"), none a post's head nor a
    word of a body or an aside ("BBC News", "The White House", "Via Zoom", "Follow Up")."""
    return 2 <= len(text.split()) <= 5 and bool(_NAME_WORDS.match(text)) and not EN_POST_HEAD.search(text) \
        and not _NOT_PERSON.search(text)


_NOT_PERSON = re.compile(r"(?i)\b(?:the|news|times|post|press|house|authority|agency|department|office|ministry|"
                         r"council|committee|bank|group|university|radio|tv|television|network|daily|via|follow|up|"
                         r"inaudible|crosstalk|unidentified|off|mic|phone|line)\b")


_TITLES_LONGEST_FIRST = sorted(TITLE_WORDS_EN, key=len, reverse=True)


def opening_title(name: str) -> str:
    """The English title a name opens with, the longest that fits: 'Vice Chair' of "Vice Chair Brandt"; '' if none."""
    return next((t for t in _TITLES_LONGEST_FIRST if name.startswith(t + " ")), "")


def infer_role(label: str) -> str:
    if REPORTER_WORDS.search(label):
        return "reporter"
    if HOST_WORDS.search(label):
        return "host"
    return "unknown"


def split_title_name(text: str) -> tuple[str, str]:
    """The name follows the last title word: 教育部科学技术与信息化司司长周大旺 → (…司长, 周大旺); 衛生局局長羅奕龍
    as 卫生局局长罗奕龙 (one character for one, so its positions are the text's)."""
    plain = simplified(text)
    end = -1
    for title in TITLE_WORDS_ZH:
        pos = plain.rfind(title)
        if pos >= 0:
            end = max(end, pos + len(title))
    if end <= 0 or end >= len(text):
        return "", text
    return text[:end], text[end:]


def split_org_title(head: str) -> tuple[str, str]:
    """The title starts at the first title word: 国家知识产权局副局长 → (国家知识产权局, 副局长); a party post is the
    title's, not the body's: 省水利厅党组书记、厅长 → (省水利厅, 党组书记、厅长)."""
    plain = simplified(head)
    start = len(head)
    for title in TITLE_WORDS_ZH:
        pos = plain.find(title)
        while pos >= 0 and plain.startswith("委员会", pos):
            pos = plain.find(title, pos + 1)  # 委员 of 中国证券监督管理委员会 is the body's: its 副主席 is the title
        if 0 <= pos < start:
            start = pos
    if m := _PARTY_BODY.search(plain[:start]):
        start = m.start()
    return head[:start].strip("、，, "), head[start:].strip()


_PARTY_BODY = re.compile(r"(?:党委|党组|党工委|党委常委|党组成员)$")
_NAME_AND_POST_ZH = re.compile(r"^(?P<name>[\u4e00-\u9fff·]{2,5})[（(](?P<post>[^（）()]{3,40})[）)]$")


# 邀请到/了…: not body 到…; nor "应外交部长王毅邀请，…" (at the invitation of), nor across a sentence.
_INVITATION = re.compile(r"请(?![，,])[到了]?([^。]{4,400}?)(?:介绍|出席|作介绍|通报|解读|回答|答记者问)")
# "今天出席发布会的有：广州市应急管理局局长周海涛先生，广州市水务局副局长陈敏女士。"
_PRESENT = re.compile(r"出席.{0,12}?的(?:嘉宾)?(?:有|是)[:：]?(.{4,400}?)(?:。|$)")


def officials_from_introduction(text: str) -> list[Speaker]:
    """'请国家知识产权局副局长胡文辉、教育部…司长周大旺…介绍…' → the officials, in the order introduced (listed
    with 、，or ；)."""
    found: list[Speaker] = []
    text = normalize(text).replace(",", "，")
    for m in [*_INVITATION.finditer(text), *_PRESENT.finditer(text)]:
        # Listed with 、，； — or, in captions run together, one after another's 先生 / 女士 ("…副厅长李明先生省统计局…").
        items = [_without_honorific(i.strip()) for i in re.split(r"[、，;；\s]|(?<=先生)|(?<=女士)", m.group(1)) if i.strip()]
        pending = ""
        for item in items:
            candidate = pending + ("、" if pending else "") + item
            head, name = split_title_name(candidate)
            if not head:
                if any(candidate.endswith(t) for t in TITLE_WORDS_ZH):
                    pending = candidate
                continue
            pending = ""
            if 2 <= len(name) <= 4 and has_cjk(name):
                org, title = split_org_title(head)
                found.append(Speaker(name=name, title=title, organization=org, role="official"))
        if found:
            break
    return found


def _without_honorific(item: str) -> str:
    """'…局长周海涛先生' → '…局长周海涛'."""
    for honorific in HONORIFICS_ZH:
        if item.endswith(honorific) and len(item) > len(honorific) + 1:
            return item[: -len(honorific)]
    return item


def organization_index(officials: list[Speaker]) -> dict[str, list[Speaker]]:
    """Every name an official's organisation goes by → the officials of that organisation, in roster order."""
    index: dict[str, list[Speaker]] = {}
    for s in officials:
        for name in organization_names(s.organization):
            index.setdefault(name, []).append(s)
    return index
