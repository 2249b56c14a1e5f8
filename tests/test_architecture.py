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


# Layers, low to high: a module may import its own layer and lower ones, never a higher one.
# A module's layer is its first name under chipcalc/ (chipcalc/loader/marks.py is `loader`), so new
# modules inside a package are covered as they are written; a new top-level one must be placed here.
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"safe", "errors", "values", "spec", "scenario", "paths", "schema", "fileio", "batch"}),
    frozenset({"loader"}),
    frozenset({"model", "kinds"}),  # kinds reads the display kinds off the model's result fields
    frozenset({"analysis"}),
    frozenset({"documents"}),
    frozenset({"render"}),
    frozenset({"__init__"}),  # the public API, which imports every layer below it lazily
    frozenset({"cli", "process", "__main__"}),
)
PENDING: set[tuple[str, str]] = set()
"""Known crossings, each to go (none today): listed so that the test fails once one is gone."""
THIRD_PARTY = {
    "typer": ("cli",),
    "rich": ("cli", "render/terminal.py"),
    "yaml": ("loader",),
}
"""Who may import each heavy library: a layer name (the module or package) or one module's path."""


def package_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer_of(name: str) -> int:
    """The rank in LAYERS of module `chipcalc.X...` (chipcalc itself is its `__init__`)."""
    top = name.split(".")[1] if "." in name else "__init__"
    ranks = [rank for rank, layer in enumerate(LAYERS) if top in layer]
    assert ranks, f"chipcalc/{top} is in no layer: add it to LAYERS in tests/test_architecture.py"
    return ranks[0]


def imports_of(path: Path) -> list[tuple[str, int]]:
    """Every module `path` imports, at any depth (functions, TYPE_CHECKING), with its line;
    relative imports resolved, `from . import x` taken as the submodule x where there is one."""
    package = module_name(path).split(".") if path.name == "__init__.py" else module_name(path).split(".")[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                is_module = (ROOT / Path(*submodule.split("."))).with_suffix(".py").exists() or \
                    (ROOT / Path(*submodule.split("."))).is_dir()
                found.append((submodule if is_module else module, node.lineno))
    return found


def test_module_names_resolve() -> None:
    assert module_name(PACKAGE / "analysis" / "__init__.py") == "chipcalc.analysis"
    assert module_name(PACKAGE / "__init__.py") == "chipcalc"
    assert ("chipcalc.documents.base", 18) in imports_of(PACKAGE / "documents" / "__init__.py")  # from .base import
    assert ("chipcalc", 16) in imports_of(PACKAGE / "cli" / "group.py")  # from .. import (a name, not a module)
    assert any(name == "chipcalc.model" for name, _ in imports_of(PACKAGE / "cli" / "common.py"))  # in a function
    assert layer_of("chipcalc.loader.marks") == layer_of("chipcalc.loader") < layer_of("chipcalc.model")


def test_no_layer_imports_a_higher_one() -> None:
    crossings = set()
    for path in package_modules():
        importer = module_name(path)
        for imported, line in imports_of(path):
            if imported.split(".")[0] == "chipcalc" and layer_of(imported) > layer_of(importer):
                crossings.add((importer, imported, line))
    unexpected = sorted(c for c in crossings if c[:2] not in PENDING)
    assert not unexpected, "lower layers import higher ones:\n" + "\n".join(
        f"{importer} (line {line}) imports {imported}" for importer, imported, line in unexpected)
    assert {c[:2] for c in crossings} == PENDING, "a PENDING crossing is gone: remove it from the list"


def may_import(path: Path, allowed: tuple[str, ...]) -> bool:
    relative = path.relative_to(PACKAGE).as_posix()
    return any(relative == rule or relative.split("/")[0] in (rule, f"{rule}.py") for rule in allowed)


@pytest.mark.parametrize("library", sorted(THIRD_PARTY))
def test_heavy_libraries_stay_in_their_modules(library: str) -> None:
    users = {path.relative_to(PACKAGE).as_posix() for path in package_modules()
             if any(name.split(".")[0] == library for name, _ in imports_of(path))}
    allowed = {user for user in users if may_import(PACKAGE / user, THIRD_PARTY[library])}
    assert users - allowed == set(), f"{library} imported outside {THIRD_PARTY[library]}"
    assert allowed, f"no module imports {library}: is the rule stale?"


def test_the_rules_know_packages_from_modules() -> None:
    assert may_import(PACKAGE / "loader" / "marks.py", ("loader",))
    assert may_import(PACKAGE / "loader.py", ("loader",))
    assert may_import(PACKAGE / "render" / "terminal.py", THIRD_PARTY["rich"])
    assert not may_import(PACKAGE / "render" / "text.py", THIRD_PARTY["rich"])
    assert not may_import(PACKAGE / "loaders.py", ("loader",))


def test_model_imports_only_the_scenario_types() -> None:
    # math for discounting; numpy only inside the functions that were handed an array
    for path in (PACKAGE / "model").glob("*.py"):
        assert imported_modules(path) <= {"__future__", "dataclasses", "typing", "math", "numpy"}, path.name
        top_level = {alias.name for node in ast.parse(path.read_text(encoding="utf-8")).body
                     if isinstance(node, ast.Import) for alias in node.names}
        assert "numpy" not in top_level, path.name


# What each run imports: start-up time is mostly imports, so the lazy ones must stay lazy.

HEAVY = {"numpy", "scipy", "highspy", "matplotlib", "rich", "pydantic", "tempfile", "git"}
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


def test_version_is_answered_before_typer_is_imported() -> None:
    assert not modules_imported_by("--version") & {"typer", "click", "chipcalc.cli.group"}
    assert "typer" in modules_imported_by("--debug", "--version")  # elsewhere, the root app's eager option


@pytest.mark.parametrize(("arguments", "family"), [(("compare", "--help"), "tables"),
                                                   (("sweep", "--help"), "whatif"),
                                                   (("diff", "--help"), "reports")])
def test_a_run_builds_only_its_own_command(arguments: tuple[str, ...], family: str) -> None:
    families = {name for name in modules_imported_by(*arguments) if name.startswith("chipcalc.cli.")}
    assert families == {"chipcalc.cli.group", "chipcalc.cli.common", f"chipcalc.cli.{family}"}


def test_the_help_lists_every_command_of_every_family() -> None:
    from chipcalc.cli import group, reports, tables, whatif

    registered = {info.name: module.__name__.rsplit(".", 1)[1]
                  for module in (tables, whatif, reports) for info in module.app.registered_commands}
    assert registered == group.COMMANDS
    assert {"chipcalc.cli.tables", "chipcalc.cli.whatif", "chipcalc.cli.reports"} <= modules_imported_by("-h")


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


def test_completing_a_command_builds_only_that_command(monkeypatch: pytest.MonkeyPatch) -> None:
    # the shell asks on every Tab: completing sweep's options imports sweep's family alone
    for name, value in {"_CHIPCALC_COMPLETE": "complete_bash", "COMP_WORDS": "chipcalc sweep --me",
                        "COMP_CWORD": "2"}.items():
        monkeypatch.setenv(name, value)
    loaded = modules_imported_by()
    assert {name for name in loaded if name.startswith("chipcalc.cli.")} == {
        "chipcalc.cli.group", "chipcalc.cli.common", "chipcalc.cli.whatif"}
    assert not loaded & HEAVY
