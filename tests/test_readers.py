"""Readers for HTML pages (trafilatura), Word .docx, NITF and NewsML-G2: text, notes, and offsets back into the file.

Every reader keeps `Document.offset_map` into `Document.source`; the property tests check that
every character of the extracted text maps to the same character of the original (or, for a
character reference, its '&'; for an inserted break, whitespace or a '<'), in order.
"""

from __future__ import annotations

import html
import io
import json
import re
import sys
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mtqa.cli import main
from mtqa.core import Span
from mtqa.document import Document, InputError, decode, guess_format
from mtqa.pipeline import Settings, check_document
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"
docx = pytest.importorskip("docx", reason="pip install python-docx (a dependency) to read .docx")


def assert_maps_home(doc: Document) -> None:
    """Each character of the text maps, in order, to itself in the original (or its '&', or a break)."""
    assert doc.offset_map is not None and doc.source is not None
    source, mapping = doc.source, doc.offset_map
    assert len(mapping) == len(doc.text)
    assert list(mapping) == sorted(mapping)
    for i, (ch, at) in enumerate(zip(doc.text, mapping)):
        assert 0 <= at < len(source), (i, ch, at)
        assert source[at] == ch or source[at] == "&" or (ch.isspace() and source[at] in "<\n \t\r"), (
            i,
            ch,
            source[at : at + 12],
        )


def _load(name: str, fmt: str | None = None) -> Document:
    return decode((DATA / name).read_bytes(), f"tests/data/{name}", fmt)


# ---- each fixture: format, story kept, chrome left out, offsets ----------------------------------------------


@pytest.mark.parametrize(
    ("name", "fmt", "kept", "dropped"),
    [
        pytest.param(
            "article.html",
            "html",
            [
                "Coalition: IS driven out of the last stronghold in Syria",
                "the jihadist slaapcellen",
                "SDF & its allies",
            ],
            ["cookies", "Subscribe", "Most popular", "Follow us", "By Our Correspondent", "pageview", "Courier"],
            id="html",
        ),
        pytest.param(
            "story.nitf.xml",
            "nitf",
            ["Coalition: IS driven out of last stronghold", "the jihadist slaapcellen", "SDF & its allies"],
            ["Example Wire staff", "BAGHUZ", "Fighters near the village", "EX-2019", "Coalition drives IS out"],
            id="nitf",
        ),
        pytest.param(
            "story.newsml.xml",
            "newsml",
            ["Coalition: IS driven out of last stronghold", "ten million inhabitants – in Syria", "slaapcellen"],
            ["SYRIA-IS", "ninat", "2019-03-23"],
            id="newsml",
        ),
        pytest.param(
            "story.docx",
            "docx",
            ["Coalition: IS driven out of last stronghold", "on Saturday.", "caliphate.\tThe SDF", "slaapcellen"],
            ["Table cell text", "mtqa test suite"],
            id="docx",
        ),
    ],
)
def test_readers_fixture_text_and_offsets(name: str, fmt: str, kept: list[str], dropped: list[str]) -> None:
    doc = _load(name)
    assert doc.format == fmt
    for text in kept:
        assert text in doc.text
    for text in dropped:
        assert text not in doc.text
    assert doc.text == doc.text.strip() and "\n\n\n" not in doc.text
    assert len(doc.notes) == 1 and name in doc.notes[0]
    assert_maps_home(doc)
    assert doc.text.count("Coalition: IS driven out of") == 1  # a repeated headline is kept once


@pytest.mark.parametrize("name", ["article.html", "story.nitf.xml", "story.newsml.xml"])
@pytest.mark.parametrize("word", ["slaapcellen", "of the by the", "Coalition: IS driven out"])
def test_readers_source_span_points_at_the_same_text_in_the_file(name: str, word: str) -> None:
    doc = _load(name)
    raw = (DATA / name).read_text(encoding="utf-8")
    assert doc.source == raw
    start = doc.text.index(word)
    span = doc.source_span(Span(start, start + len(word)))
    assert raw[span.start : span.end] == word
    line, column = doc.source_position(start)
    assert raw.splitlines()[line - 1][column - 1 :].startswith(word)


@pytest.mark.parametrize("name", ["article.html", "story.nitf.xml"])
@pytest.mark.parametrize(("word", "raw_text"), [("SDF & its", "SDF &amp; its"), ("the SDF &", "the SDF &amp;")])
def test_readers_source_span_keeps_whole_character_references(name: str, word: str, raw_text: str) -> None:
    doc = _load(name)
    start = doc.text.index(word)
    span = doc.source_span(Span(start, start + len(word)))
    assert doc.source[span.start : span.end] == raw_text


@pytest.mark.parametrize(
    ("word", "paragraph"),
    [("Coalition", 1), ("Saturday", 3), ("The SDF said", 4), ("slaapcellen", 6), ("The battle", 7)],
)
def test_readers_docx_positions_are_paragraph_and_character(word: str, paragraph: int) -> None:
    doc = _load("story.docx")
    paragraphs = [p.text for p in docx.Document(str(DATA / "story.docx")).paragraphs]
    start = doc.text.index(word)
    line, column = doc.source_position(start)
    assert line == paragraph
    assert paragraphs[line - 1][column - 1 :].startswith(word)


def test_readers_html_article_versus_visible_text() -> None:
    """trafilatura leaves out the page chrome the hand-written stripping keeps; both map home."""
    article, visible = _load("article.html"), _load("article.html", "html-visible")
    assert visible.format == article.format == "html"
    for chrome in ("Accept all cookies", "Most popular", "Follow us", "By Our Correspondent"):
        assert chrome in visible.text and chrome not in article.text
    collapse = " ".join
    assert collapse(article.text.split()) in collapse(visible.text.split()) or all(
        collapse(p.split()) in collapse(visible.text.split()) for p in article.text.split("\n\n")
    )
    assert_maps_home(visible)
    assert "trafilatura" in article.notes[0] and "html-visible" in article.notes[0]
    assert "visible text" in visible.notes[0]


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param("<p>The SDF declared victory on Saturday.</p>", id="too-short-for-an-article"),
        pytest.param("<div>One line</div><div>Two lines</div><div>Three</div>", id="no-paragraphs"),
    ],
)
def test_readers_html_falls_back_to_visible_text(raw: str) -> None:
    doc = decode(raw.encode(), "short.html")
    assert "found no article" in doc.notes[0]
    assert_maps_home(doc)


def test_readers_html_without_trafilatura_falls_back(monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "trafilatura", None)  # import fails as if not installed
    doc = _load("article.html")
    assert "Most popular" in doc.text and "found no article" in doc.notes[0]
    assert_maps_home(doc)


# ---- end to end: issues point into the file the editor opened -------------------------------------------


@pytest.mark.parametrize("name", ["article.html", "story.nitf.xml", "story.newsml.xml", "story.docx"])
def test_readers_pipeline_issue_spans_map_into_the_original(name: str) -> None:
    doc = _load(name)
    report = check_document(doc, Settings(use_lm=False))
    codes = {i.code for i in report.issues}
    assert {"U101", "G101"} <= codes, codes
    for issue in report.issues:
        flagged = doc.text[issue.span.start : issue.span.end]
        original = doc.source_span(issue.span)
        source_text = doc.source[original.start : original.end]
        if name != "story.docx":
            source_text = html.unescape(re.sub(r"<[^>]*>", "", source_text))  # inline tags inside a span
        assert " ".join(source_text.split()) == " ".join(flagged.split()), issue.code


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("story.docx", "docx"), ("story.nitf.xml", "nitf"), ("story.newsml.xml", "newsml"), ("article.html", "html")],
)
def test_readers_cli_checks_each_format(capsys, name: str, fmt: str) -> None:
    code = main(["check", "--no-lm", "--format", "json", str(DATA / name)])
    out, err = capsys.readouterr()
    assert code == 1, err
    (report,) = json.loads(out)["files"]
    assert report["input"]["format"] == fmt
    assert any("slaapcellen" in s["text"] for s in report["sentences"])


def test_readers_fix_refuses_formats_it_cannot_write(tmp_path, capsys) -> None:
    path = tmp_path / "story.docx"
    path.write_bytes((DATA / "story.docx").read_bytes())
    before = path.read_bytes()
    assert main(["fix", "--in-place", str(path)]) == 2
    (line,) = [x for x in capsys.readouterr().err.splitlines() if x.startswith("error:")]
    assert "docx" in line and "Save the article text" in line
    assert path.read_bytes() == before and not (tmp_path / "story.docx.orig").exists()


# ---- bad input: a clear error ----------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        pytest.param("bad.docx", _zip({"word/document.xml": b"<not xml"}), "not a readable Word .docx", id="broken"),
        pytest.param("bad.docx", b"PK\x03\x04 truncated", "not a readable Word .docx", id="truncated"),
        pytest.param("notes.docx", b"Just some text.", "not a readable Word .docx", id="text-named-docx"),
        pytest.param("sheet.xlsx", _zip({"xl/workbook.xml": b"<x/>"}), "a ZIP archive, but not a Word", id="xlsx"),
        pytest.param(
            "empty.docx", _zip({"[Content_Types].xml": b""}) + b"", "not a readable Word .docx", id="zip-named-docx"
        ),
        pytest.param("feed.xml", b"<?xml version='1.0'?><rss><item>x</item></rss>", "neither NITF nor", id="rss"),
        pytest.param(
            "empty.nitf.xml", b"<nitf><head><title>t</title></head><body></body></nitf>", "no headline", id="nitf-empty"
        ),
    ],
)
def test_readers_bad_input_says_what_to_do(name: str, data: bytes, expected: str) -> None:
    with pytest.raises(InputError) as info:
        decode(data, name)
    message = str(info.value)
    assert expected in message and name in message
    assert any(verb in message for verb in ("Pass", "Open and save", "pip install"))


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.xml", "<?xml version='1.0'?><nitf><body/></nitf>", "nitf"),
        ("a.txt", "<nitf:nitf xmlns:nitf='x'><nitf:p>x</nitf:p></nitf:nitf>", "nitf"),
        ("a", "<newsMessage><itemSet><newsItem/></itemSet></newsMessage>", "newsml"),
        ("a.xml", "<newsItem xmlns='http://iptc.org/std/nar/2006-10-01/'/>", "newsml"),
        ("a.txt", "The nitf element is what <nitf> starts; plain prose.", "text"),
        ("a.md", "# Title\n\nText.", "markdown"),
    ],
)
def test_readers_guess_format_sniffs_news_xml(name: str, text: str, expected: str) -> None:
    assert guess_format(name, text) == expected


# ---- property tests ---------------------------------------------------------------------------------------

_WORDS = st.text(
    alphabet=st.characters(
        exclude_categories=("Cs", "Cc"), exclude_characters="\ufffe\uffff", include_characters="\t\n"
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(headline=_WORDS, paragraphs=st.lists(_WORDS, max_size=6), newsml=st.booleans())
def test_readers_news_xml_property(headline: str, paragraphs: list[str], newsml: bool) -> None:
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in paragraphs)
    if newsml:
        raw = (
            "<?xml version='1.0'?><newsItem xmlns='http://iptc.org/std/nar/2006-10-01/'><contentMeta>"
            f"<headline>{html.escape(headline, quote=False)}</headline></contentMeta><contentSet>"
            f"<inlineXML contenttype='application/nitf+xml'><nitf><body><body.content>{body}"
            "</body.content></body></nitf></inlineXML></contentSet></newsItem>"
        )
    else:
        raw = (
            f"<nitf><head><title>T</title></head><body><body.head><hedline><hl1>{html.escape(headline, quote=False)}"
            f"</hl1></hedline></body.head><body.content>{body}</body.content></body></nitf>"
        )
    try:
        doc = decode(raw.encode(), "story.xml")
    except InputError as exc:
        assert "no headline or body paragraphs" in str(exc)
        assert not (headline.strip() or any(p.strip() for p in paragraphs))
        return
    assert doc.format == ("newsml" if newsml else "nitf")
    assert_maps_home(doc)
    for p in [headline, *paragraphs]:
        assert p.strip() in doc.text


_PAGE_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<article>",
        "</article>",
        "<nav>Home | World</nav>",
        "<footer>Follow us</footer>",
        "<h1>",
        "</h1>",
        "<ul><li>",
        "</li></ul>",
        "<br>",
        "<b>",
        "</b>",
        "&amp;",
        "&ldquo;",
        "&#8364;",
        "&nbsp;",
        "<script>x < y</script>",
        "<!-- c -->",
        "\n",
        "The coalition of Syrian Democratic Forces said on Saturday that the village was taken. ",
        "Also warned the commander that the fight against the jihadist slaapcellen begins. ",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pieces=st.lists(st.one_of(_PAGE_PIECES, _WORDS), max_size=30))
def test_readers_html_article_property(pieces: list[str]) -> None:
    raw = "<html><body>" + "".join(pieces) + "</body></html>"
    try:
        doc = decode(raw.encode(), "page.html")
    except InputError as exc:
        assert "no visible text" in str(exc)
        return
    assert doc.source == raw
    assert_maps_home(doc)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(paragraphs=st.lists(_WORDS.map(lambda s: s.replace("\n", " ")), max_size=6))
def test_readers_docx_property(paragraphs: list[str]) -> None:
    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    try:
        doc = decode(buffer.getvalue(), "story.docx")
    except InputError as exc:
        assert "no text" in str(exc)
        assert not any(p.strip() for p in paragraphs)
        return
    read = [p.text for p in docx.Document(io.BytesIO(buffer.getvalue())).paragraphs]
    assert doc.text == "\n\n".join(p.strip() for p in read if p.strip())
    assert doc.source == "\n".join(read)
    assert_maps_home(doc)


@pytest.mark.parametrize("name", ["article.html", "story.docx", "story.newsml.xml"])
def test_readers_open_no_socket(monkeypatch, name: str) -> None:
    """trafilatura and python-docx read what they are given; neither may reach the network."""
    import socket

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    assert "slaapcellen" in _load(name).text
