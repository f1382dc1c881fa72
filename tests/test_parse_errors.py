"""Bad input: one line naming the file (and line where it applies), exit code 2, no traceback."""

from __future__ import annotations

import pytest

from qa.cli import main


def _write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("name, data, expected", [
    ("empty.md", b"", "is empty"),
    ("blank.md", b"\n\n   \n", "is empty"),
    ("binary.md", bytes(range(256)) * 4, "binary"),
    ("latin1.txt", "caf\xe9 na\xefve r\xe9sum\xe9 \xe0 la carte".encode("latin-1"), "not valid UTF-8, UTF-16 or GB18030"),
    ("prose.md", b"Just a paragraph of prose, with nobody speaking in it.\n", "no recognisable speaker turns"),
    ("headings.md", b"# Title\n\n## Subtitle\n", "no speaker turns"),
    ("bad.vtt", b"WEBVTT\n\n00:00:01.000 --> soon\nhello\n", "line 3: bad cue timing"),
    ("nocues.srt", b"1\n\nno timing here\n", "no caption cues"),
])
def test_bad_transcript_exits_2_with_one_line(tmp_path, capsys, name, data, expected):
    path = _write(tmp_path, name, data)
    if name == "nocues.srt":
        from qa.ingest.transcripts import load_transcript
        with pytest.raises(Exception) as info:
            load_transcript(path, format="srt")
        assert expected in str(info.value)
        return
    assert main(["parse", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert str(path) in err and expected in err


def test_directory_instead_of_file(tmp_path, capsys):
    assert main(["parse", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "is a directory" in err and str(tmp_path) in err


def test_missing_file(tmp_path, capsys):
    assert main(["parse", str(tmp_path / "nope.md")]) == 2
    assert "does not exist" in capsys.readouterr().err
