"""The seed article end to end with the real model: acceptance flags and golden reports."""

from __future__ import annotations

import pytest

from mtqa.core import Severity
from mtqa.document import decode
from mtqa.pipeline import Settings, check_document
from mtqa.render import FORMATS
from tests.conftest import SEED
from tests.golden_util import check_json, check_text


@pytest.fixture(scope="module")
def report(scorer):
    document = decode(SEED.read_bytes(), "seeds/000_a13e9620616db678.txt")
    return check_document(document, Settings(), scorer=scorer)


def _sentence(report, fragment: str):
    return next(s for s in report.sentences if fragment in s.text)


@pytest.mark.parametrize(
    ("fragment", "code"),
    [
        ("report the fighters of the by the", "G101"),
        ("comes to an end the so-called caliphate", "W101"),
        ("Also warned the SDF-commander", "W101"),
        ("slaapcellen", "U101"),
        ("IS checked the area", "M101"),
        ("At the height checked IS", "W101"),
    ],
)
def test_pipeline_seed_flags_editor_sentences_major(report, fragment, code):
    sentence = _sentence(report, fragment)
    assert sentence.worst is not None and sentence.worst >= Severity.MAJOR
    assert code in {i.code for i in sentence.issues if i.severity >= Severity.MAJOR}


@pytest.mark.parametrize("fragment", ["Follow us", "Don't be shy, get in touch.", "Most popular"])
def test_pipeline_seed_flags_boilerplate(report, fragment):
    assert "B101" in {i.code for i in _sentence(report, fragment).issues}


@pytest.mark.parametrize(
    "fragment",
    ["The battle for the last stronghold was fierce.", "The terrorist group took advantage of the Syrian civil war."],
)
def test_pipeline_seed_clean_sentences_have_no_major_issue(report, fragment):
    sentence = _sentence(report, fragment)
    assert all(i.severity < Severity.MAJOR for i in sentence.issues)


def test_pipeline_seed_spans_point_into_the_input(report):
    text = SEED.read_text(encoding="utf-8")
    for sentence in report.sentences:
        assert text[sentence.span.start : sentence.span.end] == sentence.text
        for issue in sentence.issues:
            assert sentence.span.contains(issue.span)
    slaap = next(i for i in report.issues if i.code == "U101")
    assert text[slaap.span.start : slaap.span.end] == "slaapcellen"


def test_pipeline_seed_suggestions_are_verified(report):
    suggestions = [s for i in report.issues if i.code in {"W101", "M101", "G101"} for s in i.suggestions]
    assert suggestions and all(s.lm_gain is not None and s.lm_gain > 0 for s in suggestions)
    caliphate = _sentence(report, "comes to an end the so-called caliphate")
    best = next(i for i in caliphate.issues if i.code == "W101").suggestions[0]
    assert "the so-called caliphate comes to an end" in best.text


def test_pipeline_seed_golden_json(report):
    assert check_json("seed.json", report.to_dict()) == []


def test_pipeline_seed_golden_table(report):
    rendered = FORMATS["table"]([report], width=120, color=False)
    assert check_text("seed.table.txt", rendered)
    assert rendered.rstrip().splitlines()[-1].endswith("FAIL (an issue at or above major)")
