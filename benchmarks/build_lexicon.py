"""Build the learned source -> English lexicons U101 rewrites leftovers with, and measure them.

Data (dev splits only, both CC BY-SA 4.0, so the lexicons are too): NTREX-128 dev (ids 0-1004; Dutch
and German translations of English news) and, for Dutch, the ParaCrawl human-evaluation pairs
labelled valid (V). Method: IBM Model 1 in both directions (EM, seeded by uniform tables); a source
word gets up to `--options` English words that it translates to with P(e|s) >= `--min-prob` and
that translate back to it as their best or second-best source. Only source words English barely
knows (Zipf < 3) are kept: U101 flags nothing else. The rule (`languages/<code>/lexicon.tsv`, written
by hand) still comes first; the learned options are candidates that the LM ranks and the guards
check, like every rewrite.

Measured on held-out documents: the lexicon is built again from the first half of the NTREX dev
documents (plus ParaCrawl for Dutch); in the second half, silver word pairs (the source word and
the English word that are each other's best translation under IBM-1 trained on all the data) give
leftovers: the source word is put in place of its English word, and the item counts as restored
when `mtqa fix` (U101 only) gives back the English sentence exactly. Baseline: the hand lexicon.

    python -m benchmarks.build_lexicon [--out models/lexicon] [--json benchmarks/results/build_lexicon.json]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, NTREX_DEV_MAX_ID, NTREX_TSV, RESULTS, machine, ntrex_dev, read_tsv, write_json
from mtqa.text import words, zipf

ROOT = Path(__file__).resolve().parent.parent
Pair = tuple[list[str], list[str]]  # (source words, English words), lower case
Table_ = dict[str, dict[str, float]]
NULL = ""
EN_KNOWN = 3.0  # source words English uses this often are never flagged by U101: no entry needed
EN_TARGET = 2.5  # an English option must be a word English uses (wordfreq Zipf >= 2.5)
LICENCE = "CC BY-SA 4.0"
COLUMN = {"nl": "nld", "de": "deu"}  # NTREX's column for each source language


def tokens(text: str) -> list[str]:
    """Words as written, except a capital at the sentence start (it says nothing about a name)."""
    ws = [w.text for w in words(text)]
    if ws and not ws[0].isupper():
        ws[0] = ws[0][:1].lower() + ws[0][1:]
    return ws


def ibm1(pairs: Sequence[Pair], iterations: int = 8) -> Table_:
    """P(target | source) by IBM Model 1 EM; `pairs` are (source, target) word lists."""
    prob: Table_ = defaultdict(dict)
    for src, tgt in pairs:
        for s in [NULL, *src]:
            for t in tgt:
                prob[s][t] = 1.0
    for _ in range(iterations):
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        for src, tgt in pairs:
            sources = [NULL, *src]
            for t in tgt:
                norm = sum(prob[s][t] for s in sources)
                for s in sources:
                    counts[s][t] += prob[s][t] / norm
        prob = defaultdict(dict)
        for s, row in counts.items():
            total = sum(row.values())
            prob[s] = {t: c / total for t, c in row.items()}
    return prob


def build(pairs: Sequence[Pair], lang: str, *, options: int, min_prob: float, min_count: int) -> dict[str, list[str]]:
    """Source word -> English options, best first (see the module docstring for the rule)."""
    lower = {s for src, _ in pairs for s in src if s.islower()}  # written in lower case at least once
    pairs = [([s.lower() for s in src], [t.lower() for t in tgt]) for src, tgt in pairs]
    forward = ibm1(pairs)
    backward = ibm1([(tgt, src) for src, tgt in pairs])
    seen = Counter(s for src, _ in pairs for s in set(src))
    best_sources: dict[str, list[str]] = {
        t: [s for s, _ in sorted(row.items(), key=lambda kv: -kv[1]) if s != NULL][:2] for t, row in backward.items()
    }
    lexicon: dict[str, list[str]] = {}
    for s, row in forward.items():
        if s == NULL or seen[s] < min_count or s not in lower:
            continue  # rare, or never written in lower case (a name)
        if zipf(s, "en") >= EN_KNOWN or zipf(s, lang) < EN_KNOWN:
            continue
        chosen = [
            t
            for t, p in sorted(row.items(), key=lambda kv: -kv[1])
            if p >= min_prob and t.isalpha() and t != s and zipf(t, "en") >= EN_TARGET and s in best_sources.get(t, [])
        ][:options]
        if chosen:
            lexicon[s] = chosen
    return dict(sorted(lexicon.items()))


def corpus(lang: str, ntrex: list[dict[str, str]], paracrawl: Iterable[dict[str, str]]) -> list[Pair]:
    pairs = [(tokens(r[COLUMN[lang]]), tokens(r["eng"])) for r in ntrex]
    if lang == "nl":
        pairs += [(tokens(r["nl"]), tokens(r["en"])) for r in paracrawl]
    return [p for p in pairs if p[0] and p[1]]


def write_lexicon(path: Path, lang: str, lexicon: dict[str, list[str]], sources: str) -> None:
    lines = [
        "# source\tenglish options (best first, '|'-separated), learned by benchmarks/build_lexicon.py",
        f"# from {sources}.",
        f"# Licence: {LICENCE} (derived from its data; see models/lexicon/CARD.md). Language: {lang}.",
        *(f"{s}\t{'|'.join(opts)}" for s, opts in lexicon.items()),
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def silver_items(
    held: list[Pair], raw: list[str], everything: Sequence[Pair], lang: str, rng: random.Random
) -> list[tuple[str, str, str]]:
    """(sentence with one leftover, the English sentence, the source word) from held-out pairs."""
    from mtqa.detect.untranslated import leftover
    from mtqa.languages import load_profile

    profile = load_profile(lang)
    forward = ibm1(everything)
    backward = ibm1([(tgt, src) for src, tgt in everything])
    items = []
    for (src, _), english in zip(held, raw, strict=True):
        found = []
        for w in words(english):
            e = w.text
            if not e.islower() or zipf(e, "en") < EN_KNOWN:
                continue
            d = max(src, key=lambda s: backward.get(e, {}).get(s, 0.0))
            if max(forward.get(d, {"": 0.0}), key=lambda t: forward[d].get(t, 0.0)) != e:
                continue
            if forward[d][e] < 0.3 or not leftover(d, profile, sentence_initial=False):
                continue
            found.append((english[: w.start] + d + english[w.end :], english, d))
        if found:
            items.append(rng.choice(found))
    return items


def silver_compounds(
    held_rows: list[dict[str, str]], lang: str, lexicon: dict[str, list[str]], rng: random.Random
) -> list[tuple[str, str, str]]:
    """(sentence with one compound leftover, the English sentence, the compound) from held-out pairs.

    A source compound U101 splits (oorlog+s+misdaden) whose parts' options, by the lexicon built from
    all the data, stand side by side in the English sentence ("war crimes") replaces those two words."""
    from mtqa.detect.untranslated import compound_split, leftover
    from mtqa.languages import load_profile

    profile = load_profile(lang)
    items = []
    for row in held_rows:
        english = row["eng"].strip()
        found = []
        for word in words(row[COLUMN[lang]]):
            d = word.text
            hit = leftover(d, profile, sentence_initial=False) if d.islower() else None
            split = compound_split(d, profile) if hit and d not in lexicon else None
            if not split:
                continue
            for first in lexicon.get(split[0], []):
                for second in lexicon.get(split[1], []):
                    match = re.search(rf"\b{first} {second}\b", english)
                    if match:
                        found.append((english[: match.start()] + d + english[match.end() :], english, d))
        if found:
            items.append(rng.choice(found))
    return items


def restored(items: list[tuple[str, str, str]], lang: str, lexicon: dict[str, list[str]]) -> dict[str, object]:
    """Share of items whose U101 rewrite (what `mtqa fix` applies), with `lexicon` as the learned lexicon,
    gives back the English sentence."""
    from benchmarks.rewrite_common import rewrite_texts
    from mtqa.languages.profile import LEXICONS, load_profile
    from mtqa.pipeline import Settings

    with tempfile.TemporaryDirectory() as folder:
        write_lexicon(Path(folder) / f"{lang}.tsv", lang, lexicon, "a held-out trial")
        before = os.environ.get(LEXICONS)
        os.environ[LEXICONS] = folder
        load_profile.cache_clear()
        try:
            done, _ = rewrite_texts([s for s, _, _ in items], Settings(source_lang=lang, select=("U101",)))
        finally:
            os.environ.pop(LEXICONS)
            if before is not None:
                os.environ[LEXICONS] = before
            load_profile.cache_clear()
    ok = [r.text == english for r, (_, english, _) in zip(done, items, strict=True)]
    return {
        "items": len(items),
        "restored": sum(ok),
        "restored_share": round(sum(ok) / max(1, len(items)), 4),
        "changed": sum(r.changed for r in done),
        "examples": [
            {"leftover": w, "before": s, "after": r.text}
            for r, (s, _, w), good in zip(done, items, ok, strict=True)
            if r.changed and good
        ][:5],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ntrex", default=NTREX_TSV)
    ap.add_argument("--paracrawl", default=DATA / "paracrawl_humeval_en_nl" / "en-nl.tsv")
    ap.add_argument("--max-id", type=int, default=NTREX_DEV_MAX_ID, help="last NTREX id of the split (dev: 1004)")
    ap.add_argument("--options", type=int, default=3, help="English options kept per source word")
    ap.add_argument("--min-prob", type=float, default=0.2, help="least P(english | source) for an option")
    ap.add_argument("--min-count", type=int, default=2, help="least number of sentences a source word is seen in")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--out", default=ROOT / "models" / "lexicon", type=Path)
    ap.add_argument("--no-eval", action="store_true", help="build the lexicons only")
    ap.add_argument("--json", default=RESULTS / "build_lexicon.json")
    args = ap.parse_args(argv)
    started = time.time()
    ntrex = ntrex_dev(args.ntrex, args.max_id)
    paracrawl = [r for r in read_tsv(args.paracrawl) if r["label"] == "V"]
    docs = list(dict.fromkeys(r["doc_id"] for r in ntrex))
    first_half = set(docs[: len(docs) // 2])
    knobs = {"options": args.options, "min_prob": args.min_prob, "min_count": args.min_count}
    result: dict[str, object] = {"machine": machine(), "seed": args.seed, **knobs, "licence": LICENCE}
    table = Table(title="Learned lexicons (held-out half of NTREX dev)")
    for col in ("lang", "entries", "held-out leftovers", "restored: hand lexicon", "restored: + learned", "compounds"):
        table.add_column(col)
    for lang in ("nl", "de"):
        sources = "NTREX-128 dev (ids 0-1004)" + (" and ParaCrawl human-eval pairs labelled V" if lang == "nl" else "")
        full = build(corpus(lang, ntrex, paracrawl), lang, **knobs)
        write_lexicon(args.out / f"{lang}.tsv", lang, full, sources)
        entry: dict[str, object] = {"entries": len(full), "sources": sources}
        if not args.no_eval:
            train = corpus(lang, [r for r in ntrex if r["doc_id"] in first_half], paracrawl)
            held_rows = [r for r in ntrex if r["doc_id"] not in first_half]
            held = corpus(lang, held_rows, [])
            raw = [r["eng"].strip() for r in held_rows if tokens(r[COLUMN[lang]])]
            items = silver_items(held, raw, corpus(lang, ntrex, paracrawl), lang, random.Random(args.seed))
            half = build(train, lang, **knobs)
            entry["hand_only"] = restored(items, lang, {})
            entry["half_lexicon_entries"] = len(half)
            entry["with_learned"] = restored(items, lang, half)
            compounds = silver_compounds(held_rows, lang, full, random.Random(args.seed))
            entry["compounds_hand_only"] = restored(compounds, lang, {})
            entry["compounds_with_learned"] = restored(compounds, lang, half)
            table.add_row(
                lang,
                str(len(full)),
                str(len(items)),
                f"{entry['hand_only']['restored_share']:.1%}",  # type: ignore[index]
                f"{entry['with_learned']['restored_share']:.1%}",  # type: ignore[index]
                f"{entry['compounds_with_learned']['restored']}/{len(compounds)}",  # type: ignore[index]
            )
        result[lang] = entry
    result["seconds"] = round(time.time() - started, 1)
    Console().print(table)
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
