"""G110 word form: which relatives a word has, which words are suspects, and the LM's verdict."""

from __future__ import annotations

from mtqa.core import Sentence, Span
from mtqa.detect.wordform import MIN_LETTERS, WordFormDetector, relatives
from mtqa.pipeline import Settings, check
from mtqa.rewrite.window import window
from tests.score_util import scores_with


def test_relatives_cross_parts_of_speech_but_not_inflection_alone() -> None:
    assert {"announcement", "announcer"} <= set(relatives("announce"))
    assert "introduce" in relatives("introduction")
    assert "announced" not in relatives("announces")  # tense and number are other rules' business
    assert "announcement" in relatives("announces")
    assert all(len(r) >= 4 for r in relatives("sings"))  # stems keep four letters: no 'sing' -> 's'
    assert relatives("qwertyuiop") == ()


def test_relatives_leave_out_number_spelling_and_agents() -> None:
    assert "parliament" not in relatives("parliaments")  # the singular is no other form
    assert "similarities" not in relatives("similarity") and "similar" in relatives("similarity")
    assert "normalized" not in relatives("normalised")  # nor the other spelling
    assert relatives("staffer") == () and "trial" not in relatives("trialist")  # the agent names another thing
    assert "announcer" in relatives("announce")  # an agent may still be tried in a verb's place


def test_suspects_are_the_most_surprising_lower_case_words_with_relatives() -> None:
    text = "After the announce of the Brussels results, the party met."
    scores = scores_with(text, {"announce": 15.0, "Brussels": 20.0, "met": 18.0, "party": 8.0, "results": 9.0})
    found = [w.text for w in WordFormDetector().suspects(scores)]
    assert found[0] == "announce"  # the capitalised name and the three-letter word are not suspects
    assert "Brussels" not in found and "met" not in found and len("met") < MIN_LETTERS
    assert WordFormDetector().suspects(scores_with(text, {})) == []  # nothing surprising: nothing to try


def test_each_try_replaces_the_suspect_and_reads_one_word_past_it() -> None:
    text = "After the announce of the results, the party met."
    sentence = Sentence(0, Span(10, 10 + len(text)), text)
    options = WordFormDetector().tries(sentence, scores_with(text, {"announce": 15.0}))
    assert {t.edits[0].replacement for t in options} == set(relatives("announce"))
    longer = next(t for t in options if t.edits[0].replacement == "announcement")
    assert WordFormDetector.window == 1 and window(sentence, longer) == "After the announcement of"


def test_the_lm_confirms_a_wrong_form_and_names_the_right_one_without_applying_it() -> None:
    text = "After the announce of the results, the party leaders met in Brussels."
    (issue,) = check(text, Settings(select=("G110",))).issues
    assert text[issue.span.start : issue.span.end] == "announce"
    assert "reads 'announcement'" in issue.message
    assert issue.suggestions == ()  # a hint for the editor, not a fix: see WordFormDetector.fix_gain


def test_clean_news_with_rare_words_is_left_alone() -> None:
    text = (
        "The commissioner's announcement was welcomed by the unions. "
        "Investigators are examining the wreckage of the helicopter. "
        "The decision follows months of negotiation between the two governments."
    )
    assert check(text, Settings(select=("G110",))).issues == []
