"""Run mtqa's rewrite (what `mtqa fix` applies) on many independent sentences, for the rewrite benchmarks.

Sentences are checked as paragraphs of large documents (one LM batch per chunk), then the edits
`mtqa fix` would apply are mapped back to the sentence they fall in. Nothing here measures; the
`rewrite_*.py` scripts do.
"""

from __future__ import annotations

import bisect
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from benchmarks._common import as_paragraphs
from mtqa.core import Edit, apply_edits
from mtqa.pipeline import Settings, check_document, get_scorer
from mtqa.rewrite.apply import choose

_LINE_BREAKS = str.maketrans({"\n": " ", "\r": " ", "\t": " "})


@dataclass(frozen=True, slots=True)
class Rewritten:
    """One input sentence, mtqa's rewrite of it, and the rule codes whose suggestions were applied
    ("generate" for a rewrite the model wrote, `--generate`)."""

    source: str
    text: str
    codes: tuple[str, ...]
    flagged: bool  # any issue at all on the sentence

    @property
    def changed(self) -> bool:
        return self.text != self.source


def rewrite_texts(
    texts: Sequence[str],
    settings: Settings,
    *,
    min_confidence: float = 0.0,
    chunk: int = 250,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Rewritten], str]:
    """Return the rewrite of each text (as `mtqa fix` would write it) and the report signature."""
    from benchmarks.demetr import MemoScorer

    distinct = list(dict.fromkeys(t.translate(_LINE_BREAKS).strip() for t in texts))
    scorer = MemoScorer(get_scorer(settings)) if settings.use_lm else None
    found: dict[str, Rewritten] = {}
    sig = ""
    for first in range(0, len(distinct), chunk):
        part = distinct[first : first + chunk]
        doc, starts = as_paragraphs(part)
        report = check_document(doc, settings, scorer=scorer)
        sig = report.signature
        chosen, _ = choose(report, min_confidence=min_confidence)
        edits: list[list[Edit]] = [[] for _ in part]
        codes: list[list[str]] = [[] for _ in part]
        for issue, suggestion in chosen:
            k = bisect.bisect_right(starts, issue.span.start) - 1
            edits[k].extend(suggestion.edits)
            codes[k].append("generate" if suggestion.origin == "generate" else issue.code)
        flagged = [False] * len(part)
        for sentence in report.sentences:
            if sentence.issues:
                flagged[bisect.bisect_right(starts, sentence.span.start) - 1] = True
        for k, text in enumerate(part):
            new = apply_edits(text, sorted(edits[k], key=lambda e: e.span), starts[k])
            found[text] = Rewritten(" ".join(text.split()), " ".join(new.split()), tuple(sorted(codes[k])), flagged[k])
        if progress:
            progress(min(first + chunk, len(distinct)), len(distinct))
    return [found[t.translate(_LINE_BREAKS).strip()] for t in texts], sig


def stderr_progress(label: str) -> Callable[[int, int], None]:
    """Return a progress callback that prints done/total and the rate to stderr."""
    import sys

    t0 = time.perf_counter()

    def report(done: int, total: int) -> None:
        rate = done / max(time.perf_counter() - t0, 1e-9)
        sys.stderr.write(f"{label}: {done}/{total} ({rate:.1f}/s)\n")

    return report
