"""Before/after of the seed article's six headline sentences, as `mtqa fix` rewrites them.

Runs the full pipeline on `seeds/000_a13e9620616db678.txt`, applies the verified suggestions the way
`mtqa fix` does, and prints a Markdown table (the README's "Rewrites" section is this output,
checked by tests/test_rewrite_review.py) and writes the JSON record.

    python -m benchmarks.rewrite_seed [--json benchmarks/results/rewrite_seed.json]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from benchmarks._common import RESULTS, machine, write_json
from mtqa.core import apply_edits
from mtqa.pipeline import Settings, check
from mtqa.report import Report
from mtqa.rewrite.apply import choose

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_a13e9620616db678.txt"
# The six headline sentences of issue 3, found by a phrase each.
HEADLINES = (
    "report the fighters of the by the",
    "comes to an end the so-called caliphate",
    "Also warned the SDF-commander",
    "slaapcellen",
    "checked the area",
    "At the height checked IS",
)


def rows(report: Report) -> list[dict[str, object]]:
    """Return, per headline sentence, its rewrite, the rules applied and the issues left without one."""
    chosen, _ = choose(report)
    out = []
    seen: set[int] = set()
    for phrase in HEADLINES:
        sentence = next(s for s in report.sentences if phrase in s.text)
        if sentence.index in seen:
            continue  # 'Also warned the SDF-commander' and 'slaapcellen' are one sentence
        seen.add(sentence.index)
        used = [(i, s) for i, s in chosen if i.sentence_index == sentence.index]
        edits = sorted((e for _, s in used for e in s.edits), key=lambda e: e.span)
        after = apply_edits(sentence.text, edits, sentence.span.start)
        out.append(
            {
                "before": sentence.text,
                "after": after,
                "applied": sorted({s.origin for _, s in used}),
                "flagged": sorted({i.code for i in sentence.issues}),
                "no_safe_rewrite": sorted(
                    {i.code for i in sentence.issues if i.rewrite_status == "no safe rewrite found"}
                ),
            }
        )
    return out


def markdown(table: list[dict[str, object]]) -> str:
    """Render the before/after rows as a Markdown table."""
    lines = ["| before | after (`mtqa fix`) | rules |", "|---|---|---|"]
    for row in table:
        rules = ", ".join(row["applied"]) or "—"  # type: ignore[arg-type]
        if row["no_safe_rewrite"]:
            rules += f"; no safe rewrite found for {', '.join(row['no_safe_rewrite'])}"  # type: ignore[arg-type]
        after = row["after"] if row["after"] != row["before"] else "(unchanged)"
        lines.append(f"| {row['before']} | {after} | {rules} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", default=SEED)
    ap.add_argument("--json", default=RESULTS / "rewrite_seed.json")
    args = ap.parse_args(argv)
    report = check(Path(args.seed).read_text(encoding="utf-8"), Settings(), name=str(args.seed))
    table = rows(report)
    sys.stdout.write(markdown(table))
    write_json(args.json, {"machine": machine(), "seed": str(args.seed), "signature": report.signature, "rows": table})
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
