"""target_logprobs: the fast bf16 path agrees with an exact fp32 log_softmax, underflow included."""

from __future__ import annotations

import torch

from mtqa.score.hf import target_logprobs


def _exact(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return torch.log_softmax(logits.float(), dim=-1).gather(-1, targets[:, None]).squeeze(-1)


def test_bf16_path_is_within_rounding_of_fp32() -> None:
    gen = torch.Generator().manual_seed(0)
    logits = (torch.randn(64, 5000, generator=gen) * 6).bfloat16()  # sharp, like an LM's
    targets = torch.randint(0, 5000, (64,), generator=gen)
    got = target_logprobs(logits, targets)
    assert got.dtype == torch.float32
    assert (got - _exact(logits, targets)).abs().max() < 0.005


def test_underflowing_targets_fall_back_to_exact() -> None:
    logits = torch.zeros(3, 100, dtype=torch.bfloat16)
    logits[0, 7] = -300.0  # probability ~ e^-300: zero in bf16, still exact here
    logits[2, 1] = 50.0
    targets = torch.tensor([7, 3, 4])
    got = target_logprobs(logits, targets)
    assert torch.isfinite(got).all()
    assert torch.allclose(got, _exact(logits, targets), atol=1e-3)
    assert got[0] < -290


def test_fp32_logits_take_the_exact_path() -> None:
    gen = torch.Generator().manual_seed(1)
    logits = torch.randn(8, 300, generator=gen) * 4
    targets = torch.randint(0, 300, (8,), generator=gen)
    assert torch.equal(target_logprobs(logits, targets), _exact(logits, targets))
