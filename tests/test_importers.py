"""HTML, PDF, DOCX, JSON and 问/答 importers: each fixture (made like the real files, scripts/make_import_fixtures.py)
gives the same turns, speakers and answers as the plain-text version of the same transcript; bad files are refused
with one line naming the file and the fix."""

from __future__ import annotations

import io
import json
import shutil
import sys
import time
import zipfile
from pathlib import Path

import pytest

from qa import TranscriptError, attribute_speakers
from qa.ingest.transcripts import TRANSCRIPT_SUFFIXES, detect_file_format, load_transcript, parse_transcript_bytes

from .conftest import BRIEFING, ROOT, SAMPLES

FIXTURES = SAMPLES / "imports"
SOURCES = json.loads((FIXTURES / ".sources.json").read_text(encoding="utf-8"))
sys.path.insert(0, str(ROOT / "scripts"))
import import_bench  # noqa: E402


@pytest.mark.parametrize("fixture", sorted(SOURCES))
def test_import_round_trips_to_the_plain_text_parse(fixture):
    meta = SOURCES[fixture]
    imported = attribute_speakers(load_transcript(FIXTURES / fixture))
    scores = import_bench.compare(import_bench.reference_briefing(fixture, meta), imported, import_bench.diariser_names(meta))
    assert (scores["turns"], scores["speakers"], scores["answers"]) == (1.0, 1.0, 1.0), scores


@pytest.mark.parametrize("fixture", sorted(SOURCES))
def test_citations_point_into_the_stored_normalised_text(fixture):
    """Every answer's line span holds its text: the transcript page and #L anchors show what was cited."""
    transcript = load_transcript(FIXTURES / fixture)
    briefing = attribute_speakers(transcript)
    for exchange in briefing.exchanges:
        for answer in exchange.answers:
            cited = "".join(transcript.lines[answer.line_start - 1:answer.line_end]).replace(" ", "").replace("*", "")
            assert answer.text.split("\n")[0].replace(" ", "")[:20] in cited


def test_formats_are_detected_by_content_whatever_the_suffix():
    assert detect_file_format((FIXTURES / "fomc-printed.pdf").read_bytes(), suffix=".txt") == "pdf"
    assert detect_file_format((FIXTURES / "mofcom-labelled.docx").read_bytes()) == "docx"
    assert detect_file_format((FIXTURES / "govcn-briefing.html").read_bytes()) == "html"
    assert detect_file_format((FIXTURES / "mofcom-qmsum.json").read_bytes()) == "json"
    assert detect_file_format(BRIEFING.read_bytes(), suffix=".md") is None
    assert {".html", ".pdf", ".docx", ".json"} <= set(TRANSCRIPT_SUFFIXES)


def test_format_option_forces_an_importer():
    data = (FIXTURES / "mofcom-turns.json").read_bytes()
    assert parse_transcript_bytes(data, name="turns.txt", format="json").format == "json"
    with pytest.raises(TranscriptError, match="not valid JSON"):
        parse_transcript_bytes(BRIEFING.read_bytes(), name="b.md", format="json")


def test_qa_transcript_answerer_comes_from_the_title():
    briefing = attribute_speakers(load_transcript(SAMPLES / "mfa-qa.txt"))
    assert briefing.transcript.format == "qa"
    assert {a.speaker.name for e in briefing.exchanges for a in e.answers} == {"洪磊"}
    assert briefing.exchanges[0].answers[0].speaker.organization == "外交部"
    assert all(e.question is not None for e in briefing.exchanges)


def test_english_qa_transcript_answerer_from_press_briefing_by():
    text = ("Press Briefing by Press Secretary Jane Doe\n\nQ: Will the President travel next week?\n\n"
            "A: He will go to Ottawa on Monday.\n\nQ: And the budget?\n\nA: We sent it to Congress today.\n")
    briefing = attribute_speakers(parse_transcript_bytes(text.encode(), name="wh.txt"))
    assert {a.speaker.name for e in briefing.exchanges for a in e.answers} == {"Press Secretary Jane Doe"}


def test_an_interview_names_its_answerer_and_its_title_from_the_header():
    """"Interview with Lena Berg, Director-General of …" above Q:/A: turns: every A is Lena Berg's, and the header
    line, not the file name, is the title, though the header runs on into a dated byline."""
    text = ("Interview with Lena Berg, Director-General of the Swedish Transport Administration\n"
            "Conducted by Johan Ek. Published 8 January 2026.\n\nQ: What did you find on your desk?\n\n"
            "A: The maintenance backlog: 95 billion kronor.\n\nQ: Where is it worst?\n\nA: In the north.\n")
    transcript = parse_transcript_bytes(text.encode(), name="interview-berg.txt")
    briefing = attribute_speakers(transcript)
    assert {a.speaker.name for e in briefing.exchanges for a in e.answers} == {"Lena Berg"}
    assert transcript.title.startswith("Interview with Lena Berg, Director-General")
    assert transcript.date == "2026-01-08"


def test_diarised_json_keeps_times_and_names_a_speaker_who_introduces_themself():
    doc = {"segments": [
        {"speaker": "SPEAKER_00", "start": 0.0, "end": 4.5, "text": "Good afternoon. I'm Jerome Powell, and I will take questions."},
        {"speaker": "SPEAKER_01", "start": 4.5, "end": 8.0, "text": "What is the outlook for rates this year?"},
        {"speaker": "SPEAKER_00", "start": 8.0, "end": 15.25, "text": "We are well positioned to wait."},
    ]}
    transcript = parse_transcript_bytes(json.dumps(doc).encode(), name="stt.json")
    assert [t.label for t in transcript.turns] == ["Jerome Powell", "SPEAKER_01", "Jerome Powell"]
    assert (transcript.turns[2].time, transcript.turns[2].end_time) == ("00:00:08.000", "00:00:15.250")
    assert transcript.lines[transcript.turns[2].line_start - 1].startswith("[00:00:08.000–00:00:15.250] Jerome Powell:")


@pytest.mark.parametrize("doc, field", [
    ({"segments": [{"speaker": "A", "start": 0}]}, "segments[0].text"),
    ([{"speaker": ["x"], "text": "hi"}], "[][0].speaker"),
    ({"segments": [{"speaker": "A", "text": "hi", "start": "soon"}]}, "segments[0].start"),
    ({"data": []}, "keys: data"),
    ([1, 2], "[][0]"),
])
def test_json_of_the_wrong_shape_names_the_field(doc, field):
    with pytest.raises(TranscriptError) as error:
        parse_transcript_bytes(json.dumps(doc).encode(), name="bad.json")
    assert "'bad.json'" in error.value.message and field in error.value.message and "\n" not in error.value.message


def test_image_only_pdf_is_refused_with_run_ocr_first():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")  # a scanned page: marks, no text
    with pytest.raises(TranscriptError, match=r"'scan.pdf' is a PDF with no text layer .*run OCR first"):
        parse_transcript_bytes(bytes(pdf.output()), name="scan.pdf")


def test_encrypted_pdf_is_refused():
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "CHAIR POWELL. Good afternoon.")
    pdf.set_encryption(owner_password="owner", user_password="secret")
    with pytest.raises(TranscriptError, match=r"'locked.pdf' is an encrypted PDF: save an unprotected copy"):
        parse_transcript_bytes(bytes(pdf.output()), name="locked.pdf")


def test_damaged_pdf_is_refused():
    data = (FIXTURES / "fomc-printed.pdf").read_bytes()[:1500]
    with pytest.raises(TranscriptError, match=r"'cut.pdf' is a damaged PDF"):
        parse_transcript_bytes(data, name="cut.pdf")


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_docx_that_is_a_renamed_zip_of_something_else_is_refused():
    data = _zip({"photos/1.jpg": b"\xff\xd8" + b"x" * 100, "readme.txt": b"holiday"})
    with pytest.raises(TranscriptError, match=r"'notes.docx' is a ZIP archive but not a Word document"):
        parse_transcript_bytes(data, name="notes.docx")


def test_zip_bomb_in_a_docx_is_refused_before_inflating():
    data = _zip({"word/document.xml": b"<" + b"a" * (120 * 1024 * 1024)})
    assert len(data) < 1024 * 1024
    with pytest.raises(TranscriptError, match=r"'bomb.docx' unpacks to 120 MB .*zip bomb"):
        parse_transcript_bytes(data, name="bomb.docx")


def test_html_with_no_transcript_is_refused():
    page = b"<!DOCTYPE html><html><head><title>Home</title><script>x()</script></head><body><nav><a>Home</a></nav></body></html>"
    with pytest.raises(TranscriptError, match=r"'home.html' is a web page with no article text"):
        parse_transcript_bytes(page, name="home.html")


def test_html_prose_without_speakers_is_refused():
    page = ("<html><body><article>" + "<p>The weather was fine and the garden grew all summer long.</p>" * 5
            + "</article></body></html>").encode()
    with pytest.raises(TranscriptError, match=r"'garden.html' has no (recognisable )?speaker turns"):
        attribute_speakers(parse_transcript_bytes(page, name="garden.html"))


@pytest.mark.parametrize("name, data, words", [
    ("bigint.json", b'[{"speaker": "A", "text": "hi", "start": ' + b"9" * 5000 + b"}]", "not usable JSON"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "nests its JSON too deep"),
    ("deep.html", b"<html><body>" + b"<div>" * 100_000 + b"<p>Q: What?</p><p>A: That.</p>" + b"</div>" * 100_000
     + b"</body></html>", r"nesting 2049\+ elements deep"),
    ("deeper.html", b"<html><body>" + b"<div>" * 300 + b"<p>Q: What?</p><p>A: That.</p>" + b"</div>" * 300
     + b"</body></html>", r"nesting 257\+ elements deep"),
    ("slashed.html", b"<html><body>" + b"<div/>" * 100_000 + b"<p>Q: What?</p></body></html>",  # HTML keeps <div/> open
     r"nesting 2049\+ elements deep"),
    ("nan.json", b'[{"speaker": "A", "text": "hi", "start": NaN}]', "cannot use"),
    ("inf.json", b'[{"speaker": "A", "text": "hi", "start": 1e999}]', "cannot use"),
    ("aws.json", b'{"results": {"speaker_labels": {"segments": [1, 2]}, "items": []}}', "cannot use|no turns"),
])
def test_files_built_to_exhaust_a_reader_are_refused_in_one_line(name, data, words):
    """A huge integer, JSON nested 100,000 deep, a page of 100,000 nested <div>s (minutes of CPU, then a stack
    overflow that aborted the whole build): each is one TranscriptError naming the file, in well under a second."""
    started = time.perf_counter()
    with pytest.raises(TranscriptError, match=words) as caught:
        parse_transcript_bytes(data, name=name)
    assert f"'{name}'" in caught.value.message and "\n" not in caught.value.message
    assert time.perf_counter() - started < 5.0


def test_an_svg_page_closes_its_own_paths():
    """Inside <svg>, "<path/>" closes itself: a page of icons is no deep page."""
    page = (b"<html><body><svg>" + b'<path d="M0"/>' * 5000 + b"</svg><p>Q: What is it now?</p>"
            b"<p>A: It is that, and it is done.</p><p>Q: When?</p><p>A: Today, at noon.</p></body></html>")
    assert parse_transcript_bytes(page, name="icons.html").turns


@pytest.mark.parametrize("text, date", [
    ("Item 45 May 2026 was agreed. Briefing of May 3, 2026.", "2026-05-03"),
    ("Published 31 February 2026; held on 2 March 2026.", "2026-03-02"),
    ("Tuesday 20 January 2026", "2026-01-20"),
])
def test_the_first_real_date_of_the_text_is_the_transcripts(text, date):
    from qa.ingest.transcripts import _find_date

    assert _find_date("t.txt", text) == date


def test_a_file_no_reader_can_read_is_skipped_and_the_others_built(tmp_path):
    from qa.index.build import build_index

    from .fakes import HashEmbedder

    folder = tmp_path / "t"
    folder.mkdir()
    shutil.copy(SAMPLES / "mfa-qa.txt", folder)
    (folder / "deep.json").write_bytes(b"[" * 100_000 + b"]" * 100_000)
    report = build_index([folder], tmp_path / "index", embedder=HashEmbedder())
    assert report.transcripts == 1 and [Path(f).name for f, _ in report.skipped] == ["deep.json"]


def test_heavy_importers_are_not_loaded_by_qa_ask_startup():
    import subprocess

    code = ("import sys, qa.cli, qa.ingest.transcripts, qa.index.build, qa.search.retrieval; "
            "print(sorted(m for m in ('pypdfium2', 'docx', 'selectolax', 'trafilatura', 'pdfplumber', 'fpdf') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"


def test_pdf_running_headers_page_numbers_and_hyphens_are_removed():
    transcript = load_transcript(FIXTURES / "fomc-printed.pdf")
    text = "\n".join(transcript.lines)
    assert "Press Conference FINAL" not in text and "Page 2 of" not in text
    assert "pro- jections" not in text and "-\n" not in text
    assert "projections" in text


@pytest.mark.parametrize("fixture", ["fomc-printed.pdf", "mofcom-labelled.docx", "whitehouse-briefing.html", "mofcom-aws.json"])
def test_damaged_copies_fail_only_with_a_transcript_error(fixture):
    """Bytes flipped and files cut short, 60 times each (seeded): a clear refusal or a parse, never a crash."""
    import random

    rng = random.Random(fixture)
    original = (FIXTURES / fixture).read_bytes()
    for _ in range(60):
        data = bytearray(original)
        for _ in range(rng.randint(1, 30)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.3:
            data = data[:rng.randrange(1, len(data))]
        try:
            attribute_speakers(parse_transcript_bytes(bytes(data), name=fixture))
        except TranscriptError as error:
            assert fixture in error.message and "\n" not in error.message


_BYLINE_PAGE = """<html><head><title>Doorstop | Prime Minister</title></head><body><header><nav>Home</nav></header>
<article><h1>Doorstop - Perth</h1><div class="field-date">2 June 2026</div>
<div class="field-speakers">Prime Minister The Hon Sarah Whitlock MP; Treasurer The Hon Daniel Okafor MP</div>
<div class="field-body"><p><strong>PRIME MINISTER:</strong> Morning all. I'll hand to Daniel on the numbers.</p>
<p><strong>TREASURER:</strong> Thanks, PM. The surplus is $4.1 billion this year.</p>
<p><strong>JOURNALIST:</strong> Treasurer, will you bank it?</p>
<p><strong>TREASURER:</strong> Every dollar of it goes to paying down debt.</p></div></article></body></html>"""


def test_html_byline_names_the_holders_of_posts_the_labels_give_alone():
    briefing = attribute_speakers(parse_transcript_bytes(_BYLINE_PAGE.encode(), name="doorstop.html"))
    officials = {s.name: s.title for s in briefing.speakers if s.role == "official"}
    assert officials == {"Prime Minister Sarah Whitlock": "Prime Minister", "Treasurer Daniel Okafor": "Treasurer"}
    answers = [a.speaker.name for e in briefing.exchanges for a in e.answers]
    assert answers.count("Treasurer Daniel Okafor") == 2 and "Treasurer" not in answers
    assert next(s for s in briefing.speakers if s.name.startswith("Treasurer")).display == "Treasurer Daniel Okafor"
    # Only the line naming posts joins the text (above the first turn): not the date, not the site's chrome.
    lines = briefing.transcript.lines
    assert "Treasurer The Hon Daniel Okafor MP" in lines[2] and not any("2 June" in line or "Home" in line for line in lines)


def _byline_officials(byline: str) -> dict[str, str]:
    page = _BYLINE_PAGE.replace("Prime Minister The Hon Sarah Whitlock MP; Treasurer The Hon Daniel Okafor MP", byline)
    briefing = attribute_speakers(parse_transcript_bytes(page.encode(), name="doorstop.html"))
    return {s.name: s.title for s in briefing.speakers if s.role == "official"}


@pytest.mark.parametrize("byline", [
    "Treasurer Statement On Budget; Prime Minister Press Office",  # a headline's words are not a name
    "Shadow Treasurer Angus Taylor; Deputy Prime Minister The Hon Richard Marles MP",  # another post
    "Assistant Treasurer Stephen Jones; Remarks by the Prime Minister Before Bilateral Meeting",
    "Treasurer Daniel Okafor visits Perth with the Prime Minister",  # a sentence, not a byline
])
def test_html_byline_without_a_named_holder_keeps_the_label(byline):
    assert _byline_officials(byline) == {"Prime Minister": "", "Treasurer": ""}


@pytest.mark.parametrize("byline", [
    "Deputy Prime Minister The Hon Richard Marles MP; Prime Minister The Hon Sarah Whitlock MP; Treasurer Daniel Okafor",
    "Prime Minister Sarah Whitlock Treasurer Daniel Okafor",
    "Press Conference with Prime Minister Sarah Whitlock and Treasurer Daniel Okafor",
])
def test_html_byline_names_each_holder_past_other_posts_and_joints(byline):
    assert _byline_officials(byline) == {"Prime Minister Sarah Whitlock": "Prime Minister",
                                         "Treasurer Daniel Okafor": "Treasurer"}


def test_a_post_label_and_a_full_label_for_one_holder_are_one_speaker():
    """"PRIME MINISTER SARAH WHITLOCK:" opens, "PRIME MINISTER:" answers later: one speaker, whom both labels find."""
    page = (_BYLINE_PAGE.replace("<strong>PRIME MINISTER:</strong> Morning all.",
                                 "<strong>PRIME MINISTER SARAH WHITLOCK:</strong> Morning all.")
            .replace("<strong>TREASURER:</strong> Every dollar", "<strong>PRIME MINISTER:</strong> Every dollar"))
    briefing = attribute_speakers(parse_transcript_bytes(page.encode(), name="doorstop.html"))
    assert sorted(s.name for s in briefing.speakers if s.role == "official") == [
        "Prime Minister Sarah Whitlock", "Treasurer Daniel Okafor"]
    last = briefing.exchanges[-1].answers[-1]
    assert last.speaker.name == "Prime Minister Sarah Whitlock" and "Every dollar" in last.text
