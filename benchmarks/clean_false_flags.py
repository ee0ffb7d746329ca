"""False flags on clean human English: the share of professional news sentences mtqa flags.

Inputs (dev splits): NTREX-128 English (ids 0-1004), WMT21 de-en reference B (sids 1-500), DEMETR
human references of the developers' languages (french, italian, spanish, polish, czech), and JFLEG's
first fluency reference (dev, detokenised; learner essays rewritten by native speakers, not news, and
CC BY-NC-SA: read from its path, never copied; `--jfleg ''` leaves it out). Every
sentence is one paragraph of one document, checked with the full pipeline (LM on). Reports, per
source, the share of sentences with an issue at major or worse and the counts per rule, with a
95 % bootstrap interval (seeded).

    python -m benchmarks.clean_false_flags [--ntrex PATH] [--wmt21 PATH] [--demetr PATH] [--json PATH]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, NTREX_TSV, RESULTS, WMT21_TSV, machine, ntrex_dev, read_tsv, wmt21_dev, write_json
from benchmarks.rewrite_jfleg import detokenize
from mtqa.core import Severity
from mtqa.document import Document
from mtqa.pipeline import Settings, check_document

DEV_LANGS = {"french", "italian", "spanish", "polish", "czech"}


def bootstrap(flags: list[int], seed: int = 7, n: int = 1000) -> tuple[float, float]:
    """95 % percentile interval of the mean of 0/1 flags."""
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(flags, k=len(flags))) / len(flags) for _ in range(n))
    return means[int(0.025 * n)], means[int(0.975 * n) - 1]


def flag_sentences(
    sentences: list[str],
    settings: Settings,
    examples: list[dict[str, str]] | None = None,
    minor: Counter[str] | None = None,
) -> tuple[list[int], Counter[str]]:
    """Check sentences as paragraphs of one document; return 0/1 major flags and rule counts.

    Flagged sentences are appended to `examples` (rule, span, sentence) so a reviewer can judge them;
    `minor` counts, per rule, the sentences with a minor issue of that rule (the gate ignores them).
    """
    text = "\n\n".join(s.replace("\n", " ") for s in sentences)
    starts, pos = [], 0
    for s in sentences:
        starts.append(pos)
        pos += len(s) + 2
    report = check_document(Document(text, "clean"), settings)
    flagged = [0] * len(sentences)
    rules: Counter[str] = Counter()
    minor_seen: set[tuple[int, str]] = set()
    for issue in report.issues:
        i = max(j for j, start in enumerate(starts) if start <= issue.span.start)
        if issue.severity < Severity.MAJOR:
            if minor is not None and (i, issue.code) not in minor_seen:
                minor_seen.add((i, issue.code))
                minor[issue.code] += 1
            continue
        if not flagged[i]:
            rules[issue.code] += 1
            if examples is not None:
                span = text[issue.span.start : issue.span.end]
                examples.append({"rule": issue.code, "span": span, "sentence": sentences[i]})
        flagged[i] = 1
    return flagged, rules


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ntrex", default=NTREX_TSV)
    ap.add_argument("--wmt21", default=WMT21_TSV)
    ap.add_argument("--demetr", default=DATA / "demetr" / "base.tsv")
    ap.add_argument("--jfleg", default=DATA / "jfleg" / "dev.tsv", help="JFLEG dev.tsv ('' to leave it out)")
    ap.add_argument("--lang", default="nl", help="source-language profile (default: nl)")
    ap.add_argument("--json", default=RESULTS / "clean_false_flags.json")
    args = ap.parse_args(argv)
    sources = {
        "ntrex_en_dev": [r["eng"].strip() for r in ntrex_dev(args.ntrex)],
        "wmt21_ref_b_dev": [r["ref_b_en"].strip() for r in wmt21_dev(args.wmt21)],
        "demetr_ref_dev": [r["ref"].strip() for r in read_tsv(args.demetr) if r["lang"] in DEV_LANGS],
    }
    if args.jfleg:
        sources["jfleg_ref0_dev"] = [detokenize(r["ref0"]) for r in read_tsv(args.jfleg) if r["ref0"].strip()]
    settings = Settings(source_lang=args.lang)
    result: dict[str, object] = {"machine": machine(), "lang": args.lang, "sources": {}}
    table = Table(title=f"Clean human English flagged major or worse (profile {args.lang})")
    for col in ("source", "sentences", "flagged", "rate", "95 % CI", "by rule"):
        table.add_column(col)
    started = time.perf_counter()
    for name, sentences in sources.items():
        examples: list[dict[str, str]] = []
        minor: Counter[str] = Counter()
        flags, rules = flag_sentences(sentences, settings, examples, minor)
        rate = sum(flags) / len(flags)
        low, high = bootstrap(flags)
        result["sources"][name] = {  # type: ignore[index]
            "sentences": len(flags),
            "flagged": sum(flags),
            "rate": round(rate, 4),
            "ci95": [round(low, 4), round(high, 4)],
            "by_rule": dict(rules.most_common()),
            "minor_by_rule": dict(minor.most_common()),  # sentences with a minor issue of the rule
            "flagged_examples": examples,
        }
        table.add_row(name, str(len(flags)), str(sum(flags)), f"{rate:.1%}", f"{low:.1%}-{high:.1%}", str(dict(rules)))
    result["seconds"] = round(time.perf_counter() - started, 1)
    Console().print(table)
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
