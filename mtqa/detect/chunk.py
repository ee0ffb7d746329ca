"""Noun-phrase chunking over part-of-speech tags, shared by the clause detectors.

A tiny left-to-right chunker: determiners, adjectives, numbers and nouns up to the last noun-like
head. It only reads tags; detectors decide what a chunk means. Never prints, never changes text.
"""

from __future__ import annotations

from mtqa.tag import Token

NP_START = frozenset({"DT", "PDT", "PRP$", "CD", "JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS"})
NP_INNER = frozenset({"JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "CD", "POS", "HYPH"})
NP_HEAD = frozenset({"NN", "NNS", "NNP", "NNPS", "CD", "PRP"})
NOUNS = frozenset({"NN", "NNS"})


def join(tokens: list[Token]) -> str:
    """Return the tokens' text with their own spacing, trimmed."""
    return "".join(t.text + t.space for t in tokens).strip()


def np_end(
    tokens: list[Token],
    i: int,
    *,
    participle_before: frozenset[str] = NOUNS,
    stop_words: frozenset[str] = frozenset(),
    existential: bool = False,
    possessive_names: bool = False,
) -> int:
    """Return the index after the noun phrase starting at `i`, or `i` if none starts there.

    A participle joins the phrase only before a tag in `participle_before` ("the wounded
    fighters"); `stop_words` end it ("the plan yesterday"); `existential` counts "there" as a
    phrase; `possessive_names` continues after a possessive ("the group's own", "IS's Baghdadi").
    """
    if i >= len(tokens):
        return i
    tag = tokens[i].tag
    if tag == "PRP" or (existential and tag == "EX"):
        return i + 1
    if tag not in NP_START:
        return i
    j = i + 1
    while j < len(tokens):
        t, low = tokens[j].tag, tokens[j].text.lower()
        nxt = tokens[j + 1].tag if j + 1 < len(tokens) else ""
        if low in stop_words:
            break
        if (
            t in NP_INNER
            or (t in {"VBN", "VBG"} and nxt in participle_before)
            or (t == "RB" and nxt == "HYPH")
            or (possessive_names and t in {"PRP$", "NNP"} and tokens[j - 1].tag == "POS")
        ):
            j += 1
        else:
            break
    while j > i and tokens[j - 1].tag not in NP_HEAD:
        j -= 1
    return j
