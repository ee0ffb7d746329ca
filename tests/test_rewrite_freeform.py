"""Free-form rewrites (`--generate N`): the written sentence is picked out, diffed into edits and guarded.

The model is the real default one. Its beam outputs depend on the precision the machine picks (bf16 or
fp32), so the pipeline tests pin what must hold for any output, not a particular sentence; the guard
tests feed fixed texts through a scripted writer so that each guard's refusal is pinned exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtqa.core import Suggestion, apply_edits
from mtqa.document import decode
from mtqa.pipeline import Settings, active_detectors, build_context, check_document
from mtqa.rewrite import meaning
from mtqa.rewrite.freeform import additions, extract, to_edits
from mtqa.rewrite.review import review
from mtqa.rewrite.verify import MIN_GAIN
from mtqa.score.loader import load_generator

ORIGINAL = "The past few months have left thousands of people, mostly women and children, the village."


@pytest.mark.parametrize(
    ("output", "expected"),
    [
        ("Here's the corrected sentence:\n\nThe cat sat on the mat.", "The cat sat on the mat."),
        ("Corrected sentence: The cat sat on the mat.", "The cat sat on the mat."),
        ('"The cat sat on the mat."', "The cat sat on the mat."),
        ("The cat sat on mat.", None),  # unchanged: nothing to offer
        ("I changed the word order to keep subject-verb agreement.", None),  # a comment, not a rewrite
        ("", None),
    ],
)
def test_freeform_extract_keeps_the_line_that_rewrites_the_original(output, expected):
    assert extract(output, "The cat sat on mat.") == expected


def test_freeform_extract_keeps_a_quote_the_original_starts_with():
    original = '"We will go," he say.'
    assert extract('"We will go," he said.', original) == '"We will go," he said.'


WORDS = st.lists(st.sampled_from(["a", "b", "c", "dd", "e,", "F."]), max_size=8)


@settings(max_examples=300, deadline=None)
@given(WORDS, WORDS, st.integers(0, 50))
def test_freeform_edits_reproduce_the_rewrite_and_are_a_valid_suggestion(old, new, start):
    text, rewrite = " ".join(old), " ".join(new)
    edits = to_edits(text, start, rewrite)
    assert apply_edits(text, edits, start) == rewrite
    Suggestion(edits, "t", "generate")  # raises unless sorted and non-overlapping


def test_freeform_edits_touch_only_the_changed_words():
    edits = to_edits(ORIGINAL, 100, ORIGINAL.replace("children, the", "children, in the"))
    assert [(e.span.start - 100, e.replacement) for e in edits] == [(ORIGINAL.index("the village"), "in ")]


@pytest.mark.parametrize(
    ("original", "written", "reason"),
    [
        (
            "It ran from 23 October to 10 November.",
            "It ran from 23 October to 10 November 2019.",
            "adds a number: 2019",
        ),
        ("Waiting for the Liberator.", "The sentence should be: Waiting for the Liberator.", "adds words: sentence"),
        ("Ukraine will be walled off!", "Ukraine will not be walled off!", "changes a negation"),
        (
            "Patriarch Kirill contrasted Vladimir with wealth.",
            "Vladimir contrasted Vladimir with wealth.",
            "adds a name: Vladimir",
        ),
        ("The 9/11 commission report was out.", "The 9/11 Commission Report was out.", ""),
        ("The jihadist slaapcellen are active.", "The jihadist sleeper cells are active.", ""),
        (
            "Also warned the commander that cells still active are.",
            "The commander also warned that cells are still active.",
            "",
        ),
    ],
)
def test_freeform_additions_refuse_what_the_original_did_not_say(original, written, reason):
    """Moves and a leftover put into English pass; a new year, comment, clause or negation does not."""
    assert additions(original, written) == reason


@pytest.fixture(scope="module")
def generator():
    return load_generator()


def test_freeform_generator_writes_n_outputs_per_sentence(generator):
    written = generator.rewrite([ORIGINAL, "Also warned the commander that the cells still active are."], 2)
    assert [len(w) for w in written] == [2, 2]
    assert all(isinstance(t, str) and t.strip() for w in written for t in w)


def test_freeform_generator_loads_a_model_folder_as_for_model(generator):
    """`--model DIR` (any transformers causal LM) takes the folder path; here the default model's own cache."""
    from mtqa.score.loader import cache_folder, default_gguf, pick_dtype

    folder = cache_folder(default_gguf(), pick_dtype("auto"))
    other = load_generator(str(folder))
    assert other.name.startswith(folder.name.lower())
    assert other.rewrite([ORIGINAL], 1) == generator.rewrite([ORIGINAL], 1)


def test_freeform_candidates_pass_the_same_guards_as_rule_edits(scorer, generator, monkeypatch):
    """Whatever the model writes, an offered rewrite beat the original by the margin, kept every protected
    word outside the flagged spans and kept the meaning; it follows the rules' own suggestions."""
    import mtqa.pipeline

    monkeypatch.setitem(mtqa.pipeline._GENERATORS, (None, "auto"), generator)
    text = (
        f"{ORIGINAL}\n\nIslamic State is driven out of the village, report the fighters of the by the coalition "
        "Saturday.\n\nThe United States are sending more troops."
    )
    report = check_document(decode(text.encode(), "x.txt"), Settings(generate=2), scorer=scorer)
    written = [c for s in report.sentences for i in s.issues for c in i.candidates if c.origin == "generate"]
    assert written, "the model wrote no rewrite different from its sentence"
    for s in report.sentences:
        for issue in s.issues:
            origins = [x.origin for x in issue.suggestions]
            assert "generate" not in origins[: -origins.count("generate") or None]
            for c in issue.candidates:
                if c.origin != "generate":
                    continue
                assert apply_edits(s.text, c.edits, s.span.start) == c.text
                if c.accepted:
                    assert c.lm_gain >= MIN_GAIN and c.similarity >= meaning.MIN_SIMILARITY
                else:
                    assert c.reason in {"lm-margin", "meaning", "repeats a phrase"} or c.reason.startswith(
                        "lost words: "
                    )
    assert report.signature != check_document(decode(text.encode(), "x.txt"), Settings(), scorer=scorer).signature


class ScriptedWriter:
    """Writes fixed texts: the guards, not the model, are under test here."""

    name = "scripted"

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)

    def rewrite(self, texts: Sequence[str], n: int) -> list[list[str]]:
        return [self.texts[:n] for _ in texts]


@pytest.mark.parametrize(
    ("written", "reason"),
    [
        (ORIGINAL.replace("children, the", "children, in the"), ""),
        (
            ORIGINAL.replace("thousands", "hundreds").replace("children, the", "children, in the"),
            "lost words: thousands",
        ),
        (ORIGINAL.replace("the village.", "the village the village the village."), "repeats a phrase"),
        (ORIGINAL.replace("the village", "the the village"), "repeats a phrase"),
        (ORIGINAL.replace("have left", "left have"), "lm-margin"),
        (ORIGINAL.lower().replace("children, the", "children the"), "changes only capitals or punctuation"),
    ],
)
def test_freeform_guard_refuses_lost_words_and_weak_rewrites(scorer, written, reason):
    ctx = build_context(decode(ORIGINAL.encode(), "x.txt"), Settings(), scorer=scorer)
    issues = [i for d in active_detectors(Settings(), have_tags=bool(ctx.tags)) for i in d.detect(ctx)]
    assert issues, "the sentence should be flagged"
    out = review(ctx, issues, generator=ScriptedWriter([written]), generate=1)
    candidate = next(c for i in out for c in i.candidates if c.origin == "generate")
    assert candidate.reason.startswith(reason)
    offered = [s for i in out for s in i.suggestions if s.origin == "generate"]
    assert bool(offered) == (reason == "")
