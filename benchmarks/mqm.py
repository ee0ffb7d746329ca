"""MQM error spans (zh->en): how well mtqa's issue spans match professional annotators' error spans.

Data: `shared/data/mqm_en`, by default `wmt22qe_test_zhen_spans.tsv` (WMT22 QE zh-en test, one MT
system, 505 rows); any file of that folder with `mt`, `start_ids`, `end_ids` and `severities`
columns works (`gold_mt`, where non-empty, is the text the spans refer to). Each distinct MT is
checked once with the full pipeline (LM on) as one paragraph; issue spans are offsets into it.

Measured, following the WMT23 QE task 2 definition (qe-eval-scripts `wmt23/task2_evaluate.py`):
- character-level precision / recall / F1, micro-averaged over the corpus: gold = characters inside
  spans of severity major or minor; predicted = characters inside any mtqa issue. Plain: a
  character counts as matched if both mark it. Severity-aware (the official metric): half credit
  when the severities differ (mtqa critical/major <-> gold major, mtqa minor <-> gold minor; a
  character gold-marked both major and minor matches either). Zero-width (omission) spans cannot
  be predicted without the source: they are counted and left out of the gold characters (the
  official scorer marks the character at their position; `official_omissions` gives that variant).
- the floor "flag every sentence whole" (every MT character predicted major), beside it;
- per rule, precision: the share of the characters its issues cover that lie inside gold spans;
- sentence level: Spearman between mtqa's sentence `score` (SLOR; word-weighted over the sentences
  of an MT) and the gold sentence score (`mqm_z`, the official target, and `mqm_score`: higher is
  better; `mqm_penalty`: lower is better, so negated; where a file has none, minus the span
  penalty major 5 / minor 1), and between minus the count of major-or-worse issues and the same.
  Positive = agreement.
Intervals are 95 % percentile bootstraps over sentences (1000 resamples, seed 7); `--limit N`
takes a seeded sample of N rows (seed 13). The `nl` profile is used (no zh profile exists). The
LM runs on one torch thread unless MTQA_THREADS is set (see benchmarks/demetr.py).

    python -m benchmarks.mqm [FILE] [--limit N] [--lang-profile nl] [--json benchmarks/results/mqm.json]
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, RESULTS, machine, read_tsv, write_json
from benchmarks.demetr import BOOTSTRAP_SEED, SAMPLE_SEED, Checked, bootstrap_ci, check_texts, one_thread
from mtqa.core import Severity
from mtqa.pipeline import Settings

DEFAULT_FILE = DATA / "mqm_en" / "wmt22qe_test_zhen_spans.tsv"
SEVERITY_CREDIT = 0.5  # WMT23 task 2: half credit for a matched character of the other severity
GOLD_TARGETS = {"mqm_z": 1, "mqm_score": 1, "mqm_penalty": -1}  # column -> sign that makes higher better


@dataclass(frozen=True, slots=True)
class Marks:
    """Characters of one text marked as major and as minor errors."""

    major: frozenset[int] = frozenset()
    minor: frozenset[int] = frozenset()

    @property
    def any(self) -> frozenset[int]:
        return self.major | self.minor


def marks(spans: Iterable[tuple[int, int, str]], length: int, *, omissions: bool = False) -> Marks:
    """Mark the characters of `length`-long text covered by (start, end, severity) spans.

    Severities critical and major mark major, minor marks minor, anything else (no-error) nothing;
    ends past the text are clipped. A zero-width span marks nothing, or with `omissions` the
    character at its position (the official scorer's convention, position `length` included).
    """
    major: set[int] = set()
    minor: set[int] = set()
    for start, end, severity in spans:
        label = severity.strip().lower()
        target = major if label in {"critical", "major"} else minor if label == "minor" else None
        if target is None or start < 0:
            continue
        end = min(end, length)
        if start == end and omissions and start <= length:
            target.add(start)
        target.update(range(start, end))
    return Marks(frozenset(major), frozenset(minor))


@dataclass(frozen=True, slots=True)
class SpanCounts:
    """Character counts of one sentence (or a corpus): matched, predicted and gold."""

    matched: float  # characters marked by both
    matched_severity: float  # the same with half credit for a severity mismatch
    predicted: int
    gold: int

    def __add__(self, other: SpanCounts) -> SpanCounts:
        return SpanCounts(
            self.matched + other.matched,
            self.matched_severity + other.matched_severity,
            self.predicted + other.predicted,
            self.gold + other.gold,
        )


def span_counts(gold: Marks, predicted: Marks) -> SpanCounts:
    """Count matched characters, plain and severity-aware (WMT23 task 2 credit rules)."""
    gold_any, pred_any = gold.any, predicted.any
    both = gold_any & pred_any
    credit = 0.0
    for ch in both:
        g_major, g_minor = ch in gold.major, ch in gold.minor
        if (g_major and g_minor) or (g_major and ch in predicted.major) or (g_minor and ch in predicted.minor):
            credit += 1.0
        else:
            credit += SEVERITY_CREDIT
    return SpanCounts(float(len(both)), credit, len(pred_any), len(gold_any))


def prf(counts: Iterable[SpanCounts], *, severity: bool = False) -> tuple[float, float, float]:
    """Micro-averaged precision, recall and F1 over sentences (0.0 where undefined)."""
    total = sum(counts, SpanCounts(0.0, 0.0, 0, 0))
    tp = total.matched_severity if severity else total.matched
    p = tp / total.predicted if total.predicted else 0.0
    r = tp / total.gold if total.gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ranks(values: Sequence[float]) -> list[float]:
    """1-based ranks with ties given their average rank."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            out[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return out


def spearman(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Spearman's rho (Pearson of average ranks); None if either side is constant or too short."""
    if len(x) != len(y) or len(x) < 2:
        return None
    rx, ry = ranks(x), ranks(y)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry))
    vx, vy = sum((a - mx) ** 2 for a in rx), sum((b - my) ** 2 for b in ry)
    return cov / math.sqrt(vx * vy) if vx and vy else None


def predicted_marks(checked: Checked, length: int) -> Marks:
    """Characters of mtqa's issues: critical/major issues mark major, minor ones minor."""
    return marks(((i.span.start, i.span.end, i.severity.label) for i in checked.issues), length)


def gold_spans(row: dict[str, str]) -> list[tuple[int, int, str]]:
    """The (start, end, severity) spans of one row (`-1 -1 no-error` means none)."""
    starts, ends, sevs = row["start_ids"].split(), row["end_ids"].split(), row["severities"].split()
    return [(int(s), int(e), v) for s, e, v in zip(starts, ends, sevs) if int(s) >= 0 and int(e) >= 0]


def span_penalty(spans: Iterable[tuple[int, int, str]]) -> float:
    """Minus the Google MQM weight of the spans (major 5, minor 1): higher is better."""
    weights = {"major": 5.0, "critical": 5.0, "minor": 1.0}
    return -sum(weights.get(v.lower(), 0.0) for _, _, v in spans)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file", nargs="?", default=str(DEFAULT_FILE), help="span TSV (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=0, help="seeded sample of N rows (default: all)")
    ap.add_argument("--lang-profile", default="nl", help="mtqa source-language profile (default: %(default)s)")
    ap.add_argument("--json", default=str(RESULTS / "mqm.json"), help="metrics file (default: %(default)s)")
    args = ap.parse_args(argv)
    err = Console(stderr=True)
    rows = read_tsv(Path(args.file))
    if args.limit and args.limit < len(rows):
        keep = set(random.Random(SAMPLE_SEED).sample(range(len(rows)), args.limit))
        rows = [r for i, r in enumerate(rows) if i in keep]
    texts = [r.get("gold_mt") or r["mt"] for r in rows]
    threads = one_thread()
    settings = Settings(source_lang=args.lang_profile)
    started = time.perf_counter()
    err.print(f"{len(rows)} rows, {len(set(texts))} distinct MT; checking with the full pipeline ...")
    checked, sig = check_texts(
        texts, settings, progress=lambda d, t: err.print(f"checked {d}/{t} in {time.perf_counter() - started:.0f} s")
    )
    seconds = time.perf_counter() - started

    ours: list[SpanCounts] = []
    floor: list[SpanCounts] = []
    official: list[SpanCounts] = []
    rule_chars: Counter[str] = Counter()
    rule_inside: Counter[str] = Counter()
    rule_issues: Counter[str] = Counter()
    omitted = clipped = 0
    sentence_flags: dict[str, list[int]] = {"gold_error": [], "gold_clean": []}
    for row, text, found in zip(rows, texts, checked):
        spans = gold_spans(row)
        omitted += sum(1 for s, e, v in spans if s == e and v in {"major", "minor"})
        clipped += sum(1 for _, e, _ in spans if e > len(text))
        gold = marks(spans, len(text))
        pred = predicted_marks(found, len(text))
        ours.append(span_counts(gold, pred))
        floor.append(span_counts(gold, Marks(major=frozenset(range(len(text))))))
        official.append(span_counts(marks(spans, len(text), omissions=True), pred))
        sentence_flags["gold_error" if gold.any else "gold_clean"].append(int(found.flagged()))
        by_rule: dict[str, set[int]] = {}
        for issue in found.issues:
            by_rule.setdefault(issue.code, set()).update(range(issue.span.start, min(issue.span.end, len(text))))
            rule_issues[issue.code] += 1
        for code, chars in by_rule.items():
            rule_chars[code] += len(chars)
            rule_inside[code] += len(chars & gold.any)

    def f1_ci(counts: list[SpanCounts], severity: bool) -> list[float]:
        low, high = bootstrap_ci(counts, lambda c: prf(c, severity=severity)[2])
        return [round(low, 4), round(high, 4)]

    def block(counts: list[SpanCounts]) -> dict[str, object]:
        out: dict[str, object] = {}
        for name, severity in (("plain", False), ("severity", True)):
            p, r, f = prf(counts, severity=severity)
            out[name] = {
                "precision": round(p, 4),
                "recall": round(r, 4),
                "f1": round(f, 4),
                "f1_ci95": f1_ci(counts, severity),
            }
        total = sum(counts, SpanCounts(0.0, 0.0, 0, 0))
        out["predicted_chars"], out["gold_chars"] = total.predicted, total.gold
        return out

    targets: dict[str, list[float]] = {}
    for column, sign in GOLD_TARGETS.items():
        if rows and column in rows[0] and all(r[column].strip() for r in rows):
            targets[column] = [sign * float(r[column]) for r in rows]
    if not targets:
        targets["minus_span_penalty"] = [span_penalty(gold_spans(r)) for r in rows]
    correlations: dict[str, dict[str, object]] = {}
    for column, gold_values in targets.items():
        pairs = [(c.score, g) for c, g in zip(checked, gold_values) if c.score is not None]
        minus_major = [-sum(1 for i in c.issues if i.severity >= Severity.MAJOR) for c in checked]
        rho_score = spearman([a for a, _ in pairs], [b for _, b in pairs])
        rho_major = spearman(minus_major, gold_values)
        correlations[column] = {
            "n": len(pairs),
            "score": None if rho_score is None else round(rho_score, 4),
            "minus_major_count": None if rho_major is None else round(rho_major, 4),
        }
    per_rule = {
        code: {
            "issues": rule_issues[code],
            "chars": rule_chars[code],
            "chars_in_gold": rule_inside[code],
            "precision": round(rule_inside[code] / rule_chars[code], 4) if rule_chars[code] else None,
        }
        for code, _ in rule_issues.most_common()
    }
    flags = {
        k: {"n": len(v), "flagged_major": sum(v), "rate": round(sum(v) / len(v), 4) if v else None}
        for k, v in sentence_flags.items()
    }
    payload = {
        "benchmark": "mqm",
        "file": Path(args.file).name,
        "machine": machine(),
        "signature": sig,
        "lang_profile": args.lang_profile,
        "rows": len(rows),
        "limit": args.limit or None,
        "sample_seed": SAMPLE_SEED if args.limit else None,
        "bootstrap": {"seed": BOOTSTRAP_SEED, "resamples": 1000, "level": 0.95, "unit": "sentence"},
        "distinct_texts": len(set(texts)),
        "seconds": round(seconds, 1),
        "threads": threads,
        "gold": {
            "sentences_with_errors": len(sentence_flags["gold_error"]),
            "zero_width_spans_excluded": omitted,
            "spans_clipped_to_text": clipped,
        },
        "spans": block(ours),
        "floor_whole_sentence": block(floor),
        "official_omissions": block(official),
        "per_rule": per_rule,
        "sentence_flags": flags,
        "spearman": correlations,
        "peers": "WMT23 zh-en error-span F1: CometKiwi .288, baseline .219, whole-sentence floor .099 (PEERS.md)",
    }

    console = Console(width=140)
    table = Table(title=f"MQM error spans, {Path(args.file).name} ({len(rows)} rows, profile {args.lang_profile})")
    for col in ("prediction", "credit", "precision", "recall", "F1 [95 % CI]"):
        table.add_column(col)
    for name, data in (
        ("mtqa issues", payload["spans"]),
        ("flag every sentence whole", payload["floor_whole_sentence"]),
    ):
        for credit in ("plain", "severity"):
            d = data[credit]  # type: ignore[index]
            table.add_row(
                name,
                credit,
                f"{d['precision']:.3f}",
                f"{d['recall']:.3f}",
                f"{d['f1']:.3f} [{d['f1_ci95'][0]:.3f}, {d['f1_ci95'][1]:.3f}]",
            )
    console.print(table)
    rules = Table(title="Per rule: share of its characters inside gold spans")
    for col in ("rule", "issues", "chars", "in gold", "precision"):
        rules.add_column(col, justify="right")
    for code, d in per_rule.items():
        rules.add_row(code, str(d["issues"]), str(d["chars"]), str(d["chars_in_gold"]), f"{d['precision'] or 0:.3f}")
    console.print(rules)
    corr = Table(title="Sentence level: Spearman with the gold score (positive = agreement)")
    for col in ("gold", "n", "rho(SLOR score)", "rho(-#major issues)"):
        corr.add_column(col)
    for column, d in correlations.items():
        corr.add_row(column, str(d["n"]), str(d["score"]), str(d["minus_major_count"]))
    console.print(corr)
    err_flags, clean_flags = flags["gold_error"], flags["gold_clean"]
    console.print(
        f"sentences flagged major+: {err_flags['flagged_major']}/{err_flags['n']} with gold errors, "
        f"{clean_flags['flagged_major']}/{clean_flags['n']} without; zero-width gold spans excluded: {omitted}"
    )
    console.print(f"{sig}  ({len(set(texts))} distinct MT in {seconds:.0f} s)")
    write_json(args.json, payload)
    return 0


if __name__ == "__main__":
    sys.exit(main())
