"""Command line: parse arguments, call the pipeline, pick a renderer, return an exit code.

Exit codes: 0 passed, 1 an issue at or above --fail-on, 2 usage, input or model error.
Results go to stdout; progress, notes and errors go to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from mtqa import __version__

EXIT_OK, EXIT_FAIL, EXIT_ERROR = 0, 1, 2

DESCRIPTION_CHECK = """\
Check machine-translated articles (plain text, Markdown or HTML) and report problems per sentence.

examples:
  mtqa check seeds/000_a13e9620616db678.txt
      check a Dutch->English article and show a table of problems
  mtqa check --format json --fail-on critical story.md > report.json
      machine-readable output for a CI gate that fails only on critical issues
  cat story.txt | mtqa check --source-lang de -
      read a German->English article from standard input
  mtqa check --jobs 2 --baseline .mtqa-baseline.json articles/
      every .txt/.md/.html file under articles/; only issues not in the baseline fail

Settings come from the nearest mtqa.toml or pyproject.toml [tool.mtqa] above each file (see
`mtqa config FILE`); command-line options override them.

exit codes: 0 passed, 1 an issue at or above --fail-on, 2 usage, input, config or model error.
The model runs offline; the first run converts it once (about 15 s) and caches it
under $MTQA_CACHE_DIR (default ~/.cache/mtqa).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"error: {message}. Run `{self.prog} --help` for the options.\n")
        raise SystemExit(EXIT_ERROR)


GENERATE_HELP = (
    "the model also writes N rewrites of each flagged sentence (beam search), guarded like the rules' "
    "edits; meant for a larger instruction-tuned --model (the default 135M model seldom writes one that passes); "
    "seconds per flagged sentence on a CPU (default: 0, off)"
)


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = -1
    if not 0 <= number <= 16:
        raise argparse.ArgumentTypeError(f"{value!r} is not a count from 0 to 16")
    return number


def _size(value: str) -> int:
    units = {"k": 1_000, "m": 1_000_000, "g": 1_000_000_000}
    text = value.strip().lower().removesuffix("b")
    mult = units.get(text[-1:], 1)
    number = text[:-1] if text[-1:] in units else text
    try:
        return int(float(number) * mult)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a size such as 5000000 or 5MB") from None


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with grouped, defaulted options."""
    from mtqa.languages import available_languages

    parser = _Parser(
        prog="mtqa",
        description=(
            "Check machine-translated English news for translationese, leftovers and web chrome.\n\n"
            "examples:\n"
            "  mtqa check story.txt                 table of problems per sentence\n"
            "  mtqa check --format json a.md b.md   JSON report for a CI gate\n"
        ),
        epilog="Run `mtqa check --help` for the main command, `mtqa rules` for the rule catalogue.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"mtqa {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = sub.add_parser(
        "check",
        help="check articles and report problems per sentence",
        description=DESCRIPTION_CHECK,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    inp = check.add_argument_group("input")
    inp.add_argument(
        "files",
        nargs="+",
        metavar="ARTICLE",
        help="files, directories (their .txt/.md/.html files) or globs to check; - reads standard input",
    )
    inp.add_argument(
        "--source-lang",
        default=None,
        choices=available_languages(),
        help="language the article was translated from (default: nl, or the config file's)",
    )
    inp.add_argument(
        "--input-format",
        choices=["auto", "text", "markdown", "html", "html-visible", "docx", "nitf", "newsml"],
        default="auto",
        help="how to read the input (default: %(default)s, from the file name and content)",
    )
    inp.add_argument(
        "--max-bytes", type=_size, default=None, metavar="SIZE", help="refuse inputs larger than this (default: 2MB)"
    )
    inp.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="check N files at once, one model per worker process (default: %(default)s; 0 = one per CPU)",
    )
    model = check.add_argument_group("model")
    model.add_argument(
        "--model",
        default=None,
        metavar="PATH_OR_ID",
        help="language model: a local folder, a .gguf file or a hub id (default: offline SmolLM2-135M)",
    )
    model.add_argument(
        "--dtype",
        choices=["auto", "float32", "bfloat16"],
        default="auto",
        help="model precision (default: %(default)s = fp32 on the CPU, where a sentence's score does not depend on "
        "its batch; bf16 on a GPU). bfloat16 about halves the LM's CPU time but moves scores by up to 0.6 nats",
    )
    model.add_argument("--no-lm", action="store_true", help="skip the language model: rule detectors only, fast")
    model.add_argument(
        "--thorough",
        action="store_true",
        help="try every swap of two neighbouring words (W103), not only where the damage model points: "
        "finds a few more and scores 9-15 times as many candidates (default: off)",
    )
    model.add_argument(
        "--generate",
        type=_count,
        default=0,
        metavar="N",
        help=GENERATE_HELP,
    )
    model.add_argument(
        "--quality",
        action=argparse.BooleanOptionalAction,
        default=False,
        help="add the trained quality model's quality / p_needs_edit (needs models/quality; default: off)",
    )
    model.add_argument(
        "--quality-model",
        metavar="DIR",
        help="use the quality model in DIR (one `python -m benchmarks.train_quality --out DIR` wrote, e.g. on a "
        "larger base with --encoder) instead of models/quality; implies --quality",
    )
    out = check.add_argument_group("output")
    out.add_argument(
        "--format", choices=sorted(_formats()), default="table", help="report format (default: %(default)s)"
    )
    out.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    out.add_argument("--show-all", action="store_true", help="table: list clean sentences too")
    out.add_argument("--width", type=int, default=None, help="table width in columns (default: terminal width)")
    out.add_argument("-q", "--quiet", action="store_true", help="no progress or notes on stderr")
    _add_rule_options(check)
    gate = check.add_argument_group("gate")
    gate.add_argument(
        "--fail-on",
        choices=["minor", "major", "critical"],
        default=None,
        help="lowest severity that fails the check, exit code 1 (default: major, or the config file's)",
    )
    gate.add_argument("--exit-zero", action="store_true", help="always exit 0 unless there is an error (report only)")
    gate.add_argument(
        "--baseline",
        metavar="FILE",
        help="issues recorded in FILE are shown but do not fail the check (default: none)",
    )
    gate.add_argument(
        "--write-baseline",
        metavar="FILE",
        help="record every current issue in FILE (JSON) and exit 0 (default: none)",
    )
    gate.add_argument(
        "--diff",
        metavar="REV",
        help="only sentences changed since git revision REV can fail the check (default: all)",
    )

    fix = sub.add_parser(
        "fix",
        help="write a corrected copy using the verified suggestions",
        description=(
            "Apply mtqa's verified suggestions and write a corrected copy.\n\n"
            "examples:\n"
            "  mtqa fix story.txt -o story.fixed.txt\n"
            "  mtqa fix --in-place --min-confidence 0.8 story.md   (keeps story.md.orig)\n\n"
            "The input is never changed unless --in-place is given; writes are atomic."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    fix.add_argument("file", metavar="ARTICLE", help="text or Markdown file to fix")
    target = fix.add_mutually_exclusive_group(required=True)
    target.add_argument("-o", "--output", metavar="OUT", help="write the corrected copy here (- for stdout)")
    target.add_argument("--in-place", action="store_true", help="replace ARTICLE, keeping ARTICLE.orig as a backup")
    fix.add_argument(
        "--min-confidence", type=float, default=0.0, help="skip suggestions below this confidence (default: 0)"
    )
    fix.add_argument(
        "--source-lang",
        default=None,
        choices=available_languages(),
        help="source language (default: nl, or the config file's)",
    )
    fix.add_argument("--model", default=None, metavar="PATH_OR_ID", help="language model (default: offline SmolLM2)")
    fix.add_argument(
        "--thorough",
        action="store_true",
        help="try every swap of neighbouring words (W103; 9-15 times the candidates)",
    )
    fix.add_argument("--generate", type=_count, default=0, metavar="N", help=GENERATE_HELP)
    fix.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    _add_rule_options(fix)  # the same config file and rule selection as `check`: an ignored rule fixes nothing
    fix.set_defaults(fail_on=None, dtype="auto", no_lm=False)

    config = sub.add_parser(
        "config",
        help="show the effective configuration and where each value came from",
        description=(
            "Print the settings `mtqa check FILE` would use, each with its origin: default, the config\n"
            "file (nearest mtqa.toml or pyproject.toml [tool.mtqa] above FILE) or the command line.\n\n"
            "examples:\n"
            "  mtqa config                       settings for files in this folder\n"
            "  mtqa config --ignore B101 story.md   with a command-line override"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    config.add_argument("file", nargs="?", default=".", metavar="FILE", help="file or folder (default: .)")
    config.add_argument("--source-lang", default=None, choices=available_languages(), help="source language")
    config.add_argument("--model", default=None, metavar="PATH_OR_ID", help="language model")
    config.add_argument("--fail-on", default=None, choices=["minor", "major", "critical"], help="fail-on severity")
    _add_rule_options(config)

    sub.add_parser("rules", help="list the rule catalogue", description="List every rule: code, category, severity.")
    rule = sub.add_parser("rule", help="explain one rule", description="Explain one rule with its examples.")
    rule.add_argument("code", help="rule code such as U101")
    return parser


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    rules = parser.add_argument_group("rules and configuration")
    rules.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULES",
        help="run only these rules: codes, prefixes, names or categories, comma-separated (default: all)",
    )
    rules.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULES",
        help="skip these rules (added to the config's); the most specific of select/ignore wins (default: none)",
    )
    rules.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="WORD",
        help="a name, term or phrase never to flag (repeatable)",
    )
    rules.add_argument(
        "--allow-words",
        action="append",
        default=[],
        metavar="FILE",
        help="a word list never to flag: one word or phrase per line (repeatable)",
    )
    where = rules.add_mutually_exclusive_group()
    where.add_argument("--config", metavar="FILE", help="use this mtqa.toml or pyproject.toml (default: nearest)")
    where.add_argument("--no-config", action="store_true", help="ignore config files; defaults and options only")


def _jobs(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of jobs such as 2") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"{value!r}: the number of jobs must be 0 (one per CPU) or more")
    return n or (os.cpu_count() or 1)


def _formats() -> list[str]:
    from mtqa.render import FORMATS

    return list(FORMATS)


def _err(message: str) -> None:
    sys.stderr.write(f"error: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    try:
        if args.command == "check":
            return _check(args)
        if args.command == "fix":
            return _fix(args)
        if args.command == "config":
            return _config(args)
        if args.command == "rules":
            return _rules()
        if args.command == "rule":
            return _rule(args.code)
        parser.print_help()
        return EXIT_ERROR
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        _err("interrupted.")
        return 130


def run() -> None:
    """Console-script entry point: run `main`, then leave without tearing the interpreter down.

    Why: finalising the modules of PyTorch and spaCy takes ~0.6 s after every check and does
    nothing a finished command needs. Output streams and log handlers are flushed first, and
    worker pools are already closed by then (`batch` uses them as context managers).
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BrokenPipeError, ValueError):  # reader gone, or stream closed
            stream.flush()
    logging.shutdown()
    os._exit(code)


def _check(args: argparse.Namespace) -> int:
    from mtqa import batch, gate
    from mtqa.config import ConfigError
    from mtqa.document import DEFAULT_MAX_BYTES, InputError, decode, read_bytes
    from mtqa.render import FORMATS
    from mtqa.score import ModelError

    def note(message: str) -> None:
        if not args.quiet:
            sys.stderr.write(f"{message}\n")
            sys.stderr.flush()

    if args.baseline and args.write_baseline:
        _err("--baseline and --write-baseline cannot be combined. Write the baseline first, then check against it.")
        return EXIT_ERROR
    jobs: list[batch.Job] = []
    raw: dict[int, bytes] = {}
    try:
        paths = batch.expand(args.files)
        configs = _ConfigCache(args)
        for position, path in enumerate(paths):
            settings = configs.settings(path)
            data = read_bytes(path, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES)
            fmt = None if args.input_format == "auto" else args.input_format
            document = decode(data, "<stdin>" if path == "-" else path, fmt)
            jobs.append((position, document, settings))
            raw[position] = data
        known = gate.read_baseline(Path(args.baseline)) if args.baseline else None
        changes = {p: gate.changes_since(paths[p], args.diff) for p, _, _ in jobs} if args.diff else {}
    except (InputError, ConfigError, gate.GateError) as exc:
        _err(str(exc))
        return EXIT_ERROR

    problem = _unrunnable(jobs[0][2]) if jobs else None
    if problem:
        _err(problem)
        return EXIT_ERROR
    started = time.perf_counter()
    try:
        with _ProgressBar(len(jobs), enabled=len(jobs) > 3 and not args.quiet and sys.stderr.isatty()) as bar:
            reports = batch.run(
                jobs,
                args.jobs,
                notify=note,
                done=bar.advance,
                progress=lambda name: _progress(note, name),
            )
    except ModelError as exc:
        _err(str(exc))
        return EXIT_ERROR
    elapsed = time.perf_counter() - started
    n = sum(len(r.sentences) for r in reports)
    if any(s.use_lm for _, _, s in jobs):
        import re

        jobs_note = f" in {min(args.jobs, len(jobs))} processes" if args.jobs > 1 and len(jobs) > 1 else ""
        files = f" in {len(reports)} files" if len(reports) > 1 else ""
        model = re.search(r"\|model:([^|]+)", reports[0].signature) if reports else None
        with_model = f" with {model.group(1)}" if model else ""
        note(f"checked {n} sentences{files} in {elapsed:.1f} s{with_model}{jobs_note}")

    if known is not None:
        reports = [gate.apply_baseline(r, known) for r in reports]
    if changes:
        reports = [
            gate.apply_diff(r, changes[p], _line_of(r, document, raw[p]))
            for r, (p, document, _) in zip(reports, jobs, strict=True)
        ]
    if args.write_baseline:
        from mtqa.fileio import atomic_write

        try:
            atomic_write(args.write_baseline, gate.baseline_text(reports))
        except OSError as exc:
            _err(f"could not write {args.write_baseline} ({exc.strerror}). Choose a writable path.")
            return EXIT_ERROR
        count = sum(len(gate.baseline_entries([r])) for r in reports)
        note(f"wrote {count} issues to the baseline {args.write_baseline}; later runs with --baseline ignore them")

    width = args.width or (None if args.output else _terminal_width())
    color = not args.output and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    rendered = FORMATS[args.format](reports, width=width, color=color, show_all=args.show_all)
    if args.output:
        from mtqa.fileio import atomic_write

        try:
            atomic_write(args.output, rendered)
        except OSError as exc:
            _err(f"could not write {args.output} ({exc.strerror}). Choose a writable path.")
            return EXIT_ERROR
    else:
        sys.stdout.write(rendered)
        sys.stdout.flush()
    failed = any(r.failed for r in reports)
    return EXIT_FAIL if failed and not args.exit_zero and not args.write_baseline else EXIT_OK


def _unrunnable(settings) -> str | None:  # type: ignore[no-untyped-def]
    """Say so when a rule selected by its code or name cannot run (no LM, no tagger): never silence."""
    from mtqa.gate import named_exactly
    from mtqa.pipeline import active_detectors
    from mtqa.rules import CATALOGUE

    named = named_exactly(settings.select)
    if not named:
        return None
    from mtqa import tag

    runnable = {d.name for d in active_detectors(settings, have_tags=tag.available())} | {"gate"}
    stuck = sorted(code for code in named if CATALOGUE[code].detector not in runnable)
    if not stuck:
        return None
    why = "--no-lm is set" if not settings.use_lm else "the part-of-speech tagger is not installed"
    return f"{', '.join(stuck)} was selected but cannot run ({why}). Drop --no-lm or deselect it."


def _line_of(report, document, data: bytes):  # type: ignore[no-untyped-def]
    """Map text offsets to lines of the file on disk (through the reader's offset map for HTML)."""
    from mtqa import gate
    from mtqa.report import find_line_starts

    if document.offset_map is None:
        return None
    raw_text = data.decode(document.encoding, errors="replace")
    return gate.raw_line_of(document.offset_map, find_line_starts(raw_text))


class _ConfigCache:
    """Find, load and resolve the config for each checked file; one load per config file."""

    def __init__(self, args: argparse.Namespace) -> None:
        from mtqa.config import load_config

        self.args = args
        self.loaded: dict[Path, object] = {}
        self.explicit = load_config(Path(args.config)) if getattr(args, "config", None) else None

    def config(self, path: str):  # type: ignore[no-untyped-def]
        from mtqa.config import find_config, load_config, resolve, split_selectors

        args = self.args
        if self.explicit is not None:
            base = self.explicit
        elif args.no_config:
            base = None
        else:
            found = find_config(Path.cwd() if path == "-" else Path(path))
            if found is not None and found not in self.loaded:
                self.loaded[found] = load_config(found)
            base = self.loaded.get(found) if found is not None else None
        return resolve(
            base,  # type: ignore[arg-type]
            source_lang=args.source_lang,
            model=args.model,
            fail_on=args.fail_on,
            select=split_selectors(args.select),
            ignore=split_selectors(args.ignore),
            allow=args.allow,
            allow_words=args.allow_words,
        )

    def settings(self, path: str):  # type: ignore[no-untyped-def]
        from mtqa.pipeline import Settings

        config = self.config(path)
        return Settings(
            source_lang=config.source_lang,
            model=config.model,
            dtype=self.args.dtype,
            fail_on=config.fail_on,
            use_lm=not self.args.no_lm,
            use_quality=getattr(self.args, "quality", False),
            quality_model=getattr(self.args, "quality_model", None),
            thorough=getattr(self.args, "thorough", False),
            generate=getattr(self.args, "generate", 0),
            allow_words=config.words(),
            select=config.select,
            ignore=config.ignores_for(path) if path != "-" else config.ignore,
            thresholds=config.thresholds,
        )


class _ProgressBar:
    """A rich progress bar over files on stderr, only when it helps (a TTY, several files, not --quiet)."""

    def __init__(self, total: int, *, enabled: bool) -> None:
        self.total, self.enabled, self.bar, self.task = total, enabled, None, None

    def __enter__(self) -> _ProgressBar:
        if self.enabled:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            console = Console(file=sys.stderr, no_color="NO_COLOR" in os.environ)
            self.bar = Progress(
                TextColumn("checking"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task("files", total=self.total)
        return self

    def advance(self, _position: int, _report: object) -> None:
        if self.bar is not None:
            self.bar.advance(self.task)  # type: ignore[arg-type]

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


def _config(args: argparse.Namespace) -> int:
    from mtqa.config import ConfigError, describe

    args.no_lm, args.dtype = False, "auto"
    try:
        cache = _ConfigCache(args)
        config = cache.config(args.file)
        cache.settings(args.file)  # reads the word lists, so a broken one shows here too
    except ConfigError as exc:
        _err(str(exc))
        return EXIT_ERROR
    if config.path is not None:
        head = f"# config file: {config.path}"
    elif args.no_config:
        head = "# config files ignored (--no-config)"
    else:
        head = f"# no config file found above {Path(args.file).resolve()} (mtqa.toml or pyproject.toml [tool.mtqa])"
    rows = describe(config)
    width = max(len(f"{k} = {v}") for k, v, _ in rows)
    lines = [head, *(f"{f'{k} = {v}':<{width}}  # {origin}" for k, v, origin in rows)]
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_OK


def _fix(args: argparse.Namespace) -> int:
    import shutil

    from mtqa.config import ConfigError
    from mtqa.document import InputError, decode, read_bytes
    from mtqa.fileio import atomic_write
    from mtqa.pipeline import check_document
    from mtqa.rewrite.apply import fix_text
    from mtqa.score import ModelError

    try:
        document = decode(read_bytes(args.file), args.file)
    except InputError as exc:
        _err(str(exc))
        return EXIT_ERROR
    if document.format not in {"text", "markdown"}:
        label = {"html": "HTML", "docx": "a Word .docx", "nitf": "NITF", "newsml": "NewsML-G2"}.get(document.format)
        _err(f"{args.file} is {label}; mtqa fix writes text and Markdown only. Save the article text and fix that.")
        return EXIT_ERROR
    try:
        report = check_document(document, _ConfigCache(args).settings(args.file))
    except (ModelError, ConfigError) as exc:
        _err(str(exc))
        return EXIT_ERROR
    result = fix_text(document.text, report, min_confidence=args.min_confidence)
    try:
        if args.in_place:
            shutil.copy2(args.file, args.file + ".orig")
            atomic_write(args.file, result.text, encoding=document.encoding)
        elif args.output == "-":
            sys.stdout.write(result.text)
        else:
            atomic_write(args.output, result.text, encoding=document.encoding)
    except OSError as exc:
        _err(f"could not write the corrected copy ({exc.strerror}); the input is unchanged. Choose a writable path.")
        return EXIT_ERROR
    if not args.quiet:
        for issue, suggestion in result.used:
            sys.stderr.write(f"{issue.code}: {suggestion.title}\n")
        unsafe = sum(1 for i in report.issues if i.rewrite_status == "no safe rewrite found")
        sys.stderr.write(
            f"applied {len(result.used)} suggestions, skipped {len(result.skipped)}; "
            f"no safe rewrite found for {unsafe} issues\n"
        )
    return EXIT_OK


def _terminal_width() -> int:
    import shutil

    return max(80, shutil.get_terminal_size((120, 24)).columns)


def _progress(note, name: str):  # type: ignore[no-untyped-def]
    last = [0.0]

    def report(done: int, total: int) -> None:
        if total > 256 and time.perf_counter() - last[0] > 1.0:
            last[0] = time.perf_counter()
            note(f"{name}: scored {done}/{total} sentences")

    return report


def _rules() -> int:
    from rich.console import Console
    from rich.table import Table

    from mtqa.rules import CATALOGUE

    table = Table(title="mtqa rules")
    for col in ("code", "name", "category", "severity", "status", "summary"):
        table.add_column(col)
    for rule in CATALOGUE.values():
        table.add_row(rule.code, rule.name, rule.category, rule.severity.label, rule.status, rule.summary)
    Console(no_color="NO_COLOR" in os.environ).print(table)
    return EXIT_OK


def _rule(code: str) -> int:
    from mtqa.rules import CATALOGUE

    rule = CATALOGUE.get(code.upper()) or next((r for r in CATALOGUE.values() if r.name == code), None)
    if rule is None:
        _err(f"no rule {code!r}. Run `mtqa rules` for the list.")
        return EXIT_ERROR
    lines = [
        f"{rule.code} {rule.name} ({rule.category}, {rule.severity.label}, {rule.status})",
        rule.summary,
        "",
        rule.explanation,
        "",
        *[f"bad:  {b}" for b in rule.bad],
        *[f"good: {g}" for g in rule.good],
    ]
    sys.stdout.write("\n".join(lines).rstrip() + "\n")
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
