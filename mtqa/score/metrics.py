"""Fluency numbers derived from token log-probs: SLOR per sentence, surprisal per word.

SLOR (LM log-prob minus unigram log-prob, per word) is the best single source-free signal
measured before mtqa existed (Pearson .25 with DA on MLQE-PE; shared/research/feasibility.md §3):
it stops rare-but-correct words (names, terms) from counting as disfluency.
"""

from __future__ import annotations

from dataclasses import dataclass

from mtqa.score.base import TokenScores
from mtqa.text import Word, unigram_logprob, words


@dataclass(frozen=True, slots=True)
class Fluency:
    """Sentence-level fluency numbers (nats)."""

    slor: float
    mean_logprob: float
    n_words: int


def fluency(scores: TokenScores) -> Fluency:
    """Return SLOR and mean token log-prob of one scored text."""
    ws = words(scores.text)
    n_words = max(1, len(ws))
    unigram = sum(unigram_logprob(w.text) for w in ws)
    mean = scores.total / max(1, len(scores))
    return Fluency(slor=(scores.total - unigram) / n_words, mean_logprob=mean, n_words=len(ws))


def word_surprisals(scores: TokenScores) -> list[tuple[Word, float]]:
    """Sum the NLL of every token that overlaps each word (the best word aggregate, feasibility §6)."""
    out: list[tuple[Word, float]] = []
    toks = list(zip(scores.offsets, scores.logprobs))
    i = 0
    for word in words(scores.text):
        while i < len(toks) and toks[i][0][1] <= word.start:
            i += 1
        total, j = 0.0, i
        while j < len(toks) and toks[j][0][0] < word.end:
            total -= toks[j][1]
            j += 1
        out.append((word, total))
    return out
