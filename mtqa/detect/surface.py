"""P101-P103: typographic slips a copy editor fixes on sight: tokenised punctuation, a lowercase
sentence start, a long sentence that stops without its final punctuation.

MT pipelines that detokenise badly leave "the coalition , the army" and "Kolonko 's"; text that went
through a lowercasing step starts "now Kolonko announced"; truncation drops the final full stop.
Each pattern is measured on clean human English (NTREX, WMT21 reference B, DEMETR references; the
`minor_by_rule` counts of benchmarks/clean_false_flags.py): P101 and P102 match none of 2,005 sentences,
P103 six (long NTREX headlines, which a check sees as one-line paragraphs). All are `minor`: the fix is
mechanical and offered as a safe edit (P103's only as a display-only hint: the sentence may be cut off),
never verified by the LM (it does not change a word).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from mtqa.core import Edit, Issue, Sentence, Span, Suggestion
from mtqa.detect.base import Context
from mtqa.rules import make_issue
from mtqa.text import words

# A space before closing punctuation or a clitic, or inside brackets: "word ,", "word .", "he 's", "( word".
_SPACED = re.compile(
    r"(?<=\w)( )(?:[,;:?!)]|\.(?!\.))(?=\s|$)"  # "coalition , the army", "Kolonko ."
    r"|(?<=\w)( )(?:['’](?:s|re|ll|ve|d|m)|n['’]t)\b"  # "Kolonko 's", "do n't"
    r"|\(( )(?=\w)"  # "( in 2019)"
)
URL_SCHEMES = frozenset({"http", "https", "ftp", "mailto"})
_FIRST_WORD = re.compile(r"[\"'“‘(\[]*([^\W\d_][\w'’.-]*)")
# Name particles that stay lowercase at a sentence start ("de Havilland was known for ...").
PARTICLES = frozenset("de da di del della van von der den ten ter le la du al el bin ibn dos das".split())
MIN_WORDS_LOWER_START = 4
MIN_WORDS_NO_FINAL = 15  # headlines run shorter; at 15 words, 6 of 1,005 NTREX lines (all headlines) match
MAX_CAPITALISED_SHARE = 0.5  # a line whose words are mostly capitalised is a headline in title case
_ENDS_BARE = re.compile(r"[^\W_]%?$")


class SurfaceDetector:
    """Flag tokenised punctuation (P101), lowercase sentence starts (P102), missing final stops (P103)."""

    name = "surface"
    needs_lm = False

    def detect(self, ctx: Context) -> list[Issue]:
        issues: list[Issue] = []
        previous: Sentence | None = None
        for sentence in ctx.sentences:
            issues.extend(_spaced_punctuation(sentence))
            if first := _lower_start(sentence, previous):
                issues.append(_lower_start_issue(sentence, first))
            following = ctx.sentences[sentence.index + 1] if sentence.index + 1 < len(ctx.sentences) else None
            if _no_final_stop(sentence, following):
                issues.append(_no_final_stop_issue(sentence))
            previous = sentence
        return issues


def _spaced_punctuation(sentence: Sentence) -> Iterator[Issue]:
    base = sentence.span.start
    for m in _SPACED.finditer(sentence.text):
        group = next(g for g in (1, 2, 3) if m.group(g) is not None)
        space = Span(base + m.start(group), base + m.end(group))
        mark = m.group(0).strip()
        fix = Suggestion((Edit(space, ""),), "Remove the space", "P101", "safe", text=_apply(sentence, space, ""))
        yield make_issue(
            "P101",
            span=Span(base + m.start(), base + m.end()),
            sentence_index=sentence.index,
            fields={"mark": mark},
            suggestions=(fix,),
        )


def _lower_start(sentence: Sentence, previous: Sentence | None) -> re.Match[str] | None:
    """The first word of a prose sentence of a few words when it is lowercase (not a name particle,
    not 'iPhone'), else None."""
    if sentence.kind != "prose" or len(words(sentence.text)) < MIN_WORDS_LOWER_START:
        return None
    after_ellipsis = previous is not None and previous.text.rstrip().endswith(("…", "..."))
    if after_ellipsis and previous.paragraph == sentence.paragraph:  # type: ignore[union-attr]
        return None  # "He paused ... and went on": the segmenter split at an ellipsis
    m = _FIRST_WORD.match(sentence.text)
    if m is None:
        return None
    word = m.group(1)
    if not word[0].islower() or any(c.isupper() or c == "." for c in word[1:]):
        return None  # capitalised, camel-case brand (iPhone, eBay) or a domain name
    if sentence.text[m.end(1) : m.end(1) + 1] == ":" and word.lower() in URL_SCHEMES:
        return None  # "https: / / clck.ru": a link, whose scheme is written in lower case
    rest = words(sentence.text[m.end() :])
    return None if word in PARTICLES and rest and rest[0].text[:1].isupper() else m


def _lower_start_issue(sentence: Sentence, m: re.Match[str]) -> Issue:
    start = sentence.span.start + m.start(1)
    first = Span(start, start + 1)
    capital = m.group(1)[0].upper()
    fix = Suggestion((Edit(first, capital),), "Capitalise the first letter", "P102", "safe",
                     text=_apply(sentence, first, capital))  # fmt: skip
    return make_issue(
        "P102",
        span=Span(start, start + len(m.group(1))),
        sentence_index=sentence.index,
        fields={"word": m.group(1)},
        suggestions=(fix,),
    )


def _no_final_stop(sentence: Sentence, following: Sentence | None) -> bool:
    """A long prose sentence that ends its paragraph on a bare word, and is not a title-case headline."""
    if sentence.kind != "prose" or (following is not None and following.paragraph == sentence.paragraph):
        return False
    ws = words(sentence.text)
    if len(ws) < MIN_WORDS_NO_FINAL or not _ENDS_BARE.search(sentence.text.rstrip()):
        return False
    return sum(w.text[:1].isupper() for w in ws) / len(ws) < MAX_CAPITALISED_SHARE


def _no_final_stop_issue(sentence: Sentence) -> Issue:
    end = sentence.span.start + len(sentence.text.rstrip())
    last = words(sentence.text)[-1]
    at = Span(end, end)
    # display-only: a missing stop may mean a cut-off sentence, so `mtqa fix` never adds it unasked
    # (on MLQE-PE, post-editors left 15 of 15 such ru-en segments without one: benchmarks/rewrite_mlqe.py)
    fix = Suggestion((Edit(at, "."),), "Add a full stop", "P103", "display-only", text=_apply(sentence, at, "."))
    return make_issue(
        "P103",
        span=Span(sentence.span.start + last.start, end),
        sentence_index=sentence.index,
        fields={"word": last.text},
        suggestions=(fix,),
    )


def _apply(sentence: Sentence, span: Span, replacement: str) -> str:
    start, end = span.start - sentence.span.start, span.end - sentence.span.start
    return sentence.text[:start] + replacement + sentence.text[end:]
