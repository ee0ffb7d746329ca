"""Measure B101 (web-page chrome) on the article-extraction boilerplate blocks.

Every block of `blocks.tsv` goes through `match_chrome` (no language model). Reports precision,
recall and F1 for the `boilerplate` label, the false-flag rate on `body` blocks, and recall on the
short (chrome-like, <= 6 words) boilerplate blocks, each with a 95 % bootstrap confidence interval
(pages resampled with replacement, fixed seed), plus the most frequent false flags and misses.

Labels are silver (headlines, bylines and dates count as boilerplate; truncated ground truth turns
some body paragraphs into boilerplate), so recall is modest by construction.

Split: pages whose page_id starts with 0-7 are dev (tune on these), 8-f are held out.

    python -m benchmarks.boilerplate [--blocks PATH] [--split dev|heldout|all] [--json PATH]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, RESULTS, machine, read_tsv, write_json
from mtqa.detect.boilerplate import MAX_WORDS, match_chrome

DEV_PREFIXES = frozenset("01234567")
SHORT_WORDS = 6  # boilerplate blocks this short are nearly all chrome (menus, buttons, notices)
RESAMPLES = 1000
SEED = 20240601
TOP = 20
SNIPPET = 100

# Per-page count columns, summed before each metric is computed.
COLUMNS = ("tp", "fp", "fn", "tn", "short_tp", "short_fn")


def in_split(page_id: str, split: str) -> bool:
    """Whether a page belongs to the dev split, the held-out split, or (split 'all') either."""
    if split == "all":
        return True
    dev = page_id[:1].lower() in DEV_PREFIXES
    return dev if split == "dev" else not dev


def ratio(num: float, den: float) -> float | None:
    return num / den if den else None


def metrics(c: dict[str, float]) -> dict[str, float | None]:
    """Precision/recall/F1 for 'boilerplate', false-flag rate on 'body', short-block recall."""
    p = ratio(c["tp"], c["tp"] + c["fp"])
    r = ratio(c["tp"], c["tp"] + c["fn"])
    f1 = 2 * p * r / (p + r) if p is not None and r is not None and p + r else None
    return {
        "precision": p,
        "recall": r,
        "f1": f1,
        "false_flag_rate": ratio(c["fp"], c["fp"] + c["tn"]),
        "recall_short": ratio(c["short_tp"], c["short_tp"] + c["short_fn"]),
    }


def bootstrap(per_page: np.ndarray, resamples: int = RESAMPLES, seed: int = SEED) -> dict[str, list[float] | None]:
    """95 % percentile intervals of each metric, resampling pages with replacement."""
    rng = np.random.default_rng(seed)
    n = per_page.shape[0]
    samples: dict[str, list[float]] = {}
    for _ in range(resamples):
        sums = per_page[rng.integers(0, n, n)].sum(axis=0)
        for name, value in metrics(dict(zip(COLUMNS, sums.tolist()))).items():
            if value is not None:
                samples.setdefault(name, []).append(value)
    out: dict[str, list[float] | None] = {}
    for name in ("precision", "recall", "f1", "false_flag_rate", "recall_short"):
        xs = samples.get(name)
        out[name] = [float(np.percentile(xs, 2.5)), float(np.percentile(xs, 97.5))] if xs else None
    return out


def snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET else flat[: SNIPPET - 3] + "..."


def evaluate(rows: list[dict[str, str]]) -> dict[str, object]:
    """Run match_chrome over the rows and collect counts, metrics, intervals and examples."""
    pages: dict[str, Counter[str]] = {}
    false_flags: Counter[tuple[str, str]] = Counter()
    misses: Counter[str] = Counter()
    by_pattern: Counter[str] = Counter()
    by_pattern_fp: Counter[str] = Counter()
    for row in rows:
        label = match_chrome(row["text"])
        gold = row["label"] == "boilerplate"
        short = int(row["n_words"]) <= SHORT_WORDS
        c = pages.setdefault(row["page_id"], Counter())
        if label is not None:
            by_pattern[label] += 1
        if gold and label is not None:
            c["tp"] += 1
            c["short_tp"] += short
        elif gold:
            c["fn"] += 1
            c["short_fn"] += short
            misses[snippet(row["text"])] += 1
        elif label is not None:
            c["fp"] += 1
            by_pattern_fp[label] += 1
            false_flags[(label, snippet(row["text"]))] += 1
        else:
            c["tn"] += 1
    per_page = np.array([[c[k] for k in COLUMNS] for c in pages.values()], dtype=float).reshape(-1, len(COLUMNS))
    totals = {k: int(per_page[:, i].sum()) for i, k in enumerate(COLUMNS)}
    return {
        "pages": len(pages),
        "blocks": len(rows),
        "counts": {
            **totals,
            "boilerplate": totals["tp"] + totals["fn"],
            "body": totals["fp"] + totals["tn"],
            "flagged": totals["tp"] + totals["fp"],
            "short_boilerplate": totals["short_tp"] + totals["short_fn"],
        },
        "metrics": metrics(totals),
        "ci95": bootstrap(per_page) if len(pages) else None,
        "flags_by_pattern": dict(sorted(by_pattern.items())),
        "false_flags_by_pattern": dict(sorted(by_pattern_fp.items())),
        "top_false_flags": [{"pattern": p, "text": t, "count": n} for (p, t), n in false_flags.most_common(TOP)],
        "top_misses": [{"text": t, "count": n} for t, n in misses.most_common(TOP)],
    }


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def show(result: dict, console: Console) -> None:
    """Print the metrics table and the inspection lists."""
    console.print(
        f"[bold]B101 boilerplate[/bold], split {result['split']}:",
        result["pages"],
        "pages,",
        result["blocks"],
        "blocks",
    )
    table = Table()
    table.add_column("metric")
    table.add_column("value", justify="right")
    table.add_column("95 % CI (pages)", justify="right")
    ci = result["ci95"] or {}
    for name in ("precision", "false_flag_rate", "recall", "recall_short", "f1"):
        interval = ci.get(name)
        shown = f"{fmt(interval[0])} – {fmt(interval[1])}" if interval else "-"
        table.add_row(name, fmt(result["metrics"][name]), shown)
    console.print(table)
    console.print("counts:", result["counts"])
    console.print("flags by pattern:", result["flags_by_pattern"])
    if result["top_false_flags"]:
        console.print("[bold]most frequent false flags[/bold]")
        for item in result["top_false_flags"]:
            console.print(f"  {item['count']:3d}  [{item['pattern']}] {item['text']}", markup=False, highlight=False)
    console.print("[bold]most frequent misses[/bold]")
    for item in result["top_misses"]:
        console.print(f"  {item['count']:3d}  {item['text']}", markup=False, highlight=False)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--blocks", type=Path, default=DATA / "article_extraction_boilerplate" / "blocks.tsv")
    ap.add_argument("--split", choices=("dev", "heldout", "all"), default="dev")
    ap.add_argument("--json", type=Path, default=RESULTS / "boilerplate.json")
    args = ap.parse_args(argv)
    console = Console()
    started = time.perf_counter()
    rows = [r for r in read_tsv(args.blocks) if in_split(r["page_id"], args.split)]
    if not rows:
        console.print(f"[red]no blocks of split {args.split!r} in {args.blocks}[/red]")
        return 1
    result = evaluate(rows)
    result.update(
        {
            "split": args.split,
            "data": str(args.blocks),
            "max_words": MAX_WORDS,
            "short_words": SHORT_WORDS,
            "bootstrap": {"resamples": RESAMPLES, "seed": SEED, "unit": "page", "interval": "percentile 2.5-97.5"},
            "seconds": round(time.perf_counter() - started, 2),
            "machine": machine(),
        }
    )
    write_json(args.json, result)
    show(result, console)
    console.print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
