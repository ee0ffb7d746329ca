"""English options for words of other languages, from the FreeDict dictionaries installed on the machine.

U101 recognises words of some 30 languages besides the source (other.toml) but ships English only for
Dutch and German. Where FreeDict's bilingual dictionaries are installed in dictd format (Debian and
Ubuntu: `apt install dict-freedict-fra-eng dict-freedict-spa-eng ...`), a word of French, Spanish,
Italian, Polish, Czech or another language other.toml maps to FreeDict gets their translations as
rewrite candidates, which the LM ranks like any other. $MTQA_DICTIONARIES, when set, names the folders
to read instead of the system's (set empty, none). FreeDict's dictionaries are GPL-2+ or CC BY-SA, so
mtqa reads them where they are installed and ships none.

An inflected word ('współpracę', 'produkowane') is looked up under its lemma as well (simplemma, MIT), and
then its English options come inflected too (plural or third person '-s', past '-ed'), as far as English
knows the form; the LM picks among them.
"""

from __future__ import annotations

import functools
import gzip
import logging
import os
import re
import tomllib
import zlib
from pathlib import Path

from mtqa.languages.profile import OTHER, other_languages
from mtqa.text import zipf

LOG = logging.getLogger(__name__)
ENV = "MTQA_DICTIONARIES"
FOLDERS = ("/usr/share/dictd", "/usr/local/share/dictd")
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
MAX_SENSES = 6  # translations kept per word, in the dictionary's order (its first senses are its commonest)
MAX_WORDS = 3  # longer translations are explanations, not words to put in a sentence
ENGLISH_ZIPF = 2.5  # every word of a translation must be this common in English (wordfreq)
_SENSE_NUMBER = re.compile(r"^\d+\.\s*")
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


def _files(code: str, where: tuple[Path, ...]) -> tuple[Path, Path] | None:
    """The (index, data) files of the FreeDict dictionary from `code` into English in `where`, if any."""
    name = freedict_names().get(code)
    if name is None:
        return None
    stem = f"freedict-{name}-eng"
    for folder in where:
        index = folder / f"{stem}.index"
        for data in (folder / f"{stem}.dict.dz", folder / f"{stem}.dict"):
            if index.is_file() and data.is_file():
                return index, data
    return None


def installed() -> tuple[str, ...]:
    """FreeDict codes of the dictionaries found (for the report's signature: they change its suggestions)."""
    where = tuple(folders())
    return tuple(sorted(freedict_names()[c] for c in freedict_names() if _files(c, where)))


class Dictionary:
    """One dictd dictionary (an `.index` and a `.dict` or `.dict.dz`), read once, looked up by lower-case word."""

    def __init__(self, index: Path, data: Path) -> None:
        self.name = index.name.removesuffix(".index")
        raw = data.read_bytes()
        self._data = gzip.decompress(raw) if data.suffix == ".dz" else raw
        self._entries: dict[str, list[tuple[int, int]]] = {}
        for line in index.read_text(encoding="utf-8", errors="replace").splitlines():
            parts = line.split("\t")
            if len(parts) != 3 or parts[0].startswith("00database"):
                continue
            self._entries.setdefault(parts[0].lower(), []).append((_offset(parts[1]), _offset(parts[2])))

    def translations(self, word: str) -> list[str]:
        """English translations of `word`, in the dictionary's order, each a short phrase of English words."""
        out: list[str] = []
        for start, length in self._entries.get(word.lower(), ()):
            body = self._data[start : start + length].decode("utf-8", errors="replace")
            for line in body.splitlines()[1:]:  # the first line is the headword and its grammar
                for part in _SEPARATORS.split(_BRACKETED.sub("", _SENSE_NUMBER.sub("", line.strip()))):
                    phrase = " ".join(part.split()).lower()
                    if phrase and phrase not in out and _english(phrase):
                        out.append(phrase)
        return out[:MAX_SENSES]


def _english(phrase: str) -> bool:
    """A phrase of at most MAX_WORDS common English words (not the dictionary's notes in its own language)."""
    ws = phrase.split()
    return len(ws) <= MAX_WORDS and all(w.isalpha() and zipf(w, "en") >= ENGLISH_ZIPF for w in ws)


def dictionary(code: str) -> Dictionary | None:
    """The installed FreeDict dictionary from language `code` (wordfreq code) into English, if any."""
    return _load(code, tuple(folders()))


@functools.cache
def _load(code: str, where: tuple[Path, ...]) -> Dictionary | None:
    files = _files(code, where)
    if files is None:
        return None
    try:
        return Dictionary(*files)
    except (OSError, ValueError, KeyError, EOFError, zlib.error) as exc:  # a damaged file: say so, go on
        LOG.warning("could not read the dictionary %s (%s); going on without it", files[1], exc)
        return None


def missing_note(languages: set[str]) -> str | None:
    """A note for a report with leftovers of `languages` (names) that got no English because FreeDict's
    dictionary for them is not installed; None when there is nothing to say or dictionaries are turned off."""
    if os.environ.get(ENV) == "":
        return None
    found = installed()  # stat the folders once
    missing = {lang: code for lang in languages if (code := freedict_names().get(_codes().get(lang, ""))) not in found}
    names = sorted(lang for lang, code in missing.items() if code is not None)
    if not names:
        return None
    packages = " ".join(sorted(f"dict-freedict-{missing[lang]}-eng" for lang in names))
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
    '-ed'), where English knows the form."""
    # English inflection lives with G102/G103; imported here, not at the top, because mtqa.detect imports us
    from mtqa.detect.agreement import pluralize

    if " " in english:
        return [english]
    past = english + "d" if english.endswith("e") else re.sub(r"([^aeiou])y$", r"\1i", english) + "ed"
    return [english, *(f for f in (pluralize(english), past) if f and zipf(f, "en") >= ENGLISH_ZIPF)]


def english_options(word: str, language: str) -> tuple[str, ...]:
    """English options for `word`, which U101 assigned to `language` (a name from other.toml), from that
    language's installed dictionary; () if there is none or it does not know the word. (Asking every
    installed dictionary as well changed 3 more DEMETR codemix items and restored none, for loading them all.)"""
    code = _codes().get(language)
    book = dictionary(code) if code else None
    return _options(book, word, code) if book is not None and code else ()


@functools.cache
def _codes() -> dict[str, str]:
    """Language name (as U101 reports it) -> wordfreq code."""
    return {name: code for code, name in other_languages().items()}


def _options(book: Dictionary, word: str, code: str) -> tuple[str, ...]:
    """The word's own translations, else its lemma's, inflected as the word may be."""
    found = book.translations(word)
    if found:
        return tuple(found)
    base = lemma(word.lower(), code)
    if base == word.lower():
        return ()
    return tuple(dict.fromkeys(form for english in book.translations(base) for form in inflected(english)))
