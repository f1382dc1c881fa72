"""Titles and bodies of English speakers, from the transcript's header: labels say "MS. LEAVITT:" or "Dr Greaves:",
while the lines above the first turn say who they are — "Press Briefing by Press Secretary Karoline Leavitt and
Secretary of Agriculture Brooke Rollins", "Witnesses: Rachel Whitfield MP, Minister for Water and Flooding, Department
for Environment, Food and Rural Affairs; Dr Martin Greaves, Chief Executive, Environment Agency"."""

from __future__ import annotations

import re

from qa.ingest.turns import Transcript
from qa.lexicon import EN_HONORIFICS, EN_NAME_SUFFIXES, EN_POST_HEAD, TITLE_WORDS_ZH, cased, has_cjk, simplified
from qa.speakers.roster import Roster, Speaker, split_org_title, split_title_name

HEADER_LINES = 40
HEADER_CHARS = 4000  # each speaker's name is looked for in it: bounded, whatever a file puts above its first turn
# A post starts with its head word, or one or two capitalised words before it ("Deputy Chief Executive").
_POST = re.compile(r"(?:[A-Z][\w'’]*(?:[ \t]+|-)){0,2}" + EN_POST_HEAD.pattern)  # "Under-Secretary-General" too
_TITLE_WORD = r"(?:[A-Z][\w'’.-]*|of|for|and|the|on)"
_SUFFIX = r"(?:\s+(?:MP|AM|MS|MSP|MLA|TD|QC|KC|OBE|MBE|CBE))?"


def titles_from_header(transcript: Transcript, roster: Roster) -> None:
    """Give each English speaker with no title (or only the label's "Secretary") the title and body the header
    says they hold. Only a named match counts: the surname, capitalised, next to a title. A Chinese speaker without
    a title gets the one the header writes before their name ("外交部发言人宋立群主持例行记者会")."""
    opening = next((t for t in transcript.turns if t.label), None)
    first = opening.line_start if opening else None
    if not first or first <= 1:
        return
    header = _unwrap([cased(line) for line in transcript.lines[: min(first - 1, HEADER_LINES)]])[:HEADER_CHARS]
    if not header.strip():
        return
    if has_cjk(header):
        _chinese_titles(header, roster)
        return
    # Who opens may introduce the others: "I'm joined by the Minister for Housing, Claire Hargreaves."
    introduced = opening.text[:HEADER_CHARS // 2]
    for name in [s.name for s in roster.speakers]:
        speaker = next((s for s in roster.speakers if s.name == name), None)  # as renamed or merged so far
        if speaker is not None and speaker.role == "host" and _POST.fullmatch(_bare(speaker.name)) \
                and (person := _chair_named(header, _bare(speaker.name))):
            # "Q41 Chair:" and "Members present: Dame Eleanor Pryce (Chair)": she chairs, under either label.
            roster.set_role(_name_holder(roster, speaker, person), "host")
            continue
        if speaker is None or has_cjk(speaker.name) or speaker.role == "reporter":
            continue  # (a host too: "Ciara Doyle, Press Officer" in the header's list)
        if not speaker.title and _POST.fullmatch(speaker.name):
            if person := _holder(header, speaker.name):  # "TREASURER:" and "Treasurer The Hon Daniel Okafor MP"
                _name_holder(roster, speaker, person)
            continue
        surname = _surname(speaker.name)
        if not surname:
            continue
        others = {o for s in roster.speakers if s is not speaker and (o := _surname(s.name)) and o != surname}
        found = _after(header, surname, others) or _before(header, surname)
        if found is None and (found := _after(introduced, surname, others) or _before(introduced, surname)):
            found = (found[0], "")  # spoken, a list of names and posts runs on: "…, Minister for Education, Steve Davies, …"
        if found is None:
            continue
        title, organization = found
        if speaker.title and not (len(title) > len(speaker.title) and speaker.title in title) \
                and speaker.title not in _MEMBERSHIPS:
            title = speaker.title  # "Senator" is who she is, not her post: "Minister for Finance" is
        roster.update(speaker, title=title, organization=speaker.organization or organization)


# A line that starts the next entry, not the rest of the last: "Interview: …", "Dr Martin Greaves, Chief Executive".
_NEW_ENTRY = re.compile(r"(?:Dr|Mr|Mrs|Ms|Miss|Prof|Professor|Sir|Dame|Lord|Lady|Rt Hon|The Hon|Hon)\.?\s|"
                        r"[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+){1,2}(?:\s(?:MP|AM|MS|TD|MSP))?,")


def _unwrap(lines: list[str]) -> str:
    """The header's lines, those a hard-wrapped file (a GPO hearing, 70 columns) broke mid-item joined again: "Tunde
    Adeyemi, Chief Executive\nOfficer, Prairie Plains…". A line is wrapped when it is long, ends on a word or a comma,
    and the next goes on unindented."""
    out: list[str] = []
    for line in lines:
        if out and len(out[-1].strip()) >= 55 and not re.search(r"[.)!?:\"”]\s*$", out[-1]) and line.strip() \
                and not line[:1].isspace() and not re.match(r"[A-Z][\w ]{0,30}:", line) and not _NEW_ENTRY.match(line):
            out[-1] = out[-1].rstrip() + " " + line.strip()
        else:
            out.append(line)
    return "\n".join(out)


# Posts a label may give alone, whose holder the header names (simplified, as simplified() reads the label).
_POST_LABELS_ZH = ("行政长官", "行政長官", "发言人", "發言人", "局长", "局長", "部长", "部長", "主任", "市长", "市長", "省长", "省長")
_AFTER_NAME = "主持|出席|介绍|答|回答|表示|就|在|和|与|及|先生|女士|同志|说|举行|[大上中少]校|[少中上]将|大使|教授"  # "…发言人张晓峰大校举行…"


def _chinese_titles(header: str, roster: Roster) -> None:
    for speaker in list(roster.speakers):
        if speaker.role == "official" and not speaker.title and speaker.name.endswith(_POST_LABELS_ZH):
            # "行政長官：" under "以下是行政長官曾家榮今日…出席…": the post's holder, named by the header.
            m = re.search(rf"{re.escape(simplified(speaker.name))}([\u4e00-\u9fff]{{2,3}}?)(?:先生|女士)?(?={_AFTER_NAME}"
                          rf"|今[日天]|昨[日天]|[上下]午|会见|出席|[，,。])", simplified(header))
            if m and roster.find(m.group(1)) is None:
                person = header[m.start(1):m.end(1)]  # as the header writes it (曾家榮)
                roster.update(speaker, name=person, title=speaker.name)
            continue
        if not has_cjk(speaker.name) or speaker.title or speaker.role in ("reporter", "host") or len(speaker.name) < 2:
            continue
        # The name ends where a verb or a mark follows: 张伟 is not 张伟东 of "…副局长张伟东主持…".
        # "省应急管理厅党委书记、厅长　王建国": posts joined by 、 are one title.
        m = re.search(rf"([\u4e00-\u9fff]{{2,24}}(?:、[\u4e00-\u9fff]{{1,8}})*)[ \t　]?{re.escape(speaker.name)}"
                      rf"(?=[^\u4e00-\u9fff]|$|{_AFTER_NAME})", re.sub(r"\d+\s*[年月日]", " ", header))
        if not m or not all(part.endswith(tuple(TITLE_WORDS_ZH)) for part in m.group(1).split("、")):
            continue
        head, name = split_title_name(m.group(1) + speaker.name)
        if name != speaker.name or not head:
            continue
        organization, title = split_org_title(head)
        if title:
            roster.update(speaker, title=title, organization=speaker.organization or organization)


def _holder(header: str, post: str) -> str | None:
    """Who holds a post the labels give alone: "Prime Minister The Hon Sarah Whitlock MP; Treasurer The Hon Daniel
    Okafor MP" → 'Sarah Whitlock' for "Prime Minister". The post opens a part of the header (a line, or after ';',
    ',', '|', 'with', 'by'…) with no other word of a title before it — not "Deputy Prime Minister", "Shadow
    Treasurer", "Remarks by the Prime Minister"; the name is two or three capitalised words that end the part or
    stop at the next post ("Prime Minister Anthony Albanese Treasurer Jim Chalmers"), none of them a headline's
    ("Prime Minister Press Office", "Treasurer Statement On Budget")."""
    # … or the post alone on its line, the name on the next ("PRIME MINISTER\nTHE HON MARCUS ELLERY MP").
    pattern = (rf"(?<![\w-])(?i:{re.escape(_bare(post))})(?:[ \t]+|[ \t]*\n[ \t]*)(?i:the[ \t]+)?(?i:(?:right|rt\.?)[ \t]+)?"
               rf"(?i:hon(?:ourable|\.)?[ \t]+)?([^;,|/()\n–—]*)")
    for m in re.finditer(pattern, header):
        before = header[header.rfind("\n", 0, m.start()) + 1:m.start()].rstrip()
        if re.search(r"(?i)(?:^|\s)the$", before):
            before = before[:-3].rstrip()  # "The Treasurer, Daniel Okafor", but not "Remarks by the Prime Minister"
            if before and not re.search(r"[;,|/:(–—]$", before):
                continue
        elif before and not (re.search(r"(?:[;,|/:(–—&]|\b(?:with|and|by|from))$", before) or _HELD_POST.search(before)):
            continue  # "Deputy Prime Minister …", "Shadow Treasurer …": another post
        if name := _name_at(m.group(1)):
            return name
    # … or the name first, the post after its comma: "Noon briefing by Stéphane Dujarric, Spokesman for the
    # Secretary-General" (not "Farhan Haq, Deputy Spokesman": another post); or the name in apposition after the
    # post: "remarks by the Chief Executive, Mr Eric Tsang Ka-wing, at a …". Either way the whole of it a name.
    bare = re.escape(_bare(post))
    for pattern in (rf"(?:^|[;|:(]|\b(?:by|and|with))[ \t]*((?:[A-Z][\w'’-]+[ \t]+){{1,2}}[A-Z][\w'’-]+){_SUFFIX},"
                    rf"[ \t]*(?i:the[ \t]+)?(?i:{bare})(?![\w-])",
                    rf"(?i:\bthe)[ \t]+(?i:{bare}),[ \t]*(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Professor)\.?[ \t]+)?"
                    rf"((?:[A-Z][\w'’-]+[ \t]+){{1,3}}[A-Z][\w'’-]+)(?=[ \t]*(?:,|$))"):
        for m in re.finditer(pattern, header, re.M):
            if (name := _name_at(m.group(1))) and name == m.group(1):
                return name
    return None


def _name_holder(roster: Roster, speaker: Speaker, person: str) -> str:
    """"TREASURER:" is Treasurer Daniel Okafor: renamed, or folded into the speaker whose own label already named
    him ("PRIME MINISTER SARAH WHITLOCK:" beside "PRIME MINISTER:")."""
    post = _bare(speaker.name)
    name = f"{post} {person}"
    known = next((s for s in roster.speakers if s is not speaker and s.role != "reporter"
                  and (s.name == name or s.name == person or s.name.endswith(" " + person))), None)
    if known is None:
        roster.update(speaker, name=name, title=post)
        return name
    if not known.title:
        roster.update(known, title=post)
    roster.merge(speaker, into=roster.find(known.name))
    return known.name


# "… Prime Minister Anthony Albanese" before "Treasurer Jim Chalmers": the last part named a holder, so this starts one.
_HELD_POST = re.compile(_POST.pattern + r"[ \t]+(?:(?:The|Hon|the|hon)\.?[ \t]+)*[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){1,2}"
                        r"(?:[ \t]+(?:MP|AM|MS|MSP|MLA|TD|QC|KC))?$")


def _chair_named(header: str, post: str) -> str | None:
    """Who a hearing's list of members gives the post in brackets: 'Dame Eleanor Pryce' of "Members present: Dame
    Eleanor Pryce (Chair); Gareth Owusu; …" (not a witness list's "…, Great British Railways (Chair)")."""
    for line in header.splitlines():
        # … or a line of its own: "Senator Jane Smith (Chair)" under "Committee met at 09:00".
        if m := re.fullmatch(rf"\s*(?:(?:Senator|Sen\.|Dame|Sir|Dr|Mr|Mrs|Ms|Miss)[ \t]+)?([A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){{1,2}})"
                             rf"{_SUFFIX}[ \t]*\((?i:the[ \t]+)?(?i:{re.escape(post)})\)\s*", line):
            return m.group(1)
        if not re.match(r"(?i)\s*(?:committee\s+)?members(?:\s+present)?\s*:|\s*present\s*:", line):
            continue
        m = re.search(rf"(?:[:;,])[ \t]*((?:(?:Dame|Sir|Lord|Lady|Baroness|Dr|Mr|Mrs|Ms|Miss)\.?[ \t]+)?[A-Z][\w'’-]+"
                      rf"(?:[ \t]+[A-Z][\w'’-]+){{1,2}}){_SUFFIX}[ \t]*\((?i:the[ \t]+)?(?i:{re.escape(post)})\)", line)
        if m:
            return m.group(1)
    return None


def _bare(post: str) -> str:
    """'The Prime Minister' → 'Prime Minister': the post a label gives, without its article."""
    return re.sub(r"(?i)^the\s+", "", post)


def _name_at(text: str) -> str | None:
    """'The Hon Daniel Okafor MP' → 'Daniel Okafor'; 'Anthony Albanese Treasurer Jim Chalmers' → 'Anthony
    Albanese'; None where the words are not a name or run on into a sentence."""
    words = text.split()
    name: list[str] = []
    for i, word in enumerate(words):
        if i == 0 and re.fullmatch(r"(?:Dr|Mr|Mrs|Ms|Prof)\.?", word):
            name.append(word)
            continue
        if EN_POST_HEAD.fullmatch(word) or not re.fullmatch(r"[A-Z][\w'’-]+", word) or word.lower() in _NOT_NAME:
            break
        name.append(word)
    rest = words[len(name):]
    core = EN_NAME_SUFFIXES.sub("", " ".join(name)).strip()
    if not 2 <= len(core.split()) <= 3 or any(w.lower() in _NOT_NAME for w in core.split()):
        return None
    if rest and EN_NAME_SUFFIXES.fullmatch(" " + rest[0]):
        rest = rest[1:]
    # What follows the name: nothing, the next post, or a joint — not the rest of a headline.
    if rest and not (EN_POST_HEAD.fullmatch(rest[0]) or rest[0].lower() in ("and", "with", "&")
                     or _POST.match(" ".join(rest))):
        return None
    return core


# Capitalised words of headlines and pages, never of a name: "Prime Minister Press Office", "Treasurer Statement On
# Budget", "… Before Bilateral Meeting".
_NOT_NAME = frozenset("""press office statement statements conference joint before after visits visit meeting meetings
bilateral remarks media release transcript interview doorstop address speech announcement announces update briefing
budget department ministry government national federal opening closing round table summit launch event parliament
house senate committee on of for the and with at in to from by re questions answers hearing evidence session today
tonight morning afternoon evening monday tuesday wednesday thursday friday saturday sunday january february march april
may june july august september october november december official officials portfolio news radio television tv live
program programme podcast video audio transcripts""".split())


def _surname(name: str) -> str | None:
    words = EN_NAME_SUFFIXES.sub("", EN_HONORIFICS.sub("", name)).split()
    return words[-1] if words and words[-1][:1].isupper() and len(words[-1]) >= 3 else None


def _after(header: str, surname: str, others: set[str] = frozenset()) -> tuple[str, str] | None:
    """"Rachel Whitfield MP, Minister for Water and Flooding, Department for …;" → (title, body) — not "Mayor Lee,
    Police Commissioner Tran, …": a post's head and another speaker's surname (others) after it are that speaker."""
    pattern = (rf"\b{re.escape(surname)}{_SUFFIX},[ \t]*(?:the[ \t]+)?([^,;.\n]{{3,80}}?)(?:,[ \t]*([^;.\n]{{3,120}}?))?"
               rf"[ \t]*(?=[;.\n]|$)")
    for m in re.finditer(pattern, header):
        # The post itself, not a clause: "Chief Executive", "Minister for Water", not "responding to the Chief …".
        if not _POST.match(m.group(1)) or any(re.search(rf"{EN_POST_HEAD.pattern}(?:[ \t]+[A-Z][\w'’-]+){{0,2}}[ \t]+"
                                                         rf"{re.escape(o)}\b", m.group(1)) for o in others):
            continue  # "Police Commissioner Tran" is Tran's post, not Lee's (but "Minister for Climate and Green Finance")
        title, rest = m.group(1).strip(), (m.group(2) or "").strip()
        organization, clause, _ = [p.strip() for p in re.split(r"(?:,\s*|\s+)((?:who|which|that)\s)", rest, maxsplit=1)
                                   + ["", ""]][:3]
        if not organization[:1].isupper():
            organization = ""  # "Frank Atherton, the Chief Medical Officer for Wales, and Nathan Cook, …"
        elif _POST.match(organization) and not _BODY.search(organization):
            # "Senator Gallagher, Minister for Finance, Minister for Women, …": more posts, not a body
            title, organization = f"{title}, {organization}", ""
        elif clause and not _BODY.search(organization):
            # "…, the Under-Secretary-General for Management Strategy, Policy and Compliance, who will brief you":
            # the post goes on past its comma, up to the clause.
            title, organization = f"{title}, {organization}", ""
        return title, organization
    return None


# What a label may say before a name that is a seat, not a post: "Senator Gallagher" is the Minister for Finance.
_MEMBERSHIPS = frozenset({"Senator", "Sen.", "Representative", "Rep.", "Councillor", "Councilmember", "Member"})
# Words that name a body: "Environment Agency", "Department for Transport", "Great British Railways".
_BODY = re.compile(r"\b(?:Department|Ministry|Agency|Office|Commission|Council|Authority|Bank|Service|Board|Organi[sz]ation"
                   r"|University|Institute|Committee|Court|Police|Force|Fund|Secretariat|Government|Administration|Bureau"
                   r"|Cent(?:re|er)|Association|Union|Corporation|Group|Trust|Network|Foundation|Company|Railways?|Parliament"
                   r"|Assembly|Executive|Treasury|Cabinet|House|Senate|College|School|Hospital|Inc|Ltd|plc|LLP|Partners)\b")


def _before(header: str, surname: str) -> tuple[str, str] | None:
    """"… by Press Secretary Karoline Leavitt and Secretary of Agriculture Brooke Rollins" → (title, "")."""
    # On one line; the name after a comma too where "the" opens the post ("joined by the Minister for Housing, Claire
    # Hargreaves") — not in a list of names and posts ("Kirsty Williams AM, Minister for Education, Steve Davies, …").
    pattern = (rf"((?:{_TITLE_WORD}[ \t]+){{1,7}})[A-Z][\w'’-]+[ \t]+{re.escape(surname)}\b"
               rf"|\bthe[ \t]+((?:{_TITLE_WORD}[ \t]+){{0,6}}{_TITLE_WORD}),[ \t]+[A-Z][\w'’-]+[ \t]+{re.escape(surname)}\b")
    for m in re.finditer(pattern, header):
        words = (m.group(1) or m.group(2)).split()
        if "and" in words:  # "Karoline Leavitt and Secretary of Agriculture": the title starts after the 'and'
            words = words[len(words) - words[::-1].index("and"):]
        words = words[-5:]
        while words and words[0] in ("of", "for", "the", "on"):
            words = words[1:]
        while len(words) > 1 and EN_HONORIFICS.fullmatch(words[-1] + " ") and EN_POST_HEAD.search(" ".join(words[:-1])):
            words = words[:-1]  # "Chief Medical Officer Dr Tomás Keane": the Dr is the name's, not the post's
        if words and any(EN_POST_HEAD.fullmatch(w) for w in words) and words[-1] not in ("of", "for", "the", "on"):
            return " ".join(words), ""
    return None


def title_forms(title: str) -> set[str]:
    """How a question names the holder of an English title of two words or more: 'secretary of agriculture' and
    'agriculture secretary', 'press secretary', 'minister for water and flooding'. One word ('Secretary', 'Chair')
    names too many people to name anyone."""
    words = title.lower().replace(",", " ").split()
    if len(words) < 2 or has_cjk(title):
        return set()
    forms = {" ".join(words)}
    if words[1:4] == ["of", "state", "for"] and len(words) > 4:  # "minister of state for rail": the minister for rail
        words = words[:1] + words[3:]
        forms.add(" ".join(words))
    for joint in ("of", "for"):
        if joint in words[1:3]:
            at = words.index(joint)
            head, rest = words[:at], words[at + 1:]
            if 1 <= len(rest) <= 3 and "and" not in rest:
                forms.add(" ".join(rest + head))
    return forms
