"""B101: web-page chrome scraped along with the article ("Follow us", "Most popular").

A paragraph is chrome when it is short and matches one of the patterns in
`mtqa/rules/boilerplate_patterns.txt` (data, one regular expression per line, tuned on the
article-extraction dev pages); every sentence of that paragraph is flagged, since the whole block
has to go. Long paragraphs are article text even when they mention following or subscribing; only
the unmistakable wording of cookie, copyright and consent notices (label `notice`) is flagged at any
length up to NOTICE_MAX_WORDS.
"""

from __future__ import annotations

import functools
import re
from itertools import groupby
from pathlib import Path

from mtqa.core import Edit, Issue, Suggestion
from mtqa.detect.base import Context
from mtqa.rules import make_issue
from mtqa.text import words

MAX_WORDS = 25  # chrome blocks are short; body paragraphs that mention "follow" are not flagged
NOTICE_MAX_WORDS = 120  # cookie/copyright/consent notices run long, but their wording is unmistakable
NOTICE_LABELS = frozenset({"notice"})  # pattern labels allowed up to NOTICE_MAX_WORDS
_GLUED = re.compile(r"(?<=[a-z.!?])(?=[A-Z][a-z])")  # "Log inRegister" -> "Log in Register"
PATTERNS_FILE = Path(__file__).resolve().parent.parent / "rules" / "boilerplate_patterns.txt"


@functools.cache
def patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Load (label, compiled regex) pairs from the pattern file."""
    out = []
    for line in PATTERNS_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, regex = line.partition("\t")
        out.append((label.strip(), re.compile(regex.strip(), re.I)))
    return tuple(out)


def match_chrome(block: str) -> str | None:
    """Return the label of the first chrome pattern a short block matches, or None.

    Blocks of more than MAX_WORDS words are article text unless a `notice` pattern matches and the
    block has at most NOTICE_MAX_WORDS words. Links glued together without a space are also tried apart.
    """
    n_words = len(words(block))
    if n_words > NOTICE_MAX_WORDS:
        return None
    flat = " ".join(block.split())
    # Scraped menus often lose the space between links ("Log inRegister", "Edit ProfileSign Out").
    spaced = _GLUED.sub(" ", flat)
    texts = (flat,) if spaced == flat else (flat, spaced)
    for label, regex in patterns():
        if n_words > MAX_WORDS and label not in NOTICE_LABELS:
            continue
        if any(regex.search(t) for t in texts):
            return label
    return None


class BoilerplateDetector:
    """Flag short web-chrome paragraphs with B101."""

    name = "boilerplate"
    needs_lm = False

    def detect(self, ctx: Context) -> list[Issue]:
        issues: list[Issue] = []
        for _, group in groupby(ctx.sentences, key=lambda s: s.paragraph):
            block = list(group)
            text = ctx.document.text[block[0].span.start : block[-1].span.end]
            label = match_chrome(text)
            if label is None:
                continue
            for sentence in block:
                delete = Suggestion(
                    edits=(Edit(sentence.span, ""),),
                    title="Delete the line",
                    origin="B101",
                    applicability="safe",
                    text="",
                )
                issues.append(
                    make_issue(
                        "B101",
                        span=sentence.span,
                        sentence_index=sentence.index,
                        fields={
                            "line": sentence.text if len(sentence.text) < 60 else sentence.text[:57] + "...",
                            "pattern": label,
                        },
                        confidence=0.9,
                        suggestions=(delete,),
                    )
                )
        return issues
