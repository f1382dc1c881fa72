"""Speaker corrections in <transcript>.speakers.toml: applied by the parser, marked as an editor's, kept by builds."""

from __future__ import annotations

import json
import re
import shutil

import pytest

from qa import TranscriptError, attribute_speakers, load_transcript
from qa.index.build import build_index
from qa.cli import main
from qa.speakers.overrides import AnswerFix, Corrections, LabelFix, load_corrections, overrides_path
from qa.index.store import load_index

from .conftest import BRIEFING, SAMPLES
from .fakes import HashEmbedder

FIX_EXCHANGE_3 = '[[answer]]\nexchange = 3\nspeaker = "韩爱朋"\n'


@pytest.fixture()
def corpus(tmp_path):
    folder = tmp_path / "transcripts"
    folder.mkdir()
    shutil.copy(BRIEFING, folder)
    return folder / BRIEFING.name


def test_correction_gives_the_answer_its_speaker_with_editor_evidence(corpus):
    before = attribute_speakers(load_transcript(corpus))
    assert before.exchanges[3].answers[0].confidence == 0.4
    overrides_path(corpus).write_text(FIX_EXCHANGE_3, encoding="utf-8")
    after = attribute_speakers(load_transcript(corpus), corrections=load_corrections(corpus))
    answer = after.exchanges[3].answers[0]
    assert (answer.speaker.name, answer.evidence, answer.confidence) == ("韩爱朋", "corrected by an editor", 1.0)
    assert answer.speaker.organization == "国家知识产权局知识产权运用促进司"  # the roster's speaker, not a bare name
    assert [a.speaker.name for a in after.exchanges[2].answers] == [a.speaker.name for a in before.exchanges[2].answers]


def test_label_correction_makes_a_member_a_questioner():
    text = ("Hearing of the Committee\n\nSenator Smith: What will the agency do about the backlog this year?\n\n"
            "Director Jones: We will hire forty examiners and publish monthly figures.\n\n"
            "Senator Smith: And the budget for it?\n\nDirector Jones: It is in the request we sent in March.\n")
    from qa.ingest.transcripts import parse_transcript_bytes

    transcript = parse_transcript_bytes(text.encode(), name="hearing.txt")
    fixed = attribute_speakers(transcript, corrections=Corrections(labels=[LabelFix("Senator Smith", "member")]))
    assert [e.question.questioner.name for e in fixed.exchanges if e.question] == ["Senator Smith", "Senator Smith"]
    assert {a.speaker.name for e in fixed.exchanges for a in e.answers} == {"Director Jones"}


def test_corrections_round_trip_through_toml(tmp_path):
    corrections = Corrections(answers=[AnswerFix(2, 'Jane "JD" Doe', answer=1, title="Director")],
                              labels=[LabelFix("问", "reporter")])
    target = tmp_path / "t.md"
    overrides_path(target).write_text(corrections.to_toml(), encoding="utf-8")
    loaded = load_corrections(target)
    assert (loaded.answers, loaded.labels) == (corrections.answers, corrections.labels)


@pytest.mark.parametrize("text, message", [
    ("[[answer]]\nexchange = -1\nspeaker = \"x\"\n", "answer[0].exchange must be a number"),
    ("[[answer]]\nexchange = 1\n", "answer[0].speaker must be a name"),
    ("[[label]]\nlabel = \"x\"\nrole = \"boss\"\n", "label[0].role is 'boss'"),
    ("[[answer]\n", "not valid TOML"),
    ("[[speaker]]\nname = \"x\"\n", "unknown section 'speaker'"),
])
def test_bad_corrections_file_is_refused_naming_the_entry(corpus, text, message):
    overrides_path(corpus).write_text(text, encoding="utf-8")
    with pytest.raises(TranscriptError, match=re.escape(message)) as error:
        load_corrections(corpus)
    assert ".speakers.toml" in error.value.message


def test_correction_of_a_missing_exchange_is_refused(corpus):
    overrides_path(corpus).write_text('[[answer]]\nexchange = 99\nspeaker = "韩爱朋"\n', encoding="utf-8")
    with pytest.raises(TranscriptError, match="exchange 99 does not exist"):
        attribute_speakers(load_transcript(corpus), corrections=load_corrections(corpus))


def _speaker_of(root, exchange: int) -> tuple[str, str, float]:
    index = load_index(root)
    record = next(r for r in index.answers if r.exchange == exchange)
    return record.speaker.name, record.evidence, record.confidence


def test_a_changed_correction_rebuilds_and_survives_forced_rebuilds(corpus, tmp_path):
    root = tmp_path / "index"
    embedder = HashEmbedder()
    build_index([corpus.parent], root, embedder=embedder)
    assert _speaker_of(root, 3)[0] == "胡文辉"
    overrides_path(corpus).write_text(FIX_EXCHANGE_3, encoding="utf-8")
    report = build_index([corpus.parent], root, embedder=embedder)
    assert not report.up_to_date and report.embedded  # the correction alone triggers a rebuild
    assert _speaker_of(root, 3) == ("韩爱朋", "corrected by an editor", 1.0)
    assert build_index([corpus.parent], root, embedder=embedder).up_to_date
    build_index([corpus.parent], root, embedder=embedder, force=True)
    assert _speaker_of(root, 3)[0] == "韩爱朋"
    manifest = json.loads((load_index(root).directory / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["sources"][0]["overrides_sha256"]


def test_parse_lists_low_confidence_answers_first(briefing_path, capsys):
    assert main(["parse", str(briefing_path)]) == 0
    out = capsys.readouterr().out
    first_check = out.index("Check these first")
    assert first_check < out.index("(opening statement)")
    assert "exchange   3" in out[first_check:out.index("(opening statement)")]


def test_parse_applies_the_corrections_file(corpus, capsys):
    overrides_path(corpus).write_text(FIX_EXCHANGE_3, encoding="utf-8")
    assert main(["parse", str(corpus), "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["exchanges"][3]["answers"][0]["evidence"] == "corrected by an editor"
    assert (SAMPLES / "mfa-qa.txt").exists()


def test_a_correction_naming_a_label_the_header_renamed_finds_its_speaker(tmp_path):
    """The labels say TREASURER:, the byline names him: an editor who writes the label gets the roster's speaker
    (not a second 'Treasurer'), and a role fix by his full name, as the admin page writes it, holds."""
    from .test_importers import _BYLINE_PAGE

    page = tmp_path / "doorstop.html"
    page.write_text(_BYLINE_PAGE, encoding="utf-8")
    corrections = Corrections(answers=[AnswerFix(exchange=0, speaker="Treasurer")])
    briefing = attribute_speakers(load_transcript(page), corrections=corrections)
    assert [s.name for s in briefing.speakers].count("Treasurer Daniel Okafor") == 1
    assert "Treasurer" not in {s.name for s in briefing.speakers}
    assert {a.speaker.name for a in briefing.exchanges[0].answers} == {"Treasurer Daniel Okafor"}
    member = Corrections(labels=[LabelFix(label="Treasurer Daniel Okafor", role="member")])
    roles = {s.name: s.role for s in attribute_speakers(load_transcript(page), corrections=member).speakers}
    assert roles["Treasurer Daniel Okafor"] == "reporter"
