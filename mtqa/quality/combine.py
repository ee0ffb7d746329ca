"""The quality combiner: the model's sentence prediction plus LM and detector signals, as stored data.

A linear map on z-normalised features, fitted on MLQE-PE dev by `benchmarks/quality_combiner.py`
and stored in `models/quality/calibration.json` ("combiner": feature names, means, scales, weights,
bias, a z clip and its own `p_needs_edit` table). The model alone misses part of what the LM sees
(disfluency); the fit decides how much of it to trust. No scikit-learn at run time.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Combiner:
    """quality = bias + sum_i weight_i * clip((x_i - mean_i) / std_i, -clip, clip)."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    std: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    clip: float = 4.0

    def predict_many(self, x: np.ndarray) -> np.ndarray:
        """Quality for rows of features in `self.features` order."""
        z = np.clip((np.asarray(x, dtype=float) - self.mean) / np.asarray(self.std), -self.clip, self.clip)
        return self.bias + z @ np.asarray(self.weights)

    def __call__(self, values: Mapping[str, float]) -> float:
        """Quality of one sentence from its named features (every name in `self.features` is needed)."""
        return float(self.predict_many(np.array([[values[name] for name in self.features]]))[0])

    def to_dict(self) -> dict[str, object]:
        r = lambda xs: [round(float(v), 6) for v in xs]  # noqa: E731
        return {
            "features": list(self.features),
            "mean": r(self.mean),
            "std": r(self.std),
            "weights": r(self.weights),
            "bias": round(self.bias, 6),
            "clip": self.clip,
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> Combiner:
        f = lambda key: tuple(float(v) for v in data[key])  # noqa: E731
        return cls(tuple(data["features"]), f("mean"), f("std"), f("weights"), float(data["bias"]), float(data["clip"]))


def sentence_features(slor: float, mean_logprob: float, n_words: int) -> dict[str, float]:
    """The LM features of one sentence, as `benchmarks/quality_combiner.py` computes them for the fit."""
    return {"slor": slor, "mean_logprob": mean_logprob, "log_words": math.log1p(n_words)}
