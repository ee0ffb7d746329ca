"""Throughput and peak memory: the quality model at batch 1/8/32, and the full check, each in a fresh process.

(a) quality model: `QualityModel.raw` on the first N English sentences of NTREX-128 (dev ids), at
    batch sizes 1, 8 and 32; sentences/s is the median of `--runs` passes after one warm-up pass.
(b) full check: `check_document` on the same sentences as one article (one paragraph each), LM and
    all detectors, with and without `--quality`; sentences/s of one warm pass (after a warm-up).
Peak RSS is the child process's ru_maxrss. The LM uses CUDA when present; the MiniLM models (quality
model, L103, meaning check) always run on the CPU.

    python -m benchmarks.speed [--sentences 256] [--runs 3] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from benchmarks._common import NTREX_TSV, RESULTS, machine, ntrex_dev, write_json

ROOT = Path(__file__).resolve().parent.parent

_QUALITY = """
import json, resource, statistics, sys, time
import mtqa.quality.model as qm
from mtqa.quality import load_quality_model
texts = json.loads(sys.stdin.read())
batch, runs = int(sys.argv[1]), int(sys.argv[2])
qm.BATCH = batch
model = load_quality_model()
model.raw(texts)
times = []
for _ in range(runs):
    t = time.perf_counter()
    model.raw(texts)
    times.append(time.perf_counter() - t)
print(json.dumps({"seconds": statistics.median(times), "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""

_CHECK = """
import json, resource, sys, time
from benchmarks._common import as_paragraphs
from mtqa.pipeline import Settings, check_document, get_scorer
texts = json.loads(sys.stdin.read())
settings = Settings(use_quality=sys.argv[1] == "1")
document, _ = as_paragraphs(texts)
scorer = get_scorer(settings)
check_document(document, settings, scorer=scorer)
t = time.perf_counter()
report = check_document(document, settings, scorer=scorer)
seconds = time.perf_counter() - t
print(json.dumps({
    "seconds": seconds, "sentences": len(report.sentences), "model": scorer.name,
    "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def _child(script: str, args: list[str], texts: list[str]) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", script, *args],
        input=json.dumps(texts),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    from rich.console import Console
    from rich.table import Table

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ntrex", default=NTREX_TSV)
    ap.add_argument("--sentences", type=int, default=256, help="first N English dev sentences (default 256)")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json", default=RESULTS / "speed.json")
    args = ap.parse_args(argv)
    texts = [r["eng"].strip() for r in ntrex_dev(args.ntrex)][: args.sentences]
    quality = {}
    for batch in (1, 8, 32):
        got = _child(_QUALITY, [str(batch), str(args.runs)], texts)
        quality[str(batch)] = {
            "sentences_per_s": round(len(texts) / got["seconds"], 1),
            "peak_rss_mb": round(got["rss_kb"] / 1024, 1),
        }
    check = {}
    for name, flag in (("lm_and_detectors", "0"), ("with_quality", "1")):
        got = _child(_CHECK, [flag], texts)
        check[name] = {
            "sentences_per_s": round(got["sentences"] / got["seconds"], 2),
            "seconds": round(got["seconds"], 2),
            "sentences": got["sentences"],
            "peak_rss_mb": round(got["rss_kb"] / 1024, 1),
            "model": got["model"],
        }
    result = {
        "machine": machine(),
        "device": "cuda" if _cuda() else "cpu",
        "sentences": len(texts),
        "data": str(args.ntrex),
        "quality_model_by_batch": quality,
        "full_check": check,
        "loadavg_1min_at_end": round(os.getloadavg()[0], 2),
    }
    write_json(args.json, result)
    table = Table(title=f"speed · {len(texts)} NTREX-128 English sentences · {result['device']}")
    for col in ("what", "sentences/s", "peak RSS"):
        table.add_column(col, justify="right" if col != "what" else "left")
    for batch, v in quality.items():
        table.add_row(f"quality model, batch {batch}", f"{v['sentences_per_s']:.1f}", f"{v['peak_rss_mb']:.0f} MB")
    for name, v in check.items():
        table.add_row(f"full check ({name})", f"{v['sentences_per_s']:.2f}", f"{v['peak_rss_mb']:.0f} MB")
    Console().print(table)
    print(f"wrote {args.json}")
    return 0


def _cuda() -> bool:
    import torch

    return bool(torch.cuda.is_available())


if __name__ == "__main__":
    raise SystemExit(main())
