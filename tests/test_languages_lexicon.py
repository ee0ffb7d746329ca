"""Learned lexicons (models/lexicon/): their format, their place after the hand-written glosses, their use by U101."""

from __future__ import annotations

import re

import pytest

from mtqa.languages import available_languages, load_profile
from mtqa.languages.profile import LEXICONS, lexicon_folder

LINE = re.compile(r"^[^\W\d_]+(?:[-'’][^\W\d_]+)*\t[a-z]+(\|[a-z]+){0,2}$")  # as mtqa.text.words splits


@pytest.mark.parametrize("code", available_languages())
def test_learned_lexicon_lines_are_word_tab_options(code: str) -> None:
    lines = (lexicon_folder() / f"{code}.tsv").read_text(encoding="utf-8").splitlines()
    entries = [line for line in lines if not line.startswith("#")]
    assert entries, f"models/lexicon/{code}.tsv is empty"
    assert [line for line in entries if not LINE.match(line) or line != line.lower()] == []
    assert any("CC BY-SA 4.0" in line for line in lines if line.startswith("#"))  # the licence travels with it


def test_hand_gloss_comes_before_learned_options() -> None:
    profile = load_profile("nl")
    assert profile.options("slaapcellen") == ("sleeper cells",)  # hand-written, multi-word
    assert profile.options("Gevangenis") == ("prison",)  # learned, looked up in lower case
    assert profile.options("kwartel") == ()  # in neither


@pytest.fixture
def lexicons(tmp_path, monkeypatch):
    """An empty $MTQA_LEXICONS folder, with the profile cache cleared before and after."""
    monkeypatch.setenv(LEXICONS, str(tmp_path))
    load_profile.cache_clear()
    yield tmp_path
    monkeypatch.delenv(LEXICONS)
    load_profile.cache_clear()


def test_missing_learned_lexicon_leaves_the_hand_glosses_and_says_so(lexicons, caplog) -> None:
    profile = load_profile("nl")
    assert profile.learned == {} and profile.options("echter") == ("however",)
    assert "no learned lexicon at" in caplog.text and "hand-written glosses only" in caplog.text


def test_u101_offers_a_learned_translation_on_a_short_line() -> None:
    # The meaning check would refuse it (MiniLM cannot read 'gevangenis': similarity 0.63); U101 skips it.
    from mtqa.pipeline import Settings, check

    (issue,) = check("He was sent to the gevangenis for ten years.", Settings(select=("U101",))).issues
    assert issue.message == "'gevangenis' looks like untranslated Dutch ('prison')."
    assert [s.text for s in issue.suggestions] == ["He was sent to the prison for ten years."]


def test_corrupted_learned_lexicon_is_a_clear_model_error(lexicons) -> None:
    from mtqa.score.loader import ModelError

    (lexicons / "nl.tsv").write_bytes(b"\xcf\x80\xff\xfe binary \x00")
    with pytest.raises(ModelError, match=r"cannot read the lexicon .* UTF-8 text"):
        load_profile("nl")


def test_unreadable_shipped_language_file_says_reinstall_not_rebuild() -> None:
    from mtqa.languages import profile

    error = profile._unreadable(profile._HERE / profile.OTHER, PermissionError())
    assert "cannot read the language file" in str(error) and "bin/setup" in str(error)
    assert "word<TAB>english" not in str(error)


@pytest.mark.parametrize(
    ("word", "options"),
    [
        pytest.param("slaapcellen", ("sleeper cells",), id="hand-gloss-wins"),
        pytest.param("gevangenis", ("prison",), id="learned"),
        pytest.param("technologiebedrijven", ("technology companies",), id="compound-of-learned-parts"),
        pytest.param("lichaamstaal", ("body language",), id="compound-linking-nothing"),
        pytest.param("vyměnit", (), id="other-language-word"),
    ],
)
def test_u101_english_options(word: str, options: tuple[str, ...]) -> None:
    from mtqa.detect.untranslated import Hit, english_options, leftover
    from mtqa.text import Word

    profile = load_profile("nl")
    found = leftover(word, profile, sentence_initial=False)
    assert found is not None
    assert english_options(profile, Hit(Word(word, 0, len(word)), *found)) == options
