"""JFLEG dev: GLEU (and chrF) of mtqa's rewrites of learner English against four fluency references.

Data: `shared/data/jfleg/dev.tsv` (Napoles et al. 2017, CC BY-NC-SA 4.0, read from its path only and
never copied into this repository): 754 Moses-tokenised learner sentences, four references each.
The LM reads detokenised text, so each source is detokenised (`detokenize`), rewritten as `mtqa fix`
would (`benchmarks/rewrite_common.py`), and re-tokenised (`tokenize`); the unchanged source goes
through the same round trip, so both are compared in one token space.

GLEU is re-implemented from the JFLEG repository's `eval/gleu.py` + `compute_gleu` (Napoles et al.
2015/2016 "GLEU without tuning"): n-grams 1-4, for each of 500 iterations one reference is drawn per
sentence (seed 101*j), corpus statistics summed, GLEU averaged over the iterations. Python 3's
`random.randint` differs from the Python 2 original, so the draws (not the formula) differ from the
official script; expect the source baseline within a few tenths of the published figure. chrF is
sacrebleu's multi-reference chrF on the detokenised text.

    python -m benchmarks.rewrite_jfleg [--limit 200] [--json benchmarks/results/rewrite_jfleg.json]
"""

from __future__ import annotations

import argparse
import math
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Sequence

from rich.console import Console
from sacrebleu.metrics import CHRF

from benchmarks._common import DATA, RESULTS, machine, read_tsv, write_json
from benchmarks.demetr import one_thread
from benchmarks.rewrite_common import rewrite_texts, stderr_progress
from mtqa.pipeline import Settings

ITERATIONS = 500


def detokenize(text: str) -> str:
    """Undo Moses-style tokenisation enough for a fluency LM ("society ." -> "society.")."""
    out = " ".join(text.split())
    out = re.sub(r" ([.,!?;:%)\]}])", r"\1", out)
    out = re.sub(r"([(\[{$]) ", r"\1", out)
    out = re.sub(r" (n't|'s|'re|'ve|'m|'ll|'d)\b", r"\1", out, flags=re.IGNORECASE)
    return re.sub(r'" (.*?) "', r'"\1"', out)


def tokenize(text: str) -> list[str]:
    """Split into words and punctuation, keeping English clitics apart (Moses-like)."""
    text = re.sub(r"(\w)(n't)\b", r"\1 \2", text, flags=re.I)
    text = re.sub(r"(\w)('(?:s|re|ve|m|ll|d))\b", r"\1 \2", text, flags=re.I)
    return re.findall(r"n't|'(?:s|re|ve|m|ll|d)\b|\w+(?:[-.]\w+)*|[^\w\s]", text, flags=re.I)


def ngrams(tokens: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) + 1 - n))


def gleu_stats(hyp: Sequence[str], src: Sequence[str], ref: Sequence[str], order: int = 4) -> list[int]:
    """Sentence statistics of GLEU: hyp length, ref length, then (matches, total) per n-gram order."""
    stats = [len(hyp), len(ref)]
    for n in range(1, order + 1):
        h, s, r = ngrams(hyp, n), ngrams(src, n), ngrams(ref, n)
        s_not_r = Counter({k: v for k, v in s.items() if k not in r})
        stats.append(max(sum((h & r).values()) - sum((h & s_not_r).values()), 0))
        stats.append(max(len(hyp) + 1 - n, 0))
    return stats


def gleu_from_stats(stats: Sequence[int]) -> float:
    """Corpus GLEU from summed statistics (0 if any statistic is 0, as in the original)."""
    if any(x == 0 for x in stats):
        return 0.0
    c, r = stats[:2]
    log_prec = sum(math.log(x / y) for x, y in zip(stats[2::2], stats[3::2], strict=True)) / 4
    return math.exp(min(0.0, 1 - r / c) + log_prec)


def corpus_gleu(hyps: Sequence[list[str]], srcs: Sequence[list[str]], refs: Sequence[Sequence[list[str]]]) -> dict:
    """JFLEG GLEU: mean and std over `ITERATIONS` random draws of one reference per sentence."""
    n_refs = len(refs[0])
    draws = []
    for j in range(ITERATIONS):
        rng = random.Random(j * 101)
        draws.append([rng.randint(0, n_refs - 1) for _ in hyps])
    cache: dict[tuple[int, int], list[int]] = {}
    scores = []
    for j in range(ITERATIONS):
        total = [0] * 10
        for i, (h, s) in enumerate(zip(hyps, srcs, strict=True)):
            key = (i, draws[j][i])
            if key not in cache:
                cache[key] = gleu_stats(h, s, refs[i][draws[j][i]])
            total = [a + b for a, b in zip(total, cache[key], strict=True)]
        scores.append(gleu_from_stats(total))
    return {"gleu": round(100 * statistics.mean(scores), 3), "std": round(100 * statistics.pstdev(scores), 3)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DATA / "jfleg" / "dev.tsv")
    ap.add_argument("--limit", type=int, default=0, help="first N sentences (default: all 754)")
    ap.add_argument("--lang-profile", default="nl")
    ap.add_argument("--json", default=RESULTS / "rewrite_jfleg.json")
    args = ap.parse_args(argv)
    threads = one_thread()
    rows = read_tsv(args.data)
    if args.limit:
        rows = rows[: args.limit]
    src = [detokenize(r["src"]) for r in rows]
    refs = [[detokenize(r[f"ref{k}"]) for k in range(4)] for r in rows]
    started = time.perf_counter()
    rewritten, sig = rewrite_texts(src, Settings(source_lang=args.lang_profile), progress=stderr_progress("jfleg"))
    out = [r.text for r in rewritten]
    tok_src = [tokenize(s) for s in src]
    tok_refs = [[tokenize(r) for r in rs] for rs in refs]
    chrf = CHRF()
    ref_streams = [list(x) for x in zip(*refs, strict=True)]
    changed = [(s, o, rs) for s, o, rs in zip(src, out, refs, strict=True) if o != " ".join(s.split())]
    better = sum(chrf.sentence_score(o, rs).score > chrf.sentence_score(s, rs).score for s, o, rs in changed)
    worse = sum(chrf.sentence_score(o, rs).score < chrf.sentence_score(s, rs).score for s, o, rs in changed)
    result = {
        "machine": machine(),
        "torch_threads": threads,
        "data": str(args.data),
        "licence_note": "JFLEG is CC BY-NC-SA 4.0: read from the shared path, nothing copied into the repository",
        "sentences": len(rows),
        "metric": "GLEU re-implemented from jfleg eval/gleu.py (500 reference draws); chrF via sacrebleu",
        "gleu": {
            "source": corpus_gleu(tok_src, tok_src, tok_refs),
            "rewrite": corpus_gleu([tokenize(o) for o in out], tok_src, tok_refs),
        },
        "chrf": {
            "source": round(chrf.corpus_score(src, ref_streams).score, 3),
            "rewrite": round(chrf.corpus_score(out, ref_streams).score, 3),
        },
        "chrf_signature": str(chrf.get_signature()),
        "changed": len(changed),
        "changed_closer_chrf": better,
        "changed_further_chrf": worse,
        "flagged": sum(r.flagged for r in rewritten),
        "rules_applied": dict(Counter(c for r in rewritten for c in r.codes).most_common()),
        "mtqa_signature": sig,
        "seconds": round(time.perf_counter() - started, 1),
        "note": "timings on a shared, busy 2-core VM: noisy",
    }
    Console().print({k: result[k] for k in ("gleu", "chrf", "changed", "changed_closer_chrf", "changed_further_chrf")})
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
