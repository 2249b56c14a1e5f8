"""The README is a user's manual: its examples are real output, its set-up commands are CI's.

Every ```console block whose first line is `$ chipcalc ...` is run and its
output compared; `pytest --update-golden` rewrites the blocks from the
current output. The scenario format's key tables come from the specs.
"""

from __future__ import annotations

import glob
import re
import shlex
import shutil

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app
from chipcalc.render.reference import format_reference

from .conftest import ROOT

README = ROOT / "README.md"
BLOCK = re.compile(r"```console\n\$ (chipcalc [^\n]*)\n(.*?)```", re.S)
KEYS = re.compile(r"(<!-- keys: generated from chipcalc/scenario.py -->\n)(.*?)(<!-- end keys -->)", re.S)


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    """Run the examples in a copy of the repository's data, so those that write touch nothing here."""
    for folder in ("scenarios", "reports", "tests/invalid"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("FORCE_COLOR", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


def run(command: str) -> str:
    """The output a user sees, with the shell's glob expansion of `scenarios/*.yaml`."""
    words = [match for word in shlex.split(command)[1:]
             for match in (sorted(glob.glob(word)) if "*" in word else [word])]
    return CliRunner().invoke(app, words).output


def test_readme_examples_are_real_output(request: pytest.FixtureRequest) -> None:
    text = README.read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    assert len(blocks) >= 6, "the README shows every command with its output"
    if request.config.getoption("--update-golden"):
        updated = BLOCK.sub(lambda m: f"```console\n$ {m.group(1)}\n{run(m.group(1))}```", text)
        updated = KEYS.sub(lambda m: m.group(1) + format_reference() + m.group(3), updated)
        README.write_text(updated, encoding="utf-8")
        return
    for command, shown in blocks:
        assert run(command) == shown, f"README output of `{command}` is stale: run pytest --update-golden"


def test_readme_documents_every_key_from_the_specs() -> None:
    match = KEYS.search(README.read_text(encoding="utf-8"))
    assert match, "README has the generated keys section"
    assert match.group(2) == format_reference(), "README keys are stale: run pytest --update-golden"


def test_readme_set_up_commands_are_what_ci_runs() -> None:
    text = README.read_text(encoding="utf-8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = "pip install -e '.[test]' && python -m pytest"
    assert f"\n{test_command}\n" in text
    assert f"\n{test_command}\n" in ci
    assert "\npip install . && chipcalc compare\n" in text


def test_readme_lists_every_command() -> None:
    text = README.read_text(encoding="utf-8")
    names = [command.name or command.callback.__name__ for command in app.registered_commands]
    for name in names:
        assert f"### `chipcalc {name}" in text, f"README has no section for {name}"
