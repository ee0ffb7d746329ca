"""U101: source-language words left in the English text.

A word is a leftover when English barely knows it and the source language knows it well
(wordfreq profiles), or when it splits into source-language words as a compound
(slaap+cellen). Words of other languages are recognised too, whatever the source (a lower-case
word English barely knows and one of `languages/other.toml` knows well: "Singapore is
généralement considered safe"; one English knows a little and another language far better,
'gouvernement'; a rare inflected form, 'sklasyfikowany'; letters English does not use; "d'autres"),
and so is a lower-case word written in another script ("поиграем"). Names are spared:
capitalised words inside a sentence, all-caps acronyms and words English knows well are never
flagged on frequency alone; listed source function words
(echter, namelijk) are flagged whenever they stand in lower case. A quotation that is itself in
another language ("wir schaffen das", she said) is reported speech and is left alone.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from mtqa.core import Edit, Issue, Sentence, Span, Suggestion
from mtqa.detect.base import Context
from mtqa.languages import LanguageProfile, dictionaries, other_languages
from mtqa.languages.cognates import english_cognates
from mtqa.rewrite.verify import best_rewrite, candidate_texts
from mtqa.rules import make_issue
from mtqa.text import QUOTATION, Word, words, zipf

# Zipf thresholds (log10 per billion words). EN_MAX 1.5: below ~3 per 100M English words.
# SRC_MIN 3.0: a common source word (>= 1 per million). Tuned on NTREX nl/en dev (benchmarks/untranslated.py).
EN_MAX = 1.5
SRC_MIN = 3.0
PART_MIN = 3.0  # each compound part must be a common source word
PART_LEN = 3
# A quotation in the source language ("wir schaffen das") is reported speech, not a leftover: at least
# QUOTE_MIN_WORDS words inside quotation marks, at least half of them words English barely uses.
QUOTE_MIN_WORDS = 3
QUOTE_EN_MAX = 3.0
# A quotation of up to 4 words is a title or a term ('"Brandenburg aktuell"'); longer ones are speech,
# whose leftovers are still leftovers (DEMETR puts 19 of its 500 dev codemix words inside quoted speech).
QUOTE_TERM_MAX_WORDS = 4
GLUE = re.compile(r"[,.;:/][^\W\d_]")  # a mark then a letter (read backwards before a word)
# Other languages: Zipf >= 3.0 in wordfreq's small lists (their floor). benchmarks/untranslated.py: this
# rule alone caught a changed word in 62.8 % of DEMETR dev codemix items (fr/it/es/pl/cs words in English
# MT, 500); with the three below, 83.2 %. Clean human sentences flagged: 1 of 1,505 NTREX en dev and WMT21
# ref-B ('Il faut bien le faire.', a French line NTREX left in), 1 of 500 DEMETR dev refs ('carro means
# chariot', a word cited).
OTHER_SRC_MIN = 3.0
OTHER_WORDLIST = "small"
# Rarer words of other languages, each chosen on the same DEMETR dev codemix items (the 186 the rules above
# missed) against the clean dev news (NTREX en, WMT21 refs A and B, DEMETR refs; 2,505 sentences):
# - a word English has never seen (Zipf < EN_MAX), long enough not to be a typo, that one of wordfreq's large
#   lists knows (Zipf >= 2: inflected forms, 'sklasyfikowany', 'involucraban'); the large lists load in ~3 s,
#   and only a document with such a word pays that;
OTHER_LARGE_MIN = 2.0
OTHER_LARGE_LEN = 6
# - a word English knows a little, as it quotes it ('gouvernement' 1.8, 'semaine' 1.7, 'beaucoup' 2.2), that
#   another language knows far better (by LOAN_MARGIN Zipf: 'coup d'état', 'trompe l'oeil' stay English);
LOAN_EN_MAX = 2.5
LOAN_MARGIN = 2.5
# - a word English has never seen, written with a letter English does not use ('łagodniejszy', 'résistez');
# - a French or Italian word behind an elided article or preposition ("d'autres", "dell'autore").
ELISION = re.compile(r"(?:c|d|j|l|n|qu|s|all|dall|dell|nell|sull)['’]([^\W\d_]{4,})")
ENGLISH_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")
SOME_LANGUAGE = "text in another language"
RANK = "total"  # translations fill one slot: the word the LM expects there, not the rarest that fits (lift)
COGNATE_RANK = "lift"  # cognates are spelling guesses: the one that fits the context best
MAX_CANDIDATES = 9  # English options combined over a multi-word leftover, ranked by the LM
MIN_SCRIPT_LETTERS = 2  # a lone Greek letter is a symbol ("the α-particle"), not a leftover

# (language, reason, evidence) of one flagged word
Finding = tuple[str, str, dict[str, float]]


class Compound(NamedTuple):
    """A source compound split in two: oorlogsmisdaden = head 'oorlogs' (stem 'oorlog' + link 's') + tail."""

    head: str
    stem: str
    tail: str
    score: float  # the Zipf of the rarer part


def compound_parts(word: str, profile: LanguageProfile) -> Compound | None:
    """Split `word` into two common source-language words (with a linking element), or None."""
    lang = profile.wordfreq
    best: Compound | None = None
    for cut in range(PART_LEN, len(word) - PART_LEN + 1):
        head, tail = word[:cut], word[cut:]
        if zipf(tail, lang) < PART_MIN or zipf(tail, "en") >= zipf(tail, lang) + 1.0:
            continue
        for link in profile.linking:
            if link and not head.endswith(link):
                continue
            stem = head[: len(head) - len(link)] if link else head
            if len(stem) < PART_LEN:
                continue
            score = min(zipf(stem, lang), zipf(tail, lang))
            if score >= PART_MIN and (best is None or score > best.score):
                best = Compound(head, stem, tail, score)
    return best


def compound_split(word: str, profile: LanguageProfile) -> tuple[str, str] | None:
    """(stem, tail) of a source compound in lower case ('oorlog', 'misdaden'), or None."""
    parts = compound_parts(word.lower(), profile)
    return (parts.stem, parts.tail) if parts else None


def _is_english_compound(word: str) -> bool:
    for cut in range(3, len(word) - 2):
        if zipf(word[:cut], "en") >= 3.5 and zipf(word[cut:], "en") >= 3.5:
            return True
    return False


def quoted_words(text: str, ws: list[Word]) -> set[int]:
    """Return the indices of words inside short quotations (a title or a term, not quoted speech)."""
    out: set[int] = set()
    for match in QUOTATION.finditer(text):
        inside = {i for i, w in enumerate(ws) if match.start() < w.start and w.end < match.end()}
        if len(inside) <= QUOTE_TERM_MAX_WORDS:
            out |= inside
    return out


def foreign_quotes(text: str, ws: list[Word]) -> set[int]:
    """Return the indices of words inside quotations that are themselves in another language."""
    skip: set[int] = set()
    for match in QUOTATION.finditer(text):
        inside = [i for i, w in enumerate(ws) if match.start() < w.start and w.end < match.end()]
        if len(inside) < QUOTE_MIN_WORDS:
            continue
        foreign = sum(zipf(ws[i].text.lower(), "en") < QUOTE_EN_MAX for i in inside)
        if 2 * foreign >= len(inside):
            skip.update(inside)
    return skip


def script(word: str) -> str | None:
    """The script of a word written in no Latin letters ('Cyrillic', 'CJK', ...), else None."""
    names = [unicodedata.name(c, "") for c in word if c.isalpha()]
    if not names or any(n.startswith("LATIN") for n in names):
        return None
    first = names[0].split()[0]
    return first if first == "CJK" else first.capitalize()


def glued(text: str, word: Word) -> bool:
    """True if `word` is joined to letters by a mark without a space: a typo ('parad,e') or a
    domain ('aktualne.cz'), a piece of a written word rather than a word of another language."""
    after, before = text[word.end : word.end + 2], text[max(0, word.start - 2) : word.start]
    return bool(GLUE.fullmatch(after) or GLUE.fullmatch(before[::-1]))


def best_other(lower: str, wordlist: str = OTHER_WORDLIST) -> tuple[float, str]:
    """(Zipf, name) of the other language (other.toml) that knows `lower` best in `wordlist`."""
    langs = other_languages() if wordlist == OTHER_WORDLIST else large_lists()
    return max((zipf(lower, code, wordlist), name) for code, name in langs.items())


@functools.cache
def large_lists() -> dict[str, str]:
    """The other languages that wordfreq has a large list for (code -> name)."""
    from wordfreq import available_languages

    large = available_languages("large")
    return {code: name for code, name in other_languages().items() if code in large}


def other_language(lower: str, en: float | None = None) -> tuple[str, float] | None:
    """The other language (other.toml) that `lower` belongs to, with its Zipf, or None.

    A word English barely knows belongs to a language that knows it well; a word English knows a little
    belongs to one that knows it far better; a long word English has never seen, to one whose large list
    knows it; a word English has never seen written with a letter English does not use, to some language."""
    en = zipf(lower, "en") if en is None else en
    if en >= LOAN_EN_MAX:
        return None
    known, name = best_other(lower)
    if known >= (OTHER_SRC_MIN if en < EN_MAX else en + LOAN_MARGIN):
        return name, known
    if en >= EN_MAX:
        return None
    if len(lower) >= OTHER_LARGE_LEN:
        known, name = best_other(lower, "large")
        if known >= OTHER_LARGE_MIN:
            return name, known
    if en == 0 and any(c.isalpha() and c not in ENGLISH_LETTERS for c in lower):
        return SOME_LANGUAGE, 0.0
    return None


def _other_finding(other: tuple[str, float] | None, en: float) -> Finding | None:
    """The finding for a word of another language (name, Zipf there), or None."""
    return (other[0], "word", {"zipf_en": en, "zipf_src": other[1]}) if other else None


def elided(lower: str) -> tuple[str, float] | None:
    """The other language of an elided word ("d'autres", "dell'autore"), judged by the word after the mark."""
    match = ELISION.fullmatch(lower)
    return other_language(match.group(1)) if match else None


def leftover(word: str, profile: LanguageProfile, *, sentence_initial: bool, quoted: bool = False) -> Finding | None:
    """Return (language, reason, evidence) if `word` looks like an untranslated source word.

    A `quoted` word (in a short quotation) is judged against the source language only: a foreign word
    an English writer puts in quotation marks is a title or a term ('the programme "Brandenburg aktuell"')."""
    if word.isupper() and len(word) > 1:
        return None  # acronym
    capitalised = word[:1].isupper()
    if capitalised and not sentence_initial:
        return None  # a name, or a German noun we cannot tell from one
    lower = word.lower()
    written_in = None if quoted else script(lower)
    if written_in:
        if capitalised or len(lower) < MIN_SCRIPT_LETTERS:
            return None  # a name in its own script (Быков), or a symbol
        return f"text in {written_in} script", "word", {"zipf_en": 0.0, "zipf_src": 0.0}
    en, src = zipf(lower, "en"), zipf(lower, profile.wordfreq)
    evidence = {"zipf_en": en, "zipf_src": src}
    if lower in profile.function_words:
        return profile.name, "function word", evidence
    if capitalised and lower not in profile.lexicon:
        return None  # sentence-initial capitals are names as often as not (Söder, Freital): need a listed word
    if len(lower) < 4 or "-" in lower or "'" in lower or "’" in lower:
        return _other_finding(None if quoted or capitalised else elided(lower), en)
    if en < EN_MAX and src >= SRC_MIN:
        return profile.name, "word", evidence
    if en >= EN_MAX:
        return _other_finding(None if quoted else other_language(lower, en), en)
    if src < SRC_MIN and len(lower) >= 8 and not _is_english_compound(lower):
        parts = compound_parts(lower, profile)
        if parts:
            evidence["zipf_parts"] = parts.score
            return profile.name, f"compound {parts.head}+{parts.tail}", evidence
    return _other_finding(None if quoted else other_language(lower, en), en)


@dataclass(frozen=True)
class Hit:
    """One flagged word: where, which language it looks like, why, and the frequencies behind it."""

    word: Word
    language: str
    reason: str
    evidence: dict[str, float]


def hits_in(text: str, profile: LanguageProfile, allow: frozenset[str] = frozenset()) -> list[Hit]:
    """The words of one sentence that U101 flags (benchmarks/untranslated.py measures this very list)."""
    ws = words(text)
    speech = foreign_quotes(text, ws)
    quoted = quoted_words(text, ws)
    hits = []
    for i, word in enumerate(ws):
        if word.text.lower() in allow or i in speech or glued(text, word):
            continue
        found = leftover(word.text, profile, sentence_initial=i == 0, quoted=i in quoted)
        if found:
            hits.append(Hit(word, *found))
    return hits


def english_options(profile: LanguageProfile, hit: Hit) -> tuple[str, ...]:
    """The English options of a flagged word: its own (hand-written, then learned), else, for a compound,
    each pair of its parts' options ('oorlogsmisdaden' -> 'war crimes'). A word of another language has
    the options of the FreeDict dictionaries installed for it (mtqa/languages/dictionaries.py), else the
    common English words it is a cognate of (mtqa/languages/cognates.py)."""
    return _ranked_options(profile, hit)[0]


def _ranked_options(profile: LanguageProfile, hit: Hit) -> tuple[tuple[str, ...], str]:
    """A flagged word's English options and the LM measure that picks among them: translations fill one
    slot, so the word the LM expects there ("total"); cognates are guesses from the spelling, among which
    the word that fits the context best ("lift": 'desertors' -> 'deserters', not the commoner 'deserts')."""
    if hit.language != profile.name:
        found = dictionaries.english_options(hit.word.text, hit.language)
        if found:
            return found, RANK
        return english_cognates(hit.word.text, dictionaries.language_code(hit.language)), COGNATE_RANK
    own = profile.options(hit.word.text)
    split = None if own else compound_split(hit.word.text, profile)
    if split is None:
        return own, RANK
    pairs = itertools.product(profile.options(split[0]), profile.options(split[1]))
    return tuple(f"{a} {b}" for a, b in itertools.islice(pairs, MAX_CANDIDATES)), RANK


@dataclass(frozen=True)
class Leftover:
    """A run of flagged words in one sentence, with each word's English options."""

    sentence: Sentence
    run: list[Hit]
    options: list[tuple[str, ...]]
    rank: str = RANK  # the LM measure that picks among the combinations (lift if any word's are cognates)


def leftovers(ctx: Context) -> list[Leftover]:
    """The document's leftovers, found once (the LM batch, `detect` and the report's notes all read them)."""
    cached = ctx.memo.get("untranslated")
    if cached is None:
        cached = ctx.memo["untranslated"] = [
            _leftover(ctx.profile, sentence, run)
            for sentence in ctx.sentences
            for run in _runs(sentence.text, hits_in(sentence.text, ctx.profile, ctx.allow_words))
        ]
    return cached  # type: ignore[return-value]


def _leftover(profile: LanguageProfile, sentence: Sentence, run: list[Hit]) -> Leftover:
    ranked = [_ranked_options(profile, h) for h in run]
    rank = COGNATE_RANK if any(r == COGNATE_RANK for _, r in ranked) else RANK
    return Leftover(sentence, run, [options for options, _ in ranked], rank)


def unglossed_languages(ctx: Context) -> set[str]:
    """Languages other than the source whose leftovers in this document got no English options."""
    return {f.run[0].language for f in leftovers(ctx) if f.run[0].language != ctx.profile.name and not all(f.options)}


class UntranslatedDetector:
    """Flag source-language leftovers with U101."""

    name = "untranslated"
    needs_lm = False

    @staticmethod
    def _candidates(found: Leftover) -> list[tuple[Edit, ...]]:
        """One edit per combination of the words' English options (at most MAX_CANDIDATES), best first."""
        if not all(found.options):
            return []
        run, base = found.run, found.sentence.span.start
        span = Span(base + run[0].word.start, base + run[-1].word.end)
        out = []
        for combo in itertools.islice(itertools.product(*found.options), MAX_CANDIDATES):
            replacement = " ".join(combo)
            if run[0].word.text[:1].isupper():
                replacement = replacement[:1].upper() + replacement[1:]
            out.append((Edit(span, replacement),))
        return out

    def candidate_texts(self, ctx: Context) -> list[str]:
        return [t for found in leftovers(ctx) for t in candidate_texts(found.sentence, self._candidates(found))]

    def detect(self, ctx: Context) -> list[Issue]:
        issues = []
        for found in leftovers(ctx):
            edits = self._candidates(found)
            suggestion = best_rewrite(ctx, found.sentence, edits, origin="U101", rank=found.rank) if edits else None
            issues.append(self._issue(found, suggestion))
        return issues

    @staticmethod
    def _issue(found: Leftover, suggestion: Suggestion | None) -> Issue:
        sentence, run = found.sentence, found.run
        first, last = run[0].word, run[-1].word
        if all(found.options):
            gloss = f" ('{' '.join(options[0] for options in found.options)}')"
        elif len(run) == 1:
            gloss = "" if run[0].reason == "word" else f" ({run[0].reason})"
        else:
            gloss = f" ({len(run)} words)"
        evidence = dict(run[0].evidence)
        evidence["words"] = float(len(run))
        return make_issue(
            "U101",
            span=Span(sentence.span.start + first.start, sentence.span.start + last.end),
            sentence_index=sentence.index,
            fields={"word": sentence.text[first.start : last.end], "language": run[0].language, "gloss": gloss},
            confidence=0.9 if all(found.options) or len(run) > 1 else 0.7,
            evidence=evidence,
            suggestions=(suggestion,) if suggestion else (),
        )


def _runs(text: str, hits: list[Hit]) -> list[list[Hit]]:
    """Group flagged words separated only by spaces into multi-word leftovers ("echter niet")."""
    runs: list[list[Hit]] = []
    for hit in hits:
        if runs and not text[runs[-1][-1].word.end : hit.word.start].strip():
            runs[-1].append(hit)
        else:
            runs.append([hit])
    return runs
