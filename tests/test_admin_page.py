"""The admin page's routes in-process: no route without a token, 401 without the bearer, preview before storing,
corrections written beside the transcript, rebuild jobs with progress, delete confined to the transcripts folder,
and every bad file refused with one line naming it while the index stays as it was."""

from __future__ import annotations

import io
import json
import time
import zipfile

import pytest
from fastapi.testclient import TestClient

from .conftest import BRIEFING, SAMPLES
from .fakes import briefing_app

TOKEN = "t" * 24
AUTH = {"Authorization": f"Bearer {TOKEN}"}
IMPORTS = SAMPLES / "imports"


@pytest.fixture()
def admin(tmp_path):
    app, corpus, root = briefing_app(tmp_path, admin_token=TOKEN)
    with TestClient(app) as client:
        yield client, corpus, root


def _preview(client, name: str, data: bytes, **params):
    return client.post("/admin/preview", params={"filename": name, **params}, content=data, headers=AUTH)


def test_no_admin_page_or_routes_without_a_token(tmp_path):
    app, _, _ = briefing_app(tmp_path)
    with TestClient(app) as client:
        for method, path in (("GET", "/admin"), ("POST", "/admin/preview?filename=a.md"), ("GET", "/admin/transcripts"),
                             ("DELETE", f"/admin/transcripts/{BRIEFING.name}"), ("POST", "/admin/rebuild-jobs")):
            assert client.request(method, path, headers=AUTH).status_code in (404, 405), path


def test_page_is_a_shell_and_every_data_route_wants_the_bearer(admin):
    client, _, _ = admin
    page = client.get("/admin")
    assert page.status_code == 200 and "/static/admin.js" in page.text and "<script>" not in page.text
    assert BRIEFING.name not in page.text  # no data without the token
    assert "script-src" not in page.headers["content-security-policy"] or "'unsafe-inline'" not in page.headers["content-security-policy"]
    for method, path in (("POST", "/admin/preview?filename=a.md"), ("GET", "/admin/transcripts"),
                         ("PUT", f"/admin/transcripts/{BRIEFING.name}/speakers"),
                         ("DELETE", f"/admin/transcripts/{BRIEFING.name}"), ("POST", "/admin/rebuild-jobs"),
                         ("GET", "/admin/rebuild-jobs/x")):
        response = client.request(method, path, headers={"Authorization": "Bearer wrong-token-wrong-token"})
        assert response.status_code == 401 and response.json()["error"]["code"] == "unauthorized", path


def test_preview_shows_evidence_and_marks_low_confidence(admin):
    client, corpus, _ = admin
    body = _preview(client, BRIEFING.name, BRIEFING.read_bytes()).json()
    answer = body["exchanges"][3]["answers"][0]
    assert (answer["speaker"]["name"], answer["confidence"], answer["low"]) == ("胡文辉", 0.4, True)
    assert body["low_confidence"] >= 1 and body["transcript"]["stored_as"].endswith(".md")
    fixed = _preview(client, BRIEFING.name, BRIEFING.read_bytes(),
                     corrections=json.dumps({"answer": [{"exchange": 3, "answer": 0, "speaker": "韩爱朋"}]})).json()
    answer = fixed["exchanges"][3]["answers"][0]
    assert (answer["speaker"]["name"], answer["evidence"], answer["low"]) == ("韩爱朋", "corrected by an editor", False)
    assert sorted(p.name for p in corpus.iterdir()) == [BRIEFING.name]  # a preview stores nothing


@pytest.mark.parametrize("fixture", ["scio-briefing.docx", "fomc-printed.pdf", "mfa-qa.html", "mofcom-whisperx.json"])
def test_preview_reads_every_supported_format(admin, fixture):
    client, _, _ = admin
    response = _preview(client, fixture, (IMPORTS / fixture).read_bytes())
    assert response.status_code == 200, response.text
    assert response.json()["exchanges"]


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


BAD_FILES = [
    ("damaged.pdf", (IMPORTS / "fomc-printed.pdf").read_bytes()[:1200], 422, "damaged PDF"),
    ("scan.pdf", b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj "
                 b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF", 422,
     "no text layer"),
    ("photos.docx", _zip({"img/1.jpg": b"\xff\xd8jpeg"}), 422, "not a Word document"),
    ("bomb.docx", _zip({"word/document.xml": b"a" * (110 * 1024 * 1024)}), 422, "zip bomb"),
    ("home.html", b"<!doctype html><html><body><nav>Home</nav></body></html>", 422, "no article text"),
    ("turns.json", json.dumps([{"speaker": "A"}]).encode(), 422, "[][0].text"),
    ("../../etc/passwd.md", b"x", 400, "path separator"),
    ("evil\x00.md", b"x", 400, "path separator, a NUL"),
]


@pytest.mark.parametrize("name, data, status, message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_files_are_refused_in_one_line_and_the_index_is_unchanged(admin, name, data, status, message):
    client, corpus, root = admin
    build = client.get("/healthz").json()["build"]
    response = _preview(client, name, data)
    assert response.status_code == status, response.text
    error = response.json()["error"]["message"]
    assert message in error and "\n" not in error
    assert name.replace("\x00", "")[-8:].replace("\x00", "") in error.replace("\\x00", "")
    stored = client.post("/admin/transcripts", params={"filename": name}, content=data, headers=AUTH)
    assert stored.status_code >= 400
    assert sorted(p.name for p in corpus.iterdir()) == [BRIEFING.name]
    assert client.get("/healthz").json()["build"] == build


def test_file_over_the_upload_cap_is_refused_naming_it(admin):
    client, corpus, _ = admin
    response = _preview(client, "big.pdf", b"%PDF-" + b"0" * (50 * 1024 * 1024))
    assert response.status_code == 413
    assert "'big.pdf' is over the 10 MB upload cap" in response.json()["error"]["message"]
    assert sorted(p.name for p in corpus.iterdir()) == [BRIEFING.name]


def test_corrections_are_written_beside_the_transcript_and_validated(admin):
    client, corpus, _ = admin
    response = client.put(f"/admin/transcripts/{BRIEFING.name}/speakers", headers=AUTH,
                          content=json.dumps({"answer": [{"exchange": 3, "speaker": "韩爱朋"}]}))
    assert response.status_code == 200, response.text
    assert 'speaker = "韩爱朋"' in (corpus / f"{BRIEFING.name}.speakers.toml").read_text(encoding="utf-8")
    bad = client.put(f"/admin/transcripts/{BRIEFING.name}/speakers", headers=AUTH,
                     content=json.dumps({"answer": [{"exchange": 99, "speaker": "x"}]}))
    assert bad.status_code == 422 and "exchange 99 does not exist" in bad.json()["error"]["message"]
    assert 'speaker = "韩爱朋"' in (corpus / f"{BRIEFING.name}.speakers.toml").read_text(encoding="utf-8")


def test_delete_touches_only_the_transcripts_folder(admin, tmp_path):
    client, corpus, _ = admin
    outside = tmp_path / "keep.md"
    outside.write_text("keep", encoding="utf-8")
    for name in ("..%2Fkeep.md", "%2E%2E%2Fkeep.md", "keep.md", f"{BRIEFING.name}.speakers.toml", "evil%00.md"):
        assert client.delete(f"/admin/transcripts/{name}", headers=AUTH).status_code in (400, 404, 405), name
    assert outside.exists()
    listed = client.get("/admin/transcripts", headers=AUTH).json()["transcripts"]
    assert [(t["name"], t["indexed"]) for t in listed] == [(BRIEFING.name, True)]
    assert client.delete(f"/admin/transcripts/{BRIEFING.name}", headers=AUTH).status_code == 200
    assert not (corpus / BRIEFING.name).exists()


def test_rebuild_job_reports_progress_and_makes_an_upload_answerable(admin):
    client, _, _ = admin
    data = (IMPORTS / "mfa-qa.html").read_bytes()
    stored = client.post("/admin/transcripts", params={"filename": "mfa-qa.html"}, content=data, headers=AUTH)
    assert stored.status_code == 201, stored.text
    job = client.post("/admin/rebuild-jobs", headers=AUTH)
    assert job.status_code == 202
    deadline = time.monotonic() + 60
    state = job.json()
    while state["state"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.1)
        state = client.get(f"/admin/rebuild-jobs/{state['id']}", headers=AUTH).json()
    assert state["state"] == "done", state
    assert state["done"] == state["total"] > 0 and state["result"]["embedded"]
    time.sleep(0.05)
    body = client.post("/ask", json={"question": "日本首相历史问题讲话，中方有何评论？", "transcript": stored.json()["id"]}).json()
    assert body["answers"][0]["speaker"]["name"] == "洪磊"
