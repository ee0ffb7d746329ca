"""`train_quality --encoder`: another base model plugs into the same training command and the same loader.

The base here is SmolLM2-135M from its GGUF file (the LM mtqa already ships, a decoder with another
tokenizer), trained for a few steps on a few MLQE-PE rows: the point is the plumbing, not the figures.
"""

from __future__ import annotations

import json
import math

import pytest

from benchmarks.train_quality import main as train_main
from benchmarks.train_quality import slug
from mtqa.quality.model import QualityModel, QualityModelError, load_quality_model
from mtqa.score.loader import default_gguf


@pytest.fixture(scope="module")
def smol_artifact(tmp_path_factory):
    gguf = default_gguf()
    out = tmp_path_factory.mktemp("smol") / "quality"
    argv = ["--encoder", str(gguf.parent), "--encoder-file", gguf.name, "--layers", "1", "--epochs", "1"]
    argv += ["--limit", "12", "--batch", "8", "--out", str(out)]
    assert train_main(argv) == 0
    return out


def test_quality_encoder_artifact_names_its_base(smol_artifact):
    manifest = json.loads((smol_artifact / "manifest.json").read_text())
    assert manifest["base"]["gguf_file"] == default_gguf().name
    assert manifest["base"]["local"] is True and "package" not in manifest["base"]
    assert manifest["name"].startswith("smollm2-135m-instruct-top1")
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in (smol_artifact / "CARD.md").read_text()


def test_quality_encoder_artifact_loads_and_scores_words(smol_artifact):
    model = load_quality_model(smol_artifact)  # cached: the CLI test below reuses it
    texts = ["Also warned the SDF-commander for new attacks.", "The fighters of the coalition are tired."]
    scores = model.score(texts)
    assert len(scores) == 2
    for text, score in zip(texts, scores, strict=True):
        assert math.isfinite(score.quality) and 0.0 <= score.p_needs_edit <= 1.0
        # each whitespace word gets one P(BAD), however the base model's tokenizer splits it
        assert [text[w.start : w.end] for w in score.words] == text.split()
        assert all(0.0 <= w.p_bad <= 1.0 for w in score.words)
    assert scores[0].raw != scores[1].raw


def test_quality_encoder_missing_base_is_a_clear_error(smol_artifact, tmp_path):
    moved = tmp_path / "quality"
    moved.mkdir()
    for f in smol_artifact.iterdir():
        (moved / f.name).write_bytes(f.read_bytes())
    manifest = json.loads((moved / "manifest.json").read_text())
    manifest["base"]["path"] = str(tmp_path / "gone")
    (moved / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(QualityModelError, match=r"base model .* is not there"):
        QualityModel(moved)


@pytest.mark.parametrize(
    ("where", "name"),
    [("SmolLM2-135M-Instruct.Q4_1.gguf", "smollm2-135m-instruct"), ("org/xlm-roberta-large", "xlm-roberta-large")],
)
def test_quality_encoder_slug(where, name):
    assert slug(where) == name


def test_quality_encoder_cli_quality_model_dir(smol_artifact, tmp_path, capsys):
    """`mtqa check --quality-model DIR` uses that artifact (and implies --quality); its name is in the signature."""
    from tests.cli_util import run_cli

    article = tmp_path / "a.txt"
    article.write_text("The council approved the new budget on Monday.\n")
    assert run_cli(["check", "--no-lm", "--format", "json", "--quality-model", str(smol_artifact), str(article)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert "|quality:smollm2-135m-instruct-top1" in data["signature"]
    assert 0.0 <= data["files"][0]["sentences"][0]["p_needs_edit"] <= 1.0


def test_quality_encoder_location_expands_home_only_for_folders(tmp_path, monkeypatch):
    from benchmarks.train_quality import encoder_location

    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "models" / "big").mkdir(parents=True)
    assert encoder_location("~/models/big") == str(tmp_path / "models" / "big")
    assert encoder_location("org/xlm-roberta-large") == "org/xlm-roberta-large"  # a hub id stays as given
