"""The shipped quality model: checksum-verified artifact, real scores, calibration in [0, 1], JSON fields.

Uses the real artifact in models/quality/ and the real MiniLM encoder from its wheel, on tiny inputs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtqa.cli import main
from mtqa.pipeline import Settings, check
from mtqa.quality import QualityModel, QualityModelError, QualityScore, load_quality_model
from mtqa.quality.calibrate import fit_isotonic
from mtqa.quality.combine import Combiner, sentence_features
from mtqa.quality.model import CALIBRATION, MANIFEST, WEIGHTS, default_artifact, verify

ARTIFACT = default_artifact()
needs_artifact = pytest.mark.skipif(
    not (ARTIFACT / MANIFEST).is_file(), reason="no trained artifact in models/quality (run benchmarks.train_quality)"
)


@pytest.fixture(scope="module")
def model() -> QualityModel:
    return load_quality_model()


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "quality"
    shutil.copytree(ARTIFACT, target)
    return target


@needs_artifact
def test_quality_artifact_fits_the_size_budget() -> None:
    manifest = verify(ARTIFACT)
    assert sum(meta["size"] for meta in manifest["files"].values()) <= 10_000_000


def _flip_byte(folder: Path) -> None:
    path = folder / WEIGHTS
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _truncate_calibration(folder: Path) -> None:
    path = folder / CALIBRATION
    path.write_text(path.read_text()[:-10])


@needs_artifact
@pytest.mark.parametrize(
    ("damage", "expected"),
    [
        (_flip_byte, "is corrupt (its sha256 does not match"),
        (_truncate_calibration, "is corrupt (its sha256 does not match"),
        (lambda f: (f / WEIGHTS).unlink(), "layers.safetensors is missing"),
        (lambda f: (f / MANIFEST).unlink(), "the quality model is missing"),
        (lambda f: (f / MANIFEST).write_text("{"), "is not valid JSON"),
        (lambda f: (f / MANIFEST).write_text('{"format": 1}'), "has format 1; this mtqa reads format 2"),
    ],
)
def test_quality_artifact_damage_is_a_clear_error(tmp_path, damage, expected: str) -> None:
    folder = _copy(tmp_path)
    damage(folder)
    with pytest.raises(QualityModelError, match=expected.replace("(", r"\(")) as info:
        QualityModel(folder)
    assert "retrain" in str(info.value) or "Restore" in str(info.value)


def test_quality_missing_artifact_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(QualityModelError, match="the quality model is missing"):
        QualityModel(tmp_path / "nowhere")


def test_quality_cli_missing_artifact_exits_2(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MTQA_QUALITY_MODEL", str(tmp_path / "nowhere"))
    article = tmp_path / "a.txt"
    article.write_text("The council approved the budget on Monday.\n")
    assert main(["check", "--no-lm", "--quality", str(article)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and any("quality model is missing" in line for line in err.splitlines())


@needs_artifact
def test_quality_cli_corrupt_artifact_exits_2(tmp_path, monkeypatch, capsys) -> None:
    folder = _copy(tmp_path)
    _flip_byte(folder)
    monkeypatch.setenv("MTQA_QUALITY_MODEL", str(folder))
    article = tmp_path / "a.txt"
    article.write_text("The council approved the budget on Monday.\n")
    assert main(["check", "--no-lm", "--quality", str(article)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert any(line.startswith("error:") and "corrupt" in line for line in err.splitlines())


@needs_artifact
@pytest.mark.parametrize(
    ("fluent", "garbled"),
    [
        (
            "The government announced new measures to reduce traffic in the city centre.",
            "The government announced to reduce the in city centre traffic measures new the.",
        ),
        (
            "Two soldiers were injured in the attack on Tuesday.",
            "Two soldiers became on Tuesday at the attack wounded of the by.",
        ),
    ],
)
def test_quality_model_prefers_fluent_over_garbled(model, fluent: str, garbled: str) -> None:
    good, bad = model.score([fluent, garbled])
    assert good.quality > bad.quality
    assert good.p_needs_edit <= bad.p_needs_edit


@needs_artifact
def test_quality_model_matches_the_transformers_network(model) -> None:
    """The plain-PyTorch runtime reproduces the training network (transformers) on the shipped weights."""
    import torch
    from safetensors.torch import load_file

    from mtqa.quality.deltas import unpack
    from mtqa.quality.model import build_network, encoder_dir

    texts = [
        "The council approved the budget on Monday.",
        "Also warned the SDF-commander of the next phase in the fight.",
        "word " * 150,  # longer than MAX_LENGTH word pieces: truncated the same way
        "Brașov — 20 °C, “quoted”.",
    ]
    tokenizer, net = build_network(encoder_dir(), int(model.manifest["trained_layers"]))
    base = {k: v.clone() for k, v in net.trained_state().items() if k.startswith("bert.")}
    net.load_state_dict(unpack(load_file(model.folder / WEIGHTS), base), strict=False)
    net.eval()
    enc = tokenizer(
        texts, truncation=True, max_length=96, padding=True, return_offsets_mapping=True, return_tensors="pt"
    )
    with torch.inference_mode():
        want_pred, want_logits = net(enc["input_ids"], enc["attention_mask"])
    got_pred, got_pieces = model.raw(texts)
    for row, text in enumerate(texts):
        assert abs(got_pred[row] - float(want_pred[row])) < 1e-4
        offsets = [tuple(o) for o in enc["offset_mapping"][row].tolist()]
        want = [(s, e, float(torch.sigmoid(want_logits[row, p]))) for p, (s, e) in enumerate(offsets) if e > s]
        assert [(s, e) for s, e, _ in got_pieces[row]] == [(s, e) for s, e, _ in want], text
        assert max(abs(a[2] - b[2]) for a, b in zip(got_pieces[row], want, strict=True)) < 1e-4


@needs_artifact
@pytest.mark.parametrize("trained", [6, 2])
def test_training_cache_is_the_encoders_hidden_state(trained: int) -> None:
    """`lower` (run once per sentence in training) equals transformers' own hidden state below the trained layers."""
    import torch

    from mtqa.quality.model import build_network, encoder_dir

    tokenizer, net = build_network(encoder_dir(), trained)
    net.eval()
    enc = tokenizer(
        ["The council met.", "Also warned the SDF-commander of the next phase."], padding=True, return_tensors="pt"
    )
    with torch.inference_mode():
        want = net.bert(**enc, output_hidden_states=True).hidden_states[6 - trained]
        got = net.lower(enc["input_ids"], enc["attention_mask"])
    real = enc["attention_mask"].bool()
    assert torch.allclose(got[real], want[real], atol=1e-5)


@needs_artifact
def test_quantised_deltas_load_as_the_training_network() -> None:
    """Layers shipped as 4-bit deltas from the base encoder give the network the training script measured."""
    import torch

    from mtqa.quality.deltas import SUFFIX_Q, pack, unpack
    from mtqa.quality.model import PlainNet, build_network, encoder_dir
    from mtqa.score.base import pad_right

    torch.manual_seed(0)
    tokenizer, net = build_network(encoder_dir(), 6)
    base = {k: v.clone() for k, v in net.trained_state().items() if k.startswith("bert.")}
    with torch.no_grad():
        for name, param in net.named_parameters():
            if name.startswith("bert.encoder.layer."):
                param.add_(torch.randn_like(param) * 0.01)  # stands in for fine-tuning
    shipped = pack(net.trained_state(), base, bits=4)
    assert sum(k.endswith(SUFFIX_Q) for k in shipped) == 6 * 6  # every linear layer of six blocks
    net.load_state_dict(unpack(shipped, base), strict=False)  # what train_quality measures on dev
    net.eval()
    plain = PlainNet({k: v.clone() for k, v in shipped.items()}, 6)
    assert plain.frozen == 0 and len(plain.top) == 6
    texts = ["The council approved the budget on Monday.", "Also warned the SDF-commander of the next phase."]
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    batch, mask = pad_right(plain.encode(texts)[0], plain.encoder.pad_id)
    with torch.inference_mode():
        want_pred, want_logits = net(enc["input_ids"], enc["attention_mask"])
        got_pred, got_probs = plain(batch, mask)
    real = mask.bool()
    assert torch.allclose(got_pred, want_pred, atol=1e-4)
    assert torch.allclose(got_probs[real], torch.sigmoid(want_logits)[real], atol=1e-4)


@needs_artifact
def test_quality_model_word_spans_point_into_the_text(model) -> None:
    text = "The village, founded in 1302, lies near Brașov."
    (score,) = model.score([text])
    assert score.words
    for w in score.words:
        assert 0 <= w.start < w.end <= len(text) and text[w.start : w.end].strip() == text[w.start : w.end]
        assert 0.0 <= w.p_bad <= 1.0
    assert [text[w.start : w.end] for w in score.words] == text.split()


@needs_artifact
@pytest.mark.parametrize("quality", [-20.0, -2.0, -0.5, 0.0, 0.7, 3.0, 50.0])
def test_quality_calibration_is_a_probability(model, quality: float) -> None:
    assert 0.0 <= model.needs_edit(quality) <= 1.0


@needs_artifact
def test_quality_calibration_decreases_with_quality(model) -> None:
    values = [model.needs_edit(q / 10) for q in range(-30, 30)]
    assert values == sorted(values, reverse=True)
    assert values[0] > values[-1]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-5, 5, allow_nan=False), st.integers(0, 1)),
        min_size=1,
        max_size=60,
    ),
    st.floats(-10, 10, allow_nan=False),
)
def test_quality_isotonic_is_monotone_and_bounded(pairs, probe: float) -> None:
    iso = fit_isotonic([p[0] for p in pairs], [p[1] for p in pairs], increasing=False)
    assert 0.0 <= iso(probe) <= 1.0
    assert iso(probe) >= iso(probe + 1.0)


def test_quality_cli_quality_model_dir_missing_exits_2(tmp_path, capsys) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The council approved the budget on Monday.\n")
    assert main(["check", "--no-lm", "--quality-model", str(tmp_path / "mine"), str(article)]) == 2
    err = capsys.readouterr().err
    assert "quality model is missing" in err and f"--out {tmp_path / 'mine'}" in err and "git checkout" not in err


def test_quality_settings_quality_model_dir_implies_quality(tmp_path) -> None:
    """Settings(quality_model=DIR) alone loads that folder (the CLI's --quality-model is no special case)."""
    from mtqa.pipeline import Settings, get_quality_model

    with pytest.raises(QualityModelError, match="quality model is missing"):
        get_quality_model(Settings(use_lm=False, quality_model=str(tmp_path / "mine")))
    assert get_quality_model(Settings(use_lm=False)) is None


@needs_artifact
def test_quality_fields_in_json() -> None:
    report = check(
        "The council approved the new budget on Monday.\n\nThe the budget by of approved was.\n",
        use_lm=False,
        use_quality=True,
    )
    data = json.loads(json.dumps(report.to_dict()))
    for sentence in data["sentences"]:
        assert isinstance(sentence["quality"], float)
        assert 0.0 <= sentence["p_needs_edit"] <= 1.0
    summary = data["summary"]["quality"]
    assert set(summary) == {"mean_quality", "needs_edit_share", "sentences_needing_edit"}
    assert 0.0 <= summary["needs_edit_share"] <= 1.0
    assert "|quality:" in data["signature"]


def test_quality_off_leaves_fields_null() -> None:
    data = check("The council approved the new budget on Monday.\n", settings=Settings(use_lm=False, use_quality=False))
    out = data.to_dict()
    assert out["sentences"][0]["quality"] is None and out["sentences"][0]["p_needs_edit"] is None
    assert out["summary"]["quality"] is None  # type: ignore[index]


@needs_artifact
def test_quality_combiner_loads_from_the_calibration(model) -> None:
    stored = json.loads((ARTIFACT / CALIBRATION).read_text())["combiner"]
    assert model.combiner is not None and list(model.combiner.features) == stored["features"]
    assert model.combiner.features[0] == "raw" and "slor" in model.combiner.features
    assert Combiner.from_dict(model.combiner.to_dict()) == model.combiner
    # p_needs_edit with the LM: a logistic regression on the same features, more needs-edit for lower quality
    clf = model.needs_edit_logit
    assert clf is not None and clf.features == model.combiner.features
    assert clf.weights[clf.features.index("raw")] < 0 and clf.weights[clf.features.index("slor")] < 0


@needs_artifact
@pytest.mark.parametrize("feature", ["raw", "slor", "mean_logprob", "log_words"])
def test_quality_combiner_is_monotone_in_each_feature(model, feature: str) -> None:
    comb = model.combiner
    weight = comb.weights[comb.features.index(feature)]
    base = dict(zip(comb.features, comb.mean))
    values = [comb({**base, feature: base[feature] + step / 4}) for step in range(-40, 41)]
    assert values == sorted(values, reverse=weight < 0)
    if feature in ("raw", "slor"):  # the model's own prediction and fluency must count as better
        assert weight > 0


@needs_artifact
@settings(max_examples=60, deadline=None)
@given(
    st.floats(-50, 50, allow_nan=False),
    st.floats(-60, 20, allow_nan=False),
    st.floats(-30, 0, allow_nan=False),
    st.integers(0, 400),
)
def test_quality_combined_needs_edit_is_a_probability(raw: float, slor: float, mean: float, n: int) -> None:
    model = load_quality_model()
    score = QualityScore(raw, model.needs_edit(raw), (), raw=raw)
    out = model.combine(score, sentence_features(slor, mean, n))
    assert 0.0 <= out.p_needs_edit <= 1.0
    assert abs(out.quality) < 10.0  # clipped z-scores keep one wild feature from swinging quality
    better = model.combine(score, sentence_features(slor + 1.0, mean, n))
    assert better.quality >= out.quality and better.p_needs_edit <= out.p_needs_edit


@needs_artifact
def test_quality_combiner_runs_with_the_lm_and_not_without() -> None:
    text = "The council approved the new budget on Monday.\n\nHim go to the the shop yesterday quick.\n"
    with_lm = check(text, use_quality=True)
    without = check(text, use_lm=False, use_quality=True)
    model = load_quality_model()
    scores = model.score([s.text for s in without.sentences])
    assert [s.quality for s in without.sentences] == pytest.approx([s.quality for s in scores])
    assert [s.quality for s in with_lm.sentences] != pytest.approx([s.quality for s in scores])
    assert with_lm.sentences[0].quality > with_lm.sentences[1].quality
    assert with_lm.sentences[0].score is not None  # `score` stays the LM's SLOR
