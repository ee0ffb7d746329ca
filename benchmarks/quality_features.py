"""Per-sentence features for the quality combiner, on MLQE-PE dev (all five pairs), computed once and cached.

For each `mt`: the quality model's raw sentence prediction and its word tagger's mean and max P(BAD);
SLOR and mean token log-prob from the default LM scorer (`mtqa.score.metrics.fluency`, the numbers
`check_document` has at run time); the number of words; and the detector issues of the full pipeline
(LM and tagger on, quality off, `nl` profile as in the other benchmarks), counted by severity. Every
sentence is checked once, as a paragraph of a large document (`benchmarks.demetr.check_texts`).
Scoring 5 000 sentences with the LM and every detector takes minutes, so the result is cached as JSON
(default under /tmp; nothing here is committed) and `benchmarks/quality_combiner.py` reads it. After
retraining the quality model only its own features are recomputed (rows carry the model's name).

    python -m benchmarks.quality_features [--cache /tmp/mtqa-cache/quality_features.json]
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from benchmarks._common import DATA, read_tsv
from benchmarks.demetr import MemoScorer, check_texts
from mtqa.core import Severity
from mtqa.pipeline import Settings, get_scorer
from mtqa.rewrite.verify import lm_text
from mtqa.score.metrics import fluency

PAIRS = ("et", "ne", "ro", "ru", "si")
CACHE = Path("/tmp/mtqa-cache/quality_features.json")
LABELS = ("id", "lp", "doc_id", "da_z_mean", "hter", "nmt_model_score")


def pair_features(rows: list[dict[str, str]], model, scorer, settings: Settings, progress) -> list[dict]:  # type: ignore[no-untyped-def]
    """Features and labels of every row of one pair, in row order."""
    mts = [r["mt"] for r in rows]
    task = progress.add_task(f"{rows[0]['lp']}: LM + detectors", total=len(mts))
    checked, _ = check_texts(mts, settings, chunk=250, progress=lambda done, _n: progress.update(task, completed=done))
    scores = scorer.token_logprobs([lm_text(t) for t in mts])
    out = []
    for r, model_part, found, ts in zip(rows, model_features(mts, model), checked, scores, strict=True):
        flu = fluency(ts)
        issues = [i for i in found.issues if not i.code.startswith("Q")]
        out.append(
            {
                **{k: r[k] for k in LABELS},
                **model_part,
                "slor": round(flu.slor, 6),
                "mean_logprob": round(flu.mean_logprob, 6),
                "n_words": flu.n_words,
                "minor": sum(i.severity == Severity.MINOR for i in issues),
                "major": sum(i.severity == Severity.MAJOR for i in issues),
                "critical": sum(i.severity == Severity.CRITICAL for i in issues),
                "codes": sorted(i.code for i in issues),
            }
        )
    return out


def weights_digest(manifest: dict | None = None) -> str:
    """The shipped weights' sha256 prefix (a refitted calibration keeps the features): from a loaded model's
    manifest, else read and verified from models/quality without loading the model."""
    from mtqa.quality.model import WEIGHTS, default_artifact, verify

    return (manifest or verify(default_artifact()))["files"][WEIGHTS]["sha256"][:12]


def model_features(mts: list[str], model) -> list[dict]:  # type: ignore[no-untyped-def]
    """The quality model's part of the features (the only part a retrained model changes)."""
    preds, pieces = model.raw(mts)
    digest = weights_digest(model.manifest)
    out = []
    for pred, ps in zip(preds, pieces, strict=True):
        bad = [p for _, _, p in ps] or [0.0]
        out.append(
            {
                "model": digest,
                "raw": round(pred, 6),
                "p_bad_mean": round(sum(bad) / len(bad), 6),
                "p_bad_max": round(max(bad), 6),
            }
        )
    return out


def compute(cache: Path, files: list[Path]) -> list[dict]:
    """Compute (or extend) the cache pair by pair, so an interrupted run keeps what it finished.

    The LM and the quality model load only when a pair needs them: a fresh cache costs a manifest read.
    """
    from mtqa.quality import QualityModel

    done: dict[str, list[dict]] = json.loads(cache.read_text()) if cache.is_file() else {}
    digest = weights_digest()
    loaded: dict[str, object] = {}

    def model():  # type: ignore[no-untyped-def]
        return loaded.setdefault("model", QualityModel())

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, TimeRemainingColumn()) as progress:
        for path in files:
            rows = read_tsv(path)
            lp = rows[0]["lp"]
            if lp in done:
                if any(row.get("model") != digest for row in done[lp]):  # retrained: refresh the model's part
                    for row, part in zip(done[lp], model_features([r["mt"] for r in rows], model()), strict=True):
                        row.update(part)
                    cache.write_text(json.dumps(done))
                continue
            if "scorer" not in loaded:
                loaded["settings"] = Settings()
                loaded["scorer"] = MemoScorer(get_scorer(loaded["settings"]))  # type: ignore[arg-type]
            started = time.perf_counter()
            done[lp] = pair_features(rows, model(), loaded["scorer"], loaded["settings"], progress)
            progress.console.print(f"{lp}: {len(rows)} rows in {time.perf_counter() - started:.0f} s")
            cache.parent.mkdir(parents=True, exist_ok=True)
            cache.write_text(json.dumps(done))
    return [row for lp in done for row in done[lp]]


def load(cache: Path = CACHE) -> list[dict]:
    """The cached rows of every pair, computing them first (minutes) if the cache is missing, and
    refreshing the quality model's features (seconds) if the model changed since."""
    return compute(cache, [DATA / "mlqe_pe" / f"{lp}-en.dev.tsv" for lp in PAIRS])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cache", type=Path, default=CACHE, help="default %(default)s")
    parser.add_argument("files", nargs="*", type=Path, default=[DATA / "mlqe_pe" / f"{lp}-en.dev.tsv" for lp in PAIRS])
    args = parser.parse_args(argv)
    rows = compute(args.cache, args.files)
    print(f"{len(rows)} rows cached in {args.cache}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
