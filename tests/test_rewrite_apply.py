"""Applying suggestions: edits stay inside their spans, fix writes a copy atomically, input is untouched."""

from __future__ import annotations

import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtqa.cli import main
from mtqa.core import Edit, Span, apply_edits
from tests.cli_util import run_cli
from tests.conftest import SEED


@st.composite
def text_and_edits(draw):
    text = draw(st.text(min_size=0, max_size=80))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    edits = []
    for a, b in zip(cuts[::2], cuts[1::2]):
        edits.append(Edit(Span(a, b), draw(st.text(max_size=5))))
    return text, edits


@settings(max_examples=300, deadline=None)
@given(text_and_edits())
def test_rewrite_apply_edits_change_nothing_outside_their_spans(case):
    text, edits = case
    out = apply_edits(text, edits)
    pos = 0
    for edit in edits:  # every untouched stretch of the input appears, in order, in the output
        kept = text[pos : edit.span.start]
        assert kept in out
        pos = edit.span.end
    assert out.endswith(text[pos:])
    assert len(out) == len(text) - sum(len(e.span) for e in edits) + sum(len(e.replacement) for e in edits)


def test_rewrite_fix_writes_a_corrected_copy_and_leaves_the_input(scorer, tmp_path, capsys):
    article = tmp_path / "seed.txt"
    article.write_bytes(SEED.read_bytes())
    before = (article.read_bytes(), os.stat(article).st_mtime_ns)
    out = tmp_path / "fixed.txt"
    assert main(["fix", str(article), "-o", str(out), "-q"]) == 0
    assert (article.read_bytes(), os.stat(article).st_mtime_ns) == before
    fixed = out.read_text(encoding="utf-8")
    assert "With the fall of this stronghold, the so-called caliphate comes to an end." in fixed
    assert "IS controlled the area" in fixed
    assert "the jihadist sleeper cells" in fixed
    assert "of the by the" not in fixed
    assert "Follow us" not in fixed and "Most popular" not in fixed
    assert fixed.rstrip().endswith("The terrorist group took advantage of the Syrian civil war.")


@pytest.mark.parametrize(("min_confidence", "changed"), [("1.01", False), ("0", True)])
def test_rewrite_fix_min_confidence_skips_less_confident_issues(scorer, tmp_path, capsys, min_confidence, changed):
    article = tmp_path / "a.txt"
    original = "The talks were echter successful.\n\nFollow us\n"
    article.write_text(original, encoding="utf-8")
    out = tmp_path / "fixed.txt"
    assert main(["fix", str(article), "-o", str(out), "--min-confidence", min_confidence]) == 0
    assert (out.read_text(encoding="utf-8") != original) is changed
    err = capsys.readouterr().err
    assert ("applied 0 suggestions" in err) is not changed
    assert "no safe rewrite found for" in err


def test_rewrite_fix_in_place_keeps_a_backup(scorer, tmp_path):
    article = tmp_path / "a.txt"
    original = "The talks were echter successful.\n\nFollow us\n"
    article.write_text(original, encoding="utf-8")
    assert main(["fix", "--in-place", "-q", str(article)]) == 0
    assert (tmp_path / "a.txt.orig").read_text(encoding="utf-8") == original
    assert "Follow us" not in article.read_text(encoding="utf-8")


def test_rewrite_fix_unwritable_target_is_an_error_and_input_survives(scorer, tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Follow us\n", encoding="utf-8")
    assert main(["fix", str(article), "-o", str(tmp_path / "missing-dir" / "out.txt")]) == 2
    assert capsys.readouterr().err.startswith("error: could not write")
    assert article.read_text(encoding="utf-8") == "Follow us\n"


def test_rewrite_fix_refuses_html(tmp_path, capsys):
    page = tmp_path / "a.html"
    page.write_text("<html><body><p>Follow us</p></body></html>", encoding="utf-8")
    assert main(["fix", str(page), "-o", str(tmp_path / "out.html")]) == 2
    assert "HTML" in capsys.readouterr().err


def test_fix_thorough_and_generate_reach_the_pipeline(scorer, tmp_path):
    """`mtqa fix --thorough` runs W103 (it was parsed but not passed on before); `--generate` is validated."""
    src = tmp_path / "a.txt"
    src.write_text("The revolution inspired many workers to start own their revolution.\n", encoding="utf-8")
    out = tmp_path / "b.txt"
    assert run_cli(["fix", str(src), "-o", str(out), "--thorough", "-q"]) == 0
    assert "their own revolution" in out.read_text(encoding="utf-8")
    assert run_cli(["fix", str(src), "-o", str(out), "--generate", "99"]) == 2


def test_fix_reads_the_config_file_and_rule_options_as_check_does(scorer, tmp_path):
    """An ignored rule fixes nothing: `fix` resolves its settings through the same config path as `check`."""
    src = tmp_path / "a.txt"
    src.write_text("The battle was fierce.\n\nFollow us\n", encoding="utf-8")
    out = tmp_path / "b.txt"
    assert run_cli(["fix", str(src), "-o", str(out), "-q"]) == 0
    assert "Follow us" not in out.read_text(encoding="utf-8")  # B101 web chrome deleted
    (tmp_path / "mtqa.toml").write_text('ignore = ["B101"]\n', encoding="utf-8")
    assert run_cli(["fix", str(src), "-o", str(out), "-q"]) == 0
    assert "Follow us" in out.read_text(encoding="utf-8")
    assert run_cli(["fix", str(src), "-o", str(out), "-q", "--no-config"]) == 0
    assert "Follow us" not in out.read_text(encoding="utf-8")
    assert run_cli(["fix", str(src), "-o", str(out), "-q", "--no-config", "--ignore", "B101"]) == 0
    assert "Follow us" in out.read_text(encoding="utf-8")
