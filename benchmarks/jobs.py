"""Measure `mtqa check --jobs N` on many files: wall time and sentences/s per N, each run a fresh process.

Articles: the English side of NTREX-128 (dev: the first `--docs` documents by doc_id order), one file
per document, written to a temporary folder. Each N runs `mtqa check --format json -q --jobs N FOLDER`
`--runs` times (median wall time, model load included: every worker loads the model once).
The figures depend heavily on free cores: on a shared 2-core VM they are noisy.

    python -m benchmarks.jobs [--docs 16] [--jobs 1 2] [--runs 3] [--json PATH] [TSV]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks._common import NTREX_TSV, RESULTS, machine, read_tsv, write_json

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_TSV = NTREX_TSV


def write_articles(tsv: Path, docs: int, folder: Path) -> tuple[int, int]:
    """Write one article per document; return (files, sentences)."""
    by_doc: dict[str, list[str]] = {}
    for row in read_tsv(tsv):
        by_doc.setdefault(row["doc_id"], []).append(row["eng"])
    chosen = list(by_doc.items())[:docs]
    for n, (doc_id, sentences) in enumerate(chosen):
        (folder / f"{n:03d}_{doc_id}.txt").write_text("\n\n".join(sentences) + "\n", encoding="utf-8")
    return len(chosen), sum(len(s) for _, s in chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("tsv", nargs="?", type=Path, default=DEFAULT_TSV)
    parser.add_argument("--docs", type=int, default=16)
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=RESULTS / "jobs.json")
    args = parser.parse_args()

    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        files, sentences = write_articles(args.tsv, args.docs, Path(tmp))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        for jobs in args.jobs:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                proc = subprocess.run(
                    [sys.executable, "-m", "mtqa", "check", "-q", "--no-config", "--format", "json",
                     "--jobs", str(jobs), tmp],
                    capture_output=True, text=True, env=env, check=False,
                )  # fmt: skip
                times.append(time.perf_counter() - started)
                if proc.returncode not in (0, 1):
                    raise SystemExit(proc.stderr)
                checked = json.loads(proc.stdout)["summary"]["sentences"]
            wall = statistics.median(times)
            rows.append(
                {"jobs": jobs, "wall_s": round(wall, 2), "runs_s": [round(t, 2) for t in times],
                 "sentences": checked, "sentences_per_s": round(checked / wall, 1)}
            )  # fmt: skip
            print(f"--jobs {jobs}: {wall:.1f} s, {checked / wall:.1f} sentences/s ({files} files)", flush=True)
    base = rows[0]["wall_s"]
    for row in rows:
        row["speedup"] = round(base / row["wall_s"], 2)
    with open("/proc/loadavg") as fh:
        load = fh.read().split()[:3]
    write_json(
        args.json,
        {
            "script": "benchmarks/jobs.py",
            "data": str(args.tsv),
            "files": files,
            "sentences_in_files": sentences,
            "results": rows,
            "load_average_at_end": load,
            "note": "shared machine: other jobs were running, so timings are noisy",
            "machine": machine(),
        },
    )


if __name__ == "__main__":
    main()
