"""The README stays in step with the code: rule table and commands."""

from __future__ import annotations

import re

from mtqa.rules import CATALOGUE
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_rule_with_its_category_and_severity():
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| ([A-Z]\d{3}) \|.*$", README, re.M)}
    assert set(rows) == set(CATALOGUE)
    for code, rule in CATALOGUE.items():
        cells = [c.strip() for c in rows[code].strip("|").split("|")]
        assert cells[1:4] == [rule.name, rule.category, rule.severity.label]


def test_readme_names_the_two_commands():
    assert "bin/mtqa check seeds/000_a13e9620616db678.txt" in README
    assert "bin/test" in (ROOT / ".ci" / "run").read_text()
