"""Titles and bodies of English speakers, from the transcript's header: labels say "MS. LEAVITT:" or "Dr Greaves:",
while the lines above the first turn say who they are — "Press Briefing by Press Secretary Karoline Leavitt and
Secretary of Agriculture Brooke Rollins", "Witnesses: Rachel Whitfield MP, Minister for Water and Flooding, Department
for Environment, Food and Rural Affairs; Dr Martin Greaves, Chief Executive, Environment Agency"."""

from __future__ import annotations

import re

from qa.ingest.turns import Transcript
from qa.lexicon import EN_HONORIFICS, EN_NAME_SUFFIXES, EN_POST_HEAD, has_cjk
from qa.speakers.roster import Roster, split_org_title, split_title_name

HEADER_LINES = 40
HEADER_CHARS = 4000  # each speaker's name is looked for in it: bounded, whatever a file puts above its first turn
# A post starts with its head word, or one or two capitalised words before it ("Deputy Chief Executive").
_POST = re.compile(r"(?:[A-Z][\w'’-]*[ \t]+){0,2}" + EN_POST_HEAD.pattern)
_TITLE_WORD = r"(?:[A-Z][\w'’.-]*|of|for|and|the|on)"
_SUFFIX = r"(?:\s+(?:MP|AM|MS|MSP|MLA|TD|QC|KC|OBE|MBE|CBE))?"


def titles_from_header(transcript: Transcript, roster: Roster) -> None:
    """Give each English speaker with no title (or only the label's "Secretary") the title and body the header
    says they hold. Only a named match counts: the surname, capitalised, next to a title. A Chinese speaker without
    a title gets the one the header writes before their name ("外交部发言人宋立群主持例行记者会")."""
    first = next((t.line_start for t in transcript.turns if t.label), None)
    if not first or first <= 1:
        return
    header = "\n".join(transcript.lines[: min(first - 1, HEADER_LINES)])[:HEADER_CHARS]  # a header, not a page
    if not header.strip():
        return
    if has_cjk(header):
        _chinese_titles(header, roster)
        return
    for speaker in list(roster.speakers):
        if has_cjk(speaker.name) or speaker.role in ("reporter", "host"):
            continue
        if not speaker.title and _POST.fullmatch(speaker.name):
            if person := _holder(header, speaker.name):  # "TREASURER:" and "Treasurer The Hon Daniel Okafor MP"
                roster.update(speaker, name=f"{speaker.name} {person}", title=speaker.name)
            continue
        surname = _surname(speaker.name)
        if not surname:
            continue
        found = _after(header, surname) or _before(header, surname)
        if found is None:
            continue
        title, organization = found
        if speaker.title and not (len(title) > len(speaker.title) and speaker.title in title):
            title = speaker.title
        roster.update(speaker, title=title, organization=speaker.organization or organization)


_AFTER_NAME = "主持|出席|介绍|答|回答|表示|就|在|和|与|及|先生|女士|同志|说"


def _chinese_titles(header: str, roster: Roster) -> None:
    for speaker in list(roster.speakers):
        if not has_cjk(speaker.name) or speaker.title or speaker.role in ("reporter", "host") or len(speaker.name) < 2:
            continue
        # The name ends where a verb or a mark follows: 张伟 is not 张伟东 of "…副局长张伟东主持…".
        m = re.search(rf"([\u4e00-\u9fff]{{2,24}}){re.escape(speaker.name)}(?=[^\u4e00-\u9fff]|$|{_AFTER_NAME})",
                      re.sub(r"\d+\s*[年月日]", " ", header))
        if not m:
            continue
        head, name = split_title_name(m.group(1) + speaker.name)
        if name != speaker.name or not head:
            continue
        organization, title = split_org_title(head)
        if title:
            roster.update(speaker, title=title, organization=speaker.organization or organization)


def _holder(header: str, post: str) -> str | None:
    """Who holds a post the labels give alone: "Prime Minister The Hon Sarah Whitlock MP; Treasurer The Hon Daniel
    Okafor MP" → 'Sarah Whitlock' for "Prime Minister". The name follows the post, capitalised, two or three words."""
    m = re.search(rf"(?<![\w-])(?i:{re.escape(post)})[ \t]+(?i:the[ \t]+)?(?i:(?:right|rt\.?)[ \t]+)?"
                  rf"(?i:hon(?:ourable|\.)?[ \t]+)?((?:(?:Dr|Mr|Mrs|Ms|Prof)\.?[ \t]+)?[A-Z][\w'’-]+(?:[ \t]+[A-Z][\w'’-]+){{1,2}})",
                  header)
    if not m:
        return None
    name = EN_NAME_SUFFIXES.sub("", m.group(1)).strip()
    if len(name.split()) < 2 or EN_POST_HEAD.search(name):  # "Prime Minister Deputy Prime Minister" names no one
        return None
    return name


def _surname(name: str) -> str | None:
    words = EN_NAME_SUFFIXES.sub("", EN_HONORIFICS.sub("", name)).split()
    return words[-1] if words and words[-1][:1].isupper() and len(words[-1]) >= 3 else None


def _after(header: str, surname: str) -> tuple[str, str] | None:
    """"Rachel Whitfield MP, Minister for Water and Flooding, Department for …;" → (title, body)."""
    pattern = rf"\b{re.escape(surname)}{_SUFFIX},[ \t]*([^,;.\n]{{3,80}}?)(?:,[ \t]*([^;.\n]{{3,120}}?))?[ \t]*(?=[;.\n]|$)"
    for m in re.finditer(pattern, header):
        # The post itself, not a clause: "Chief Executive", "Minister for Water", not "responding to the Chief …".
        if _POST.match(m.group(1)):
            return m.group(1).strip(), (m.group(2) or "").strip()
    return None


def _before(header: str, surname: str) -> tuple[str, str] | None:
    """"… by Press Secretary Karoline Leavitt and Secretary of Agriculture Brooke Rollins" → (title, "")."""
    pattern = rf"((?:{_TITLE_WORD}[ \t]+){{1,7}})[A-Z][\w'’-]+[ \t]+{re.escape(surname)}\b"  # on one line
    for m in re.finditer(pattern, header):
        words = m.group(1).split()
        if "and" in words:  # "Karoline Leavitt and Secretary of Agriculture": the title starts after the 'and'
            words = words[len(words) - words[::-1].index("and"):]
        words = words[-5:]
        while words and words[0] in ("of", "for", "the", "on"):
            words = words[1:]
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
    for joint in ("of", "for"):
        if joint in words[1:3]:
            at = words.index(joint)
            head, rest = words[:at], words[at + 1:]
            if 1 <= len(rest) <= 3 and "and" not in rest:
                forms.add(" ".join(rest + head))
    return forms
