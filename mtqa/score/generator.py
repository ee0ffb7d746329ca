"""Let a causal LM write free-form rewrites of sentences (opt-in: `mtqa check/fix --generate N`).

Only the model side lives here: a prompt in, N beam-searched continuations out. What a written text
is worth is decided elsewhere (`mtqa.rewrite.freeform` turns it into edits, `mtqa.rewrite.review`
guards them like any rule's). Generation needs transformers' `generate`, so the model is loaded
through transformers (about 2-3 s more than the scorer's plain-PyTorch path), and only when asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

SYSTEM = (
    "You are a news copy editor. You fix English that was machine-translated: word order, grammar, "
    "agreement and words left in the source language. Reply with the corrected sentence only."
)
USER = "Correct this sentence, changing as little as possible:\n{sentence}"
PLAIN = "Correct the machine-translated sentence, changing as little as possible.\nSentence: {sentence}\nCorrected:"


class Generator(Protocol):
    """Anything that writes `n` candidate rewrites for each text, in input order."""

    name: str

    def rewrite(self, texts: Sequence[str], n: int) -> list[list[str]]: ...


class HFGenerator:
    """A `Generator` over a transformers causal LM: chat template where the tokenizer has one, beam search."""

    def __init__(self, model: object, tokenizer: object, *, name: str, device: str | None = None, batch: int = 8):
        import torch

        self.name = name
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.model = model.to(self.device).eval()  # type: ignore[attr-defined]
        self.tokenizer = tokenizer
        self.batch = batch
        tokenizer.padding_side = "left"  # type: ignore[attr-defined]  # decoder-only batches pad on the left
        if getattr(tokenizer, "pad_token_id", None) is None:
            tokenizer.pad_token = tokenizer.eos_token  # type: ignore[attr-defined]

    def prompt(self, sentence: str) -> str:
        """The text the model continues: its chat template with SYSTEM and USER, else a plain prompt."""
        tok = self.tokenizer
        if getattr(tok, "chat_template", None):
            user = USER.format(sentence=sentence)
            messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user}]
            return tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)  # type: ignore[attr-defined]
        return PLAIN.format(sentence=sentence)

    def rewrite(self, texts: Sequence[str], n: int) -> list[list[str]]:
        """Return `n` beam-search outputs per text (deterministic: no sampling), special tokens removed."""
        import torch

        out: list[list[str]] = []
        tok = self.tokenizer
        for first in range(0, len(texts), self.batch):
            chunk = list(texts[first : first + self.batch])
            enc = tok([self.prompt(t) for t in chunk], return_tensors="pt", padding=True, add_special_tokens=False)  # type: ignore[operator]
            enc = {k: v.to(self.device) for k, v in enc.items()}
            longest = max(len(tok(t, add_special_tokens=False)["input_ids"]) for t in chunk)  # type: ignore[operator]
            with torch.inference_mode():
                ids = self.model.generate(  # type: ignore[attr-defined]
                    **enc,
                    max_new_tokens=int(longest * 1.5) + 24,
                    num_beams=max(n, 1),
                    num_return_sequences=n,
                    do_sample=False,
                    pad_token_id=tok.pad_token_id,  # type: ignore[attr-defined]
                )
            new = ids[:, enc["input_ids"].shape[1] :]
            decoded = tok.batch_decode(new, skip_special_tokens=True)  # type: ignore[attr-defined]
            out.extend(decoded[i * n : (i + 1) * n] for i in range(len(chunk)))
        return out
