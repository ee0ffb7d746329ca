"""The engine of the one-place-edit benchmarks (W103 swapped words, G110 word forms) on DEMETR.

A rule that tries edits in one place of a sentence and confirms the best with the LM (`mtqa/rewrite/window.py`)
is measured the same way: the checked perturbations of its DEMETR type (dev languages: french, italian,
spanish, polish, czech; `--held-out` takes the others), with the unperturbed MT and the human reference of
the same items as the clean controls. Every sentence's candidates are scored as the detector scores them;
the script reports, per margin, the share of perturbed sentences whose best edit clears it (recall), the
share of references and MTs that do (false flags), the share of perturbed sentences whose best edit
restores the unperturbed MT exactly (restored), and the candidates tried per sentence. `--clean` adds the
share of clean news flagged (NTREX-128 English dev and WMT21 de-en ref-A dev, 1,505 sentences; ref-B is
left to the false-flag benchmark), where the shipped margins are chosen. Entry points:
`benchmarks/swapped_words.py` and `benchmarks/word_forms.py`.
"""

from __future__ import annotations

import argparse
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, RESULTS, machine, ntrex_dev, read_tsv, wmt21_dev, write_json
from benchmarks.demetr import DEV_LANGS, bootstrap_ci, load, one_thread, sample
from mtqa.core import Edit, apply_edits
from mtqa.detect.base import Context
from mtqa.detect.local import SubstitutionDetector
from mtqa.document import decode
from mtqa.pipeline import Settings, build_context, get_scorer
from mtqa.rewrite.window import Local, best_gains

MARGINS = (2.0, 4.0, 5.0, 6.0, 7.0, 7.5, 8.0, 8.5, 9.0, 10.0, 12.0)


@dataclass(frozen=True)
class Rule:
    """What one rule's benchmark varies: the DEMETR type it answers, how it picks candidates, its margin."""

    code: str
    pert_id: int
    perturbation: str  # plural, for the report: "word swaps"
    name: str  # results/<name>.json
    options: Callable[[Context], Sequence[Sequence[Local]]]
    margin: Callable[[bool], float]  # thorough -> the shipped margin
    also_score: Callable[[Context], list[str]] | None = None
    search: Callable[[bool], str] = lambda thorough: "as the detector searches"
    settings: Callable[[], dict[str, object]] = dict  # the rule's search constants, for the JSON


def substitution_rule(detector: SubstitutionDetector, pert_id: int, perturbation: str, name: str) -> Rule:
    """The benchmark of a substitution rule (G110, G111): its candidates, margin and search settings."""
    return Rule(
        code=detector.code,
        pert_id=pert_id,
        perturbation=perturbation,
        name=name,
        options=detector.options,
        margin=lambda thorough: detector.margin,
        search=lambda thorough: f"the {detector.top} most surprising suspects of >= {detector.min_surprisal:g} nats",
        settings=lambda: {
            "top_words": detector.top,
            "min_surprisal": detector.min_surprisal,
            "window_words": detector.window,
            "fix_gain": detector.fix_gain if math.isfinite(detector.fix_gain) else None,  # None: never a fix
        },
    )


def best_edits(rule: Rule, texts: Sequence[str], thorough: bool, chunk: int = 100) -> list[tuple[float, str, int]]:
    """(gain of the best edit the rule tries, the text with it, candidates tried) per text; (-inf, text, 0) if none."""
    settings = Settings(thorough=thorough)
    scorer = get_scorer(settings)
    out: list[tuple[float, str, int]] = []
    for first in range(0, len(texts), chunk):
        part = [" ".join(t.split()) for t in texts[first : first + chunk]]
        joined = "\n\n".join(part)
        doc = decode(joined.encode(), "demetr.txt")
        if doc.text != joined:  # the offsets below assume the text arrives unchanged
            raise SystemExit("the DEMETR texts changed on reading; cannot map edits back to them")
        ctx = build_context(doc, settings, scorer=scorer, tags=False, also_score=rule.also_score)
        best: dict[int, tuple[float, tuple[Edit, ...]]] = {}  # paragraph (= input text) -> best edit
        tried: dict[int, int] = {}
        options = rule.options(ctx)
        for sentence, tries, (gain, pick) in zip(
            ctx.sentences, options, best_gains(ctx, options, rule.code), strict=True
        ):  # the gain the detector holds against its margin, for every sentence
            tried[sentence.paragraph] = tried.get(sentence.paragraph, 0) + len(tries)
            if pick is not None and gain > best.get(sentence.paragraph, (float("-inf"), ()))[0]:
                best[sentence.paragraph] = (gain, pick.edits)
        start = 0
        for k, text in enumerate(part):
            gain, edits = best.get(k, (float("-inf"), ()))
            out.append((gain, apply_edits(text, edits, start) if edits else text, tried.get(k, 0)))
            start += len(text) + 2
        print(f"scored {min(first + chunk, len(texts))}/{len(texts)} texts", flush=True)
    return out


def _rate(flags: list[int]) -> dict[str, object]:
    low, high = bootstrap_ci(flags)
    return {"n": len(flags), "k": sum(flags), "rate": round(sum(flags) / max(1, len(flags)), 4),
            "ci95": [round(low, 4), round(high, 4)]}  # fmt: skip


def main(rule: Rule, description: str, argv: list[str] | None = None) -> int:
    """Run `rule`'s benchmark (`description` is its script's docstring, shown by --help)."""
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DATA / "demetr")
    ap.add_argument("--limit", type=int, default=200, help="perturbed items (default: 200)")
    ap.add_argument("--held-out", action="store_true", help="use the languages outside the dev split")
    ap.add_argument("--thorough", action="store_true", help="search as `mtqa check --thorough` does")
    ap.add_argument(
        "--clean",
        action="store_true",
        help="also flag rates on clean news (NTREX-128 en dev + WMT21 ref-A dev, where the margin is chosen)",
    )
    ap.add_argument("--json", default=None, help=f"default: results/{rule.name}[_thorough][_held_out].json")
    args = ap.parse_args(argv)
    threads = one_thread()
    every_lang = {r["lang"] for r in read_tsv(f"{args.data}/base.tsv")}
    langs = (every_lang - DEV_LANGS) if args.held_out else DEV_LANGS
    _, _, items = load(str(args.data), langs)
    kind = rule.pert_id
    chosen = [it for it in sample({kind: items[kind]}, args.limit)[kind] if it.pert != it.mt]
    if not chosen:
        raise SystemExit(
            f"no {rule.perturbation} for {sorted(langs) or 'the held-out languages'} in {args.data}: "
            "the held-out languages are not distributed with the dev data (see its README)"
        )
    started = time.perf_counter()
    pert = best_edits(rule, [it.pert for it in chosen], args.thorough)
    mts = best_edits(rule, [it.mt for it in chosen], args.thorough)
    refs = best_edits(rule, [it.ref for it in chosen], args.thorough)
    clean = {}
    if args.clean:
        ntrex = [r["eng"] for r in ntrex_dev()]
        ref_a = [r["ref_a_en"] for r in wmt21_dev()]
        clean = {
            "ntrex_en_dev": best_edits(rule, ntrex, args.thorough),
            "wmt21_ref_a_dev": best_edits(rule, ref_a, args.thorough),
        }
    seconds = time.perf_counter() - started
    search = rule.search(args.thorough)
    split = "held-out" if args.held_out else "dev"
    title = f"{rule.code} {rule.name.replace('_', ' ')}, {search}, DEMETR {rule.perturbation} ({split} languages)"
    table = Table(title=title)
    columns = ("margin", "recall", "restored", "ref flagged", "mt flagged", *(["clean news flagged"] if clean else []))
    for col in columns:
        table.add_column(col)
    sweep = {}
    shipped = rule.margin(args.thorough)
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
    name = rule.name + ("_thorough" if args.thorough else "") + ("_held_out" if args.held_out else "")
    path = args.json or RESULTS / f"{name}.json"
    write_json(
        path,
        {
            "benchmark": rule.name,
            "rule": rule.code,
            "perturbation": rule.perturbation,
            "split": "held-out languages" if args.held_out else "dev languages",
            "langs": sorted(langs),
            "items": len(chosen),
            "search": search,
            "settings": rule.settings(),
            "tried_per_sentence": {
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
