"""Measure the clean-English fluency distribution that L101/L102 thresholds come from.

Clean sentences: NTREX-128 English (dev ids 0-1004) and WMT21 de-en reference A (dev sids 1-500),
both professional human news text. Reference B of the same WMT21 sentences is left out here: the
false-flag benchmark (`clean_false_flags.py`) measures on it.

SLOR rises with sentence length, so L101 does not compare raw SLOR: the script fits the expected SLOR
of clean news as a + b ln n and its spread as c + d / sqrt n (least squares on the absolute residuals,
scaled to a standard deviation), with n capped at the 90th percentile of the lengths, and writes these,
the quantiles of the standardised score (`mtqa.detect.fluency.standard`), the major/minor cut-offs
(its 1st and 10th percentile: MAJOR_PERCENTILE, MINOR_PERCENTILE) and the word-surprisal peak
(99.5th percentile of lower-case words) to `mtqa/rules/thresholds.toml` with `--write`; raw figures,
including the flag rate per length band under a raw cut-off and the length-adjusted one, go to `--json`.

    python -m benchmarks.thresholds [--ntrex PATH] [--wmt21 PATH] [--json PATH] [--write]
"""

from __future__ import annotations

import argparse
import math
import statistics
import time

import numpy as np

from benchmarks._common import NTREX_TSV, RESULTS, WMT21_TSV, machine, ntrex_dev, wmt21_dev, write_json
from mtqa.detect.fluency import MIN_WORDS, standard
from mtqa.score import load_scorer
from mtqa.score.metrics import fluency, word_surprisals

QUANTILES = (0.5, 1, 2, 5, 10, 25, 50)
# Issue 3 allows 3 % of clean human sentences flagged major by all rules together. At the 2nd
# percentile L101 alone spent 2 of those 3 points, by construction, and WMT21 ref-B stood at 3.4 %
# (L101 10 of its 17 flags); at the 1st it stands at 1.8 % while DEMETR dev fluency recall major+
# moves 0.364 -> 0.361 (session 13). Minor stays at the 10th: a hint, not a gate.
MAJOR_PERCENTILE = 1
MINOR_PERCENTILE = 10
OWN_END = "# -- above: written by benchmarks/thresholds.py --write; below: kept as it is --\n"
BANDS = ((4, 7), (8, 11), (12, 17), (18, 24), (25, 34), (35, 10_000))


def fit_length(slors: list[float], lengths: list[int]) -> dict[str, float]:
    """Least-squares fit of clean SLOR's mean (a + b ln n) and spread (c + d / sqrt n), n capped at `cap`."""
    cap = float(np.percentile(lengths, 90))
    n = np.minimum(np.asarray(lengths, dtype=float), cap)
    y = np.asarray(slors)
    (a, b), *_ = np.linalg.lstsq(np.c_[np.ones_like(n), np.log(n)], y, rcond=None)
    spread = np.abs(y - (a + b * np.log(n))) * math.sqrt(math.pi / 2)  # mean |residual| -> standard deviation
    (c, d), *_ = np.linalg.lstsq(np.c_[np.ones_like(n), 1 / np.sqrt(n)], spread, rcond=None)
    return {k: round(float(v), 5) for k, v in {"a": a, "b": b, "c": c, "d": d, "cap": cap}.items()}


def bands(slors: list[float], lengths: list[int], zs: list[float], raw_cut: float, z_cut: float) -> list[dict]:
    """Share of the clean sentences in each length band under the single raw cut-off and under the z cut-off."""
    out = []
    for lo, hi in BANDS:
        idx = [i for i, n in enumerate(lengths) if lo <= n <= hi]
        if idx:
            out.append(
                {
                    "words": f"{lo}-{hi}" if hi < 10_000 else f"{lo}+",
                    "n": len(idx),
                    "raw_cut": round(sum(slors[i] < raw_cut for i in idx) / len(idx), 4),
                    "z_cut": round(sum(zs[i] < z_cut for i in idx) / len(idx), 4),
                }
            )
    return out


def quantile(values: list[float], q: float) -> float:
    """Linear-interpolated q-th percentile (0..100)."""
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ntrex", default=NTREX_TSV)
    ap.add_argument("--wmt21", default=WMT21_TSV)
    ap.add_argument("--json", default=RESULTS / "thresholds.json")
    ap.add_argument("--write", action="store_true", help="rewrite mtqa/rules/thresholds.toml")
    args = ap.parse_args(argv)
    sentences = [r["eng"] for r in ntrex_dev(args.ntrex)]
    sentences += [r["ref_a_en"] for r in wmt21_dev(args.wmt21)]
    scorer = load_scorer()
    started = time.perf_counter()
    scores = scorer.token_logprobs(sentences)
    seconds = time.perf_counter() - started
    flus = [f for f in map(fluency, scores) if f.n_words >= MIN_WORDS]
    slors = [f.slor for f in flus]
    lengths = [f.n_words for f in flus]
    peaks = [x for s in scores for w, x in word_surprisals(s) if w.text.islower() and len(w.text) > 2]
    length = fit_length(slors, lengths)
    zs = [standard(s, n, length) for s, n in zip(slors, lengths, strict=True)]
    z_table = {str(q): round(quantile(zs, q), 4) for q in QUANTILES}
    raw_table = {str(q): round(quantile(slors, q), 4) for q in QUANTILES}
    result = {
        "machine": machine(),
        "model": scorer.name,
        "clean": "NTREX-128 en dev ids 0-1004 + WMT21 de-en ref-A dev sids 1-500",
        "n_sentences": len(flus),
        "seconds": round(seconds, 2),
        "sentences_per_second": round(len(sentences) / seconds, 1),
        "slor_length": length,
        "slor_z_quantiles": z_table,
        "slor_quantiles": raw_table,
        "slor_mean": round(statistics.mean(slors), 4),
        "major_rate_by_length": bands(
            slors, lengths, zs, raw_table[str(MAJOR_PERCENTILE)], z_table[str(MAJOR_PERCENTILE)]
        ),
        "word_surprisal_p99_5": round(quantile(peaks, 99.5), 3),
        "word_surprisal_p99": round(quantile(peaks, 99), 3),
    }
    write_json(args.json, result)
    print(result)
    if args.write:
        from mtqa.detect.fluency import THRESHOLDS_FILE

        old = THRESHOLDS_FILE.read_text(encoding="utf-8")
        if OWN_END not in old:
            raise SystemExit(f"{THRESHOLDS_FILE} lacks the line {OWN_END.strip()!r}; keys below it are kept")
        kept = old.split(OWN_END, 1)[1].split("\n[slor_length]", 1)[0].strip("\n")
        lines = [
            "# Measured by benchmarks/thresholds.py on clean human news English (NTREX-128 en dev ids 0-1004 +",
            f"# WMT21 de-en ref-A dev sids 1-500; n={len(flus)}), model {scorer.name}, {result['machine']['date']}.",
            "# L101 compares slor_z = (SLOR - (a + b ln n)) / (c + d / sqrt n), n = words capped at `cap`",
            f"# ([slor_length]): slor_z_major is its percentile {MAJOR_PERCENTILE} on these sentences, slor_z_minor"
            f" its percentile {MINOR_PERCENTILE}",
            "# (why the 1st, not the 2nd: MAJOR_PERCENTILE in benchmarks/thresholds.py).",
            "# word_surprisal_peak (L102): 99.5th percentile of lower-case words' surprisal (nats).",
            f"slor_z_major = {z_table[str(MAJOR_PERCENTILE)]}",
            f"slor_z_minor = {z_table[str(MINOR_PERCENTILE)]}",
            f"word_surprisal_peak = {result['word_surprisal_p99_5']}",
            OWN_END.rstrip("\n"),
        ]
        tables = [
            "",
            "[slor_length]",
            *[f"{k} = {v}" for k, v in length.items()],
            "",
            "[slor_z_quantiles]",
            *[f'"{q}" = {v}' for q, v in z_table.items()],
            "",
        ]
        text = "\n".join(lines) + "\n" + (kept + "\n" if kept else "") + "\n".join(tables)
        THRESHOLDS_FILE.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
