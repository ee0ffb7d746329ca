"""Synthetic damage for quality-model training: every damaged copy differs, and its tags point at the damage."""

from __future__ import annotations

import random

import pytest

from benchmarks.perturb import GRAMMAR_KINDS, KINDS, MARKS, _apply, damage

SENTENCES = [
    "The council approved the new budget on Monday after a long debate .",
    "Fighters of the group were seen in the east of the country last week .",
    "She said that the plan would be presented to parliament in March .",
    "Prices rose by 3 % in the year to June , the office said .",
]
DONORS = "river committee quickly yellow announced".split()


@pytest.mark.parametrize("seed", range(40))
def test_damage_changes_the_tokens_and_tags_each_one(seed: int) -> None:
    tokens = SENTENCES[seed % len(SENTENCES)].split()
    out = damage(tokens, random.Random(seed), DONORS)
    assert out is not None and out.kind in KINDS
    assert list(out.tokens) != tokens
    assert len(out.tags) == len(out.tokens) and set(out.tags) <= {0, 1} and 1 <= sum(out.tags) <= 4
    assert abs(len(out.tokens) - len(tokens)) <= 2
    assert damage(tokens, random.Random(seed), DONORS) == out  # seeded: reproducible


def test_too_short_sentences_are_left_alone() -> None:
    assert damage("Yes , indeed .".split(), random.Random(0), DONORS) is None


@pytest.mark.parametrize("seed", range(10))
def test_each_kind_tags_what_it_changed(seed: int) -> None:
    tokens = SENTENCES[0].split()
    rng = random.Random(seed)
    words = [i for i, t in enumerate(tokens) if t.isalpha()]
    swapped, tags = _apply("swap", tokens, words, rng, DONORS)  # type: ignore[misc]
    changed = [i for i, (a, b) in enumerate(zip(tokens, swapped)) if a != b]
    assert len(changed) == 2 and [tags[i] for i in changed] == [1, 1] and sum(tags) == 2
    dropped, tags = _apply("drop_function", tokens, words, rng, DONORS)  # type: ignore[misc]
    assert len(dropped) == len(tokens) - 1 and sum(tags) == 1
    gap = next(i for i, (a, b) in enumerate(zip(tokens, dropped)) if a != b)
    assert tokens[gap].lower() in {"the", "on", "after", "a"} and tags[gap] == 1
    doubled, tags = _apply("double", tokens, words, rng, DONORS)  # type: ignore[misc]
    at, n = tags.index(1), sum(tags)
    assert len(doubled) == len(tokens) + n and doubled[at - n : at] == doubled[at : at + n]  # a copy of what precedes
    replaced, tags = _apply("replace", tokens, words, rng, DONORS) or (tokens, [])  # type: ignore[misc]
    if tags:
        assert replaced[tags.index(1)] in DONORS


TAGGED = (
    "She said that the council would approve the budget quickly and without debate .".split(),
    "PRP VBD IN DT NN MD VB DT NN RB CC IN NN .".split(),
)
ENGLISH = frozenset("approves approved approving quick budgets councils debates said says saying".split())


@pytest.mark.parametrize("kind", GRAMMAR_KINDS)
@pytest.mark.parametrize("seed", range(6))
def test_grammar_kinds_change_what_they_say_and_tag_it(kind: str, seed: int) -> None:
    tokens, pos = TAGGED
    # shift_form and drop_letter pick one word at random and give up when it has no other form or is
    # too short, so a few tries may be needed
    tries = (damage(tokens, random.Random(f"{seed}:{k}"), kinds=(kind,), pos=pos, known=ENGLISH.__contains__)
             for k in range(20))  # fmt: skip
    out = next((o for o in tries if o is not None), None)
    assert out is not None and out.kind == kind and list(out.tokens) != tokens
    assert len(out.tags) == len(out.tokens) and sum(out.tags) == 1
    lost = [t for t in tokens if t not in out.tokens]
    if kind == "drop_conjunction":
        assert len(out.tokens) == len(tokens) - 1 and lost[0] in {"that", "and"}
    elif kind == "drop_verb":
        assert len(out.tokens) == len(tokens) - 1 and lost[0] in {"said", "would", "approve"}
    elif kind == "drop_subject":
        assert lost in (["She"], ["council"])  # the words right before a finite verb
    elif kind == "shift_form":
        new = next(t for t in out.tokens if t not in tokens)
        assert new in ENGLISH and out.tags[out.tokens.index(new)] == 1
    elif kind == "add_punctuation":
        marked = out.tokens[out.tags.index(1)]
        assert marked[-1] in MARKS and marked[:-1] in tokens
    else:  # drop_letter
        marked = out.tokens[out.tags.index(1)]
        original = tokens[out.tags.index(1)]
        assert len(marked) == len(original) - 1 and marked[0] == original[0] and marked[-1] == original[-1]


def test_grammar_kinds_without_what_they_need_do_nothing() -> None:
    tokens = "Rain fell on the hills all night long .".split()
    rng = random.Random(0)
    assert damage(tokens, rng, kinds=("drop_verb",)) is None  # no tags given
    assert damage(tokens, rng, kinds=("shift_form",), known=lambda w: False) is None  # no known form
    assert damage(tokens, rng, kinds=("drop_conjunction",), pos=["NN"] * len(tokens)) is None
