"""The scorer interface, its result type and batch padding; no model code lives here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import torch


@dataclass(frozen=True, slots=True)
class TokenScores:
    """Log-probabilities (natural log) of every model token of one text.

    `offsets[i]` is the character range of token i within the text; every token is scored
    (the first one against a start-of-text context token), so no word goes unscored.
    """

    text: str
    offsets: tuple[tuple[int, int], ...]
    logprobs: tuple[float, ...]

    @property
    def total(self) -> float:
        return float(sum(self.logprobs))

    def __len__(self) -> int:
        return len(self.logprobs)


class Scorer(Protocol):
    """Anything that returns per-token log-probs for a batch of texts, in input order."""

    name: str  # short id for signatures, e.g. "smollm2-135m-q4_1#3f2a9c1e"

    def token_logprobs(self, texts: Sequence[str]) -> list[TokenScores]: ...


def pad_right(rows: Sequence[Sequence[int]], pad_id: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad token id rows into one batch: (ids, attention mask with 1 for real tokens)."""
    import torch

    width = max(len(r) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row, dtype=torch.long)
        mask[i, : len(row)] = 1
    return ids, mask
