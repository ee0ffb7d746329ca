"""The rewrite benchmarks' own metrics: JFLEG GLEU and the (de)tokeniser round trip."""

from __future__ import annotations

import pytest

from benchmarks.rewrite_jfleg import corpus_gleu, detokenize, gleu_from_stats, gleu_stats, tokenize


@pytest.mark.parametrize(
    ("tokenised", "text"),
    [
        ("So I think we can not live .", "So I think we can not live."),
        ("It is n't easy , is it ?", "It isn't easy, is it?"),
        ("The student 's book ( blue ) .", "The student's book (blue)."),
    ],
)
def test_benchmarks_rewrite_detokenize(tokenised, text):
    assert detokenize(tokenised) == text
    assert tokenize(text) == tokenised.split()


def test_benchmarks_rewrite_gleu_of_a_reference_is_100():
    refs = [["the cat sat on the mat .".split()] * 4, ["a dog barked at me .".split()] * 4]
    srcs = [["the cat sit on mat .".split()], ["a dog bark at me .".split()]]
    assert corpus_gleu([r[0] for r in refs], [s[0] for s in srcs], refs)["gleu"] == 100.0


def test_benchmarks_rewrite_gleu_penalises_keeping_source_errors():
    src, ref = "he go to school .".split(), "he goes to school .".split()
    kept = gleu_from_stats(gleu_stats(src, src, ref))
    fixed = gleu_from_stats(gleu_stats(ref, src, ref))
    assert kept < fixed == 1.0


def test_benchmarks_rewrite_mlqe_leaves_page_chrome_to_the_page_cleaner():
    """rewrite_mlqe ignores boilerplate rules: a post-edited sentence is content, and deleting it is not a rewrite."""
    from benchmarks.rewrite_common import rewrite_texts
    from mtqa.pipeline import Settings

    text = "Click here to learn how to disable tracking on an Android phone."
    default, _ = rewrite_texts([text], Settings())
    kept, _ = rewrite_texts([text], Settings(ignore=("other/boilerplate",)))
    assert (default[0].text, default[0].codes) == ("", ("B101",))
    assert (kept[0].text, kept[0].codes) == (text, ())
