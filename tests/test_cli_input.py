"""mtqa check: input errors exit 2 with one clear line; odd but valid inputs are checked; input is never modified."""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path

import pytest

from tests.cli_util import run_cli as _run

SENTENCE = "The council approved the new budget on Monday after a long debate. "


def _error_lines(err: str) -> list[str]:
    assert "Traceback" not in err
    return [line for line in err.splitlines() if line.startswith("error:")]


def _write(path: Path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


# --- errors: exit 2, one line --------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(lambda tmp: str(tmp / "missing.txt"), "missing.txt does not exist", id="missing"),
        pytest.param(lambda tmp: str(tmp), "is a directory", id="directory"),
        pytest.param(lambda tmp: _write(tmp / "empty.txt", b""), "empty.txt is empty", id="empty"),
        pytest.param(lambda tmp: _write(tmp / "blank.txt", b" \n\n\t"), "blank.txt is empty", id="whitespace"),
        pytest.param(
            lambda tmp: _write(tmp / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
            "image.png is not text (NUL byte at offset 8)",
            id="binary",
        ),
        pytest.param(
            lambda tmp: _write(tmp / "huge.txt", SENTENCE.encode() * (2_000_001 // len(SENTENCE) + 1)),
            "huge.txt is 2,000,0",
            id="over-size",
        ),
        pytest.param(
            lambda tmp: _write(tmp / "chrome.html", b"<html><head><title>x</title></head><body></body></html>"),
            "chrome.html is HTML with no visible text",
            id="html-without-text",
        ),
    ],
)
def test_cli_input_error(tmp_path, capsys, make, expected: str) -> None:
    path = make(tmp_path)
    assert _run(["check", "--no-lm", path]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1, err  # exactly one line
    (line,) = _error_lines(err)
    assert expected in line
    # "error: <what happened>. <what to do>": ends in a sentence that says what to do
    assert line.rstrip().endswith(".")
    assert any(verb in line for verb in ("Check", "Pass", "Split", "pass --max-bytes"))


def test_cli_over_size_names_the_option(tmp_path, capsys) -> None:
    path = _write(tmp_path / "huge.txt", b"x" * 2_000_001)
    assert _run(["check", "--no-lm", path]) == 2
    (line,) = _error_lines(capsys.readouterr().err)
    assert "2.0 MB" in line
    assert "--max-bytes" in line


def test_cli_max_bytes_lifts_limit(tmp_path, capsys) -> None:
    paragraph = SENTENCE * 8 + "\n\n"
    data = (paragraph * (3_000_000 // len(paragraph) + 1)).encode()
    assert len(data) > 3_000_000
    path = _write(tmp_path / "long.txt", data)
    assert _run(["check", "--no-lm", "-q", path]) == 2  # refused by default
    capsys.readouterr()
    code = _run(["check", "--no-lm", "-q", "--max-bytes", "4MB", "-o", str(tmp_path / "report.txt"), path])
    err = capsys.readouterr().err
    assert code in (0, 1), err
    assert _error_lines(err) == []


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["check", "--source-lang", "xx", "a.txt"], "--source-lang", id="unknown-source-lang"),
        pytest.param(["check", "--format", "xml", "a.txt"], "--format", id="unknown-format"),
        pytest.param(["check", "--input-format", "pdf", "a.txt"], "--input-format", id="unknown-input-format"),
        pytest.param(["check", "--max-bytes", "lots", "a.txt"], "--max-bytes", id="bad-max-bytes"),
        pytest.param(["check"], "ARTICLE", id="no-files"),
    ],
)
def test_cli_usage_error(capsys, argv: list[str], expected: str) -> None:
    assert _run(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    (line,) = _error_lines(err)
    assert expected in line
    assert "--help" in line  # says what to do


# --- odd but valid input: checked, with a note ----------------------------------------------


def _json_report(out: str) -> dict:
    (report,) = json.loads(out)["files"]
    return report


@pytest.mark.parametrize(
    ("name", "data", "fmt", "encoding", "note", "sentence"),
    [
        pytest.param(
            "latin1.txt",
            "Der Bürgermeister von Zürich sagte, das Café bleibt geöffnet.".encode("latin-1"),
            "text",
            "cp1252",
            "Latin-1",
            "Der Bürgermeister von Zürich sagte, das Café bleibt geöffnet.",
            id="latin-1",
        ),
        pytest.param(
            "story.html",
            b"<html><body><h1>Baghuz falls</h1><p>The SDF declared victory on Saturday.</p></body></html>",
            "html",
            "utf-8",
            "HTML",
            "The SDF declared victory on Saturday.",
            id="html",
        ),
    ],
)
def test_cli_checks_with_note(tmp_path, capsys, name, data, fmt, encoding, note, sentence) -> None:
    path = _write(tmp_path / name, data)
    code = _run(["check", "--no-lm", "--format", "json", path])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    report = _json_report(out)
    assert report["input"]["format"] == fmt
    assert report["input"]["encoding"] == encoding
    assert any(note in n for n in report["input"]["notes"])
    assert sentence in [s["text"] for s in report["sentences"]]


@pytest.mark.parametrize("name", ["latin1.txt"])
def test_cli_table_shows_encoding_note(tmp_path, capsys, name: str) -> None:
    path = _write(tmp_path / name, "Le café est fermé.".encode("latin-1"))
    code = _run(["check", "--no-lm", "--width", "200", path])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert "Latin-1" in out + err


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(b"The SDF declared victory on Saturday.", "The SDF declared victory on Saturday.", id="utf-8"),
        pytest.param("Le café est fermé.".encode("cp1252"), "Le café est fermé.", id="cp1252"),
    ],
)
def test_cli_reads_stdin(capsys, monkeypatch, data: bytes, expected: str) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(data))
    code = _run(["check", "--no-lm", "--format", "json", "-"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    report = _json_report(out)
    assert report["input"]["name"] == "<stdin>"
    assert [s["text"] for s in report["sentences"]] == [expected]


@pytest.mark.parametrize("data", [pytest.param(b"", id="empty"), pytest.param(b"a\x00b", id="binary")])
def test_cli_stdin_errors(capsys, monkeypatch, data: bytes) -> None:
    monkeypatch.setattr("sys.stdin", _Stdin(data))
    assert _run(["check", "--no-lm", "-"]) == 2
    (line,) = _error_lines(capsys.readouterr().err)
    assert line.startswith("error: <stdin> ")


# --- with the real language model -----------------------------------------------------------

WORDS = (
    "the minister said that council members from several towns in the region would meet again next week "
    "to discuss how new roads schools and hospitals could be paid for without raising local taxes"
).split()


def _one_long_sentence(words: int) -> str:
    body = " ".join(WORDS[i % len(WORDS)] for i in range(words))
    return body[0].upper() + body[1:] + "."


@pytest.mark.parametrize("words", [2_000])
def test_cli_long_sentence_with_lm(tmp_path, capsys, scorer, words: int) -> None:
    text = _one_long_sentence(words)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    os.utime(path, (1_000_000_000, 1_000_000_000))  # a fixed, old mtime, so any write would show
    before = (path.read_bytes(), path.stat().st_mtime_ns)

    code = _run(["check", "--format", "json", "-q", str(path)])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    assert _error_lines(err) == []
    report = _json_report(out)
    (sentence,) = report["sentences"]
    assert sentence["text"] == text
    assert isinstance(sentence["score"], float) and math.isfinite(sentence["score"])
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before  # mtqa never modifies its input


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_cli_never_modifies_input(tmp_path, capsys, fmt: str) -> None:
    path = tmp_path / "story.md"
    path.write_text("# Title\n\nThe SDF declared victory on Saturday.\n", encoding="utf-8")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    assert _run(["check", "--no-lm", "--format", fmt, str(path)]) in (0, 1)
    capsys.readouterr()
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
