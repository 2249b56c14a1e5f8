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
    ("rich", {"cli.py", "terminal.py"}),
])
def test_heavy_libraries_stay_in_their_modules(library: str, allowed: set[str]) -> None:
    users = {path.name for path in PACKAGE.rglob("*.py") if library in imported_modules(path)}
    assert users <= allowed, f"{library} imported outside {allowed}: {users - allowed}"


def test_model_imports_only_the_scenario_types() -> None:
    assert imported_modules(PACKAGE / "model.py") <= {"__future__", "dataclasses", "typing"}


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
    assert not loaded & {"chipcalc.loader", "chipcalc.model", "chipcalc.documents", "chipcalc.kinds", "yaml"}
    assert not loaded & HEAVY


@pytest.mark.parametrize("fmt", ["json", "table", "csv", "markdown"])
def test_compare_imports_nothing_heavy(fmt: str) -> None:
    # On a pipe the table is plain text: rich is for terminals only.
    assert not modules_imported_by("compare", "scenarios/h200-2026.yaml", "-f", fmt) & HEAVY


def chipcalc_modules_imported(path: Path) -> set[str]:
    """The chipcalc modules `path` imports (relative imports resolved against its package)."""
    package = path.relative_to(ROOT).with_suffix("").parts[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package[:len(package) - node.level + 1]
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.update([module] if node.module else [f"{module}.{alias.name}" for alias in node.names])
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("chipcalc"):
            names.add(node.module)
    return names


def test_documents_import_nothing_from_render() -> None:
    # The JSON/CSV contract is below presentation: diff and the library build on it.
    for path in (PACKAGE / "documents").glob("*.py"):
        render = {name for name in chipcalc_modules_imported(path) if name.startswith("chipcalc.render")}
        assert not render, f"{path.name} imports {render}"


def test_the_layering_check_sees_relative_imports() -> None:
    sections = PACKAGE / "render" / "sections" / "compare.py"
    assert "chipcalc.render.layout" in chipcalc_modules_imported(sections)
    assert "chipcalc.model" in chipcalc_modules_imported(PACKAGE / "documents" / "compare.py")
