"""U101 on real text: false flags on clean English, recall on English with source words spliced in.

Clean: NTREX-128 English (dev ids 0-1004) and WMT21 de-en reference B (dev sids 1-500). Leftovers:
for each NTREX dev pair, one content word of the Dutch (or German) sentence that is not an English
word, the same length class as a noun (>= 5 letters, lower case, not in the English sentence), is put
in place of a random lower-case English word of >= 5 letters: a synthetic but realistic leftover.
The random draw is seeded. Other languages: DEMETR codemix items of the developers' languages
(fr/it/es/pl/cs words put into English MT), counted as found when U101 (Dutch profile, so only its
other-language test can fire) flags a word the unperturbed MT lacks; their human references give the
false flags. Runs without the language model.

    python -m benchmarks.untranslated [--ntrex PATH] [--wmt21 PATH] [--demetr DIR] [--seed 13] [--json PATH]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks._common import (
    DATA,
    NTREX_DEV_MAX_ID,
    NTREX_TSV,
    RESULTS,
    WMT21_DEV_MAX_SID,
    WMT21_TSV,
    machine,
    ntrex_dev,
    read_tsv,
    wmt21_dev,
    write_json,
)
from benchmarks.clean_false_flags import DEV_LANGS
from mtqa.detect.untranslated import hits_in
from mtqa.languages import load_profile
from mtqa.text import words, zipf

CODEMIX = "4"  # DEMETR's pert_id of critical_id4_codemix


def flags(sentence: str, code: str) -> list[str]:
    """Words of `sentence` that U101 would flag for source language `code`."""
    return [hit.word.text for hit in hits_in(sentence, load_profile(code))]


def splice(eng: str, src: str, rng: random.Random) -> tuple[str, str] | None:
    """Replace one long lower-case English word with a source-only word from the aligned sentence."""
    targets = [w for w in words(eng) if w.text.islower() and len(w.text) >= 5]
    pool = [w.text for w in words(src) if w.text.islower() and len(w.text) >= 5 and zipf(w.text, "en") < 1.0]
    if not targets or not pool:
        return None
    target, word = rng.choice(targets), rng.choice(pool)
    return eng[: target.start] + word + eng[target.end :], word


def other_languages(folder: Path, langs: set[str]) -> dict[str, object]:
    """Recall on DEMETR codemix (words of the item's source language) and false flags on its references."""
    base = {r["id"]: r for r in read_tsv(folder / "base.tsv") if r["lang"] in langs}
    items = [
        (r["pert_sent"].strip(), base[r["id"]]["mt"])
        for r in read_tsv(folder / "perturbations.tsv")
        if r["pert_id"] == CODEMIX and r["pert_check"] == "1" and r["id"] in base
    ]
    found = sum(1 for text, mt in items if set(flags(text, "nl")) - {w.text for w in words(mt)})
    refs = [r["ref"].strip() for r in base.values()]
    false = [f for s in refs if (f := flags(s, "nl"))]
    return {
        "items": len(items),
        "found": found,
        "recall": round(found / len(items), 4),
        "n_clean": len(refs),
        "clean_flagged": len(false),
        "clean_flagged_rate": round(len(false) / len(refs), 4),
        "false_flag_words": sorted({w for f in false for w in f})[:40],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ntrex", default=NTREX_TSV)
    ap.add_argument("--wmt21", default=WMT21_TSV)
    ap.add_argument("--max-id", type=int, default=NTREX_DEV_MAX_ID, help="last NTREX id of the split (dev: 1004)")
    ap.add_argument("--max-sid", type=int, default=WMT21_DEV_MAX_SID, help="last WMT21 sid of the split (dev: 500)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--demetr", default=DATA / "demetr", help="folder with base.tsv and perturbations.tsv")
    ap.add_argument("--langs", default=",".join(sorted(DEV_LANGS)), help="DEMETR source languages (dev split)")
    ap.add_argument("--json", default=RESULTS / "untranslated.json")
    args = ap.parse_args(argv)
    ntrex = ntrex_dev(args.ntrex, args.max_id)
    clean = [r["eng"].strip() for r in ntrex] + [r["ref_b_en"].strip() for r in wmt21_dev(args.wmt21, args.max_sid)]
    rng = random.Random(args.seed)
    result: dict[str, object] = {"machine": machine(), "seed": args.seed, "n_clean": len(clean)}
    table = Table(title="U101 untranslated-word")
    for col in ("profile", "clean sentences flagged", "leftover recall", "examples of false flags"):
        table.add_column(col)
    for code, column in (("nl", "nld"), ("de", "deu")):
        false = [(s, f) for s in clean if (f := flags(s, code))]
        spliced = [x for r in ntrex if (x := splice(r["eng"].strip(), r[column].strip(), rng))]
        hits = sum(1 for text, word in spliced if word in flags(text, code))
        result[code] = {
            "clean_flagged_rate": round(len(false) / len(clean), 4),
            "clean_flagged": len(false),
            "leftover_recall": round(hits / len(spliced), 4),
            "leftovers": len(spliced),
            "false_flag_words": sorted({w for _, f in false for w in f})[:40],
        }
        table.add_row(
            code,
            f"{len(false)}/{len(clean)} ({len(false) / len(clean):.1%})",
            f"{hits}/{len(spliced)} ({hits / len(spliced):.1%})",
            ", ".join(sorted({w for _, f in false for w in f})[:8]),
        )
    result["other_languages"] = other = other_languages(Path(args.demetr), set(args.langs.split(",")))
    table.add_row(
        "other (DEMETR codemix)",
        f"{other['clean_flagged']}/{other['n_clean']} ({other['clean_flagged_rate']:.1%})",
        f"{other['found']}/{other['items']} ({other['recall']:.1%})",
        ", ".join(other["false_flag_words"][:8]),
    )
    Console().print(table)
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
