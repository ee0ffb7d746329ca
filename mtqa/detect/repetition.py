"""G101: stacked or doubled function words ("of the by the", "the the").

Two patterns that English grammar rules out almost everywhere: an article directly followed by
a preposition, conjunction, auxiliary or another article; and the same function word twice in
a row. Both usually mean the translation kept one structure from the source sentence and
started another. Hyphenated words (the by-election, the in-laws) are single words here, and
grammatical doubles (had had, that that) are allowed. The suggestion deletes one of the stacked
phrases; the language model picks which (see mtqa.rewrite).
"""

from __future__ import annotations

from mtqa.core import Edit, Issue, Span
from mtqa.detect.base import Context
from mtqa.rewrite.verify import best_rewrite
from mtqa.rules import make_issue
from mtqa.text import words

ARTICLES = frozenset({"the", "a", "an"})
PREPOSITIONS = frozenset(
    [
        "of",
        "by",
        "to",
        "from",
        "with",
        "at",
        "for",
        "into",
        "onto",
        "upon",
        "about",
        "as",
        "than",
        "in",
        "on",
        "over",
        "under",
        "through",
        "via",
    ]
)
# Words that cannot directly follow an article in grammatical English.
AFTER_ARTICLE = (
    ARTICLES
    | PREPOSITIONS
    | frozenset(["and", "or", "but", "is", "are", "was", "were", "has", "have", "had", "will", "would"])
)
DOUBLE_OK = frozenset({"had", "that", "is", "do", "can"})
FUNCTION = (
    ARTICLES
    | PREPOSITIONS
    | frozenset(["and", "or", "but", "is", "are", "was", "were", "has", "have", "will", "would"])
)


class RepetitionDetector:
    """Flag stacked function words with G101."""

    name = "repetition"
    needs_lm = False

    def detect(self, ctx: Context) -> list[Issue]:
        issues: list[Issue] = []
        for sentence in ctx.sentences:
            ws = words(sentence.text)
            low = [w.text.lower() for w in ws]
            i = 0
            while i < len(ws) - 1:
                a, b = low[i], low[i + 1]
                if _gap_has_punct(sentence.text, ws[i], ws[i + 1]):
                    i += 1
                    continue
                if a == b and a in FUNCTION and a not in DOUBLE_OK:
                    issues.append(self._issue(ctx, sentence, ws, i, i, i + 1))
                    i += 2
                    continue
                if a in ARTICLES and b in AFTER_ARTICLE:
                    # "of the by the": take in the preposition before and the article after the stacked pair.
                    stacked = b in PREPOSITIONS
                    first = i - 1 if stacked and i > 0 and low[i - 1] in PREPOSITIONS else i
                    last = i + 2 if stacked and i + 2 < len(ws) and low[i + 2] in ARTICLES else i + 1
                    issues.append(self._issue(ctx, sentence, ws, first, i, last))
                    i = last + 1
                    continue
                i += 1
        return issues

    def _issue(self, ctx: Context, sentence, ws, first: int, mid: int, last: int) -> Issue:  # type: ignore[no-untyped-def]
        base = sentence.span.start
        span = Span(base + ws[first].start, base + ws[last].end)
        # Candidates: drop the left part (first..mid) or the right part (mid+1..last), with a following space.
        left = Edit(Span(base + ws[first].start, base + ws[mid + 1].start), "")
        right_end = base + (ws[last + 1].start if last + 1 < len(ws) else ws[last].end)
        right = Edit(Span(base + ws[mid + 1].start, right_end), "")
        if mid == first and ws[first].text.lower() == ws[last].text.lower():
            candidates = [(left,)]
        else:
            candidates = [(left,), (right,)]
        suggestion = best_rewrite(ctx, sentence, candidates, origin="G101", title="Delete '{removed}'")
        return make_issue(
            "G101",
            span=span,
            sentence_index=sentence.index,
            fields={"words": ctx.document.text[span.start : span.end]},
            confidence=0.9,
            suggestions=(suggestion,) if suggestion else (),
        )


def _gap_has_punct(text: str, a, b) -> bool:  # type: ignore[no-untyped-def]
    return any(not ch.isspace() for ch in text[a.end : b.start])
