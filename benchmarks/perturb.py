"""Synthetic fluency damage for training: clean English in, a damaged copy with word tags out.

Human post-edits (MLQE-PE train `pe`, CC0) are fluent English; one random edit of a common MT-fluency
kind turns each into a negative example whose damaged words are known. The quality model learns from
such pairs that the damaged copy scores lower and where the damage is (`train_quality --perturbed`),
which MLQE-PE's Wikipedia DA alone does not teach it about news-style fluency errors.

The edits are generic (adjacent swap, dropped function word, dropped word, doubled word or pair,
word moved far, word replaced by another sentence's word); nothing here reads DEMETR or any test data.
`GRAMMAR_KINDS` add the error kinds the translationese issue names, which need part-of-speech tags
(one Penn tag per token): a dropped conjunction, verb or subject, a word in the wrong form (an
adjective for an adverb, a singular for a plural, another inflection), a stray punctuation mark and a
dropped letter. They train the damage detector (`benchmarks/train_damage.py`).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# closed-class English words whose loss or doubling MT output shows (articles, prepositions, auxiliaries)
FUNCTION_WORDS = frozenset(
    "a an the of to in on at for with by from as and or but that which who is are was were be been has have had "
    "will would can could should it its their his her they he she we this these those than then there not".split()
)
KINDS = ("swap", "drop_function", "drop_word", "double", "move", "replace")
GRAMMAR_KINDS = ("drop_conjunction", "drop_verb", "drop_subject", "shift_form", "add_punctuation", "drop_letter")
CONJUNCTIONS = frozenset(
    "and or but nor so yet because although though while whereas if unless since that whether when".split()
)
SUBJECT_PRONOUNS = frozenset("i he she it we they you".split())
FINITE = frozenset({"VBZ", "VBD", "VBP", "MD"})
MARKS = (",", ",", ",", ".", ";", ":", "!", "?", "-")
# word endings swapped to put a word in another form: adverb/adjective, plural/singular, verb inflections
FORM_SHIFTS = (("ly", ""), ("", "ly"), ("s", ""), ("", "s"), ("ed", "ing"), ("ing", "ed"), ("ed", ""), ("", "ed"),
               ("ing", ""), ("es", ""), ("ies", "y"), ("y", "ies"), ("e", "ing"), ("ion", "e"), ("al", ""))  # fmt: skip


@dataclass(frozen=True, slots=True)
class Damaged:
    """A damaged copy of a token list: its tokens, one BAD (1) / OK (0) tag per token, and the edit kind."""

    tokens: tuple[str, ...]
    tags: tuple[int, ...]
    kind: str


def _is_word(token: str) -> bool:
    return any(c.isalpha() for c in token)


def damage(
    tokens: Sequence[str],
    rng: random.Random,
    donors: Sequence[str] = (),
    kinds: Sequence[str] = KINDS,
    pos: Sequence[str] = (),
    known: Callable[[str], bool] = lambda w: False,
) -> Damaged | None:
    """Apply one random edit of `kinds` to `tokens` (whitespace tokens of a clean sentence); None if none applies.

    Tags mark what a reader would point at: both swapped words, the doubled copy, the moved word, the
    replacement, and the word after a gap (or before it, at the end). `pos` (one Penn tag per token)
    and `known` (is this an English word?) serve `GRAMMAR_KINDS`.
    """
    toks = list(tokens)
    words = [i for i, t in enumerate(toks) if _is_word(t)]
    if len(words) < 4:
        return None
    order = list(kinds)
    rng.shuffle(order)
    for kind in order:
        if kind in GRAMMAR_KINDS:
            out = _apply_grammar(kind, toks, words, rng, list(pos), known)
        else:
            out = _apply(kind, toks, words, rng, donors)
        if out is not None and out[0] != toks:
            return Damaged(tuple(out[0]), tuple(out[1]), kind)
    return None


def _bare(token: str) -> bool:
    """A token that is a word with no punctuation attached (it can go without leaving a stray mark)."""
    return token.replace("'", "").replace("-", "").isalpha()


def _apply_grammar(
    kind: str, toks: list[str], words: list[int], rng: random.Random, pos: list[str], known: Callable[[str], bool]
) -> tuple[list[str], list[int]] | None:
    n = len(toks)
    tags = pos if len(pos) == n else [""] * n
    if kind == "drop_conjunction":
        cands = [i for i in words if 0 < i < n - 1 and _bare(toks[i]) and (toks[i].lower() in CONJUNCTIONS)]
        return _gap(toks, rng.choice(cands)) if cands else None
    if kind == "drop_verb":
        cands = [i for i in words if _bare(toks[i]) and (tags[i].startswith("VB") or tags[i] == "MD")]
        return _gap(toks, rng.choice(cands)) if cands else None
    if kind == "drop_subject":
        cands = [
            i
            for i in words[:-1]
            if _bare(toks[i])
            and (toks[i].lower() in SUBJECT_PRONOUNS or tags[i].startswith("NN"))
            and tags[i + 1] in FINITE
        ]
        return _gap(toks, rng.choice(cands)) if cands else None
    if kind == "shift_form":
        i = rng.choice(words)
        word = toks[i]
        if not _bare(word) or len(word) < 4:
            return None
        forms = [
            word[: len(word) - len(a)] + b
            for a, b in FORM_SHIFTS
            if word.lower().endswith(a) and len(word) > len(a) + 2
        ]
        forms = [f for f in forms if f.lower() != word.lower() and known(f.lower())]
        if not forms:
            return None
        return [*toks[:i], rng.choice(forms), *toks[i + 1 :]], [int(j == i) for j in range(n)]
    if kind == "add_punctuation":
        i = rng.choice(words[:-1] or words)
        if i == n - 1 or not toks[i][-1:].isalnum():
            return None
        return [*toks[:i], toks[i] + rng.choice(MARKS), *toks[i + 1 :]], [int(j == i) for j in range(n)]
    if kind == "drop_letter":
        i = rng.choice(words)
        word = toks[i]
        inner = [k for k in range(1, len(word) - 1) if word[k].isalpha()]
        if len(word) < 4 or not inner:
            return None
        k = rng.choice(inner)
        return [*toks[:i], word[:k] + word[k + 1 :], *toks[i + 1 :]], [int(j == i) for j in range(n)]
    raise ValueError(f"unknown edit kind {kind!r}")


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
