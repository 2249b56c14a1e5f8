"""The git diff driver, set up as the README says, in a throwaway repository of the shipped scenarios:
real `git show` and `git diff` render both sides of every scenario (their parents read at the
revision shown), name no temporary file, and show a broken file as written; never fail."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app
from chipcalc.cli.textconv import textconv_text
from chipcalc.loader.git import locate_copy

from .conftest import ROOT, SCENARIOS

SHIPPED = sorted(path.name for path in SCENARIOS.glob("*.yaml"))
WARNING = re.compile(r"> chipcalc: no outcomes for this version \((?P<why>.*)\); the file as written:")


def readme_driver_setup() -> list[str]:
    """The shell lines of the README's git diff driver block."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### In `git diff`"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block and "diff=chipcalc" in block.group(1), "the README shows how to set the driver up"
    return block.group(1).splitlines()


def environment() -> dict[str, str]:
    """chipcalc of this checkout first on PATH, and no user's or system's git configuration."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
            "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}


def git(repo: Path, *arguments: str) -> str:
    done = subprocess.run(["git", *arguments], cwd=repo, env=environment(), capture_output=True, check=False)
    assert done.returncode == 0, f"git {' '.join(arguments)} failed: {done.stderr.decode()}"
    return done.stdout.decode()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def expected_markdown(repo: Path, revision: str, folder: Path) -> dict[str, str]:
    """What `compare -f markdown` prints of each scenario, run on a plain copy of `revision`."""
    folder.mkdir()
    archive = subprocess.run(["git", "archive", revision, "scenarios"], cwd=repo, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        return {name: CliRunner().invoke(app, ["compare", "-f", "markdown", f"scenarios/{name}"]).stdout
                for name in SHIPPED}


def sides(diff_output: str) -> dict[str, tuple[list[str], list[str]]]:
    """The old and new text of each file in `git diff -U<all>` output, put back together."""
    files = {}
    for chunk in diff_output.split("diff --git a/")[1:]:
        name = chunk.split(" ", 1)[0].removeprefix("scenarios/")
        body = chunk.split("\n@@ ", 1)[1].split("\n")[1:]
        old = [line[1:] for line in body if line[:1] in (" ", "-")]
        new = [line[1:] for line in body if line[:1] in (" ", "+")]
        files[name] = (old, new)
    return files


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A repository of the shipped scenarios with the driver set up as the README says, and a second
    commit that retitles every scenario and raises the parent's levy (so that every child's tables
    change, and show which parent they were computed with)."""
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q", "-b", "main")
    (repo / "scenarios").mkdir()
    for name in SHIPPED:
        (repo / "scenarios" / name).write_bytes((SCENARIOS / name).read_bytes())
    for line in readme_driver_setup():
        subprocess.run(["bash", "-e", "-c", line], cwd=repo, env=environment(), check=True)
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "shipped")
    for name in SHIPPED:
        edit(repo / "scenarios" / name, "\ntitle: ", "\ntitle: Edited, ")
    edit(repo / "scenarios" / "h200-2026.yaml", "levy_rate: 25%", "levy_rate: 30%")
    git(repo, "commit", "-q", "-am", "retitled, levy raised")
    folders = tmp_path_factory.mktemp("expected")
    return {"repo": repo, "before": expected_markdown(repo, "HEAD~1", folders / "before"),
            "after": expected_markdown(repo, "HEAD", folders / "after")}


def run_git(repo: Path, *arguments: str) -> str:
    """Real git with the driver, as a user runs it; a driver that fails would make it exit 128."""
    done = subprocess.run(["git", *arguments], cwd=repo, env=environment(), capture_output=True, text=True,
                          check=False)
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    assert tempfile.gettempdir() not in done.stdout, "no temporary copy (nor any absolute path) is named"
    return done.stdout


def test_the_readme_sets_up_the_textconv_mode() -> None:
    assert "git config diff.chipcalc.textconv 'chipcalc compare --textconv'" in readme_driver_setup()


def test_git_show_renders_both_sides_of_every_shipped_scenario(shipped: dict) -> None:
    """Both sides are exactly `compare -f markdown` of that revision: the old side of a child read
    with the old parent (a 25% levy), the new side with the new (30%)."""
    files = sides(run_git(shipped["repo"], "show", "--format=", "-U100000", "HEAD"))
    assert sorted(files) == SHIPPED
    for name in SHIPPED:
        old, new = files[name]
        assert old == shipped["before"][name].splitlines(), f"{name}: old side"
        assert new == shipped["after"][name].splitlines(), f"{name}: new side"
        assert f"- file: scenarios/{name}" in old and not any(WARNING.match(line) for line in old + new)
    # the child inherits the parent's levy: 400k units x $27k x 25% = $2.70B, then x 30% = $3.24B
    absorbed_before, absorbed_after = ("\n".join(side) for side in files["levy-absorbed.yaml"])
    assert "Levy paid $2.70B on spend $10.8B" in absorbed_before
    assert "Levy paid $3.24B on spend $10.8B" in absorbed_after


def test_a_broken_edit_shows_the_file_as_written_under_a_warning(shipped: dict) -> None:
    """Every scenario broken in the work tree, by a YAML typo or an invalid value: `git diff` still
    works, the staged side rendered, the edited side as written under one line of warning."""
    repo = shipped["repo"]
    try:
        for index, name in enumerate(SHIPPED):
            path = repo / "scenarios" / name
            if index % 2:
                edit(path, "\ntitle: ", "\ntitle: [not, text]\nx_title: ")
            else:
                path.write_text(path.read_text(encoding="utf-8") + "oops: [\n", encoding="utf-8")
        files = sides(run_git(repo, "diff", "-U100000"))
        assert sorted(files) == SHIPPED
        problem = {name: "title: must be" if index % 2 else "invalid YAML" for index, name in enumerate(SHIPPED)}
        for name in SHIPPED:
            old, new = files[name]
            assert old == shipped["after"][name].splitlines(), f"{name}: the staged side is rendered"
            warning = WARNING.fullmatch(new[0])
            assert warning, f"{name}: {new[0]}"
            # a child's own YAML typo is found first; its invalid value is checked only once its parent
            # (h200-2026.yaml, with a typo) is read, so the warning names the parent
            extends = re.search(r"^extends: h200-2026.yaml$", (SCENARIOS / name).read_text(encoding="utf-8"), re.M)
            culprit = "h200-2026.yaml" if extends and problem[name] != "invalid YAML" else name
            assert warning["why"].startswith(f"scenarios/{culprit}:") and problem[culprit] in warning["why"]
            assert new[1:] == ["", *(repo / "scenarios" / name).read_text(encoding="utf-8").splitlines()]
    finally:
        git(repo, "checkout", "-q", "--", ".")


def test_staged_changes_read_their_parents_from_the_index(shipped: dict) -> None:
    """`git diff`: the old side is the staged child, read with the staged parent (a 40% levy)."""
    repo = shipped["repo"]
    try:
        edit(repo / "scenarios" / "h200-2026.yaml", "levy_rate: 30%", "levy_rate: 40%")
        git(repo, "add", "scenarios/h200-2026.yaml")
        edit(repo / "scenarios" / "levy-absorbed.yaml", "\ntitle: ", "\ntitle: Again, ")
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(repo)
            expected = CliRunner().invoke(app, ["compare", "-f", "markdown", "scenarios/levy-absorbed.yaml"]).stdout
        old, new = sides(run_git(repo, "diff", "-U100000", "scenarios/levy-absorbed.yaml"))["levy-absorbed.yaml"]
        assert new == expected.splitlines()
        assert old[0] == "## Edited, H200 2026, levy absorbed by NVIDIA (0% pass-through) (levy-absorbed)"
        assert old[1:] == new[1:], "only the title differs: the old side has the staged 40% levy too"
    finally:
        git(repo, "reset", "-q", "--hard")


def test_a_copy_is_located_in_the_index_then_head_then_history(shipped: dict, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    repo = shipped["repo"]
    monkeypatch.chdir(repo)
    copy = tmp_path / "git-blob-x" / "levy-absorbed.yaml"
    copy.parent.mkdir()

    def located(revision: str) -> tuple[str, str] | None:
        copy.write_text(git(repo, "show", f"{revision}:scenarios/levy-absorbed.yaml"), encoding="utf-8")
        found = locate_copy(str(copy))
        return None if found is None else (found[0].revision, found[1])

    first_commit = git(repo, "rev-parse", "HEAD~1").strip()
    assert located("HEAD") == ("", "scenarios/levy-absorbed.yaml")  # staged as at HEAD: the index
    try:
        edit(repo / "scenarios" / "levy-absorbed.yaml", "\ntitle: ", "\ntitle: Staged, ")
        git(repo, "add", ".")
        assert located("HEAD") == ("HEAD", "scenarios/levy-absorbed.yaml")
    finally:
        git(repo, "reset", "-q", "--hard")
    # the shipped version was replaced by the second commit: its parent, the first, holds it
    assert located("HEAD~1") == (f"{git(repo, 'rev-parse', 'HEAD').strip()}^", "scenarios/levy-absorbed.yaml")
    assert git(repo, "rev-parse", "HEAD^").strip() == first_commit
    copy.write_text("name: never-committed\n", encoding="utf-8")
    assert locate_copy(str(copy)) is None
    assert locate_copy("scenarios/levy-absorbed.yaml") is None, "a work-tree file is read as it is"


CHILD = "extends: base.yaml\nname: child\nchips:\n  h200: {levy_rate: 30%}\n"
BASE = """\
name: base
chips:
  h200: {price: $30k, levy_rate: 25%, tflops: {bf16: 1000}, utilization: 40%}
orders:
  - {name: big, chip: h200, units: 100k}
"""


@pytest.fixture
def no_repository(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    return tmp_path


def test_outside_a_repository_a_file_is_read_with_its_parents_beside_it(no_repository: Path) -> None:
    folder = no_repository / "elsewhere"
    folder.mkdir()
    (folder / "base.yaml").write_text(BASE, encoding="utf-8")
    (folder / "child.yaml").write_text(CHILD, encoding="utf-8")
    text = textconv_text(str(folder / "child.yaml"))
    assert text.startswith("## child\n\n- file: child.yaml\n")  # named in its folder, not by its full path
    # levy 100k x $30k x 30% = $900M, the child's rate over the parent's price
    assert "Levy paid $900M" in text


def test_a_copy_without_its_parent_is_shown_as_written(no_repository: Path) -> None:
    copy = no_repository / "git-blob-abc123" / "child.yaml"
    copy.parent.mkdir()
    copy.write_text(CHILD, encoding="utf-8")
    assert textconv_text(str(copy)) == (
        "> chipcalc: no outcomes for this version (child.yaml:1:10: extends: parent scenario base.yaml does "
        "not exist); the file as written:\n\n" + CHILD)


def test_an_internal_error_is_shown_as_the_file_too(no_repository: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import chipcalc.model

    (no_repository / "here" / "base.yaml").write_text(BASE, encoding="utf-8")

    def broken(scenario: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(chipcalc.model, "evaluate", broken)
    result = CliRunner().invoke(app, ["--debug", "compare", "--textconv", "base.yaml"])
    assert result.exit_code == 0
    assert result.stderr.startswith("Traceback") and result.stderr.endswith("ZeroDivisionError: a bug\n")
    assert result.stdout == ("> chipcalc: no outcomes for this version (an internal error of chipcalc "
                             "(ZeroDivisionError): please report it with this file); the file as written:\n\n"
                             + BASE)


@pytest.mark.parametrize("arguments", [
    ["compare", "--textconv"],
    ["compare", "--textconv", "a.yaml", "b.yaml"],
    ["compare", "--textconv", "-f", "json", "a.yaml"],
    ["compare", "--textconv", "--set", "chips.h200.price=1", "a.yaml"],
])
def test_textconv_is_one_file_in_markdown(arguments: list[str]) -> None:
    result = CliRunner().invoke(app, arguments)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith("error: --textconv shows one SCENARIO in Markdown")
