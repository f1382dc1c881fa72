from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = Path(__file__).resolve().parent / "samples"
BRIEFING = ROOT / "transcripts" / "2026-03-23-scio-patent-conversion.md"


@pytest.fixture(scope="session")
def briefing_path() -> Path:
    return BRIEFING


@pytest.fixture(scope="session")
def briefing():
    from qa import attribute_speakers, load_transcript

    return attribute_speakers(load_transcript(BRIEFING))


@pytest.fixture
def save_screenshot(tmp_path):
    """The browser tests' screenshots go to a temporary folder, so a test run leaves the tree as it found it; set
    QA_SCREENSHOTS=1 to write them over the README's pictures in docs/ (`QA_SCREENSHOTS=1 scripts/test -k browser`)."""
    folder = ROOT / "docs" if os.environ.get("QA_SCREENSHOTS") == "1" else tmp_path

    def save(browser, name: str) -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        assert browser.save_screenshot(str(path)), f"Chromium could not write {path}"
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
        return path

    return save
