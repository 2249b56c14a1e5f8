"""report: one file per scenario and an index, written whole, and --check that writes nothing."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app

from .conftest import ROOT

SHIPPED = sorted(f"scenarios/{p.name}" for p in (ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_committed_reports_are_fresh() -> None:
    result = run("report", *SHIPPED, "--out", "reports", "--check")
    assert result.exit_code == 0, (
        result.stderr + "\nregenerate them: chipcalc report scenarios/*.yaml --out reports")


def test_writes_one_report_per_scenario_and_an_index(tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = run("report", "scenarios/h200-2026.yaml", "scenarios/article-check.yaml", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["article-check.md", "h200-2026.md", "index.md"]
    index = (out / "index.md").read_text(encoding="utf-8")
    assert "[h200-2026](h200-2026.md)" in index
    # 400k H200s: levy 25% x $27k x 400k = $2.70B; TCO 400k x (hardware $37k + A x $8,892.52 a year of
    # running costs) = $28.9B, A = 3.9773157 (10%, 5 years); the running costs are energy
    # 1.275 kW x 75% x 1.3 x 8,760 h x ¥0.55 x 0.139 = $832.52, facility 1.275 x 12 x $200 = $3,060,
    # maintenance 10% x $37k = $3,700 and operations $1,300.
    assert "approved-2026: cheapest h200 ($28.9B TCO, the order's chip); levy paid $2.70B" in index
    report = (out / "article-check.md").read_text(encoding="utf-8")
    for part in ("# Checking the OFweek article", "### Assumptions", "### Orders", "### Prices per unit",
                 "### Breakevens of switching from h200", "### Levy per order", "989 / 148 = 6.7x"):
        assert part in report


def test_same_input_same_bytes(tmp_path: Path) -> None:
    run("report", *SHIPPED, "--out", str(tmp_path / "a"))
    run("report", *SHIPPED, "--out", str(tmp_path / "b"))
    for path in (tmp_path / "a").iterdir():
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes()


def test_json_reports(tmp_path: Path) -> None:
    assert run("report", "scenarios/h200-2026.yaml", "--out", str(tmp_path), "-f", "json").exit_code == 0
    document = json.loads((tmp_path / "h200-2026.json").read_text(encoding="utf-8"))
    assert document["schema_version"] == 1 and document["orders"][0]["name"] == "approved-2026"
    assert json.loads((tmp_path / "index.json").read_text(encoding="utf-8"))["reports"][0]["report"] == \
        "h200-2026.json"


def test_check_names_missing_stale_and_orphaned_reports_and_writes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "r"
    both = ["scenarios/h200-2026.yaml", "scenarios/article-check.yaml"]
    run("report", *both, "scenarios/levy-absorbed.yaml", "--out", str(out))  # an earlier run, with one more
    (out / "h200-2026.md").write_text("edited by hand\n", encoding="utf-8")
    (out / "article-check.md").unlink()
    (out / ".h200-2026.md.x1y2.tmp").write_text("half a report", encoding="utf-8")  # a run killed mid-write
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    result = run("report", *both, "--out", str(out), "--check")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"{out / 'h200-2026.md'}: stale (differs from what the scenarios give now)",
        f"{out / 'article-check.md'}: missing",
        f"{out / 'index.md'}: stale (differs from what the scenarios give now)",
        f"{out / 'levy-absorbed.md'}: orphaned (listed in the index by an earlier run, given by no scenario now)",
        f"{out / '.h200-2026.md.x1y2.tmp'}: a temporary file left by an interrupted report",
        f"update them with: chipcalc report scenarios/h200-2026.yaml scenarios/article-check.yaml --out {out}",
    ]
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before, "--check writes nothing"


def test_the_command_the_check_names_fixes_all_it_found(tmp_path: Path) -> None:
    """The hint is true: the update writes what is missing or stale and removes the orphans and
    temporary files, after which the check passes."""
    out = tmp_path / "r"
    both = ["scenarios/h200-2026.yaml", "scenarios/article-check.yaml"]
    run("report", *both, "scenarios/levy-absorbed.yaml", "--out", str(out))
    (out / "article-check.md").unlink()
    (out / ".h200-2026.md.x1y2.tmp").write_text("half a report", encoding="utf-8")
    hint = run("report", *both, "--out", str(out), "--check").stderr.splitlines()[-1]
    command = hint.removeprefix("update them with: chipcalc ").split()
    updated = run(*command)
    assert updated.exit_code == 0
    assert updated.stderr.splitlines() == [
        f"removed {out / 'levy-absorbed.md'}: orphaned (listed in the index by an earlier run, given by no "
        "scenario now)",
        f"removed {out / '.h200-2026.md.x1y2.tmp'}: a temporary file left by an interrupted report",
        f"wrote 2 reports to {out}; 1 was already up to date",  # the missing report and the index
    ]
    assert sorted(p.name for p in out.iterdir()) == ["article-check.md", "h200-2026.md", "index.md"]
    assert run("report", *both, "--out", str(out), "--check").exit_code == 0


def test_other_files_in_the_folder_are_not_reports(tmp_path: Path) -> None:
    """Only what the index lists is chipcalc's: a README.md, notes, or a report of the same name
    written by hand beside the folder's own are neither checked nor removed."""
    out = tmp_path / "r"
    run("report", "scenarios/h200-2026.yaml", "--out", str(out))
    (out / "README.md").write_text("# Our reports\n", encoding="utf-8")
    (out / "levy-absorbed.md").write_text("a report kept by hand\n", encoding="utf-8")
    check = run("report", "scenarios/h200-2026.yaml", "--out", str(out), "--check")
    assert (check.exit_code, check.stderr) == (0, f"2 reports in {out} are up to date\n")
    rerun = run("report", "scenarios/h200-2026.yaml", "--out", str(out)).stderr
    assert rerun == f"2 reports in {out} were already up to date\n"
    assert (out / "README.md").read_text(encoding="utf-8") == "# Our reports\n"
    assert (out / "levy-absorbed.md").exists()


@pytest.mark.parametrize("row", [
    "| [../secret](../secret.md) | x | y |",  # a name that leaves the folder
    "| [notes](other.md) | x | y |",  # a link that is not the row report writes
    "| [.hidden](.hidden.md) | x | y |",
])
def test_an_edited_index_cannot_make_report_remove_other_files(tmp_path: Path, row: str) -> None:
    out = tmp_path / "r"
    run("report", "scenarios/h200-2026.yaml", "--out", str(out))
    for name in ("secret.md", "r/other.md", "r/.hidden.md"):
        (tmp_path / name).write_text("keep me\n", encoding="utf-8")
    index = out / "index.md"
    index.write_text(index.read_text(encoding="utf-8") + row + "\n", encoding="utf-8")
    assert run("report", "scenarios/h200-2026.yaml", "--out", str(out)).exit_code == 0
    assert all((tmp_path / name).exists() for name in ("secret.md", "r/other.md", "r/.hidden.md"))


def test_json_reports_have_their_index_as_manifest_too(tmp_path: Path) -> None:
    out = tmp_path / "r"
    run("report", "scenarios/h200-2026.yaml", "scenarios/article-check.yaml", "--out", str(out), "-f", "json")
    run("report", "scenarios/h200-2026.yaml", "--out", str(out))  # Markdown beside it: not the JSON's business
    check = run("report", "scenarios/h200-2026.yaml", "--out", str(out), "-f", "json", "--check")
    assert check.exit_code == 1
    assert f"{out / 'article-check.json'}: orphaned" in check.stderr
    assert run("report", "scenarios/h200-2026.yaml", "--out", str(out), "-f", "json").exit_code == 0
    assert sorted(p.name for p in out.iterdir()) == ["h200-2026.json", "h200-2026.md", "index.json", "index.md"]


def test_check_of_a_missing_directory_creates_nothing(tmp_path: Path) -> None:
    result = run("report", "--out", str(tmp_path / "none"), "--check")
    assert result.exit_code == 1
    assert not (tmp_path / "none").exists()


def test_interrupted_write_leaves_old_reports_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r"
    run("report", "scenarios/h200-2026.yaml", "--out", str(out))
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    real_replace = os.replace
    calls = []

    def interrupted(source, destination):
        calls.append(destination)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_replace(source, destination)

    monkeypatch.setattr(os, "replace", interrupted)
    result = run("report", "scenarios/h200-2026.yaml", "--set", "chips.h200.price=30k", "--out", str(out))
    assert result.exit_code == 130
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert set(after) == set(before), "no temporary file is left behind"
    assert after["index.md"] == before["index.md"], "the file being written when interrupted is untouched"
    assert after["h200-2026.md"] != before["h200-2026.md"], "the file written before it is whole and new"


def test_two_scenarios_with_one_name_is_an_error(tmp_path: Path) -> None:
    result = run("report", "scenarios/h200-2026.yaml", "chipcalc/default.yaml", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert "two scenarios are named 'h200-2026'" in result.stderr
