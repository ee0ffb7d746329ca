"""Calibration maps fitted on dev and stored as data: isotonic regression (pool-adjacent-violators).

Fitting happens in `benchmarks/train_quality.py`; at run time a map is a few breakpoints evaluated by
linear interpolation, so it needs neither scikit-learn nor scipy. Never fit on test data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Isotonic:
    """A non-decreasing map x -> y in [0, 1], interpolated between breakpoints and clamped at the ends."""

    x: tuple[float, ...]
    y: tuple[float, ...]
    increasing: bool = True

    def __call__(self, value: float) -> float:
        v = value if self.increasing else -value
        return float(min(1.0, max(0.0, np.interp(v, self.x, self.y))))

    def to_dict(self) -> dict[str, object]:
        return {"x": list(self.x), "y": list(self.y), "increasing": self.increasing}

    @classmethod
    def from_dict(cls, data: dict) -> Isotonic:
        return cls(tuple(map(float, data["x"])), tuple(map(float, data["y"])), bool(data.get("increasing", True)))


def fit_isotonic(scores: Sequence[float], labels: Sequence[float], *, increasing: bool = True) -> Isotonic:
    """Fit P(label | score) by pool-adjacent-violators; breakpoints are block means of the score."""
    x = np.asarray(scores, dtype=float) * (1 if increasing else -1)
    y = np.asarray(labels, dtype=float)
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    blocks: list[list[float]] = []  # [sum_y, weight, sum_x]
    for xi, yi in zip(x, y):
        blocks.append([yi, 1.0, xi])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] >= blocks[-1][0] / blocks[-1][1]:
            s, w, sx = blocks.pop()
            blocks[-1][0] += s
            blocks[-1][1] += w
            blocks[-1][2] += sx
    bx = tuple(round(b[2] / b[1], 6) for b in blocks)
    by = tuple(round(b[0] / b[1], 6) for b in blocks)
    return Isotonic(bx, by, increasing)
