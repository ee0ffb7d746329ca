"""Rank candidate rewrites of one sentence with the LM and keep the best one only if it is clearly better.

Gain is measured in SLOR (per-word, unigram-corrected log-prob), so deleting words is not
rewarded just for making the sentence shorter. A candidate below the margin is dropped: no
suggestion is better than a wrong one.
"""

from __future__ import annotations

from collections.abc import Sequence

from mtqa.core import Edit, Sentence, Suggestion, apply_edits
from mtqa.detect.base import Context
from mtqa.score.metrics import fluency

# 0.15 nats/word of SLOR: provisional margin, to be tuned on MLQE-PE dev post-edits (issue 4).
MIN_GAIN = 0.15


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
) -> Suggestion | None:
    """Return the LM-preferred candidate as a Suggestion, or None if none beats the original by `min_gain`."""
    if ctx.scorer is None or not candidates:
        return None
    offset = sentence.span.start
    texts = [apply_edits(sentence.text, edits, offset) for edits in candidates]
    original = (
        fluency(ctx.token_scores[sentence.index])
        if len(ctx.token_scores) > sentence.index
        else fluency(ctx.scorer.token_logprobs([sentence.text])[0])
    )
    scored = ctx.scorer.token_logprobs(texts)
    ranked = sorted(
        ((fluency(s).slor - original.slor, text, edits) for s, text, edits in zip(scored, texts, candidates)),
        key=lambda item: -item[0],
    )
    gain, text, edits = ranked[0]
    if gain < min_gain:
        return None
    return Suggestion(
        edits=tuple(sorted(edits, key=lambda e: e.span)),
        title=describe(edits, ctx.document.text) if title is None or "{" in title else title,
        origin=origin,
        applicability="unsafe",
        lm_gain=round(gain, 4),
        text=text,
    )
