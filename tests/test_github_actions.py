"""The GitHub Actions example works in a repository of scenarios: its shell steps, run with bash in a
throwaway clone, comment only when a pull request changes an outcome, and the comment holds the diff."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT, SCENARIOS

WORKFLOW = ROOT / "docs" / "github-actions.yml"
OFFLINE = {"Install chipcalc", "Comment on the pull request"}
"""Steps that need the network (pip from GitHub, the GitHub API): the test puts the installed chipcalc
on PATH instead, and reads the comment's file instead of posting it."""


def steps() -> dict[str, dict]:
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return {step["name"]: step for step in workflow["jobs"]["check"]["steps"] if "run" in step}


def git(cwd: Path, *arguments: str) -> None:
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.invalid", *arguments],
                   cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A repository of scenarios: one scenario, its committed reports, on `main`."""
    origin = tmp_path_factory.mktemp("origin")
    git(origin, "init", "-q", "-b", "main")
    (origin / "scenarios").mkdir()
    shutil.copy(SCENARIOS / "h200-2026.yaml", origin / "scenarios")
    chipcalc(origin, "report", "scenarios/h200-2026.yaml", "--out", "reports")
    git(origin, "add", ".")
    git(origin, "commit", "-q", "-m", "base")
    return origin


def chipcalc(cwd: Path, *arguments: str) -> None:
    subprocess.run([str(Path(sys.executable).with_name("chipcalc")), *arguments], cwd=cwd, check=True,
                   capture_output=True)


def pull_request(origin: Path, tmp_path: Path, edit: str | None) -> Path:
    """A clone of `origin` on a branch that replaces `edit` ("old=>new") in the scenario, reports updated."""
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(origin), str(clone))
    git(clone, "checkout", "-q", "-b", "change")
    if edit:
        old, new = edit.split("=>")
        scenario = clone / "scenarios" / "h200-2026.yaml"
        text = scenario.read_text(encoding="utf-8")
        assert old in text
        scenario.write_text(text.replace(old, new, 1), encoding="utf-8")
        chipcalc(clone, "report", "scenarios/h200-2026.yaml", "--out", "reports")
        git(clone, "commit", "-q", "-am", "edit")
    return clone


def run_step(clone: Path, name: str) -> subprocess.CompletedProcess:
    step = steps()[name]
    env = {**os.environ, **{key: str(value).replace("${{ github.base_ref }}", "main")
                            for key, value in step.get("env", {}).items()},
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_OUTPUT": str(clone / "github-output")}
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=clone, env=env, check=False, capture_output=True, text=True)


def test_the_workflow_installs_a_pinned_chipcalc_not_the_repository_itself() -> None:
    install = steps()["Install chipcalc"]["run"]
    assert "pip install ." not in install and 'pip install "$CHIPCALC_SOURCE"' in install
    source = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))["env"]["CHIPCALC_SOURCE"]
    assert source.startswith("chipcalc @ git+https://github.com/") and "@TAG" in source
    guard = subprocess.run(["bash", "-e", "-c", install], env={**os.environ, "CHIPCALC_SOURCE": source},
                           check=False, capture_output=True, text=True)
    assert guard.returncode == 1 and "set CHIPCALC_SOURCE" in guard.stdout  # the placeholder stops the job


def test_the_comment_is_posted_only_when_the_diff_step_says_so() -> None:
    comment = steps()["Comment on the pull request"]
    assert comment["if"] == "steps.diff.outputs.changed == 'true'"
    assert comment["run"] == 'gh pr comment "$PR" --body-file diff.md'


def test_a_pull_request_that_changes_an_outcome_gets_a_comment_with_the_diff(origin: Path, tmp_path: Path) -> None:
    clone = pull_request(origin, tmp_path, "levy_rate: 25%=>levy_rate: 30%")
    for name in ("Validate", "Reports are up to date", "Outcomes changed by this pull request"):
        result = run_step(clone, name)
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
    assert (clone / "github-output").read_text(encoding="utf-8") == "changed=true\n"
    comment = (clone / "diff.md").read_text(encoding="utf-8")
    assert comment.startswith("## chipcalc diff: origin/main:scenarios/h200-2026.yaml -> scenarios/h200-2026.yaml")
    assert "| chips.h200.levy_rate | 25% | 30% |" in comment
    assert not (clone / "one.md").exists()
    gate = run_step(clone, "No outcome moves more than 5%")
    assert gate.returncode == 1 and "more than 5%" in gate.stderr  # a 25% -> 30% levy moves the levy 20%


def test_a_new_scenario_is_named_in_the_comment(origin: Path, tmp_path: Path) -> None:
    clone = pull_request(origin, tmp_path, None)
    shutil.copy(SCENARIOS / "article-check.yaml", clone / "scenarios")
    assert run_step(clone, "Outcomes changed by this pull request").returncode == 0
    assert (clone / "diff.md").read_text(encoding="utf-8") == "## New scenario: scenarios/article-check.yaml\n\n"
    assert (clone / "github-output").read_text(encoding="utf-8") == "changed=true\n"


def test_a_pull_request_that_changes_nothing_gets_no_comment(origin: Path, tmp_path: Path) -> None:
    clone = pull_request(origin, tmp_path, None)
    for name in ("Validate", "Reports are up to date", "Outcomes changed by this pull request",
                 "No outcome moves more than 5%"):
        result = run_step(clone, name)
        assert result.returncode == 0, f"{name}: {result.stdout}{result.stderr}"
    assert not (clone / "diff.md").exists()
    assert not (clone / "github-output").exists()


def test_the_test_runs_every_step_but_the_offline_ones() -> None:
    tested = {"Validate", "Reports are up to date", "Outcomes changed by this pull request",
              "No outcome moves more than 5%"}
    assert set(steps()) == tested | OFFLINE
