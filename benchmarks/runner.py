"""Run the benchmark scripts and regenerate `benchmarks/RESULTS.md` from their JSON results.

    python -m benchmarks                    # run every script (hours on 2 cores), then write RESULTS.md
    python -m benchmarks --only mlqe_pe,blimp
    python -m benchmarks --render           # no runs: rewrite RESULTS.md from the recorded JSONs
    python -m benchmarks --list             # what would run, with each command

Each script writes its own JSON under `benchmarks/results/`; this runner only calls them and reads
those files back, so RESULTS.md never holds a number that is not in a JSON. The registry below is
data: a script, its arguments, its JSON, and which figures of the JSON make its headline rows.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks._common import RESULTS

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "RESULTS.md"
MISSING = "—"

Row = tuple[str, str]


def get(data: dict, path: str) -> object:
    """Follow a dotted path ('a.b.0'); None where any part is missing."""
    node: object = data
    for part in path.split("."):
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            return None
    return node


def fmt(value: object, digits: int = 3, *, percent: bool = False) -> str:
    """A number as text ('—' when missing); percentages with one decimal."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{100 * value:.1f} %" if percent else f"{value:.{digits}f}"
    return str(value)


def with_ci(data: dict, value: str, ci: str, digits: int = 3, *, percent: bool = False) -> str:
    """'0.529 [0.49, 0.57]' from a value path and a [low, high] path."""
    interval = get(data, ci)
    text = fmt(get(data, value), digits, percent=percent)
    if isinstance(interval, list) and len(interval) == 2 and text != MISSING:
        low, high = (fmt(float(x), digits, percent=percent) for x in interval)
        text += f" [{low}, {high}]"
    return text


def rows(data: dict, spec: Sequence[tuple[str, str] | tuple[str, str, str]], **kw: object) -> list[Row]:
    """Headline rows from (label, value path) or (label, value path, ci path) triples."""
    out = []
    for item in spec:
        label, value = item[0], item[1]
        out.append((label, with_ci(data, value, item[2], **kw) if len(item) == 3 else fmt(get(data, value), **kw)))  # type: ignore[arg-type]
    return out


@dataclass(frozen=True)
class Bench:
    """One benchmark script: how to run it and what to quote from its JSON."""

    name: str
    title: str
    args: tuple[str, ...] = ()
    json: str = ""  # file under benchmarks/results (default: NAME.json)
    headline: Callable[[dict], list[Row]] = field(default=lambda d: [])
    slow: bool = False  # more than ~15 minutes on 2 cores
    recorded_only: bool = False  # not re-run by the runner (e.g. training would replace the shipped model)

    @property
    def path(self) -> Path:
        return RESULTS / (self.json or f"{self.name}.json")

    def command(self) -> list[str]:
        return [sys.executable, "-m", f"benchmarks.{self.name}", *self.args, "--json", str(self.path)]


def _startup(d: dict) -> list[Row]:
    return [
        ("cold `mtqa check` on the seed, median (budget 5 s)", f"{fmt(get(d, 'cold_start_s'), 2)} s"),
        ("warm check of the seed, median (budget 1.5 s)", f"{fmt(get(d, 'warm_check_s'), 2)} s"),
        ("peak RSS, cold", f"{fmt(get(d, 'cold_peak_rss_mb'), 0)} MB"),
        (
            "load average before / after",
            f"{fmt(get(d, 'loadavg_1min_before'), 2)} / {fmt(get(d, 'loadavg_1min_after'), 2)}",
        ),
    ]


def _mlqe(d: dict) -> list[Row]:
    out = []
    for pair in ("et-en", "ne-en", "ro-en", "ru-en", "si-en"):
        p = f"pairs.{pair}"
        out.append(
            (
                f"{pair}: Pearson quality~DA z (glass-box) · AUROC HTER>0.3 · word MCC",
                f"{with_ci(d, f'{p}.quality_vs_da.pearson', f'{p}.quality_vs_da.pearson_ci')} "
                f"({fmt(get(d, f'{p}.glassbox_vs_da.pearson'))}) · "
                f"{with_ci(d, f'{p}.auroc_needs_edit', f'{p}.auroc_needs_edit_ci')} · "
                f"{with_ci(d, f'{p}.words.mcc', f'{p}.words.mcc_ci')}",
            )
        )
    pairs = [v for v in (get(d, "pairs") or {}).values() if isinstance(v, dict)]
    if pairs:
        mean = sum(p["quality_vs_da"]["pearson"] for p in pairs) / len(pairs)
        auroc = sum(p["auroc_needs_edit"] for p in pairs) / len(pairs)
        word = sum(p["words"]["mcc"] for p in pairs) / len(pairs)
        out.append(
            ("mean Pearson (target ≥ .55) · AUROC (≥ .75) · word MCC (≥ .30)", f"{mean:.3f} · {auroc:.3f} · {word:.3f}")
        )
    if get(d, "summary.combined"):
        out.append(
            (
                "model alone: mean Pearson · AUROC (quality above: combined with the LM, in-sample)",
                f"{fmt(get(d, 'summary.model_only_pearson_da'))} · "
                f"{fmt(get(d, 'summary.model_only_auroc_needs_edit'))}",
            )
        )
    out.append(
        (
            "p_needs_edit reliability pooled over pairs, largest decile gap",
            fmt(get(d, "summary.pooled_reliability_max_gap")),
        )
    )
    return out


def _combiner(d: dict) -> list[Row]:
    out = []
    base, comb = "variants.model_only_logistic.split_0.pairs", "variants.combined.split_0.pairs"
    for pair in ("et-en", "ne-en", "ro-en", "ru-en", "si-en"):
        out.append(
            (
                f"{pair}: out-of-fold Pearson with DA z, model alone → combined",
                f"{with_ci(d, f'{base}.{pair}.pearson', f'{base}.{pair}.pearson_ci')} → "
                f"{with_ci(d, f'{comb}.{pair}.pearson', f'{comb}.{pair}.pearson_ci')}",
            )
        )
    for label, key, digits in (
        ("mean Pearson over pairs (mean of 5 splits)", "mean_pearson", 4),
        ("mean AUROC HTER>0.3", "mean_auroc", 4),
        ("pooled p_needs_edit reliability, largest decile gap (target ≤ 0.05)", "reliability_max_gap", 3),
        ("Brier score of p_needs_edit", "brier", 4),
    ):
        a = get(d, f"variants.model_only_logistic.over_splits.{key}.mean")
        b = get(d, f"variants.combined.over_splits.{key}.mean")
        out.append((f"{label}, model alone → combined", f"{fmt(a, digits)} → {fmt(b, digits)}"))
    features = get(d, "features")
    if isinstance(features, list):
        out.append(("features", ", ".join(str(f) for f in features)))
    return out


def _local_edits(d: dict) -> list[Row]:
    at = f"sweep.{fmt(get(d, 'shipped_margin'), 0)}"
    return [
        (
            f"{get(d, 'split')}, {get(d, 'search')}, margin {fmt(get(d, 'shipped_margin'), 0)} nats: "
            f"{get(d, 'perturbation') or 'word swaps'} flagged · restored exactly",
            f"{with_ci(d, f'{at}.recall.rate', f'{at}.recall.ci95')} · "
            f"{with_ci(d, f'{at}.restored.rate', f'{at}.restored.ci95')}",
        ),
        (
            "references · unperturbed MT flagged",
            f"{with_ci(d, f'{at}.ref.rate', f'{at}.ref.ci95', percent=True)} · "
            f"{with_ci(d, f'{at}.mt.rate', f'{at}.mt.ci95', percent=True)}",
        ),
        *(
            [
                (
                    "clean news flagged (NTREX en dev + WMT21 ref-A dev)",
                    with_ci(d, f"{at}.clean_news.rate", f"{at}.clean_news.ci95", percent=True),
                )
            ]
            if get(d, f"{at}.clean_news") is not None
            else []
        ),
    ]


def _clean(d: dict) -> list[Row]:
    return [
        (
            f"{src}: share flagged major+ (target ≤ 3 %)",
            with_ci(d, f"sources.{src}.rate", f"sources.{src}.ci95", percent=True),
        )
        for src in ("ntrex_en_dev", "wmt21_ref_b_dev", "demetr_ref_dev", "jfleg_ref0_dev")
        if src in d.get("sources", {})
    ]


def _demetr(d: dict) -> list[Row]:
    out = rows(
        d,
        [
            (
                "fluency types the tracker names: recall major+ pooled (target 0.8)",
                "groups.named.recall_major_pooled.rate",
                "groups.named.recall_major_pooled.ci95",
            ),
            ("the same: flagged at any severity", "groups.named.recall_any_pooled.rate"),
            (
                "all fluency types (README group, with the surface ones): recall major+ pooled",
                "groups.fluency.recall_major_pooled.rate",
                "groups.fluency.recall_major_pooled.ci95",
            ),
            (
                "meaning types: flagged major+ pooled",
                "groups.meaning.recall_major_pooled.rate",
                "groups.meaning.recall_major_pooled.ci95",
            ),
            ("false flags major+ on unperturbed MT", "false_flags.mt.major.rate", "false_flags.mt.major.ci95"),
            ("false flags major+ on human refs", "false_flags.ref.major.rate", "false_flags.ref.major.ci95"),
            ("LM prefers the unperturbed sentence (fluency, macro)", "groups.fluency.lm_contrastive_acc_macro"),
        ],
    )
    return out


def _blimp(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("in-scope agreement pairs: fires on bad (target 0.9)", "groups.agreement.fires_on_bad"),
            ("in-scope agreement pairs: fires on good", "groups.agreement.fires_on_good"),
            ("held-out ids: fires on bad", "groups.agreement_held_out.fires_on_bad"),
            ("held-out ids: fires on good", "groups.agreement_held_out.fires_on_good"),
            ("SmolLM2 prefers good (GPT-2 beside it)", "groups.agreement.lm_accuracy"),
            ("GPT-2 mean accuracy (published)", "gpt2_lm_accuracy_mean"),
        ],
    )


def _boilerplate(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("B101 precision", "metrics.precision", "ci95.precision"),
            ("false flags on body blocks", "metrics.false_flag_rate", "ci95.false_flag_rate"),
            ("recall (silver labels)", "metrics.recall", "ci95.recall"),
        ],
    )


def _untranslated(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("nl: leftover recall", "nl.leftover_recall"),
            ("nl: clean sentences flagged", "nl.clean_flagged_rate"),
            ("de: leftover recall", "de.leftover_recall"),
            ("de: clean sentences flagged", "de.clean_flagged_rate"),
            ("other languages: DEMETR codemix found", "other_languages.recall"),
            ("other languages: DEMETR refs flagged", "other_languages.clean_flagged_rate"),
        ],
    )


def _lexicon(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("nl: restored with the learned lexicon", "nl.with_learned.restored_share"),
            ("nl: restored, hand lexicon only", "nl.hand_only.restored_share"),
            ("de: restored with the learned lexicon", "de.with_learned.restored_share"),
            ("de: restored, hand lexicon only", "de.hand_only.restored_share"),
        ],
    )


def _mqm(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("character span F1 (major+minor)", "official_omissions.plain.f1", "official_omissions.plain.f1_ci95"),
            ("severity-aware F1", "official_omissions.severity.f1", "official_omissions.severity.f1_ci95"),
            ("whole-sentence floor F1", "floor_whole_sentence.plain.f1", "floor_whole_sentence.plain.f1_ci95"),
        ],
    )


def _clauses(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("W102 on clean NTREX", "clean.ntrex_en_dev.W102.rate", "clean.ntrex_en_dev.W102.ci95"),
            ("G104 on clean NTREX", "clean.ntrex_en_dev.G104.rate", "clean.ntrex_en_dev.G104.ci95"),
            ("G104 on clean WMT21 ref-B", "clean.wmt21_ref_b_dev.G104.rate", "clean.wmt21_ref_b_dev.G104.ci95"),
        ],
    )


def _cognates(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("codemix words no dictionary knows", "words"),
            (f"given cognates at the shipped cut {d.get('shipped_cut')}", "at_shipped_cut.offered"),
            ("the replaced English word among them", "at_shipped_cut.right_among"),
        ],
    )


def _thresholds(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("length-adjusted SLOR, 1st percentile of clean news (L101 major)", "slor_z_quantiles.1"),
            ("length-adjusted SLOR, 10th percentile (L101 minor)", "slor_z_quantiles.10"),
            ("4-7 word clean lines under the L101 major cut, one raw cut-off", "major_rate_by_length.0.raw_cut"),
            ("the same, length-adjusted", "major_rate_by_length.0.z_cut"),
            ("word surprisal 99.5th percentile (L102)", "word_surprisal_p99_5"),
            ("clean sentences", "n_sentences"),
        ],
    )


def _train(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("dev mean Pearson", "dev.mean_pearson"),
            ("dev mean AUROC HTER>0.3", "dev.mean_auroc_needs_edit"),
            ("dev mean word MCC", "dev.mean_word_mcc"),
            (
                "p_needs_edit reliability, largest decile gap (cross-fitted)",
                "calibration.reliability_cross_fit.max_abs_gap",
            ),
            ("seconds caching the frozen layers", "cache_seconds"),
        ],
    )


def _train_damage(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("synthetic dev: AUROC damaged vs clean", "dev.auroc"),
            ("synthetic dev: recall at the major threshold", "dev.recall_major"),
            ("synthetic dev: recall at the minor threshold", "dev.recall_minor"),
            ("synthetic dev: word MCC", "dev.word_mcc"),
            ("clean news (WMT21 ref-A dev) flagged major", "clean_news_flagged.major"),
            ("clean news (WMT21 ref-A dev) flagged minor", "clean_news_flagged.minor"),
            ("training seconds", "train_seconds"),
        ],
    )


def _rewrite_mlqe(d: dict) -> list[Row]:
    return rows(
        d,
        [
            ("sentences changed", "overall.changed"),
            ("changed ones further from the post-edit", "overall.changed_worse"),
            ("TER down on every pair", "overall.ter_down_every_pair"),
        ],
    )


def _rewrite_demetr(d: dict) -> list[Row]:
    types = get(d, "per_type") or {}
    return [
        (
            f"{name}: restored (without a rewrite)",
            f"{fmt(t.get('restored'), percent=True)} ({fmt(t.get('already_restored_without_rewrite'), percent=True)})",
        )
        for name, t in sorted(types.items())
        if isinstance(t, dict)
    ]


def _rewrite_jfleg(d: dict) -> list[Row]:
    return [
        ("GLEU source → rewrite", f"{fmt(get(d, 'gleu.source.gleu'), 2)} → {fmt(get(d, 'gleu.rewrite.gleu'), 2)}"),
        ("chrF source → rewrite", f"{fmt(get(d, 'chrf.source'), 2)} → {fmt(get(d, 'chrf.rewrite'), 2)}"),
        ("sentences changed", fmt(get(d, "changed"))),
    ]


def _similarity(d: dict) -> list[Row]:
    return rows(
        d, [("fluency repairs kept at the threshold", "fluency_kept"), ("meaning changes refused", "meaning_refused")]
    )


def _html(d: dict) -> list[Row]:
    located = f"{fmt(get(d, 'trafilatura_paragraphs_located'))} of {fmt(get(d, 'trafilatura_paragraphs'))}"
    return [
        ("trafilatura paragraphs located in the page", located),
        *rows(d, [("body blocks kept (article reader)", "readers.article.body_kept")]),
    ]


def _speed(d: dict) -> list[Row]:
    out = [
        (f"quality model, batch {b}: sentences/s", fmt(get(d, f"quality_model_by_batch.{b}.sentences_per_s"), 1))
        for b in ("1", "8", "32")
    ]
    out += [
        ("full check (LM + detectors): sentences/s", fmt(get(d, "full_check.lm_and_detectors.sentences_per_s"), 2)),
        ("full check with --quality: sentences/s", fmt(get(d, "full_check.with_quality.sentences_per_s"), 2)),
        ("full check with --quality: peak RSS (MB)", fmt(get(d, "full_check.with_quality.peak_rss_mb"), 0)),
    ]
    return out


def _determinism(d: dict) -> list[Row]:
    out = []
    for name, r in sorted((get(d, "results") or {}).items()):
        dtype = name.rsplit("@", 1)[-1]
        out.append(
            (
                f"{dtype}: sentence total alone vs in a batch, largest / mean difference (nats)",
                f"{fmt(r['batch_vs_alone']['max'], 3)} / {fmt(r['batch_vs_alone']['mean'], 3)}",
            )
        )
        out.append((f"{dtype}: batch scoring time (s)", fmt(r["batch_seconds"], 2)))
    return out


def _speed_cuda(d: dict) -> list[Row]:
    parity = "seed_parity_cpu_vs_cuda"
    same = "same" if get(d, f"{parity}.identical_issues") else "different"
    return [
        *_speed(d),
        (
            "seed article on the GPU vs the CPU: issues (largest SLOR difference)",
            f"{fmt(get(d, f'{parity}.issues_cuda'))}, {same} as on the CPU "
            f"({fmt(get(d, f'{parity}.max_abs_slor_difference'), 3)})",
        ),
    ]


def _lolo(d: dict) -> list[Row]:
    out = []
    for pair in ("et", "ne", "ro", "ru", "si"):
        held = f"pairs.{pair}.held_out.quality_vs_da"
        figure = with_ci(d, f"{held}.pearson", f"{held}.pearson_ci")
        out.append(
            (f"{pair} left out: Pearson with DA z (drop)", f"{figure} ({fmt(get(d, f'pairs.{pair}.pearson_drop'))})")
        )
    out.append(("mean over held-out pairs (target ≥ .40)", with_ci(d, "summary.pearson_da", "summary.pearson_da_ci")))
    return out


def _docsplit(d: dict) -> list[Row]:
    return [
        (
            "mean Pearson gap, random-row minus doc-disjoint split",
            with_ci(d, "gap_mean_pearson_da", "gap_mean_pearson_da_ci"),
        ),
        (
            "shipped model, ru-en dev rows from seen threads",
            with_ci(d, "shipped_ru_dev_reddit.seen_docs.pearson", "shipped_ru_dev_reddit.seen_docs.pearson_ci"),
        ),
        (
            "shipped model, ru-en dev rows from unseen threads",
            with_ci(d, "shipped_ru_dev_reddit.unseen_docs.pearson", "shipped_ru_dev_reddit.unseen_docs.pearson_ci"),
        ),
    ]


def _ood(d: dict) -> list[Row]:
    return rows(
        d,
        [
            (
                "WMT21 de→en: system-level Pearson with published DA",
                "wmt21_deen_da.systems_all.pearson_published",
                "wmt21_deen_da.systems_all.pearson_published_ci",
            ),
            (
                "WMT21 de→en: segment-level Pearson with DA",
                "wmt21_deen_da.segments.pearson",
                "wmt21_deen_da.segments.pearson_ci",
            ),
            (
                "MQM zh→en (WMT22 QE test): Spearman with MQM",
                "mqm_zhen.wmt22_qe_test.spearman",
                "mqm_zhen.wmt22_qe_test.spearman_ci",
            ),
            (
                "WMT22 critical errors pt→en: AUROC (control, ~0.5 expected)",
                "wmt22_ced_pten.auroc",
                "wmt22_ced_pten.auroc_ci",
            ),
            (
                "DEMETR fluency types: perturbed scored lower",
                "demetr.groups.fluency.lower_pooled.rate",
                "demetr.groups.fluency.lower_pooled.ci",
            ),
            (
                "DEMETR meaning types: perturbed scored lower",
                "demetr.groups.meaning.lower_pooled.rate",
                "demetr.groups.meaning.lower_pooled.ci",
            ),
        ],
    )


def _generic(d: dict) -> list[Row]:
    """Top-level numbers of a JSON that has no headline spec of its own."""
    return [(k, fmt(v)) for k, v in sorted(d.items()) if isinstance(v, (int, float)) and not isinstance(v, bool)][:8]


REGISTRY: tuple[Bench, ...] = (
    Bench("startup", "Start-up and warm check on the seed article", ("--runs", "9"), headline=_startup),
    Bench("speed", "Throughput and peak memory (256 NTREX sentences)", headline=_speed),
    Bench(
        "speed",
        "Throughput on a lent H100 machine (the LM on the GPU, the MiniLM models on its 16 CPU cores; run by hand)",
        json="speed_cuda_h100.json",
        headline=_speed_cuda,
        recorded_only=True,
    ),
    Bench("determinism", "Does a sentence's LM score depend on its batch? (fp32 vs bf16)", headline=_determinism),
    Bench("thresholds", "SLOR thresholds from clean news", headline=_thresholds),
    Bench("boilerplate", "B101 web chrome on article-extraction blocks", headline=_boilerplate),
    Bench("untranslated", "U101 untranslated words (spliced NTREX)", headline=_untranslated),
    Bench("build_lexicon", "Learned lexicons: leftovers restored (held-out NTREX half)", headline=_lexicon),
    Bench("clean_false_flags", "False flags on clean human English", headline=_clean),
    Bench("clause_rules", "Clause rules W102/G104", headline=_clauses),
    Bench("cognates", "U101 cognates for codemix words no dictionary knows (DEMETR dev)", headline=_cognates),
    Bench("blimp", "Agreement on BLiMP pairs", headline=_blimp, slow=True),
    Bench(
        "demetr",
        "DEMETR perturbations (100 per type)",
        ("--limit", "100"),
        json="demetr_limit100.json",
        headline=_demetr,
        slow=True,
    ),
    Bench("mqm", "MQM zh→en error spans", headline=_mqm),
    Bench(
        "swapped_words",
        "W103 swapped words (default search), DEMETR dev and clean news",
        ("--limit", "100", "--clean"),
        headline=_local_edits,
    ),
    Bench(
        "swapped_words",
        "W103 swapped words (--thorough: every pair), DEMETR dev",
        ("--limit", "100", "--thorough"),
        json="swapped_words_thorough.json",
        headline=_local_edits,
    ),
    Bench(
        "word_forms",
        "G110 word forms, DEMETR dev POS shifts and clean news",
        ("--limit", "200", "--clean"),
        headline=_local_edits,
    ),
    Bench(
        "prepositions",
        "G111 prepositions, DEMETR dev function-word changes and clean news",
        ("--limit", "200", "--clean"),
        headline=_local_edits,
    ),
    Bench(
        "train_quality",
        "Quality model training (writes models/quality; run by hand)",
        ("--epochs", "2", "--out", "models/quality"),
        headline=_train,
        recorded_only=True,
    ),
    Bench(
        "train_damage",
        "Damage detector L103 training (writes models/damage; run by hand)",
        ("--out", "models/damage"),
        headline=_train_damage,
        recorded_only=True,
    ),
    Bench("mlqe_pe", "Quality model on MLQE-PE dev", headline=_mlqe),
    Bench("quality_combiner", "Quality combiner: model + LM, out-of-fold on MLQE-PE dev", headline=_combiner),
    Bench("quality_lolo", "Quality model, leave one language pair out", headline=_lolo, slow=True),
    Bench("quality_docsplit", "Quality model, topic leakage (document split)", headline=_docsplit, slow=True),
    Bench("quality_ood", "Quality model out of domain (WMT21, MQM, critical errors, DEMETR)", headline=_ood),
    Bench("rewrite_mlqe", "Rewrites vs post-edits (MLQE-PE dev, all rows)", headline=_rewrite_mlqe, slow=True),
    Bench("rewrite_demetr", "Rewrites restoring DEMETR fluency perturbations", headline=_rewrite_demetr, slow=True),
    Bench(
        "rewrite_jfleg",
        "Rewrites on JFLEG (non-commercial data, read from its path)",
        ("--limit", "250"),
        headline=_rewrite_jfleg,
        slow=True,
    ),
    Bench("rewrite_similarity", "Meaning-check threshold (DEMETR)", headline=_similarity),
    Bench("html_extraction", "HTML readers", headline=_html),
)


def machine_line(data: dict) -> str:
    m = data.get("machine") or {}
    if not isinstance(m, dict) or not m:
        return ""
    versions = f"Python {m.get('python', '?')}, torch {m.get('torch', '?')}"
    return f"{m.get('date', '?')}, {m.get('cores', '?')} × {m.get('cpu', '?')}, {versions}"


def render(benches: Sequence[Bench] = REGISTRY) -> str:
    """RESULTS.md from the recorded JSONs (missing ones are listed as not yet run)."""
    from benchmarks._common import machine

    here = machine()
    lines = [
        "# Benchmark results",
        "",
        "Generated by `python -m benchmarks --render` from the JSON files in `benchmarks/results/` "
        "(run `python -m benchmarks` to re-measure first). Intervals are 95 % bootstrap intervals where the "
        "script computes them. Each section names its command, JSON and when and where it was measured.",
        "",
        f"Rendered {here['date']} on {here['cores']} × {here['cpu']}, Python {here['python']}, torch {here['torch']}, "
        f"transformers {here['transformers']}.",
        "",
    ]
    for bench in benches:
        lines += [f"## {bench.title}", ""]
        command = " ".join(["python -m benchmarks." + bench.name, *bench.args])
        if not bench.path.exists():
            lines += [f"Not run yet: `{command}`.", ""]
            continue
        data = json.loads(bench.path.read_text(encoding="utf-8"))
        where = machine_line(data)
        sig = data.get("signature") or data.get("mtqa_signature") or data.get("model")
        source = f"`{command}` → `benchmarks/results/{bench.path.name}`"
        source += f"; measured {where}" if where else ""
        source += f"; signature `{sig}`" if isinstance(sig, str) else ""
        lines.append(source + ".")
        lines += ["", "| measure | value |", "|---|---|"]
        for label, value in bench.headline(data) or _generic(data):
            lines.append(f"| {label} | {value} |")
        if isinstance(data.get("note"), str):
            lines += ["", f"Note: {data['note']}"]
        lines.append("")
    return "\n".join(lines) + "\n"


def run(benches: Sequence[Bench]) -> list[tuple[str, int, float]]:
    """Run each script in its own process, with a progress bar; return (name, exit code, seconds)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    done = []
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
        task = bar.add_task("benchmarks", total=len(benches))
        for bench in benches:
            bar.update(task, description=f"running {bench.name}")
            started = time.perf_counter()
            proc = subprocess.run(bench.command(), cwd=ROOT, check=False, stdout=subprocess.DEVNULL)
            done.append((bench.name, proc.returncode, round(time.perf_counter() - started, 1)))
            bar.advance(task)
    return done


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--only", default="", help="comma-separated benchmark names (see --list)")
    ap.add_argument("--skip-slow", action="store_true", help="leave out the runs that take more than ~15 minutes")
    ap.add_argument(
        "--render", action="store_true", help="do not run anything; rewrite RESULTS.md from the recorded JSONs"
    )
    ap.add_argument("--list", action="store_true", help="list the benchmarks and their commands, then stop")
    ap.add_argument("--out", type=Path, default=OUT, help="where to write the results page (default %(default)s)")
    args = ap.parse_args(argv)
    chosen = list(REGISTRY)
    if args.only:
        names = {n.strip() for n in args.only.split(",") if n.strip()}
        unknown = names - {b.name for b in REGISTRY}
        if unknown:
            print(f"error: unknown benchmark(s) {', '.join(sorted(unknown))}; see --list", file=sys.stderr)
            return 2
        chosen = [b for b in REGISTRY if b.name in names]
    if args.skip_slow:
        chosen = [b for b in chosen if not b.slow]
    runnable = [b for b in chosen if not b.recorded_only]
    if args.list:
        for b in chosen:
            flag = "(by hand) " if b.recorded_only else "(slow) " if b.slow else ""
            print(f"{b.name:<20} {flag}{' '.join(b.command()[1:])}")
        return 0
    failed = []
    if not args.render:
        for name, code, seconds in run(runnable):
            print(f"{name}: exit {code} in {seconds} s")
            if code != 0:
                failed.append(name)
    args.out.write_text(render(), encoding="utf-8")
    print(f"wrote {args.out}")
    if failed:
        print(f"error: {', '.join(failed)} failed; their sections show the previous results", file=sys.stderr)
        return 1
    return 0
