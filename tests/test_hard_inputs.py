"""Hard inputs: mixed encodings, a 50 MB file, right-to-left and emoji text, a full disk, broken files.

Each gets a correct result or one clear error line with exit code 2, and the input file is never
modified. (NUL bytes, binary, empty input, stdin limits and the long line are in test_document.py and
test_cli_input.py; the unwritable model cache is in test_score_loader.py.)
"""

from __future__ import annotations

import errno
import json
import os
import tracemalloc

import pytest

from mtqa.document import DEFAULT_MAX_BYTES, InputError, decode, read_bytes
from mtqa.pipeline import Settings, check_document
from mtqa.render import FORMATS
from tests.cli_util import run_cli as _run
from tests.test_cli_input import _one_long_sentence
from tests.test_readers import DATA


def _error_line(err: str) -> str:
    assert "Traceback" not in err
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    return line


# ---- mixed encodings in one file ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        pytest.param(
            [("Café in Zürich. ", "utf-8"), ("And naïve façade “quoted”.", "cp1252")],
            "Café in Zürich. And naïve façade “quoted”.",
            id="utf-8-then-cp1252",
        ),
        pytest.param(
            [("Le café est fermé. ", "latin-1"), ("Der Bär schläft – 😀.", "utf-8")],
            "Le café est fermé. Der Bär schläft – 😀.",
            id="latin-1-then-utf-8",
        ),
        pytest.param(
            [("The SDF – on Twitter.", "utf-8"), ("\xa0", "latin-1"), ("Fighting lasted weeks.", "utf-8")],
            "The SDF – on Twitter.\xa0Fighting lasted weeks.",
            id="stray-latin-1-nbsp",
        ),
    ],
)
def test_hard_mixed_encodings_decode_each_part(parts: list[tuple[str, str]], expected: str) -> None:
    data = b"".join(text.encode(codec) for text, codec in parts)
    doc = decode(data, "mixed.txt")
    assert doc.text == expected  # neither part garbled ('Ã©')
    assert doc.encoding == "utf-8"
    (note,) = doc.notes
    assert "mixes encodings" in note and "Save it as UTF-8" in note


def test_hard_mixed_encodings_through_the_cli(tmp_path, capsys) -> None:
    path = tmp_path / "mixed.txt"
    path.write_bytes("Der Bürgermeister sagte: ".encode() + "das Café bleibt geöffnet.".encode("cp1252"))
    assert _run(["check", "--no-lm", "--format", "json", str(path)]) in (0, 1)
    (report,) = json.loads(capsys.readouterr().out)["files"]
    assert [s["text"] for s in report["sentences"]] == ["Der Bürgermeister sagte: das Café bleibt geöffnet."]
    assert any("mixes encodings" in n for n in report["input"]["notes"])


# ---- a 50 MB input: refused up front, without reading it ------------------------------------------------

FIFTY_MB = 50_000_000


def test_hard_50mb_file_is_refused_up_front(tmp_path, capsys) -> None:
    path = tmp_path / "wire-dump.txt"
    with path.open("wb") as fh:
        fh.truncate(FIFTY_MB)  # sparse: 50 MB on paper, nothing on disk
    before = path.stat().st_mtime_ns
    tracemalloc.start()
    try:
        code = _run(["check", "--no-lm", str(path)])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2
    line = _error_line(capsys.readouterr().err)
    assert "50,000,000 bytes" in line and "2,000,000" in line and "2.0 MB" in line  # size and limit
    assert "--max-bytes 50000000" in line  # the option and a value that lets this file through
    assert peak < 10_000_000  # the file was never read into memory
    assert path.stat().st_mtime_ns == before


class _EndlessStdin:
    """Standard input that never ends; counts what mtqa reads from it."""

    def __init__(self) -> None:
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        assert size > 0, "mtqa must never read standard input without a bound"
        self.read_bytes += size
        return (b"The coalition said on Saturday that the village was taken. " * (size // 10 + 1))[:size]


def test_hard_endless_stdin_is_read_only_up_to_the_limit() -> None:
    stream = _EndlessStdin()
    with pytest.raises(InputError, match=r"standard input.*--max-bytes"):
        read_bytes("-", stdin=stream)
    assert stream.read_bytes == DEFAULT_MAX_BYTES + 1


# ---- a single 20,000-word line ---------------------------------------------------------------------------


@pytest.mark.parametrize("words", [20_000])
def test_hard_single_20000_word_line_rules_only(tmp_path, capsys, words: int) -> None:
    """The rule detectors and segmenter take one huge line (the LM path is test_cli_input's 2,000-word case)."""
    text = _one_long_sentence(words)
    path = tmp_path / "one-line.txt"
    path.write_text(text, encoding="utf-8")
    assert _run(["check", "--no-lm", "--format", "json", "-q", str(path)]) in (0, 1)
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    (report,) = json.loads(out)["files"]
    (sentence,) = report["sentences"]
    assert (sentence["start"], sentence["end"]) == (0, len(text))
    assert sentence["text"] == text


# ---- right-to-left and emoji text: offsets stay valid ---------------------------------------------------

RTL_EMOJI = (
    "The spokesman wrote “שלום” and «مرحبا بكم» on Twitter 🇸🇾 👩🏽‍🚒 today.\n\n"
    "Also warned the commander 😀 that the fight against the jihadist slaapcellen begins.\n\n"
    "Caf\u0065\u0301s reopened in \u202eBaghuz\u202c, said a résident 👍🏿."
)


@pytest.mark.parametrize("fmt", ["text", "html"])
def test_hard_rtl_and_emoji_offsets_are_valid(scorer, fmt: str) -> None:
    raw = RTL_EMOJI if fmt == "text" else "".join(f"<p>{p}</p>" for p in RTL_EMOJI.split("\n\n"))
    doc = decode(raw.encode(), f"story.{'txt' if fmt == 'text' else 'html'}", "html-visible" if fmt == "html" else None)
    report = check_document(doc, Settings(), scorer=scorer)
    assert len(report.sentences) == 3
    for sentence in report.sentences:
        assert doc.text[sentence.span.start : sentence.span.end] == sentence.text
        assert sentence.score is not None
        for issue in sentence.issues:
            assert sentence.span.contains(issue.span)
    leftovers = {doc.text[i.span.start : i.span.end]: i for i in report.issues if i.code == "U101"}
    assert sorted(leftovers) == ["résident", "slaapcellen"]  # the accented 'résident' is French, not English
    slaap = leftovers["slaapcellen"]
    original = doc.source_span(slaap.span)
    assert (doc.source or doc.text)[original.start : original.end] == "slaapcellen"
    line, column = report.line_col(slaap.span.start)
    # line and column point into the file the user opened; columns count code points
    assert (doc.source or doc.text).splitlines()[line - 1][column - 1 :].startswith("slaapcellen")
    page = FORMATS["html"]([report])
    assert "👩🏽‍🚒" in page and "שלום" in page and "\u202e" in page


# ---- disk full when writing: clear error, exit 2, input unchanged, nothing partial left -------------------


def _disk_full(*_: object) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


@pytest.mark.parametrize("target", ["copy", "in-place", "report"])
def test_hard_disk_full_leaves_no_partial_file(scorer, tmp_path, capsys, monkeypatch, target: str) -> None:
    article = tmp_path / "story.txt"
    article.write_text("The talks were echter successful.\n\nFollow us\n", encoding="utf-8")
    os.utime(article, (1_000_000_000, 1_000_000_000))
    before = (article.read_bytes(), article.stat().st_mtime_ns)
    out = tmp_path / "out.txt"
    argv = {
        "copy": ["fix", str(article), "-o", str(out)],
        "in-place": ["fix", "--in-place", str(article)],
        "report": ["check", "--format", "json", "-o", str(out), str(article)],
    }[target]
    monkeypatch.setattr(os, "fsync", _disk_full)  # the write fails the way a full disk fails it
    assert _run(argv) == 2
    line = _error_line(capsys.readouterr().err)
    assert "No space left on device" in line
    assert "writable" in line  # says what to do
    assert (article.read_bytes(), article.stat().st_mtime_ns) == before
    assert not out.exists()
    left = {p.name for p in tmp_path.iterdir()} - {"story.txt", "story.txt.orig"}
    assert left == set(), left  # no temporary or partial file
    if (tmp_path / "story.txt.orig").exists():
        assert (tmp_path / "story.txt.orig").read_bytes() == before[0]


# ---- broken files of the newer formats: one clear line, exit 2 ------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        pytest.param("story.docx", (DATA / "story.docx").read_bytes()[:2000], "not a readable Word", id="cut-docx"),
        pytest.param("feed.xml", b"<rss><channel><item>x</item></channel></rss>", "neither NITF", id="rss"),
        pytest.param("wire.xml", b"<nitf><body><body.content></body.content></body></nitf>", "no headline", id="nitf"),
    ],
)
def test_hard_broken_files_exit_2_with_one_line(tmp_path, capsys, name: str, data: bytes, expected: str) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    assert _run(["check", "--no-lm", str(path)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    line = _error_line(err)
    assert expected in line and name in line and line.rstrip().endswith(".")
    assert path.read_bytes() == data
