"""A minimal Llama forward pass in plain PyTorch, so a cached model loads without transformers.

Importing transformers' AutoModel machinery costs ~2-3 s, most of `mtqa check`'s start-up budget.
The converted cache (config.json + model.safetensors + tokenizer.json, written by transformers'
`save_pretrained`) needs only torch, safetensors and tokenizers to run. `TinyLlama` reproduces
`LlamaForCausalLM` (RMSNorm, rotary embeddings, grouped-query attention, SiLU-gated MLP) for
scoring: no cache, no generation, right-padded batches. `load_cached` raises `ValueError` for
any config it does not implement, and the caller falls back to transformers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from mtqa.score.grid import Grid

_ROPE_TYPES = ("default", "linear", "llama3")


@dataclass(frozen=True)
class LlamaConfig:
    """The fields of a transformers `LlamaConfig` that the forward pass needs."""

    vocab_size: int
    hidden_size: int
    intermediate_size: int
    num_hidden_layers: int
    num_attention_heads: int
    num_key_value_heads: int
    head_dim: int
    rms_norm_eps: float
    rope_theta: float
    rope_scaling: dict[str, Any] | None
    tie_word_embeddings: bool
    attention_bias: bool
    mlp_bias: bool

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> LlamaConfig:
        """Validate a config.json; raise ValueError for anything this module does not implement."""
        arch = raw.get("architectures") or []
        if arch != ["LlamaForCausalLM"] or raw.get("model_type", "llama") != "llama":
            raise ValueError(
                f"not a LlamaForCausalLM config (architectures={arch}, model_type={raw.get('model_type')})"
            )
        if raw.get("hidden_act", "silu") != "silu":
            raise ValueError(f"unsupported hidden_act {raw['hidden_act']!r}")
        # transformers >= 5 writes rope_parameters; older versions rope_theta + rope_scaling.
        params = dict(raw.get("rope_parameters") or {})
        scaling = raw.get("rope_scaling") or None
        if scaling:
            params = {**dict(scaling), **params}
        theta = params.get("rope_theta", raw.get("rope_theta", 10000.0))
        rope_type = params.get("rope_type", params.get("type", "default"))
        if rope_type not in _ROPE_TYPES:
            raise ValueError(f"unsupported rope scaling type {rope_type!r}")
        heads = int(raw["num_attention_heads"])
        hidden = int(raw["hidden_size"])
        return cls(
            vocab_size=int(raw["vocab_size"]),
            hidden_size=hidden,
            intermediate_size=int(raw["intermediate_size"]),
            num_hidden_layers=int(raw["num_hidden_layers"]),
            num_attention_heads=heads,
            num_key_value_heads=int(raw.get("num_key_value_heads") or heads),
            head_dim=int(raw.get("head_dim") or hidden // heads),
            rms_norm_eps=float(raw.get("rms_norm_eps", 1e-6)),
            rope_theta=float(theta),
            rope_scaling=None if rope_type == "default" else {**params, "rope_type": rope_type},
            tie_word_embeddings=bool(raw.get("tie_word_embeddings", False)),
            attention_bias=bool(raw.get("attention_bias", False)),
            mlp_bias=bool(raw.get("mlp_bias", False)),
        )


def rope_inv_freq(config: LlamaConfig) -> torch.Tensor:
    """Inverse rotary frequencies, float32, as transformers' ROPE_INIT_FUNCTIONS compute them."""
    dim = config.head_dim
    inv_freq = 1.0 / (config.rope_theta ** (torch.arange(0, dim, 2, dtype=torch.float) / dim))
    scaling = config.rope_scaling
    if scaling is None:
        return inv_freq
    if scaling["rope_type"] == "linear":
        return inv_freq / float(scaling["factor"])
    # llama3: keep high frequencies, divide low ones by `factor`, interpolate in between.
    factor = float(scaling["factor"])
    low_freq_factor = float(scaling["low_freq_factor"])
    high_freq_factor = float(scaling["high_freq_factor"])
    old_len = float(scaling["original_max_position_embeddings"])
    low_freq_wavelen = old_len / low_freq_factor
    high_freq_wavelen = old_len / high_freq_factor
    wavelen = 2 * math.pi / inv_freq
    scaled = torch.where(wavelen > low_freq_wavelen, inv_freq / factor, inv_freq)
    smooth = (old_len / wavelen - low_freq_factor) / (high_freq_factor - low_freq_factor)
    smoothed = (1 - smooth) * scaled / factor + smooth * scaled
    medium = ~(wavelen < high_freq_wavelen) & ~(wavelen > low_freq_wavelen)
    return torch.where(medium, smoothed, scaled)


class _Linear(nn.Linear):
    """A Linear layer left uninitialised: its weights always come from the checkpoint."""

    def reset_parameters(self) -> None:
        pass


class _Embedding(nn.Embedding):
    def reset_parameters(self) -> None:
        pass


class RMSNorm(nn.Module):
    def __init__(self, size: int, eps: float) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        dtype = x.dtype
        x = x.float()
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x.to(dtype)


def _rotate_half(x: torch.Tensor) -> torch.Tensor:
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


class Attention(nn.Module):
    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        self.heads = config.num_attention_heads
        self.kv_heads = config.num_key_value_heads
        self.head_dim = config.head_dim
        bias = config.attention_bias
        self.q_proj = _Linear(config.hidden_size, self.heads * self.head_dim, bias=bias)
        self.k_proj = _Linear(config.hidden_size, self.kv_heads * self.head_dim, bias=bias)
        self.v_proj = _Linear(config.hidden_size, self.kv_heads * self.head_dim, bias=bias)
        self.o_proj = _Linear(self.heads * self.head_dim, config.hidden_size, bias=bias)

    def forward(
        self,
        x: torch.Tensor,
        cos: torch.Tensor,
        sin: torch.Tensor,
        grid: Grid,
        past: tuple[torch.Tensor, torch.Tensor] | None = None,
        keep: list[tuple[torch.Tensor, torch.Tensor]] | None = None,
    ) -> torch.Tensor:
        """Project real tokens only, attend on the padded grid (over `past` too); keep this chunk's k/v."""
        tokens = x.shape[0]
        q = self.q_proj(x).view(tokens, -1, self.head_dim)
        k = self.k_proj(x).view(tokens, -1, self.head_dim)
        v = self.v_proj(x).view(tokens, -1, self.head_dim)
        q = (q * cos + _rotate_half(q) * sin).flatten(1)
        k = (k * cos + _rotate_half(k) * sin).flatten(1)
        q, k, v = (  # (batch, heads, length, head_dim)
            grid.pad(t).view(grid.batch, grid.length, -1, self.head_dim).transpose(1, 2) for t in (q, k, v.flatten(1))
        )
        if keep is not None:
            keep.append((k, v))
        if past is not None:
            k = torch.cat((past[0], k), dim=2)
            v = torch.cat((past[1], v), dim=2)
        if grid.mask is None:
            out = F.scaled_dot_product_attention(
                q, k, v, is_causal=grid.length > 1, enable_gqa=self.kv_heads != self.heads
            )
        else:
            if self.kv_heads != self.heads:
                k = k.repeat_interleave(self.heads // self.kv_heads, dim=1)
                v = v.repeat_interleave(self.heads // self.kv_heads, dim=1)
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=grid.mask)
        return self.o_proj(grid.unpad(out.transpose(1, 2)))


class MLP(nn.Module):
    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        bias = config.mlp_bias
        self.gate_proj = _Linear(config.hidden_size, config.intermediate_size, bias=bias)
        self.up_proj = _Linear(config.hidden_size, config.intermediate_size, bias=bias)
        self.down_proj = _Linear(config.intermediate_size, config.hidden_size, bias=bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class DecoderLayer(nn.Module):
    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        self.self_attn = Attention(config)
        self.mlp = MLP(config)
        self.input_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.post_attention_layernorm = RMSNorm(config.hidden_size, config.rms_norm_eps)

    def forward(
        self,
        x: torch.Tensor,
        cos: torch.Tensor,
        sin: torch.Tensor,
        grid: Grid,
        past: tuple[torch.Tensor, torch.Tensor] | None = None,
        keep: list[tuple[torch.Tensor, torch.Tensor]] | None = None,
    ) -> torch.Tensor:
        x = x + self.self_attn(self.input_layernorm(x), cos, sin, grid, past, keep)
        return x + self.mlp(self.post_attention_layernorm(x))


@dataclass
class BodyOutput:
    last_hidden_state: torch.Tensor


class LlamaBody(nn.Module):
    """The decoder stack (transformers' `LlamaModel`): ids -> final-normed hidden states."""

    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        self.embed_tokens = _Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(DecoderLayer(config) for _ in range(config.num_hidden_layers))
        self.norm = RMSNorm(config.hidden_size, config.rms_norm_eps)
        self.register_buffer("inv_freq", torch.empty(config.head_dim // 2), persistent=False)

    def forward(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor | None = None,
        keep: list[tuple[torch.Tensor, torch.Tensor]] | None = None,
    ) -> BodyOutput:
        """Score right-padded ids; `attention_mask` is 1 for real tokens and 0 for padding.

        With `keep`, every layer's rotated keys and values are appended to it, so texts that
        start with the same tokens can continue from them (`forward_after`).
        """
        batch, length = input_ids.shape
        index = None
        mask = None
        if attention_mask is not None and not bool(attention_mask.all()):
            index = attention_mask.flatten().nonzero().squeeze(1)
            causal = torch.ones(length, length, dtype=torch.bool, device=input_ids.device).tril()
            mask = causal[None, None] & attention_mask.bool()[:, None, None, :]
        grid = Grid(batch, length, index, mask)
        positions = torch.arange(length, device=input_ids.device).expand(batch, length)
        return self._run(input_ids, positions, grid, keep=keep)

    def forward_after(
        self,
        input_ids: torch.Tensor,
        attention_mask: torch.Tensor,
        past: Sequence[tuple[torch.Tensor, torch.Tensor]],
        past_lengths: torch.Tensor,
    ) -> BodyOutput:
        """Continue texts whose first tokens were already run: row b follows its `past_lengths[b]`
        cached positions (keys/values per layer, left-aligned and right-padded), so a rewrite
        candidate that shares its start with another text pays only for its own tail."""
        batch, length = input_ids.shape
        width = past[0][0].shape[2]
        device = input_ids.device
        seen = torch.arange(width, device=device)[None, :] < past_lengths[:, None]  # (batch, width)
        own = (
            torch.ones(length, length, dtype=torch.bool, device=device).tril()[None] & attention_mask.bool()[:, None, :]
        )
        mask = torch.cat((seen[:, None, :].expand(batch, length, width), own), dim=2)[:, None]
        index = attention_mask.flatten().nonzero().squeeze(1)
        positions = past_lengths[:, None] + torch.arange(length, device=device)[None, :]
        return self._run(input_ids, positions, Grid(batch, length, index, mask), past=past)

    def _run(
        self,
        input_ids: torch.Tensor,
        positions: torch.Tensor,
        grid: Grid,
        past: Sequence[tuple[torch.Tensor, torch.Tensor]] | None = None,
        keep: list[tuple[torch.Tensor, torch.Tensor]] | None = None,
    ) -> BodyOutput:
        ids = grid.unpad(input_ids[..., None]).squeeze(1)
        x = self.embed_tokens(ids)
        cos, sin = self._rotary(grid.unpad(positions[..., None]).squeeze(1), x.dtype)
        cos, sin = cos[:, None], sin[:, None]  # (tokens, 1, head_dim): broadcast over heads
        for i, layer in enumerate(self.layers):
            x = layer(x, cos, sin, grid, past=past[i] if past is not None else None, keep=keep)
        return BodyOutput(last_hidden_state=grid.pad(self.norm(x)))

    def _rotary(self, positions: torch.Tensor, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
        freqs = positions.to(torch.float32)[..., None] * self.inv_freq.to(device=positions.device, dtype=torch.float32)
        emb = torch.cat((freqs, freqs), dim=-1)
        return emb.cos().to(dtype), emb.sin().to(dtype)


class TinyLlama(nn.Module):
    """`LlamaForCausalLM` for scoring, with the interface `HFScorer` uses."""

    base_model_prefix = "model"

    def __init__(self, config: LlamaConfig) -> None:
        super().__init__()
        self.config = config
        self.model = LlamaBody(config)
        self.lm_head = _Linear(config.hidden_size, config.vocab_size, bias=False)

    def get_output_embeddings(self) -> nn.Linear:
        return self.lm_head

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor | None = None) -> torch.Tensor:
        """Return the logits for every position."""
        return self.lm_head(self.model(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state)

    @classmethod
    def from_folder(cls, folder: str | Path, dtype: torch.dtype = torch.float32) -> TinyLlama:
        """Build from config.json and model.safetensors (or a sharded index) in `folder`."""
        from safetensors.torch import load_file

        folder = Path(folder)
        config = LlamaConfig.from_dict(json.loads((folder / "config.json").read_text()))
        index = folder / "model.safetensors.index.json"
        if index.is_file():
            shards = sorted(set(json.loads(index.read_text())["weight_map"].values()))
        else:
            shards = ["model.safetensors"]
        state: dict[str, torch.Tensor] = {}
        for shard in shards:
            state.update(load_file(folder / shard))
        state = {k: v.to(dtype) for k, v in state.items()}
        if config.tie_word_embeddings:
            state["lm_head.weight"] = state["model.embed_tokens.weight"]
        model = cls(config)  # uninitialised: every parameter comes from the file
        missing, unexpected = model.load_state_dict(state, strict=False, assign=True)
        if missing or unexpected:
            raise ValueError(f"weights do not match a Llama model: missing {missing[:5]}, unexpected {unexpected[:5]}")
        if config.tie_word_embeddings:
            model.lm_head.weight = model.model.embed_tokens.weight
        model.model.inv_freq = rope_inv_freq(config)
        return model.eval()


class FastTokenizer:
    """The subset of a transformers fast tokenizer that `HFScorer` uses, over `tokenizers` alone."""

    def __init__(self, folder: str | Path) -> None:
        from tokenizers import Tokenizer

        folder = Path(folder)
        self.backend = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.backend.no_truncation()
        self.backend.no_padding()
        special: dict[str, Any] = {}
        for name in ("special_tokens_map.json", "tokenizer_config.json"):  # later files win, as in transformers
            path = folder / name
            if path.is_file():
                special.update({k: v for k, v in json.loads(path.read_text()).items() if v is not None})
        self.bos_token_id = self._token_id(special.get("bos_token"))
        self.eos_token_id = self._token_id(special.get("eos_token"))
        self.pad_token_id = self._token_id(special.get("pad_token"))

    def _token_id(self, token: object) -> int | None:
        if isinstance(token, dict):
            token = token.get("content")
        if not isinstance(token, str):
            return None
        return self.backend.token_to_id(token)

    def __call__(
        self,
        texts: str | Sequence[str],
        *,
        add_special_tokens: bool = True,
        return_offsets_mapping: bool = False,
    ) -> dict[str, list]:
        single = isinstance(texts, str)
        encodings = self.backend.encode_batch([texts] if single else list(texts), add_special_tokens=add_special_tokens)
        out: dict[str, list] = {"input_ids": [e.ids for e in encodings]}
        out["attention_mask"] = [e.attention_mask for e in encodings]
        if return_offsets_mapping:
            out["offset_mapping"] = [e.offsets for e in encodings]
        return {k: v[0] for k, v in out.items()} if single else out


def load_cached(folder: str | Path, dtype: torch.dtype) -> tuple[TinyLlama, FastTokenizer]:
    """Load a transformers-saved Llama cache folder; ValueError if it is not a plain Llama."""
    folder = Path(folder)
    model = TinyLlama.from_folder(folder, dtype)
    return model, FastTokenizer(folder)
