"""Word-level helpers shared by detectors and metrics: tokens with offsets, casing, frequencies."""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
LN10 = math.log(10)
# A quotation on one line: straight, curly, German low-high, guillemet or single curly quotes.
QUOTATION = re.compile(r'"[^"\n]+"|“[^”\n]+”|„[^“”\n]+[“”]|«[^»\n]+»|‘[^’\n]+’(?!\w)')


@dataclass(frozen=True, slots=True)
class Word:
    """A word and its character range within the sentence."""

    text: str
    start: int
    end: int


def shouting(text: str) -> bool:
    """True for an all-capitals line (a headline): more than 60 % of its letters are capitals."""
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) > 0.6 * len(letters)


def words(text: str) -> list[Word]:
    """Return the alphabetic words of `text` (hyphen and apostrophe compounds kept whole)."""
    return [Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(text)]


@functools.lru_cache(maxsize=200_000)
def zipf(word: str, lang: str, wordlist: str = "best") -> float:
    """Zipf frequency (log10 per billion words) of `word` in `lang`, 0 when unknown.

    `wordlist="small"` reads wordfreq's short list (words from Zipf 3 up), much faster to load."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, lang, wordlist)


def unigram_logprob(word: str, floor: float = 1.0) -> float:
    """Natural-log unigram probability of an English word, with zipf floored (feasibility report §3)."""
    return (max(zipf(word.lower(), "en"), floor) - 9.0) * LN10
