"""W103: two neighbouring words in the wrong order ("announced Twitter on that"), with --thorough only.

No tag pattern predicts where MT swaps two words, so every neighbouring pair is tried: the sentence
with the pair swapped is scored by the LM, and the best swap is flagged when the LM prefers it by
`MIN_GAIN` nats (a swap keeps the words, so lift equals the log-prob gain). That is one candidate per
word: a warm check of the seed article takes 7.0 s instead of 1.25 s (2-core VM), hence opt-in
(`mtqa check --thorough`, `Settings(thorough=True)`).

Pairs are skipped where a swap is no fix: across punctuation, the first word (scored right after
the start token, its gain is noise: "bound Travellers for ..." beat "Travellers bound for ..." by
10 nats on clean text), and two capitalised words (name order: "Kornel Morawiecki").
"""

from __future__ import annotations

import itertools

from mtqa.core import Edit, Issue, Sentence, Span
from mtqa.detect.base import Context, verified_edit_issue
from mtqa.rewrite.verify import best_rewrite, candidate_texts
from mtqa.text import Word, words

# Chosen on DEMETR dev (benchmarks/swapped_words.py -> results/swapped_words.json): the margin where
# the unperturbed human references are flagged at most ~1 % while most word-swap perturbations are.
MIN_GAIN = 8.0


def swaps(sentence: Sentence) -> list[tuple[tuple[Edit, ...], tuple[Word, Word]]]:
    """One candidate per neighbouring word pair that may be swapped: (edits, (first, second))."""
    ws = words(sentence.text)
    base = sentence.span.start
    out = []
    for i, (a, b) in enumerate(itertools.pairwise(ws)):
        if i == 0 or sentence.text[a.end : b.start] != " ":
            continue
        if a.text[:1].isupper() and b.text[:1].isupper():
            continue
        edit = Edit(Span(base + a.start, base + b.end), f"{b.text} {a.text}")
        out.append(((edit,), (a, b)))
    return out


class SwappedWordsDetector:
    """Flag the best LM-preferred swap of two neighbouring words with W103 (--thorough only)."""

    name = "swap"
    needs_lm = True
    thorough_only = True

    def candidate_texts(self, ctx: Context) -> list[str]:
        return [t for s in ctx.sentences for t in candidate_texts(s, [e for e, _ in swaps(s)])]

    def detect(self, ctx: Context) -> list[Issue]:
        issues = []
        for sentence in ctx.sentences:
            options = swaps(sentence)
            if not options:
                continue
            suggestion = best_rewrite(
                ctx, sentence, [e for e, _ in options], origin="W103", min_gain=MIN_GAIN, measure="total"
            )
            if suggestion is None:
                continue
            (edit,) = suggestion.edits
            fields = {"words": ctx.document.text[edit.span.start : edit.span.end]}
            issues.append(verified_edit_issue("W103", sentence, suggestion, fields, base=0.5, per_nat=1 / 40))
        return issues
