"""Measure the clean-English fluency distribution that L101/L102 thresholds come from.

Clean sentences: NTREX-128 English (dev ids 0-1004) and WMT21 de-en reference B (dev sids 1-500),
both professional human news text. Writes the SLOR quantiles, the major/minor cut-offs (2nd and
10th percentile) and the word-surprisal peak (99.5th percentile of lower-case words) to
`mtqa/rules/thresholds.toml`, and the raw figures to `--json`.

    python -m benchmarks.thresholds [--ntrex PATH] [--wmt21 PATH] [--json PATH] [--write]
"""

from __future__ import annotations

import argparse
import statistics
import time

from benchmarks._common import DATA, RESULTS, machine, read_tsv, write_json
from mtqa.score import load_scorer
from mtqa.score.metrics import fluency, word_surprisals

QUANTILES = (0.5, 1, 2, 5, 10, 25, 50)


def quantile(values: list[float], q: float) -> float:
    """Linear-interpolated q-th percentile (0..100)."""
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100
    lo = int(pos)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (pos - lo)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ntrex", default=DATA / "ntrex128_nl_en" / "ntrex128.nld-eng.tsv")
    ap.add_argument("--wmt21", default=DATA / "wmt21_deen_da" / "segments.tsv")
    ap.add_argument("--json", default=RESULTS / "thresholds.json")
    ap.add_argument("--write", action="store_true", help="rewrite mtqa/rules/thresholds.toml")
    args = ap.parse_args(argv)
    sentences = [r["eng"] for r in read_tsv(args.ntrex) if int(r["id"]) <= 1004]
    sentences += [r["ref_b_en"] for r in read_tsv(args.wmt21) if int(r["sid"]) <= 500]
    sentences = [s for s in sentences if len(s.split()) >= 4]
    scorer = load_scorer()
    started = time.perf_counter()
    scores = scorer.token_logprobs(sentences)
    seconds = time.perf_counter() - started
    slors = [fluency(s).slor for s in scores]
    peaks = [x for s in scores for w, x in word_surprisals(s) if w.text.islower() and len(w.text) > 2]
    table = {str(q): round(quantile(slors, q), 4) for q in QUANTILES}
    result = {
        "machine": machine(),
        "model": scorer.name,
        "n_sentences": len(sentences),
        "seconds": round(seconds, 2),
        "sentences_per_second": round(len(sentences) / seconds, 1),
        "slor_quantiles": table,
        "slor_mean": round(statistics.mean(slors), 4),
        "word_surprisal_p99_5": round(quantile(peaks, 99.5), 3),
        "word_surprisal_p99": round(quantile(peaks, 99), 3),
    }
    write_json(args.json, result)
    print(result)
    if args.write:
        from mtqa.detect.fluency import THRESHOLDS_FILE

        lines = [
            "# Measured by benchmarks/thresholds.py on clean human news English (NTREX-128 en dev ids 0-1004 +",
            f"# WMT21 de-en ref-B dev sids 1-500; n={len(sentences)}),",
            f"# model {scorer.name}, {result['machine']['date']}.",
            "# slor_major: 2nd percentile; slor_minor: 10th percentile; word_surprisal_peak: 99.5th percentile (nats).",
            f"slor_major = {table['2']}",
            f"slor_minor = {table['10']}",
            f"word_surprisal_peak = {result['word_surprisal_p99_5']}",
            "",
            "[slor_quantiles]",
            *[f'"{q}" = {v}' for q, v in table.items()],
            "",
        ]
        THRESHOLDS_FILE.write_text("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
