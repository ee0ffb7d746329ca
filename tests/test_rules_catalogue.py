"""Every rule's own examples run as tests: `bad` fires at the [[marked]] span, `good` stays silent."""

from __future__ import annotations

import re

import pytest

from mtqa.document import decode
from mtqa.pipeline import Settings, check_document
from mtqa.rules import CATALOGUE

MARK = re.compile(r"\[\[(.+?)\]\]")


def _run(text: str, scorer, code: str = ""):
    """Check an example as `mtqa check` would; Q rules need the quality model (opt-in)."""
    settings = Settings(use_quality=code.startswith("Q"))
    return check_document(decode(text.encode(), "example.txt"), settings, scorer=scorer)


def test_rules_catalogue_every_rule_has_examples():
    for rule in CATALOGUE.values():
        assert rule.good, f"{rule.code} has no good examples"
        assert rule.bad or rule.code == "L102", f"{rule.code} has no bad examples"
        assert rule.explanation and "What it flags" in rule.explanation


def test_rules_catalogue_rule_checked_fixes_are_the_wordless_and_copy_deleting_ones():
    """Only rules whose fix changes no word, or deletes exact copies, skip the LM margin (see rewrite.review)."""
    rule_checked = {code for code, rule in CATALOGUE.items() if rule.fix_check == "rule"}
    assert rule_checked == {"B101", "P101", "P102", "P103", "G105", "G108"}


def test_rules_catalogue_rejects_an_unknown_fix_check(tmp_path, monkeypatch):
    from mtqa.rules import catalogue

    (tmp_path / "x.toml").write_text(
        '[[rule]]\ncode = "Z999"\nname = "z"\ncategory = "other"\nseverity = "minor"\ndetector = "surface"\n'
        'message = "m"\nsummary = "s"\nfix_check = "maybe"\n'
    )
    monkeypatch.setattr(catalogue, "_HERE", tmp_path)
    with pytest.raises(ValueError, match="fix_check must be one of lm, rule"):
        catalogue._load()


BAD = [(code, ex) for code, rule in CATALOGUE.items() for ex in rule.bad]
GOOD = [(code, ex) for code, rule in CATALOGUE.items() for ex in rule.good]


@pytest.mark.parametrize(("code", "example"), BAD)
def test_rules_catalogue_bad_example_fires_at_span(code, example, scorer):
    marked = MARK.search(example)
    assert marked, f"{code} bad example lacks a [[span]]"
    text = MARK.sub(lambda m: m.group(1), example)
    start = marked.start()
    span = (start, start + len(marked.group(1)))
    hits = [(i.span.start, i.span.end) for i in _run(text, scorer, code).issues if i.code == code]
    assert span in hits, f"{code} did not fire at {text[span[0] : span[1]]!r}; got {hits}"


@pytest.mark.parametrize(("code", "example"), GOOD)
def test_rules_catalogue_good_example_is_silent(code, example, scorer):
    assert code not in {i.code for i in _run(example, scorer, code).issues}
