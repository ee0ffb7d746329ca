"""TinyLlama (plain PyTorch) must score exactly like transformers' LlamaForCausalLM on the real cache."""

from __future__ import annotations

import pytest

torch = pytest.importorskip("torch")

from mtqa.score import llama  # noqa: E402
from mtqa.score.hf import HFScorer, share_prefixes  # noqa: E402
from mtqa.score.loader import _manifest_ok, cache_folder, default_gguf, load_scorer, pick_dtype  # noqa: E402

SENTENCES = [
    "The minister said the talks would resume next week.",
    "Curaçao’s café — 20 °C",
    "Yes.",
    "In Rotterdam, the port authority reported a 4.5% drop in container traffic, citing weaker demand from "
    "Asia and the lingering effects of last year's strikes at several terminals along the Maasvlakte.",
    "Het kabinet — or rather the cabinet — decided: “no comment”. Emoji 🎉 and 日本語 too.",
]


@pytest.fixture(scope="module")
def folder():
    source = default_gguf()
    path = cache_folder(source, pick_dtype())
    if _manifest_ok(path, source) is None:
        load_scorer()  # builds the cache
    return path


@pytest.fixture(scope="module")
def scorers(folder):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    threads = torch.get_num_threads()
    # One thread: an oversubscribed OpenMP pool (other processes on a small machine) is 10x slower.
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("MTQA_THREADS", "1")
        ref_model = AutoModelForCausalLM.from_pretrained(folder, dtype=torch.float32)
        ref = HFScorer(ref_model, AutoTokenizer.from_pretrained(folder), name="transformers", device="cpu")
        tiny_model, tiny_tok = llama.load_cached(folder, torch.float32)
        tiny = HFScorer(tiny_model, tiny_tok, name="tiny", device="cpu")
    yield ref, tiny
    torch.set_num_threads(threads)


def test_logprobs_and_offsets_match_transformers(scorers):
    ref, tiny = scorers
    assert tiny.bos_id == ref.bos_id
    # Different lengths go into one right-padded batch, so the padding mask is exercised.
    got, want = tiny.token_logprobs(SENTENCES), ref.token_logprobs(SENTENCES)
    assert len({len(w.offsets) for w in want}) > 1
    worst = 0.0
    for g, w in zip(got, want, strict=True):
        assert g.offsets == w.offsets
        assert len(g.logprobs) == len(w.logprobs) > 0
        worst = max(worst, *(abs(a - b) for a, b in zip(g.logprobs, w.logprobs)))
    assert worst < 1e-3


# Rewrite candidates: they share their start with the sentence, so they continue from its cached keys.
VARIANTS = [
    "With the fall of this stronghold comes to an end the so-called caliphate.",
    "With the fall of this stronghold, the so-called caliphate comes to an end.",
    "With the fall of this stronghold the so-called caliphate comes to an end.",
    "With the fall of this stronghold",  # a prefix of the others
    "With the fall of this stronghold comes to an end the so-called caliphate.",  # a duplicate
    "Yes.",
    "",
]


def test_prefix_sharing_scores_like_transformers(scorers):
    ref, tiny = scorers
    ids = tiny.tokenizer(VARIANTS, add_special_tokens=False)["input_ids"]
    plan = share_prefixes({i: (tiny.bos_id, *row) for i, row in enumerate(ids) if row})
    assert len(plan) >= 3  # the candidates, the prefix and the duplicate continue from a root
    got, want = tiny.token_logprobs(VARIANTS), ref.token_logprobs(VARIANTS)
    for g, w in zip(got, want, strict=True):
        assert g.offsets == w.offsets
        assert len(g.logprobs) == len(w.logprobs)
        assert all(abs(a - b) < 1e-3 for a, b in zip(g.logprobs, w.logprobs))
    assert got[0].logprobs == got[4].logprobs


def test_tokenizer_matches_transformers(folder):
    from transformers import AutoTokenizer

    ref = AutoTokenizer.from_pretrained(folder)
    tok = llama.FastTokenizer(folder)
    assert (tok.bos_token_id, tok.eos_token_id) == (ref.bos_token_id, ref.eos_token_id)
    texts = [*SENTENCES, "", "  two  spaces\tand a tab"]
    want = ref(texts, add_special_tokens=False, return_offsets_mapping=True)
    got = tok(texts, add_special_tokens=False, return_offsets_mapping=True)
    assert got["input_ids"] == want["input_ids"]
    assert [list(map(tuple, o)) for o in got["offset_mapping"]] == [list(map(tuple, o)) for o in want["offset_mapping"]]


def test_padding_does_not_change_scores(scorers):
    _, tiny = scorers
    model = tiny.model
    rows = [[1, 504, 3459, 1351, 260, 2915, 30], [1, 19556, 905]]
    ids = torch.full((2, 7), 1, dtype=torch.long)
    mask = torch.zeros((2, 7), dtype=torch.long)
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
    with torch.inference_mode():
        batched = model(ids, mask)
        for i, row in enumerate(rows):
            alone = model(torch.tensor([row]))
            torch.testing.assert_close(batched[i, : len(row)], alone[0], atol=1e-4, rtol=1e-4)


def test_unsupported_config_raises_value_error(folder):
    import json

    raw = json.loads((folder / "config.json").read_text())
    with pytest.raises(ValueError, match="rope"):
        llama.LlamaConfig.from_dict({**raw, "rope_parameters": {"rope_type": "yarn", "rope_theta": 1e4, "factor": 2}})
    with pytest.raises(ValueError, match="LlamaForCausalLM"):
        llama.LlamaConfig.from_dict({**raw, "architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2"})
