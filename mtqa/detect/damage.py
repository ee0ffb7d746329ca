"""L103: a trained detector of damaged English, for the errors no hand-written rule describes well.

A dropped conjunction ("the army the police"), a dropped verb or subject, a word in the wrong form
("the rapid growing city"), a stray mark: the language model prefers the intact sentence when it sees
both (DEMETR contrastive accuracy 0.91-1.00 on these types) but cannot tell from one sentence alone,
and no rule lists them. The damage model (`mtqa.quality.damage`, trained by
`benchmarks/train_damage.py` on human post-edits with one synthetic edit each) reads a single English
sentence and gives P(damaged) and P(the damage is here) per word. Its thresholds were set on clean
text (WMT21 dev news references and MLQE-PE dev post-edits), never on a benchmark it is measured with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mtqa.core import Issue, Severity, Span
from mtqa.detect.base import Context
from mtqa.rewrite.verify import lm_text
from mtqa.rules import make_issue
from mtqa.text import words

if TYPE_CHECKING:
    from mtqa.quality.damage import DamageScore
    from mtqa.quality.model import WordScore

MIN_WORDS = 4  # a headline or caption of three words is not a sentence to judge


def where(scores: tuple[WordScore, ...], threshold: float) -> tuple[int, int] | None:
    """The character range of the run of adjacent words around the word the damage most likely is at."""
    if not scores:
        return None
    best = max(range(len(scores)), key=lambda i: scores[i].p_bad)
    lo = hi = best
    while lo > 0 and scores[lo - 1].p_bad >= threshold:
        lo -= 1
    while hi + 1 < len(scores) and scores[hi + 1].p_bad >= threshold:
        hi += 1
    return scores[lo].start, scores[hi].end


def sentence_scores(ctx: Context) -> list[DamageScore | None]:
    """The damage model's score of each sentence (None under MIN_WORDS), computed once per document.

    L103 flags from these scores, and W103 reads their word marks to choose which swaps to try."""
    cached = ctx.memo.get("damage")
    if cached is None:
        from mtqa.quality.damage import load_damage_model

        texts = [lm_text(s.text) if len(words(s.text)) >= MIN_WORDS else None for s in ctx.sentences]
        unique = list(dict.fromkeys(t for t in texts if t is not None))  # repeated lines are scored once
        scored = dict(zip(unique, load_damage_model().score(unique), strict=True)) if unique else {}
        cached = ctx.memo["damage"] = [scored[t] if t is not None else None for t in texts]
    return cached  # type: ignore[return-value]


class DamageDetector:
    """Flag sentences the damage model rates as damaged (L103), at the words its word head points to."""

    name = "damage"
    needs_lm = False
    needs_model = True  # its own neural model: --no-lm, the fast rules-only mode, skips it
    reads_damage = True

    def detect(self, ctx: Context) -> list[Issue]:
        from mtqa.quality.damage import load_damage_model
        from mtqa.quality.flags import trim

        scores = sentence_scores(ctx)
        if not any(scores):
            return []
        model = load_damage_model()
        issues = []
        for sentence, score in zip(ctx.sentences, scores, strict=True):
            if score is None or score.p_damaged < model.minor:
                continue
            found = where(score.words, model.word_threshold)
            start, end = trim(sentence.text, *found) if found else (0, len(sentence.text))
            if start >= end:
                start, end = 0, len(sentence.text)
            base = sentence.span.start
            issues.append(
                make_issue(
                    "L103",
                    span=Span(base + start, base + end),
                    sentence_index=sentence.index,
                    fields={"words": sentence.text[start:end], "p_damaged": score.p_damaged},
                    confidence=score.p_damaged,
                    severity=Severity.MAJOR if score.p_damaged >= model.major else Severity.MINOR,
                    evidence={"p_damaged": score.p_damaged},
                )
            )
        return issues
