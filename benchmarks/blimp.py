"""BLiMP morphology minimal pairs: LM preference and the agreement detector (G102/G103).

Input: /work/shared/data/blimp/blimp_morphology.tsv (18 paradigms x 1,000 pairs, CC BY 4.0,
Warstadt et al. 2020). For every pair it measures
  (1) LM preference: the share of pairs where the default scorer's total log-prob of `good`
      exceeds that of `bad` (GPT-2: 0.926 mean over these paradigms, models_summary.jsonl);
  (2) the agreement detector: the share of pairs where it fires on `bad` and not on `good`, and
      the two rates separately.
The detector's target (>= 90 %) covers the agreement paradigms only (subject-verb agreement, with
the distractor paradigms, and determiner-noun agreement); anaphor agreement and irregular forms are
reported as out of scope. pair_id < 500 is the development half (the detector's rules and margins
were tuned on pair_id < 150), pair_id >= 500 the held-out half (the split the BLiMP README
suggests). Then the detector runs over the 2,005 clean human sentences of
benchmarks/clean_false_flags.py (target: under 1 % flagged). Sentences are checked as paragraphs
of one document through `build_context`, with the detector run directly (no registration needed).

    python -m benchmarks.blimp [--limit N] [--json PATH] [--data PATH] [--cache PATH] [--no-clean]

The full run scores about 40,000 sentences (about 25 min on 2 busy cores with MTQA_THREADS=1,
which is several times faster than the default thread count when other jobs share the cores).
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import pickle
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, RESULTS, machine, ntrex_dev, read_tsv, wmt21_dev, write_json
from benchmarks.clean_false_flags import DEV_LANGS
from mtqa.detect import agreement
from mtqa.detect.agreement import AgreementDetector
from mtqa.document import Document
from mtqa.pipeline import Settings, build_context, get_scorer
from mtqa.rewrite.verify import lm_text
from mtqa.rules.catalogue import CATALOGUE_DIGEST
from mtqa.score import Scorer, TokenScores

IN_SCOPE = {"subject_verb_agreement", "determiner_noun_agreement"}
HELD_OUT = 500  # pair_id >= 500: held out (BLiMP README); the detector was tuned on pair_id < 500
TARGET = 0.90
CHUNK = 500  # pairs per document


class MemoScorer:
    """Score each distinct text once: a bad sentence's correction is usually its good twin.

    With `path`, the memo is loaded from and saved to a pickle, so a rerun after a detector change
    scores only new candidate texts (a development aid; results do not depend on it).
    """

    def __init__(self, scorer: Scorer, path: Path | None = None) -> None:
        self.scorer = scorer
        self.name = scorer.name
        self.path = path
        self.memo: dict[str, TokenScores] = {}
        if path is not None and path.is_file():
            with path.open("rb") as fh:
                saved = pickle.load(fh)
            if saved.get("scorer") == scorer.name:
                self.memo = saved["memo"]

    def token_logprobs(self, texts: Sequence[str]) -> list[TokenScores]:
        missing = list(dict.fromkeys(t for t in texts if t not in self.memo))
        if missing:
            self.memo.update(zip(missing, self.scorer.token_logprobs(missing), strict=True))
        return [self.memo[t] for t in texts]

    def save(self) -> None:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("wb") as fh:
                pickle.dump({"scorer": self.name, "memo": self.memo}, fh)


def check_sentences(sentences: list[str], scorer: Scorer) -> tuple[list[float], list[float | None]]:
    """Return, per sentence, the LM total log-prob and the largest LM gain of a detector issue (None: silent)."""
    text = "\n\n".join(s.replace("\n", " ") for s in sentences)
    starts, pos = [], 0
    for s in sentences:
        starts.append(pos)
        pos += len(s) + 2
    ctx = build_context(Document(text, "blimp"), Settings(), scorer=scorer)
    detector = AgreementDetector()
    ctx.score([lm_text(t) for t in detector.candidate_texts(ctx)])
    totals = [0.0] * len(sentences)
    for sentence, scores in zip(ctx.sentences, ctx.token_scores):
        totals[bisect.bisect_right(starts, sentence.span.start) - 1] += scores.total
    gains: list[float | None] = [None] * len(sentences)
    for issue in detector.detect(ctx):
        i = bisect.bisect_right(starts, issue.span.start) - 1
        gain = issue.evidence.get("lm_gain", 0.0)
        gains[i] = gain if gains[i] is None else max(gains[i], gain)  # type: ignore[type-var]
    return totals, gains


def run_pairs(rows: list[dict[str, str]], scorer: Scorer, progress: bool = False) -> list[dict[str, object]]:
    """Check every pair; return uid, pair_id, both LM totals and both detector gains (None: silent)."""
    out: list[dict[str, object]] = []
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        totals, gains = check_sentences([r["good"] for r in chunk] + [r["bad"] for r in chunk], scorer)
        n = len(chunk)
        for i, r in enumerate(chunk):
            out.append(
                {
                    "uid": r["uid"],
                    "pair_id": int(r["pair_id"]),
                    "lm_good": totals[i],
                    "lm_bad": totals[n + i],
                    "gain_good": gains[i],
                    "gain_bad": gains[n + i],
                }
            )
        if isinstance(scorer, MemoScorer):
            scorer.save()  # a long run that is stopped keeps what it scored
        if progress:
            Console(stderr=True).print(f"[dim]{min(start + CHUNK, len(rows))}/{len(rows)} pairs[/dim]")
    return out


def summarize(pairs: list[dict[str, object]]) -> dict[str, float | int]:
    """LM preference and detector rates of a list of checked pairs."""
    n = len(pairs)
    if not n:
        return {"pairs": 0}
    bad = [p["gain_bad"] is not None for p in pairs]
    good = [p["gain_good"] is not None for p in pairs]
    return {
        "pairs": n,
        "lm_accuracy": round(sum(p["lm_good"] > p["lm_bad"] for p in pairs) / n, 4),  # type: ignore[operator]
        "detector_accuracy": round(sum(b and not g for b, g in zip(bad, good)) / n, 4),
        "fires_on_bad": round(sum(bad) / n, 4),
        "fires_on_good": round(sum(good) / n, 4),
    }


def clean_sentences() -> dict[str, list[str]]:
    """The clean human English of benchmarks/clean_false_flags.py (same files, same dev splits)."""
    return {
        "ntrex_en_dev": [r["eng"].strip() for r in ntrex_dev()],
        "wmt21_ref_b_dev": [r["ref_b_en"].strip() for r in wmt21_dev()],
        "demetr_ref_dev": [r["ref"].strip() for r in read_tsv(DATA / "demetr" / "base.tsv") if r["lang"] in DEV_LANGS],
    }


def clean_flags(scorer: Scorer) -> dict[str, object]:
    """Share of clean human sentences the agreement detector flags, per source and overall, with the flags."""
    out: dict[str, object] = {}
    flagged_all = total = 0
    examples = []
    for name, sentences in clean_sentences().items():
        _, gains = check_sentences(sentences, scorer)
        flagged = [s for s, g in zip(sentences, gains) if g is not None]
        out[name] = {
            "sentences": len(sentences),
            "flagged": len(flagged),
            "rate": round(len(flagged) / len(sentences), 4),
        }
        flagged_all += len(flagged)
        total += len(sentences)
        examples += flagged
    out["all"] = {"sentences": total, "flagged": flagged_all, "rate": round(flagged_all / max(1, total), 4)}
    out["flagged_sentences"] = examples
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=DATA / "blimp", type=Path, help="folder with blimp_morphology.tsv")
    ap.add_argument("--limit", type=int, default=None, help="pairs per paradigm, the first N (default: all)")
    ap.add_argument("--json", default=RESULTS / "blimp.json")
    ap.add_argument("--cache", type=Path, default=None, help="pickle to memoise LM scores across runs (dev aid)")
    ap.add_argument(
        "--no-clean", action="store_true", help="skip the false-flag check on clean human English (2,005 sentences)"
    )
    args = ap.parse_args(argv)
    terms = {r["uid"]: r["term"] for r in read_tsv(args.data / "paradigms.tsv") if r["included"] == "1"}
    gpt2 = {}
    for line in (args.data / "models_summary.jsonl").read_text().splitlines():
        if line.strip():
            entry = json.loads(line)
            gpt2[entry["UID"]] = entry["gpt2"]
    by_uid: dict[str, list[dict[str, str]]] = defaultdict(list)
    for r in read_tsv(args.data / "blimp_morphology.tsv"):
        if args.limit is None or len(by_uid[r["uid"]]) < args.limit:
            by_uid[r["uid"]].append(r)
    rows = [r for uid in sorted(by_uid) for r in by_uid[uid]]

    started = time.perf_counter()
    scorer = MemoScorer(get_scorer(Settings()), args.cache)
    pairs = run_pairs(rows, scorer, progress=True)
    clean = None if args.no_clean else clean_flags(scorer)
    scorer.save()
    seconds = round(time.perf_counter() - started, 1)

    paradigms: dict[str, dict[str, object]] = {}
    for uid in sorted(by_uid):
        mine = [p for p in pairs if p["uid"] == uid]
        paradigms[uid] = {
            "term": terms.get(uid, "?"),
            "in_scope": terms.get(uid) in IN_SCOPE,
            "gpt2_lm_accuracy": gpt2.get(uid),
            **summarize(mine),
            "dev": summarize([p for p in mine if p["pair_id"] < HELD_OUT]),  # type: ignore[operator]
            "held_out": summarize([p for p in mine if p["pair_id"] >= HELD_OUT]),  # type: ignore[operator]
        }
    in_scope = [p for p in pairs if terms.get(str(p["uid"])) in IN_SCOPE]
    out_scope = [p for p in pairs if terms.get(str(p["uid"])) not in IN_SCOPE]
    groups = {
        "all": summarize(pairs),
        "agreement": summarize(in_scope),
        "agreement_dev": summarize([p for p in in_scope if p["pair_id"] < HELD_OUT]),  # type: ignore[operator]
        "agreement_held_out": summarize([p for p in in_scope if p["pair_id"] >= HELD_OUT]),  # type: ignore[operator]
        "out_of_scope": summarize(out_scope),
    }
    gpt2_mean = sum(gpt2[u] for u in by_uid if u in gpt2) / max(1, sum(u in gpt2 for u in by_uid))
    result = {
        "machine": machine(),
        "mtqa_threads": os.environ.get("MTQA_THREADS", "default"),
        "model": scorer.name,
        "rules_digest": CATALOGUE_DIGEST,
        "detector": {"min_gain": agreement.MIN_GAIN, "measure": agreement.MEASURE},
        "limit": args.limit,
        "held_out_from_pair_id": HELD_OUT,
        "target_detector_accuracy": TARGET,
        "gpt2_lm_accuracy_mean": round(gpt2_mean, 4),
        "groups": groups,
        "paradigms": paradigms,
        "clean_english": clean,
        "seconds": seconds,
    }

    table = Table(title=f"BLiMP morphology: LM preference ({scorer.name}) and agreement detector (G102/G103)")
    for col in ("paradigm", "scope", "pairs", "LM acc", "GPT-2", "detector acc", "fires bad", "fires good"):
        table.add_column(col, justify="left" if col in {"paradigm", "scope"} else "right")
    for uid, m in paradigms.items():
        table.add_row(
            uid,
            "in" if m["in_scope"] else "out",
            str(m["pairs"]),
            f"{m['lm_accuracy']:.3f}",
            f"{m['gpt2_lm_accuracy']:.3f}" if m["gpt2_lm_accuracy"] is not None else "-",
            f"{m['detector_accuracy']:.3f}",
            f"{m['fires_on_bad']:.3f}",
            f"{m['fires_on_good']:.3f}",
        )
    table.add_section()
    labels = {
        "all": "all 18 paradigms",
        "agreement": "agreement (in scope)",
        "agreement_dev": f"  dev, pair_id < {HELD_OUT}",
        "agreement_held_out": f"  held out, pair_id >= {HELD_OUT}",
        "out_of_scope": "anaphor + irregular forms (out)",
    }
    for name, g in groups.items():
        if not g.get("pairs"):
            continue
        table.add_row(
            f"[bold]{labels[name]}[/bold]",
            "",
            str(g["pairs"]),
            f"{g['lm_accuracy']:.3f}",
            f"{gpt2_mean:.3f}" if name == "all" else "",
            f"{g['detector_accuracy']:.3f}",
            f"{g['fires_on_bad']:.3f}",
            f"{g['fires_on_good']:.3f}",
        )
    console = Console(width=max(Console().width, 130))
    console.print(table)
    if clean is not None:
        rates = ", ".join(
            f"{k} {v['flagged']}/{v['sentences']} ({v['rate']:.1%})"  # type: ignore[index]
            for k, v in clean.items()
            if k != "flagged_sentences"
        )
        console.print(f"Clean human English flagged by G102/G103: {rates}")
    reached = groups["agreement"].get("detector_accuracy", 0.0) >= TARGET  # type: ignore[operator]
    console.print(
        f"Detector target ({TARGET:.0%} on agreement paradigms): {'reached' if reached else 'NOT reached'}; "
        f"{seconds} s."
    )
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
