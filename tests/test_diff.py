"""diff: inputs and outcomes between files and git revisions, and its CI gates."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app

from .conftest import SCENARIOS

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


def test_a_money_levy_base_is_shown_as_money(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, base in (("old.yaml", "$20k"), ("new.yaml", "$25k")):
        text = textwrap.dedent(BASE).replace("levy_rate: 25%", f"levy_rate: 25%, levy_base: {base}")
        (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    table = run("diff", "old.yaml", "new.yaml").stdout
    row = next(line.split() for line in table.splitlines() if line.startswith("chips.h200.levy_base"))
    assert row[1:3] == ["$20.0k", "$25.0k"]  # not 2000000% and 2500000%
    inputs = json.loads(run("diff", "old.yaml", "new.yaml", "-f", "json").stdout)["inputs"]
    assert inputs[0]["path"] == "chips.h200.levy_base" and inputs[0]["kind"] == "money"


@pytest.mark.parametrize(("limit", "message"), [
    ("lots", "error: --max-change must be a percentage such as 5% (got 'lots')\n"),
    ("-5%", "error: --max-change must be 0% or more (got '-5%'): it bounds a move either way, up or down\n"),
    ("5", "error: --max-change '5': write it as a percentage, such as 5%: a bare number is ambiguous "
          "(is 5 five percent, or 500%?)\n"),
    ("0.05", "error: --max-change '0.05': write it as a percentage, such as 5%: a bare number is ambiguous "
             "(is 5 five percent, or 500%?)\n"),
])
def test_bad_max_change_is_a_usage_error(repo: Path, limit: str, message: str) -> None:
    result = run("diff", "s/base.yaml", "s/base.yaml", "--max-change", limit)
    assert (result.exit_code, result.stdout, result.stderr) == (2, "", message)


ORDER_400K = """\
    name: {name}
    chips:
      h200: {{price: $30k, levy_rate: 25%, tflops: {{bf16: 1000}}, utilization: 40%}}
      local: {{price: $23k, tflops: {{bf16: 800}}, utilization: 30%}}
    orders:
      - {{name: big, chip: h200, units: {units}}}
    """


def test_an_exact_five_percent_change_passes_max_change_5_percent(tmp_path: Path) -> None:
    """400k -> 420k units moves every money and quantity outcome by exactly 5% (no platform, so no
    fixed migration cost: everything scales with the units), which floating point computes as a
    little more for the other chip (its units are 160M / (800 x 30%) = 666,666.67 then 700,000)."""
    for name, units in (("old", "400k"), ("new", "420k")):
        (tmp_path / f"{name}.yaml").write_text(textwrap.dedent(ORDER_400K.format(name=name, units=units)),
                                               encoding="utf-8")
    old, new = str(tmp_path / "old.yaml"), str(tmp_path / "new.yaml")
    moves = [o["relative"] for o in json.loads(run("diff", old, new, "-f", "json").stdout)["outcomes"]]
    assert moves and all(abs(move) == pytest.approx(0.05, rel=1e-12) for move in moves)
    assert max(map(abs, moves)) > 0.05, "floating point puts some moves just past 5%: the case the tolerance is for"
    assert run("diff", old, new, "--max-change", "5%").exit_code == 0
    assert run("diff", new, old, "--max-change", "4.77%").exit_code == 0  # back down: 20k/420k = 4.7619%
    failed = run("diff", old, new, "--max-change", "4.99%")
    assert failed.exit_code == 1 and failed.stderr.startswith("16 outcomes moved more than 4.99%:\n")


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_every_format(repo: Path, fmt: str) -> None:
    result = run("diff", "HEAD~1:s/base.yaml", "s/base.yaml", "-f", fmt)
    assert result.exit_code == 0
    assert "levy_rate" in result.stdout


def test_the_table_says_where_in_a_legend_and_moves_long_text_to_notes(write_scenario) -> None:
    source = "R: " + "a long citation " * 6  # 99 characters: too long for a column at 80
    old = write_scenario(BASE.replace("utilization: 40%}", "utilization: 40%, host_cost: 1k, source: x}"),
                         "old.yaml")
    new = write_scenario(BASE.replace("levy_rate: 25%", "levy_rate: 35%")
                         .replace("utilization: 40%}", f"utilization: 40%, source: '{source.strip()}'}}"), "new.yaml")
    lines = CliRunner().invoke(app, ["diff", str(old), str(new)], env={"COLUMNS": "80"}).stdout.splitlines()
    table = lines[lines.index("Inputs changed (3)"):]
    rows = {line.split()[0]: line.split()[1:] for line in table if line.startswith("chips.")}
    # new.yaml's line 4 is `  h200: {price: $30k, levy_rate: 35%, ...`: "  h200: {" is 9 characters and
    # "price: $30k, " 13, so the rate's value starts at column 9 + 13 + "levy_rate: " 11 + 1 = 34
    assert rows["chips.h200.levy_rate"] == ["25%", "35%", "4:34"]
    # old.yaml's host_cost, which new.yaml drops (its default, $0): after "levy_rate: 25%, " (16),
    # "tflops: {bf16: 1000}, " (22), "utilization: 40%, " (18) and "host_cost: " (11), 22 + 67 + 1 = 90
    assert rows["chips.h200.host_cost"] == ["$1.00k", "$0", "old", "4:90"]
    # new.yaml's source: "source: " (8) after the utilization, 22 + 16 + 22 + 18 + 8 + 1 = 87
    assert rows["chips.h200.source"] == ["x", "[1]", "4:87"]
    notes = " ".join(" ".join(table).split())
    assert f"where: LINE:COL in {new}, old LINE:COL in {old}" in notes  # each file named once
    assert f"[1] chips.h200.source, new: {source.strip()}" in notes
    assert max(len(line) for line in lines) <= 80


def test_csv_keeps_numbers_and_text_in_their_own_columns() -> None:
    """`old` and `new` hold numbers only, so a reader types them as numbers; a breakeven's reason, a
    chip or a source is in `old_text` and `new_text`."""
    absorbed, passed = (str(SCENARIOS / f"levy-{how}.yaml") for how in ("absorbed", "passed-through"))
    text = run("diff", absorbed, passed, "-f", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0] == "kind,where,field,old,new,delta,relative,old_text,new_text"
    for row in rows:
        for column in ("old", "new", "delta", "relative"):
            if row[column]:
                float(row[column])  # a number, or the test fails here
    reason = next(row for row in rows if row["field"] == "breakeven.levy_rate.reason")  # a levy not passed
    assert (reason["old"], reason["new"], reason["old_text"], reason["new_text"]) == ("", "", "not passed through", "")
    rate = next(row for row in rows if row["field"] == "breakeven.levy_rate")  # through has no breakeven rate
    assert rate["old"] == rate["old_text"] == rate["new_text"] == "" and 0 < float(rate["new"]) < 1


def test_csv_of_no_change_is_its_header(repo: Path) -> None:
    result = run("diff", "s/base.yaml", "s/base.yaml", "-f", "csv")
    assert result.stdout == "kind,where,field,old,new,delta,relative,old_text,new_text\n"
