"""JSON renderer: the stable machine contract (schema in the README), sorted keys."""

from __future__ import annotations

import json
from collections.abc import Sequence

from mtqa.core import Severity
from mtqa.report import SCHEMA_VERSION, TOOL, Report


def document(reports: Sequence[Report]) -> dict[str, object]:
    """Wrap per-file reports with a run-level summary."""
    counts = {s.label: sum(r.counts()[s.label] for r in reports) for s in Severity}
    first = reports[0] if reports else None
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": TOOL, "version": first.version if first else ""},
        "signature": first.signature if first else "",
        "files": [r.to_dict() for r in reports],
        "summary": {
            "files": len(reports),
            "sentences": sum(len(r.sentences) for r in reports),
            "issues": counts,
            "verdict": "fail" if any(r.failed for r in reports) else "pass",
        },
    }


def render(reports: Sequence[Report], **_: object) -> str:
    """Render reports as indented JSON with sorted keys."""
    return json.dumps(document(reports), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
