"""Choose the meaning-check threshold of rewrites (`mtqa/rewrite/meaning.py` MIN_SIMILARITY) on DEMETR dev.

A rewrite that repairs a fluency error maps a perturbed sentence back to the unperturbed MT, so
the pair (perturbed, unperturbed) of every DEMETR fluency type is a rewrite that should pass; the
pairs of the meaning-changing types (antonym, negation, numbers, names, ...) are rewrites that
should fail. For each pair we compute the cosine similarity of MiniLM sentence embeddings, exactly
as the guard does. The threshold is the highest value that keeps >= `--keep` (default 97.5 %) of
the pooled fluency pairs; we report what share of each meaning type it refuses at that point.
Data: `shared/data/demetr` (MIT), dev languages only (french, italian, spanish, polish, czech).

    python -m benchmarks.rewrite_similarity [--limit 200] [--keep 0.975] [--json PATH]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, RESULTS, machine, write_json
from benchmarks.demetr import DEV_LANGS, FLUENCY, MEANING, load, one_thread, sample, short_name
from mtqa.rewrite import meaning


def quantile(values: list[float], q: float) -> float:
    """Return the q-quantile (nearest rank, lower) of `values`."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered))))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DATA / "demetr", type=Path, help="DEMETR folder (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=200, help="items per perturbation type (default: 200)")
    ap.add_argument("--keep", type=float, default=0.975, help="share of fluency restorations to keep (default: 0.975)")
    ap.add_argument("--json", default=RESULTS / "rewrite_similarity.json")
    args = ap.parse_args(argv)
    threads = one_thread()
    import torch

    torch.set_num_threads(threads)
    types, _, items = load(str(args.data), DEV_LANGS)
    chosen = sample({p: its for p, its in items.items() if p in FLUENCY | MEANING}, args.limit)
    started = time.perf_counter()
    pairs = [(it.pert, it.mt) for p in sorted(chosen) for it in chosen[p] if it.pert != it.mt]
    sims = dict(zip(pairs, meaning.similarities(pairs), strict=True))
    by_type = {p: [sims[(it.pert, it.mt)] for it in chosen[p] if it.pert != it.mt] for p in sorted(chosen)}
    fluency = [s for p, v in by_type.items() if p in FLUENCY for s in v]
    # highest threshold keeping >= keep of the fluency pairs: their (1 - keep) quantile, floored to 0.01
    threshold = int(quantile(fluency, 1 - args.keep) * 100) / 100
    table = Table(title=f"MiniLM similarity of perturbed vs unperturbed MT (threshold {threshold:.2f})")
    for col in ("type", "group", "n", "p5", "median", "share below threshold"):
        table.add_column(col)
    per_type = {}
    for p, values in by_type.items():
        if not values:
            continue
        group = "fluency (should pass)" if p in FLUENCY else "meaning (should fail)"
        below = sum(v < threshold for v in values) / len(values)
        per_type[short_name(types[p]["pert_name"])] = {
            "pert_id": p,
            "group": group,
            "n": len(values),
            "p5": round(quantile(values, 0.05), 4),
            "median": round(quantile(values, 0.5), 4),
            "share_below_threshold": round(below, 4),
        }
        table.add_row(
            short_name(types[p]["pert_name"]), group, str(len(values)), f"{quantile(values, 0.05):.3f}",
            f"{quantile(values, 0.5):.3f}", f"{below:.1%}",
        )  # fmt: skip
    meaning_values = [s for p, v in by_type.items() if p in MEANING for s in v]
    result = {
        "machine": machine(),
        "data": [str(args.data / "perturbations.tsv"), str(args.data / "base.tsv")],
        "dev_langs": sorted(DEV_LANGS),
        "limit": args.limit,
        "keep": args.keep,
        "threshold": threshold,
        "fluency_pairs": len(fluency),
        "fluency_kept": round(sum(v >= threshold for v in fluency) / len(fluency), 4),
        "meaning_pairs": len(meaning_values),
        "meaning_refused": round(sum(v < threshold for v in meaning_values) / len(meaning_values), 4),
        "per_type": per_type,
        "encoder": str(meaning.model_dir()),
        "seconds": round(time.perf_counter() - started, 1),
    }
    Console().print(table)
    Console().print({k: result[k] for k in ("threshold", "fluency_kept", "meaning_refused")})
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
