"""Load a source-language profile folder into a `LanguageProfile`; adding a language adds no code."""

from __future__ import annotations

import functools
import hashlib
import logging
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

_HERE = Path(__file__).parent
LOG = logging.getLogger(__name__)
OTHER = "other.toml"  # languages recognised whatever the source; part of every profile's digest
# Learned lexicons (models/lexicon/<code>.tsv, benchmarks/build_lexicon.py); $MTQA_LEXICONS overrides the folder.
LEXICONS = "MTQA_LEXICONS"


@dataclass(frozen=True)
class LanguageProfile:
    """Everything detectors know about one source language."""

    code: str
    name: str
    wordfreq: str
    linking: tuple[str, ...]
    function_words: frozenset[str]
    inversion_triggers: frozenset[str]
    lexicon: dict[str, str]
    learned: dict[str, tuple[str, ...]]  # source word -> English options learned from parallel text
    digest: str

    def options(self, word: str) -> tuple[str, ...]:
        """English for a source word: the hand-written gloss alone if there is one, else the learned options."""
        lower = word.lower()
        if lower in self.lexicon:
            return (self.lexicon[lower],)
        return self.learned.get(lower, ())


@functools.cache
def other_languages() -> dict[str, str]:
    """wordfreq code -> name of the languages U101 recognises besides the source (other.toml)."""
    return dict(tomllib.loads((_HERE / OTHER).read_text(encoding="utf-8"))["languages"])


def available_languages() -> list[str]:
    """Return the codes of the profile folders shipped with mtqa."""
    return sorted(p.parent.name for p in _HERE.glob("*/profile.toml"))


def lexicon_folder() -> Path:
    """The folder of learned lexicons: $MTQA_LEXICONS, else models/lexicon beside the package."""
    return Path(os.environ.get(LEXICONS) or _HERE.parent.parent / "models" / "lexicon")


def _unreadable(path: Path, exc: Exception) -> Exception:
    """The error for a language file mtqa cannot read, saying how to get a good one."""
    from mtqa.score.loader import ModelError  # only on failure: importing it loads torch

    why = f"({exc.__class__.__name__})"
    if path.parent != lexicon_folder():  # a profile file or other.toml: shipped inside the package
        return ModelError(f"cannot read the language file {path} {why}. Reinstall mtqa (bin/setup).")
    return ModelError(
        f"cannot read the lexicon {path} {why}: it should be UTF-8 text, one "
        f"'word<TAB>english' per line. Reinstall mtqa (bin/setup), rebuild it with "
        f"'python -m benchmarks.build_lexicon', or point ${LEXICONS} at a folder that holds a good copy."
    )


def _read(paths: list[Path]) -> dict[Path, bytes]:
    """The bytes of each file that exists, read once (hashed for the signature, then parsed)."""
    out = {}
    for path in paths:
        if path.is_file():
            try:
                out[path] = path.read_bytes()
            except OSError as exc:
                raise _unreadable(path, exc) from exc
    return out


def _parse_tsv(path: Path, raw: bytes | None) -> dict[str, str]:
    """'source<TAB>english' lines of a file already read (None: absent), keys in lower case."""
    table: dict[str, str] = {}
    if raw is None:
        return table
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _unreadable(path, exc) from exc
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        source, _, english = line.partition("\t")
        table[source.strip().lower()] = english.strip()
    return table


@functools.cache
def load_profile(code: str) -> LanguageProfile:
    """Load the profile for `code`, with an error that lists the available ones."""
    folder = _HERE / code
    if not (folder / "profile.toml").is_file():
        raise ValueError(f"no language profile {code!r}; available: {', '.join(available_languages())}")
    raw = (folder / "profile.toml").read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    digest = hashlib.sha256(raw)
    learned = lexicon_folder() / f"{code}.tsv"
    if not learned.is_file():
        LOG.warning(
            "no learned lexicon at %s: untranslated %s words get the hand-written glosses only "
            "(rebuild it with 'python -m benchmarks.build_lexicon', or set $%s)",
            learned,
            data["name"],
            LEXICONS,
        )
    files = _read([*sorted(folder.glob("*.tsv")), _HERE / OTHER, learned])  # all that shapes what U101 says
    for raw_file in files.values():
        digest.update(raw_file)
    return LanguageProfile(
        code=code,
        name=data["name"],
        wordfreq=data.get("wordfreq", code),
        linking=tuple(data.get("linking", [""])),
        function_words=frozenset(w.lower() for w in data.get("function_words", [])),
        inversion_triggers=frozenset(w.lower() for w in data.get("inversion_triggers", [])),
        lexicon=_parse_tsv(folder / "lexicon.tsv", files.get(folder / "lexicon.tsv")),
        learned={
            s: tuple(o for o in opts.split("|") if o) for s, opts in _parse_tsv(learned, files.get(learned)).items()
        },
        digest=digest.hexdigest()[:4],
    )
