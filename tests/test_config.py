"""Configuration: discovery, validation errors (exit 2, file + line + what is valid), origins, overrides."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mtqa.config import Config, ConfigError, find_config, parse_config, resolve
from mtqa.core import Severity
from mtqa.gate import enabled_codes
from mtqa.rules import CATALOGUE
from tests.cli_util import run_cli as _run

LEFTOVER = "The fight against the jihadist slaapcellen goes on.\n"


def _project(tmp_path: Path, config: str, name: str = "mtqa.toml") -> Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / name).write_text(config, encoding="utf-8")
    article = tmp_path / "news" / "story.txt"
    article.parent.mkdir()
    article.write_text(LEFTOVER, encoding="utf-8")
    return article


# --- discovery ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        pytest.param({"mtqa.toml": 'fail-on = "minor"\n'}, "mtqa.toml", id="mtqa-toml"),
        pytest.param({"pyproject.toml": '[tool.mtqa]\nfail-on = "minor"\n'}, "pyproject.toml", id="pyproject"),
        pytest.param(
            {"mtqa.toml": 'fail-on = "minor"\n', "pyproject.toml": "[tool.mtqa]\n"}, "mtqa.toml", id="mtqa-wins"
        ),
        pytest.param({"pyproject.toml": "[project]\nname = 'x'\n"}, None, id="pyproject-without-tool-mtqa"),
    ],
)
def test_config_find_walks_up(tmp_path, files: dict[str, str], expected: str | None) -> None:
    (tmp_path / ".git").mkdir()
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    found = find_config(deep / "story.txt")
    assert (found.name if found else None) == expected


@pytest.mark.parametrize("where", ["above-git-root"])
def test_config_find_stops_at_git_root(tmp_path, where: str) -> None:
    (tmp_path / "mtqa.toml").write_text('fail-on = "minor"\n')
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert find_config(repo / "story.txt") is None


# --- malformed config: exit 2 with file, line and what is valid ------------------------------


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        pytest.param('fial-on = "major"\n', ["line 1", "unknown key 'fial-on'", "Valid keys:", "fail-on"], id="key"),
        pytest.param("\nfail-on = 3\n", ["line 2", "fail-on must be a string, not an integer"], id="type"),
        pytest.param(
            'fail-on = "severe"\n', ["line 1", "unknown severity 'severe'", "minor, major, critical"], id="sev"
        ),
        pytest.param('select = ["U", "Z999"]\n', ["line 1", "'Z999' matches no rule", "mtqa rules"], id="code"),
        pytest.param('ignore = "B1O1"\n', ["'B1O1' matches no rule"], id="typo-code"),
        pytest.param('source-lang = "xx"\n', ["source-lang 'xx' is not available", "nl"], id="lang"),
        pytest.param('allow-words = ["missing.txt"]\n', ["allow-words file 'missing.txt' does not exist"], id="file"),
        pytest.param("select = [1, 2]\n", ["select must be a list of strings"], id="list-type"),
        pytest.param("[thresholds]\nslor = 1.0\n", ["line 2", "unknown threshold 'slor'", "slor-z-major"], id="thr"),
        pytest.param(
            '[thresholds]\nslor-z-major = "low"\n', ["threshold slor-z-major must be a number"], id="thr-type"
        ),
        pytest.param("[thresholds]\nslor-major = -4.0\n", ["line 2", "was replaced by slor-z-major"], id="thr-renamed"),
        pytest.param("select = [\n", ["not valid TOML", "line"], id="syntax"),
        pytest.param('per-file-ignores = ["B"]\n', ["per-file-ignores must be a table"], id="pfi"),
    ],
)
def test_config_malformed_exits_2(tmp_path, capsys, config: str, expected: list[str]) -> None:
    article = _project(tmp_path, config)
    assert _run(["check", "--no-lm", str(article)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "Traceback" not in err
    (line,) = err.splitlines()
    assert line.startswith(f"error: {tmp_path / 'mtqa.toml'}")
    for part in expected:
        assert part in line


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        pytest.param('[tool.mtqa]\nfial-on = "major"\n', ["line 2", "unknown key 'fial-on' in [tool.mtqa]"], id="key"),
        pytest.param("[tool]\nmtqa = 3\n", ["tool.mtqa must be a table"], id="not-table"),
    ],
)
def test_config_malformed_pyproject(tmp_path, capsys, config: str, expected: list[str]) -> None:
    article = _project(tmp_path, config, name="pyproject.toml")
    assert _run(["config", str(article)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    for part in expected:
        assert part in line


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        pytest.param(["--select", "Z"], "--select: 'Z' matches no rule", id="select"),
        pytest.param(["--ignore", "U101,nonsense"], "--ignore: 'nonsense' matches no rule", id="ignore"),
        pytest.param(["--allow-words", "/nonexistent/words.txt"], "word list /nonexistent/words.txt", id="words"),
        pytest.param(["--config", "/nonexistent/mtqa.toml"], "/nonexistent/mtqa.toml cannot be read", id="config"),
    ],
)
def test_config_bad_command_line_exits_2(tmp_path, capsys, argv: list[str], expected: str) -> None:
    article = tmp_path / "a.txt"
    article.write_text(LEFTOVER)
    assert _run(["check", "--no-lm", *argv, str(article)]) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert expected in line


# --- the parser never crashes ------------------------------------------------------------------

_scalar = st.one_of(
    st.text(max_size=12), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.booleans()
)
_value = st.one_of(_scalar, st.lists(_scalar, max_size=4), st.lists(st.sampled_from(["U", "W1", "B101", "x"])))
_keys = st.one_of(
    st.sampled_from(["select", "ignore", "fail-on", "source-lang", "allow", "model", "thresholds"]), st.text(max_size=8)
)


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return repr(value)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_config_parser_never_crashes_on_text(text: str) -> None:
    for name in ("mtqa.toml", "pyproject.toml"):
        with contextlib.suppress(ConfigError):
            parse_config(text, Path("/nonexistent") / name)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(_keys, _value, max_size=5))
def test_config_parser_never_crashes_on_tables(table: dict[str, object]) -> None:
    text = "".join(f"{json.dumps(k)} = {_toml(v)}\n" for k, v in table.items())
    try:
        config = parse_config(text, Path("/nonexistent/mtqa.toml"))
    except ConfigError as exc:
        assert str(exc).startswith("/nonexistent/mtqa.toml")
    else:
        assert isinstance(config, Config)


# --- origins and overrides ---------------------------------------------------------------------


def test_config_command_prints_origins(tmp_path, capsys) -> None:
    (tmp_path / "names.txt").write_text("# house names\nBaghuz\n")
    article = _project(
        tmp_path,
        'fail-on = "critical"\nignore = ["B1"]\nallow-words = ["names.txt"]\n[thresholds]\nslor-z-major = -4.5\n',
    )
    assert _run(["config", "--select", "U,W", "--fail-on", "minor", str(article)]) == 0
    out = capsys.readouterr().out
    config = str(tmp_path / "mtqa.toml")
    lines = {line.split(" = ")[0]: line for line in out.splitlines()[1:]}
    assert out.splitlines()[0] == f"# config file: {config}"
    assert lines["fail-on"].endswith('"minor"  # command line') or '"minor"' in lines["fail-on"]
    assert lines["fail-on"].endswith("# command line")
    assert lines["select"].split("#")[0].strip() == 'select = ["U", "W"]'
    assert lines["ignore"].endswith(f"# {config}")
    assert lines["allow-words"].endswith(f"# {config}")
    assert lines["thresholds.slor-z-major"].startswith("thresholds.slor-z-major = -4.5")
    assert lines["thresholds.slor-z-minor"].endswith("# default (mtqa/rules/thresholds.toml)")
    assert lines["source-lang"].endswith("# default")


def test_config_command_without_file(tmp_path, capsys, monkeypatch) -> None:
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    assert _run(["config"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# no config file found above")
    assert 'fail-on = "major"' in out


@pytest.mark.parametrize(
    ("config", "argv", "code"),
    [
        pytest.param('fail-on = "critical"\n', [], 0, id="file-relaxes"),
        pytest.param('fail-on = "critical"\n', ["--fail-on", "major"], 1, id="command-line-wins"),
        pytest.param('ignore = ["U101"]\n', [], 0, id="file-ignores"),
        pytest.param('ignore = ["U"]\n', ["--select", "U101"], 1, id="select-code-beats-ignore-prefix"),
        pytest.param('allow = ["slaapcellen"]\n', [], 0, id="allow"),
        pytest.param('per-file-ignores = {"news/*.txt" = ["accuracy"]}\n', [], 0, id="per-file-ignores"),
        pytest.param('per-file-ignores = {"other/*.txt" = ["accuracy"]}\n', [], 1, id="per-file-ignores-other"),
        pytest.param("", ["--no-config"], 1, id="no-config"),
    ],
)
def test_config_applies_to_check(tmp_path, capsys, config: str, argv: list[str], code: int) -> None:
    article = _project(tmp_path, config)
    assert _run(["check", "--no-lm", "-q", *argv, str(article)]) == code, capsys.readouterr()


def test_config_word_list_file_applies(tmp_path, capsys) -> None:
    (tmp_path / "words.txt").write_text("# loanwords we accept\n\nSlaapcellen\n")
    article = _project(tmp_path, 'allow-words = ["words.txt"]\n')
    assert _run(["check", "--no-lm", "-q", str(article)]) == 0
    assert _run(["check", "--no-lm", "-q", "--no-config", str(article)]) == 1
    assert (
        _run(["check", "--no-lm", "-q", "--no-config", "--allow-words", str(tmp_path / "words.txt"), str(article)]) == 0
    )


def test_config_signature_pins_non_default_rules(tmp_path, capsys) -> None:
    article = _project(tmp_path, 'ignore = ["B1"]\n')
    _run(["check", "--no-lm", "--format", "json", str(article)])
    with_config = json.loads(capsys.readouterr().out)["signature"]
    _run(["check", "--no-lm", "--format", "json", "--no-config", str(article)])
    without = json.loads(capsys.readouterr().out)["signature"]
    assert "|config#" in with_config
    assert "config#" not in without


# --- selection: the most specific selector wins ------------------------------------------------


@pytest.mark.parametrize(
    ("select", "ignore", "on", "off"),
    [
        pytest.param((), (), {"U101", "W101", "X101"}, set(), id="default-all"),
        pytest.param(("U",), (), {"U101"}, {"W101", "B101"}, id="prefix"),
        pytest.param(("U", "W1"), ("W101",), {"U101", "W102"}, {"W101"}, id="code-beats-prefix"),
        pytest.param(("W101",), ("W",), {"W101"}, {"W102"}, id="select-code-beats-ignore-prefix"),
        pytest.param((), ("accuracy",), {"W101"}, {"U101", "M101"}, id="category"),
        pytest.param(("accuracy/untranslated",), (), {"U101"}, {"M101"}, id="subcategory"),
        pytest.param((), ("untranslated-word",), {"W101"}, {"U101"}, id="name"),
        pytest.param(("U",), ("U",), set(), {"U101"}, id="tie-ignores"),
    ],
)
def test_config_selection_longest_match_wins(select, ignore, on: set[str], off: set[str]) -> None:
    enabled = enabled_codes(tuple(select), tuple(ignore))
    assert on <= enabled
    assert not (off & enabled)


def test_config_resolve_keeps_file_lists() -> None:
    base = Config(ignore=("B1",), allow=("Baghuz",), origins={"ignore": "f.toml", "allow": "f.toml"})
    merged = resolve(base, ignore=["W101"], allow=["Raqqa"], fail_on="critical")
    assert merged.ignore == ("B1", "W101")
    assert merged.allow == ("Baghuz", "Raqqa")
    assert merged.fail_on is Severity.CRITICAL
    assert merged.origin("ignore") == "command line"
    assert merged.origin("select") == "default"


def test_config_every_rule_selectable_by_code_and_name() -> None:
    for code, rule in CATALOGUE.items():
        assert enabled_codes((code,), ()) == {code}
        assert enabled_codes((rule.name,), ()) == {code}
