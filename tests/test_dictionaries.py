"""FreeDict dictionaries installed on the machine give English for words of other languages (U101)."""

from __future__ import annotations

import gzip
import logging
from pathlib import Path

import pytest

from mtqa.languages import dictionaries

_B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

POLISH = {
    "szczepionka": "szczepionka /ʂt͡ʂɛpjɔnka/ <n, fem>\n1. vaccine\n",
    "lalka": "lalka <n, fem>\n1. doll\n2. puppet (theatre)\n3. zabawka dla dzieci\n",
    "odpowiedzialność": "odpowiedzialność <n>\n responsibility; liability\n",
}
# FreeDict's English-Polish direction, read backwards: 'kukiełka' is no Polish headword above
ENGLISH_POLISH = {
    "doll": "doll /dɔl/ <N>\n  lalka, kukiełka\n",
    "puppet": "puppet <n>\n  kukiełka; marionetka (teatr)\n",
    "string puppet": "string puppet <n>\n  marionetka\n",
}


def _number(n: int) -> str:
    """A dictd index number: base 64, most significant digit first."""
    out = _B64[n % 64]
    while n >= 64:
        n //= 64
        out = _B64[n % 64] + out
    return out


def write_dictd(folder: Path, pair: str, entries: dict[str, str]) -> Path:
    """Write the FreeDict-style dictd dictionary `pair` ('pol-eng': `.index` and gzip `.dict.dz`) into `folder`."""
    body, index = b"", []
    for head, text in sorted(entries.items()):
        raw = text.encode("utf-8")
        index.append(f"{head}\t{_number(len(body))}\t{_number(len(raw))}")
        body += raw
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"freedict-{pair}.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    (folder / f"freedict-{pair}.dict.dz").write_bytes(gzip.compress(body))
    return folder


@pytest.fixture
def polish(tmp_path, monkeypatch) -> Path:
    folder = write_dictd(tmp_path / "dictd", "pol-eng", POLISH)
    monkeypatch.setenv("MTQA_DICTIONARIES", str(folder))
    return folder


def test_dictionaries_translations_keep_english_words_in_order(polish) -> None:
    assert dictionaries.english_options("lalka", "Polish") == ("doll", "puppet")  # the Polish note is dropped
    assert dictionaries.english_options("odpowiedzialność", "Polish") == ("responsibility", "liability")
    assert dictionaries.installed() == ("pol-eng",)


def test_dictionaries_inflected_word_is_looked_up_under_its_lemma(polish) -> None:
    # 'lalki' (plural) is not a headword; its lemma 'lalka' is, and English offers both numbers
    assert dictionaries.english_options("lalki", "Polish") == ("doll", "dolls", "puppet", "puppets")


def test_dictionaries_english_to_polish_is_read_backwards(polish) -> None:
    write_dictd(polish, "eng-pol", ENGLISH_POLISH)
    assert dictionaries.installed() == ("eng-pol", "pol-eng")
    # a word only the English-Polish direction knows gets the headwords that translate into it, commonest first
    assert dictionaries.english_options("marionetka", "Polish") == ("puppet", "string puppet")
    assert dictionaries.english_options("kukiełka", "Polish") == ("doll", "puppet")
    # the translations both directions agree on come first, then each direction's in turn
    assert dictionaries.english_options("lalka", "Polish") == ("doll", "puppet")


def test_dictionaries_unknown_word_or_language_has_no_options(polish) -> None:
    assert dictionaries.english_options("samochód", "Polish") == ()
    assert dictionaries.english_options("voiture", "French") == ()  # no French dictionary in the folder


def test_dictionaries_empty_setting_reads_none(monkeypatch) -> None:
    monkeypatch.setenv("MTQA_DICTIONARIES", "")
    assert dictionaries.installed() == ()
    assert dictionaries.english_options("lalka", "Polish") == ()


def test_dictionaries_damaged_file_is_skipped_with_a_warning(tmp_path, monkeypatch, caplog) -> None:
    folder = write_dictd(tmp_path / "broken", "pol-eng", POLISH)
    (folder / "freedict-pol-eng.dict.dz").write_bytes(b"\x1f\x8b\x08\x00not gzip at all")
    monkeypatch.setenv("MTQA_DICTIONARIES", str(folder))
    with caplog.at_level(logging.WARNING):
        assert dictionaries.english_options("lalka", "Polish") == ()
    assert "could not read the dictionary" in caplog.text


def test_dictionaries_inflection_only_where_english_has_the_form() -> None:
    assert dictionaries.inflected("doll") == ["doll", "dolls"]  # 'dolled' is too rare to offer
    assert dictionaries.inflected("produce") == ["produce", "produces", "produced"]
    assert dictionaries.inflected("per annum") == ["per annum"]


def test_dictionaries_give_u101_its_suggestion(polish, scorer) -> None:
    from mtqa.document import Document
    from mtqa.pipeline import Settings, check_document

    text = "There is one experimental szczepionka that appears to be able to reduce mortality from Ebola infection."
    report = check_document(Document(text, "t.txt"), Settings(select=("U101",)), scorer=scorer)
    (issue,) = report.issues
    assert issue.code == "U101" and text[issue.span.start : issue.span.end] == "szczepionka"
    assert issue.suggestions[0].text == text.replace("szczepionka", "vaccine")
    assert "|dict:pol-eng" in report.signature


def test_dictionaries_missing_one_is_named_in_a_note(polish, scorer) -> None:
    from mtqa.document import Document
    from mtqa.pipeline import Settings, check_document

    text = "Money can be vyměnit at the only bank. The experimental szczepionka appears to work against Ebola."
    report = check_document(Document(text, "t.txt"), Settings(select=("U101",)), scorer=scorer)
    assert [i.message for i in report.issues] == [
        "'vyměnit' looks like untranslated Czech.",
        "'szczepionka' looks like untranslated Polish ('vaccine').",
    ]
    # Polish is installed (the fixture's folder), Czech is not: the note names Czech and its package only
    (note,) = [n for n in report.notes if "FreeDict" in n]
    assert note.startswith("Czech words were flagged without an English suggestion")
    assert "dict-freedict-ces-eng dict-freedict-eng-ces" in note and "pol" not in note


def test_dictionaries_turned_off_means_no_note(scorer) -> None:
    from mtqa.document import Document
    from mtqa.pipeline import Settings, check_document

    report = check_document(Document("Money can be vyměnit at the only bank.", "t.txt"), Settings(), scorer=scorer)
    assert not [n for n in report.notes if "FreeDict" in n]  # MTQA_DICTIONARIES is set empty in tests


def test_dictionaries_keep_english_case_and_drop_trailing_sense_numbers(tmp_path, monkeypatch) -> None:
    entries = {
        "październik": "październik <n>\nOctober\n",  # a month stays capitalised
        "kraj": "kraj /kraj/ <n>\ncountry 2.\n(geografia) kraina\n",  # Polish-English numbers senses at the end
    }
    monkeypatch.setenv("MTQA_DICTIONARIES", str(write_dictd(tmp_path / "d", "pol-eng", entries)))
    assert dictionaries.english_options("październik", "Polish") == ("October",)
    assert dictionaries.english_options("kraj", "Polish") == ("country",)
    assert dictionaries.english_options("krajów", "Polish") == ("country", "countries")  # under its lemma


def test_dictionaries_a_neighbour_language_answers_when_the_guessed_one_cannot(tmp_path, monkeypatch) -> None:
    # U101 may call a Czech word Slovak (one word's language is a guess); only Czech has a dictionary here
    folder = write_dictd(tmp_path / "d", "ces-eng", {"ostrov": "ostrov <n>\nisland\nisle\n"})
    monkeypatch.setenv("MTQA_DICTIONARIES", str(folder))
    assert dictionaries.installed_codes() == ("cs",)
    assert dictionaries.english_options("ostrov", "Slovak") == ("island", "isle")
    assert dictionaries.english_options("ostrov", "Czech") == ("island", "isle")
    assert dictionaries.english_options("qwzxv", "Slovak") == ()  # common in no installed language


def test_dictionaries_u101_picks_the_word_the_lm_expects_not_the_rarest(tmp_path, monkeypatch, scorer) -> None:
    from mtqa.document import Document
    from mtqa.pipeline import Settings, check_document

    # lift (log-prob minus unigram log-prob) rewards the rare 'formidable' (a DEMETR sentence); the options
    # fill one slot, so U101 ranks them by plain log-prob and offers the word the model expects there
    entries = {"trudnego": "trudnego <adj>\nformidable\ndifficult\n"}
    monkeypatch.setenv("MTQA_DICTIONARIES", str(write_dictd(tmp_path / "d", "pol-eng", entries)))
    text = "You have undertaken a trudnego task, you can count on my total support, he said on Friday."
    report = check_document(Document(text, "t.txt"), Settings(select=("U101",)), scorer=scorer)
    (issue,) = report.issues
    assert issue.suggestions[0].text == text.replace("trudnego", "difficult")
