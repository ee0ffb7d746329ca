"""W103 swapped words: which pairs are tried, by default only where the damage model points."""

from __future__ import annotations

from mtqa.core import Sentence, Span, apply_edits
from mtqa.detect.swap import GUIDE_MIN, GUIDE_WORDS, WINDOW, likely, swaps, window
from mtqa.pipeline import Settings, active_detectors, check
from mtqa.quality.damage import DamageScore
from mtqa.quality.model import WordScore
from mtqa.text import words


def _sentence(text: str) -> Sentence:
    return Sentence(0, Span(10, 10 + len(text)), text)


def test_pairs_skip_the_first_word_punctuation_and_names() -> None:
    s = _sentence("Yesterday Kornel Morawiecki announced Twitter on, that he quit.")
    tried = [(a.text, b.text) for a, b in (sw.pair for sw in swaps(s))]
    assert ("Yesterday", "Kornel") not in tried  # the first word
    assert ("Kornel", "Morawiecki") not in tried  # two capitalised words: a name
    assert ("on", "that") not in tried  # across a comma
    assert ("Twitter", "on") in tried and ("Morawiecki", "announced") in tried


def test_each_candidate_swaps_exactly_one_pair() -> None:
    s = _sentence("The minister announced Twitter on that he quit.")
    for sw in swaps(s):
        (a, b) = sw.pair
        text = apply_edits(s.text, sw.edits, s.span.start)
        assert sorted(w.text for w in words(text)) == sorted(w.text for w in words(s.text))
        assert f"{b.text} {a.text}" in text


def test_near_keeps_only_pairs_touching_the_marked_words() -> None:
    s = _sentence("The minister announced Twitter on that he quit.")
    at = s.text.index("Twitter")
    tried = [(a.text, b.text) for a, b in (sw.pair for sw in swaps(s, [(at, at + len("Twitter"))]))]
    assert tried == [("announced", "Twitter"), ("Twitter", "on")]
    assert swaps(s, []) == []


def test_the_lm_reads_window_words_past_the_pair() -> None:
    s = _sentence("The minister announced Twitter on that he quit the party yesterday.")
    sw = next(sw for sw in swaps(s) if sw.pair[0].text == "Twitter")
    assert WINDOW == 1 and window(s, sw) == "The minister announced on Twitter that"
    last = next(sw for sw in swaps(s) if sw.pair[1].text == "yesterday")  # near the end: up to the last word
    assert window(s, last) == "The minister announced Twitter on that he quit the yesterday party"


def test_likely_takes_the_damage_models_top_words_above_its_floor() -> None:
    text = "The minister announced Twitter on that he quit."
    ps = {"Twitter": 0.9, "on": 0.7, "that": 0.2}
    scores = tuple(WordScore(w.start, w.end, ps.get(w.text, 0.01)) for w in words(text))
    top = likely(DamageScore(0.8, scores))
    assert len(top) == GUIDE_WORDS and [text[a:b] for a, b in top] == ["Twitter", "on"][:GUIDE_WORDS]
    assert likely(DamageScore(GUIDE_MIN / 2, scores)) == [] and likely(None) == []


def test_rule_runs_by_default_and_thorough_widens_the_search() -> None:
    names = {d.name for d in active_detectors(Settings(), have_tags=True)}
    assert "swap" in names
    assert Settings(thorough=True).config_digest() != Settings().config_digest() == ""


def test_default_check_restores_a_swap_with_the_real_models() -> None:
    """The damage model points at the pair and the LM verifies the swap, without --thorough."""
    report = check("Kolonko announced Twitter on that he has ended the cooperation with the club.")
    (issue,) = [i for s in report.sentences for i in s.issues if i.code == "W103"]
    assert issue.suggestions[0].text.startswith("Kolonko announced on Twitter that")
    assert "damage:" in report.signature
