"""L101: SLOR is judged against clean news sentences of the same length, with measured thresholds."""

from __future__ import annotations

import pytest

from mtqa.detect.fluency import MIN_WORDS, percentile, standard, thresholds
from mtqa.pipeline import check


def test_thresholds_file_holds_the_length_model_and_its_cut_offs() -> None:
    t = thresholds()
    assert set(t["slor_length"]) == {"a", "b", "c", "d", "cap"}
    assert t["slor_z_major"] < t["slor_z_minor"] < 0
    # major: the 1st percentile of clean news (3 % clean budget for all rules), minor: the 10th
    assert t["slor_z_quantiles"]["1"] == t["slor_z_major"] and t["slor_z_quantiles"]["10"] == t["slor_z_minor"]
    assert "quality_word_flag" in t  # kept when benchmarks/thresholds.py rewrites its part


@pytest.mark.parametrize("slor", [-4.0, -1.0, 0.5, 2.0])
def test_the_same_slor_is_less_unusual_in_a_short_line(slor: float) -> None:
    """Clean short lines score lower than long sentences, so a low SLOR says less about them."""
    assert standard(slor, 5) > standard(slor, 12) > standard(slor, 25)


def test_lengths_past_the_cap_are_judged_like_the_cap() -> None:
    cap = int(thresholds()["slor_length"]["cap"])
    assert standard(0.0, cap) == standard(0.0, cap * 3)


def test_score_is_monotonic_and_percentiles_match_the_cut_offs() -> None:
    assert standard(-1.0, 15) < standard(0.0, 15) < standard(1.0, 15)
    t = thresholds()
    assert percentile(t["slor_z_major"]) == pytest.approx(1.0)
    assert percentile(t["slor_z_minor"]) == pytest.approx(10.0)
    assert percentile(-100.0) == 0.0 and percentile(100.0) == 100.0


def test_real_model_flags_a_garbled_long_sentence_but_not_a_clean_headline() -> None:
    report = check(
        "Trouble in the NBA!\n\n"
        "The the government said on of Tuesday that plan it would the new budget to parliament next week send.\n"
    )
    headline, garbled = report.sentences
    assert len(headline.text.split()) >= MIN_WORDS
    assert not [i for i in headline.issues if i.code == "L101"]
    (issue,) = [i for i in garbled.issues if i.code == "L101"]
    assert "of its length" in issue.message and issue.evidence["slor_z"] < thresholds()["slor_z_minor"]
