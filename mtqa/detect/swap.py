"""W103: two neighbouring words in the wrong order ("announced Twitter on that").

No tag pattern predicts where MT swaps two words. The damage model (L103's network) does point at
them: its word head marks the swapped pair first in most DEMETR word-swap items. So by default only the
pairs touching its `GUIDE_WORDS` most likely damaged words are tried, in sentences it rates at least
`GUIDE_MIN` damaged; `--thorough` tries every neighbouring pair (one candidate per word: a warm check
of the seed article took 7.0 s instead of 1.25 s when each was scored over the whole sentence). The LM
reads each swapped sentence up to one word past the pair to find the best swap, which is flagged when it
beats the same stretch of the original and the whole original sentence by `margin` nats (a swap keeps the
words, so lift equals the log-prob gain); it is offered as a fix from `FIX_GAIN`, and the review stage
puts the rewritten sentence through the usual guards.

Pairs are skipped where a swap is no fix: across punctuation, the first word (scored right after
the start token, its gain is noise: "bound Travellers for ..." beat "Travellers bound for ..." by
10 nats on clean text), and two capitalised words (name order: "Kornel Morawiecki").
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from mtqa.core import Edit, Issue, Sentence, Span
from mtqa.detect.base import Context
from mtqa.detect.damage import sentence_scores
from mtqa.detect.local import flag_best
from mtqa.rewrite.window import window
from mtqa.text import Word, words

if TYPE_CHECKING:
    from mtqa.quality.damage import DamageScore

# Chosen by benchmarks/swapped_words.py --clean (results/swapped_words.json): the lowest whole number of nats
# at which at most 0.5 % of clean news (NTREX-128 en dev + WMT21 ref-A dev, 1,505 sentences) is flagged, the
# level L103 keeps for major flags (4 nats flagged 1.1 %, 5 nats 0.47 %, 6 nats 0.27 %). `--thorough` gives a
# clean sentence fifteen chances instead of one to find a swap the LM happens to like; its margin is the
# lowest with at most 1 % of the DEMETR dev references flagged (results/swapped_words_thorough.json).
MIN_GAIN = 5.0
MIN_GAIN_THOROUGH = 7.0
# A flag may be offered as a rewrite only when the swap wins by FIX_GAIN over the whole sentence. On real MT
# (MLQE-PE dev, benchmarks/rewrite_mlqe.py) the swaps between 5 and 8 nats moved 15 sentences away from the
# human post-edit and 2 towards it ('Living on one buckwheat' -> 'Living on buckwheat one'); from 8 nats
# 3 away and 1 towards, while DEMETR word swaps are still restored in half the items (rewrite_demetr.py).
FIX_GAIN = 8.0
# The LM judges a swap from the sentence start to WINDOW words past the pair: a swap's gain is local, and
# reading the rest of the sentence for every candidate costs LM time (on the DEMETR items, windows of 1,
# 3, 5 and 8 words and the whole sentence find the same swaps within 1 of 100 at 6 nats).
# The best swap must then also win over the whole sentence: at 5 nats the window alone flagged 0.87 % of
# clean news, window and whole sentence together 0.47 %.
WINDOW = 1
# The damage model's most suspect word is in the swapped pair in 63 of 100 DEMETR word-swap items; pairs
# touching it found 61 of the 74 swaps that every-pair search found at 8 nats, with 11 % of its candidates,
# and sentences it rates under 0.2 damaged held none of them (a quarter of clean references are skipped).
GUIDE_WORDS = 1
GUIDE_MIN = 0.2


@dataclass(frozen=True)
class Swap:
    """One neighbouring-word swap: its edit, the two words, and where the LM stops reading (`cut`)."""

    edits: tuple[Edit, ...]
    pair: tuple[Word, Word]
    cut: int  # offset in the sentence: the end of the WINDOW-th word after the pair, or the sentence end


def swaps(sentence: Sentence, near: Sequence[tuple[int, int]] | None = None) -> list[Swap]:
    """One candidate per neighbouring word pair that may be swapped.

    With `near` (character ranges in the sentence), only pairs with a word overlapping one of them."""
    ws = words(sentence.text)
    base = sentence.span.start
    out = []
    for i, (a, b) in enumerate(itertools.pairwise(ws)):
        if i == 0 or sentence.text[a.end : b.start] != " ":
            continue
        if a.text[:1].isupper() and b.text[:1].isupper():
            continue
        if near is not None and not any(lo < b.end and a.start < hi for lo, hi in near):
            continue
        edit = Edit(Span(base + a.start, base + b.end), f"{b.text} {a.text}")
        out.append(Swap((edit,), (a, b), ws[min(len(ws) - 1, i + 1 + WINDOW)].end))
    return out


def likely(score: DamageScore | None) -> list[tuple[int, int]]:
    """The character ranges of the damage model's GUIDE_WORDS most likely damaged words ([] below GUIDE_MIN)."""
    if score is None or score.p_damaged < GUIDE_MIN:
        return []
    top = sorted(score.words, key=lambda w: -w.p_bad)[:GUIDE_WORDS]
    return [(w.start, w.end) for w in top]


def options(ctx: Context) -> list[list[Swap]]:
    """Each sentence's swaps to try: every pair with --thorough, else those the damage model points at."""
    if ctx.thorough:
        return [swaps(s) for s in ctx.sentences]
    return [swaps(s, likely(d)) for s, d in zip(ctx.sentences, sentence_scores(ctx), strict=True)]


def margin(ctx: Context) -> float:
    """The LM gain a swap needs: higher when every pair is tried."""
    return MIN_GAIN_THOROUGH if ctx.thorough else MIN_GAIN


class SwappedWordsDetector:
    """Flag the best LM-preferred swap of two neighbouring words with W103."""

    name = "swap"
    needs_lm = True
    reads_damage = True

    def candidate_texts(self, ctx: Context) -> list[str]:
        return [window(s, sw) for s, tried in zip(ctx.sentences, options(ctx), strict=True) for sw in tried]

    def detect(self, ctx: Context) -> list[Issue]:
        def fields(swap: Swap) -> dict[str, object]:
            (edit,) = swap.edits
            return {"words": ctx.document.text[edit.span.start : edit.span.end]}

        return flag_best(ctx, options(ctx), "W103", margin=margin(ctx), fix_gain=FIX_GAIN, fields=fields)
