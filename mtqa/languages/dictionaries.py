"""English options for words of other languages, from the FreeDict dictionaries installed on the machine.

U101 recognises words of some 30 languages besides the source (other.toml) but ships English only for
Dutch and German. Where FreeDict's bilingual dictionaries are installed in dictd format (Debian and
Ubuntu: `apt install dict-freedict-fra-eng dict-freedict-spa-eng ...`), a word of French, Spanish,
Italian, Polish, Czech or another language other.toml maps to FreeDict gets their translations as
rewrite candidates, which the LM ranks like any other. $MTQA_DICTIONARIES, when set, names the folders
to read instead of the system's (set empty, none). FreeDict's dictionaries are GPL-2+ or CC BY-SA, so
mtqa reads them where they are installed and ships none.

FreeDict's English-to-X dictionary (`dict-freedict-eng-fra` ...) is read backwards as well: it is often the
larger one (English-Czech has 150,000 headwords, Czech-English 500), so a word it gives as a translation of
an English headword gets that headword as an option. A word's options are those both directions agree on
first, then the rest of each in turn.

An inflected word ('współpracę', 'produkowane') is looked up under its lemma as well (simplemma, MIT), and
then its English options come inflected too (plural or third person '-s', past '-ed'), as far as English
knows the form; the LM picks among them. English keeps the dictionary's case ('October').

One word's language is a guess between close languages (U101 may call 'ostrov' Slovak and 'cadena'
Catalan), so a word its language's dictionaries do not know is looked up in those of another installed
language it is common in.
"""

from __future__ import annotations

import functools
import gzip
import itertools
import logging
import os
import re
import tomllib
import zlib
from collections.abc import Iterator
from pathlib import Path

from mtqa.languages.profile import OTHER, other_languages
from mtqa.rewrite.guard import FUNCTION_WORDS
from mtqa.text import zipf

LOG = logging.getLogger(__name__)
ENV = "MTQA_DICTIONARIES"
FOLDERS = ("/usr/share/dictd", "/usr/local/share/dictd")
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
MAX_SENSES = 6  # translations kept per word, in the dictionary's order (its first senses are its commonest)
MAX_WORDS = 3  # longer translations are explanations, not words to put in a sentence
NEIGHBOUR_ZIPF = 1.0  # a leftover this common in another installed language may be of that language
ENGLISH_ZIPF = 2.5  # every word of a translation must be this common in English (wordfreq)
_SENSE_NUMBER = re.compile(r"^\d+\.\s*|\s+\d+\.$")  # '1. country', and Polish-English's 'country 2.'
_BRACKETED = re.compile(r"\(.*?\)|<.*?>|\[.*?\]|\{.*?\}|/.*?/")
_SEPARATORS = re.compile(r"[;,]")


def _offset(text: str) -> int:
    """A dictd index number (base 64, most significant digit first)."""
    n = 0
    for ch in text:
        n = n * 64 + _B64[ch]
    return n


@functools.cache
def freedict_names() -> dict[str, str]:
    """wordfreq code -> FreeDict code of the other languages that have a FreeDict-English dictionary."""
    path = Path(__file__).parent / OTHER
    return dict(tomllib.loads(path.read_text(encoding="utf-8")).get("freedict", {}))


def folders() -> list[Path]:
    """Where dictd files are looked for: the folders $MTQA_DICTIONARIES names (os.pathsep-separated; set
    empty: none), else the system's."""
    env = os.environ.get(ENV)
    return [Path(p) for p in (env.split(os.pathsep) if env is not None else FOLDERS) if p]


DIRECTIONS = ("{}-eng", "eng-{}")  # FreeDict's stems: from the language into English, and the reverse


def _files(stem: str, where: tuple[Path, ...]) -> tuple[Path, Path] | None:
    """The (index, data) files of the dictd dictionary `stem` ('freedict-fra-eng') in `where`, if any."""
    for folder in where:
        index = folder / f"{stem}.index"
        for data in (folder / f"{stem}.dict.dz", folder / f"{stem}.dict"):
            if index.is_file() and data.is_file():
                return index, data
    return None


def installed() -> tuple[str, ...]:
    """The FreeDict dictionaries found ('fra-eng', 'eng-fra'; for the report's signature: they change its
    suggestions)."""
    return _installed(tuple(folders()))


@functools.cache
def _installed(where: tuple[Path, ...]) -> tuple[str, ...]:
    """`installed` for one set of folders, looked up once per process (as `_load` reads each file once):
    U101 asks for every word no dictionary of its language knows, and each look is a few hundred file
    checks (3 ms; 0.1 ms per such word cached)."""
    pairs = (direction.format(name) for name in freedict_names().values() for direction in DIRECTIONS)
    return tuple(sorted(pair for pair in pairs if _files(f"freedict-{pair}", where)))


class Dictionary:
    """One dictd dictionary (an `.index` and a `.dict` or `.dict.dz`), read once, looked up by lower-case word."""

    def __init__(self, index: Path, data: Path) -> None:
        raw = data.read_bytes()
        self._data = gzip.decompress(raw) if data.suffix == ".dz" else raw
        self._entries: dict[str, list[tuple[int, int]]] = {}
        for line in index.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split("\t")
            if len(parts) != 3 or parts[0].startswith("00database"):
                continue
            self._entries.setdefault(parts[0].lower(), []).append((_offset(parts[1]), _offset(parts[2])))

    def bodies(self, word: str | None = None) -> Iterator[str]:
        """The text of `word`'s entries (every entry's when None): the headword line, then its translations."""
        spans = self._entries.get(word.lower(), []) if word is not None else itertools.chain(*self._entries.values())
        for start, length in spans:
            yield self._data[start : start + length].decode("utf-8", errors="replace")

    def translations(self, word: str) -> list[str]:
        """English translations of `word`, in the dictionary's order, each a short phrase of English words."""
        found = (phrase for body in self.bodies(word) for phrase in _phrases(body) if _english(phrase))
        return list(dict.fromkeys(found))[:MAX_SENSES]


class Reversed:
    """An English-to-X dictionary read backwards: each one-word translation -> the English headwords it
    translates, commonest English first (the direction's own order means nothing here)."""

    def __init__(self, book: Dictionary) -> None:
        back: dict[str, list[str]] = {}
        for body in book.bodies():
            head = " ".join(_BRACKETED.sub("", body.split("\n", 1)[0]).split())
            if not _english(head):
                continue
            for phrase in _phrases(body):
                if " " in phrase:
                    continue
                heads = back.setdefault(phrase.lower(), [])
                if head not in heads:
                    heads.append(head)
        self._back = {w: sorted(heads, key=_commonness, reverse=True) for w, heads in back.items()}

    def translations(self, word: str) -> list[str]:
        """English for `word`: the headwords whose entries give it as a translation."""
        return self._back.get(word.lower(), [])[:MAX_SENSES]


def _phrases(body: str) -> Iterator[str]:
    """The translations in one entry: every line after the headword's, split at commas and semicolons, with
    sense numbers and bracketed notes dropped, in the dictionary's case ('October', 'Monday')."""
    for line in body.splitlines()[1:]:
        for part in _SEPARATORS.split(_BRACKETED.sub("", _SENSE_NUMBER.sub("", line.strip()))):
            if phrase := " ".join(part.split()):
                yield phrase


def _commonness(phrase: str) -> float:
    """How common a phrase is in English: its rarest word's Zipf frequency."""
    return min(zipf(w, "en") for w in phrase.split())


def _english(phrase: str) -> bool:
    """A phrase of at most MAX_WORDS common English words (not the dictionary's notes in its own language)."""
    ws = phrase.split()
    return len(ws) <= MAX_WORDS and all(w.isalpha() and zipf(w, "en") >= ENGLISH_ZIPF for w in ws)


def books(code: str) -> tuple[Dictionary | Reversed, ...]:
    """The installed FreeDict dictionaries for language `code` (wordfreq code): into English, then English
    into it read backwards; () if there is none."""
    name = freedict_names().get(code)
    if name is None:
        return ()
    where = tuple(folders())
    return tuple(book for direction in DIRECTIONS if (book := _load(f"freedict-{direction.format(name)}", where)))


@functools.cache
def _load(stem: str, where: tuple[Path, ...]) -> Dictionary | Reversed | None:
    files = _files(stem, where)
    if files is None:
        return None
    try:
        book = Dictionary(*files)
        return Reversed(book) if stem.startswith("freedict-eng-") else book
    except (OSError, ValueError, KeyError, EOFError, zlib.error) as exc:  # a damaged file: say so, go on
        LOG.warning("could not read the dictionary %s (%s); going on without it", files[1], exc)
        return None


def missing_note(languages: set[str]) -> str | None:
    """A note for a report with leftovers of `languages` (names) that got no English because FreeDict's
    dictionary for them is not installed; None when there is nothing to say or dictionaries are turned off."""
    if os.environ.get(ENV) == "":
        return None
    found = installed()
    missing: dict[str, list[str]] = {}
    for lang in languages:
        name = freedict_names().get(language_code(lang))
        pairs = [direction.format(name) for direction in DIRECTIONS] if name else []
        if pairs and not any(pair in found for pair in pairs):
            missing[lang] = pairs
    names = sorted(missing)
    if not names:
        return None
    packages = " ".join(sorted(f"dict-freedict-{pair}" for lang in names for pair in missing[lang]))
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    return (
        f"{listed} words were flagged without an English suggestion: install FreeDict's dictionaries "
        f"(Debian/Ubuntu: apt install {packages}) or set {ENV} to the folder that holds them."
    )


def lemma(word: str, code: str) -> str:
    """The dictionary form of `word` in language `code` (simplemma), or the word itself."""
    import simplemma  # a dependency; imported late because it loads its language data on first use

    try:
        return str(simplemma.lemmatize(word, lang=code))
    except ValueError:  # a language simplemma does not know
        return word


def inflected(english: str) -> list[str]:
    """`english` with the endings an inflected source word may call for (plural or third person '-s', past
    '-ed'), where English knows the form; a closed-class word ('he', 'be', 'their') as it is."""
    # English inflection lives with G102/G103; imported here, not at the top, because mtqa.detect imports us
    from mtqa.detect.agreement import pluralize

    if " " in english or english in FUNCTION_WORDS:  # 'he' is no noun to pluralise, 'be' no verb to add -ed to
        return [english]
    past = english + "d" if english.endswith("e") else re.sub(r"([^aeiou])y$", r"\1i", english) + "ed"
    return [english, *(f for f in (pluralize(english), past) if f and zipf(f, "en") >= ENGLISH_ZIPF)]


def english_options(word: str, language: str) -> tuple[str, ...]:
    """English options for `word`, which U101 assigned to `language` (a name from other.toml), from that
    language's installed dictionaries, else from a neighbour's; () if none knows the word."""
    code = language_code(language)
    found = books(code) if code else ()
    return (_options(found, word, code) if found and code else ()) or _neighbours(word, code)


def _neighbours(word: str, code: str) -> tuple[str, ...]:
    """Options from the dictionaries of another installed language the word is common in (Zipf >=
    NEIGHBOUR_ZIPF), commonest first. One word's language is a guess between close languages: 'ostrov' was
    called Slovak, 'cadena' Catalan, 'acabe' Portuguese, and only the Czech and Spanish dictionaries are
    installed."""
    lower = word.lower()
    ranked = sorted(((zipf(lower, other), other) for other in installed_codes() if other != code), reverse=True)
    for common, other in ranked:
        if common < NEIGHBOUR_ZIPF:
            break
        if options := _options(books(other), word, other):
            return options
    return ()


def installed_codes() -> tuple[str, ...]:
    """wordfreq codes of the languages with a FreeDict dictionary installed (either direction)."""
    found = set(installed())
    return tuple(code for code, name in freedict_names().items() if any(d.format(name) in found for d in DIRECTIONS))


def language_code(language: str) -> str:
    """The wordfreq code of a language name as U101 reports it ('Czech' -> 'cs'; '' if unknown)."""
    return _codes().get(language, "")


@functools.cache
def _codes() -> dict[str, str]:
    """Language name (as U101 reports it) -> wordfreq code."""
    return {name: code for code, name in other_languages().items()}


def _merged(found: tuple[Dictionary | Reversed, ...], word: str) -> list[str]:
    """`word`'s translations in every dictionary: those they agree on first, then each one's in turn."""
    lists = [book.translations(word) for book in found]
    agreed = [t for t in lists[0] if all(t in other for other in lists[1:])] if len(lists) > 1 else []
    taken = itertools.chain(agreed, *itertools.zip_longest(*lists))
    return list(dict.fromkeys(t for t in taken if t))


def _options(found: tuple[Dictionary | Reversed, ...], word: str, code: str) -> tuple[str, ...]:
    """The word's own translations, else its lemma's, inflected as the word may be."""
    own = _merged(found, word)
    if own:
        return tuple(own)
    base = lemma(word.lower(), code)
    if base == word.lower():
        return ()
    return tuple(dict.fromkeys(form for english in _merged(found, base) for form in inflected(english)))
