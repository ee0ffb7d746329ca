"""Token scores made by hand, for tests of what a rule does with the LM's surprise (not what the LM says)."""

from __future__ import annotations

from mtqa.score.base import TokenScores
from mtqa.text import words


def scores_with(text: str, surprisal: dict[str, float]) -> TokenScores:
    """Token scores with one token per word, each word as surprising as `surprisal` says (else 1 nat)."""
    ws = words(text)
    return TokenScores(text, tuple((w.start, w.end) for w in ws), tuple(-surprisal.get(w.text, 1.0) for w in ws))
