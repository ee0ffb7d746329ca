"""Inline suppressions and allowlists: markers silence what they name, stale markers become X101."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtqa.core import Issue, Sentence, Severity, Span
from mtqa.document import Document, decode
from mtqa.gate import drop_allowed, find_directives, parse_directive, suppress
from mtqa.pipeline import Settings, check_document
from mtqa.segment import segment

LEFT = "The fight against the jihadist slaapcellen goes on."  # U101 at 'slaapcellen'
CHROME = "Follow us"  # B101
CLEAN = "The council met on Monday."


def _codes(text: str, name: str = "story.md", **settings: object) -> list[tuple[str, str]]:
    """(code, sentence) of every issue, checked without the LM."""
    report = check_document(decode(text.encode(), name), Settings(use_lm=False, **settings))  # type: ignore[arg-type]
    return [(i.code, s.text) for s in report.sentences for i in s.issues]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(f"{LEFT}\n", [("U101", LEFT)], id="no-marker"),
        pytest.param(f"<!-- mtqa: ignore U101 -->\n{LEFT}\n", [], id="ignore-next-sentence"),
        pytest.param(f"<!-- mtqa: ignore -->\n{LEFT}\n", [], id="ignore-all-rules"),
        pytest.param(f"<!-- mtqa: ignore accuracy -->\n{LEFT}\n", [], id="ignore-category"),
        pytest.param(f"<!-- mtqa: ignore untranslated-word --> {LEFT}\n", [], id="same-line-by-name"),
        pytest.param(f"<!-- mtqa: ignore U101 -->\n{LEFT}\n\n{LEFT}\n", [("U101", LEFT)], id="only-the-next-sentence"),
        pytest.param(f"<!-- mtqa: ignore-paragraph U -->\n{LEFT} {LEFT}\n\n{LEFT}\n", [("U101", LEFT)], id="paragraph"),
        pytest.param(
            f"<!-- mtqa: off -->\n{LEFT}\n\n{CHROME}\n<!-- mtqa: on -->\n\n{LEFT}\n", [("U101", LEFT)], id="region"
        ),
        pytest.param(f"<!-- mtqa: off B101 -->\n{LEFT}\n\n{CHROME}\n", [("U101", LEFT)], id="open-region-one-rule"),
        pytest.param(f"<!-- MTQA: Ignore U101 -->\n{LEFT}\n", [], id="case-insensitive"),
    ],
)
def test_gate_suppress_markers(text: str, expected: list[tuple[str, str]]) -> None:
    assert _codes(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        pytest.param(f"<!-- mtqa: ignore B101 -->\n{LEFT}\n", "'mtqa: ignore B101' suppresses nothing", id="unused"),
        pytest.param(f"<!-- mtqa: ignroe U101 -->\n{LEFT}\n", "unknown mtqa marker 'ignroe'", id="misspelt"),
        pytest.param(f"<!-- mtqa: ignore Z999 -->\n{CLEAN}\n", "'Z999' matches no rule", id="unknown-code"),
        pytest.param(f"{CLEAN}\n<!-- mtqa: on -->\n", "without an `mtqa: off`", id="stray-on"),
        pytest.param(f"<!-- mtqa: -->\n{CLEAN}\n", "an empty mtqa marker", id="empty"),
    ],
)
def test_gate_suppress_reports_x101(text: str, message: str) -> None:
    report = check_document(decode(text.encode(), "story.md"), Settings(use_lm=False))
    x101 = [i for i in report.issues if i.code == "X101"]
    assert len(x101) == 1
    assert message in x101[0].message
    marker = text[x101[0].span.start : x101[0].span.end]
    assert marker.startswith("<!--") and marker.endswith("-->")
    assert x101[0].severity is Severity.MINOR
    assert not report.failed or any(i.code == "U101" for i in report.issues)


@pytest.mark.parametrize(
    ("text", "settings"),
    [
        pytest.param(f"<!-- mtqa: ignore L101 -->\n{CLEAN}\n", {}, id="rule-did-not-run-without-lm"),
        pytest.param(f"<!-- mtqa: ignore B101 -->\n{CLEAN}\n", {"ignore": ("X101",)}, id="x101-ignored"),
        pytest.param(f"<!-- mtqa: ignore B101 -->\n{CLEAN}\n", {"select": ("U",)}, id="rule-not-selected"),
    ],
)
def test_gate_suppress_no_x101(text: str, settings: dict) -> None:
    assert _codes(text, **settings) == []


@pytest.mark.parametrize("name", ["story.txt", "story.md"])
def test_gate_markers_never_enter_sentences(name: str) -> None:
    text = f"<!-- mtqa: ignore U101 -->\n{LEFT}\n\n<!-- mtqa: off --> {CLEAN} <!-- mtqa: on -->\n"
    document = decode(text.encode(), name)
    sentences = segment(document)
    assert [s.text for s in sentences] == [LEFT, CLEAN]
    assert all(text[s.span.start : s.span.end] == s.text for s in sentences)


@pytest.mark.parametrize("marker", ["<!-- mtqa: ignore U101 -->", "<!--mtqa:ignore U101-->"])
def test_gate_markers_in_html(marker: str) -> None:
    page = f"<html><body><p>{LEFT}</p>{marker}<p>{LEFT}</p><!-- mtqa: ignore B101 --><p>{CLEAN}</p></body></html>"
    report = check_document(decode(page.encode(), "story.html"), Settings(use_lm=False))
    assert [(i.code, i.sentence_index) for i in report.issues] == [("U101", 0), ("X101", 2)]


# --- the parsers never crash, and offsets stay valid -------------------------------------------

_marker_body = st.one_of(
    st.text(max_size=30),
    st.builds(
        lambda a, codes: f" {a} {' '.join(codes)} ",
        st.sampled_from(["ignore", "ignore-paragraph", "off", "on", "Ignore", "x"]),
        st.lists(st.sampled_from(["U101", "U", "B", "accuracy", "Z9", "", ",", "W1"]), max_size=3),
    ),
)


@settings(max_examples=300, deadline=None)
@given(_marker_body)
def test_gate_parse_directive_never_crashes(body: str) -> None:
    directive = parse_directive(body, Span(0, 0))
    assert directive.action in ("", "ignore", "ignore-paragraph", "off", "on")
    assert bool(directive.problem) or directive.action


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.sampled_from([LEFT, CHROME, CLEAN, "\n", "\n\n", " "]), _marker_body.map(lambda b: f"<!-- mtqa:{b}-->")
        ),
        max_size=10,
    )
)
def test_gate_suppression_never_crashes_and_keeps_offsets(pieces: list[str]) -> None:
    text = "".join(pieces)
    if not text.strip():
        return
    for fmt in ("text", "markdown"):
        sentences = segment(Document(text, "story", fmt))
        assert all(text[s.span.start : s.span.end] == s.text for s in sentences)
        issues = [
            Issue("U101", "untranslated-word", "accuracy/untranslated", Severity.MAJOR, 1.0, s.span, s.index, "m")
            for s in sentences
        ]
        kept, x101 = suppress(issues, sentences, find_directives(text), frozenset({"U101", "B101", "W101"}))
        assert len(kept) <= len(issues)
        for issue in x101:
            assert text[issue.span.start : issue.span.end].startswith("<!--")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_gate_find_directives_never_crashes(text: str) -> None:
    for d in find_directives(text, [(0, text)]):
        assert 0 <= d.span.start <= d.span.end <= len(text)


# --- allowlists apply to every detector --------------------------------------------------------


def _issue(code: str, span: Span, index: int = 0) -> Issue:
    return Issue(code, code.lower(), "x/y", Severity.MAJOR, 1.0, span, index, "m")


@pytest.mark.parametrize(
    ("words", "issue_span", "kept"),
    [
        pytest.param({"slaapcellen"}, (31, 42), False, id="word"),
        pytest.param({"jihadist slaapcellen"}, (31, 42), False, id="inside-phrase"),
        pytest.param({"jihadist slaapcellen"}, (22, 42), False, id="the-phrase"),
        pytest.param({"slaap"}, (31, 42), True, id="part-of-a-word-is-not-the-word"),
        pytest.param({"slaapcellen"}, (0, len(LEFT)), True, id="whole-sentence-issues-stay"),
        pytest.param(set(), (31, 42), True, id="empty"),
    ],
)
def test_gate_allowlist_any_rule(words: set[str], issue_span: tuple[int, int], kept: bool) -> None:
    sentence = Sentence(0, Span(0, len(LEFT)), LEFT)
    issues = [_issue("G104", Span(*issue_span))]
    assert bool(drop_allowed(issues, [sentence], LEFT, frozenset(words))) == kept


@pytest.mark.parametrize("word", ["slaapcellen", "Jihadist Slaapcellen"])
def test_gate_allowlist_in_pipeline(word: str) -> None:
    assert _codes(f"{LEFT}\n", allow_words=frozenset({word.lower()})) == []
