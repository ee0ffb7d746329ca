"""G107: an article with no noun after it ("The took place", "the decided to", "a third of the.").

English never lets an article stand directly before a finite verb or a closing punctuation mark; when
it does, the noun it introduced (often the subject) was lost in translation. Articles directly
before prepositions, conjunctions and the common auxiliaries are G101's (stacked function words);
this rule reads the part-of-speech tags for the rest: a lower-case finite verb (VBZ, VBD, or one of
a few modals) or `, . ; : )` right after "the", "a" or "an". There is no rewrite to offer (the
missing word is unknown), so the rule only marks the spot.

Guards, each a reading where the "verb" is a noun: "the accused was", "the wounded were" (an -ed word
followed by a finite verb), "a can of", "a must" (modals that are also nouns are not listed), and
"Vitamin A," (a capital article mid-sentence is a letter). Needs part-of-speech tags (mtqa.tag).
"""

from __future__ import annotations

import itertools

from mtqa.core import Issue, Span
from mtqa.detect.base import Context
from mtqa.detect.repetition import AFTER_ARTICLE, ARTICLES
from mtqa.rules import make_issue
from mtqa.tag import Token

FINITE_TAGS = frozenset({"VBZ", "VBD"})
MODALS = frozenset({"should", "could", "shall", "may", "might"})  # not can/must/will: also nouns
FINITE_NEXT = frozenset({"VBZ", "VBD", "VBP", "MD"})
CLOSING = frozenset({",", ".", ";", ":", ")"})


def orphans(tokens: list[Token]) -> list[tuple[int, int]]:
    """Return (article, next) token index pairs where the article has no noun to introduce."""
    out = []
    for i, (a, b) in enumerate(itertools.pairwise(tokens)):
        if a.text.lower() not in ARTICLES or not (a.text.islower() or i == 0):
            continue  # a capital 'A' mid-sentence is a letter ("Vitamin A,")
        low = b.text.lower()
        if low in AFTER_ARTICLE:
            continue  # G101's
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        if b.text in CLOSING:
            out.append((i, i + 1))
        elif b.text.islower() and (b.tag in FINITE_TAGS or low in MODALS):
            if b.tag == "VBD" and low.endswith("ed") and after is not None and after.tag in FINITE_NEXT:
                continue  # "the accused was", "the wounded were": an adjective used as a noun
            if b.tag == "VBZ" and after is not None and after.text.lower() in {"of", "'s", "’s"}:
                continue  # "the needs of", "the works of": a plural noun the tagger read as a verb
            out.append((i, i + 1))
    return out


class OrphanArticleDetector:
    """Flag an article followed by a finite verb or closing punctuation (G107)."""

    name = "orphan"
    needs_lm = False
    needs_tags = True

    def detect(self, ctx: Context) -> list[Issue]:
        issues = []
        for sentence, tokens in zip(ctx.sentences, ctx.tags):
            base = sentence.span.start
            for first, last in orphans(tokens):
                span = Span(base + tokens[first].start, base + tokens[last].end)
                issues.append(
                    make_issue(
                        "G107",
                        span=span,
                        sentence_index=sentence.index,
                        fields={"article": tokens[first].text, "next": tokens[last].text},
                        confidence=0.8,
                    )
                )
        return issues
