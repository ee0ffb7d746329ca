"""W103 swapped words on DEMETR: recall on word-swap perturbations against false flags on clean text.

Data: `shared/data/demetr` (Karpinska et al. 2022, MIT), checked word-swap perturbations (type 14) of
the dev languages (french, italian, spanish, polish, czech; `--held-out` takes the other languages),
with the unperturbed MT and the human reference of the same items as the clean controls. For every
sentence the best swap of two neighbouring words (as `mtqa.detect.swap` tries them) is scored by the
LM; the script reports, per margin, the share of perturbed sentences whose best swap clears it
(recall), the share of references and MTs that do (false flags), and the share of perturbed
sentences whose best swap restores the unperturbed MT exactly (restored). The shipped margin
(`swap.MIN_GAIN`) was chosen on the dev languages: the lowest margin with <= 1 % of references
flagged.

    python -m benchmarks.swapped_words [--limit 200] [--held-out] [--json PATH]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, RESULTS, machine, read_tsv, write_json
from benchmarks.demetr import DEV_LANGS, bootstrap_ci, load, one_thread, sample
from mtqa.core import Edit, apply_edits
from mtqa.detect import swap
from mtqa.document import decode
from mtqa.pipeline import Settings, build_context, get_scorer
from mtqa.rewrite.verify import candidate_texts, lm_text

WORD_SWAP = 14
MARGINS = (2.0, 4.0, 6.0, 8.0, 10.0, 12.0)


def best_swaps(texts: Sequence[str], chunk: int = 100) -> list[tuple[float, str]]:
    """(LM gain of the best neighbouring-word swap, the text with it) per text; (-inf, text) if none."""
    settings = Settings()
    scorer = get_scorer(settings)
    out: list[tuple[float, str]] = []
    for first in range(0, len(texts), chunk):
        part = [" ".join(t.split()) for t in texts[first : first + chunk]]
        joined = "\n\n".join(part)
        doc = decode(joined.encode(), "demetr.txt")
        if doc.text != joined:  # the offsets below assume the text arrives unchanged
            raise SystemExit("the DEMETR texts changed on reading; cannot map swaps back to them")
        ctx = build_context(doc, settings, scorer=scorer, tags=False)
        best: dict[int, tuple[float, tuple[Edit, ...]]] = {}  # paragraph (= input text) -> best swap
        for sentence, own in zip(ctx.sentences, ctx.token_scores, strict=True):
            options = [edits for edits, _ in swap.swaps(sentence)]
            scored = ctx.score([lm_text(t) for t in candidate_texts(sentence, options)])
            for edits, s in zip(options, scored, strict=True):
                if s.total - own.total > best.get(sentence.paragraph, (float("-inf"), ()))[0]:
                    best[sentence.paragraph] = (s.total - own.total, edits)
        start = 0
        for k, text in enumerate(part):
            gain, edits = best.get(k, (float("-inf"), ()))
            # a swap keeps the text's length, so the paragraph keeps its place in the document
            swapped = apply_edits(doc.text, edits, 0)[start : start + len(text)] if edits else text
            out.append((gain, swapped))
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
    pert = best_swaps([it.pert for it in chosen])
    mts = best_swaps([it.mt for it in chosen])
    refs = best_swaps([it.ref for it in chosen])
    seconds = time.perf_counter() - started
    table = Table(title=f"W103 swapped words, DEMETR word swap ({'held-out' if args.held_out else 'dev'} languages)")
    for col in ("margin", "recall", "restored", "ref flagged", "mt flagged"):
        table.add_column(col)
    sweep = {}
    for margin in sorted({*MARGINS, swap.MIN_GAIN}):
        recall = [int(g >= margin) for g, _ in pert]
        restored = [
            int(g >= margin and " ".join(t.split()) == " ".join(it.mt.split()))
            for (g, t), it in zip(pert, chosen, strict=True)
        ]
        ref = [int(g >= margin) for g, _ in refs]
        mt = [int(g >= margin) for g, _ in mts]
        row = {"recall": _rate(recall), "restored": _rate(restored), "ref": _rate(ref), "mt": _rate(mt)}
        sweep[f"{margin:g}"] = row
        table.add_row(
            f"{margin:g}" + (" (shipped)" if margin == swap.MIN_GAIN else ""),
            *(f"{row[k]['rate']:.3f} {row[k]['ci95']}" for k in ("recall", "restored", "ref", "mt")),  # type: ignore[index]
        )
    Console().print(table)
    path = args.json or RESULTS / ("swapped_words_held_out.json" if args.held_out else "swapped_words.json")
    write_json(
        path,
        {
            "benchmark": "swapped_words",
            "split": "held-out languages" if args.held_out else "dev languages",
            "langs": sorted(langs),
            "items": len(chosen),
            "shipped_margin": swap.MIN_GAIN,
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
