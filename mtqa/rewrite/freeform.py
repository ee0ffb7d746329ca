"""Turn what a model wrote for a sentence into a rewrite candidate: pick the sentence out, diff it into edits.

A model asked for "the corrected sentence only" still adds lead-ins ("Here's the corrected sentence:"),
quotes and comments; `extract` keeps the one line that reads as a version of the original. `to_edits`
turns it into word-level edits with document offsets, so a written rewrite is shown, guarded and applied
exactly like a rule's (`mtqa.rewrite.review`). This module only handles strings.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from difflib import SequenceMatcher

from mtqa.core import Edit, Span, apply_edits
from mtqa.detect.loop import loops
from mtqa.rewrite.guard import NUMBER, TOKEN, protected
from mtqa.text import words

# The closest line must share at least this much (difflib ratio, case-folded) with the original:
# below it the model answered something else (a comment, a translation of the prompt).
MIN_LIKENESS = 0.5
LEAD_IN = re.compile(
    r"^(?:here(?:'s| is) (?:the |a |my )?[\w ,-]{0,40}|(?:the )?correct(?:ed|ion)[\w ,-]{0,30}|rewrite|rewritten"
    r"[\w ,-]{0,30}|answer|output|sentence)\s*:\s*",
    re.IGNORECASE,
)
QUOTES = "\"'“”‘’"
WORD = re.compile(r"\S+")
NEGATIONS = frozenset({"not", "no", "never", "nor", "neither", "none", "nothing", "nobody", "nowhere", "without"})


def extract(output: str, original: str) -> str | None:
    """Return the line of `output` that is a rewrite of `original`, or None (no such line, or no change)."""
    best, likeness = None, 0.0
    for raw in output.splitlines():
        line = raw.strip()
        if not original.lower().startswith(line[:12].lower()):
            line = LEAD_IN.sub("", line).strip()
        if len(line) > 1 and line[0] in QUOTES and line[-1] in QUOTES and original[:1] not in QUOTES:
            line = line[1:-1].strip()
        if not line:
            continue
        ratio = SequenceMatcher(None, line.lower(), original.lower(), autojunk=False).ratio()
        if ratio > likeness:
            best, likeness = line, ratio
    if best is None or likeness < MIN_LIKENESS or " ".join(best.split()) == " ".join(original.split()):
        return None
    return best


def repeats(text: str) -> int:
    """Count the loops (a 2-8 word phrase back to back) and doubled words in `text`.

    A written rewrite may not add any: the LM scores a copy as likely because it just saw it (it prefers
    "the village the village the village." to "the village." by 8 nats), so its margin cannot refuse one."""
    ws = words(text)
    low = [w.text.lower() for w in ws]
    return len(loops(ws, text)) + sum(a == b for a, b in itertools.pairwise(low))


def refusal(original: str, rewrite: str) -> str:
    """Return why a written rewrite is refused before the LM and meaning guards ("" if it is not).

    Three checks the rules' own edits do not need: it must change a word, not only capitals or
    punctuation (`cosmetic`); it may not repeat a word or phrase the original did not (`repeats`); and it
    may not say more than the original did (`additions`)."""
    if cosmetic(original, rewrite):
        return "changes only capitals or punctuation"
    if repeats(rewrite) > repeats(original):
        return "repeats a phrase"
    return additions(original, rewrite)


def cosmetic(original: str, rewrite: str) -> bool:
    """True if the rewrite changes only capitals and punctuation: other rules own those (P101-P103), and
    the model's own taste there ("defence minister." -> "Defence minister") is no repair."""
    return TOKEN.findall(original.lower()) == TOKEN.findall(rewrite.lower())


def additions(original: str, rewrite: str) -> str:
    """Return why a written rewrite says more than the original ("" if it does not).

    The keep-check (`guard.lost_words`) stops a rewrite that drops a word; a model can also add one: a
    year, a clause ("..., not Ukraine"), its own comment ("The sentence should read: ..."), and neither
    the LM margin nor the meaning check refuses those. So a written rewrite may add no number, no name
    (a capitalised word inside the sentence that the original has fewer of) and no negation, and content
    words only in place of ones it removes (moved words count as neither), with up to two more for
    words put into English ("slaapcellen" -> "sleeper cells")."""
    before, after = _content(original), _content(rewrite)
    new, removed = after - before, (before - after).total()
    numbers = sorted(w for w in new if NUMBER.fullmatch(w))
    if numbers:
        return "adds a number: " + ", ".join(numbers)
    names = sorted({m.group() for m in TOKEN.finditer(rewrite) if m.start() and m.group()[0].isupper()} & _cased(new))
    if names:
        return "adds a name: " + ", ".join(names)
    if _negations(rewrite) != _negations(original):
        return "changes a negation"
    if new.total() > removed + min(removed, 2):
        return "adds words: " + ", ".join(sorted(new.elements()))
    return ""


def _cased(words: Counter[str]) -> set[str]:
    """The words of `words` with a capital first letter, as a name is written."""
    return {w[:1].upper() + w[1:] for w in words}


def _content(text: str) -> Counter[str]:
    return Counter(w for w, _ in protected(text))


def _negations(text: str) -> int:
    return sum(w in NEGATIONS or w.endswith(("n't", "n’t")) for w in TOKEN.findall(text.lower()))


def to_edits(text: str, start: int, rewrite: str) -> tuple[Edit, ...]:
    """Return sorted word-level edits (document offsets; `text` starts at `start`) that turn `text` into `rewrite`.

    Words are compared whole; a deleted word takes one neighbouring space with it, an inserted one brings
    one. If the edits do not reproduce `rewrite` exactly, one edit replaces the whole sentence instead.
    """
    old = [(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]
    new = [(m.group(), m.start(), m.end()) for m in WORD.finditer(rewrite)]
    whole = (Edit(Span(start, start + len(text)), rewrite),)
    if not old or not new:
        return whole
    matcher = SequenceMatcher(None, [w for w, _, _ in old], [w for w, _, _ in new], autojunk=False)
    edits = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        replacement = rewrite[new[j1][1] : new[j2 - 1][2]] if j2 > j1 else ""
        if i2 > i1:
            s, e = old[i1][1], old[i2 - 1][2]
            if not replacement:  # a deletion takes the space after it, or before it at the end
                s, e = (s, old[i2][1]) if i2 < len(old) else (old[i1 - 1][2] if i1 else s, e)
        elif i1 < len(old):  # insertion before a word
            s = e = old[i1][1]
            replacement += " "
        else:  # insertion after the last word
            s = e = old[-1][2]
            replacement = " " + replacement
        edits.append(Edit(Span(start + s, start + e), replacement))
    out = tuple(edits)
    return out if apply_edits(text, out, start) == rewrite.strip() else whole
