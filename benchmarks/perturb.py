"""Synthetic fluency damage for training: clean English in, a damaged copy with word tags out.

Human post-edits (MLQE-PE train `pe`, CC0) are fluent English; one random edit of a common MT-fluency
kind turns each into a negative example whose damaged words are known. The quality model learns from
such pairs that the damaged copy scores lower and where the damage is (`train_quality --perturbed`),
which MLQE-PE's Wikipedia DA alone does not teach it about news-style fluency errors.

The edits are generic (adjacent swap, dropped function word, dropped word, doubled word or pair,
word moved far, word replaced by another sentence's word); nothing here reads DEMETR or any test data.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

# closed-class English words whose loss or doubling MT output shows (articles, prepositions, auxiliaries)
FUNCTION_WORDS = frozenset(
    "a an the of to in on at for with by from as and or but that which who is are was were be been has have had "
    "will would can could should it its their his her they he she we this these those than then there not".split()
)
KINDS = ("swap", "drop_function", "drop_word", "double", "move", "replace")


@dataclass(frozen=True, slots=True)
class Damaged:
    """A damaged copy of a token list: its tokens, one BAD (1) / OK (0) tag per token, and the edit kind."""

    tokens: tuple[str, ...]
    tags: tuple[int, ...]
    kind: str


def _is_word(token: str) -> bool:
    return any(c.isalpha() for c in token)


def damage(tokens: Sequence[str], rng: random.Random, donors: Sequence[str] = ()) -> Damaged | None:
    """Apply one random edit to `tokens` (whitespace tokens of a clean sentence); None if none applies.

    Tags mark what a reader would point at: both swapped words, the doubled copy, the moved word, the
    replacement, and the word after a gap (or before it, at the end).
    """
    toks = list(tokens)
    words = [i for i, t in enumerate(toks) if _is_word(t)]
    if len(words) < 4:
        return None
    kinds = list(KINDS)
    rng.shuffle(kinds)
    for kind in kinds:
        out = _apply(kind, toks, words, rng, donors)
        if out is not None and out[0] != toks:
            return Damaged(tuple(out[0]), tuple(out[1]), kind)
    return None


def _gap(toks: list[str], i: int) -> tuple[list[str], list[int]]:
    """Remove token i; tag the token now at i (or the last one, when i was the end)."""
    out = toks[:i] + toks[i + 1 :]
    tags = [0] * len(out)
    tags[min(i, len(out) - 1)] = 1
    return out, tags


def _apply(
    kind: str, toks: list[str], words: list[int], rng: random.Random, donors: Sequence[str]
) -> tuple[list[str], list[int]] | None:
    n = len(toks)
    if kind == "swap":
        pairs = [i for i in words if i + 1 < n and _is_word(toks[i + 1]) and toks[i].lower() != toks[i + 1].lower()]
        if not pairs:
            return None
        i = rng.choice(pairs)
        out = [*toks[:i], toks[i + 1], toks[i], *toks[i + 2 :]]
        return out, [int(j in (i, i + 1)) for j in range(n)]
    if kind == "drop_function":
        cands = [i for i in words if toks[i].lower() in FUNCTION_WORDS]
        return _gap(toks, rng.choice(cands)) if cands else None
    if kind == "drop_word":
        return _gap(toks, rng.choice(words))
    if kind == "double":
        i = rng.choice(words)
        span = 2 if i + 1 < n and rng.random() < 0.4 else 1
        copy = toks[i : i + span]
        out = toks[: i + span] + copy + toks[i + span :]
        return out, [int(i + span <= j < i + 2 * span) for j in range(len(out))]
    if kind == "move":
        i = rng.choice(words)
        rest = toks[:i] + toks[i + 1 :]
        far = [j for j in range(len(rest) + 1) if abs(j - i) >= 3]
        if not far:
            return None
        j = rng.choice(far)
        out = [*rest[:j], toks[i], *rest[j:]]
        return out, [int(k == j) for k in range(len(out))]
    if kind == "replace":
        pool = [d for d in donors if _is_word(d)]
        if not pool:
            return None
        i = rng.choice(words)
        word = rng.choice(pool)
        if word.lower() == toks[i].lower():
            return None
        out = [*toks[:i], word, *toks[i + 1 :]]
        return out, [int(j == i) for j in range(n)]
    raise ValueError(f"unknown edit kind {kind!r}")
