"""W103 swapped words on DEMETR: recall on word-swap perturbations against false flags on clean text.

Data: `shared/data/demetr` (Karpinska et al. 2022, MIT), checked word-swap perturbations (type 14) of
the dev languages (french, italian, spanish, polish, czech; `--held-out` takes the other languages),
with the unperturbed MT and the human reference of the same items as the clean controls. For every
sentence the swaps of two neighbouring words that `mtqa.detect.swap` tries (by default those the damage
model points at; `--thorough`: every pair) are scored as the detector scores them (the LM reads one word
past the pair to pick the best swap, which must then also win over the whole sentence); the script
reports, per margin, the share of perturbed sentences whose best swap clears it (recall), the share of
references and MTs that do (false flags), the share of perturbed sentences whose best swap restores the
unperturbed MT exactly (restored), and the swaps tried per sentence. `--clean` adds the share of clean
news flagged (NTREX-128 English dev and WMT21 de-en ref-A dev, 1,505 sentences; ref-B is left to the
false-flag benchmark): the default margin (`swap.MIN_GAIN`) is the lowest whole number of nats that
flags at most 0.5 % of it, the level L103's major flags keep. `--thorough`'s margin
(`swap.MIN_GAIN_THOROUGH`) was chosen on the DEMETR references alone (the lowest with <= 1 % flagged).

    python -m benchmarks.swapped_words [--limit 200] [--thorough] [--clean] [--held-out] [--json PATH]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, RESULTS, machine, ntrex_dev, read_tsv, wmt21_dev, write_json
from benchmarks.demetr import DEV_LANGS, bootstrap_ci, load, one_thread, sample
from mtqa.core import Edit, apply_edits
from mtqa.detect import swap
from mtqa.document import decode
from mtqa.pipeline import Settings, build_context, get_scorer

WORD_SWAP = 14
MARGINS = (2.0, 4.0, 5.0, 6.0, 7.0, 8.0, 10.0, 12.0)


def best_swaps(texts: Sequence[str], thorough: bool, chunk: int = 100) -> list[tuple[float, str, int]]:
    """(gain of the best swap the detector tries, the text with it, swaps tried) per text; (-inf, text, 0) if none."""
    settings = Settings(thorough=thorough)
    scorer = get_scorer(settings)
    detector = swap.SwappedWordsDetector()
    out: list[tuple[float, str, int]] = []
    for first in range(0, len(texts), chunk):
        part = [" ".join(t.split()) for t in texts[first : first + chunk]]
        joined = "\n\n".join(part)
        doc = decode(joined.encode(), "demetr.txt")
        if doc.text != joined:  # the offsets below assume the text arrives unchanged
            raise SystemExit("the DEMETR texts changed on reading; cannot map swaps back to them")
        ctx = build_context(doc, settings, scorer=scorer, tags=False, also_score=detector.candidate_texts)
        best: dict[int, tuple[float, tuple[Edit, ...]]] = {}  # paragraph (= input text) -> best swap
        tried: dict[int, int] = {}
        options = swap.options(ctx)
        picks = swap.best_in_window(ctx, options)
        chosen = [(sentence, pick) for sentence, (_, pick) in zip(ctx.sentences, picks, strict=True) if pick]
        whole = iter(swap.whole_gains(ctx, chosen))
        for sentence, tries, (window_gain, pick) in zip(ctx.sentences, options, picks, strict=True):
            tried[sentence.paragraph] = tried.get(sentence.paragraph, 0) + len(tries)
            if pick is None:
                continue
            gain = min(window_gain, next(whole))  # the detector flags when both clear the margin
            if gain > best.get(sentence.paragraph, (float("-inf"), ()))[0]:
                best[sentence.paragraph] = (gain, pick.edits)
        start = 0
        for k, text in enumerate(part):
            gain, edits = best.get(k, (float("-inf"), ()))
            # a swap keeps the text's length, so the paragraph keeps its place in the document
            swapped = apply_edits(doc.text, edits, 0)[start : start + len(text)] if edits else text
            out.append((gain, swapped, tried.get(k, 0)))
            start += len(text) + 2
        print(f"scored {min(first + chunk, len(texts))}/{len(texts)} texts", flush=True)
    return out


def _rate(flags: list[int]) -> dict[str, object]:
    low, high = bootstrap_ci(flags)
    return {"n": len(flags), "k": sum(flags), "rate": round(sum(flags) / max(1, len(flags)), 4),
            "ci95": [round(low, 4), round(high, 4)]}  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DATA / "demetr")
    ap.add_argument("--limit", type=int, default=200, help="word-swap items (default: 200)")
    ap.add_argument("--held-out", action="store_true", help="use the languages outside the dev split")
    ap.add_argument("--thorough", action="store_true", help="try every pair, as `mtqa check --thorough` does")
    ap.add_argument(
        "--clean",
        action="store_true",
        help="also flag rates on clean news (NTREX-128 en dev + WMT21 ref-A dev, where the margin is chosen)",
    )
    ap.add_argument("--json", default=None, help="default: results/swapped_words[_held_out].json")
    args = ap.parse_args(argv)
    threads = one_thread()
    every_lang = {r["lang"] for r in read_tsv(f"{args.data}/base.tsv")}
    langs = (every_lang - DEV_LANGS) if args.held_out else DEV_LANGS
    _, _, items = load(str(args.data), langs)
    chosen = [it for it in sample({WORD_SWAP: items[WORD_SWAP]}, args.limit)[WORD_SWAP] if it.pert != it.mt]
    if not chosen:
        raise SystemExit(
            f"no word-swap items for {sorted(langs) or 'the held-out languages'} in {args.data}: "
            "the held-out languages are not distributed with the dev data (see its README)"
        )
    started = time.perf_counter()
    pert = best_swaps([it.pert for it in chosen], args.thorough)
    mts = best_swaps([it.mt for it in chosen], args.thorough)
    refs = best_swaps([it.ref for it in chosen], args.thorough)
    clean = {}
    if args.clean:
        ntrex = [r["eng"] for r in ntrex_dev()]
        ref_a = [r["ref_a_en"] for r in wmt21_dev()]
        clean = {"ntrex_en_dev": best_swaps(ntrex, args.thorough), "wmt21_ref_a_dev": best_swaps(ref_a, args.thorough)}
    seconds = time.perf_counter() - started
    search = "every pair (--thorough)" if args.thorough else "pairs the damage model points at"
    title = f"W103 swapped words, {search}, DEMETR word swap ({'held-out' if args.held_out else 'dev'} languages)"
    table = Table(title=title)
    columns = ("margin", "recall", "restored", "ref flagged", "mt flagged", *(["clean news flagged"] if clean else []))
    for col in columns:
        table.add_column(col)
    sweep = {}
    shipped = swap.MIN_GAIN_THOROUGH if args.thorough else swap.MIN_GAIN
    for margin in sorted({*MARGINS, shipped}):
        recall = [int(g >= margin) for g, _, _ in pert]
        restored = [
            int(g >= margin and " ".join(t.split()) == " ".join(it.mt.split()))
            for (g, t, _), it in zip(pert, chosen, strict=True)
        ]
        ref = [int(g >= margin) for g, _, _ in refs]
        mt = [int(g >= margin) for g, _, _ in mts]
        row = {"recall": _rate(recall), "restored": _rate(restored), "ref": _rate(ref), "mt": _rate(mt)}
        if clean:
            row["clean_news"] = _rate([int(g >= margin) for rows in clean.values() for g, _, _ in rows])
        sweep[f"{margin:g}"] = row
        table.add_row(
            f"{margin:g}" + (" (shipped)" if margin == shipped else ""),
            *(f"{row[k]['rate']:.3f} {row[k]['ci95']}" for k in row),  # type: ignore[index]
        )
    Console().print(table)
    name = "swapped_words" + ("_thorough" if args.thorough else "") + ("_held_out" if args.held_out else "")
    path = args.json or RESULTS / f"{name}.json"
    write_json(
        path,
        {
            "benchmark": "swapped_words",
            "split": "held-out languages" if args.held_out else "dev languages",
            "langs": sorted(langs),
            "items": len(chosen),
            "search": "every pair" if args.thorough else "guided by the damage model",
            "guide": {"words": swap.GUIDE_WORDS, "min_p_damaged": swap.GUIDE_MIN, "window_words": swap.WINDOW},
            "swaps_tried_per_sentence": {
                name: round(sum(n for _, _, n in rows) / max(1, len(rows)), 2)
                for name, rows in (("perturbed", pert), ("mt", mts), ("ref", refs))
            },
            "shipped_margin": shipped,
            "sweep": sweep,
            "seconds": round(seconds, 1),
            "threads": threads,
            "machine": machine(),
            "model": get_scorer(Settings()).name,
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
