"""Does a sentence's LM score depend on what else is scored with it? Per precision, on clean news.

mtqa scores a document's sentences and rewrite candidates in shared batches, and every verdict that
compares two scores (a rule's margin, the verifier's gain) assumes a text's score is a property of
the text. This measures that: the same sentences scored (a) one per call, (b) in one batch, (c) in
one batch reversed and with two extra texts that change the padding. Reported per dtype: the largest
and mean absolute difference of sentence totals (nats) between (b) and (a) and between (b) and (c),
and the scoring time of (b). Data: the first `--limit` NTREX-128 English dev sentences.

    python -m benchmarks.determinism [--limit 120] [--dtypes float32 bfloat16] [--json PATH]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence

from benchmarks._common import NTREX_TSV, RESULTS, machine, ntrex_dev, write_json
from benchmarks.demetr import one_thread
from mtqa.score.base import Scorer
from mtqa.score.loader import load_scorer

PADDING = ("A short one.", "Another sentence, longer than most of the others in the batch, so the padding changes.")


def differences(a: Sequence[float], b: Sequence[float]) -> dict[str, float]:
    """Largest and mean absolute difference of two lists of sentence totals."""
    gaps = [abs(x - y) for x, y in zip(a, b, strict=True)]
    return {"max": round(max(gaps), 4), "mean": round(statistics.fmean(gaps), 4)}


def measure(scorer: Scorer, texts: Sequence[str]) -> dict[str, object]:
    """Totals alone, batched and reordered; their differences and the batch's scoring time."""
    started = time.perf_counter()
    batch = [s.total for s in scorer.token_logprobs(texts)]
    seconds = time.perf_counter() - started
    alone = [scorer.token_logprobs([t])[0].total for t in texts]
    mixed = [s.total for s in scorer.token_logprobs([*reversed(texts), *PADDING])][: len(texts)][::-1]
    return {
        "batch_vs_alone": differences(batch, alone),
        "batch_vs_reordered": differences(batch, mixed),
        "batch_seconds": round(seconds, 2),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ntrex", default=NTREX_TSV)
    ap.add_argument("--limit", type=int, default=120)
    ap.add_argument("--dtypes", nargs="+", default=["float32", "bfloat16"])
    ap.add_argument("--json", default=RESULTS / "determinism.json")
    args = ap.parse_args(argv)
    threads = one_thread()
    texts = [r["eng"].strip() for r in ntrex_dev(args.ntrex)][: args.limit]
    results = {}
    for dtype in args.dtypes:
        scorer = load_scorer(dtype=dtype)
        scorer.token_logprobs(texts[:8])  # warm-up
        name = getattr(scorer, "name", dtype)
        results[name] = measure(scorer, texts)
        print(name, results[name])
    write_json(
        args.json,
        {
            "benchmark": "determinism",
            "data": str(args.ntrex),
            "sentences": len(texts),
            "threads": threads,
            "machine": machine(),
            "results": results,
            "note": "differences in nats of sentence totals; 0 means a score does not depend on its batch",
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
