"""Pin the one-way data flow of STYLE.md: which modules may import which."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "mtqa"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return {n for n in names if n.startswith("mtqa")}


def test_architecture_core_imports_nothing_from_mtqa():
    assert _imports(PACKAGE / "core.py") == set()


@pytest.mark.parametrize("path", sorted((PACKAGE / "render").glob("*.py")), ids=lambda p: p.name)
def test_architecture_renderers_import_only_core_and_report(path):
    renderers = ("table", "json_format", "sarif", "github", "junit", "html")
    allowed = {"mtqa.core", "mtqa.report", "mtqa.render", *(f"mtqa.render.{name}" for name in renderers)}
    assert _imports(path) <= allowed


@pytest.mark.parametrize("path", sorted((PACKAGE / "detect").glob("*.py")), ids=lambda p: p.name)
def test_architecture_detectors_never_print(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "print"]
    assert not calls
