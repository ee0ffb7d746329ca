"""The benchmark runner: headline extraction and RESULTS.md rendering from recorded JSONs (no runs)."""

from __future__ import annotations

from pathlib import Path

from benchmarks import runner


def test_get_and_format_follow_paths_and_intervals() -> None:
    data = {"a": {"b": [0.5, {"c": 0.12345}]}, "r": 0.2, "ci": [0.1, 0.3]}
    assert runner.get(data, "a.b.1.c") == 0.12345
    assert runner.get(data, "a.x") is None
    assert runner.fmt(None) == runner.MISSING
    assert runner.fmt(1234) == "1,234"
    assert runner.with_ci(data, "r", "ci") == "0.200 [0.100, 0.300]"
    assert runner.with_ci(data, "r", "ci", percent=True) == "20.0 % [10.0 %, 30.0 %]"
    assert runner.with_ci(data, "missing", "ci") == runner.MISSING


def test_render_quotes_every_recorded_json(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    assert runner.main(["--render", "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    for bench in runner.REGISTRY:
        assert f"## {bench.title}" in text
        if bench.path.exists():
            assert f"`benchmarks/results/{bench.path.name}`" in text
    # a figure straight from a JSON, with its interval
    assert "| ntrex_en_dev: share flagged major+ (target ≤ 3 %) |" in text


def test_unknown_benchmark_is_a_usage_error(capsys) -> None:
    assert runner.main(["--only", "nope", "--list"]) == 2
    assert "unknown benchmark" in capsys.readouterr().err


def test_list_marks_hand_run_entries(capsys) -> None:
    assert runner.main(["--list", "--only", "train_quality,startup"]) == 0
    out = capsys.readouterr().out
    assert "(by hand)" in out and "benchmarks.startup" in out
