"""Turn the word tagger's P(BAD) into Q101 `unusual-wording` issues (spans only; never prints).

Adjacent flagged words merge into one span. A flag is minor; it becomes major only when another
detector's issue overlaps it (the issue brief's "minor unless a detector corroborates").
Only prose sentences get word flags: headings and web chrome are not translations to judge.
"""

from __future__ import annotations

from collections.abc import Sequence

from mtqa.core import Issue, Sentence, Severity, Span
from mtqa.quality.model import QualityScore
from mtqa.rules.catalogue import make_issue

CODE = "Q101"


def word_spans(sentence: Sentence, score: QualityScore, threshold: float) -> list[tuple[Span, float]]:
    """Merge runs of words with P(BAD) >= threshold into document spans with their highest P(BAD)."""
    runs: list[tuple[int, int, float]] = []
    last_end = -1
    for w in score.words:
        if w.p_bad < threshold or not any(ch.isalnum() for ch in sentence.text[w.start : w.end]):
            last_end = -1
            continue
        if runs and last_end >= 0 and not sentence.text[last_end : w.start].strip():
            start, _, p = runs[-1]
            runs[-1] = (start, w.end, max(p, w.p_bad))
        else:
            runs.append((w.start, w.end, w.p_bad))
        last_end = w.end
    base = sentence.span.start
    return [(Span(base + s, base + e), p) for s, e, p in runs]


def word_issues(
    sentences: Sequence[Sentence], scores: Sequence[QualityScore], threshold: float, others: Sequence[Issue]
) -> list[Issue]:
    """Q101 issues for every prose sentence's flagged word runs."""
    out = []
    for sentence, score in zip(sentences, scores):
        if sentence.kind != "prose":
            continue
        for span, p_bad in word_spans(sentence, score, threshold):
            corroborated = any(o.span.overlaps(span) and o.sentence_index == sentence.index for o in others)
            out.append(
                make_issue(
                    CODE,
                    span=span,
                    sentence_index=sentence.index,
                    fields={"words": sentence.text[span.start - sentence.span.start : span.end - sentence.span.start]},
                    confidence=p_bad,
                    severity=Severity.MAJOR if corroborated else Severity.MINOR,
                    evidence={"p_bad": p_bad, "threshold": threshold},
                )
            )
    return out
