"""P101-P103: tokenised punctuation, lowercase starts, missing final stops; exact spans and safe fixes."""

from __future__ import annotations

import pytest

from mtqa.core import apply_edits
from mtqa.document import decode
from mtqa.pipeline import Settings, check_document

NO_LM = Settings(use_lm=False)


def _issues(text: str, code: str, name: str = "t.txt"):  # type: ignore[no-untyped-def]
    report = check_document(decode(text.encode(), name), NO_LM)
    return [i for i in report.issues if i.code == code], report


@pytest.mark.parametrize(
    ("text", "fixed"),
    [
        ("The talks ended , the minister said .", "The talks ended, the minister said."),
        ("The minister 's office said they do n't know.", "The minister's office said they don't know."),
        ("Turnout ( in 2019 ) was low.", "Turnout (in 2019) was low."),
    ],
)
def test_spaced_punctuation_fixes_put_the_text_back_together(text: str, fixed: str) -> None:
    issues, _ = _issues(text, "P101")
    assert issues and all(i.suggestions[0].applicability == "safe" for i in issues)
    edits = tuple(e for i in issues for e in i.suggestions[0].edits)
    assert apply_edits(text, tuple(sorted(edits, key=lambda e: e.span)), 0) == fixed


@pytest.mark.parametrize(
    "text",
    [
        "Prices rose by 5 % in March, and he said: “no.”",
        "He paused ... and then went on.",
        "The score was 2 - 1 at half time.",
        "See www.example.com for the full results of the vote.",
        "https://example.com/results has the full results of the vote.",
        "https: / / clck.ru / Jzjxe. Shall we play a game?",  # a link split by a tokeniser
    ],
)
def test_clean_typography_is_not_flagged(text: str) -> None:
    report = check_document(decode(text.encode(), "t.txt"), NO_LM)
    assert not [i for i in report.issues if i.code.startswith("P")]


def test_lowercase_start_is_fixed_in_its_first_letter_only() -> None:
    text = "The vote was held on Monday.\n\nnow the council has to decide on the budget."
    (issue,), _ = _issues(text, "P102")
    assert text[issue.span.start : issue.span.end] == "now"
    (edit,) = issue.suggestions[0].edits
    assert (text[edit.span.start : edit.span.end], edit.replacement) == ("n", "N")


def test_missing_final_stop_only_at_the_end_of_a_long_prose_paragraph() -> None:
    long_line = "The court in Ghent also declared the bankruptcy of three Belgian subsidiaries of the group on Monday"
    (issue,), _ = _issues(long_line, "P103")
    assert long_line[issue.span.start : issue.span.end] == "Monday"
    assert issue.suggestions[0].text == long_line + "."
    assert not _issues("# " + long_line, "P103", "t.md")[0]  # a Markdown heading
    assert not _issues("Court in Ghent declares bankruptcy of three Belgian subsidiaries", "P103")[0]


def test_fix_shows_but_never_adds_a_missing_stop() -> None:
    from mtqa.rewrite.apply import fix_text

    text = "The court in Ghent also declared the bankruptcy of three Belgian subsidiaries of the group on Monday"
    (issue,), report = _issues(text, "P103")
    assert issue.suggestions[0].applicability == "display-only"
    assert fix_text(text, report).text == text
    lowered = "now the council has to decide on the budget."
    assert fix_text(lowered, _issues(lowered, "P102")[1]).text == "Now the council has to decide on the budget."
