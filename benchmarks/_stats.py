"""Correlation, ranking and tagging metrics with bootstrap intervals, in numpy only (no scipy here).

Shared by benchmarks/train_quality.py and benchmarks/mlqe_pe.py so that training-time dev figures and
benchmark figures are computed by the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

RESAMPLES = 1000
SEED = 7


def rankdata(values: Sequence[float]) -> np.ndarray:
    """Average ranks (ties share their mean rank), 1-based."""
    x = np.asarray(values, dtype=float)
    order = np.argsort(x, kind="stable")
    ranks = np.empty(len(x))
    sorted_x = x[order]
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and sorted_x[j + 1] == sorted_x[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def pearson(a: Sequence[float], b: Sequence[float]) -> float:
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    x, y = x - x.mean(), y - y.mean()
    den = np.sqrt((x * x).sum() * (y * y).sum())
    return float((x * y).sum() / den) if den else 0.0


def spearman(a: Sequence[float], b: Sequence[float]) -> float:
    return pearson(rankdata(a), rankdata(b))


def kendall(a: Sequence[float], b: Sequence[float]) -> float:
    """Kendall tau-b, O(n^2) in blocks (fine for n of a few thousand)."""
    x, y = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    concordant = discordant = tie_x = tie_y = 0.0
    for i in range(len(x) - 1):
        dx = np.sign(x[i + 1 :] - x[i])
        dy = np.sign(y[i + 1 :] - y[i])
        prod = dx * dy
        concordant += (prod > 0).sum()
        discordant += (prod < 0).sum()
        tie_x += ((dx == 0) & (dy != 0)).sum()
        tie_y += ((dy == 0) & (dx != 0)).sum()
    den = np.sqrt((concordant + discordant + tie_x) * (concordant + discordant + tie_y))
    return float((concordant - discordant) / den) if den else 0.0


def auroc(scores: Sequence[float], labels: Sequence[int]) -> float:
    """Area under the ROC curve: P(score of a positive > score of a negative), ties count half."""
    s, y = np.asarray(scores, dtype=float), np.asarray(labels, dtype=bool)
    pos, neg = y.sum(), (~y).sum()
    if not pos or not neg:
        return float("nan")
    ranks = rankdata(s)
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


def mcc(pred: Sequence[int], gold: Sequence[int]) -> float:
    p, g = np.asarray(pred, dtype=bool), np.asarray(gold, dtype=bool)
    tp, tn = float((p & g).sum()), float((~p & ~g).sum())
    fp, fn = float((p & ~g).sum()), float((~p & g).sum())
    den = np.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / den if den else 0.0


def f1(pred: Sequence[int], gold: Sequence[int]) -> float:
    p, g = np.asarray(pred, dtype=bool), np.asarray(gold, dtype=bool)
    tp = float((p & g).sum())
    den = float(p.sum() + g.sum())
    return 2 * tp / den if den else 0.0


def best_threshold(probs: Sequence[float], gold: Sequence[int], grid: Sequence[float] | None = None) -> float:
    """The threshold on P(BAD) with the highest MCC (chosen on dev, never on test)."""
    grid = grid if grid is not None else np.round(np.arange(0.05, 0.951, 0.025), 3)
    p = np.asarray(probs)
    return float(max(grid, key=lambda t: mcc(p >= t, gold)))


def mean_over_groups(
    metric: Callable[..., float], a: Sequence[float], b: Sequence[float], groups: Sequence[int]
) -> float:
    """Macro mean of `metric(a, b)` within each group (e.g. one language pair); bootstrap it to get its interval."""
    x, y, g = np.asarray(a), np.asarray(b), np.asarray(groups)
    return float(np.mean([metric(x[g == k], y[g == k]) for k in np.unique(g)]))


def bootstrap(
    metric: Callable[..., float], *columns: Sequence[float], resamples: int = RESAMPLES, seed: int = SEED
) -> list[float]:
    """95 % percentile interval of `metric` over rows resampled with replacement."""
    arrays = [np.asarray(c) for c in columns]
    rng = np.random.default_rng(seed)
    n = len(arrays[0])
    values = []
    for _ in range(resamples):
        idx = rng.integers(0, n, n)
        values.append(metric(*(a[idx] for a in arrays)))
    lo, hi = np.nanpercentile(values, [2.5, 97.5])
    return [round(float(lo), 4), round(float(hi), 4)]


def reliability(probs: Sequence[float], labels: Sequence[int], bins: int = 10) -> list[dict[str, float]]:
    """Per decile of predicted probability: mean prediction, observed rate, count."""
    p, y = np.asarray(probs, dtype=float), np.asarray(labels, dtype=float)
    order = np.argsort(p, kind="stable")
    rows = []
    for chunk in np.array_split(order, bins):
        if len(chunk):
            rows.append(
                {
                    "predicted": round(float(p[chunk].mean()), 4),
                    "observed": round(float(y[chunk].mean()), 4),
                    "n": len(chunk),
                }
            )
    return rows
