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
    # math for discounting; numpy only inside the functions that were handed an array
    assert imported_modules(PACKAGE / "model.py") <= {"__future__", "dataclasses", "typing", "math", "numpy"}
    top_level = {alias.name for node in ast.parse((PACKAGE / "model.py").read_text(encoding="utf-8")).body
                 if isinstance(node, ast.Import) for alias in node.names}
    assert "numpy" not in top_level


# What each run imports: start-up time is mostly imports, so the lazy ones must stay lazy.

HEAVY = {"numpy", "matplotlib", "rich", "pydantic", "tempfile", "git"}
"""Modules a run that does not need them must not load (Typer itself loads difflib and subprocess)."""


def modules_imported_by(*arguments: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after `chipcalc ARGUMENTS`."""
    import subprocess
    import sys

    script = ("import sys\nfrom chipcalc.cli import main\nsys.argv = ['chipcalc', *sys.argv[1:]]\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "sys.stderr.write(' '.join(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", script, *arguments], capture_output=True, text=True,
                            cwd=ROOT, check=True)
    return set(result.stderr.split())


@pytest.mark.parametrize("arguments", [("--version",), ("--help",), ("compare", "--help")])
def test_version_and_help_import_none_of_the_model(arguments: tuple[str, ...]) -> None:
    loaded = modules_imported_by(*arguments)
    assert not loaded & {"chipcalc.loader", "chipcalc.model", "chipcalc.render.views", "yaml"}
    assert not loaded & HEAVY


@pytest.mark.parametrize("fmt", ["json", "table", "csv", "markdown"])
def test_compare_imports_nothing_heavy(fmt: str) -> None:
    # On a pipe the table is plain text: rich is for terminals only.
    assert not modules_imported_by("compare", "scenarios/h200-2026.yaml", "-f", fmt) & HEAVY
