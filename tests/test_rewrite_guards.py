"""Rewrite guards: the keep-check, the meaning check, combined edits, and what the report carries."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtqa.core import Edit, Span
from mtqa.report import word_diff
from mtqa.rewrite import guard, meaning
from mtqa.rewrite.review import compose

SENTENCE = "At the height checked IS in Syria and Iraq 29 June 2014."


def _edit(old: str, new: str, text: str = SENTENCE) -> Edit:
    start = text.index(old)
    return Edit(Span(start, start + len(old)), new)


@pytest.mark.parametrize(
    ("code", "flagged", "old", "new", "lost"),
    [
        ("W101", "checked IS", "checked IS", "IS checked", []),  # a reorder keeps every word
        ("W101", "checked IS", "checked IS", "IS", ["checked"]),  # a reorder may not drop one
        ("M101", "checked", "checked", "controlled", []),  # the false friend is the word meant to change
        ("M101", "checked", "Syria", "Turkey", ["syria"]),  # a name outside the flagged word is protected
        ("G101", "the", " 2014", "", ["2014"]),  # so is a number
        ("G101", "the", "the ", "", []),  # a function word may go
    ],
)
def test_rewrite_guard_lost_words(code, flagged, old, new, lost):
    flagged = _edit(flagged, flagged).span
    edit = _edit(old, new)
    spans = guard.intended_spans(code, flagged, [edit])
    assert guard.lost_words(SENTENCE, 0, [edit], spans) == lost


def test_rewrite_guard_counts_repeated_words():
    text = "Thomas Cook Financial Services Services."
    edit = _edit(" Services", "", text)
    assert (
        guard.lost_words(
            text, 0, [edit], guard.intended_spans("G105", _edit("Services Services", "", text).span, [edit])
        )
        == []
    )
    assert guard.lost_words(text, 0, [edit], []) == ["services"]


@pytest.mark.parametrize(
    ("edits", "expected"),
    [
        # the false friend inside the reordered phrase is replaced inside the reorder
        ([("At the height checked IS", "At the height IS checked"), ("checked", "controlled")],
         "At the height IS controlled in Syria and Iraq 29 June 2014."),
        # disjoint edits combine as they are
        ([("checked IS", "IS checked"), ("Iraq", "Iraq,")],
         "At the height IS checked in Syria and Iraq, 29 June 2014."),
    ],
)  # fmt: skip
def test_rewrite_compose_merges_edits(edits, expected):
    from mtqa.core import apply_edits

    merged = compose([_edit(a, b) for a, b in edits], SENTENCE)
    assert merged is not None
    assert apply_edits(SENTENCE, merged) == expected


@pytest.mark.parametrize(
    "edits",
    [
        [("checked IS", "IS checked"), ("IS in", "in")],  # partial overlap
        [("At the height checked IS", "At the height IS"), ("checked", "controlled")],  # word gone from the outer edit
    ],
)
def test_rewrite_compose_refuses_conflicts(edits):
    assert compose([_edit(a, b) for a, b in edits], SENTENCE) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_rewrite_word_diff_rebuilds_both_sides(old, new):
    pieces = word_diff(old, new)
    assert "".join(p for op, p in pieces if op != "+") == old
    assert "".join(p for op, p in pieces if op != "-") == new


@pytest.mark.parametrize(
    ("a", "b", "high"),
    [
        ("At the height checked IS in Syria.", "At the height IS checked in Syria.", True),
        ("The talks did not fail.", "The weather was sunny in Oslo.", False),
    ],
)
def test_rewrite_meaning_similarity_separates_rewrites_from_other_sentences(a, b, high):
    (sim,) = meaning.similarities([(a, b)])
    assert sim is not None
    assert (sim >= meaning.MIN_SIMILARITY) is high
