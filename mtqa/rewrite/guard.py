"""Keep-check for rewrites: a candidate may not lose a name, number or content word of the original.

Only the words the edit intends to change may go: those inside both the flagged span and an edit
(an untranslated word, a false friend, one copy of a repeated word). Reordering rules (W) intend
to change no word at all. This module only compares strings; it never scores or edits.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

from mtqa.core import Edit, Span, apply_edits

# Closed-class English words: a rewrite may add, drop or change these (articles, prepositions,
# pronouns, auxiliaries, conjunctions, particles); every other word counts as content.
FUNCTION_WORDS = frozenset(
    """a an the this that these those some any no every each either neither all both such what which who whom
    whose where when why how whether if than then as of in on at by for from to with without into onto upon
    about above below over under after before between among through during against along around across behind
    beyond near off out up down since until till via per and or but nor so yet because while although though
    unless i me my mine we us our ours you your yours he him his she her hers it its they them their theirs
    myself yourself himself herself itself ourselves themselves one ones there here be am is are was were been
    being have has had having do does did done doing will would shall should can could may might must not
    n't 's 're 've 'd 'll also too very just only even still already again ever never more most less least
    much many few other another same own""".split()
)
NUMBER = re.compile(r"\d+(?:[.,:/]\d+)*")
TOKEN = re.compile(r"\d+(?:[.,:/]\d+)*|[^\W\d_]+(?:[-'’][^\W\d_]+)*", re.UNICODE)
REORDER_PREFIXES = ("W",)  # word-order rules move words; they intend to change none


def protected(text: str, offset: int = 0) -> list[tuple[str, Span]]:
    """Return the names, numbers and content words of `text` (lower-cased) with their document spans."""
    out = []
    for m in TOKEN.finditer(text):
        word = m.group().lower()
        if NUMBER.fullmatch(word) or word not in FUNCTION_WORDS:
            out.append((word, Span(offset + m.start(), offset + m.end())))
    return out


def intended_spans(code: str, issue_span: Span, edits: Iterable[Edit]) -> list[Span]:
    """Return the spans whose words the edit of rule `code` is meant to change."""
    if code.startswith(REORDER_PREFIXES):
        return []
    out = []
    for edit in edits:
        start, end = max(edit.span.start, issue_span.start), min(edit.span.end, issue_span.end)
        if start < end:
            out.append(Span(start, end))
    return out


def lost_words(sentence_text: str, sentence_start: int, edits: Sequence[Edit], intended: Sequence[Span]) -> list[str]:
    """Return the protected words of the sentence that the edited text no longer has, beyond the intended ones."""
    before = protected(sentence_text, sentence_start)
    after = Counter(word for word, _ in protected(apply_edits(sentence_text, tuple(edits), sentence_start)))
    may_go = Counter(word for word, span in before if any(s.contains(span) for s in intended))
    lost = Counter(word for word, _ in before) - after - may_go
    return sorted(lost.elements())
