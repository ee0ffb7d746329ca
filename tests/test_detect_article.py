"""G109 a/an: the article English's sound rules expect, and the LM's confirmation."""

from __future__ import annotations

import pytest

from mtqa.detect.article import expected_article, misused
from mtqa.pipeline import Settings, check


@pytest.mark.parametrize(
    ("word", "article"),
    [
        ("year", "a"),
        ("apple", "an"),
        ("hour", "an"),
        ("honest", "an"),
        ("university", "a"),
        ("European", "a"),
        ("one-off", "a"),
        ("unidentified", "an"),  # un- + identified, not uni-
        ("ugly", "an"),
        ("Ukrainian", "a"),
        ("Israeli", "an"),
        ("F-16", "an"),
        ("U-turn", "a"),
        ("X-ray", "an"),
        ("B-movie", "a"),
        ("M1", "an"),  # a letter then a number: read by the letter's name (MLQE-PE ro-en 'an M1 Abrams')
        ("A4", "an"),
        ("B52", "a"),
        ("FBI", None),  # acronyms: spelled out or read as a word, we cannot tell
        ("McCain", None),
        ("historic", None),  # 'an historic' and 'a historic' are both written
    ],
)
def test_expected_article(word: str, article: str | None) -> None:
    assert expected_article(word) == article


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("It was an year of change.", [(7, 9, "a")]),
        ('"A apple a day," she said.', [(1, 2, "An")]),  # a capital keeps its capital
        ("Plan A in the budget was dropped.", []),  # a capital 'A' inside the sentence is a letter
        ("He was 8 years old, an 8-year-old boy.", []),  # a number: skipped
        ("An F-16 made a U-turn over an hour.", []),
    ],
)
def test_misused(text: str, found: list[tuple[int, int, str]]) -> None:
    assert misused(text) == found


def test_g109_flags_with_the_lm_and_fixes_only_the_article() -> None:
    (issue,) = check("The ministry published a annual report on Monday.", Settings(select=("G109",))).issues
    assert issue.suggestions[0].text == "The ministry published an annual report on Monday."
    assert (issue.evidence["lm_gain"] or 0) >= 1.0


def test_g109_leaves_a_foreign_name_alone_when_the_lm_disagrees() -> None:
    text = "The train to Frankfurt an der Oder was late."
    assert misused(text)  # the sound rule alone would 'correct' it
    assert check(text, Settings(select=("G109",))).issues == []
