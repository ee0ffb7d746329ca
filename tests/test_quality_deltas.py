"""Quantised weight deltas: the rounding stays within half a step and packing round-trips."""

from __future__ import annotations

import pytest
import torch

from mtqa.quality.deltas import GROUP, SUFFIX_Q, SUFFIX_SCALE, dequantise, pack, quantise, unpack


@pytest.mark.parametrize("bits", [4, 8])
@pytest.mark.parametrize("seed", range(5))
def test_rounding_error_is_at_most_half_a_step(bits: int, seed: int) -> None:
    gen = torch.Generator().manual_seed(seed)
    delta = torch.randn(24, 3 * GROUP, generator=gen) * (10.0 ** -torch.randint(1, 4, (1,), generator=gen).item())
    delta[3, :GROUP] = 0.0  # an all-zero group must not divide by zero
    codes, scale = quantise(delta, bits)
    assert codes.dtype == torch.uint8 and scale.dtype == torch.float16
    assert codes.shape == (24, 3 * GROUP // (2 if bits == 4 else 1)) and scale.shape == (24, 3)
    back = dequantise(codes, scale)
    step = scale.float().repeat_interleave(GROUP, dim=1)
    assert torch.all((back - delta).abs() <= step / 2 + 1e-6)
    assert torch.all(back[3, :GROUP] == 0.0)


def test_four_bits_take_half_the_bytes_of_eight() -> None:
    delta = torch.randn(8, GROUP)
    assert quantise(delta, 4)[0].numel() * 2 == quantise(delta, 8)[0].numel()


def test_other_widths_and_shapes_are_refused() -> None:
    with pytest.raises(ValueError, match="bits"):
        quantise(torch.zeros(2, GROUP), 3)
    with pytest.raises(ValueError, match="multiple"):
        quantise(torch.zeros(2, GROUP + 1), 4)
    codes, scale = quantise(torch.zeros(2, GROUP), 8)
    with pytest.raises(ValueError, match="do not match"):
        dequantise(codes[:, :10], scale)


def test_pack_keeps_vectors_and_unpack_adds_the_base() -> None:
    base = {"w": torch.randn(4, GROUP), "b": torch.randn(4)}
    trained = {"w": base["w"] + 0.01, "b": base["b"] + 0.5, "head.weight": torch.randn(1, 5)}
    shipped = pack(trained, base, 8)
    assert set(shipped) == {"w" + SUFFIX_Q, "w" + SUFFIX_SCALE, "b", "head.weight"}
    assert shipped["b"].dtype == torch.float16
    back = unpack(shipped, base)
    assert set(back) == {"w", "b", "head.weight"}
    assert torch.allclose(back["w"], trained["w"], atol=1e-4)
    assert torch.allclose(back["b"], trained["b"], atol=1e-3)
    with pytest.raises(KeyError, match="no base weight"):
        unpack(shipped, {})
