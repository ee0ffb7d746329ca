"""G101: stacked or doubled function words ("of the by the", "the the").

Two patterns that English grammar rules out almost everywhere: an article directly followed by
a preposition, conjunction, auxiliary or another article; and the same function word twice in
a row. Both usually mean the translation kept one structure from the source sentence and
started another. Hyphenated words (the by-election, the in-laws) are single words here, and
grammatical doubles (had had, that that) are allowed. The suggestion deletes one of the stacked
phrases; the language model picks which (see mtqa.rewrite).
"""

from __future__ import annotations

from mtqa.core import Edit, Issue, Sentence, Span
from mtqa.detect.base import Context
from mtqa.rewrite.verify import best_rewrite, candidate_texts
from mtqa.rules import make_issue
from mtqa.text import Word, words, zipf

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
RARE_NAME_ZIPF = 3.6  # Roa 2.7, Bora 3.1, Kuala 3.5 vs Martin 4.7, Paris 4.8 (wordfreq en)
WILL_NOUN_NEXT = frozenset({"to", "of", "under", "that", "and", "is", "was", "in", "for"})
DOUBLE_OK = frozenset({"had", "that", "is", "do", "can"})
# Words English repeats on purpose ("very very", "bye bye", "knock knock").
REDUPLICATION = frozenset("very bye no so ha blah knock never ever yeah tut chop hush hey".split())
FUNCTION = (
    ARTICLES
    | PREPOSITIONS
    | frozenset(["and", "or", "but", "is", "are", "was", "were", "has", "have", "will", "would"])
)


class RepetitionDetector:
    """Flag stacked function words with G101."""

    name = "repetition"
    needs_lm = False

    def _findings(self, ctx: Context) -> list[tuple[Sentence, Span, list[tuple[Edit, ...]], str]]:
        """Return (sentence, flagged span, deletion candidates) for every stacked or doubled pair."""
        out = []
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
                    out.append(_finding(sentence, ws, i, i, i + 1))
                    i += 2
                    continue
                if a == b and a not in FUNCTION | DOUBLE_OK | REDUPLICATION and len(a) > 1:
                    end = i + 1
                    while (
                        end + 1 < len(ws)
                        and low[end + 1] == a
                        and not _gap_has_punct(sentence.text, ws[end], ws[end + 1])
                    ):
                        end += 1
                    # "the Roa Roa Hotel", "Bora Bora": a rare capitalised word said twice is a name;
                    # "Martin Martin" (common word) and "Kolonko Kolonko Kolonko" (three times) are not.
                    name = end == i + 1 and i > 0 and ws[i].text[:1].isupper() and zipf(a, "en") < RARE_NAME_ZIPF
                    if not name:
                        out.append(_finding(sentence, ws, i, end - 1, end, code="G105"))
                    i = end + 1
                    continue
                is_article = a in ARTICLES and (
                    i == 0 or ws[i].text.islower()
                )  # a capital 'A' mid-sentence is a letter
                will_noun = b == "will" and (i + 2 >= len(ws) or low[i + 2] in WILL_NOUN_NEXT)
                if is_article and b in AFTER_ARTICLE and ws[i + 1].text.islower() and not will_noun:
                    # not 'an A', 'the A 45', nor the noun in 'the will to live', 'the will of the people'
                    # "of the by the": take in the preposition before and the article after the stacked pair.
                    stacked = b in PREPOSITIONS
                    first = i - 1 if stacked and i > 0 and low[i - 1] in PREPOSITIONS else i
                    last = i + 2 if stacked and i + 2 < len(ws) and low[i + 2] in ARTICLES else i + 1
                    out.append(_finding(sentence, ws, first, i, last))
                    i = last + 1
                    continue
                i += 1
        return out

    def candidate_texts(self, ctx: Context) -> list[str]:
        return [t for sentence, _, cands, _ in self._findings(ctx) for t in candidate_texts(sentence, cands)]

    def detect(self, ctx: Context) -> list[Issue]:
        issues = []
        for sentence, span, cands, code in self._findings(ctx):
            # The rule decides; the LM only picks which copy to delete (per-word SLOR compares equal-length
            # candidates fairly, while lift would punish deleting a frequent word).
            suggestion = best_rewrite(ctx, sentence, cands, origin=code, measure="slor", min_gain=float("-inf"))
            issues.append(
                make_issue(
                    code,
                    span=span,
                    sentence_index=sentence.index,
                    fields={"words": sentence.text[span.start - sentence.span.start : span.end - sentence.span.start]},
                    confidence=0.9,
                    suggestions=(suggestion,) if suggestion else (),
                )
            )
        return issues


def _finding(sentence: Sentence, ws: list[Word], first: int, mid: int, last: int, code: str = "G101"):  # type: ignore[no-untyped-def]
    """Flag words first..last; candidates delete first..mid (with the following space) or mid+1..last."""
    base = sentence.span.start
    span = Span(base + ws[first].start, base + ws[last].end)
    left = Edit(Span(base + ws[first].start, base + ws[mid + 1].start), "")
    right = Edit(Span(base + ws[mid].end, base + ws[last].end), "")
    if code == "G105":
        return sentence, span, [(right,)], code  # keep the first copy: it carries a sentence's capital ("Hey hey")
    if mid == first and ws[first].text.lower() == ws[last].text.lower():
        return sentence, span, [(left,)], code
    cands = [(left,), (right,)]
    if first == mid and last == mid + 1 and ws[last].text.lower() in PREPOSITIONS:
        # "one the of demonstrators": two words swapped, not one left over; offer "of the" too
        a, b = ws[first].text, ws[last].text
        swapped = (b[:1].upper() + b[1:], a.lower()) if a[:1].isupper() else (b, a)
        cands.append((Edit(Span(base + ws[first].start, base + ws[last].end), " ".join(swapped)),))
    return sentence, span, cands, code


def _gap_has_punct(text: str, a: Word, b: Word) -> bool:
    return any(not ch.isspace() for ch in text[a.end : b.start])
