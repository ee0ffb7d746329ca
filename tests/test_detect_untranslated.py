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


@pytest.mark.parametrize(
    ("word", "initial", "language"),
    [
        pytest.param("slaapcellen", False, "Dutch", id="source-compound"),
        pytest.param("echter", False, "Dutch", id="source-function-word"),
        pytest.param("vyměnit", False, "Czech", id="other-language"),
        pytest.param("généralement", False, "French", id="other-language-accented"),
        pytest.param("поиграем", False, "text in Cyrillic script", id="other-script"),
        pytest.param("sklasyfikowany", False, "Polish", id="inflected-form-in-a-large-list"),
        pytest.param("gouvernement", False, "French", id="english-quotes-it-french-uses-it"),
        pytest.param("łagodniejszy", False, "Polish", id="letter-english-does-not-use"),
        pytest.param("d'autres", False, "French", id="elided-article"),
        pytest.param("dell'autore", False, "Italian", id="elided-preposition"),
        pytest.param("d'état", False, None, id="coup-d-etat-is-english"),
        pytest.param("naïve", False, None, id="loanword-english-knows"),
        pytest.param("pisipüsti", False, "text in another language", id="letters-of-no-listed-language"),
        pytest.param("schadenfreude", False, None, id="borrowed-word"),
        pytest.param("Быков", False, None, id="name-in-its-script"),
        pytest.param("Starożytnych", True, None, id="sentence-initial-capital-unlisted"),
        pytest.param("α", False, None, id="lone-greek-letter"),
        pytest.param("zigurats", False, None, id="rare-but-no-language-knows-it"),
        pytest.param("tarpaulin", False, None, id="rare-english-word"),
    ],
)
def test_untranslated_leftover_names_the_language(word: str, initial: bool, language: str | None) -> None:
    from mtqa.detect.untranslated import leftover
    from mtqa.languages import load_profile

    found = leftover(word, load_profile("nl"), sentence_initial=initial)
    assert (found[0] if found else None) == language


def test_untranslated_other_language_has_no_gloss_from_the_source_lexicon() -> None:
    from mtqa.pipeline import Settings, check

    (issue,) = check("Money can be vyměnit at the only bank on the islands.", Settings(select=("U101",))).issues
    assert issue.message == "'vyměnit' looks like untranslated Czech."
    assert issue.suggestions == ()


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        pytest.param(
            'Nonnemacher said so in the RBB programme "Brandenburg aktuell" on Sunday.', [], id="quoted-title"
        ),
        pytest.param('He said: "Money can be vyměnit at the only bank on the islands."', ["vyměnit"], id="speech"),
        pytest.param('The so-called "jihadist slaapcellen" remain.', ["slaapcellen"], id="source-word-quoted"),
    ],
)
def test_untranslated_short_quotation_spares_other_languages_only(text: str, flagged: list[str]) -> None:
    from mtqa.pipeline import Settings, check

    issues = check(text, Settings(select=("U101",))).issues
    assert [text[i.span.start : i.span.end] for i in issues] == flagged


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        pytest.param("She missed the historic parad,e on Sunday.", [], id="typo-split-by-a-comma"),
        pytest.param("The figures come from aktualne.cz and the ministry.", [], id="domain-name"),
        pytest.param("Money can be vyměnit, the bank said.", ["vyměnit"], id="comma-then-space"),
    ],
)
def test_untranslated_word_glued_by_a_mark_is_part_of_a_written_word(text: str, flagged: list[str]) -> None:
    from mtqa.pipeline import Settings, check

    issues = check(text, Settings(select=("U101",))).issues
    assert [text[i.span.start : i.span.end] for i in issues] == flagged
