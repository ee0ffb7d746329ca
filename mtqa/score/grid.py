"""Where a batch's real tokens sit in its right-padded (batch, length) grid.

Transformer layers spend ~90 % of their work in per-token linear layers, norms and MLPs; run on
the padded grid they also pay for every pad. Both encoders here (the LM in `llama`, MiniLM in
`bert`) run those parts on the real tokens only, as one (tokens, hidden) matrix, and use the grid
only for attention. Without padding both views are the same and cost nothing to switch.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


@dataclass
class Grid:
    batch: int
    length: int
    index: torch.Tensor | None  # flat grid positions of the real tokens; None when nothing is padded
    mask: torch.Tensor | None  # attention mask broadcastable to (batch, heads, length, keys); None: model default

    @classmethod
    def keys_only(cls, attention_mask: torch.Tensor) -> Grid:
        """A bidirectional encoder's grid: every real token attends to every real token of its row."""
        batch, length = attention_mask.shape
        if bool(attention_mask.all()):
            return cls(batch, length, None, None)
        index = attention_mask.flatten().nonzero().squeeze(1)
        return cls(batch, length, index, attention_mask.bool()[:, None, None, :])

    def pad(self, t: torch.Tensor) -> torch.Tensor:
        """(tokens, features) -> (batch, length, features) with zeros at padded positions."""
        if self.index is None:
            return t.view(self.batch, self.length, t.shape[-1])
        out = t.new_zeros(self.batch * self.length, t.shape[-1])
        out[self.index] = t
        return out.view(self.batch, self.length, t.shape[-1])

    def unpad(self, t: torch.Tensor) -> torch.Tensor:
        """(batch, length, ...) -> (tokens, features)."""
        flat = t.reshape(self.batch * self.length, -1)
        return flat if self.index is None else flat[self.index]
