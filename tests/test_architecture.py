"""The layering STYLE.md asks for, checked: a pure model, YAML in the loader only."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from .conftest import ROOT

PACKAGE = ROOT / "chipcalc"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(("library", "allowed"), [
    ("yaml", {"loader.py"}),
    ("typer", {"cli.py"}),
    ("rich", {"cli.py", "table.py"}),
])
def test_heavy_libraries_stay_in_their_modules(library: str, allowed: set[str]) -> None:
    users = {path.name for path in PACKAGE.rglob("*.py") if library in imported_modules(path)}
    assert users <= allowed, f"{library} imported outside {allowed}: {users - allowed}"


def test_model_imports_only_the_scenario_types() -> None:
    assert imported_modules(PACKAGE / "model.py") <= {"__future__", "dataclasses", "typing"}
