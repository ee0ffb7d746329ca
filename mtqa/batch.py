"""Many inputs: expand files, folders and globs, and check documents in worker processes.

The language model is the bottleneck, and one PyTorch model already uses several threads, so
`--jobs N` runs N worker processes that each load the model once and split the CPU threads
between them (benchmarks/jobs.py measures what that buys). Results come back tagged with their
input position and are returned in input order. This module never prints.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from mtqa import tag
from mtqa.document import Document, InputError
from mtqa.pipeline import Settings, check_document, get_scorer, tagger_texts
from mtqa.report import Report
from mtqa.segment import segment

# Suffixes a folder is searched for; a file named explicitly is checked whatever its name.
CHECKED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".xhtml")
_GLOB_CHARS = frozenset("*?[")
PREFETCH_DOCUMENTS = 1  # cold start is paid once: later documents are tagged in-process, spaCy loaded


def expand(args: Sequence[str], suffixes: Sequence[str] = CHECKED_SUFFIXES) -> list[str]:
    """Turn command-line arguments into file paths: folders are walked, globs expanded, '-' kept."""
    out: list[str] = []
    for arg in args:
        path = Path(arg)
        if arg == "-" or path.is_file():
            out.append(arg)
        elif path.is_dir():
            found = sorted(str(p) for p in _walk(path) if p.suffix.lower() in suffixes)
            if not found:
                raise InputError(
                    f"{arg} is a directory with no {', '.join(suffixes)} files. Pass article files or another one."
                )
            out.extend(found)
        elif _GLOB_CHARS & set(arg):
            found = sorted(p for p in glob.glob(arg, recursive=True) if Path(p).is_file())
            if not found:
                raise InputError(f"no files match {arg!r}. Check the pattern (quote it to let mtqa expand **).")
            out.extend(found)
        else:
            out.append(arg)  # reading it reports the problem (missing, unreadable) in one place
    return list(dict.fromkeys(out))


def _walk(folder: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in {"node_modules", "__pycache__"})
        for name in files:
            if not name.startswith("."):
                yield Path(root) / name


Job = tuple[int, Document, Settings]


def run(
    jobs: Sequence[Job],
    workers: int,
    *,
    notify: Callable[[str], None] | None = None,
    done: Callable[[int, Report], None] | None = None,
    progress: Callable[[str], Callable[[int, int], None]] | None = None,
) -> list[Report]:
    """Check every (position, document, settings) job; return reports in position order."""
    results: dict[int, Report] = {}
    if workers <= 1 or len(jobs) <= 1:
        # Tag in a helper process while this one imports PyTorch and loads the LM (cold start).
        tag.prefetch([tagger_texts(segment(document)) for _, document, _ in jobs[:PREFETCH_DOCUMENTS]])
        for position, document, settings in jobs:
            scorer = get_scorer(settings, notify=notify) if settings.use_lm else None
            each = progress(document.name) if progress else None
            results[position] = check_document(document, settings, scorer=scorer, progress=each)
            if done:
                done(position, results[position])
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        workers = min(workers, len(jobs))
        threads = max(1, (os.cpu_count() or 1) // workers)
        context = multiprocessing.get_context("spawn")  # a forked PyTorch can deadlock
        with ProcessPoolExecutor(workers, mp_context=context, initializer=_init, initargs=(threads,)) as pool:
            futures = {pool.submit(_check, job): job[0] for job in jobs}
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if done:
                    done(futures[future], results[futures[future]])
    return [results[position] for position, _, _ in jobs]


def _init(threads: int) -> None:
    import torch

    torch.set_num_threads(threads)


def _check(job: Job) -> Report:
    _, document, settings = job
    scorer = get_scorer(settings) if settings.use_lm else None  # cached per worker: loaded once
    return check_document(document, settings, scorer=scorer)
