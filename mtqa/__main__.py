"""Allow `python -m mtqa`."""

from mtqa.cli import run

run()
