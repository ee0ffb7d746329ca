"""G111 prepositions: which prepositions are suspects, what is tried in their place, and the LM's verdict."""

from __future__ import annotations

from mtqa.core import Sentence, Span
from mtqa.detect.preposition import PrepositionDetector, alternatives, prepositions
from mtqa.pipeline import Settings, check
from mtqa.rewrite.window import window
from tests.score_util import scores_with


def test_the_most_surprising_preposition_is_the_suspect_but_never_the_first_word() -> None:
    text = "Throughout the war they were prisoners until the blockade."
    scores = scores_with(text, {"Throughout": 20.0, "until": 9.0, "prisoners": 15.0})
    assert [w.text for w in PrepositionDetector().suspects(scores)] == ["until"]  # 'prisoners' is no preposition
    assert PrepositionDetector().suspects(scores_with(text, {"until": 3.0})) == []  # not surprising enough


def test_alternatives_are_the_common_prepositions_in_the_words_case() -> None:
    known, common = prepositions()
    assert set(common) <= known
    assert "until" not in alternatives("until") and "of" in alternatives("until")
    assert "of" not in alternatives("of") and "Of" in alternatives("Until")


def test_each_try_replaces_the_preposition_and_reads_one_word_past_it() -> None:
    text = "They were prisoners until the blockade began."
    sentence = Sentence(0, Span(5, 5 + len(text)), text)
    tried = PrepositionDetector().tries(sentence, scores_with(text, {"until": 9.0}))
    assert {t.edits[0].replacement for t in tried} == set(alternatives("until"))
    of = next(t for t in tried if t.edits[0].replacement == "of")
    assert PrepositionDetector.window == 1 and window(sentence, of) == "They were prisoners of the"


def test_the_lm_confirms_a_wrong_preposition_and_names_another_without_applying_it() -> None:
    text = "The results depend until the weather."
    (issue,) = check(text, Settings(select=("G111",))).issues
    assert text[issue.span.start : issue.span.end] == "until"
    assert "reads 'on'" in issue.message and issue.suggestions == ()


def test_prepositions_that_fit_are_left_alone() -> None:
    text = (
        "The talks lasted until midnight. Across the river, the town was quiet. "
        "She has lived in Brussels since 2015 and works for the European Commission."
    )
    assert check(text, Settings(select=("G111",))).issues == []
