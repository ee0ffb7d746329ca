"""The tagger wrapper: spaCy tags with the corrections news English needs."""

from __future__ import annotations

import pytest

from mtqa import tag

pytestmark = pytest.mark.skipif(not tag.available(), reason="part-of-speech tagger not installed")


@pytest.mark.parametrize(
    ("text", "word", "expected"),
    [
        ("At its height, IS controlled territory in Syria.", "IS", "NNP"),
        ("On 29 June 2014, IS proclaimed a caliphate.", "IS", "NNP"),
        ("The army is ready.", "is", "VBZ"),
        ("THE ARMY IS READY.", "IS", "VBZ"),  # an all-caps headline keeps its verbs
    ],
)
def test_tag_acronym_is_a_name_not_a_verb(text: str, word: str, expected: str) -> None:
    tokens = tag.tag([text])[0]
    assert [t.tag for t in tokens if t.text == word] == [expected]
