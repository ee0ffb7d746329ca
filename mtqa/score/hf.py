"""Token log-probs from any transformers causal LM: batched, length-sorted, windowed.

Each text is tokenised without special tokens and scored after one start-of-text context token,
so its first word is scored too (minicons dropped it, issue #51). Texts longer than the window
are split into overlapping windows: every token is scored once, with up to `context` tokens of
left context, so a 20,000-word line costs linear time and bounded memory.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mtqa.score.base import TokenScores, pad_right

LOG = logging.getLogger(__name__)


def target_logprobs(logits: object, targets: object) -> object:
    """Log-prob of each row's target token under the softmax of its logits (float32).

    bfloat16 logits: the bf16 softmax (fp32 inside, one rounding at the end) then the log of the
    target's probability, ~6x faster on CPU than a full fp32 log_softmax; bf16 keeps fp32's exponent
    range, so the rounding costs <= 0.004 nats, far below the bf16 noise of the logits themselves.
    Rows whose target underflows (log-prob below ~ -87) fall back to the exact fp32 log_softmax.
    Other dtypes (fp32 for exact tests, fp16 whose range would underflow) take log_softmax directly.
    """
    import torch

    index = targets.unsqueeze(-1)  # type: ignore[attr-defined]
    if logits.dtype != torch.bfloat16:  # type: ignore[attr-defined]
        return torch.log_softmax(logits, dim=-1, dtype=torch.float32).gather(-1, index).squeeze(-1)  # type: ignore[arg-type]
    out = torch.softmax(logits, dim=-1).gather(-1, index).squeeze(-1).float().log()  # type: ignore[arg-type]
    lost = ~torch.isfinite(out)
    if lost.any():
        exact = torch.log_softmax(logits[lost], dim=-1, dtype=torch.float32)  # type: ignore[index]
        out[lost] = exact.gather(-1, index[lost]).squeeze(-1)
    return out


@dataclass(frozen=True, slots=True)
class _Window:
    text_id: int
    input_ids: tuple[int, ...]
    first_target: int  # index in input_ids of the first position whose token is scored here
    token_start: int  # index into the text's token list of that first scored token


class HFScorer:
    """A `Scorer` over a transformers causal LM and its fast tokenizer."""

    def __init__(
        self,
        model: object,
        tokenizer: object,
        *,
        name: str,
        device: str | None = None,
        window: int = 256,
        context: int = 64,
        max_batch_tokens: int = 512,  # rows x longest row; padding costs attention only (see score.grid)
    ) -> None:
        import torch

        threads = int(os.environ.get("MTQA_THREADS", "0")) or max(1, min(8, os.cpu_count() or 1))
        torch.set_num_threads(threads)
        self.name = name
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model = model.to(self.device).eval()  # type: ignore[attr-defined]
        self.tokenizer = tokenizer
        self.window = window
        self.context = context
        self.max_batch_tokens = max_batch_tokens
        self.bos_id = self._context_token_id()
        self._body = getattr(self.model, self.model.base_model_prefix)
        self._head = self.model.get_output_embeddings()
        self.pad_id = self.bos_id

    def _context_token_id(self) -> int:
        tok = self.tokenizer
        for attr in ("bos_token_id", "eos_token_id"):
            value = getattr(tok, attr, None)
            if value is not None:
                return int(value)
        return 0

    def _windows(self, text_id: int, ids: list[int]) -> list[_Window]:
        full = [self.bos_id, *ids]
        if len(full) <= self.window:
            return [_Window(text_id, tuple(full), 1, 0)]
        windows = []
        step = self.window - self.context
        for start in range(1, len(full), step):
            left = max(0, start - self.context)
            chunk = full[left : min(len(full), start + step)]
            windows.append(_Window(text_id, tuple(chunk), start - left, start - 1))
        return windows

    def token_logprobs(self, texts: Sequence[str]) -> list[TokenScores]:
        """Return per-token log-probs for every text, in input order."""
        import torch

        encoded = self.tokenizer(  # type: ignore[operator]
            list(texts), add_special_tokens=False, return_offsets_mapping=True
        )
        all_ids: list[list[int]] = encoded["input_ids"]
        results: list[list[float]] = [[0.0] * len(ids) for ids in all_ids]
        windows = [w for i, ids in enumerate(all_ids) if ids for w in self._windows(i, ids)]
        shared: dict[int, tuple[int, int]] = {}
        if hasattr(self._body, "forward_after"):
            shared = share_prefixes({w.text_id: w.input_ids for w in windows if len(all_ids[w.text_id]) < self.window})
        needs: dict[int, int] = {}  # root -> how many of its positions a continuing text attends to
        for root, n in shared.values():
            needs[root] = max(needs.get(root, 0), n - 1)
        cached: dict[int, list[tuple[object, object]]] = {}
        windows = [w for w in windows if w.text_id not in shared]
        windows.sort(key=lambda w: len(w.input_ids))
        with torch.inference_mode():
            for batch in self._batches(windows, lambda w: len(w.input_ids)):
                self._run(batch, results, needs, cached)
            tails = sorted(shared.items(), key=lambda item: len(all_ids[item[0]]) - item[1][1])
            for batch in self._batches(tails, lambda item: len(all_ids[item[0]]) + 2 - item[1][1]):
                self._run_tails(batch, all_ids, results, cached)
        return [
            TokenScores(text=text, offsets=tuple(map(tuple, offs)), logprobs=tuple(lp))
            for text, offs, lp in zip(texts, encoded["offset_mapping"], results)
        ]

    def _batches(self, items: list, length) -> Iterator[list]:  # type: ignore[no-untyped-def]
        """Group items (sorted by length) so that rows x longest row stays within max_batch_tokens."""
        batch: list = []
        for item in items:
            if batch and (len(batch) + 1) * length(item) > self.max_batch_tokens:
                yield batch
                batch = []
            batch.append(item)
        if batch:
            yield batch

    def _logprobs(self, hidden: object, ids: object, mask: object) -> list[float]:
        """Log-prob of each next real token, flattened row by row (padding skipped)."""

        # Project only real (unpadded) positions through the vocabulary head: the head and the
        # normalisation are a third of the cost, and padding would double that.
        keep = mask[:, 1:].bool()  # type: ignore[index]
        return target_logprobs(self._head(hidden[:, :-1][keep]), ids[:, 1:][keep]).cpu().tolist()  # type: ignore[index]

    def _run(
        self,
        batch: list[_Window],
        results: list[list[float]],
        needs: dict[int, int] | None = None,
        cached: dict[int, list[tuple[object, object]]] | None = None,
    ) -> None:
        """Score whole windows; keep the keys/values of the rows other texts continue from."""
        ids, mask = pad_right([w.input_ids for w in batch], self.pad_id)
        ids, mask = ids.to(self.device), mask.to(self.device)
        rows = {r: needs[w.text_id] for r, w in enumerate(batch) if needs and w.text_id in needs}
        keep: list[tuple[object, object]] | None = [] if rows else None
        body = self._body(input_ids=ids, attention_mask=mask, **({"keep": keep} if keep is not None else {}))
        flat = self._logprobs(body.last_hidden_state, ids, mask)
        pos = 0
        for win in batch:
            n = len(win.input_ids) - 1
            scored = flat[pos + win.first_target - 1 : pos + n]
            pos += n
            results[win.text_id][win.token_start : win.token_start + len(scored)] = scored
        if keep and cached is not None:
            for row, need in rows.items():
                cached[batch[row].text_id] = [(k[row, :, :need], v[row, :, :need]) for k, v in keep]  # type: ignore[index]

    def _run_tails(
        self,
        batch: list[tuple[int, tuple[int, int]]],
        all_ids: list[list[int]],
        results: list[list[float]],
        cached: dict[int, list[tuple[object, object]]],
    ) -> None:
        """Score texts that start like a scored one: run from their first own token, attending to
        the cached keys/values of the shared start; copy the shared tokens' log-probs."""
        import torch

        full = [(text_id, [self.bos_id, *all_ids[text_id]], root, n) for text_id, (root, n) in batch]
        ids, mask = pad_right([f[n - 1 :] for _, f, _, n in full], self.pad_id)
        ids, mask = ids.to(self.device), mask.to(self.device)
        lengths = torch.tensor([n - 1 for *_, n in full], device=self.device)
        width = int(lengths.max())
        past = []
        for layer in range(len(cached[full[0][2]])):
            k0 = cached[full[0][2]][layer][0]
            k = k0.new_zeros((len(full), k0.shape[0], width, k0.shape[2]))  # type: ignore[attr-defined]
            v = torch.zeros_like(k)
            for row, (_, _, root, n) in enumerate(full):
                k[row, :, : n - 1] = cached[root][layer][0][:, : n - 1]  # type: ignore[index]
                v[row, :, : n - 1] = cached[root][layer][1][:, : n - 1]  # type: ignore[index]
            past.append((k, v))
        body = self._body.forward_after(ids, mask, past, lengths)  # type: ignore[attr-defined]
        flat = self._logprobs(body.last_hidden_state, ids, mask)
        pos = 0
        for text_id, f, root, n in full:
            own = len(f) - n
            results[text_id][: n - 1] = results[root][: n - 1]
            results[text_id][n - 1 :] = flat[pos : pos + own]
            pos += own


MIN_SHARED = 4  # tokens (start-of-text included) two texts must share before one continues from the other


def share_prefixes(texts: dict[int, tuple[int, ...]]) -> dict[int, tuple[int, int]]:
    """Map text id -> (root id, shared token count) for texts that can continue from a root.

    Texts are sorted, so those with a common start are neighbours; the first of each run is a
    root (scored whole), the rest continue from it. Rewrite candidates share most of their
    sentence with the original, so this saves about a fifth of a check's LM work.
    """
    out: dict[int, tuple[int, int]] = {}
    root: int | None = None
    for text_id in sorted(texts, key=texts.__getitem__):
        if root is not None:
            a, b = texts[root], texts[text_id]
            n = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            if n >= MIN_SHARED:
                out[text_id] = (root, n)
                continue
        root = text_id
    return out
