"""The public Python API (`import chipcalc`): the numbers the CLI prints, its error texts, lazily."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

import chipcalc
from chipcalc.cli import app

from .conftest import ROOT

SCENARIO = "scenarios/levy-passed-through.yaml"

NOTEBOOK = """\
import json

import chipcalc

scenario = chipcalc.load_scenario("scenarios/levy-passed-through.yaml")
result = chipcalc.evaluate(scenario)
order = result.orders[0]
seek = chipcalc.goal_seek(scenario, "chips.h200.levy_rate")
table = chipcalc.sweep(scenario, {"assumptions.levy_pass_through": chipcalc.grid_values(0, 1, 0.25)},
                       metric="vs_order")
print(json.dumps({
    "tco_usd": {option.chip: option.tco_usd for option in order.options},
    "levy_usd": order.levy_usd,
    "seek": [seek.option, seek.value, seek.low, seek.high],
    "sweep": {chip: list(values) for chip, values in table.values.items()},
    "axis": list(table.axes[0]),
}))
"""
"""What a notebook user writes: nothing but `import chipcalc` and its names."""


def cli_json(*arguments: str) -> dict:
    result = CliRunner().invoke(app, [*arguments, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_the_notebook_uses_only_the_public_api() -> None:
    imports = [node for node in ast.walk(ast.parse(NOTEBOOK)) if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert sorted(alias.name for node in imports for alias in node.names) == ["chipcalc", "json"]
    assert not any(isinstance(node, ast.ImportFrom) for node in imports)


def test_a_notebook_gets_the_numbers_the_cli_prints() -> None:
    run = subprocess.run([sys.executable, "-c", NOTEBOOK], capture_output=True, text=True, cwd=ROOT, check=True)
    mine = json.loads(run.stdout)

    (compared,) = cli_json("compare", SCENARIO)["scenarios"]
    order = compared["orders"][0]
    assert mine["tco_usd"] == {option["chip"]: option["tco_usd"] for option in order["options"]}
    assert mine["levy_usd"] == order["levy_usd"]

    seek = cli_json("breakeven", SCENARIO, "--vary", "chips.h200.levy_rate")
    assert mine["seek"] == [seek["option"], seek["value"], seek["low"], seek["high"]]
    assert seek["value"] is not None  # a crossing, so the numbers compared are the solver's

    swept = cli_json("sweep", SCENARIO, "--vary", "assumptions.levy_pass_through=0%:100%:25%",
                     "--metric", "vs_order")
    points = swept["points"]
    assert mine["axis"] == [point["assumptions.levy_pass_through"] for point in points] == [0, 0.25, 0.5, 0.75, 1]
    assert mine["sweep"] == {chip: [point[chip] for point in points] for chip in mine["sweep"]}
    assert set(mine["sweep"]) == set(points[0]) - {"assumptions.levy_pass_through"}


def test_the_readme_example_is_real_output() -> None:
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Python API\n")[1].split("\n## ")[0]
    code, shown = re.search(r"```python\n(.*?)```\n\n```text\n(.*?)```", section, re.S).groups()
    assert "import chipcalc\n" in code
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert run.stdout == shown


def test_an_order_is_given_by_index_or_name() -> None:
    scenario = chipcalc.load_scenario("scenarios/article-check.yaml")
    second = scenario.orders[1].name
    by_index = chipcalc.sensitivity(scenario, "tco_usd", order=1)
    assert chipcalc.sensitivity(scenario, "tco_usd", order=second) == by_index
    assert by_index.order == second
    assert chipcalc.explain(scenario, "levy_usd", order=1) == chipcalc.explain(scenario, "levy_usd", order=second)


def test_diff_takes_scenarios_or_results() -> None:
    old = chipcalc.load_scenario(SCENARIO)
    new = chipcalc.load_scenario(SCENARIO, sets=["chips.h200.levy_rate=30%"])
    changes = chipcalc.diff(old, new)
    assert [change.path for change in changes.inputs] == ["chips.h200.levy_rate"]
    assert (changes.inputs[0].old, changes.inputs[0].new) == (0.25, 0.3)
    assert chipcalc.diff(chipcalc.evaluate(old), chipcalc.evaluate(new)) == changes
    assert not chipcalc.diff(old, old).changed


def test_simulate_is_seeded() -> None:
    scenario = chipcalc.load_scenario("scenarios/h200-2026-uncertain.yaml")
    assert chipcalc.simulate(scenario, 500, seed=3) == chipcalc.simulate(scenario, 500, seed=3)


def test_compare_is_evaluate() -> None:
    assert chipcalc.compare is chipcalc.evaluate


# Errors carry the CLI's text -----------------------------------------------------------

def test_an_invalid_scenario_raises_the_text_the_cli_prints() -> None:
    printed = CliRunner().invoke(app, ["compare", "tests/invalid/bad-date.yaml"])
    with pytest.raises(chipcalc.ScenarioError) as raised:
        chipcalc.load_scenario("tests/invalid/bad-date.yaml")
    assert f"{raised.value}\n" == printed.stderr
    assert str(raised.value).startswith("tests/invalid/bad-date.yaml:5:12: chips.h200.as_of: ")
    assert raised.value.exit_code == chipcalc.ExitCode.CANNOT_RUN == printed.exit_code
    assert [problem.location for problem in raised.value.problems] == [("tests/invalid/bad-date.yaml", 5, 12)]


@pytest.mark.parametrize(("call", "arguments"), [
    (lambda s: chipcalc.goal_seek(s, "chips.h200.levy_rat"), ["breakeven", "--vary", "chips.h200.levy_rat"]),
    (lambda s: chipcalc.goal_seek(s, "chips.h200.levy_rate", order="nope"),
     ["breakeven", "--vary", "chips.h200.levy_rate", "--order", "nope"]),
    (lambda s: chipcalc.sensitivity(s, "tco"), ["sensitivity", "--metric", "tco"]),
    (lambda s: chipcalc.explain(s, "tco"), ["explain", "tco"]),
])
def test_a_mistake_raises_the_text_the_cli_prints(call, arguments: list[str]) -> None:
    printed = CliRunner().invoke(app, [arguments[0], SCENARIO, *arguments[1:]])
    assert printed.exit_code == 2
    with pytest.raises(chipcalc.UsageError) as raised:
        call(chipcalc.load_scenario(SCENARIO))
    assert isinstance(raised.value, chipcalc.ChipcalcError)
    assert f"error: {raised.value}\n" == printed.stderr


# Lazy ----------------------------------------------------------------------------------

def test_importing_chipcalc_loads_none_of_the_model() -> None:
    script = "import sys, chipcalc; print(' '.join(sorted(sys.modules)))"
    loaded = set(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT,
                                check=True).stdout.split())
    assert not loaded & {"chipcalc.model", "chipcalc.loader", "chipcalc.analysis", "numpy", "yaml"}


def test_every_public_name_resolves() -> None:
    # `document` comes from the documents layer, built on another branch
    for name in sorted(set(chipcalc.__all__) - {"document"}):
        assert getattr(chipcalc, name) is not None
    assert dir(chipcalc) == sorted(chipcalc.__all__)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        chipcalc.nothing
