"""The registry of documents: every command has a view, and `document` serves the library."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from chipcalc.analysis.solve import goal_seek
from chipcalc.analysis.sweep import sweep
from chipcalc.cli import app
from chipcalc.documents import VIEWS, Analysis, Command, document
from chipcalc.documents.whatif import sweep_json
from chipcalc.loader import load_scenario
from chipcalc.model import compare
from chipcalc.render.sections import SECTIONS

from ..conftest import SCENARIOS

BASE = str(SCENARIOS / "h200-2026.yaml")


def cli_json(*arguments: str) -> dict:
    result = CliRunner().invoke(app, [*arguments, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_every_command_has_a_view_and_sections() -> None:
    assert set(VIEWS) == set(Command)
    assert set(SECTIONS) == set(Command)


def test_a_result_gives_the_document_the_cli_prints() -> None:
    assert document(compare(load_scenario(BASE))) == cli_json("compare", BASE)


def test_an_analysis_needs_its_scenario() -> None:
    scenario = load_scenario(BASE)
    seek = goal_seek(scenario, "chips.h200.price", "ascend_910c")
    expected = cli_json("breakeven", BASE, "--vary", "chips.h200.price", "--option", "ascend_910c")
    assert document(seek, scenario) == expected
    assert document(Analysis(seek, scenario)) == expected
    with pytest.raises(TypeError, match="needs the scenario"):
        document(seek)


def test_a_streamed_sweep_is_its_document() -> None:
    scenario = load_scenario(BASE)
    result = sweep(scenario, [("chips.h200.levy_rate", [0.0, 0.25, 0.5])], "tco_usd")
    run = Analysis(result, scenario)
    assert json.loads(sweep_json(run)) == document(run)
    assert document(run) == cli_json("sweep", BASE, "--vary", "chips.h200.levy_rate=0%:50%:25%")
    assert len(document(run)["points"]) == 3


@pytest.mark.parametrize("result", [object(), "compare", 3.0, []])
def test_anything_else_has_no_document(result: object) -> None:
    with pytest.raises(TypeError):
        document(result, load_scenario(BASE))


@pytest.mark.parametrize("command", [Command.COMPARE, Command.BREAKEVENS])
def test_a_scenario_without_orders_still_gets_the_csv_header(command, tmp_path) -> None:
    # pandas cannot read a 0-byte CSV: the header a scenario with orders gets, alone
    view = VIEWS[command]
    with_orders = view.rows([compare(load_scenario(BASE))])
    assert view.columns == tuple(with_orders[0])
    bare = tmp_path / "bare.yaml"
    bare.write_text("chips:\n  a: {price: 10k, levy_rate: 0, tflops: {bf16: 100}, power_w: 500}\n")
    name = "compare" if command is Command.COMPARE else "breakeven"
    result = CliRunner().invoke(app, [name, str(bare), "-f", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout == ",".join(view.columns) + "\n"
