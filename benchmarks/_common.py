"""Helpers shared by benchmark scripts: data paths, TSV reading, machine/version records."""

from __future__ import annotations

import csv
import json
import os
import platform
import sys
import time
from pathlib import Path

from mtqa.document import Document

DATA = Path(os.environ.get("MTQA_DATA", Path(__file__).resolve().parent.parent.parent / "shared" / "data"))
RESULTS = Path(__file__).resolve().parent / "results"
# The clean human news every false-flag figure reads, and where their dev splits end (the rest is held out).
NTREX_TSV = DATA / "ntrex128_nl_en" / "ntrex128.nld-eng.tsv"
NTREX_DEV_MAX_ID = 1004
WMT21_TSV = DATA / "wmt21_deen_da" / "segments.tsv"
WMT21_DEV_MAX_SID = 500


def read_tsv(path: Path) -> list[dict[str, str]]:
    """Read a tab-separated file with a header and no quoting (the shared data's format)."""
    csv.field_size_limit(sys.maxsize)
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def ntrex_dev(path: Path | str = NTREX_TSV, max_id: int = NTREX_DEV_MAX_ID) -> list[dict[str, str]]:
    """NTREX-128 rows of the dev split (ids 0-1004 unless told otherwise)."""
    return [r for r in read_tsv(Path(path)) if int(r["id"]) <= max_id]


def wmt21_dev(path: Path | str = WMT21_TSV, max_sid: int = WMT21_DEV_MAX_SID) -> list[dict[str, str]]:
    """WMT21 de-en rows of the dev split (sids 1-500 unless told otherwise)."""
    return [r for r in read_tsv(Path(path)) if int(r["sid"]) <= max_sid]


def write_tsv(path: Path, rows: list[dict[str, str]]) -> None:
    """Write rows as read_tsv reads them: a header, tab-separated, no quoting (fields hold no tabs or newlines)."""
    columns = list(rows[0])
    lines = ["\t".join(columns)] + ["\t".join(r[c] for c in columns) for r in rows]
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")


def machine() -> dict[str, object]:
    """Describe the machine and versions a figure was measured with."""
    import torch
    import transformers

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": time.strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "torch": torch.__version__,
        "transformers": transformers.__version__,
    }


def write_json(path: str | Path, payload: dict) -> None:
    """Write metrics as sorted, indented JSON."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")


def as_paragraphs(texts: list[str]) -> tuple[Document, list[int]]:
    """Join texts (without line breaks) as the paragraphs of one document; return it and each text's start."""
    starts, pos = [], 0
    for text in texts:
        starts.append(pos)
        pos += len(text) + 2
    return Document("\n\n".join(texts), "benchmark"), starts
