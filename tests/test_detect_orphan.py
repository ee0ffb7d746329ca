"""G107: an article with no noun after it is flagged at the article and the next token; nouns that look like
verbs stay silent, and the pairs G101 owns are left to G101."""

from __future__ import annotations

import pytest

from mtqa.detect.orphan import OrphanArticleDetector, orphans
from mtqa.document import Document
from mtqa.pipeline import Settings, build_context, check_document
from mtqa.tag import tag


def _pairs(text: str) -> list[str]:
    (tokens,) = tag([text])
    return [f"{tokens[a].text} {tokens[b].text}" for a, b in orphans(tokens)]


@pytest.mark.parametrize(
    ("text", "pair"),
    [
        ("The took place on Monday in the capital.", "The took"),
        ("Officials said that the decided to close the border.", "the decided"),
        ("Since 1976, a third of the, region has been protected.", "the ,"),
        ("Last year the invaded the neighbouring province.", "the invaded"),
        ("In the end the should pay for the damage.", "the should"),
    ],
)
def test_detect_orphan_flags_article_without_noun(text: str, pair: str) -> None:
    assert _pairs(text) == [pair]


@pytest.mark.parametrize(
    "text",
    [
        "The accused was released on bail.",
        "The wounded were taken to hospital.",
        "She bought a can of beans.",
        "The needs of the refugees are growing.",
        "Vitamin A, found in carrots, helps.",
        "The visit is a must for tourists.",
        "He reads the works of Tolstoy.",
        "The police said the fighters had fled.",
        "The is also here.",  # G101's pair (an article before an auxiliary)
    ],
)
def test_detect_orphan_silent(text: str) -> None:
    assert _pairs(text) == []


def test_detect_orphan_issue_fields_and_no_rewrite() -> None:
    text = "The took place on Monday in the capital."
    ctx = build_context(Document(text, "t.txt"), Settings(use_lm=False), scorer=None)
    (issue,) = OrphanArticleDetector().detect(ctx)
    assert (issue.code, text[issue.span.start : issue.span.end], issue.suggestions) == ("G107", "The took", ())
    assert "'The took'" in issue.message


def test_detect_orphan_leaves_g101_pairs_to_g101() -> None:
    report = check_document(Document("The is also where the fighters gathered.", "t.txt"), Settings(use_lm=False))
    assert [i.code for i in report.issues if i.code in {"G101", "G107"}] == ["G101"]
