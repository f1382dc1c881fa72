"""Speakers as an English reader needs them: names in pinyin, titles and bodies in the English the bodies use.

The words come from a glossary shipped as data (qa/data/english-glossary.json), so a press office can correct or
extend it without touching code; a name it lacks is spelled by pypinyin, a body it lacks is left in Chinese rather
than guessed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from qa.lexicon import has_cjk, top_organization
from qa.speakers.roster import Speaker

GLOSSARY_PATH = Path(__file__).resolve().parent.parent / "data" / "english-glossary.json"


@dataclass(frozen=True)
class EnglishGlossary:
    names: dict[str, str]
    roles: dict[str, str]
    organizations: dict[str, str]
    departments: dict[str, str]
    titles: dict[str, str]

    @classmethod
    def load(cls, path: Path = GLOSSARY_PATH) -> "EnglishGlossary":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(*(dict(data.get(key, {})) for key in ("names", "roles", "organizations", "departments", "titles")))

    def name(self, name: str) -> str:
        """杜墨 → Du Mo: the glossary's spelling, else pypinyin's (surname first, given name joined)."""
        if not has_cjk(name):
            return name
        if name in self.names:
            return self.names[name]
        return pinyin_name(name) or name

    def title(self, title: str, organization: str = "") -> str:
        """副局长、新闻发言人 → each post translated, joined with 'and' (the body's own English first, as 国家知识产权局
        副局长 → Deputy Commissioner); '' when a post is unknown."""
        if not title or not has_cjk(title):
            return title
        top = top_organization(organization) if organization else ""
        parts = [p for p in title.replace("，", "、").split("、") if p]
        english = [self.titles.get(top + p) or self.titles.get(p) for p in parts]
        return " and ".join(english) if all(english) else ""

    def organization(self, organization: str) -> str:
        """金融监管总局法规司 → Department of Laws and Regulations, National Financial Regulatory Administration."""
        if not organization or not has_cjk(organization):
            return organization
        if organization in self.organizations:
            return self.organizations[organization]
        top = top_organization(organization)
        body = self.organizations.get(top, "")
        department = organization[len(top):] if organization.startswith(top) else ""
        if not body:
            return ""
        if not department:
            return body
        department_en = self.departments.get(department)
        return f"{department_en}, {body}" if department_en else ""

    def role(self, speaker: Speaker) -> str:
        """The whole role in one phrase: 'Head of the Department of …, National Financial Regulatory Administration'."""
        whole = self.roles.get(f"{speaker.organization}{speaker.title}")
        if whole:
            return whole
        title, organization = self.title(speaker.title, speaker.organization), self.organization(speaker.organization)
        if title and organization:
            department, _, body = organization.partition(", ")
            if body:
                return f"{title} of the {department}, {body}"
            return f"{title}, {organization}"
        return title or organization

    def speaker_fields(self, speaker: Speaker) -> dict[str, str]:
        """The optional English fields of an /ask speaker object (empty strings where the glossary has no English)."""
        name = self.name(speaker.name)
        role = self.role(speaker)
        return {
            "name_en": name,
            "title_en": self.title(speaker.title, speaker.organization),
            "organization_en": self.organization(speaker.organization),
            "display_en": f"{name}, {role}" if role else name,
        }


@lru_cache(maxsize=1)
def default_glossary() -> EnglishGlossary:
    return EnglishGlossary.load()


def pinyin_name(name: str) -> str:
    """韩爱朋 → Han Aipeng (pypinyin, no tones); '' without pypinyin."""
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return ""
    syllables = [s for s in lazy_pinyin(name) if s.strip()]
    if not syllables:
        return ""
    surname, given = syllables[0].capitalize(), "".join(syllables[1:]).capitalize()
    return f"{surname} {given}".strip()


def add_english(body: dict) -> dict:
    """The /ask body with each speaker's optional English fields (name_en, title_en, organization_en, display_en)."""
    glossary = default_glossary()
    for answer in body.get("answers", []):
        s = answer["speaker"]
        answer["speaker"] = {**s, **glossary.speaker_fields(Speaker(s["name"], s.get("title", ""), s.get("organization", "")))}
    return body
