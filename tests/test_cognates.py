"""U101's cognate options: a Latinate leftover no dictionary translates is often an English word respelt."""

from __future__ import annotations

from mtqa.languages.cognates import english_cognates, plain, spellings


def test_cognates_endings_turn_into_english_ones() -> None:
    assert english_cognates("rivoluzione", "it")[0] == "revolution"
    assert english_cognates("généralement", "fr")[0] == "generally"
    assert english_cognates("comentó", "es")[0] == "commented"
    assert english_cognates("respondentów", "pl")[0] == "respondents"


def test_cognates_spellings_keep_a_stem_and_drop_accents() -> None:
    assert plain("Généralement") == "generalement" and plain("przyszłość") == "przyszlosc"
    assert spellings("azione", "it") == {"azione", "azion"}  # "zione" -> "tion" would leave no stem
    assert spellings("rivoluzione", "it") >= {"rivoluzione", "rivolution"}


def test_cognates_only_those_about_as_close_as_the_closest() -> None:
    assert english_cognates("rivoluzione", "it") == ("revolution",)  # not 'revolutions', 'resolution'
    assert english_cognates("protoni", "it") == ("protons",)  # the Italian plural ending reads as English's


def test_cognates_none_for_a_word_far_from_english() -> None:
    assert english_cognates("vyměnit", "cs") == ()
    assert english_cognates("szczepionka", "pl") == ()


def test_cognates_none_for_short_words_or_languages_without_endings() -> None:
    # romanised names U101 reads as Finnish or Swedish, or too short to judge, are not respelt
    assert english_cognates("dingla", "sv") == () and english_cognates("tamang", "fil") == ()
    assert english_cognates("doti", "it") == ()


def test_cognates_give_u101_a_suggestion_without_dictionaries(scorer) -> None:
    from mtqa.document import Document
    from mtqa.pipeline import Settings, check_document

    text = "The rivoluzione began in Paris in 1789 and changed the whole of Europe."
    report = check_document(Document(text, "t.txt"), Settings(select=("U101",)), scorer=scorer)
    (issue,) = report.issues
    assert text[issue.span.start : issue.span.end] == "rivoluzione"
    assert issue.suggestions[0].text == text.replace("rivoluzione", "revolution")
