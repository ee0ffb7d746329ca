"""G108: a looped phrase is flagged from its first copy to its last, and `mtqa fix` keeps one copy; deliberate
repetition, quoted chants, single repeated words (G105) and stacked function words (G101) stay silent."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtqa.detect.loop import JOINERS, loops
from mtqa.detect.repetition import FUNCTION
from mtqa.document import Document
from mtqa.pipeline import Settings, check_document
from mtqa.rewrite.apply import fix_text
from mtqa.text import words


def _found(text: str) -> list[tuple[str, int]]:
    ws = words(text)
    return [(text[ws[i].start : ws[i + n * c - 1].end], c) for i, n, c in loops(ws, text)]


@pytest.mark.parametrize(
    ("text", "loop", "copies"),
    [
        ("That degree of degree of degree of degree of fatigue is rare.", "degree of degree of degree of degree of", 4),
        ("The ministers met in Brussels, in Brussels, on Monday.", "in Brussels, in Brussels", 2),
        ("We will be able to be able to be able to finish it.", "be able to be able to be able to", 3),
        ("That is likely to happen early happen early next week.", "happen early happen early", 2),
        ("The fighters - the fighters - left the town.", "The fighters - the fighters", 2),
    ],
)
def test_detect_loop_finds_repeated_phrase(text: str, loop: str, copies: int) -> None:
    assert _found(text) == [(loop, copies)]


@pytest.mark.parametrize(
    "text",
    [
        "Prices rose more and more and more.",
        "It rained day after day after day.",
        'The crowd chanted "lock her up, lock her up" outside.',
        "The crowd chanted “lock her up, lock her up” outside.",
        "Two of the three of the candidates withdrew.",  # a number between: not back to back
        "He went to the the market.",  # one word twice: G105/G101
        "The goddess goddess goddess was praised.",  # one word over and over: G105
        "of the of the",  # function words only: G101
        "New York is bigger than the New York of 1900.",
        "The city. The city was quiet.",
    ],
)
def test_detect_loop_silent(text: str) -> None:
    assert _found(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "After some roads were liberated by the federal government, the federal government came to embrace it.",
        "When he met the minister, the minister said no.",
    ],
)
def test_detect_loop_second_copy_starting_a_clause_is_not_a_loop(text: str) -> None:
    report = check_document(Document(text, "clause.txt"), Settings(use_lm=False))
    assert _found(text), "the words repeat"
    assert not [i for i in report.issues if i.code == "G108"]


def test_detect_loop_fix_keeps_one_copy_with_real_model() -> None:
    text = "The ministers met in Brussels, in Brussels, to discuss the anniversary of the anniversary of the treaty.\n"
    report = check_document(Document(text, "loop.txt"), Settings())
    loops_found = [i for i in report.issues if i.code == "G108"]
    assert ["stands 2 times" in i.message for i in loops_found] == [True, True]
    assert all(i.suggestions for i in loops_found), "the deletion is offered although the LM prefers the loop"
    fixed = fix_text(text, report).text
    assert fixed == "The ministers met in Brussels, to discuss the anniversary of the treaty.\n"


_WORD = st.sampled_from(["the", "city", "of", "Brussels", "in", "fire", "a", "and", "minister", "said"])


@given(st.lists(_WORD, min_size=2, max_size=5, unique=True), st.integers(2, 5), st.sampled_from([" ", ", ", " - "]))
def test_detect_loop_property_any_repeated_content_phrase(unit: list[str], copies: int, sep: str) -> None:
    """A phrase of distinct words with a content word, said 2-5 times, is found once with every copy,
    and deleting the later copies leaves it once."""
    if all(w in FUNCTION for w in unit) or (len(unit) == 2 and set(unit) & JOINERS):
        return  # G101's, or deliberate repetition
    phrase = " ".join(unit)
    text = "Reporters wrote that " + sep.join([phrase] * copies) + " yesterday."
    ws = words(text)
    found = loops(ws, text)
    assert [(n, c) for _, n, c in found] == [(len(unit), copies)], text
    i, n, c = found[0]
    kept = text[: ws[i + n - 1].end] + text[ws[i + n * c - 1].end :]
    assert kept == f"Reporters wrote that {phrase} yesterday."
