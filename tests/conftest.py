"""Shared fixtures: the real model, loaded once per test run, and the seed article."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Read no FreeDict dictionary the machine may have installed (mtqa/languages/dictionaries.py), so reports
# and golden files do not depend on the machine; tests that need one point the variable at their own.
os.environ["MTQA_DICTIONARIES"] = ""
SEED = ROOT / "seeds" / "000_a13e9620616db678.txt"


@pytest.fixture(scope="session")
def scorer():
    """The default offline scorer (SmolLM2-135M), loaded once."""
    from mtqa.pipeline import Settings, get_scorer

    return get_scorer(Settings())


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")
