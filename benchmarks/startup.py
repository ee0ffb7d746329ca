"""Measure start-up and scoring cost of `mtqa check` on the seed article, each in a fresh process.

(a) cold start: `mtqa check SEED --format json` end to end through the console script's entry point
    (`mtqa.cli.run`), wall time until the process is gone (model cache already built);
(b) warm scoring: `check_document` on the seed article in one process, after one warm-up call;
(c) peak RSS of the child processes (ru_maxrss of the child).

Medians of `--runs` runs (default 5). Writes the figures and the machine to `--json`.

    python -m benchmarks.startup [--runs 5] [--json PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks._common import RESULTS, machine, write_json

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_a13e9620616db678.txt"

# Runs `mtqa check` in-process (same code path as the console script) and reports its peak RSS.
# `ready` (epoch seconds) is when the scorer is loaded, so the parent can split start-up from checking.
_COLD = """
import json, os, resource, sys, time
import mtqa.pipeline
from mtqa import cli
ready = []
_get_scorer = mtqa.pipeline.get_scorer
def get_scorer(*args, **kwargs):
    scorer = _get_scorer(*args, **kwargs)
    ready.append(time.time())
    return scorer
mtqa.pipeline.get_scorer = get_scorer
_exit = os._exit
def report_and_exit(code):
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    info = {"rc": code, "rss_kb": rss, "ready": ready[0], "transformers": "transformers" in sys.modules}
    print(json.dumps(info), file=sys.stderr)
    sys.stderr.flush()
    _exit(code)
os._exit = report_and_exit
sys.argv = ["mtqa", "check", sys.argv[1], "--format", "json", "--exit-zero"]
cli.run()  # the console script's entry point, fast exit included
"""

_WARM = """
import json, resource, statistics, sys, time
t0 = time.perf_counter()
from mtqa.document import decode
from mtqa.pipeline import Settings, check_document, get_scorer
settings = Settings()
scorer = get_scorer(settings)
load = time.perf_counter() - t0
document = decode(open(sys.argv[1], "rb").read(), sys.argv[1], None)
check_document(document, settings, scorer=scorer)
times = []
for _ in range(int(sys.argv[2])):
    t = time.perf_counter()
    report = check_document(document, settings, scorer=scorer)
    times.append(time.perf_counter() - t)
print(json.dumps({
    "times": times, "load_s": load, "sentences": len(report.sentences), "model": scorer.name,
    "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def _cold(runs: int) -> dict[str, object]:
    walls, readies, rss, flags = [], [], [], set()
    for _ in range(runs):
        started, wall = time.perf_counter(), time.time()
        proc = subprocess.run(
            [sys.executable, "-c", _COLD, str(SEED)], cwd=ROOT, capture_output=True, text=True, check=False
        )
        walls.append(time.perf_counter() - started)
        if proc.returncode != 0:
            raise SystemExit(f"cold run failed ({proc.returncode}):\n{proc.stderr}")
        json.loads(proc.stdout)  # the report came out whole despite the fast exit
        info = json.loads(proc.stderr.strip().splitlines()[-1])
        readies.append(info["ready"] - wall)
        rss.append(info["rss_kb"])
        flags.add(info["transformers"])
    return {
        "cold_start_s": round(statistics.median(walls), 3),
        "cold_start_min_s": round(min(walls), 3),
        "cold_start_runs_s": [round(w, 3) for w in walls],
        "cold_scorer_ready_s": round(statistics.median(readies), 3),
        "cold_scorer_ready_runs_s": [round(r, 3) for r in readies],
        "cold_peak_rss_mb": round(max(rss) / 1024, 1),
        "transformers_imported": sorted(flags),
    }


def _warm(runs: int) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", _WARM, str(SEED), str(runs)], cwd=ROOT, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise SystemExit(f"warm run failed ({proc.returncode}):\n{proc.stderr}")
    info = json.loads(proc.stdout.strip().splitlines()[-1])
    return {
        "warm_check_s": round(statistics.median(info["times"]), 3),
        "warm_check_min_s": round(min(info["times"]), 3),
        "warm_check_runs_s": [round(t, 3) for t in info["times"]],
        "warm_load_s": round(info["load_s"], 3),
        "warm_peak_rss_mb": round(info["rss_kb"] / 1024, 1),
        "sentences": info["sentences"],
        "model": info["model"],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--json", default=RESULTS / "startup.json")
    args = ap.parse_args(argv)
    # One untimed run builds the model cache if it is missing and warms the OS page cache.
    subprocess.run([sys.executable, "-c", _COLD, str(SEED)], cwd=ROOT, capture_output=True, check=True)
    load_before = os.getloadavg()[0]
    cold = _cold(args.runs)
    warm = _warm(args.runs)
    # Other processes on the machine inflate every figure (an oversubscribed thread pool most of all).
    load = {"loadavg_1min_before": round(load_before, 2), "loadavg_1min_after": round(os.getloadavg()[0], 2)}
    result = {"machine": machine(), "seed": SEED.name, "runs": args.runs, **cold, **warm, **load}
    write_json(args.json, result)
    rows = [
        ("cold start, `mtqa check --format json` (median)", f"{cold['cold_start_s']:.2f} s"),
        ("  min", f"{cold['cold_start_min_s']:.2f} s"),
        ("  of which until the scorer is loaded (median)", f"{cold['cold_scorer_ready_s']:.2f} s"),
        ("  transformers imported", ", ".join(map(str, cold["transformers_imported"]))),
        ("  peak RSS", f"{cold['cold_peak_rss_mb']:.0f} MB"),
        (f"warm check_document, {warm['sentences']} sentences (median)", f"{warm['warm_check_s']:.3f} s"),
        ("  min", f"{warm['warm_check_min_s']:.3f} s"),
        ("  model load in that process", f"{warm['warm_load_s']:.2f} s"),
        ("  peak RSS", f"{warm['warm_peak_rss_mb']:.0f} MB"),
        ("model", str(warm["model"])),
        ("load average (1 min) before / after", f"{load['loadavg_1min_before']} / {load['loadavg_1min_after']}"),
    ]
    width = max(len(r[0]) for r in rows)
    for label, value in rows:
        print(f"{label:<{width}}  {value}")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
