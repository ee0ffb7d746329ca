"""The damage detector's network (rule L103): P(this English sentence was damaged) and where.

Same shape as the quality model (the wheel's MiniLM, fine-tuned layers shipped as 4-bit deltas, a
sentence head and a word head), trained by `benchmarks/train_damage.py` on human post-edits with one
synthetic edit each (a dropped, doubled, swapped or moved word, a word in the wrong form, a stray
mark). Its thresholds were chosen on clean news and post-edits and are read from `calibration.json`.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mtqa.quality.model import (
    CALIBRATION,
    MANIFEST,
    WEIGHTS,
    PlainNet,
    QualityModelError,
    WordScore,
    artifact_folder,
    label,
    run,
    verify,
    words,
)
from mtqa.text import shouting

# The encoder is uncased, so "IS fighters" reads as "is fighters" and looks broken. Acronyms are read as a
# neutral name instead (not Roman numerals, and not in an all-capitals headline, which reads as ordinary text).
ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
ROMAN = re.compile(r"[IVXLCDM]+")
PLACEHOLDER = "Nato"
SKIP = "To check without it, skip the rules that read it: --ignore L103,W103."


def readable(text: str) -> tuple[str, list[tuple[int, int, int]]]:
    """Return `text` with acronyms replaced by PLACEHOLDER, and (new start, new end, old end) of each replacement."""
    if shouting(text):
        return text, []
    out, moves, at, shift = [], [], 0, 0
    for m in ACRONYM.finditer(text):
        if ROMAN.fullmatch(m.group()):
            continue
        out.append(text[at : m.start()])
        start = m.start() + shift
        out.append(PLACEHOLDER)
        shift += len(PLACEHOLDER) - len(m.group())
        moves.append((start, start + len(PLACEHOLDER), m.end()))
        at = m.end()
    out.append(text[at:])
    return "".join(out), moves


def original_offset(offset: int, moves: list[tuple[int, int, int]]) -> int:
    """Map an offset in `readable`'s text back to the original text."""
    shift = 0
    for start, end, old_end in moves:
        if offset <= start:
            break
        if offset < end:
            return start - shift  # inside a placeholder: its start
        shift = end - old_end
    return offset - shift


def default_artifact() -> Path:
    """Return the damage model's folder: $MTQA_DAMAGE_MODEL, else models/damage."""
    return artifact_folder("MTQA_DAMAGE_MODEL", "damage")


def artifact_label(folder: Path | None = None) -> str:
    """`label` of the artifact in `folder` from its manifest alone (no weights loaded); "unknown" if unreadable.

    Read once per process and folder, like the model itself: a batch of documents does not reread it."""
    return _label((folder or default_artifact()).resolve())


@functools.cache
def _label(folder: Path) -> str:
    try:
        return label(json.loads((folder / MANIFEST).read_text()))
    except (OSError, ValueError, KeyError):
        return "unknown"


@dataclass(frozen=True, slots=True)
class DamageScore:
    """P(damaged) for one sentence and P(the damage is here) per whitespace word."""

    p_damaged: float
    words: tuple[WordScore, ...]


class DamageModel:
    """Load once, then score sentences in batches; results come back in input order."""

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors.torch import load_file

        self.folder = folder or default_artifact()
        try:
            manifest = verify(self.folder, "damage model", default_artifact(), "train_damage")
        except QualityModelError as exc:
            raise QualityModelError(f"{exc} {SKIP}") from None
        self.name = label(manifest)
        calibration = json.loads((self.folder / CALIBRATION).read_text())
        self.major = float(calibration["sentence"]["major"])
        self.minor = float(calibration["sentence"]["minor"])
        self.word_threshold = float(calibration["words"]["threshold"])
        try:
            self.net = PlainNet(load_file(self.folder / WEIGHTS), int(manifest["trained_layers"]))
        except (KeyError, RuntimeError) as exc:
            raise QualityModelError(
                f"{self.folder / WEIGHTS} does not hold the expected layers and heads ({exc}). "
                "Restore it with `git checkout -- models/damage` or retrain with `python -m benchmarks.train_damage`."
            ) from exc

    def score(self, texts: Sequence[str]) -> list[DamageScore]:
        """P(damaged) per sentence (the sentence head's logit through a sigmoid) and per-word P."""
        if not texts:
            return []
        readables = [readable(t) for t in texts]
        logits, pieces = run(self.net, [r for r, _ in readables])
        out = []
        for x, ps, (_, moves) in zip(logits, pieces, readables, strict=True):
            back = [(original_offset(a, moves), original_offset(b, moves), p) for a, b, p in ps]
            out.append(DamageScore(1.0 / (1.0 + math.exp(-x)), words(back)))
        return out


@functools.cache
def _loaded(folder: Path) -> DamageModel:
    return DamageModel(folder)


def load_damage_model(folder: Path | None = None) -> DamageModel:
    """Return the (cached) damage model; it is loaded once per process and folder."""
    return _loaded((folder or default_artifact()).resolve())
