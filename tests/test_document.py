"""mtqa.document: decoding, refusing what is not text, HTML text extraction and its offset map."""

from __future__ import annotations

import codecs
import io
import os
import random
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtqa.document import (
    DEFAULT_MAX_BYTES,
    Document,
    InputError,
    decode,
    guess_format,
    html_to_text,
    read_bytes,
)
from mtqa.segment import segment

ACCENTED = "Café in Zürich: señor Müller paid €5 for “crème brûlée” – déjà vu."
LATIN1 = "Café in Zürich: señor Müller said déjà vu, naïve façade."


# --- decoding -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        pytest.param(ACCENTED.encode("utf-8"), "utf-8", id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + ACCENTED.encode("utf-8"), "utf-8-sig", id="utf-8-bom"),
        pytest.param(ACCENTED.encode("utf-16"), "utf-16", id="utf-16-bom-native"),
        pytest.param(codecs.BOM_UTF16_LE + ACCENTED.encode("utf-16-le"), "utf-16", id="utf-16-le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + ACCENTED.encode("utf-16-be"), "utf-16", id="utf-16-be-bom"),
    ],
)
def test_decode_unicode_without_notes(data: bytes, encoding: str) -> None:
    doc = decode(data, "story.txt")
    assert doc.text == ACCENTED  # the BOM is not part of the text
    assert doc.encoding == encoding
    assert doc.format == "text"
    assert doc.notes == ()
    assert doc.offset_map is None


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        pytest.param(LATIN1, "latin-1", id="latin-1"),
        pytest.param("“Smart quotes” – €5 and Œuvre, naïve.", "cp1252", id="cp1252"),
        pytest.param("Le café. " * 50 + "Der Bär.", "latin-1", id="invalid-byte-late"),
    ],
)
def test_decode_legacy_8bit_with_note(text: str, codec: str) -> None:
    doc = decode(text.encode(codec), "old.txt")
    assert doc.text == text  # accented characters come out right
    assert doc.encoding == "cp1252"
    assert len(doc.notes) == 1
    note = doc.notes[0]
    assert "old.txt" in note
    assert "Latin-1" in note
    assert "UTF-8" in note  # says what to do


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"   \n\t\r\n  \n", id="whitespace"),
        pytest.param(b"\r\n\r\n\x0c", id="line-breaks-and-form-feed"),
        pytest.param(codecs.BOM_UTF8, id="utf-8-bom-only"),
        pytest.param(codecs.BOM_UTF16_LE + " \n".encode("utf-16-le"), id="utf-16-whitespace"),
        pytest.param("\u00a0\u2003\n".encode(), id="unicode-spaces"),
    ],
)
def test_decode_refuses_empty(data: bytes) -> None:
    with pytest.raises(InputError, match="empty") as info:
        decode(data, "blank.txt")
    assert "blank.txt" in str(info.value)


@pytest.mark.parametrize(
    ("data", "offset"),
    [
        pytest.param(b"Hello\x00world", 5, id="nul-in-text"),
        pytest.param(b"\x00", 0, id="nul-only"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", 8, id="png-header"),
        pytest.param("Plain text".encode("utf-16-le"), 1, id="utf-16-without-bom"),
        pytest.param(b"PK\x03\x04\x14\x00\x00\x00", 5, id="zip-header"),
    ],
)
def test_decode_refuses_nul_bytes_naming_offset(data: bytes, offset: int) -> None:
    with pytest.raises(InputError) as info:
        decode(data, "image.bin")
    message = str(info.value)
    assert "image.bin is not text" in message
    assert f"NUL byte at offset {offset}" in message
    assert "Pass a UTF-8 or Latin-1 text" in message


def _random_bytes(seed: int, size: int, *, nul: bool) -> bytes:
    data = random.Random(seed).randbytes(size)
    return data if nul else data.replace(b"\x00", b"\x01")


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(_random_bytes(0, 4096, nul=True), id="random"),
        pytest.param(_random_bytes(1, 4096, nul=False), id="random-without-nul"),
        pytest.param(_random_bytes(2, 64, nul=False), id="short-random-without-nul"),
        pytest.param(b"\x1b[31mred\x1b[0m\x07" * 20, id="terminal-escapes"),
    ],
)
def test_decode_refuses_binary(data: bytes) -> None:
    with pytest.raises(InputError, match=r"not text|looks binary") as info:
        decode(data, "blob")
    assert "Pass a" in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("Tabs\tand form feeds\x0c are fine in text.", id="tab-formfeed"),
        pytest.param("One stray \x1b escape." + " The article goes on." * 20, id="rare-control"),
    ],
)
def test_decode_accepts_text_with_few_control_characters(text: str) -> None:
    assert decode(text.encode(), "a.txt").text == text


# --- format detection -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param("story.html", "Just words.", "html", id="suffix-html"),
        pytest.param("STORY.HTM", "Just words.", "html", id="suffix-htm-upper"),
        pytest.param("story.xhtml", "Just words.", "html", id="suffix-xhtml"),
        pytest.param("story.md", "<p>Looks like HTML</p>", "markdown", id="suffix-md-wins"),
        pytest.param("story.markdown", "# Title", "markdown", id="suffix-markdown"),
        pytest.param("story.txt", "Just words, <b>bold</b> ones.", "text", id="plain"),
        pytest.param("story.txt", "<!DOCTYPE html>\n<html><body>x</body></html>", "html", id="doctype"),
        pytest.param("<stdin>", "  \n<html lang='en'>", "html", id="html-tag"),
        pytest.param("<stdin>", "<P>Shouting</P>", "html", id="p-upper"),
        pytest.param("story.txt", "<div class='x'>Story</div>", "html", id="div"),
        pytest.param("story", "A <span>b</span> c <a>d</a> e <li>f</li>", "html", id="three-closing-tags"),
        pytest.param("story", "A <span>b</span> c <a>d</a> only two", "text", id="two-closing-tags"),
        pytest.param("story.txt", "Maths: a < b and c > d.", "text", id="angle-brackets"),
        pytest.param("story.txt", "The <html> tag opens a page.", "text", id="tag-mid-text"),
    ],
)
def test_guess_format(name: str, text: str, expected: str) -> None:
    assert guess_format(name, text) == expected


@pytest.mark.parametrize(
    ("name", "raw", "fmt"),
    [
        pytest.param("page.html", "<p>Hello there.</p>", None, id="by-suffix"),
        pytest.param("page.txt", "<!doctype html><body><p>Hello there.</p>", None, id="by-content"),
        pytest.param("page.txt", "<p>Hello there.</p>", "html", id="forced"),
    ],
)
def test_decode_html_notes_and_maps(name: str, raw: str, fmt: str | None) -> None:
    doc = decode(raw.encode(), name, fmt)
    assert doc.format == "html"
    assert "Hello there." in doc.text
    assert "<" not in doc.text
    assert doc.offset_map is not None and len(doc.offset_map) == len(doc.text)
    assert any("HTML" in note and name in note for note in doc.notes)


@pytest.mark.parametrize(
    ("name", "raw", "fmt"),
    [
        pytest.param("page.html", "<p>Hello there.</p>", "text", id="forced-text"),
        pytest.param("notes.md", "# Title\n\nHello there.", None, id="markdown"),
    ],
)
def test_decode_keeps_non_html_verbatim(name: str, raw: str, fmt: str | None) -> None:
    doc = decode(raw.encode(), name, fmt)
    assert doc.text == raw
    assert doc.offset_map is None


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("<html><head><title>Only a title</title></head><body></body></html>", id="title-only"),
        pytest.param("<script>alert('hi')</script><style>p{}</style>", id="script-style"),
        pytest.param("<div>\n  <br>\n</div>", id="whitespace"),
    ],
)
def test_decode_refuses_html_without_visible_text(raw: str) -> None:
    with pytest.raises(InputError, match="no visible text"):
        decode(raw.encode(), "empty.html")


# --- HTML extraction ------------------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n[ \t]*\n", text) if p.strip()]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(
            "<p>Before.</p><script>var hidden = 'Secret';</script><style>p { color: red }</style><p>After.</p>",
            ["Before.", "After."],
            id="script-style-dropped",
        ),
        pytest.param(
            "<p>Shown</p><noscript>Enable JS</noscript><template>Tmpl</template><svg><text>Svg</text></svg>",
            ["Shown"],
            id="noscript-template-svg-dropped",
        ),
        pytest.param(
            "<html><head><title>Site</title><meta charset='utf-8'></head><body><p>Story.</p></body></html>",
            ["Story."],
            id="head-dropped",
        ),
        pytest.param(
            "<html><head><title>Site name</title><meta charset='utf-8'><body><p>Story.</p></body></html>",
            ["Story."],
            id="unclosed-head",
        ),
        pytest.param(
            "<head><title>Site</title><article><p>Story.</p></article>",
            ["Story."],
            id="unclosed-head-no-body",
        ),
        pytest.param("<p>One</p><p>Two</p>", ["One", "Two"], id="p"),
        pytest.param("<div>One</div><div>Two</div>", ["One", "Two"], id="div"),
        pytest.param("<h1>Title</h1><p>Body.</p>", ["Title", "Body."], id="heading"),
        pytest.param("<ul><li>a</li><li>b</li></ul>", ["a", "b"], id="list"),
        pytest.param("First line<br>Second line<br/>Third", ["First line", "Second line", "Third"], id="br"),
        pytest.param("<table><tr><td>a</td><td>b</td></tr></table>", ["a", "b"], id="table"),
        pytest.param("<p>One\n</p><p>two</p>", ["One", "two"], id="newline-before-close"),
        pytest.param("<p>\n  One\n</p>\n<p>\n  two\n</p>", ["One", "two"], id="indented"),
        pytest.param("<p>The <b>big</b> <a href='/x'>story</a>.</p>", ["The big story."], id="inline-tags"),
        pytest.param("<p>Hi<!-- hidden comment --> there</p>", ["Hi there"], id="comment"),
    ],
)
def test_html_to_text_blocks(raw: str, expected: list[str]) -> None:
    text, offsets = html_to_text(raw)
    assert _paragraphs(text) == expected
    assert len(offsets) == len(text)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("<p>Tom &amp; Jerry &lt;3 &quot;Q&quot;</p>", 'Tom & Jerry <3 "Q"', id="named"),
        pytest.param("<p>caf&eacute; &euro;5 &nbsp;x</p>", "café €5 \u00a0x", id="named-non-ascii"),
        pytest.param("<p>&#8364;5 &#x27;x&#X27; &#39;y&#39;</p>", "€5 'x' 'y'", id="numeric"),
        pytest.param("<p>&copy 2020 &amp then</p>", "© 2020 & then", id="legacy-without-semicolon"),
        pytest.param("<p>AT&T and R&D</p>", "AT&T and R&D", id="bare-ampersand-letters"),
        pytest.param("<p>Tom & Jerry</p>", "Tom & Jerry", id="bare-ampersand"),
        pytest.param("<p>Call &# now &#foo; &unknown; x</p>", "Call &# now &#foo; &unknown; x", id="not-refs"),
        pytest.param("Ends with AT&T", "Ends with AT&T", id="ampersand-at-end"),
        pytest.param("<p>5 < 6 and 7 > 2</p>", "5 < 6 and 7 > 2", id="stray-angle-brackets"),
    ],
)
def test_html_to_text_entities(raw: str, expected: str) -> None:
    text, offsets = html_to_text(raw)
    assert text.strip() == expected
    _assert_offsets_point_home(raw, text, offsets)


ARTICLE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Baghuz falls | News</title>
  <style>body { font-family: serif; }</style>
  <script>window.dataLayer = [];</script>
</head>
<body>
  <nav><a href="/">Home</a> | <a href="/world">World</a></nav>
  <article>
    <h1>IS &ldquo;caliphate&rdquo; defeated in Baghuz</h1>
    <p>The Syrian Democratic Forces (SDF) said on Saturday that the last
       pocket of Islamic State in Baghuz had been taken.</p>
    <p>&ldquo;Baghuz is freed,&rdquo; wrote Mustafa Bali &mdash; the spokesman &amp; press
       officer of the SDF &ndash; on Twitter.<br>Fighting lasted weeks.</p>
    <!-- ad slot -->
    <ul><li>Caf&eacute;s reopened</li><li>R&D budget: &euro;5m</li></ul>
  </article>
  <script>track("Hidden");</script>
</body>
</html>
"""


def _assert_offsets_point_home(raw: str, text: str, offsets: list[int] | tuple[int, ...]) -> None:
    """Every character maps into the page: to itself, or (references, inserted breaks) to its '&' or '<'."""
    assert len(offsets) == len(text)
    assert list(offsets) == sorted(offsets)
    for i, (ch, at) in enumerate(zip(text, offsets)):
        assert 0 <= at < len(raw), (i, ch, at)
        source = raw[at]
        assert source == ch or source == "&" or (source == "<" and ch == "\n"), (i, ch, at, raw[at : at + 10])


@pytest.mark.parametrize(
    "word",
    [
        "IS",
        "caliphate",
        "Syrian Democratic Forces (SDF) said",
        "pocket of Islamic State",
        "Mustafa Bali",
        "Twitter.",
        "Fighting lasted weeks.",
        "reopened",
        "budget: ",
    ],
)
def test_html_offset_map_points_at_same_characters(word: str) -> None:
    doc = decode(ARTICLE.encode(), "article.html")
    assert doc.offset_map is not None
    _assert_offsets_point_home(ARTICLE, doc.text, doc.offset_map)
    start = doc.text.index(word)
    mapped = doc.offset_map[start : start + len(word)]
    assert "".join(ARTICLE[i] for i in mapped) == word
    assert list(mapped) == list(range(mapped[0], mapped[0] + len(word)))  # contiguous in the page


def test_html_article_visible_text() -> None:
    doc = decode(ARTICLE.encode(), "article.html")
    for hidden in ("font-family", "dataLayer", "Hidden", "Baghuz falls", "ad slot", "<"):
        assert hidden not in doc.text
    for shown in ("“caliphate”", "Bali — the spokesman & press", "SDF – on", "Cafés", "R&D budget: €5m"):
        assert shown in doc.text
    sentences = [s.text for s in segment(doc)]
    assert "IS “caliphate” defeated in Baghuz" in sentences
    assert "Fighting lasted weeks." in sentences
    assert "Cafés reopened" in sentences
    assert "R&D budget: €5m" in sentences


_HTML_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='a'>",
        "</div>",
        "<b>",
        "</b>",
        "<br>",
        "<br/>",
        "<li>",
        "</li>",
        "<h2>",
        "</h2>",
        "<script>if (a < b) x();</script>",
        "<style>p>a{}</style>",
        "<!-- comment -->",
        "&amp;",
        "&lt;",
        "&eacute;",
        "&#8364;",
        "&#x41;",
        "&copy",
        "&T",
        "& ",
        "&#",
        "&;",
        "<",
        ">",
        "\n",
        "\r\n",
        "  ",
        "<head><title>t</title>",
        "</head>",
        "<body>",
    ]
)
_HTML_WORDS = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<&\x00"), min_size=1, max_size=12
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_HTML_PIECES, _HTML_WORDS), max_size=40))
def test_html_offset_map_property(pieces: list[str]) -> None:
    raw = "".join(pieces)
    text, offsets = html_to_text(raw)
    _assert_offsets_point_home(raw, text, offsets)


# --- reading files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("limit", "size", "shown"),
    [
        pytest.param(None, DEFAULT_MAX_BYTES + 1, ("2,000,000", "2.0 MB"), id="default"),
        pytest.param(1000, 1001, ("1,000", "1000 bytes", "1.0 kB"), id="small-limit"),
        pytest.param(5_000_000, 5_000_100, ("5,000,000", "5.0 MB"), id="raised-limit"),
    ],
)
def test_read_bytes_refuses_oversize(tmp_path, limit: int | None, size: int, shown: tuple[str, ...]) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"a" * size)
    kwargs = {} if limit is None else {"max_bytes": limit}
    with pytest.raises(InputError) as info:
        read_bytes(str(path), **kwargs)
    message = str(info.value)
    assert str(path) in message
    assert "--max-bytes" in message
    assert any(text in message for text in shown), message  # names the limit
    suggested = int(re.search(r"--max-bytes (\d+)", message).group(1))
    assert suggested >= size  # the suggested value lets this file through


@pytest.mark.parametrize("size", [pytest.param(999, id="under"), pytest.param(1000, id="at-limit")])
def test_read_bytes_accepts_up_to_limit(tmp_path, size: int) -> None:
    path = tmp_path / "ok.txt"
    path.write_bytes(b"a" * size)
    assert read_bytes(str(path), max_bytes=1000) == b"a" * size


@pytest.mark.parametrize(
    ("data", "ok"),
    [pytest.param(b"x" * 100, True, id="at-limit"), pytest.param(b"x" * 101, False, id="over")],
)
def test_read_bytes_stdin_limit(data: bytes, ok: bool) -> None:
    if ok:
        assert read_bytes("-", max_bytes=100, stdin=io.BytesIO(data)) == data
    else:
        with pytest.raises(InputError, match=r"standard input.*--max-bytes"):
            read_bytes("-", max_bytes=100, stdin=io.BytesIO(data))


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        pytest.param(lambda tmp: tmp, "is a directory", id="directory"),
        pytest.param(lambda tmp: tmp / "missing.txt", "does not exist", id="missing"),
        pytest.param(lambda tmp: tmp / "no" / "such" / "dir.txt", "does not exist", id="missing-parent"),
    ],
)
def test_read_bytes_path_errors(tmp_path, make, expected: str) -> None:
    path = str(make(tmp_path))
    with pytest.raises(InputError, match=expected) as info:
        read_bytes(path)
    assert path in str(info.value)


def test_read_bytes_unreadable(tmp_path) -> None:
    path = tmp_path / "secret.txt"
    path.write_text("Secret text.")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running with privileges that read mode-000 files (root)")
        with pytest.raises(InputError, match="permission denied"):
            read_bytes(str(path))
    finally:
        path.chmod(0o644)


@pytest.mark.parametrize("name", ["<text>", "story.txt"])
def test_document_is_frozen(name: str) -> None:
    doc = Document("Text.", name)
    with pytest.raises(AttributeError):
        doc.text = "Other."  # type: ignore[misc]
