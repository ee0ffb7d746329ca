"""The README's CI recipe holds: the seed fails the gate, its hand-corrected version passes; examples parse."""

from __future__ import annotations

import os
import re
import shlex

import pytest
import yaml

from mtqa.cli import build_parser
from mtqa.config import load_config
from tests.cli_util import run_cli as _run
from tests.conftest import ROOT

SEED = ROOT / "seeds" / "000_a13e9620616db678.txt"
CORRECTED = ROOT / "seeds" / "000_a13e9620616db678.corrected.txt"


@pytest.mark.parametrize(
    ("path", "code"),
    [
        pytest.param(SEED, 1, id="seed-fails"),
        pytest.param(CORRECTED, 0, id="corrected-passes"),
    ],
)
def test_ci_recipe_gate(capsys, scorer, path, code: int) -> None:
    assert _run(["check", "-q", "--no-config", str(path)]) == code, capsys.readouterr().out


@pytest.mark.parametrize("path", [CORRECTED])
def test_ci_recipe_corrected_has_no_rule_hits_without_lm(capsys, path) -> None:
    """Without the LM-confirmed rules, the corrected article is clean: no leftovers, chrome or false friends."""
    assert _run(["check", "-q", "--no-config", "--no-lm", "--ignore", "G104", str(path)]) == 0


def test_every_install_path_pins_torch() -> None:
    """pip resolving torch on its own pulls several GB of CUDA packages; 2.13.0 is the local CPU wheel."""
    import tomllib

    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert [d for d in deps if d.startswith("torch")] == ["torch==2.13.0"]
    assert "torch==2.13.0" in (ROOT / "constraints.txt").read_text().split()
    setup = (ROOT / "bin" / "setup").read_text()
    assert setup.index('"torch==2.13.0"') < setup.index('-e "$root[dev]"')  # torch first, then the rest


@pytest.mark.parametrize("name", [".pre-commit-hooks.yaml"])
def test_ci_recipe_pre_commit_hooks(name: str) -> None:
    hooks = yaml.safe_load((ROOT / name).read_text())
    assert [h["id"] for h in hooks] == ["mtqa", "mtqa-rules-only"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        argv = shlex.split(hook["entry"])
        # mtqa's own launcher: its first run installs with bin/setup, torch==2.13.0 pinned first
        assert hook["language"] == "script" and argv[0] == "bin/mtqa"
        assert os.access(ROOT / argv[0], os.X_OK)
        build_parser().parse_args([*argv[1:], "story.txt"])  # every option exists
        assert re.search(hook["files"], "news/story.md") and not re.search(hook["files"], "setup.py")


@pytest.mark.parametrize("name", ["examples/github-actions/mtqa.yml"])
def test_ci_recipe_workflow_commands_parse(name: str) -> None:
    workflow = yaml.safe_load((ROOT / name).read_text())
    steps = workflow["jobs"]["mtqa"]["steps"]
    # installed by bin/setup (torch==2.13.0 first, CPU index), never by a bare pip install of mtqa
    install = next(s for s in steps if s.get("name") == "Install mtqa")
    assert "bin/setup" in install["run"] and "download.pytorch.org/whl/cpu" in install["env"]["MTQA_TORCH_INDEX"]
    assert not any("pip install" in str(s.get("run", "")) for s in steps)
    commands = [s["run"] for s in steps if str(s.get("run", "")).startswith("mtqa ")]
    assert len(commands) == 3
    for command in commands:
        argv = shlex.split(command.replace("${{ github.base_ref }}", "main"))
        build_parser().parse_args(argv[1:])


@pytest.mark.parametrize("name", ["examples/mtqa.toml"])
def test_ci_recipe_example_config_is_valid(name: str) -> None:
    config = load_config(ROOT / name)
    assert config.ignore == ("L102",)
    assert "mustafa bali" in config.words()
