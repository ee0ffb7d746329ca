"""What the two MiniLM training scripts share: seeding, which weights train, the optimiser, the progress bar.

`train_quality.py` (the quality model) and `train_damage.py` (the L103 damage detector) fine-tune the
same network (`mtqa.quality.model.build_network`) the same way; only their data and losses differ.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import numpy as np
from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn, TimeRemainingColumn

PROGRESS_COLUMNS = (
    TextColumn("{task.description}"),
    BarColumn(),
    MofNCompleteColumn(),
    TimeElapsedColumn(),
    TimeRemainingColumn(),
)


def seeded_torch(seed: int, threads: int) -> tuple[Any, str, Callable[[], Any]]:
    """Seed every generator, set the thread count; return (torch, device, autocast factory for bf16)."""
    import torch

    torch.set_num_threads(threads)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"

    def autocast() -> Any:
        return torch.autocast(device_type=device, dtype=torch.bfloat16)

    return torch, device, autocast


def trainable(net: Any) -> tuple[dict, list, list]:
    """Freeze everything but the shipped layers and the two heads.

    Returns the base weights of the trained layers (the deltas are taken from them), the trained
    layers' parameters and the heads' parameters.
    """
    for p in net.parameters():
        p.requires_grad_(False)
    base_state = {k: v.detach().clone() for k, v in net.trained_state().items() if k.startswith("bert.")}
    shipped = set(net.trained_state())
    trained = [p for n, p in net.named_parameters() if n in shipped and n.startswith("bert.")]
    heads = [*net.regressor.parameters(), *net.tagger.parameters()]
    for p in trained + heads:
        p.requires_grad_(True)
    return base_state, trained, heads


def optimiser(torch: Any, trained: list, heads: list, lr: float, head_lr: float, steps: int) -> tuple[Any, Any]:
    """AdamW (weight decay 0.01) with 6 % linear warm-up and linear decay to zero over `steps`."""
    opt = torch.optim.AdamW([{"params": trained, "lr": lr}, {"params": heads, "lr": head_lr}], weight_decay=0.01)
    warmup = max(1, int(0.06 * steps))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (steps - s) / max(1, steps - warmup)))
    )
    return opt, scheduler
