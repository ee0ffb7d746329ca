"""notebooks/results.ipynb runs top to bottom on the recorded results (no model, a few seconds)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

pytest.importorskip("matplotlib")

NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "results.ipynb"


def test_notebook_runs_and_draws_every_figure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.setenv("MTQA_NOTEBOOK_OUT", str(tmp_path))
    monkeypatch.chdir(NOTEBOOK.parent.parent)
    cells = json.loads(NOTEBOOK.read_text(encoding="utf-8"))["cells"]
    namespace: dict[str, object] = {"__name__": "__notebook__"}
    for cell in cells:
        if cell["cell_type"] == "code":
            exec(compile("".join(cell["source"]), str(NOTEBOOK), "exec"), namespace)
    made = sorted(p.name for p in tmp_path.glob("*.png"))
    assert made == ["demetr_recall.png", "quality_vs_da.png", "reliability.png", "word_pr.png"]
    assert all(os.path.getsize(tmp_path / name) > 10_000 for name in made)
