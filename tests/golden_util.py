"""Golden-file comparison that tolerates hardware-dependent float noise.

LM scores differ in the third decimal between CPUs (bf16 kernels differ), so numbers are compared
with a tolerance and digits inside messages are masked; everything else must match exactly.
`MTQA_UPDATE_GOLDEN=1` rewrites the files; review the diff like code.
"""

from __future__ import annotations

import json
import math
import os
import re
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
VOLATILE = re.compile(r"(model|rules|profile|quality):[^|]+")


def normalise_text(text: str) -> str:
    """Mask numbers and the model id, which vary across machines."""
    return _NUMBER.sub("<n>", VOLATILE.sub(lambda m: m.group(1) + ":<pinned>", text))


def _close(a: object, b: object, path: str, tol: float) -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        if a.keys() != b.keys():
            return [f"{path}: keys {sorted(a)} != {sorted(b)}"]
        return [e for k in a for e in _close(a[k], b[k], f"{path}.{k}", tol)]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: length {len(a)} != {len(b)}"]
        return [e for i, (x, y) in enumerate(zip(a, b)) for e in _close(x, y, f"{path}[{i}]", tol)]
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None or not math.isclose(float(a), float(b), abs_tol=tol, rel_tol=0.05):
            return [f"{path}: {a} != {b}"]
        return []
    if isinstance(a, str) and isinstance(b, str):
        return [] if normalise_text(a) == normalise_text(b) else [f"{path}: {a!r} != {b!r}"]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def check_json(name: str, actual: dict, tol: float = 0.15) -> list[str]:
    """Compare `actual` with golden/<name>; return the differences (empty when equal)."""
    path = GOLDEN / name
    if os.environ.get("MTQA_UPDATE_GOLDEN") or not path.exists():
        path.write_text(json.dumps(actual, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8")
    return _close(actual, json.loads(path.read_text(encoding="utf-8")), "$", tol)


def check_text(name: str, actual: str) -> bool:
    """Compare rendered text with golden/<name> after masking numbers."""
    path = GOLDEN / name
    if os.environ.get("MTQA_UPDATE_GOLDEN") or not path.exists():
        path.write_text(actual, encoding="utf-8")
    return normalise_text(actual) == normalise_text(path.read_text(encoding="utf-8"))
