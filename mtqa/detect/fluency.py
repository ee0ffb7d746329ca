"""L101/L102: language-model fluency of each sentence and word.

L101 compares a sentence's SLOR with clean English news sentences of its length: SLOR rises with
length (clean 4-7 word lines average about -2, 25-word sentences about +1.5), so one cut-off for all
flagged headlines and short quotes while it missed damage in long sentences. The sentence's SLOR is
standardised by the mean and spread clean news has at that length (`standard`), and that score is
compared with its own clean distribution (`mtqa/rules/thresholds.toml`, measured by
`benchmarks/thresholds.py`): major below the 1st percentile, minor below the 10th. L102 marks the
lower-case words with the highest summed token surprisal; it is only a hint (minor), as word
surprisal agrees weakly with human word tags (MCC ~0.18, shared/research/feasibility.md §6).
"""

from __future__ import annotations

import bisect
import functools
import math
import tomllib
from collections.abc import Mapping
from pathlib import Path

from mtqa.core import Issue, Severity, Span
from mtqa.detect.base import Context
from mtqa.rules import make_issue
from mtqa.score.metrics import word_surprisals
from mtqa.text import words

THRESHOLDS_FILE = Path(__file__).resolve().parent.parent / "rules" / "thresholds.toml"
MIN_WORDS = 4  # SLOR of 1-3 word lines is noise
MAX_PEAKS = 2


@functools.cache
def thresholds() -> dict:
    """Load the measured thresholds."""
    return tomllib.loads(THRESHOLDS_FILE.read_text(encoding="utf-8"))


def standard(slor: float, n_words: int, length: Mapping[str, float] | None = None) -> float:
    """SLOR in spreads from the mean of clean news sentences of `n_words` words (lengths capped at `cap`).

    Expected SLOR a + b ln n and spread c + d / sqrt n, fitted on clean news by benchmarks/thresholds.py;
    above `cap` words (its 90th percentile of lengths) there are too few sentences to follow the trend."""
    p = length or thresholds()["slor_length"]
    n = max(1.0, min(float(n_words), float(p["cap"])))
    return (slor - (p["a"] + p["b"] * math.log(n))) / (p["c"] + p["d"] / math.sqrt(n))


def percentile(z: float) -> float:
    """Share (0..100) of clean news sentences whose length-adjusted SLOR is below `z`, from quantiles."""
    table = thresholds()["slor_z_quantiles"]
    qs = sorted((float(v), float(k)) for k, v in table.items())
    values = [v for v, _ in qs]
    i = bisect.bisect_left(values, z)
    if i == 0:
        return qs[0][1] * max(0.0, 1 - (qs[0][0] - z)) if z < qs[0][0] else qs[0][1]
    if i >= len(qs):
        return 100.0
    (v0, p0), (v1, p1) = qs[i - 1], qs[i]
    return p0 + (p1 - p0) * (z - v0) / max(1e-9, v1 - v0)


class FluencyDetector:
    """Flag low-fluency sentences (L101) and surprisal peaks (L102)."""

    name = "fluency"
    needs_lm = True

    def detect(self, ctx: Context) -> list[Issue]:
        t = {**thresholds(), **ctx.thresholds}
        issues: list[Issue] = []
        for sentence, flu, scores in zip(ctx.sentences, ctx.fluency, ctx.token_scores):
            z = standard(flu.slor, flu.n_words)
            if flu.n_words >= MIN_WORDS and z < t["slor_z_minor"]:
                severity = Severity.MAJOR if z < t["slor_z_major"] else Severity.MINOR
                pct = percentile(z)
                issues.append(
                    make_issue(
                        "L101",
                        span=sentence.span,
                        sentence_index=sentence.index,
                        fields={"score": flu.slor, "percentile": f"{pct:.1f} %" if pct >= 0.1 else "under 0.1 %"},
                        severity=severity,
                        confidence=min(1.0, 0.5 + (t["slor_z_minor"] - z) / 4),
                        evidence={
                            "slor": flu.slor,
                            "slor_z": round(z, 4),
                            "mean_logprob": flu.mean_logprob,
                            "clean_percentile": pct,
                        },
                    )
                )
            peaks = [
                (surprisal, word)
                for word, surprisal in word_surprisals(scores)
                if surprisal >= t["word_surprisal_peak"] and word.text.islower() and len(word.text) > 2
            ]
            first = words(sentence.text)[:1]
            for surprisal, word in sorted(peaks, key=lambda p: -p[0])[:MAX_PEAKS]:
                if first and word.start == first[0].start:
                    continue  # the first word has only the start-of-text context
                issues.append(
                    make_issue(
                        "L102",
                        span=Span(sentence.span.start + word.start, sentence.span.start + word.end),
                        sentence_index=sentence.index,
                        fields={"word": word.text, "surprisal": surprisal},
                        confidence=0.3,
                        evidence={"surprisal": surprisal},
                    )
                )
        return issues
