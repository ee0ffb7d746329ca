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
from mtqa.core import apply_edits
from mtqa.detect import swap
from mtqa.document import decode
from mtqa.pipeline import Settings, build_context, get_scorer
from mtqa.rewrite.verify import lm_text

WORD_SWAP = 14
MARGINS = (2.0, 4.0, 6.0, 8.0, 10.0, 12.0)


def best_swaps(texts: Sequence[str], chunk: int = 100) -> list[tuple[float, str]]:
    """(LM gain of the best neighbouring-word swap, the swapped text) per text; (-inf, text) if none."""
    settings = Settings()
    scorer = get_scorer(settings)
    out: list[tuple[float, str]] = []
    for first in range(0, len(texts), chunk):
        part = [" ".join(t.split()) for t in texts[first : first + chunk]]
        doc = decode("\n\n".join(part).encode(), "demetr.txt")
        ctx = build_context(doc, settings, scorer=scorer, tags=False)
        best: dict[int, tuple[float, str]] = {}
        for sentence, own in zip(ctx.sentences, ctx.token_scores, strict=True):
            options = [apply_edits(sentence.text, e, sentence.span.start) for e, _ in swap.swaps(sentence)]
            if not options:
                continue
            scored = ctx.score([lm_text(t) for t in options])
            gain, text = max((s.total - own.total, t) for s, t in zip(scored, options, strict=True))
            if gain > best.get(sentence.paragraph, (float("-inf"), ""))[0]:
                best[sentence.paragraph] = (gain, text)
        # one paragraph per input text; a text's swap is reported against the whole text
        for k, text in enumerate(part):
            gain, swapped_sentence = best.get(k, (float("-inf"), ""))
            out.append((gain, _swap_into(text, swapped_sentence) if swapped_sentence else text))
        print(f"scored {min(first + chunk, len(texts))}/{len(texts)} texts", flush=True)
    return out


def _swap_into(text: str, swapped_sentence: str) -> str:
    """The text with the sentence that differs from `swapped_sentence` by one swap replaced by it."""
    words = swapped_sentence.split()
    tokens = text.split()
    for start in range(0, len(tokens) - len(words) + 1):
        window = tokens[start : start + len(words)]
        if sorted(window) == sorted(words) and sum(a != b for a, b in zip(window, words, strict=True)) == 2:
            return " ".join([*tokens[:start], *words, *tokens[start + len(words) :]])
    return text


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
