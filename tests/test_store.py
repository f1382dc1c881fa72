"""The index on disk: atomic swap, incremental rebuilds, and loud refusal of anything damaged or foreign."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from qa.index.build import build_index
from qa.errors import EmbedderError, IndexUnavailable, QAError
from qa.search.retrieval import Retriever
from qa.index.store import FORMAT_VERSION, current_build, load_index

from .conftest import BRIEFING, SAMPLES
from .fakes import HashEmbedder


@pytest.fixture()
def corpus(tmp_path) -> Path:
    folder = tmp_path / "transcripts"
    folder.mkdir()
    shutil.copy(BRIEFING, folder)
    shutil.copy(SAMPLES / "mofcom-labelled.txt", folder)
    return folder


def test_build_writes_manifest_and_loads(corpus, tmp_path):
    report = build_index([corpus], tmp_path / "index", embedder=HashEmbedder())
    index = load_index(tmp_path / "index")
    manifest = index.manifest
    assert manifest["embedder"] == "fake:hash-bigrams" and manifest["dimension"] == 64
    assert manifest["counts"]["transcripts"] == 2 and manifest["counts"]["answers"] == report.answers
    assert {s["id"] for s in manifest["sources"]} == {"2026-03-23-scio-patent-conversion", "mofcom-labelled"}
    assert all(len(s["sha256"]) == 64 for s in manifest["sources"])
    assert "built_at" in manifest and manifest["format_version"] == FORMAT_VERSION
    assert all({"bytes", "sha256"} <= set(f) for f in manifest["files"].values())


def test_rebuild_is_incremental_by_content_hash(corpus, tmp_path):
    embedder = HashEmbedder()
    build_index([corpus], tmp_path / "index", embedder=embedder)
    first_calls = embedder.calls
    again = build_index([corpus], tmp_path / "index", embedder=embedder, force=True)
    assert again.embedded == [] and len(again.reused) == 2 and embedder.calls == first_calls
    (corpus / "mofcom-labelled.txt").write_text(
        (corpus / "mofcom-labelled.txt").read_text(encoding="utf-8") + "\n路透社记者：还有别的吗？\n何亚东：没有了，谢谢。\n",
        encoding="utf-8")
    changed = build_index([corpus], tmp_path / "index", embedder=embedder)
    assert changed.embedded == ["mofcom-labelled"] and changed.reused == ["2026-03-23-scio-patent-conversion"]
    (corpus / "mofcom-labelled.txt").unlink()
    removed = build_index([corpus], tmp_path / "index", embedder=embedder)
    assert removed.removed and removed.transcripts == 1
    assert {s["id"] for s in load_index(tmp_path / "index").manifest["sources"]} == {"2026-03-23-scio-patent-conversion"}


def test_a_new_glossary_dictionary_rewrites_the_build_without_embedding(corpus, tmp_path, monkeypatch):
    """POLICY_TERMS changed (DICTIONARY_VERSION bumped): a plain build rewrites the glossaries from the cached
    transcripts; an unchanged one is up to date."""
    import qa.index.build as build

    embedder = HashEmbedder()
    build_index([corpus], tmp_path / "index", embedder=embedder)
    calls = embedder.calls
    assert load_index(tmp_path / "index").manifest["dictionary_version"] == build.DICTIONARY_VERSION
    assert build_index([corpus], tmp_path / "index", embedder=embedder).up_to_date
    monkeypatch.setattr(build, "DICTIONARY_VERSION", build.DICTIONARY_VERSION + 1)
    again = build_index([corpus], tmp_path / "index", embedder=embedder)
    assert not again.up_to_date and again.embedded == [] and embedder.calls == calls
    assert load_index(tmp_path / "index").manifest["dictionary_version"] == build.DICTIONARY_VERSION


def test_failed_build_leaves_previous_index_serving(corpus, tmp_path, monkeypatch):
    root = tmp_path / "index"
    build_index([corpus], root, embedder=HashEmbedder(), force=True)
    live = current_build(root)
    retriever = Retriever(load_index(root), embedder=HashEmbedder())
    before = retriever.search("知识产权质押贷款").hits[0].record

    import qa.index.build

    def explode(*args, **kwargs):
        raise RuntimeError("disk full, midway through writing the build")

    monkeypatch.setattr(qa.index.build.TermMatrix, "build", explode)
    (corpus / "extra.md").write_text("**记者：**新问题？\n\n**某部部长 王明：**新答案。\n", encoding="utf-8")
    with pytest.raises(RuntimeError):
        build_index([corpus], root, embedder=HashEmbedder(), force=True)
    assert current_build(root) == live
    assert not [p for p in (root / "builds").iterdir() if p.name.endswith(".tmp")]
    after = Retriever(load_index(root), embedder=HashEmbedder()).search("知识产权质押贷款").hits[0].record
    assert after == before


def test_one_broken_transcript_is_skipped_and_named_not_fatal_to_the_rest(corpus, tmp_path):
    root = tmp_path / "index"
    build_index([corpus], root, embedder=HashEmbedder(), force=True)
    (corpus / "broken.md").write_bytes(b"\x00\x01\x02binary")
    (corpus / "extra.md").write_text("**记者：**新问题？\n\n**某部部长 王明：**新答案。\n", encoding="utf-8")
    report = build_index([corpus], root, embedder=HashEmbedder())
    assert [Path(f).name for f, _ in report.skipped] == ["broken.md"] and "broken.md" in report.skipped[0][1]
    assert "extra" in load_index(root).transcripts and report.transcripts == len(load_index(root).transcripts)
    again = build_index([corpus], root, embedder=HashEmbedder())  # the broken file no longer blocks "up to date"
    assert again.up_to_date and any("broken.md" in note for note in again.notes())


def test_build_fails_and_keeps_index_when_no_transcript_parses(tmp_path):
    root = tmp_path / "index"
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(SAMPLES / "mofcom-labelled.txt", good)
    build_index([good], root, embedder=HashEmbedder())
    live = current_build(root)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "broken.md").write_bytes(b"\x00\x01\x02binary")
    with pytest.raises(QAError) as info:
        build_index([bad], root, embedder=HashEmbedder())
    assert "broken.md" in info.value.message
    assert current_build(root) == live and load_index(root)


def test_swap_replaces_pointer_and_keeps_previous_build(corpus, tmp_path):
    root = tmp_path / "index"
    first = build_index([corpus], root, embedder=HashEmbedder(), force=True).build
    second = build_index([corpus], root, embedder=HashEmbedder(), force=True).build
    assert current_build(root) == second and first.exists()
    third = build_index([corpus], root, embedder=HashEmbedder(), force=True).build
    assert current_build(root) == third and second.exists() and not first.exists()


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "manifest.json").unlink(), "no manifest.json"),
    (lambda d: (d / "manifest.json").write_text("{not json"), "unreadable manifest"),
    (lambda d: (d / "manifest.json").write_text(json.dumps({"format": "other"})), "not a Briefing QA index"),
    (lambda d: (d / "records.json").write_text("{}"), "does not match its manifest"),
    (lambda d: _truncate(d / "vectors-passage.npy"), "does not match its manifest"),
    (lambda d: (d / "faiss-passage.index").unlink(), "is missing"),
])
def test_damaged_index_is_refused_loudly(corpus, tmp_path, damage, message):
    root = tmp_path / "index"
    build_index([corpus], root, embedder=HashEmbedder(), force=True)
    damage(current_build(root))
    with pytest.raises(IndexUnavailable) as info:
        load_index(root)
    assert message in info.value.message and "qa build" in info.value.message


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_missing_index_says_how_to_build(tmp_path):
    with pytest.raises(IndexUnavailable) as info:
        load_index(tmp_path / "nothing")
    assert "qa build" in info.value.message


def test_asking_with_another_embedder_is_refused(corpus, tmp_path):
    build_index([corpus], tmp_path / "index", embedder=HashEmbedder())
    with pytest.raises(EmbedderError) as info:
        Retriever(load_index(tmp_path / "index"), embedder=HashEmbedder(ident="fake:other"))
    assert "fake:hash-bigrams" in info.value.message and "fake:other" in info.value.message


def test_no_transcripts_found(tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(QAError) as info:
        build_index([tmp_path / "empty"], tmp_path / "index", embedder=HashEmbedder())
    assert "No transcripts found" in info.value.message


def test_same_file_name_in_two_folders_gets_distinct_ids(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        text = (SAMPLES / "mofcom-labelled.txt").read_text(encoding="utf-8")
        (tmp_path / folder / "briefing.txt").write_text(text + f"\n（{folder}）\n", encoding="utf-8")
    build_index([tmp_path / "a", tmp_path / "b"], tmp_path / "index", embedder=HashEmbedder())
    ids = sorted(load_index(tmp_path / "index").transcripts)
    assert ids == ["briefing", "briefing-2"]


def test_same_content_under_many_names_is_indexed_once_and_reported(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(15):
        shutil.copy(SAMPLES / "mofcom-labelled.txt", corpus / f"copy-{n:02d}.txt")
    report = build_index([corpus], tmp_path / "index", embedder=HashEmbedder())
    index = load_index(tmp_path / "index")
    assert list(index.transcripts) == ["copy-00"] and report.transcripts == 1
    assert len(report.duplicates) == 14 and all(same.endswith("copy-00.txt") for _, same in report.duplicates)
    hits = Retriever(index, embedder=HashEmbedder(), top_k=5).search("以旧换新补贴申请量有多少？").hits
    assert len({(h.record.transcript_id, h.record.exchange) for h in hits}) == len(hits)


def test_unchanged_corpus_is_not_rebuilt(corpus, tmp_path):
    root = tmp_path / "index"
    first = build_index([corpus], root, embedder=HashEmbedder())
    again = build_index([corpus], root, embedder=HashEmbedder())
    assert again.up_to_date and again.build == first.build == current_build(root)
