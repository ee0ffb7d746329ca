"""mtqa check as a CI gate: baseline, diff-only mode, many files, per-file summaries, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from mtqa.gate import Changes, parse_diff
from tests.cli_util import run_cli as _run

LEFT = "The fight against the jihadist slaapcellen goes on."  # U101, major
LEFT2 = "The talks with the gemeenteraad went well."  # U101, major
CLEAN = "The council met on Monday."


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out)


def _issues(doc: dict) -> list[tuple[str, str, str]]:
    return [
        (i["code"], s["text"], i.get("waiver", "")) for f in doc["files"] for s in f["sentences"] for i in s["issues"]
    ]


# --- baseline ---------------------------------------------------------------------------------


def test_cli_gate_baseline_only_new_issues_fail(tmp_path, capsys) -> None:
    article = tmp_path / "story.txt"
    article.write_text(f"{LEFT}\n\n{CLEAN}\n")
    baseline = tmp_path / "baseline.json"
    assert _run(["check", "--no-lm", "-q", "--no-config", "--write-baseline", str(baseline), str(article)]) == 0
    capsys.readouterr()
    entries = json.loads(baseline.read_text())["issues"]
    assert [(e["code"], e["sentence"]) for e in entries] == [("U101", LEFT)]

    # lines move: still known
    article.write_text(f"Headline\n\n\n{CLEAN}\n\n{LEFT}\n")
    argv = ["check", "--no-lm", "-q", "--no-config", "--format", "json", "--baseline", str(baseline), str(article)]
    assert _run(argv) == 0
    doc = _json(capsys)
    assert _issues(doc) == [("U101", LEFT, "baseline")]
    assert doc["files"][0]["summary"]["waived"] == 1
    assert doc["summary"]["verdict"] == "pass"

    # a new issue fails, the old one is still shown and marked
    article.write_text(f"{LEFT}\n\n{LEFT2}\n")
    assert _run(argv) == 1
    assert _issues(_json(capsys)) == [("U101", LEFT, "baseline"), ("U101", LEFT2, "")]


def test_cli_gate_baseline_counts_repeats(tmp_path, capsys) -> None:
    article = tmp_path / "story.txt"
    article.write_text(f"{LEFT}\n")
    baseline = tmp_path / "b.json"
    _run(["check", "--no-lm", "-q", "--no-config", "--write-baseline", str(baseline), str(article)])
    article.write_text(f"{LEFT}\n\n{LEFT}\n")  # the same sentence twice: one is new
    assert _run(["check", "--no-lm", "-q", "--no-config", "--baseline", str(baseline), str(article)]) == 1


def test_cli_gate_table_marks_waived(tmp_path, capsys) -> None:
    article = tmp_path / "story.txt"
    article.write_text(f"{LEFT}\n")
    baseline = tmp_path / "b.json"
    _run(["check", "--no-lm", "-q", "--no-config", "--write-baseline", str(baseline), str(article)])
    capsys.readouterr()
    assert (
        _run(["check", "--no-lm", "-q", "--no-config", "--width", "200", "--baseline", str(baseline), str(article)])
        == 0
    )
    out = capsys.readouterr().out
    assert "(baseline: does not fail)" in out
    assert out.splitlines()[-1].endswith("1 waived by baseline or diff · PASS (nothing at or above major)")


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(None, "baseline {} does not exist. Create it with `mtqa check --write-baseline", id="missing"),
        pytest.param("{not json", "cannot be read", id="not-json"),
        pytest.param('{"issues": []}', "is not an mtqa baseline", id="not-a-baseline"),
    ],
)
def test_cli_gate_bad_baseline_exits_2(tmp_path, capsys, content: str | None, expected: str) -> None:
    article = tmp_path / "story.txt"
    article.write_text(f"{LEFT}\n")
    baseline = tmp_path / "b.json"
    if content is not None:
        baseline.write_text(content)
    assert _run(["check", "--no-lm", "--no-config", "--baseline", str(baseline), str(article)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert expected.format(baseline) in line


# --- diff mode -------------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args], cwd=repo, check=True, capture_output=True
    )


@pytest.fixture
def repo(tmp_path) -> Path:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    _git(tmp_path, "init", "-q")
    (tmp_path / "story.txt").write_text(f"{LEFT}\n\n{CLEAN}\n")
    _git(tmp_path, "add", "story.txt")
    _git(tmp_path, "commit", "-q", "-m", "first")
    return tmp_path


@pytest.mark.parametrize(
    ("new_text", "code", "waivers"),
    [
        pytest.param(f"{LEFT}\n\n{CLEAN}\n", 0, ["unchanged"], id="untouched"),
        pytest.param(f"{LEFT}\n\n{CLEAN}\n\n{LEFT2}\n", 1, ["unchanged", ""], id="new-sentence-fails"),
        pytest.param(f"Intro.\n\n{LEFT}\n\n{CLEAN}\n", 0, ["unchanged"], id="moved-down"),
        pytest.param(f"{LEFT} {CLEAN}\n", 1, [""], id="edited-line"),
    ],
)
def test_cli_gate_diff(repo, capsys, new_text: str, code: int, waivers: list[str]) -> None:
    (repo / "story.txt").write_text(new_text)
    argv = ["check", "--no-lm", "-q", "--no-config", "--format", "json", "--diff", "HEAD", str(repo / "story.txt")]
    assert _run(argv) == code
    assert [w for _, _, w in _issues(_json(capsys))] == waivers


def test_cli_gate_diff_untracked_file_is_all_new(repo, capsys) -> None:
    (repo / "new.txt").write_text(f"{LEFT}\n")
    assert _run(["check", "--no-lm", "-q", "--no-config", "--diff", "HEAD", str(repo / "new.txt")]) == 1


@pytest.mark.parametrize(
    ("where", "rev", "expected"),
    [
        pytest.param("outside", "HEAD", "--diff needs a git repository", id="not-a-repo"),
        pytest.param("repo", "no-such-rev", "'no-such-rev' is not a git revision", id="bad-rev"),
        pytest.param("stdin", "HEAD", "--diff cannot be used with standard input", id="stdin"),
    ],
)
def test_cli_gate_diff_errors(repo, tmp_path_factory, capsys, monkeypatch, where: str, rev: str, expected: str) -> None:
    if where == "outside":
        folder = tmp_path_factory.mktemp("plain")
        path = folder / "story.txt"
        path.write_text(f"{LEFT}\n")
        target = str(path)
        if subprocess.run(["git", "rev-parse"], cwd=folder, capture_output=True).returncode == 0:
            pytest.skip("the temporary folder is inside a git checkout")
    elif where == "stdin":
        import io

        class _Stdin:
            buffer = io.BytesIO(LEFT.encode())

        monkeypatch.setattr("sys.stdin", _Stdin())
        target = "-"
    else:
        target = str(repo / "story.txt")
    assert _run(["check", "--no-lm", "--no-config", "--diff", rev, target]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert expected in line


@pytest.mark.parametrize(
    ("diff", "touched", "untouched"),
    [
        pytest.param("@@ -3 +3 @@\n-a\n+b\n", [(3, 3), (1, 4)], [(1, 2), (4, 9)], id="one-line"),
        pytest.param("@@ -1,0 +2,3 @@\n+a\n+b\n+c\n", [(4, 4)], [(1, 1), (5, 6)], id="added"),
        pytest.param("@@ -5,2 +4,0 @@\n-a\n-b\n", [(4, 5)], [(1, 4), (5, 6)], id="deleted-inside-a-sentence"),
    ],
)
def test_gate_parse_diff(diff: str, touched, untouched) -> None:
    changes: Changes = parse_diff(diff)
    assert all(changes.touches(a, b) for a, b in touched)
    assert not any(changes.touches(a, b) for a, b in untouched)


# --- many files --------------------------------------------------------------------------------


@pytest.fixture
def folder(tmp_path) -> Path:
    (tmp_path / "a.txt").write_text(f"{LEFT}\n")
    (tmp_path / "b.md").write_text(f"# Title\n\n{CLEAN}\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "c.html").write_text(f"<html><body><p>{CLEAN}</p></body></html>")
    (tmp_path / "sub" / "notes.csv").write_text("a,b\n")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "d.txt").write_text(f"{LEFT}\n")
    return tmp_path


@pytest.mark.parametrize(
    ("args", "names"),
    [
        pytest.param(["."], ["a.txt", "b.md", "sub/c.html"], id="directory"),
        pytest.param(["*.md", "sub/*.html"], ["b.md", "sub/c.html"], id="globs"),
        pytest.param(["**/*.html", "b.md", "b.md"], ["sub/c.html", "b.md"], id="recursive-glob-dedup"),
        pytest.param(["sub/notes.csv"], ["sub/notes.csv"], id="named-file-any-suffix"),
    ],
)
def test_cli_gate_expands_files(folder, capsys, monkeypatch, args: list[str], names: list[str]) -> None:
    monkeypatch.chdir(folder)
    _run(["check", "--no-lm", "-q", "--no-config", "--format", "json", *args])
    doc = _json(capsys)
    assert [Path(f["input"]["name"]).as_posix().removeprefix("./") for f in doc["files"]] == names


def test_cli_gate_no_match_exits_2(folder, capsys, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    assert _run(["check", "--no-lm", "--no-config", "*.docx"]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "no files match '*.docx'" in line


def test_cli_gate_per_file_and_total_summary(folder, capsys, monkeypatch) -> None:
    monkeypatch.chdir(folder)
    assert _run(["check", "--no-lm", "-q", "--no-config", "--width", "200", "."]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-4:] == [
        "FAIL  a.txt: 1 sentences, 1 issues (0 critical, 1 major, 0 minor)",
        "pass  b.md: 2 sentences, 0 issues (0 critical, 0 major, 0 minor)",
        "pass  sub/c.html: 1 sentences, 0 issues (0 critical, 0 major, 0 minor)",
        "3 files · 4 sentences · 1 issues (0 critical, 1 major, 0 minor) · FAIL (an issue at or above major)",
    ]


@pytest.mark.parametrize("jobs", ["2"])
def test_cli_gate_jobs_same_result(folder, capsys, monkeypatch, jobs: str) -> None:
    monkeypatch.chdir(folder)
    assert _run(["check", "--no-lm", "-q", "--no-config", "--format", "json", "."]) == 1
    one = _json(capsys)
    assert _run(["check", "--no-lm", "-q", "--no-config", "--format", "json", "--jobs", jobs, "."]) == 1
    assert _json(capsys) == one


@pytest.mark.parametrize("jobs", ["2"])
def test_cli_gate_jobs_with_model(folder, capsys, monkeypatch, scorer, jobs: str) -> None:
    """Each worker loads the real model once; scores equal the single-process run."""
    monkeypatch.chdir(folder)
    _run(["check", "-q", "--no-config", "--format", "json", "a.txt", "b.md"])
    one = _json(capsys)
    _run(["check", "-q", "--no-config", "--format", "json", "--jobs", jobs, "a.txt", "b.md"])
    many = _json(capsys)
    scores = [s["score"] for f in one["files"] for s in f["sentences"]]
    assert [s["score"] for f in many["files"] for s in f["sentences"]] == pytest.approx(scores, abs=1e-3)
    assert _issues(many) == _issues(one)


# --- waived issues in the CI formats -----------------------------------------------------------


@pytest.fixture
def baselined(tmp_path, capsys) -> tuple[Path, Path]:
    article = tmp_path / "story.txt"
    article.write_text(f"{LEFT}\n")
    baseline = tmp_path / "b.json"
    _run(["check", "--no-lm", "-q", "--no-config", "--write-baseline", str(baseline), str(article)])
    article.write_text(f"{LEFT}\n\n{LEFT2}\n")
    capsys.readouterr()
    return article, baseline


def _formatted(capsys, fmt: str, article: Path, baseline: Path) -> str:
    argv = ["check", "--no-lm", "-q", "--no-config", "--format", fmt, "--baseline", str(baseline), str(article)]
    assert _run(argv) == 1
    return capsys.readouterr().out


def test_cli_gate_github_waived_are_notices(baselined, capsys) -> None:
    lines = _formatted(capsys, "github", *baselined).splitlines()
    assert [line.split(" ", 1)[0] for line in lines] == ["::notice", "::error"]
    assert "title=U101 untranslated-word (baseline)" in lines[0]


def test_cli_gate_sarif_baseline_state(baselined, capsys) -> None:
    from tests.test_render_sarif import validate_sarif

    log = json.loads(_formatted(capsys, "sarif", *baselined))
    validate_sarif(log)
    results = log["runs"][0]["results"]
    assert [(r["baselineState"], r["level"]) for r in results] == [("unchanged", "note"), ("new", "error")]


def test_cli_gate_junit_waived_do_not_fail(baselined, capsys) -> None:
    from tests.test_render_sarif import validate_junit

    xml = _formatted(capsys, "junit", *baselined)
    validate_junit(xml)
    assert xml.count("<failure") == 1


@pytest.mark.parametrize("rule", ["L101", "low-fluency-sentence"])
def test_cli_gate_selected_rule_that_cannot_run_exits_2(tmp_path, capsys, rule: str) -> None:
    article = tmp_path / "story.txt"
    article.write_text(f"{CLEAN}\n")
    assert _run(["check", "--no-lm", "--no-config", "--select", rule, str(article)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert "L101 was selected but cannot run (--no-lm is set)" in line


def test_cli_gate_selected_family_without_lm_runs_what_it_can(tmp_path, capsys) -> None:
    article = tmp_path / "story.txt"
    article.write_text(f"{LEFT}\n")
    assert _run(["check", "--no-lm", "-q", "--no-config", "--select", "U,L", str(article)]) == 1


def test_cli_gate_no_progress_bar_when_not_a_terminal(folder, capsys, monkeypatch) -> None:
    (folder / "e.txt").write_text(f"{CLEAN}\n")
    monkeypatch.chdir(folder)
    _run(["check", "--no-lm", "--no-config", "--format", "json", "."])
    err = capsys.readouterr().err
    assert "checking" not in err and "━" not in err
