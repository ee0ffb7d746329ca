"""Rank candidate rewrites of one sentence with the LM and keep the best one only if it is clearly better.

Gain is measured in SLOR (per-word, unigram-corrected log-prob), so deleting words is not
rewarded just for making the sentence shorter. A candidate below the margin is dropped: no
suggestion is better than a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from mtqa.core import Edit, Sentence, Suggestion, apply_edits
from mtqa.detect.base import Context
from mtqa.score.base import TokenScores
from mtqa.score.metrics import fluency

MEASURES: dict[str, Callable[[TokenScores], float]] = {
    "lift": lambda s: fluency(s).slor * max(1, fluency(s).n_words),
    "slor": lambda s: fluency(s).slor,
    "total": lambda s: s.total,
}

# 1.0 nat of lift: provisional default margin, to be tuned on MLQE-PE dev post-edits (issue 4).
MIN_GAIN = 1.0


def lm_text(text: str) -> str:
    """Same-length copy for the LM: line breaks and tabs become spaces."""
    return text.replace("\r", " ").replace("\n", " ").replace("\t", " ")


def candidate_texts(sentence: Sentence, candidates: Sequence[tuple[Edit, ...]]) -> list[str]:
    """Return the sentence text after each candidate's edits."""
    return [apply_edits(sentence.text, edits, sentence.span.start) for edits in candidates]


def describe(edits: Sequence[Edit], text: str) -> str:
    """Return a short human title for a set of edits on the document text."""
    parts = []
    for edit in edits:
        old = text[edit.span.start : edit.span.end].strip()
        new = edit.replacement.strip()
        if not new:
            parts.append(f"delete '{old}'")
        elif not old:
            parts.append(f"insert '{new}'")
        else:
            parts.append(f"replace '{old}' with '{new}'")
    title = "; ".join(parts)
    return title[:1].upper() + title[1:]


def best_rewrite(
    ctx: Context,
    sentence: Sentence,
    candidates: Sequence[tuple[Edit, ...]],
    *,
    origin: str,
    title: str | None = None,
    min_gain: float = MIN_GAIN,
    measure: str = "lift",
    rank: str | None = None,
) -> Suggestion | None:
    """Return the LM-preferred candidate as a Suggestion, or None if none beats the original by `min_gain`.

    `measure` is "lift" (summed log-prob minus summed unigram log-prob, in nats: fair when words are
    deleted or replaced, and equal to the plain log-prob gain when words are only reordered), "slor"
    (the same per word), or "total" (summed log-prob). `rank`, when given, is the measure that picks
    among the candidates; the winner must still beat the original by `min_gain` in `measure`. Lift
    rewards a rare word that fits (PMI), so it is fair against the original but picks 'formidable'
    over 'difficult' when several words fill one slot; the summed log-prob picks the word the LM expects.
    """
    if ctx.scorer is None or not candidates:
        return None
    ctx.attempts.append((sentence.index, origin, tuple(tuple(c) for c in candidates)))
    texts = candidate_texts(sentence, candidates)
    value = MEASURES[measure]
    original = value(
        ctx.token_scores[sentence.index]
        if len(ctx.token_scores) > sentence.index
        else ctx.score([lm_text(sentence.text)])[0]
    )
    scored = ctx.score([lm_text(t) for t in texts])
    order = MEASURES[rank or measure]
    ranked = sorted(
        ((order(s), value(s) - original, text, edits) for s, text, edits in zip(scored, texts, candidates)),
        key=lambda item: -item[0],
    )
    _, gain, text, edits = ranked[0]
    if gain < min_gain:
        return None
    return as_suggestion(ctx, edits, origin=origin, gain=gain, text=text, title=title)


def as_suggestion(
    ctx: Context, edits: Sequence[Edit], *, origin: str, gain: float, text: str, title: str | None = None
) -> Suggestion:
    """A rule's LM-verified candidate as a Suggestion: edits in document order, titled by what they do
    unless the rule gives a plain title."""
    return Suggestion(
        edits=tuple(sorted(edits, key=lambda e: e.span)),
        title=describe(edits, ctx.document.text) if title is None or "{" in title else title,
        origin=origin,
        applicability="unsafe",
        lm_gain=round(gain, 4),
        text=text,
    )
