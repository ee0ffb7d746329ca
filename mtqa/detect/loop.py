"""G108: a phrase said twice or more in a row ("degree of degree of degree of", "in Brussels, in Brussels").

Neural MT that loses track of the source falls into a loop and repeats a phrase, sometimes dozens of
times, and post-editors delete the copies: `loops` matches 30 in MLQE-PE's 5,000 dev `mt` sentences
and none in their post-edits (train: 284 and 31). One word said twice is G105's and stacked function
words are G101's, so a repeated unit here has two to eight words and at least one that is not a
function word. The copies must follow each other with only a space, comma or dash between them, and
the words inside each copy must be separated the same way, so "2 of the 3 of the" (a number between)
is not a loop.

Left alone: quoted speech (a chant such as "lock her up, lock her up" is reported, not a slip); a
word joined to itself by a conjunction or preposition ("more and more and more", "day by day by
day"), which English repeats on purpose; and two copies split by a comma where the second starts a
clause ("liberated by the federal government, the federal government came to ...": a verb follows,
so the second copy is the subject, and deleting it breaks the sentence). The
suggestion keeps the first copy and deletes the rest.
"""

from __future__ import annotations

import re

from mtqa.core import Edit, Issue, Sentence, Span
from mtqa.detect.base import Context
from mtqa.detect.repetition import FUNCTION
from mtqa.rewrite.verify import best_rewrite, candidate_texts
from mtqa.rules import make_issue
from mtqa.tag import Token
from mtqa.text import QUOTATION, Word, words

MIN_WORDS, MAX_WORDS = 2, 8
# Joiners of deliberate repetition: "again and again and again", "day after day after day".
JOINERS = frozenset({"and", "or", "by", "after", "upon", "to", "for", "on"})
BETWEEN_COPIES = re.compile(r"\s*[,–—-]?\s+|\s*[,–—-]\s*")


def loops(ws: list[Word], text: str) -> list[tuple[int, int, int]]:
    """Return (first word index, words per copy, copies) for each phrase of 2-8 words repeated back to back."""
    low = [w.text.lower() for w in ws]
    out = []
    i = 0
    while i < len(ws):
        n, copies = _loop_at(text, ws, low, i) or (1, 1)
        if copies > 1:
            out.append((i, n, copies))
        i += n * copies if copies > 1 else 1
    return out


def _loop_at(text: str, ws: list[Word], low: list[str], i: int) -> tuple[int, int] | None:
    """Return (words per copy, copies) of the shortest unit repeated from word i, or None (none, or deliberate)."""
    for n in range(MIN_WORDS, MAX_WORDS + 1):
        if i + 2 * n > len(ws):
            return None
        unit = low[i : i + n]
        if any(n % p == 0 and unit == unit[:p] * (n // p) for p in range(1, n)):
            continue  # "goddess goddess" as a unit: one word said over and over is G105's
        inner = [_gap(text, ws, i + k) for k in range(n - 1)]
        copies = 1
        while (
            i + (copies + 1) * n <= len(ws)
            and low[i + copies * n : i + (copies + 1) * n] == unit
            and [_gap(text, ws, i + copies * n + k) for k in range(n - 1)] == inner
            and BETWEEN_COPIES.fullmatch(_gap(text, ws, i + copies * n - 1))
        ):
            copies += 1
        if copies > 1:
            if all(w in FUNCTION for w in unit) or _deliberate(unit) or _quoted(text, ws[i].start):
                return None
            return n, copies
    return None


def _gap(text: str, ws: list[Word], k: int) -> str:
    """The text between word k and word k + 1."""
    return text[ws[k].end : ws[k + 1].start]


def _deliberate(unit: list[str]) -> bool:
    """A word joined to itself ("more and", "by day"): English repeats these on purpose."""
    return len(unit) == 2 and (unit[0] in JOINERS or unit[1] in JOINERS)


def _quoted(text: str, at: int) -> bool:
    """True if `at` lies inside a quotation."""
    return any(m.start() < at < m.end() for m in QUOTATION.finditer(text))


class RepeatedPhraseDetector:
    """Flag a phrase repeated back to back with G108; the suggestion deletes every copy after the first."""

    name = "loop"
    needs_lm = False
    needs_tags = True  # the clause guard reads the part-of-speech tags

    def _findings(self, ctx: Context) -> list[tuple[Sentence, Span, Edit, int]]:
        out = []
        for k, sentence in enumerate(ctx.sentences):
            base = sentence.span.start
            ws = words(sentence.text)
            tokens = ctx.tags[k] if k < len(ctx.tags) else []
            for i, n, copies in loops(ws, sentence.text):
                first_end, last_end = ws[i + n - 1].end, ws[i + n * copies - 1].end
                if copies == 2 and "," in _gap(sentence.text, ws, i + n - 1) and _verb_at(tokens, last_end):
                    continue
                span = Span(base + ws[i].start, base + last_end)
                out.append((sentence, span, Edit(Span(base + first_end, base + last_end), ""), copies))
        return out

    def candidate_texts(self, ctx: Context) -> list[str]:
        return [t for sentence, _, edit, _ in self._findings(ctx) for t in candidate_texts(sentence, [(edit,)])]

    def detect(self, ctx: Context) -> list[Issue]:
        issues = []
        for sentence, span, edit, copies in self._findings(ctx):
            # The rule decides; the LM score is recorded, not required (an LM rates its own loops as likely).
            suggestion = best_rewrite(ctx, sentence, [(edit,)], origin="G108", measure="slor", min_gain=float("-inf"))
            text = ctx.document.text
            issues.append(
                make_issue(
                    "G108",
                    span=span,
                    sentence_index=sentence.index,
                    fields={"words": text[span.start : edit.span.start], "copies": copies},
                    confidence=0.9,
                    suggestions=(suggestion,) if suggestion else (),
                )
            )
        return issues


def _verb_at(tokens: list[Token], offset: int) -> bool:
    """True if the first token at or after `offset` (in the sentence) is a verb or modal."""
    following = next((t for t in tokens if t.start >= offset), None)
    return following is not None and (following.tag.startswith("VB") or following.tag == "MD")
