"""Who is who before any answer is attributed: the roster of a transcript, each labelled speaker given a role
(official, reporter, host) from the introduction and from how they speak. Kept apart from qa/speakers/attribution.py,
which walks the turns with this roster in hand."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from qa.ingest.turns import Transcript, Turn
from qa.lexicon import (
    EN_HONORIFICS, EN_NAME_SUFFIXES, EN_POST_HEAD, HYPHENATED_GIVEN, REPORTER_WORDS, TITLE_WORDS_ZH, has_cjk, normalize,
    simplified,
)
from qa.speakers.header import titles_from_header
from qa.speakers.roster import (
    Roster, Speaker, chair_in_label, label_post, officials_from_introduction, opening_title, parse_person, split_org_title,
    split_title_name, surname_title,
)

ASKING = re.compile(r"请问|请介绍|请谈谈|想问|想了解|能否介绍|could you|can you|would you|i wonder|my question", re.I)
_OPENING = re.compile(r"welcome|good (?:morning|afternoon|evening)|欢迎|各位.{0,6}(?:好|早上好|下午好)|order[.!]|call(?:ed)? to order|"
                      r"apologies|item \\d|agenda", re.I)


# Who presides over a court's sitting, and how it opens ("We'll hear argument first this morning…").
_PRESIDES = re.compile(r"(?i)(?:the )?(?:chief justice|chief judge|presiding (?:judge|justice))\b")
_COURT_OPENS = re.compile(r"(?i)\bwe(?:'ll| will) (?:now )?hear (?:argument|the case)|\bcall the case\b")
_INTRODUCES = re.compile(r"(?i)\b(?:introduce|welcome|joining us|thank you (?:all )?for (?:coming|joining))\b")
# A moderator's own business: "this will be the last question", "Time for two more questions.", "Are there any further
# questions?", "This concludes the press conference." — not "I would refer any further questions … to the Department".
_MANAGES_FLOOR = re.compile(r"(?i)\b(?:(?:last|final|next) question|time for (?:one|two|three|a few|a couple of) more"
                            r"|begin with (?:the |your )?questions|take (?:your |a few more |a few |some |more )?questions"
                            r"|(?:this|that) (?:concludes|ends) (?:the|today's|our|this)|running out of time"
                            r"|that'?s all the time|(?:we(?:'ll| will)|let's|let us) (?:start|begin|go|take)(?: it)?"
                            r" (?:right here|here|there|over here|in the (?:front|back|middle)|with)|"
                            r"(?:one|two) more)\b|\bany (?:more|further|other) questions\?"
                            r"|最后一个问题|下一个问题|继续提问|请提问|到此结束|就到这里")
# A call on the next questioner: "Mr Jung, please.", "Ukrinform, please.", "Next, Reuters."
_CALLS = re.compile(r"(?:^|[.!?]\s+)(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){0,2},?\s+please[.!]?$"
                    r"|^(?:next|then),?\s+[A-Z]")


_COMMITTEE = re.compile(r"(?i)\bcommittee\b|apologies|declarations? of interest|\bitem \d|agenda|order[.!]|"
                        r"call(?:ed)? to order|委员会")


def build_roster(transcript: Transcript) -> Roster:
    """Everyone who speaks, with a role: officials introduced at the start, reporters who mostly ask, at most one
    chair, and the rest from how they answer."""
    roster = Roster()
    # A caption file splits the host's introduction over several cues: the opening cues are read together too.
    opening = "".join(t.text for t in transcript.turns[:8])
    for text in [*(t.text for t in transcript.turns[:8]), opening]:
        introduced = officials_from_introduction(text)
        if introduced:
            for s in introduced:
                roster.add(s)
            roster.lead = roster.find(introduced[0].name)
            break
    introduced_names = {s.name for s in roster.speakers}
    by_label: dict[str, list[Turn]] = defaultdict(list)
    for turn in transcript.turns:
        if turn.label:
            by_label[parse_person(turn.label).name].append(turn)
    first_labelled = next((t for t in transcript.turns if t.label), None)
    for name, turns in by_label.items():
        roster.add(parse_person(turns[0].label or name))
    _merge_dotted(roster, by_label)
    members, witnesses = _header_lists(transcript)
    listed = {name: _listed_as(name, members, witnesses) for name in by_label}
    reporters = {name for name, turns in by_label.items()
                 if (s := roster.find(name)) and (s.role == "reporter" or s.role == "unknown" and listed[name] != "witness"
                                                  and (listed[name] == "member" or _asks(turns)))}
    for name in reporters:
        roster.set_role(name, "reporter")
    for name in _named_hosts(by_label, roster, transcript.lines):
        roster.set_role(name, "host")
    after, before = _neighbours_of_reporters(transcript.turns, reporters)
    chair = _chair(by_label, roster, first_labelled, reporters, after, before)
    if chair is not None:
        roster.set_role(chair, "host")
    for name, turns in by_label.items():
        speaker = roster.find(name)
        if speaker is None or speaker.role != "unknown":
            continue
        roster.set_role(name, _role_from_turns(name, turns, introduced_names, first_labelled, after[name], before[name]))
    _named_by_initials(roster, by_label, transcript)
    _legislators(roster, transcript)
    titles_from_header(transcript, roster)
    _host_named_by_label(roster, by_label, transcript.lines, after)
    _post_named_in_label(roster, by_label)
    _merge_same_person(roster, by_label)
    _merge_surname_titles(roster)
    if roster.lead is None:
        roster.lead = next((roster.find(parse_person(t.label).name) for t in transcript.turns
                            if t.label and (s := roster.find(parse_person(t.label).name)) and s.role == "official"), None)
    return roster


_DOTTED = re.compile(r"\b(Dr|Mr|Mrs|Ms|Prof|Hon|St)\.(?=\s)")


def _merge_dotted(roster: Roster, by_label: dict[str, list[Turn]]) -> None:
    """"Dr. Keane:" beside "Dr Keane:" is one speaker, under the form the file uses more."""
    forms: dict[str, list[str]] = defaultdict(list)
    for name in by_label:
        forms[_DOTTED.sub(r"\1", name)].append(name)
    for names in forms.values():
        if len(names) > 1:
            names.sort(key=lambda n: -len(by_label[n]))
            for other in names[1:]:
                if (speaker := roster.find(other)) and (into := roster.find(names[0])) and speaker is not into:
                    roster.merge(speaker, into=into)


_MEMBERS = re.compile(r"(?i)^\s*(?:(?:committee\s+|subcommittee\s+)?members|council(?:members|lors|llors)?|board)\s+"
                      r"(?:present|attending)\s*:")
# "STAFF PRESENT:" of a council meeting: who answers the members, as witnesses answer a committee
_WITNESSES = re.compile(r"(?i)^\s*witness(?:es)?(?:\s+present)?\s*:|^\s*(?:panel|in attendance|staff present)\s*:")


def _header_lists(transcript: Transcript) -> tuple[str, str]:
    """A hearing header's list of the members present and of the witnesses, each with the lines it wraps onto
    ("Members present: Representatives Vance, Okafor (ranking member),\nBrandt, Castellanos, Whitcomb, and Liu.")."""
    first = next((t.line_start for t in transcript.turns if t.label), 1)
    lines = transcript.lines[:min(first - 1, 60)]
    found = {"members": [], "witnesses": []}
    for i, line in enumerate(lines):
        kind = "members" if _MEMBERS.match(line) else "witnesses" if _WITNESSES.match(line) else None
        if kind is None:
            continue
        part = [line]
        for nxt in lines[i + 1:i + 8]:
            if not nxt.strip() or nxt[:1].isspace() or _MEMBERS.match(nxt) or _WITNESSES.match(nxt) \
                    or len(part[-1].strip()) < 55:
                break
            part.append(nxt)
        found[kind].append(" ".join(p.strip() for p in part))
    return "\n".join(found["members"]), "\n".join(found["witnesses"])


def _listed_as(name: str, members: str, witnesses: str) -> str | None:
    """'member' or 'witness' where the header lists the speaker's surname in just one of the two."""
    if has_cjk(name) or not (members or witnesses):
        return None
    words = _core(parse_person(name))
    if not words:
        return None
    said = re.compile(rf"(?<![\w-]){re.escape(words[-1])}(?![\w-])", re.I)
    if any(re.match(r"(?i)[^;,()]{0,30}\((?:the\s+)?(?:acting\s+)?chair", members[m.end():]) for m in said.finditer(members)):
        return None  # "Dame Eleanor Pryce (Chair)" chairs: not a member who asks
    in_members, in_witnesses = bool(said.search(members)), bool(said.search(witnesses))
    return "member" if in_members and not in_witnesses else "witness" if in_witnesses and not in_members else None


_LEGISLATOR = re.compile(r"(?i)^(?:sen\.|senator|rep\.|representative|congressman|congresswoman)\s+\S")


def _legislators(roster: Roster, transcript: Transcript) -> None:
    """At a hearing, "Sen. Maria Cantwell" and "Rep. Okafor" ask: members, whatever their long statements look like —
    but for the one the header names chairman ("SEN. ROGER WICKLAND (R-MISS.), CHAIRMAN"), who chairs."""
    first = next((t.line_start for t in transcript.turns if t.label), 1)
    if not re.search(r"(?i)\b(?:hearing|committee|subcommittee)\b", "\n".join(transcript.lines[:max(first - 1, 3)])):
        return  # a senator's own press conference: she answers
    # The header's list, and the labels that give the post at first use ("SEN. BILL CASSIDY (R-LA.), CHAIRMAN:").
    listed = "\n".join(transcript.lines[:min(first - 1, 60)])
    said = "\n".join([listed, *(line for line in transcript.lines if _LEGISLATOR.match(line.lstrip("[*] ")))])
    header = said.upper()
    for speaker in list(roster.speakers):
        if has_cjk(speaker.name) or not _LEGISLATOR.match(speaker.name) or speaker.role == "host":
            continue
        surname = speaker.name.split()[-1].upper()
        chairs = re.search(rf"\b{re.escape(surname)}\b[^\n:]{{0,30}}?,\s*(?:CHAIRMAN|CHAIRWOMAN|CHAIR)\b", header)
        # "Senator Gallagher, Minister for Finance, …" in the list of who attends: the minister answers, with that
        # post (the header's words, as it writes them).
        minister = re.search(rf"(?i)\b{re.escape(surname)}\b[^\n:]{{0,30}}?,\s*((?:assistant\s+|special\s+)?(?:minister|"
                             rf"parliamentary secretary|cabinet secretary)\b[^,\n]{{0,60}})", said)
        roster.set_role(speaker.name, "host" if chairs else "official" if minister else "reporter")
        if minister and minister.start() < len(listed):
            roster.update(roster.find(speaker.name), title=minister.group(1).strip())
        # "CANTWELL:" after "SEN. MARIA CANTWELL (D-WASH.):" is her, if no one else has her surname.
        same = [s for s in roster.speakers if s.name.split()[-1].upper() == surname and s.name != speaker.name]
        if len(same) == 1 and len(same[0].name.split()) == 1 and not same[0].title:
            roster.merge(same[0], into=roster.find(speaker.name))


def _merge_surname_titles(roster: Roster) -> None:
    """"张副局长：" beside 张建国, introduced as 省统计局副局长: the one official that surname and title name."""
    for short in [s for s in roster.speakers if has_cjk(s.name) and s.role != "reporter" and not s.title]:
        # … and "梁副主委" beside 梁文傑, 副主委兼發言人: any of the posts joined in the title
        named = [s for s in roster.officials if s is not short and (surname_title(s) == short.name or s.title and (
                 plain := simplified(short.name))[:1] == simplified(s.name)[:1] and len(plain) > 2
                 and plain[1:] in simplified(s.title) and plain[1:] in TITLE_WORDS_ZH)]
        if len(named) == 1 and roster.find(short.name) is short:
            roster.merge(short, into=named[0])


def _merge_same_person(roster: Roster, by_label: dict[str, list[Turn]] | None = None) -> None:
    """One official under several labels is one speaker: "Dr Keane:" and "Minister Brennan:" beside "Dr Tomás
    Keane, Chief Medical Officer:" and "Minister for Health, Aoife Brennan TD:" (the surname, with a post or an
    honorific, of exactly one fuller name), and "CMO:" beside the one Chief Medical Officer. Not two Morgans."""
    # Reporters by name only: "REPORTER:" is no "NBC REPORTER:".
    people = [s for s in roster.speakers if not has_cjk(s.name) and (s.role in ("official", "unknown") or s.role == "reporter"
                                                                     and not REPORTER_WORDS.search(s.name))]
    # And a host under a post and a surname ("Deputy Mayor Ruiz:", who gives the floor) whose full label only opened
    # the event ("Deputy Mayor for Communications Janet Ruiz: Good morning… It is my honor to introduce…") — not a
    # director's statement under her full label.
    hosts = [s for s in roster.speakers if s.role == "host" and not has_cjk(s.name) and _post_word(s) and len(_core(s)) == 1]

    def hosts_too(s: Speaker) -> bool:
        turns = (by_label or {}).get(s.name, [])
        return bool(turns) and all(len(t.text) < 400 and (_INTRODUCES.search(t.text) or _gives_the_floor(normalize(t.text)))
                                   for t in turns)

    for short in people + hosts:
        words = _core(short)
        # Of the same role: "HUTCHENS:" is Sen. Dale Hutchens, who asks; "PIKE:" Lauren Pike, who answers.
        standing = [s for s in people if s is not short and roster.find(s.name) is s
                    and (s.role == "reporter") == (short.role == "reporter")]
        fuller = []
        if len(words) == 1 and len(short.name) <= 5 and short.name.upper() == words[0].upper() and not short.title:
            fuller = [s for s in standing if len(_initials(s.title)) >= 2
                      and _initials(s.title) == short.name.upper()]  # "CMO" (read as "Cmo"), "CEO"
        if not fuller and short.role != "reporter" and not short.title:
            # "Official Spokesperson:" beside "Shri Randhir Jaiswal, Official Spokesperson:": the post of one of them.
            fuller = [s for s in standing if s.title and (s.title.lower() == short.name.lower() or EN_POST_HEAD.fullmatch(short.name)
                                                          and s.title.lower().startswith(short.name.lower() + " for "))]
            # … and "Minister:" beside "Minister for Foreign Affairs Dr Vivian Balakrishnan:", the one minister for a
            # portfolio (not a "Minister of State", another post)
        if not fuller and len(words) == 2 and re.fullmatch(r"[A-Z]{2,5}", words[0]) and short.role != "reporter":
            # "NSA Wi:" beside "National Security Adviser Wi Sung-lac:": the post's initials and the surname
            fuller = [s for s in standing if _initials(s.title) == words[0] and words[1] in _core(s)]
        if not fuller:
            post = _post_word(short)  # "Minister Smith" is John Smith only if John Smith is a minister
            fuller = [s for s in standing if (len(_core(s)) > len(words) >= 1 and _family(_core(s))[-len(words):] == words
                                              # "BRANDT:" beside "…, DR. BRANDT:": the honorific alone differs
                                              or _core(s) == words and EN_HONORIFICS.match(s.name + " ")
                                              and not EN_HONORIFICS.match(short.name + " ")
                                              # "HAYASHI:" beside "CHIEF CABINET SECRETARY HAYASHI:": the post
                                              or _core(s) == words and short.name == " ".join(words) and _post_word(s))
                      and (not post or post.lower() in s.title.lower().split())]
        if short.role == "host" and fuller and not hosts_too(fuller[0]):
            continue
        if len(fuller) == 1 and roster.find(short.name) is short:
            into = roster.find(fuller[0].name)
            if into is not None and into is not short:
                if not into.title and short.title:
                    roster.update(into, title=short.title)
                    into = roster.find(fuller[0].name)
                roster.merge(short, into=into)
                if short.role == "host":
                    roster.set_role(into.name, "host")


@lru_cache(maxsize=4096)  # asked of every pair of speakers: a record of hundreds of labels asks it 10⁵ times
def _label_post(s: Speaker) -> tuple[str, str]:
    """The name without the letters after it, and the post its label gives before it ('Minister' of "Minister
    Smith", '' of "Dr Keane")."""
    name = EN_NAME_SUFFIXES.sub("", s.name)
    words = name.split()
    # … and a post's head before a surname that no title list has: "Mayor Adams" beside "Mayor Eric Adams"
    bare_head = words[0] if len(words) == 2 and EN_POST_HEAD.fullmatch(words[0]) and words[1][:1].isupper() \
        and not EN_HONORIFICS.match(words[0] + " ") else ""
    return name, label_post(s) or opening_title(name) or bare_head


def _post_word(s: Speaker) -> str:
    """The head word of the post a label gives before the name: 'Minister' of "Minister Smith", '' of "Dr Keane"."""
    post = _label_post(s)[1]
    return post.split()[-1] if post else ""


def _core(s: Speaker) -> list[str]:
    return list(_core_words(s))


@lru_cache(maxsize=4096)
def _core_words(s: Speaker) -> tuple[str, ...]:
    """The name without its post, honorifics and letters after it: "Minister Brennan" → [Brennan], "Dr Tomás Keane"
    → [Tomás, Keane], "Aoife Brennan TD" → [Aoife, Brennan]."""
    name, post = _label_post(s)
    if post and name.startswith(post + " "):
        name = name[len(post) + 1:]
    while (m := EN_HONORIFICS.match(name)) and m.end() < len(name):
        name = name[m.end():]
    return tuple(name.split())


def _family(core: list[str]) -> list[str]:
    """The name up to its surname: "Lee Do-woon" is Lee's (the surname before a given name written with a hyphen and
    a small letter after it, as Korean and some Chinese names are romanised), "Tomás Keane" Keane's, "Siobhan
    Clarke-Walsh" Clarke-Walsh's."""
    return core[:-1] if len(core) >= 2 and HYPHENATED_GIVEN.fullmatch(core[-1]) else core


def _initials(title: str) -> str:
    return "".join(w[0] for w in title.split() if w[:1].isupper())


def _named_hosts(by_label: dict[str, list[Turn]], roster: Roster, lines: list[str]) -> list[str]:
    """A header line "Moderator: James Corrigan, Head of Media Relations" (主持人：黎思远) names who chairs: the
    labels of that name ("JAMES CORRIGAN:") are the host's, not an official's."""
    named = []
    for name, turns in by_label.items():
        speaker = roster.find(name)
        if speaker is None or speaker.role != "host" or len(turns) != 1:
            continue
        text = normalize(_after_label(lines, turns[0])).strip() or normalize(turns[0].text).strip()
        if len(text) > 120:
            continue
        for other, theirs in by_label.items():
            s = roster.find(other)
            if other == name or s is None or s.role != "unknown" or s.title or theirs[0].line_start < turns[0].line_start:
                continue  # a titled label ("Governor Marsh, the floor is yours.") is an official called on
            rest = text[len(other):] if text.lower().startswith(other.lower()) else _after_surname(text, other)
            # Only the name, or the name and a post: "James Corrigan, Head of Media Relations", "黎思远".
            if rest is not None and (not rest.strip(" .") or re.fullmatch(r"\s*[,，(（]\s*[^.!?。！？]{0,80}", rest)
                                     and EN_POST_HEAD.search(rest) or rest[:1] in "，(（" and has_cjk(rest)):
                named.append(other)
    return named


_KEY_LINE = re.compile(r"^\s*([A-Z]{2,4})\s*[:=–—-]?\s+((?:(?:Dr|Mr|Mrs|Ms|Prof|Professor)\.?\s+)?[A-Z][\w'’-]+"
                       r"(?:\s+[A-Z][\w'’-]+){1,3})\s*$")
_FULL_NAME = re.compile(r"\b((?:Dr|Mr|Mrs|Ms|Prof|Professor)\.?\s+)?([A-Z][a-z][\w'’-]*(?:\s+[A-Z][a-z][\w'’-]*){1,3})"
                        r"(?:,?\s+(?:from|of|with)\s+((?:the\s+)?[A-Z][\w&'’-]*(?:\s+[A-Z][\w&'’-]*){0,3}))?")


def _named_by_initials(roster: Roster, by_label: dict[str, list[Turn]], transcript: Transcript) -> None:
    """Labels that are initials ("TAG:", "HM:") name who the file says they are: a speaker key above the first turn
    ("Speaker key:\nTAG Dr Tedros Adhanom Ghebreyesus"), else the one name of those initials the turn before says
    ("The first question goes to Helen Marsh from Reuters."), with the outlet she is from."""
    first = next((t.line_start for t in transcript.turns if t.label), 1)
    key = {m[1]: m[2] for line in transcript.lines[:min(first - 1, 60)] if (m := _KEY_LINE.match(line))}
    turns = transcript.turns
    for name, theirs in by_label.items():
        label = (theirs[0].label or "").strip()
        speaker = roster.find(name)
        if speaker is None or not re.fullmatch(r"[A-Z]{2,4}", label):
            continue
        full, outlet = key.get(label), ""
        if full is None:
            at = turns.index(theirs[0])
            before = turns[at - 1].text if at else ""
            found = {(m[2], m[3] or "") for m in _FULL_NAME.finditer(before) if _initials(m[2]) == label}
            if len({n for n, _ in found}) != 1:
                continue
            full, outlet = found.pop()
        if roster.find(full) is None:
            roster.update(speaker, name=full, organization=speaker.organization or outlet)


def _after_label(lines: list[str], turn: Turn) -> str:
    """What the label's own line says after its colon: the header entry itself ("Moderator: James Corrigan, Head of
    Media Relations"), whatever note below it ("[Transcript prepared by …]") joined the turn."""
    own = lines[turn.line_start - 1] if 0 < turn.line_start <= len(lines) else ""
    return re.split(r"[:：]", own, maxsplit=1)[-1]


def _host_named_by_label(roster: Roster, by_label: dict[str, list[Turn]], lines: list[str],
                         answering: dict[str, int] | None = None) -> None:
    """"**主持人：**省政府新闻办公室副主任　刘洋" — a host label whose first turn is only a post and a name, as a page's
    header lists who chairs — names the host: 刘洋, 副主任 of 省政府新闻办公室, under the label 主持人."""
    for name, turns in by_label.items():
        speaker = roster.find(name)
        if speaker is None or speaker.role != "host" or not has_cjk(name) or speaker.title or len(name) > 4:
            continue
        text = normalize(re.sub(r"\*\*", "", _after_label(lines, turns[0]))).strip()
        # Only a post and a name: not "首先请王建国厅长介绍情况", a host's words without a stop.
        if len(text) > 40 or re.search(r"[。！？!?，,；;]|请|介绍|下面|首先|现在|欢迎|谢谢", text):
            continue
        head, person = split_title_name(re.sub(r"[\s　]+", "", text))
        if not (head and 2 <= len(person) <= 3 and has_cjk(person)):
            continue
        organization, title = split_org_title(head)
        known = roster.find(person)
        if known is None:
            roster.update(speaker, name=person, title=title, organization=organization)
        elif known.role != "reporter":
            # "主持人：国务院新闻办公室新闻局局长、新闻发言人 陈文俊" over "**陈文俊：**" turns: he is the host, under both —
            # unless he answers too (he speaks straight after a reporter): a presiding spokesperson.
            answers = bool((answering or {}).get(person))
            roster.update(known, role=known.role if answers else "host", title=known.title or title,
                          organization=known.organization or organization)
            roster.merge(speaker, into=roster.find(person))
        return  # one host


def _post_named_in_label(roster: Roster, by_label: dict[str, list[Turn]]) -> None:
    """"The Chair (Hon. Judy Sgro (Humber River—Black Creek, Lib.)):" once, "The Chair:" after: she chairs, under
    her name, and both labels are hers; "The Cabinet Secretary for Net Zero and Energy (Kirsty Galloway):" once,
    "Kirsty Galloway:" after: one speaker, who holds that post."""
    for name, turns in by_label.items():
        speaker = roster.find(name)
        if speaker is None or not name.startswith("The ") or speaker.name != name:
            continue
        person = next((p for t in turns if (p := chair_in_label(t.label or ""))), None)
        if person is None:
            continue
        known = roster.find(person)
        if known is None:
            roster.update(speaker, name=person, title=speaker.title or name[4:])
        elif known is not speaker and known.role != "reporter":
            roster.update(known, title=known.title or speaker.title or name[4:],
                          role=speaker.role if speaker.role == "host" else known.role)
            roster.merge(speaker, into=roster.find(person))


def _after_surname(text: str, label: str) -> str | None:
    """What follows the name in "Lucia Ortega, Press Secretary to the Governor" when the label gives only an honorific
    and her surname ("MS. ORTEGA:"); None if the text opens with no name ending in that surname."""
    words = _core(parse_person(label))
    m = re.match(r"((?:[A-Z][\w'’-]+[ \t]+){1,2})([A-Z][\w'’-]+)", text)
    if len(words) != 1 or not m or m.group(2).lower() != words[0].lower() or not EN_HONORIFICS.match(label + " "):
        return None
    return text[m.end():]


def _asks(turns: list[Turn]) -> bool:
    """A questioner: most turns ask something, or (a committee member, who also comments and thanks) at least
    three in ten end on a question, in turns of a questioner's length. Either way their long turns too end on a
    question four times in ten or more: members 0.4-1.0, witnesses at most 0.33 (the committee hearings of QMSum
    train) — and a press secretary who calls "Go ahead, Jeff?" between long answers is no questioner."""
    texts = [normalize(t.text) for t in turns]

    def ends_asking(t: str) -> bool:
        return "?" in t[-150:] or "？" in t[-150:]

    long = [t for t in texts if len(t) >= 200]
    if long and sum(map(ends_asking, long)) / len(long) < 0.4:
        return False
    if sum(1 for t in texts if "?" in t or ASKING.search(t)) / len(texts) >= 0.5:
        return True
    return len(texts) >= 3 and sum(map(ends_asking, texts)) / len(texts) >= 0.3 and sum(map(len, texts)) / len(texts) <= 700


def _neighbours_of_reporters(turns: list[Turn], reporters: set[str]) -> tuple[dict[str, int], dict[str, int]]:
    """How often each speaker speaks right after a reporter (answers) and right before one (calls on them)."""
    after: dict[str, int] = defaultdict(int)
    before: dict[str, int] = defaultdict(int)
    labelled = [parse_person(t.label).name for t in turns if t.label]
    for prev, cur in zip(labelled, labelled[1:]):
        if prev in reporters and cur not in reporters:
            after[cur] += 1
        if cur in reporters and prev not in reporters:
            before[prev] += 1
    return after, before


def _role_from_turns(
    name: str, turns: list[Turn], introduced: set[str], first: Turn | None, answers: int, calls: int
) -> str:
    """Officials (ministers, witnesses) answer questioners; the first speaker of a briefing whose officials were
    introduced is its host. Whoever else is neither asks nor chairs is an official: a witness who adds to a
    minister's answer speaks before the next questioner, which is no reason to drop what they said."""
    if name in introduced:
        return "official"
    # The first speaker of a briefing whose officials were introduced hosts it — unless they answer the reporters
    # themselves: a ministry's spokesperson opens, answers most questions and hands some to the guest official.
    if first is not None and turns[0] is first and introduced and not (answers >= 2 and answers >= calls):
        return "host"
    average = sum(len(t.text) for t in turns) / len(turns)
    if not answers and average < 12:
        return "host"  # a credit line ('责任编辑：乔娅丽') or a bare call, never a reply to a question
    return "official"


def _chair(by_label: dict[str, list[Turn]], roster: Roster, first: Turn | None, reporters: set[str],
           after: dict[str, int], before: dict[str, int]) -> str | None:
    """At most one chair is inferred: the first speaker when they open the meeting, else the one who mostly calls
    on questioners (speaks before them far more than after them) in short turns."""
    if any(s.role == "host" for s in roster.speakers):
        return None
    if first is not None and first.label:
        name = parse_person(first.label).name
        speaker = roster.find(name)
        if speaker is not None and speaker.role in ("unknown", "reporter") and _PRESIDES.match(name) \
                and _COURT_OPENS.search(normalize(first.text)[:400]):
            return name  # a court's "CHIEF JUSTICE ROBERTS: We'll hear argument first…": he presides, and asks
        if speaker is not None and speaker.role in ("unknown", "official") and _OPENING.search(normalize(first.text)[:400]) \
                and before[name] >= 2 and not re.search(r"\d", first.text) and len(by_label[name]) >= 3 \
                and all(_gives_the_floor(normalize(t.text)) for t in by_label[name][1:]):
            # A public information officer who introduces herself with the officials ("I'm Lieutenant Sarah Kim, public
            # information officer…"), then only calls on reporters and closes: she hosts.
            return name
        if speaker is not None and speaker.role in ("unknown", "reporter") and _OPENING.search(normalize(first.text)[:400]) \
                and len(by_label) >= 3 and (len(by_label[name]) >= 3 or len(by_label[name]) == 2 and not after[name]
                                            and all(_gives_the_floor(normalize(t.text)) for t in by_label[name])) \
                and (speaker.role == "reporter" and (len(reporters) >= 2 or _COMMITTEE.search(normalize(first.text)[:600]))
                     or _calls_on_questioners(by_label[name], before[name], after[name], _named(reporters))):
            # One who asks alone chairs a committee's proceedings, or interviews (a programme's presenter); one who
            # speaks twice only to welcome and to thank (a press secretary's doorstop) hosts it.
            return name
    candidates = []
    for name, turns in by_label.items():  # nobody opened: the one who calls on questioners in short turns
        speaker = roster.find(name)
        if speaker is None or speaker.role != "unknown" or name in reporters:
            continue
        average = sum(len(t.text) for t in turns) / len(turns)
        if before[name] >= 2 and before[name] > 2 * after[name] and average < 300 \
                or before[name] >= 1 and not after[name] and len(turns) >= 2 \
                and all(_MANAGES_FLOOR.search(normalize(t.text)) and not re.search(r"\d", t.text) for t in turns):
            # … or who only manages the floor: "PRESS SECRETARY: We are running out of time, so this will be the last
            # question." and "This concludes the press conference."
            candidates.append((before[name] - after[name], name))
    return max(candidates)[1] if candidates else None


def _calls_on_questioners(turns: list[Turn], before: int, after: int, named_questioners: bool) -> bool:
    """The opener chairs if they speak before questioners far more than after them — or, when the questioners are
    members called by name (a committee), clearly more often and in short turns: a chair also thanks and follows up
    (21 before and 12 after, 150 characters a turn). Not a premier who opens a press conference with "Good morning"
    and answers "Q:" in short turns: whoever answers speaks before the next question too."""
    average = sum(len(t.text) for t in turns) / len(turns)
    relaxed = named_questioners and before >= after + 3 and average < 250
    # A press club's chair who welcomes, gives the floor ("Mr Jung, please.") and closes, and answers no one: each
    # turn a welcome, a call or the floor's business, none with a figure (not a governor's statement of the
    # emergency, her questions left to the commissioners).
    floor_only = (before >= 1 or len(turns) >= 2) and after == 0 and all(_gives_the_floor(normalize(t.text)) for t in turns)
    return before >= 2 and (before > 2 * after or relaxed) or floor_only


def _gives_the_floor(text: str) -> bool:
    """A welcome, a call on the next questioner, the floor's business or thanks: no figure, and no question but the
    room's ("Are there any further questions?") — not a reporter's "Good morning, Prime Minister. Will you…?"."""
    return len(text) < 400 and not re.search(r"\d", text) and ("?" not in text or bool(_MANAGES_FLOOR.search(text))) \
        and bool(_OPENING.search(text[:200]) or _MANAGES_FLOOR.search(text) or _CALLS.search(text) or _THANKS_ONLY.fullmatch(text))


_THANKS_ONLY = re.compile(r"(?i)(?:(?:thank you|thanks)[^.?!]{0,30}[.!]\s*){1,3}")  # "Thank you, Minister. Thank you everyone."


def _named(reporters: set[str]) -> bool:
    """Questioners with names of their own (members), not "Q" or "记者"."""
    return sum(1 for name in reporters if not REPORTER_WORDS.search(name)) >= 2
