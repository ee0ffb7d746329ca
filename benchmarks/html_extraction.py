"""Compare the HTML readers: trafilatura's article text versus the page's visible text (the fallback).

The shared data holds the text blocks of 181 news pages with silver body/boilerplate labels, not the
pages themselves, so each page is rebuilt as one `<p>` per block, in page order, with the same markup
for every block (nothing in the markup reveals a label). Both readers (`decode(fmt="html")` and
`decode(fmt="html-visible")`) read each page; a block counts as kept when its whitespace-collapsed
text is in the whitespace-collapsed checked text. Reported: share of body blocks kept, share of
boilerplate blocks left out, pages where trafilatura found no article (fallback), and how many of
trafilatura's paragraphs could be located in the page (the offset mapping's success rate).

The rebuilt pages lack the navigation, header and footer elements that trafilatura uses as cues,
so its boilerplate removal here is a lower bound for real pages. Labels are silver (headlines and
bylines count as boilerplate). Dev split: page ids starting 0-7.

    python -m benchmarks.html_extraction [--blocks PATH] [--split dev|heldout|all] [--json PATH]
"""

from __future__ import annotations

import argparse
import html
import re
import time
from collections import defaultdict
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, RESULTS, machine, read_tsv, write_json
from mtqa.document import decode

DEV_PREFIXES = frozenset("01234567")
_UNMATCHED = re.compile(r"; (\d+) extracted paragraphs not found")
_FOUND = re.compile(r"article trafilatura found \((\d+) paragraphs")


def collapse(text: str) -> str:
    return " ".join(text.split())


def in_split(page_id: str, split: str) -> bool:
    dev = page_id[:1].lower() in DEV_PREFIXES
    return split == "all" or (dev if split == "dev" else not dev)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--blocks", type=Path, default=DATA / "article_extraction_boilerplate" / "blocks.tsv")
    parser.add_argument("--split", choices=["dev", "heldout", "all"], default="dev")
    parser.add_argument("--json", type=Path, default=RESULTS / "html_extraction.json")
    args = parser.parse_args()

    pages: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in read_tsv(args.blocks):
        if in_split(row["page_id"], args.split):
            pages[row["page_id"]].append(row)
    counts = {name: defaultdict(int) for name in ("article", "visible")}
    fallback = located = extracted = 0
    seconds = {"article": 0.0, "visible": 0.0}
    for rows in pages.values():
        rows.sort(key=lambda r: int(r["block_idx"]))
        page = "<html><body>" + "".join(f"<p>{html.escape(r['text'])}</p>\n" for r in rows) + "</body></html>"
        for name, fmt in (("article", "html"), ("visible", "html-visible")):
            started = time.perf_counter()
            doc = decode(page.encode(), "page.html", fmt)
            seconds[name] += time.perf_counter() - started
            text = collapse(doc.text)
            for row in rows:
                kept = collapse(row["text"]) in text
                counts[name][f"{row['label']}_{'kept' if kept else 'dropped'}"] += 1
            if name == "article":
                note = doc.notes[-1]
                if "found no article" in note:
                    fallback += 1
                elif found := _FOUND.search(note):
                    missing = _UNMATCHED.search(note)
                    located += int(found.group(1))
                    extracted += int(found.group(1)) + (int(missing.group(1)) if missing else 0)

    def share(c: dict[str, int], label: str, outcome: str) -> float:
        total = c[f"{label}_kept"] + c[f"{label}_dropped"]
        return c[f"{label}_{outcome}"] / total if total else float("nan")

    results = {
        name: {
            "body_kept": share(c, "body", "kept"),
            "boilerplate_dropped": share(c, "boilerplate", "dropped"),
            "counts": dict(c),
            "seconds_per_page": seconds[name] / max(1, len(pages)),
        }
        for name, c in counts.items()
    }
    payload = {
        "data": str(args.blocks),
        "split": args.split,
        "pages": len(pages),
        "readers": results,
        "trafilatura_fallback_pages": fallback,
        "trafilatura_paragraphs_located": located,
        "trafilatura_paragraphs": extracted,
        "machine": machine(),
        "note": "pages rebuilt from blocks (one <p> each); silver labels; timings taken on a shared, loaded machine",
    }
    table = Table(title=f"HTML readers on {len(pages)} rebuilt pages ({args.split})")
    for col in ("reader", "body blocks kept", "boilerplate blocks left out", "s/page"):
        table.add_column(col)
    for name, r in results.items():
        table.add_row(name, f"{r['body_kept']:.3f}", f"{r['boilerplate_dropped']:.3f}", f"{r['seconds_per_page']:.3f}")
    console = Console()
    console.print(table)
    console.print(f"trafilatura found no article on {fallback} pages; located {located} of its {extracted} paragraphs")
    write_json(args.json, payload)


if __name__ == "__main__":
    main()
