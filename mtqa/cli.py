"""Command line: parse arguments, call the pipeline, pick a renderer, return an exit code.

Exit codes: 0 passed, 1 an issue at or above --fail-on, 2 usage, input or model error.
Results go to stdout; progress, notes and errors go to stderr.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence

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

exit codes: 0 passed, 1 an issue at or above --fail-on, 2 usage, input or model error.
The model runs offline; the first run converts it once (about 15 s) and caches it
under $MTQA_CACHE_DIR (default ~/.cache/mtqa).
"""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"error: {message}. Run `{self.prog} --help` for the options.\n")
        raise SystemExit(EXIT_ERROR)


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
    inp.add_argument("files", nargs="+", metavar="ARTICLE", help="files to check; - reads standard input")
    inp.add_argument(
        "--source-lang",
        default="nl",
        choices=available_languages(),
        help="language the article was translated from (default: %(default)s)",
    )
    inp.add_argument(
        "--input-format",
        choices=["auto", "text", "markdown", "html"],
        default="auto",
        help="how to read the input (default: %(default)s, from the file name and content)",
    )
    inp.add_argument(
        "--max-bytes", type=_size, default=None, metavar="SIZE", help="refuse inputs larger than this (default: 2MB)"
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
        help="model precision (default: %(default)s = bf16 where the CPU supports it)",
    )
    model.add_argument("--no-lm", action="store_true", help="skip the language model: rule detectors only, fast")
    out = check.add_argument_group("output")
    out.add_argument(
        "--format", choices=sorted(_formats()), default="table", help="report format (default: %(default)s)"
    )
    out.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE instead of stdout")
    out.add_argument("--show-all", action="store_true", help="table: list clean sentences too")
    out.add_argument("--width", type=int, default=None, help="table width in columns (default: terminal width)")
    out.add_argument("-q", "--quiet", action="store_true", help="no progress or notes on stderr")
    gate = check.add_argument_group("gate")
    gate.add_argument(
        "--fail-on",
        choices=["minor", "major", "critical"],
        default="major",
        help="lowest severity that fails the check, exit code 1 (default: %(default)s)",
    )
    gate.add_argument("--exit-zero", action="store_true", help="always exit 0 unless there is an error (report only)")
    gate.add_argument(
        "--allow",
        action="append",
        default=[],
        metavar="WORD",
        help="a name or term never to flag as untranslated (repeatable)",
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
    fix.add_argument("--source-lang", default="nl", choices=available_languages(), help="source language (default: nl)")
    fix.add_argument("--model", default=None, metavar="PATH_OR_ID", help="language model (default: offline SmolLM2)")
    fix.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")

    sub.add_parser("rules", help="list the rule catalogue", description="List every rule: code, category, severity.")
    rule = sub.add_parser("rule", help="explain one rule", description="Explain one rule with its examples.")
    rule.add_argument("code", help="rule code such as U101")
    return parser


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


def _check(args: argparse.Namespace) -> int:
    from mtqa.core import Severity
    from mtqa.document import DEFAULT_MAX_BYTES, InputError, decode, read_bytes
    from mtqa.pipeline import Settings, check_document, get_scorer
    from mtqa.render import FORMATS
    from mtqa.score import ModelError

    def note(message: str) -> None:
        if not args.quiet:
            sys.stderr.write(f"{message}\n")
            sys.stderr.flush()

    settings = Settings(
        source_lang=args.source_lang,
        model=args.model,
        dtype=args.dtype,
        fail_on=Severity.parse(args.fail_on),
        use_lm=not args.no_lm,
        allow_words=frozenset(w.lower() for w in args.allow),
    )
    documents = []
    try:
        for path in args.files:
            data = read_bytes(path, max_bytes=args.max_bytes or DEFAULT_MAX_BYTES)
            fmt = None if args.input_format == "auto" else args.input_format
            documents.append(decode(data, "<stdin>" if path == "-" else path, fmt))
    except InputError as exc:
        _err(str(exc))
        return EXIT_ERROR
    try:
        scorer = get_scorer(settings, notify=note) if settings.use_lm else None
    except ModelError as exc:
        _err(str(exc))
        return EXIT_ERROR
    reports = []
    started = time.perf_counter()
    for document in documents:
        reports.append(check_document(document, settings, scorer=scorer, progress=_progress(note, document.name)))
    elapsed = time.perf_counter() - started
    n = sum(len(r.sentences) for r in reports)
    if scorer is not None:
        note(f"checked {n} sentences in {elapsed:.1f} s with {scorer.name}")
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
    return EXIT_FAIL if failed and not args.exit_zero else EXIT_OK


def _fix(args: argparse.Namespace) -> int:
    import shutil

    from mtqa.document import InputError, decode, read_bytes
    from mtqa.fileio import atomic_write
    from mtqa.pipeline import Settings, check_document
    from mtqa.rewrite.apply import fix_text
    from mtqa.score import ModelError

    try:
        document = decode(read_bytes(args.file), args.file)
    except InputError as exc:
        _err(str(exc))
        return EXIT_ERROR
    if document.format == "html":
        _err(f"{args.file} is HTML; mtqa fix writes text and Markdown only. Save the article text and fix that.")
        return EXIT_ERROR
    try:
        report = check_document(document, Settings(source_lang=args.source_lang, model=args.model))
    except ModelError as exc:
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
