"""G106 pronoun case: which pronoun/next-word pairs are suspects, and which forms are tried."""

from __future__ import annotations

import pytest

from mtqa.detect.pronoun import alternatives, fitting, noun_ahead, paradigm, suspect
from mtqa.tag import Token


def _tok(text: str, tag: str) -> Token:
    return Token(text, tag, 0, len(text), " ")


@pytest.mark.parametrize(
    ("word", "following", "expected"),
    [
        ("he", _tok("obsession", "NN"), True),  # possessive meant
        ("they", _tok("businesses", "NNS"), True),
        ("themselves", _tok("businesses", "NNS"), True),
        ("she", _tok("names", "NNS"), False),  # "everybody she names": a verb the tagger misread
        ("him", _tok("money", "NN"), False),  # "gave him money"
        ("it", _tok("clear", "JJ"), False),  # "makes it clear"
        ("we", _tok("Europeans", "NNPS"), False),  # "we Europeans"
        ("him", _tok("predicts", "VBZ"), True),
        ("its", _tok("has", "VBZ"), True),
        ("your", _tok("will", "MD"), False),  # "let your will be done": the noun, tagged as a modal
        ("his", _tok("might", "MD"), False),  # "with all his might"
        ("their", _tok("should", "MD"), True),  # no noun reading
        ("his", _tok("added", "VBD"), True),
        ("theirs", _tok("is", "VBZ"), False),  # "theirs is a different story"
        ("they", _tok("are", "VBP"), False),
        ("my", _tok(",", ","), True),
        ("her", _tok(",", ","), False),  # object "her," is fine
        ("the", _tok("is", "VBZ"), False),  # not a pronoun
    ],
)
def test_suspects_are_forms_that_clash_with_the_next_word(word: str, following: Token, expected: bool) -> None:
    assert suspect(word, following) is expected


@pytest.mark.parametrize(
    ("word", "preceding", "expected"),
    [
        ("them", _tok("in", "IN"), False),  # "the text written in them is ...": the preposition's object
        ("him", _tok("to", "TO"), False),  # "the letter sent to him was ..."
        ("them", _tok("said", "VBD"), True),  # "said them are"
        ("its", _tok("in", "IN"), True),  # a possessive before a verb stays suspect
    ],
)
def test_suspect_object_after_preposition_belongs_to_it(word: str, preceding: Token, expected: bool) -> None:
    assert suspect(word, _tok("is", "VBZ"), preceding) is expected


def test_alternatives_are_the_other_forms_of_the_same_person_in_the_same_case() -> None:
    assert alternatives("him") == ["he", "his", "himself"]
    assert alternatives("her") == ["she", "hers", "herself"]
    assert alternatives("Them") == ["They", "Their", "Theirs", "Themselves"]
    assert alternatives("my") == ["I", "me", "mine", "myself"]


def test_paradigm_covers_every_person_and_role() -> None:
    table = paradigm()
    assert {f.role for f in table["her"]} == {"object", "possessive"}
    assert {f.role for f in table["his"]} == {"possessive", "independent"}
    assert all(table[w] for w in ("i", "me", "we", "us", "they", "them", "you", "it", "its"))


def _tagged(*pairs: tuple[str, str]) -> list[Token]:
    return [_tok(text, tag) for text, tag in pairs]


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (_tagged(("himself", "PRP"), ("stupid", "JJ"), (".", ".")), False),  # "on himself stupid." ends there
        (_tagged(("themselves", "PRP"), ("unable", "JJ"), ("to", "TO")), False),  # "found themselves unable to"
        (_tagged(("they", "PRP"), ("new", "JJ"), ("car", "NN")), True),  # a noun after the adjective
        (_tagged(("themselves", "PRP"), ("big", "JJ"), (",", ","), ("new", "JJ"), ("cars", "NNS")), True),
        (_tagged(("he", "PRP"), ("obsession", "NN")), True),
    ],
)
def test_before_an_adjective_only_a_noun_after_it_makes_a_suspect(tokens: list[Token], expected: bool) -> None:
    assert suspect(tokens[0].text, tokens[1], noun_next=noun_ahead(tokens, 0)) is expected


def test_only_forms_that_fit_the_slot_are_tried() -> None:
    assert fitting(_tagged(("him", "PRP"), ("predicts", "VBZ")), 0) == ["he"]  # not "his predicts"
    assert fitting(_tagged(("His", "PRP$"), ("added", "VBD")), 0) == ["He"]
    assert fitting(_tagged(("herself", "PRP"), ("cell", "NN"), ("phone", "NN")), 0) == ["her", "hers"]
