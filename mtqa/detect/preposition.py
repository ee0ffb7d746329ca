"""G111: a preposition that does not fit ("depend until the weather", "proud against his city").

Prepositions do not map one to one between languages (Dutch `op` is 'on', 'at', 'in' or 'to';
German `bei` 'at', 'near', 'with' or 'during'), and MT picks a wrong one that is still an English
word. The LM is surprised there: the `top` most surprising prepositions of a sentence (at least
`min_surprisal` nats; the first word is left alone) are tried against the commonest prepositions
(`mtqa/rules/prepositions.toml`), read up to `window` words past, and the best is flagged when it
beats the original by `margin` nats in its window and over the whole sentence.
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Sequence
from pathlib import Path

from mtqa.detect.local import SubstitutionDetector
from mtqa.text import Word

PREPOSITIONS_FILE = Path(__file__).resolve().parent.parent / "rules" / "prepositions.toml"


@functools.cache
def prepositions() -> tuple[frozenset[str], tuple[str, ...]]:
    """(the prepositions that may be suspects, the alternatives tried), read once."""
    raw = tomllib.loads(PREPOSITIONS_FILE.read_text(encoding="utf-8"))
    return frozenset(raw["suspects"]), tuple(raw["alternatives"])


def alternatives(word: str) -> list[str]:
    """The common prepositions other than `word`, in its capitalisation."""
    _, common = prepositions()
    capital = word[:1].isupper()
    return [a.capitalize() if capital else a for a in common if a != word.lower()]


class PrepositionDetector(SubstitutionDetector):
    """Flag a preposition the LM reads far better as another with G111."""

    name = "preposition"
    code = "G111"
    # Chosen on DEMETR dev function-word items (type 16, 200; 40 % of them are a/an swaps, G109's) against the
    # 1,505 clean news sentences (NTREX-128 en dev + WMT21 ref-A dev) with benchmarks/prepositions.py
    # (results/prepositions.json): the most surprising preposition of at least 6 nats, 7.6 alternatives tried
    # per perturbed sentence and 2.5 per reference.
    top = 1
    min_surprisal = 6.0
    window = 1
    # Margin in nats: 8.5 flags 0.20 % of the clean news (3 of 1,505). 8 flagged 0.47 % (7; the prototype,
    # which did not keep a capital, 0.53 %), too near the 0.5 % that L103's major flags keep for a rule that
    # has no other guard; 8.5 finds 0.27 of the items against 0.30 at 8.
    margin = 8.5

    def keep(self, index: int, word: Word) -> bool:
        """Prepositions, but not the sentence's first word."""
        return index > 0 and word.text.lower() in prepositions()[0]

    def replacements(self, word: str) -> Sequence[str]:
        return alternatives(word)
