"""L103: the shipped damage model on real sentences, its span, its acronym reading and its clear errors.

Uses the real artifact in models/damage/ and the real MiniLM encoder from its wheel, on tiny inputs.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mtqa.cli import main
from mtqa.detect.damage import where
from mtqa.quality import QualityModelError
from mtqa.quality.damage import PLACEHOLDER, DamageModel, default_artifact, load_damage_model, original_offset, readable
from mtqa.quality.model import WEIGHTS, WordScore, verify

ARTIFACT = default_artifact()


@pytest.fixture(scope="module")
def model() -> DamageModel:
    return load_damage_model()


def test_damage_artifact_is_verified_and_small() -> None:
    manifest = verify(ARTIFACT, "damage model", ARTIFACT, "train_damage")
    assert manifest["name"].endswith("-damage")
    assert sum(meta["size"] for meta in manifest["files"].values()) <= 10_000_000


@pytest.mark.parametrize(
    ("clean", "damaged"),
    [
        (
            "The police closed the road before the fire brigade arrived.",
            "The police closed the road the fire brigade arrived.",
        ),
        (
            "Rescue workers searched for survivors through the night in the rubble.",
            "Rescue workers searched the through night for survivors in the rubble.",
        ),
        (
            "The president visited the flooded region on Tuesday and promised help.",
            "The president visited the flooded region on, Tuesday and promised help.",
        ),
    ],
)
def test_damage_model_rates_the_damaged_copy_higher_and_points_at_the_damage(model, clean: str, damaged: str) -> None:
    good, bad = model.score([clean, damaged])
    assert good.p_damaged < model.minor <= bad.p_damaged
    start, end = where(bad.words, model.word_threshold) or (0, 0)
    changed = next(i for i, (a, b) in enumerate(zip(clean, damaged)) if a != b)
    assert start - 6 <= changed <= end + 6  # the span sits at the edit (or the word next to it)


def test_damage_model_scores_every_word_with_offsets_in_the_original_text(model) -> None:
    text = "The US and IS fighters met NATO envoys in World War II museums."
    (score,) = model.score([text])
    assert [text[w.start : w.end] for w in score.words] == text.split()
    assert all(0.0 <= w.p_bad <= 1.0 for w in score.words)


def test_acronyms_read_as_a_name_not_as_a_function_word(model) -> None:
    text = "A number of IS fighters surrendered to the SDF on Monday."
    assert readable(text)[0] == f"A number of {PLACEHOLDER} fighters surrendered to the {PLACEHOLDER} on Monday."
    (score,) = model.score([text])
    assert score.p_damaged < model.minor
    assert readable("WORLD WAR II ENDS IN EUROPE")[1] == []  # an all-capitals headline is left as it is
    assert readable("Henry VIII and World War II")[1] == []  # Roman numerals are not acronyms


@given(
    st.lists(st.sampled_from(["The", "US", "and", "IS", "II", "NATO,", "said", "x", "EU."]), min_size=1, max_size=12)
)
def test_readable_offsets_map_every_word_back(tokens: list[str]) -> None:
    text = " ".join(tokens)
    new, moves = readable(text)
    olds = [m.span() for m in re.finditer(r"\S+", text)]
    news = [m.span() for m in re.finditer(r"\S+", new)]
    assert len(olds) == len(news)
    assert [(original_offset(a, moves), original_offset(b, moves)) for a, b in news] == olds


def test_where_grows_the_span_over_neighbours_above_the_threshold() -> None:
    words = (WordScore(0, 3, 0.1), WordScore(4, 8, 0.5), WordScore(9, 12, 0.9), WordScore(13, 15, 0.05))
    assert where(words, 0.4) == (4, 12)
    assert where(words, 0.95) == (9, 12)
    assert where((), 0.5) is None


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "damage"
    shutil.copytree(ARTIFACT, target)
    return target


def test_damage_artifact_corruption_is_a_clear_error(tmp_path) -> None:
    folder = _copy(tmp_path)
    data = bytearray((folder / WEIGHTS).read_bytes())
    data[len(data) // 2] ^= 0xFF
    (folder / WEIGHTS).write_bytes(bytes(data))
    with pytest.raises(QualityModelError, match=r"damage model file .* is corrupt") as info:
        DamageModel(folder)
    assert "train_damage" in str(info.value)


def test_damage_cli_missing_artifact_exits_2_and_says_how_to_skip(tmp_path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("MTQA_DAMAGE_MODEL", str(tmp_path / "nowhere"))
    article = tmp_path / "a.txt"
    article.write_text("The council approved the new budget on Monday after a long debate.\n")
    assert main(["check", str(article)]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "damage model is missing" in err and "--ignore L103,W103" in err
    # the rules that read it off (L103 flags from it, W103 picks its swaps with it): the model is not loaded
    assert main(["check", "--ignore", "L103,W103", str(article)]) == 0
    assert main(["check", "--no-lm", str(article)]) == 0  # the fast rules-only mode loads no model
