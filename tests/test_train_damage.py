"""benchmarks/train_damage.py end to end on a few rows: it writes an artifact mtqa loads, and recalibrates."""

from __future__ import annotations

import json

from benchmarks.train_damage import ALL_KINDS, main
from mtqa.quality.damage import DamageModel
from mtqa.quality.model import WEIGHTS


def test_train_damage_writes_a_loadable_artifact_and_recalibrates_without_retraining(tmp_path) -> None:
    out = tmp_path / "damage"
    assert main(["--limit", "8", "--out", str(out), "--json", str(tmp_path / "m.json")]) == 0
    record = json.loads((tmp_path / "m.json").read_text())
    assert 2 * record["train_kinds"]["clean"] == record["train_items"]  # each post-edit clean and once damaged
    assert set(record["train_kinds"]) - {"clean"} <= set(ALL_KINDS)
    model = DamageModel(out)
    assert 0.0 <= model.minor <= model.major <= 1.0
    (score,) = model.score(["The council approved the new budget on Monday."])
    assert 0.0 <= score.p_damaged <= 1.0 and len(score.words) == 8
    weights = (out / WEIGHTS).read_bytes()
    assert (
        main(["--calibrate-only", "--limit", "8", "--out", str(out), "--major-fpr", "0.5", "--minor-fpr", "0.5"]) == 0
    )
    again = DamageModel(out)
    assert (out / WEIGHTS).read_bytes() == weights  # the weights stay; only the thresholds move
    assert again.major == again.minor
