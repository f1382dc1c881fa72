"""What the /ask citation holds beyond lines: the recording time for transcripts that have one."""

from __future__ import annotations

from .conftest import SAMPLES


def test_citation_carries_the_recording_time_when_the_transcript_has_one(tmp_path):
    """Captions and diarised JSON keep cue times: the /ask citation says where the answer starts in the recording."""
    import shutil

    from qa.index.build import build_index
    from qa.index.store import load_index
    from qa.search.answers import answer_body
    from qa.search.retrieval import Retriever

    from .fakes import HashEmbedder

    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(SAMPLES / "briefing.vtt", folder)
    build_index([folder], tmp_path / "index", embedder=HashEmbedder())
    retriever = Retriever(load_index(tmp_path / "index"), embedder=HashEmbedder())
    body = answer_body(retriever.index, retriever.search("How much funding goes to storage?", top_k=2))
    assert all(a["citation"]["time"].startswith("00:00:") for a in body["answers"])
