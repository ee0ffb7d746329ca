"""W101 verb-before-subject: the LM-confirmed major flag and the trigger-adverb minor flag."""

from __future__ import annotations

import pytest

from mtqa.core import Severity
from mtqa.detect.wordorder import trigger_inversion
from mtqa.languages import load_profile
from mtqa.pipeline import Settings, check
from mtqa.tag import Token

TRIGGERS = load_profile("nl").inversion_triggers


def _tokens(*pairs: str) -> list[Token]:
    """Tokens from 'word/TAG' strings, laid out with single spaces."""
    out, pos = [], 0
    for pair in pairs:
        text, tag = pair.rsplit("/", 1)
        out.append(Token(text, tag, pos, pos + len(text), " "))
        pos += len(text) + 1
    return out


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        pytest.param(("Also/RB", "warned/VBD", "the/DT", "commander/NN"), True, id="trigger-lexical-verb"),
        pytest.param(("Then/RB", "came/VBD", "the/DT", "storm/NN"), False, id="presentational-verb"),
        pytest.param(("Now/RB", "is/VBZ", "the/DT", "time/NN"), False, id="auxiliary"),
        pytest.param(("Today/NN", "marks/VBZ", "the/DT", "anniversary/NN"), False, id="time-word-can-be-subject"),
        pytest.param(("Quickly/RB", "warned/VBD", "the/DT", "commander/NN"), False, id="not-a-trigger"),
        pytest.param(("Also/RB", "the/DT", "commander/NN", "warned/VBD"), False, id="subject-first"),
        pytest.param(("Also/RB", "warned/VBD", "./."), False, id="too-short"),
    ],
)
def test_trigger_inversion(tokens: tuple[str, ...], expected: bool) -> None:
    assert trigger_inversion(_tokens(*tokens), TRIGGERS) is expected


def test_short_inversion_the_lm_misses_is_a_minor_flag_without_suggestion() -> None:
    # The 135M LM scores this line better than any reordering, so only the trigger path catches it.
    report = check("Also warned the commander of the next phase.", Settings(select=("W101",)))
    (issue,) = report.issues
    assert (issue.severity, issue.span.start, issue.span.end) == (Severity.MINOR, 0, 25)
    assert issue.suggestions == () and "'warned'" in issue.message
    assert issue.rewrite_status == "no safe rewrite found"  # the reorderings were tried and refused


def test_lm_confirmed_inversion_stays_major_with_its_reordering() -> None:
    report = check("Now wants the city council a new bridge.", Settings(select=("W101",)))
    (issue,) = report.issues
    assert issue.severity == Severity.MAJOR
    assert issue.suggestions[0].text == "Now the city council wants a new bridge."


def test_english_inversion_with_trigger_is_silent() -> None:
    assert check("Then came the storm that flattened the harbour.", Settings(select=("W101",))).issues == []
