"""Q101: the quality model's word tags become spans; minor alone, major when another rule agrees."""

from __future__ import annotations

import pytest

from mtqa.core import Sentence, Severity, Span
from mtqa.quality.flags import word_flags
from mtqa.quality.model import QualityScore, WordScore, default_artifact
from mtqa.rules.catalogue import make_issue

TEXT = "Also warned the commander of the next phase."


def _sentence() -> Sentence:
    return Sentence(index=0, span=Span(10, 10 + len(TEXT)), text=TEXT, paragraph=0)


def _score(p_bads: list[float]) -> QualityScore:
    words, pos = [], 0
    for word, p in zip(TEXT.split(), p_bads, strict=True):
        start = TEXT.index(word, pos)
        words.append(WordScore(start, start + len(word), p))
        pos = start + len(word)
    return QualityScore(quality=-1.0, p_needs_edit=0.9, words=tuple(words))


def test_adjacent_bad_words_make_one_span_in_document_offsets() -> None:
    score = _score([0.9, 0.8, 0.1, 0.2, 0.1, 0.1, 0.7, 0.3])
    issues = word_flags([_sentence()], [score], [], threshold=0.6)
    assert [(i.code, i.severity) for i in issues] == [("Q101", Severity.MINOR), ("Q101", Severity.MINOR)]
    first, second = issues
    assert (first.span.start, first.span.end) == (10, 10 + len("Also warned"))
    assert TEXT[second.span.start - 10 : second.span.end - 10] == "next"
    assert "'Also warned'" in first.message and "90%" in first.message


def test_a_corroborating_rule_makes_it_major() -> None:
    other = make_issue(
        "W101", span=Span(10, 35), sentence_index=0, fields={"verb": "warned", "front": "Also"}, confidence=1.0
    )
    issues = word_flags([_sentence()], [_score([0.9, 0.8, 0.1, 0.2, 0.1, 0.1, 0.7, 0.3])], [other], threshold=0.6)
    assert issues[0].severity == Severity.MAJOR and "W101 flags it too" in issues[0].message
    assert issues[1].severity == Severity.MINOR  # 'next' lies outside the W101 span


def test_nothing_below_the_threshold() -> None:
    assert word_flags([_sentence()], [_score([0.5] * 8)], [], threshold=0.6) == []


@pytest.mark.skipif(not (default_artifact() / "manifest.json").exists(), reason="no quality artifact")
def test_check_with_quality_reports_q101_inside_the_sentence() -> None:
    from mtqa.pipeline import check

    text = "Two soldiers became on Tuesday at the attack wounded of the by.\n"
    report = check(text, use_quality=True, use_lm=False)
    flags = [i for s in report.sentences for i in s.issues if i.code == "Q101"]
    assert flags, "the garbled sentence should carry at least one Q101 span"
    for issue in flags:
        assert 0 <= issue.span.start < issue.span.end <= len(text.rstrip())
        assert text[issue.span.start : issue.span.end].strip() == text[issue.span.start : issue.span.end]
    off = check(text, use_quality=False, use_lm=False)
    assert not [i for s in off.sentences for i in s.issues if i.code == "Q101"]
