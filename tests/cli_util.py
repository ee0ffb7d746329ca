"""Run the CLI in-process for tests: argparse errors raise SystemExit, which is an exit code too."""

from __future__ import annotations

from mtqa.cli import main


def run_cli(argv: list[str]) -> int:
    """Return the exit code `mtqa argv` would give."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
