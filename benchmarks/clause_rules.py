"""W102 verb-final-clause and G104 garbled-clause: false flags on clean English, recall on DEMETR.

Clean (dev splits, as in benchmarks/clean_false_flags.py): NTREX-128 English (ids 0-1004), WMT21
de-en reference B (sids 1-500), DEMETR human references of french/italian/spanish/polish/czech.
Recall: DEMETR perturbations of the machine translation (`mt`) of the same dev ids, for the types
that break clause structure or word order (12 conjunction removed, 13 POS shift, 14 word swap,
16 function word, 20 shuffled, 22 verb removed, 24 subject removed), against the share of the
unperturbed `mt` flagged (the same ids). A few meaning-only types are a control: a rule that fires
on them more than on `mt` is reacting to something other than clause structure.

DEMETR has no verb-final perturbation, so W102 recall is also measured on a synthetic one: the first
subordinate clause ("that he has signed the documents") or clause-final `to`-infinitive ("decided to
close the border") of each dev sentence (the clean sources and DEMETR `mt`) is rewritten into
verb-final order ("that he the documents signed has", "decided the border to close").

Every item is one paragraph of one document per source; each rule's detector runs on the tagged
context, with the LM scoring only the sentences that have rewrite candidates (the same numbers as
the full pipeline, which scores every sentence first). A sentence counts as flagged for a rule if
the rule fires anywhere in its paragraph. 95 % bootstrap intervals are seeded.

    python -m benchmarks.clause_rules [--ntrex PATH] [--wmt21 PATH] [--demetr DIR] [--json PATH]
"""

from __future__ import annotations

import argparse
import random
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

from benchmarks._common import DATA, NTREX_TSV, RESULTS, WMT21_TSV, machine, ntrex_dev, read_tsv, wmt21_dev, write_json
from mtqa.detect import garbled, verbfinal
from mtqa.detect.garbled import GarbledClauseDetector
from mtqa.detect.verbfinal import VerbFinalDetector
from mtqa.document import Document
from mtqa.pipeline import Settings, build_context, get_scorer
from mtqa.rewrite.verify import lm_text
from mtqa.tag import Token, tag

DEV_LANGS = {"french", "italian", "spanish", "polish", "czech"}
RECALL_TYPES = ("12", "13", "14", "16", "20", "22", "24")
CONTROL_TYPES = ("3", "7", "17", "26")  # hypernym, antonym, tense, misspelling: no clause damage
RULES = {"W102": VerbFinalDetector(), "G104": GarbledClauseDetector()}
# Synthetic W102 input: DEMETR has no verb-final perturbation, so the benchmark makes one (verb_final).
SYNTHETIC_SUBORDINATORS = frozenset("that because if when whether although while since".split())
AUX_WORDS = frozenset("has have had will would can could should may might must".split())
COPULAS = frozenset("be is are was were been become becomes became remain remains remained seem seems".split())
NP_TAGS = frozenset({"DT", "PRP$", "JJ", "JJR", "JJS", "NN", "NNS", "NNP", "NNPS", "CD", "POS", "HYPH"})
SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_a13e9620616db678.txt"


def _np(tokens: list[Token], i: int) -> int:
    """Return the end of a simple noun phrase starting at `i` (i if none): a pronoun, or det/adj/noun words."""
    if i < len(tokens) and tokens[i].tag == "PRP":
        return i + 1
    j = i
    while j < len(tokens) and tokens[j].tag in NP_TAGS:
        j += 1
    while j > i and tokens[j - 1].tag not in {"NN", "NNS", "NNP", "NNPS", "CD"}:
        j -= 1
    return j


def _pp_end(tokens: list[Token], j: int) -> int:
    """Extend a noun phrase ending at `j` over one following prepositional phrase ("the documents in Paris")."""
    if j < len(tokens) and tokens[j].tag == "IN" and tokens[j].text.lower() not in SYNTHETIC_SUBORDINATORS:
        end = _np(tokens, j + 1)
        return end if end > j + 1 else j
    return j


def verb_final(tokens: list[Token]) -> str | None:
    """Rewrite the first suitable clause of a tagged English sentence into Dutch/German verb-final order.

    "that he has signed the documents." -> "that he the documents signed has."; "decided to close the
    border." -> "decided the border to close.". Returns None when no clause fits.
    """
    n = len(tokens)
    for i, tok in enumerate(tokens):
        if tok.tag == "IN" and tok.text.lower() in SYNTHETIC_SUBORDINATORS:
            subj = _np(tokens, i + 1)
            v = subj
            while v < n and tokens[v].text.lower() in AUX_WORDS:
                v += 1
            if subj == i + 1 or v >= n or tokens[v].tag not in {"VB", "VBD", "VBZ", "VBP", "VBN"}:
                continue
            if tokens[v].text.lower() in COPULAS:
                continue
            obj = _pp_end(tokens, _np(tokens, v + 1))
            if obj == v + 1 or obj >= n or tokens[obj].tag not in {".", ",", "CC"}:
                continue
            moved = [*tokens[i + 1 : subj], *tokens[v + 1 : obj], tokens[v], *tokens[subj:v]]
        elif tok.tag == "TO" and i + 2 < n and tokens[i + 1].tag == "VB" and tokens[i - 1].tag.startswith("VB"):
            if tokens[i + 1].text.lower() in COPULAS:
                continue
            obj = _pp_end(tokens, _np(tokens, i + 2))
            if obj == i + 2 or obj >= n or tokens[obj].tag not in {".", ",", "CC"}:
                continue
            moved = [*tokens[i + 2 : obj], tok, tokens[i + 1]]
            subj = i  # the region starts at `to`
        else:
            continue
        start = tokens[i + 1].start if tok.tag == "IN" else tok.start
        end = tokens[obj - 1].end
        text = "".join(t.text + t.space for t in tokens)
        return text[:start] + " ".join(t.text for t in moved) + text[end:]
    return None


def bootstrap(flags: list[int], seed: int = 7, n: int = 1000) -> tuple[float, float]:
    """95 % percentile interval of the mean of 0/1 flags."""
    if not flags:
        return 0.0, 0.0
    rng = random.Random(seed)
    means = sorted(sum(rng.choices(flags, k=len(flags))) / len(flags) for _ in range(n))
    return means[int(0.025 * n)], means[int(0.975 * n) - 1]


def flag_items(items: list[str], scorer) -> dict[str, list[int]]:  # type: ignore[no-untyped-def]
    """Check items as paragraphs of one document; return per rule a 0/1 flag per item."""
    text = "\n\n".join(s.replace("\n", " ") for s in items)
    starts, pos = [], 0
    for s in items:
        starts.append(pos)
        pos += len(s) + 2
    ctx = build_context(Document(text, "bench"), Settings(use_lm=False))
    ctx.scorer = scorer  # score on demand: only sentences with rewrite candidates reach the LM
    out: dict[str, list[int]] = {}
    for code, detector in RULES.items():
        ctx.score([lm_text(t) for t in detector.candidate_texts(ctx)])
        flags = [0] * len(items)
        for issue in detector.detect(ctx):
            flags[max(j for j, start in enumerate(starts) if start <= issue.span.start)] = 1
        out[code] = flags
    return out


def _rate(flags: list[int]) -> dict[str, object]:
    low, high = bootstrap(flags)
    n = len(flags)
    return {
        "n": n,
        "flagged": sum(flags),
        "rate": round(sum(flags) / max(1, n), 4),
        "ci95": [round(low, 4), round(high, 4)],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ntrex", default=NTREX_TSV)
    ap.add_argument("--wmt21", default=WMT21_TSV)
    ap.add_argument("--demetr", default=DATA / "demetr")
    ap.add_argument("--json", default=RESULTS / "clause_rules.json")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    scorer = get_scorer(Settings())
    demetr = Path(args.demetr)
    base = [r for r in read_tsv(demetr / "base.tsv") if r["lang"] in DEV_LANGS]
    clean = {
        "ntrex_en_dev": [r["eng"].strip() for r in ntrex_dev(args.ntrex)],
        "wmt21_ref_b_dev": [r["ref_b_en"].strip() for r in wmt21_dev(args.wmt21)],
        "demetr_ref_dev": [r["ref"].strip() for r in base],
    }
    result: dict[str, object] = {
        "machine": machine(),
        "model": scorer.name,
        "thresholds": {
            "W102_min_gain_lift": verbfinal.MIN_GAIN,
            "G104_min_dangling_gain_lift": garbled.MIN_DANGLING_GAIN,
            "G104_min_words": garbled.MIN_WORDS,
        },
    }
    table = Table(title="W102 / G104 on clean human English (dev): share of sentences flagged")
    for col in ("source", "sentences", "W102", "G104"):
        table.add_column(col)
    result["clean"] = {}
    examples: dict[str, list[str]] = {code: [] for code in RULES}
    for name, items in clean.items():
        flags = flag_items(items, scorer)
        result["clean"][name] = {code: _rate(f) for code, f in flags.items()}  # type: ignore[index]
        for code, f in flags.items():
            examples[code].extend(s for s, hit in zip(items, f) if hit)
        table.add_row(name, str(len(items)), *(f"{sum(f)} ({sum(f) / len(f):.2%})" for f in flags.values()))
    result["clean_flagged_examples"] = examples
    Console().print(table)

    ids = [r["id"] for r in base]
    mt_flags = flag_items([r["mt"].strip() for r in base], scorer)
    mt_by_id = {code: dict(zip(ids, f)) for code, f in mt_flags.items()}
    types = {r["pert_id"]: r for r in read_tsv(demetr / "perturbation_types.tsv")}
    perturbed: dict[str, list[tuple[str, str]]] = {}
    wanted = set(ids)
    for r in read_tsv(demetr / "perturbations.tsv"):
        if r["id"] in wanted and r["pert_check"] == "1" and r["pert_id"] in RECALL_TYPES + CONTROL_TYPES:
            perturbed.setdefault(r["pert_id"], []).append((r["id"], r["pert_sent"].strip()))
    recall = Table(title="DEMETR dev: share flagged, perturbed vs unperturbed mt of the same ids")
    for col in ("type", "name", "items", "W102 pert", "W102 mt", "G104 pert", "G104 mt"):
        recall.add_column(col)
    result["demetr_mt"] = {code: _rate(f) for code, f in mt_flags.items()}
    result["demetr_perturbed"] = {}
    for pert_id in RECALL_TYPES + CONTROL_TYPES:
        pairs = perturbed.get(pert_id, [])
        flags = flag_items([s for _, s in pairs], scorer)
        row: dict[str, object] = {
            "name": types[pert_id]["pert_name"],
            "role": "recall" if pert_id in RECALL_TYPES else "control",
        }
        cells = []
        for code, f in flags.items():
            base_flags = [mt_by_id[code][i] for i, _ in pairs]
            row[code] = {"perturbed": _rate(f), "mt_same_ids": _rate(base_flags)}
            cells += [f"{sum(f) / max(1, len(f)):.1%}", f"{sum(base_flags) / max(1, len(base_flags)):.1%}"]
        result["demetr_perturbed"][pert_id] = row  # type: ignore[index]
        recall.add_row(pert_id, str(row["name"]), str(len(pairs)), *cells)
    Console().print(recall)

    # Synthetic verb-final clauses from every dev sentence (clean sources and DEMETR mt).
    originals = [s for items in clean.values() for s in items] + [r["mt"].strip() for r in base]
    pairs = [(k, text) for k, toks in enumerate(tag(originals)) if (text := verb_final(toks))]
    flags = flag_items([text for _, text in pairs], scorer)
    before = flag_items([originals[k] for k, _ in pairs], scorer)
    result["synthetic_verb_final"] = {
        "note": "first suitable clause of each dev sentence (clean + DEMETR mt) rewritten into verb-final order",
        "examples": [text for _, text in pairs[:12]],
        **{code: {"perturbed": _rate(f), "original": _rate(before[code])} for code, f in flags.items()},
    }
    Console().print(
        f"synthetic verb-final clauses from dev sentences: {len(pairs)} items; W102 flags "
        f"{sum(flags['W102'])} ({sum(flags['W102']) / max(1, len(pairs)):.1%}) vs {sum(before['W102'])} on the "
        f"originals; G104 flags {sum(flags['G104'])}"
    )

    seed_text = SEED.read_text(encoding="utf-8")
    ctx = build_context(Document(seed_text, SEED.name), Settings(use_lm=False))
    ctx.scorer = scorer
    result["seed"] = {
        code: [
            {"sentence": ctx.sentences[i.sentence_index].text, "span": seed_text[i.span.start : i.span.end]}
            for i in detector.detect(ctx)
        ]
        for code, detector in RULES.items()
    }
    result["seconds"] = round(time.perf_counter() - started, 1)
    write_json(args.json, result)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
