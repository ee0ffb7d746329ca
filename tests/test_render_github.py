"""GitHub Actions workflow commands: exact lines for a hand-built report, and the runner's escaping."""

from __future__ import annotations

import dataclasses

import pytest

from mtqa.core import Issue, Severity, Span
from mtqa.render import FORMATS
from mtqa.render.github import escape_data, escape_property
from mtqa.report import Report, SentenceReport, find_line_starts

TEXT = "Title line\n\nAlso warned the commander, 100%: yes.\nSecond line here.\n"


def _issue(code: str, name: str, severity: Severity, start: int, end: int, message: str) -> Issue:
    return Issue(code, name, "test/category", severity, 1.0, Span(start, end), 1, message)


def tiny_report(name: str = "news/story.txt") -> Report:
    issues = (
        _issue(
            "W101",
            "verb-before-subject",
            Severity.MAJOR,
            12,
            37,
            "The verb 'warned' comes before its subject after 'Also': source-language (verb-second) order.",
        ),
        _issue("L102", "surprisal-peak", Severity.MINOR, 39, 43, "Unusual wording at '100%' (21.1 nats of surprisal)."),
        _issue("T001", "test-rule", Severity.CRITICAL, 45, 56, "Two lines:\nfirst, second\r"),
    )
    sentences = (
        SentenceReport(0, Span(0, 10), TEXT[0:10], 0, "heading", None, ()),
        SentenceReport(1, Span(12, 67), TEXT[12:67], 1, "prose", None, issues),
    )
    return Report(
        name=name,
        format="text",
        encoding="utf-8",
        characters=len(TEXT),
        notes=(),
        sentences=sentences,
        signature="mtqa:0.1.0|fail-on:major",
        version="0.1.0",
        fail_on=Severity.MAJOR,
        line_starts=find_line_starts(TEXT),
    )


def test_render_github_exact_lines():
    assert FORMATS["github"]([tiny_report()]).splitlines() == [
        "::error file=news/story.txt,line=3,col=1,endLine=3,endColumn=25,title=W101 verb-before-subject::"
        "The verb 'warned' comes before its subject after 'Also': source-language (verb-second) order.",
        "::warning file=news/story.txt,line=3,col=28,endLine=3,endColumn=31,title=L102 surprisal-peak::"
        "Unusual wording at '100%25' (21.1 nats of surprisal).",
        "::error file=news/story.txt,line=3,endLine=4,title=T001 test-rule::Two lines:%0Afirst, second%0D",
    ]


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("<stdin>", "::error title=W101 verb-before-subject::"),
        ("C:/news/a,b.txt", "::error file=C%3A/news/a%2Cb.txt,line=3,col=1,endLine=3,endColumn=25,title=W101 "),
    ],
)
def test_render_github_file_property(name, first):
    assert FORMATS["github"]([tiny_report(name)]).startswith(first)


def test_render_github_no_issues_no_output():
    assert FORMATS["github"]([dataclasses.replace(tiny_report(), sentences=())]) == ""
    assert FORMATS["github"]([]) == ""


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a:b,c", "a:b,c", "a%3Ab%2Cc"),
        ("one\r\ntwo\nthree\r", "one%0D%0Atwo%0Athree%0D", "one%0D%0Atwo%0Athree%0D"),
        ("literal %0A stays", "literal %250A stays", "literal %250A stays"),
        ("::error x::y", "::error x::y", "%3A%3Aerror x%3A%3Ay"),
        ('🎉 עברית \\ "q"', '🎉 עברית \\ "q"', '🎉 עברית \\ "q"'),
    ],
)
def test_render_github_escaping(raw, data, prop):
    assert escape_data(raw) == data
    assert escape_property(raw) == prop
