"""Every rule's own examples run as tests: `bad` fires at the [[marked]] span, `good` stays silent."""

from __future__ import annotations

import re

import pytest

from mtqa.detect import DETECTORS
from mtqa.document import decode
from mtqa.pipeline import Settings, check_document
from mtqa.rules import CATALOGUE

MARK = re.compile(r"\[\[(.+?)\]\]")


def _run(text: str, scorer, code: str = ""):
    """Check an example; Q rules need the quality model and thorough-only detectors --thorough (both opt-in)."""
    detector = DETECTORS.get(CATALOGUE[code].detector) if code else None
    settings = Settings(use_quality=code.startswith("Q"), thorough=getattr(detector, "thorough_only", False))
    return check_document(decode(text.encode(), "example.txt"), settings, scorer=scorer)


def test_rules_catalogue_every_rule_has_examples():
    for rule in CATALOGUE.values():
        assert rule.good, f"{rule.code} has no good examples"
        assert rule.bad or rule.code == "L102", f"{rule.code} has no bad examples"
        assert rule.explanation and "What it flags" in rule.explanation


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
