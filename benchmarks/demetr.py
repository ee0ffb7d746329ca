"""DEMETR dev: does mtqa flag minimally perturbed MT, and does its LM prefer the unperturbed MT?

Data: `shared/data/demetr` (Karpinska et al. 2022, MIT), dev split = ids whose `lang` is french,
italian, spanish, polish or czech (500 items). Per perturbation type, only rows with
`pert_check == 1`; `mt_override`, where non-empty, is that item's unperturbed MT. Items where the
perturbed sentence equals the unperturbed MT are left out (counted as `identical_to_mt`).

Measured, per type:
- recall: share of perturbed sentences with an issue at major or worse (also at any severity),
  and per rule the share of perturbed sentences that rule flagged (major or worse / any);
- control: the share of the same items' unperturbed MT flagged (major or worse; any severity), and
  the difference; meaning-only types are invisible without the source, so a source-free tool
  should not flag them more than the unperturbed MT;
- contrastive LM accuracy: share of items where the SLOR of the unperturbed MT is higher than the
  SLOR of the perturbed sentence (word-weighted mean over the sentences of an item);
- SLOR alone at an operating point: share of perturbed sentences whose SLOR is below the 5th
  percentile of the sampled references' SLOR (what a pure LM threshold at 5 % ref flags would catch).
Overall: false flags (major or worse; any severity) on the unperturbed `mt` and the human `ref` of
every sampled item, and per group (fluency, meaning-only, baseline; data README) the pooled and
the macro recall. Target (tracker): recall >= 0.8 on the fluency types it names (group `named`: codemix,
word swap, shuffled, repetition, function word, POS shift, verb and subject removed) at <= 5 % false
flags on `ref`; the README's fluency group also holds the surface types (casing, punctuation,
tokenisation, spelling), reported beside it.

Intervals are 95 % percentile bootstraps (1000 resamples, seed 7). Items per type: one shuffled
order of the dev ids (seed 13); each type takes the first `--limit` ids in that order it has a
checked perturbation for, so types share item ids where they can. Every distinct sentence is
checked once with the full pipeline (LM and tagger on) as paragraphs of large documents. DEMETR's
sources are fr/it/es/pl/cs, for which mtqa has no profile; the `nl` profile is used by default.
The LM runs on one torch thread unless MTQA_THREADS is set: on a busy 2-core machine that is about
twice as fast as two threads, with identical log-probs.

    python -m benchmarks.demetr [--limit 200] [--lang-profile nl] [--json benchmarks/results/demetr.json]
"""

from __future__ import annotations

import argparse
import bisect
import dataclasses
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, RESULTS, as_paragraphs, machine, read_tsv, write_json
from mtqa.core import Issue, Severity
from mtqa.pipeline import Settings, check_document, get_scorer
from mtqa.score.base import Scorer, TokenScores
from mtqa.text import words

DEV_LANGS = {"french", "italian", "spanish", "polish", "czech"}
# Groups from shared/data/demetr/README.md ("Directly relevant types" / "Meaning-only types").
FLUENCY = frozenset({1, 2, 4, 12, 13, 14, 15, 16, 20, 22, 24, 26, 27, 28, 29, 30, 31, 32})
MEANING = frozenset({3, 5, 6, 7, 8, 9, 10, 11, 17, 18, 19, 21, 23, 25})
BASELINE = frozenset({33, 34, 35})
# The fluency types the tracker's target names ("untranslated/codemix, word swap, shuffle, repetition,
# function-word and POS changes, missing verb or subject"): the README group above also holds the surface
# types (casing, punctuation, tokenisation, spelling), which mtqa flags as minor by design.
NAMED = frozenset({1, 2, 4, 13, 14, 16, 20, 22, 24})
TARGET_RECALL, TARGET_REF_FLAGS = 0.8, 0.05  # tracker: fluency recall >= 0.8 at <= 5 % false flags on ref
SAMPLE_SEED, BOOTSTRAP_SEED = 13, 7
_LINE_BREAKS = str.maketrans({"\n": " ", "\r": " "})  # segment.py splits lines on these only

T = TypeVar("T")


def one_thread() -> int:
    """Default the LM to one torch thread (MTQA_THREADS, unless set); return the thread count.

    Measured on the busy 2-core dev VM: 60 DEMETR sentences scored in 8 s on one thread and 14-17 s
    on two, with identical log-probs.
    """
    os.environ.setdefault("MTQA_THREADS", "1")
    return int(os.environ["MTQA_THREADS"])


def short_name(pert_name: str) -> str:
    """Drop the severity and id prefix of a DEMETR type name ("minor_id1_repeat2" -> "repeat2")."""
    return re.sub(r"^[a-z]+_id\d+_", "", pert_name)


def group_of(pert_id: int) -> str:
    """Return the README group of a DEMETR perturbation type."""
    if pert_id in FLUENCY:
        return "fluency"
    if pert_id in MEANING:
        return "meaning"
    return "baseline"


def pools_of(pert_id: int) -> list[str]:
    """Every group a type's items are pooled into: its README group, and `named` if the tracker names it."""
    return [group_of(pert_id), *(["named"] if pert_id in NAMED else [])]


def mean(values: Sequence[float]) -> float:
    """Arithmetic mean (0.0 for no values)."""
    return sum(values) / len(values) if values else 0.0


def bootstrap_ci(
    items: Sequence[T],
    statistic: Callable[[Sequence[T]], float] = mean,  # type: ignore[assignment]
    *,
    seed: int = BOOTSTRAP_SEED,
    n: int = 1000,
    level: float = 0.95,
) -> tuple[float, float]:
    """Return the percentile bootstrap interval of `statistic` over resamples of `items`.

    With the default mean over 0/1 flags it draws exactly what clean_false_flags.bootstrap draws,
    so the intervals of the two benchmarks are comparable.
    """
    if not items:
        return (0.0, 0.0)
    rng = random.Random(seed)
    stats = sorted(statistic(rng.choices(items, k=len(items))) for _ in range(n))
    tail = (1.0 - level) / 2
    return stats[int(tail * n)], stats[int((1.0 - tail) * n) - 1]


@dataclass(frozen=True, slots=True)
class Checked:
    """mtqa's findings on one independent text: issues with offsets into that text, and its SLOR."""

    issues: tuple[Issue, ...]
    score: float | None  # word-weighted mean SLOR of its sentences; None without LM or words

    def flagged(self, at_least: Severity = Severity.MAJOR) -> bool:
        """Whether any issue is at `at_least` or worse."""
        return any(i.severity >= at_least for i in self.issues)

    def codes(self, at_least: Severity = Severity.MAJOR) -> set[str]:
        """Rule codes of the issues at `at_least` or worse."""
        return {i.code for i in self.issues if i.severity >= at_least}


class MemoScorer:
    """Wrap a scorer so that a text scored once (in any document) is never scored again."""

    def __init__(self, scorer: Scorer) -> None:
        self.name = scorer.name
        self._inner = scorer
        self._memo: dict[str, TokenScores] = {}

    def token_logprobs(self, texts: Sequence[str]) -> list[TokenScores]:
        """Return per-token log-probs, scoring only texts not seen before."""
        missing = list(dict.fromkeys(t for t in texts if t not in self._memo))
        if missing:
            self._memo.update(zip(missing, self._inner.token_logprobs(missing), strict=True))
        return [self._memo[t] for t in texts]


def check_texts(
    texts: Sequence[str],
    settings: Settings,
    *,
    chunk: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[Checked], str]:
    """Check independent texts with the full pipeline; return per-text findings and the signature.

    Each distinct text is checked once, as one paragraph of a document of up to `chunk` texts;
    issue spans come back relative to their own text (line breaks inside a text become spaces,
    which keeps every offset). This covers clean_false_flags.flag_sentences too:
    `[int(c.flagged()) for c in checked]` are its flags.
    """
    distinct = list(dict.fromkeys(texts))
    scorer = MemoScorer(get_scorer(settings)) if settings.use_lm else None
    found: dict[str, Checked] = {}
    sig = ""
    for first in range(0, len(distinct), chunk):
        part = distinct[first : first + chunk]
        doc, starts = as_paragraphs([t.translate(_LINE_BREAKS) for t in part])
        report = check_document(doc, settings, scorer=scorer)
        sig = report.signature
        issues: list[list[Issue]] = [[] for _ in part]
        weighted: list[list[tuple[float, int]]] = [[] for _ in part]
        for sentence in report.sentences:
            k = bisect.bisect_right(starts, sentence.span.start) - 1
            for issue in sentence.issues:
                issues[k].append(dataclasses.replace(issue, span=issue.span.shift(-starts[k])))
            if sentence.score is not None:
                weighted[k].append((sentence.score, max(1, len(words(sentence.text)))))
        for k, text in enumerate(part):
            total = sum(n for _, n in weighted[k])
            score = sum(s * n for s, n in weighted[k]) / total if total else None
            found[text] = Checked(tuple(issues[k]), score)
        if progress:
            progress(min(first + chunk, len(distinct)), len(distinct))
    return [found[t] for t in texts], sig


@dataclass(frozen=True, slots=True)
class Item:
    """One perturbed DEMETR item: the unperturbed MT, the perturbed sentence and the reference."""

    id: str
    pert_id: int
    mt: str
    pert: str
    ref: str


def load(folder: str, langs: set[str]) -> tuple[dict[int, dict[str, str]], dict[str, Item], dict[int, list[Item]]]:
    """Read DEMETR: perturbation types, the base rows (as pert_id 0 items) and checked items per type."""
    base = {
        r["id"]: Item(r["id"], 0, r["mt"].strip(), r["mt"].strip(), r["ref"].strip())
        for r in read_tsv(f"{folder}/base.tsv")
        if r["lang"] in langs
    }
    types = {int(r["pert_id"]): r for r in read_tsv(f"{folder}/perturbation_types.tsv")}
    items: dict[int, list[Item]] = {p: [] for p in types}
    for row in read_tsv(f"{folder}/perturbations.tsv"):
        b = base.get(row["id"])
        if b is not None and row["pert_check"] == "1":
            mt = row["mt_override"].strip() or b.mt
            items[int(row["pert_id"])].append(Item(row["id"], int(row["pert_id"]), mt, row["pert_sent"].strip(), b.ref))
    return types, base, items


def sample(items: dict[int, list[Item]], limit: int, seed: int = SAMPLE_SEED) -> dict[int, list[Item]]:
    """Take up to `limit` items per type, in one seeded order of ids shared by every type."""
    ids = sorted({it.id for its in items.values() for it in its}, key=int)
    random.Random(seed).shuffle(ids)
    rank = {i: r for r, i in enumerate(ids)}
    return {p: sorted(its, key=lambda it: rank[it.id])[:limit] for p, its in items.items()}


def rate(flags: Sequence[int]) -> dict[str, object]:
    """Share of 1s with its bootstrap interval, rounded for JSON."""
    low, high = bootstrap_ci(flags)
    return {"n": len(flags), "k": sum(flags), "rate": round(mean(flags), 4), "ci95": [round(low, 4), round(high, 4)]}


def rule_shares(checked: Sequence[Checked], at_least: Severity) -> dict[str, float]:
    """Per rule, the share of texts it flagged at `at_least` or worse (most frequent first)."""
    counts = Counter(code for c in checked for code in c.codes(at_least))
    return {code: round(k / len(checked), 4) for code, k in counts.most_common()} if checked else {}


def quantile(values: Sequence[float], q: float) -> float:
    """The value below which a share `q` of `values` lies (lower empirical quantile)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(q * len(ordered))))] if ordered else float("nan")


def below(checked: Sequence[Checked], threshold: float) -> list[int]:
    """1 where a text's SLOR is below `threshold` (a text without a score counts as not flagged)."""
    return [int(c.score is not None and c.score < threshold) for c in checked]


@dataclass
class Pool:
    """0/1 outcomes of one group's items, pooled across its types."""

    major: list[int] = field(default_factory=list)
    any: list[int] = field(default_factory=list)
    mt_major: list[int] = field(default_factory=list)
    mt_any: list[int] = field(default_factory=list)
    slor: list[int] = field(default_factory=list)


def evaluate_type(
    its: Sequence[Item], result: dict[str, Checked], threshold: float, pools: Sequence[Pool]
) -> dict[str, object]:
    """Recall, control, LM contrastive accuracy and rule shares of one perturbation type."""
    pert = [result[it.pert] for it in its]
    base = [result[it.mt] for it in its]
    major = [int(c.flagged()) for c in pert]
    anysev = [int(c.flagged(Severity.MINOR)) for c in pert]
    mt_major = [int(c.flagged()) for c in base]
    mt_any = [int(c.flagged(Severity.MINOR)) for c in base]
    slor = below(pert, threshold)
    pairs = [(b.score, p.score) for b, p in zip(base, pert) if b.score is not None and p.score is not None]
    for pool in pools:
        pool.major += major
        pool.any += anysev
        pool.mt_major += mt_major
        pool.mt_any += mt_any
        pool.slor += slor
    return {
        "n": len(its),
        "recall_major": rate(major),
        "recall_any": rate(anysev),
        "mt_flagged_major_same_items": rate(mt_major),
        "mt_flagged_any_same_items": rate(mt_any),
        "difference_major": round(mean(major) - mean(mt_major), 4),
        "difference_any": round(mean(anysev) - mean(mt_any), 4),
        "recall_slor_at_ref_5pct": rate(slor),
        "lm_contrastive_acc": rate([int(b > p) for b, p in pairs]),
        "rules_major": rule_shares(pert, Severity.MAJOR),
        "rules_any": rule_shares(pert, Severity.MINOR),
        "rules_any_on_mt": rule_shares(base, Severity.MINOR),
    }


def summarise(pool: Pool, entries: Sequence[dict[str, object]]) -> dict[str, object]:
    """Pooled and macro figures of one group of types."""
    return {
        "types": [e["id"] for e in entries],
        "recall_major_pooled": rate(pool.major),
        "recall_major_macro": round(mean([e["recall_major"]["rate"] for e in entries]), 4),  # type: ignore[index]
        "recall_any_pooled": rate(pool.any),
        "mt_flagged_major_same_items_pooled": rate(pool.mt_major),
        "mt_flagged_any_same_items_pooled": rate(pool.mt_any),
        "difference_major_pooled": round(mean(pool.major) - mean(pool.mt_major), 4),
        "difference_any_pooled": round(mean(pool.any) - mean(pool.mt_any), 4),
        "recall_slor_at_ref_5pct_pooled": rate(pool.slor),
        "lm_contrastive_acc_macro": round(mean([e["lm_contrastive_acc"]["rate"] for e in entries]), 4),  # type: ignore[index]
    }


def false_flags(checked: Sequence[Checked], threshold: float) -> dict[str, object]:
    """Share of clean texts flagged (major or worse, any severity, SLOR below the threshold)."""
    return {
        "major": rate([int(c.flagged()) for c in checked]),
        "any": rate([int(c.flagged(Severity.MINOR)) for c in checked]),
        "slor_below_threshold": rate(below(checked, threshold)),
        "rules_major": rule_shares(checked, Severity.MAJOR),
        "rules_any": rule_shares(checked, Severity.MINOR),
    }


def fmt_rate(r: dict[str, object]) -> str:
    """'0.54 [0.47, 0.61]' from a rate() dict."""
    return f"{r['rate']:.2f} [{r['ci95'][0]:.2f}, {r['ci95'][1]:.2f}]" if r["n"] else "-"  # type: ignore[index]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=str(DATA / "demetr"), help="DEMETR folder (default: %(default)s)")
    ap.add_argument("--limit", type=int, default=200, help="items per perturbation type (default: %(default)s)")
    ap.add_argument("--lang-profile", default="nl", help="mtqa source-language profile (default: %(default)s)")
    ap.add_argument("--json", default=str(RESULTS / "demetr.json"), help="metrics file (default: %(default)s)")
    args = ap.parse_args(argv)
    err = Console(stderr=True)
    note = (
        f"DEMETR dev sources are fr/it/es/pl/cs; mtqa has no profile for them, so the "
        f"'{args.lang_profile}' profile is used (its lexicon and word-order cues do not match; U101 knows "
        f"their words through mtqa/languages/other.toml)."
    )
    err.print(note)

    types, base, all_items = load(args.data, DEV_LANGS)
    identical = {p: sum(it.pert == it.mt for it in its) for p, its in all_items.items()}
    items = sample({p: [it for it in its if it.pert != it.mt] for p, its in all_items.items()}, args.limit)
    ids = sorted({it.id for its in items.values() for it in its}, key=int)
    texts = [it.pert for its in items.values() for it in its]
    texts += [it.mt for its in items.values() for it in its]
    texts += [base[i].mt for i in ids] + [base[i].ref for i in ids]

    threads = one_thread()
    settings = Settings(source_lang=args.lang_profile)
    started = time.perf_counter()

    def report_progress(done: int, total: int) -> None:
        err.print(f"checked {done}/{total} distinct texts in {time.perf_counter() - started:.0f} s")

    distinct = len(set(texts))
    err.print(f"{len(texts)} texts, {distinct} distinct; checking with the full pipeline ...")
    checked, sig = check_texts(texts, settings, progress=report_progress)
    seconds = time.perf_counter() - started
    result = dict(zip(texts, checked))

    refs = [result[base[i].ref] for i in ids]
    # SLOR-only operating point: flag below the 5th percentile of the sampled references.
    threshold = quantile([c.score for c in refs if c.score is not None], TARGET_REF_FLAGS)
    pools = {g: Pool() for g in ("fluency", "named", "meaning", "baseline")}
    per_type: dict[str, dict[str, object]] = {}
    for pid in sorted(types):
        group = group_of(pid)
        entry = {"id": pid, "name": types[pid]["pert_name"], "severity": types[pid]["severity"], "group": group}
        entry["available"] = len(all_items[pid])
        entry["identical_to_mt"] = identical[pid]
        entry.update(evaluate_type(items[pid], result, threshold, [pools[g] for g in pools_of(pid)]))
        per_type[str(pid)] = entry
    groups = {
        g: summarise(pool, [e for e in per_type.values() if g in pools_of(e["id"])])  # type: ignore[arg-type]
        for g, pool in pools.items()
    }
    flags = {
        "mt": false_flags([result[base[i].mt] for i in ids], threshold),
        "ref": false_flags(refs, threshold),
    }
    recall = groups["named"]["recall_major_pooled"]["rate"]  # type: ignore[index]
    ref_rate = flags["ref"]["major"]["rate"]  # type: ignore[index]
    target_met = recall >= TARGET_RECALL and ref_rate <= TARGET_REF_FLAGS
    payload = {
        "benchmark": "demetr",
        "machine": machine(),
        "signature": sig,
        "lang_profile": args.lang_profile,
        "note": note,
        "split": {"langs": sorted(DEV_LANGS), "items": len(ids)},
        "limit": args.limit,
        "sample_seed": SAMPLE_SEED,
        "bootstrap": {"seed": BOOTSTRAP_SEED, "resamples": 1000, "level": 0.95},
        "texts": len(texts),
        "distinct_texts": distinct,
        "seconds": round(seconds, 1),
        "threads": threads,
        "texts_per_second": round(distinct / seconds, 2) if seconds else None,
        "slor_threshold_ref_5pct": round(threshold, 4),
        "false_flags": flags,
        "groups": groups,
        "target": {
            "named_recall_major": TARGET_RECALL,
            "types": sorted(NAMED),
            "ref_false_flags": TARGET_REF_FLAGS,
            "met": target_met,
        },
        "types": per_type,
    }
    print_tables(payload, args.lang_profile, args.limit)
    write_json(args.json, payload)
    return 0


def print_tables(payload: dict[str, object], profile: str, limit: int) -> None:
    """Print the per-type table, the group summary and the signature."""
    console = Console(width=170)
    table = Table(title=f"DEMETR dev: perturbed MT flagged by mtqa (profile {profile}, limit {limit})")
    right = {"id", "n", "any", "mt any", "LM acc", "SLOR<ref 5 %"}
    for col in ("id", "name", "group", "n", "recall major+ [95 % CI]", "any", "mt any", "SLOR<ref 5 %", "LM acc"):
        table.add_column(col, justify="right" if col in right else "left")
    table.add_column("top rules (major+)")
    table.add_column("top rules (any)")
    for pid, e in payload["types"].items():  # type: ignore[attr-defined]

        def top(rules: dict[str, float]) -> str:
            return ", ".join(f"{code} {share:.2f}" for code, share in list(rules.items())[:3])

        table.add_row(
            pid,
            short_name(e["name"]),
            e["group"],
            str(e["n"]),
            fmt_rate(e["recall_major"]),
            f"{e['recall_any']['rate']:.2f}",
            f"{e['mt_flagged_any_same_items']['rate']:.2f}",
            f"{e['recall_slor_at_ref_5pct']['rate']:.2f}",
            f"{e['lm_contrastive_acc']['rate']:.2f}",
            top(e["rules_major"]),
            top(e["rules_any"]),
        )
    console.print(table)
    summary = Table(title="Groups (pooled over the group's items) and false flags on the unperturbed mt / human ref")
    for col in ("what", "n", "major+ [95 % CI]", "macro", "mt major+", "any", "mt any", "SLOR<ref 5 %", "LM acc"):
        summary.add_column(col)
    for group, g in payload["groups"].items():  # type: ignore[attr-defined]
        summary.add_row(
            f"recall {group}",
            str(g["recall_major_pooled"]["n"]),
            fmt_rate(g["recall_major_pooled"]),
            f"{g['recall_major_macro']:.3f}",
            f"{g['mt_flagged_major_same_items_pooled']['rate']:.3f}",
            f"{g['recall_any_pooled']['rate']:.3f}",
            f"{g['mt_flagged_any_same_items_pooled']['rate']:.3f}",
            f"{g['recall_slor_at_ref_5pct_pooled']['rate']:.3f}",
            f"{g['lm_contrastive_acc_macro']:.3f} (macro)",
        )
    for what, ff in payload["false_flags"].items():  # type: ignore[attr-defined]
        summary.add_row(
            f"false flags {what}",
            str(ff["major"]["n"]),
            fmt_rate(ff["major"]),
            "",
            "",
            fmt_rate(ff["any"]),
            "",
            f"{ff['slor_below_threshold']['rate']:.3f}",
        )
    console.print(summary)
    target = payload["target"]
    console.print(
        f"target (recall major+ on the named fluency types >= {target['named_recall_major']} at ref false flags <= "  # type: ignore[index]
        f"{target['ref_false_flags']:.0%}): {'met' if target['met'] else 'not met'}; "  # type: ignore[index]
        f"SLOR threshold at the refs' 5th percentile: {payload['slor_threshold_ref_5pct']}"
    )
    console.print(f"{payload['signature']}  ({payload['distinct_texts']} distinct texts in {payload['seconds']:.0f} s)")


if __name__ == "__main__":
    sys.exit(main())
