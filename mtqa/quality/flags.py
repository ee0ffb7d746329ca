"""Q101: the quality model's word tags as issue spans.

Runs of adjacent words whose P(BAD) reaches the `quality_word_flag` threshold become one span. A span
is minor on its own and major when another rule's span overlaps it (two independent signals agree).
"""

from __future__ import annotations

from collections.abc import Sequence

from mtqa.core import Issue, Sentence, Severity, Span
from mtqa.quality.model import QualityScore, WordScore
from mtqa.rules.catalogue import make_issue


def _runs(words: Sequence[WordScore], threshold: float) -> list[list[WordScore]]:
    runs: list[list[WordScore]] = []
    previous = -2
    for i, word in enumerate(words):
        if word.p_bad < threshold:
            continue
        if i == previous + 1 and runs:
            runs[-1].append(word)
        else:
            runs.append([word])
        previous = i
    return runs


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span to start and end on a letter or digit (words keep their attached punctuation)."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def word_flags(
    sentences: Sequence[Sentence], scores: Sequence[QualityScore], others: Sequence[Issue], threshold: float
) -> list[Issue]:
    """Q101 issues for every sentence; `others` are the issues of the other rules (for corroboration)."""
    out = []
    by_sentence: dict[int, list[Issue]] = {}
    for other in others:
        by_sentence.setdefault(other.sentence_index, []).append(other)
    for sentence, score in zip(sentences, scores, strict=True):
        base = sentence.span.start
        mine = by_sentence.get(sentence.index, [])
        # a sentence-wide issue (L101, B101) says nothing about particular words, so it does not corroborate
        local = [o for o in mine if not o.span.contains(sentence.span)]
        for run in _runs(score.words, threshold):
            start, end = trim(sentence.text, run[0].start, run[-1].end)
            if start >= end:
                continue  # punctuation only
            span = Span(base + start, base + end)
            corroborating = sorted({o.code for o in local if o.span.overlaps(span)})
            p_bad = max(w.p_bad for w in run)
            out.append(
                make_issue(
                    "Q101",
                    span=span,
                    sentence_index=sentence.index,
                    fields={
                        "words": sentence.text[start:end],
                        "p_bad": p_bad,
                        "corroboration": f"; {', '.join(corroborating)} flags it too" if corroborating else "",
                    },
                    confidence=p_bad,
                    severity=Severity.MAJOR if corroborating else None,
                    evidence={"p_bad": p_bad},
                )
            )
    return out
