"""U101 leftovers: what counts as reported speech in another language."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("text", "spared"),
    [
        ('Merkel said "wir schaffen das" in 2015.', ["wir", "schaffen", "das"]),
        ("He called it “een kwestie van tijd” then.", ["een", "kwestie", "van", "tijd"]),
        ('The so-called "jihadist slaapcellen" remain.', []),  # two words: too short to be a quotation
        ('He said "the fighters will return soon" to reporters.', []),  # an English quotation
    ],
)
def test_untranslated_foreign_quotation_is_reported_speech(text: str, spared: list[str]) -> None:
    from mtqa.detect.untranslated import foreign_quotes
    from mtqa.text import words

    ws = words(text)
    assert [ws[i].text for i in sorted(foreign_quotes(text, ws))] == spared
