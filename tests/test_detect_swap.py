"""W103 swapped words: which pairs are tried, and that the rule runs only with --thorough."""

from __future__ import annotations

from mtqa.core import Sentence, Span, apply_edits
from mtqa.detect.swap import swaps
from mtqa.pipeline import Settings, active_detectors
from mtqa.text import words


def _sentence(text: str) -> Sentence:
    return Sentence(0, Span(10, 10 + len(text)), text)


def test_pairs_skip_the_first_word_punctuation_and_names() -> None:
    s = _sentence("Yesterday Kornel Morawiecki announced Twitter on, that he quit.")
    tried = [(a.text, b.text) for _, (a, b) in swaps(s)]
    assert ("Yesterday", "Kornel") not in tried  # the first word
    assert ("Kornel", "Morawiecki") not in tried  # two capitalised words: a name
    assert ("on", "that") not in tried  # across a comma
    assert ("Twitter", "on") in tried and ("Morawiecki", "announced") in tried


def test_each_candidate_swaps_exactly_one_pair() -> None:
    s = _sentence("The minister announced Twitter on that he quit.")
    for edits, (a, b) in swaps(s):
        text = apply_edits(s.text, edits, s.span.start)
        assert sorted(w.text for w in words(text)) == sorted(w.text for w in words(s.text))
        assert f"{b.text} {a.text}" in text


def test_rule_runs_only_when_thorough() -> None:
    names = {d.name for d in active_detectors(Settings(), have_tags=True)}
    thorough = {d.name for d in active_detectors(Settings(thorough=True), have_tags=True)}
    assert "swap" not in names and "swap" in thorough
    assert Settings(thorough=True).config_digest() != Settings().config_digest() == ""
