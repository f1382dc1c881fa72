from __future__ import annotations

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
