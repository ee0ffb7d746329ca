"""English cognates of a word of another language that no installed dictionary translates.

Much of the vocabulary of news is Latinate, so a French, Italian or Spanish leftover is often an English
word in another spelling: 'rivoluzione' is 'revolution', 'comentó' is 'commented'. A word is matched
against common English words as it is (accents dropped) and with its ending turned into the English one
(other.toml's `[cognates]`); those that come close enough are options the LM ranks like any other. False
friends come close too ('sentir' -> 'sent'), which is why the LM and the rewrite guards have the last word.
"""

from __future__ import annotations

import functools
import tomllib
import unicodedata
from collections import defaultdict
from difflib import SequenceMatcher
from pathlib import Path

from mtqa.languages.profile import OTHER

VOCABULARY = 40_000  # common English words matched against (wordfreq's top list)
# The SequenceMatcher ratio an English word needs. Of the 122 DEMETR dev codemix words U101 flags and no
# dictionary knows, a cut of 0.80 offered cognates for 71 with the right word among them in 27, 0.85 for 46
# with 25, 0.90 for 38 with 24 (benchmarks/cognates.py, results/cognates.json); the matches between 0.80
# and 0.85 on MLQE-PE ro-en were wrong ('murise' -> 'muriel', 'paraclis' -> 'paralysis', 'agapia' -> 'again').
SIMILAR = 0.85
MAX_COGNATES = 3
BAND = 0.05  # only words about as close as the closest ("resolution" is not, for "rivoluzione")
MIN_STEM = 3  # letters left before an ending is replaced
# Cognates only for languages with endings in other.toml and words of 6+ letters: on MLQE-PE ne-en, plain
# matching of any language's short word respelt romanised Nepali names ('sanni' -> 'sunni', 'dingla' ->
# 'ding', 'tamang' -> 'taming'; U101 reads them as Finnish, Swedish, Filipino).
MIN_LETTERS = 6


@functools.cache
def endings() -> dict[str, tuple[tuple[str, str], ...]]:
    """wordfreq code -> (ending, English ending) pairs from other.toml."""
    path = Path(__file__).parent / OTHER
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("cognates", {})
    return {code: tuple((a, b) for a, b in pairs) for code, pairs in table.items()}


def plain(word: str) -> str:
    """Lower case without accents ('généralement' -> 'generalement'; 'ł' -> 'l')."""
    decomposed = unicodedata.normalize("NFKD", word.lower().replace("ł", "l"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.cache
def _english() -> tuple[dict[str, tuple[str, ...]], dict[str, int]]:
    """Common English words (alphabetic, 3+ letters) by first letter, and each word's rank (0: commonest)."""
    from wordfreq import top_n_list

    common = [w for w in top_n_list("en", VOCABULARY) if w.isalpha() and len(w) >= 3]
    by_letter: dict[str, list[str]] = defaultdict(list)
    for w in common:
        by_letter[w[0]].append(w)
    return {letter: tuple(ws) for letter, ws in by_letter.items()}, {w: i for i, w in enumerate(common)}


def spellings(word: str, code: str) -> set[str]:
    """The word as English might spell it: plain, and with each ending it has turned into English."""
    w = word.lower()
    out = {plain(w)}
    for ending, english in endings().get(code, ()):
        if w.endswith(ending) and len(w) - len(ending) >= MIN_STEM:
            out.add(plain(w[: -len(ending)] + english))
    return out


def english_cognates(word: str, code: str, similar: float = SIMILAR) -> tuple[str, ...]:
    """Up to MAX_COGNATES common English words close to one of `word`'s spellings and about as close as the
    closest, closest first; () for a short word or a language with no endings in other.toml. `similar`: the
    ratio cut (benchmarks/cognates.py sweeps it)."""
    if len(word) < MIN_LETTERS or code not in endings():
        return ()
    by_letter, rank = _english()
    best: dict[str, float] = {}
    for spelling in sorted(spellings(word, code)):  # in one order, so ties always break the same way
        matcher = SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(spelling)  # the fixed side is cached: each English word is only set_seq1
        for english in by_letter.get(spelling[:1], ()):
            if abs(len(english) - len(spelling)) > 3:
                continue
            matcher.set_seq1(english)
            if matcher.real_quick_ratio() < similar or matcher.quick_ratio() < similar:
                continue
            ratio = matcher.ratio()
            if ratio >= similar and ratio > best.get(english, 0.0):
                best[english] = ratio
    order = sorted(best, key=lambda e: (-best[e], rank[e]))  # equal ratios: the commoner word first
    ranked = [e for e in order if best[e] >= max(best.values()) - BAND]
    kept: list[str] = []
    for english in ranked:  # an inflection of a closer word ('revolutions' after 'revolution') adds nothing
        if not any(english.startswith(closer) and len(english) - len(closer) <= 2 for closer in kept):
            kept.append(english)
    return tuple(kept[:MAX_COGNATES])
