"""Speaker corrections that last: a small TOML file beside the transcript (`<file>.speakers.toml`), written by an
editor or by the admin page, applied on every parse and build.

    # exchange 3 is answered by 韩爱朋 (all its answers, or only `answer = N`)
    [[answer]]
    exchange = 3
    speaker = "韩爱朋"
    title = "司长"                       # optional: for a speaker not on the roster
    organization = "国家知识产权局"       # optional

    # the label 'Senator Smith' is a member asking questions, not an official answering them
    [[label]]
    label = "Senator Smith"
    role = "member"                      # official | host | reporter | member (a questioner, like a reporter)

A corrected answer's evidence is "corrected by an editor", its confidence 1.0."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qa.errors import TranscriptError
from qa.speakers.roster import Speaker, parse_person

if TYPE_CHECKING:
    from qa.speakers.attribution import Briefing

SUFFIX = ".speakers.toml"
EDITOR_EVIDENCE = "corrected by an editor"
ROLES = {"official": "official", "host": "host", "reporter": "reporter", "member": "reporter"}


@dataclass(frozen=True)
class AnswerFix:
    exchange: int
    speaker: str
    answer: int | None = None
    title: str = ""
    organization: str = ""


@dataclass(frozen=True)
class LabelFix:
    label: str
    role: str


@dataclass
class Corrections:
    answers: list[AnswerFix] = field(default_factory=list)
    labels: list[LabelFix] = field(default_factory=list)
    path: str = ""

    @property
    def roles(self) -> dict[str, str]:
        """Label name → the role the roster must give it (a 'member' asks questions, so is read as a reporter)."""
        return {parse_person(fix.label).name: ROLES[fix.role] for fix in self.labels}

    def apply(self, briefing: Briefing) -> Briefing:
        """Give the corrected answers their speaker, with the editor as evidence; refuse an exchange that is not there."""
        roster = {s.name: s for s in briefing.speakers}
        for fix in self.answers:
            if not 0 <= fix.exchange < len(briefing.exchanges):
                raise TranscriptError(f"Speaker corrections '{self.path}': exchange {fix.exchange} does not exist "
                                      f"(the transcript has 0-{len(briefing.exchanges) - 1}): fix or delete that entry")
            name = briefing.aliases.get(fix.speaker, fix.speaker)  # "Treasurer", as the label said it
            speaker = roster.get(name) or Speaker(name, fix.title, fix.organization, "official")
            if fix.title or fix.organization:
                speaker = replace(speaker, title=fix.title or speaker.title, organization=fix.organization or speaker.organization)
            if speaker.name not in roster:
                briefing.speakers.append(speaker)
                roster[speaker.name] = speaker
            answers = [a for a in briefing.exchanges[fix.exchange].answers if a.kind == "answer"]
            chosen = answers if fix.answer is None else answers[fix.answer:fix.answer + 1]
            for utterance in chosen:
                utterance.speaker, utterance.evidence, utterance.confidence = speaker, EDITOR_EVIDENCE, 1.0
        return briefing

    def to_toml(self) -> str:
        out = [f"# Speaker corrections, applied on every build (see qa/speakers/overrides.py).", ""]
        for fix in self.answers:
            out += ["[[answer]]", f"exchange = {fix.exchange}"]
            if fix.answer is not None:
                out.append(f"answer = {fix.answer}")
            out.append(f"speaker = {_toml_string(fix.speaker)}")
            out += [f"{key} = {_toml_string(value)}" for key, value in (("title", fix.title), ("organization", fix.organization)) if value]
            out.append("")
        for fix in self.labels:
            out += ["[[label]]", f"label = {_toml_string(fix.label)}", f"role = {_toml_string(fix.role)}", ""]
        return "\n".join(out)


def overrides_path(transcript: Path) -> Path:
    return transcript.with_name(transcript.name + SUFFIX)


def overrides_digest(transcript: Path) -> str | None:
    """The corrections file's hash (None without one): part of the build's cache key, so an edit rebuilds."""
    try:
        return hashlib.sha256(overrides_path(transcript).read_bytes()).hexdigest()
    except FileNotFoundError:
        return None


def load_corrections(transcript: Path) -> Corrections | None:
    path = overrides_path(transcript)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise TranscriptError(f"Speaker corrections '{path}' cannot be read ({exc}): re-save them as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TranscriptError(f"Speaker corrections '{path}' are not valid TOML ({exc}): fix the file or delete it") from None
    return corrections_from_dict(data, name=str(path))


def corrections_from_dict(data: dict[str, Any], *, name: str) -> Corrections:
    """Validate the entries (from TOML or the admin page's JSON), naming the one that is wrong."""
    unknown = set(data) - {"answer", "label"}
    if unknown:
        raise TranscriptError(f"Speaker corrections '{name}' have unknown section {sorted(unknown)[0]!r}: use [[answer]] or [[label]]")
    answers, labels = [], []
    for i, entry in enumerate(_entries(data, "answer", name)):
        exchange, speaker = entry.get("exchange"), entry.get("speaker")
        if not isinstance(exchange, int) or isinstance(exchange, bool) or exchange < 0:
            raise TranscriptError(f"Speaker corrections '{name}' answer[{i}].exchange must be a number ≥ 0, got {exchange!r}")
        if not isinstance(speaker, str) or not speaker.strip() or len(speaker) > 80:
            raise TranscriptError(f"Speaker corrections '{name}' answer[{i}].speaker must be a name, got {speaker!r}")
        answer = entry.get("answer")
        if answer is not None and (not isinstance(answer, int) or answer < 0):
            raise TranscriptError(f"Speaker corrections '{name}' answer[{i}].answer must be a number ≥ 0, got {answer!r}")
        answers.append(AnswerFix(exchange, speaker.strip(), answer, str(entry.get("title") or "")[:80],
                                 str(entry.get("organization") or "")[:80]))
    for i, entry in enumerate(_entries(data, "label", name)):
        label, role = entry.get("label"), entry.get("role")
        if not isinstance(label, str) or not label.strip():
            raise TranscriptError(f"Speaker corrections '{name}' label[{i}].label must be the label as written")
        if role not in ROLES:
            raise TranscriptError(f"Speaker corrections '{name}' label[{i}].role is {role!r}: use one of {', '.join(ROLES)}")
        labels.append(LabelFix(label.strip(), role))
    return Corrections(answers, labels, name)


def _entries(data: dict[str, Any], key: str, name: str) -> list[dict]:
    entries = data.get(key, [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise TranscriptError(f"Speaker corrections '{name}': '{key}' must be a list of tables ([[{key}]])")
    return entries


def _toml_string(value: str) -> str:
    """A TOML basic string: JSON's escapes (\\", \\\\, \\n, \\uXXXX) are valid TOML."""
    import json

    return json.dumps(value, ensure_ascii=False)
