"""diff: inputs and outcomes between files and git revisions, and its CI gates."""

from __future__ import annotations

import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app

BASE = """\
    name: base
    assumptions: {levy_pass_through: 50%}
    chips:
      h200: {price: $30k, levy_rate: 25%, tflops: {bf16: 1000}, utilization: 40%}
      local: {price: $23k, tflops: {bf16: 800}, utilization: 30%, platform: cann}
    platforms:
      cann: {migration_cost: 100M}
    orders:
      - {name: big, chip: h200, units: 100k}
    """
CHILD = """\
    extends: base.yaml
    chips:
      h200: {levy_rate: 30%}
    """


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args], cwd=repo,
                   check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with two commits: the levy on the parent goes from 25% to 35%."""
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "base.yaml").write_text(textwrap.dedent(BASE), encoding="utf-8")
    (tmp_path / "s" / "child.yaml").write_text(textwrap.dedent(CHILD), encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "first")
    base = (tmp_path / "s" / "base.yaml").read_text(encoding="utf-8")
    (tmp_path / "s" / "base.yaml").write_text(base.replace("levy_rate: 25%", "levy_rate: 35%"), encoding="utf-8")
    (tmp_path / "s" / "child.yaml").write_text(textwrap.dedent(CHILD).replace("30%", "40%"), encoding="utf-8")
    git(tmp_path, "commit", "-qam", "second")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_same_file_is_no_change(repo: Path) -> None:
    result = run("diff", "s/base.yaml", "s/base.yaml")
    assert result.exit_code == 0
    assert "no change" in result.stdout


def test_revision_against_working_file(repo: Path) -> None:
    result = run("diff", "HEAD~1:s/base.yaml", "s/base.yaml", "-f", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["changed"] is True
    assert document["inputs"] == [{"path": "chips.h200.levy_rate", "kind": "rate", "old": 0.25, "new": 0.35,
                                   "old_where": "HEAD~1:s/base.yaml:4:34", "new_where": "s/base.yaml:4:34"}]
    levy = next(o for o in document["outcomes"] if o["where"] == "order big" and o["field"] == "levy_usd")
    # levy = n * rho * b, b = p / (1 - t * rho); n = 100k, p = 30k, t = 0.5
    old = 100e3 * 0.25 * 30e3 / (1 - 0.5 * 0.25)
    new = 100e3 * 0.35 * 30e3 / (1 - 0.5 * 0.35)
    assert levy["old"] == pytest.approx(old) and levy["new"] == pytest.approx(new)
    assert levy["relative"] == pytest.approx((new - old) / old)


def test_extends_is_resolved_at_the_same_revision(repo: Path) -> None:
    # At HEAD~1 the child sets 30% over the parent's 25%; at HEAD, 40% over 35%.
    result = run("diff", "HEAD~1:s/child.yaml", "HEAD:s/child.yaml", "-f", "json")
    assert result.exit_code == 0, result.output
    inputs = json.loads(result.stdout)["inputs"]
    assert [(i["path"], i["old"], i["new"]) for i in inputs] == [("chips.h200.levy_rate", 0.30, 0.40)]


def test_from_a_subdirectory_with_dot_paths(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(repo / "s")
    root_relative = run("diff", "HEAD~1:s/base.yaml", "base.yaml", "-f", "json")
    dot_relative = run("diff", "HEAD~1:./base.yaml", "base.yaml", "-f", "json")
    assert root_relative.exit_code == dot_relative.exit_code == 0, root_relative.output + dot_relative.output
    assert json.loads(root_relative.stdout)["inputs"][0]["new"] == 0.35
    assert json.loads(dot_relative.stdout)["inputs"] == json.loads(root_relative.stdout)["inputs"]


def test_fail_on_change_exits_1_with_a_summary(repo: Path) -> None:
    result = run("diff", "HEAD~1:s/base.yaml", "s/base.yaml", "--fail-on-change")
    assert result.exit_code == 1
    assert result.stderr.startswith("changed: 1 input, ")
    assert run("diff", "HEAD:s/base.yaml", "s/base.yaml", "--fail-on-change").exit_code == 0


def test_max_change_gate(repo: Path) -> None:
    # The levy moves by far more than 5%; TCO of the order's chip too.
    result = run("diff", "HEAD~1:s/base.yaml", "s/base.yaml", "--max-change", "5%")
    assert result.exit_code == 1
    assert "moved more than 5%" in result.stderr
    assert "order big: levy_usd" in result.stderr
    assert run("diff", "HEAD~1:s/base.yaml", "s/base.yaml", "--max-change", "1000%").exit_code == 0


@pytest.mark.parametrize(("argument", "message"), [
    ("nosuchrev:s/base.yaml", "error: unknown git revision 'nosuchrev'"),
    ("HEAD:s/missing.yaml", "HEAD:s/missing.yaml: no such file at revision HEAD"),
])
def test_bad_revision_or_path_exits_2(repo: Path, argument: str, message: str) -> None:
    result = run("diff", argument, "s/base.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(message)


def test_outside_a_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.yaml").write_text(textwrap.dedent(BASE), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    result = run("diff", "HEAD:a.yaml", "a.yaml")
    assert result.exit_code == 2
    assert "not inside a git repository" in result.stderr


def test_bad_max_change_is_a_usage_error(repo: Path) -> None:
    result = run("diff", "s/base.yaml", "s/base.yaml", "--max-change", "lots")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --max-change must be a rate")


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_every_format(repo: Path, fmt: str) -> None:
    result = run("diff", "HEAD~1:s/base.yaml", "s/base.yaml", "-f", fmt)
    assert result.exit_code == 0
    assert "levy_rate" in result.stdout
