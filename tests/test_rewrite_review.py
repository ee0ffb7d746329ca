"""The rewrite stage on the seed article with the real model: guards hold, edits combine, outputs carry it."""

from __future__ import annotations

import json
import re

import pytest

from benchmarks.rewrite_seed import markdown, rows
from mtqa.document import decode
from mtqa.pipeline import Settings, check_document
from mtqa.render import FORMATS
from mtqa.rewrite import guard, meaning
from mtqa.rewrite.verify import MIN_GAIN
from mtqa.rules.catalogue import CATALOGUE
from tests.conftest import ROOT, SEED


@pytest.fixture(scope="module")
def report(scorer):
    document = decode(SEED.read_bytes(), "seeds/000_a13e9620616db678.txt")
    return check_document(document, Settings(), scorer=scorer)


def _rewritten(report):
    return [(i, s) for i in report.issues for s in i.suggestions if not i.code.startswith("B")]


def test_rewrite_review_every_offer_passes_the_guards(report):
    offers = _rewritten(report)
    assert offers
    for issue, s in offers:
        assert s.lm_gain is not None and s.lm_gain >= MIN_GAIN
        if "+" in s.origin or CATALOGUE[s.origin].meaning_check:  # combined rewrites are always checked
            assert s.similarity is not None and s.similarity >= meaning.MIN_SIMILARITY
        else:  # U101 alone: the encoder cannot read the untranslated word, so it is not asked
            assert s.similarity is None
        sentence = report.sentences[issue.sentence_index]
        accepted = next(c for c in issue.candidates if c.edits == s.edits)
        assert accepted.accepted and not accepted.reason
        spans = [sp for code in s.origin.split("+") for sp in guard.intended_spans(code, issue.span, s.edits)]
        if "+" not in s.origin:
            assert guard.lost_words(sentence.text, sentence.span.start, s.edits, spans) == []


def test_rewrite_review_refused_candidates_say_why(report):
    refused = [c for i in report.issues for c in i.candidates if not c.accepted]
    assert refused
    assert all(c.reason for c in refused)


@pytest.mark.parametrize(
    ("fragment", "origin", "expected"),
    [
        ("At the height checked IS", "W101+M101", "At the height IS controlled in Syria and Iraq"),
    ],
)
def test_rewrite_review_combines_edits_of_one_sentence(report, fragment, origin, expected):
    sentence = next(s for s in report.sentences if fragment in s.text)
    best = [i.suggestions[0] for i in sentence.issues if i.suggestions]
    assert best and best[0].origin == origin
    assert best[0].text.startswith(expected)


def test_rewrite_review_json_carries_candidates(report):
    data = json.loads(FORMATS["json"]([report]))
    issues = [i for s in data["files"][0]["sentences"] for i in s["issues"]]
    assert {i["rewrite"] for i in issues} >= {"offered", "none proposed"}
    tried = [c for i in issues for c in i["candidates"]]
    assert tried and set(tried[0]) == {"text", "origin", "edits", "lm_gain", "similarity", "accepted", "reason"}


def test_rewrite_review_table_shows_a_word_diff(report):
    table = FORMATS["table"]([report], width=200)
    assert "~~checked~~" in table


def test_rewrite_review_readme_before_after_is_generated(report):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"<!-- rewrite-seed:start -->\n(.*?)<!-- rewrite-seed:end -->", readme, re.S)
    assert block is not None
    assert block.group(1) == markdown(rows(report))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bibi, one the of demonstrators wrote on his banner.", "Bibi, one of the demonstrators wrote on his banner."),
        ("Mom, go the to market and buy some bread.", None),
    ],
)
def test_rewrite_review_g101_swaps_an_article_and_preposition(scorer, text, expected):
    from mtqa.pipeline import check

    report = check(text)
    offered = [s.text for i in report.issues if i.code == "G101" for s in i.suggestions]
    if expected is not None:
        assert offered[:1] == [expected]
    assert all(c.reason or c.text in offered for i in report.issues for c in i.candidates)
