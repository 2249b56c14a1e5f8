"""The command line: exit codes, stdout and stderr kept apart, formats, goldens."""

from __future__ import annotations

import csv
import io
import json
import math
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc import __version__
from chipcalc.cli import app
from chipcalc.cli.group import COMMANDS as REGISTERED, build_command

from .conftest import ROOT, SCENARIOS

COMMANDS = ["compare", "chips", "levy", "validate"]
SHIPPED = sorted(path.name for path in SCENARIOS.glob("*.yaml"))


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, as a pipe 80 columns wide, with no colour forced."""
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "80")
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(app, list(args), env=env)


def test_version() -> None:
    result = run("--version")
    assert result.exit_code == 0
    assert result.stdout == f"chipcalc {__version__}\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_commands_have_help_with_an_example(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout
    assert f"chipcalc {command}" in result.stdout


@pytest.mark.parametrize("columns", ["40", "80", "200"])
@pytest.mark.parametrize("command", list(REGISTERED))
def test_help_examples_stay_whole_lines_to_copy(command: str, columns: str) -> None:
    """Regression: click rewrapped examples, `scenarios/levy-passed-` / `through.yaml`, even at 200."""
    import inspect

    examples = [line.strip() for line in inspect.cleandoc(build_command(command).callback.__doc__).splitlines()
                if line.startswith("  chipcalc ")]
    assert examples, f"{command} --help has an example"
    shown = [line.strip() for line in run(command, "--help", env={"COLUMNS": columns}).stdout.splitlines()]
    assert [example for example in examples if example not in shown] == []
    assert "\b" not in "".join(shown)  # click's marker for a paragraph it leaves as written, not shown


@pytest.mark.parametrize(("command", "usage"), [
    ("compare", "Usage: chipcalc compare [OPTIONS] [SCENARIO]..."),  # several scenarios
    ("cashflow", "Usage: chipcalc cashflow [OPTIONS] [SCENARIO]..."),
    ("breakeven", "Usage: chipcalc breakeven [OPTIONS] [SCENARIO]"),  # one
    ("explain", "Usage: chipcalc explain [OPTIONS] [SCENARIO] [METRIC]"),
])
def test_usage_says_which_arguments_take_several(command: str, usage: str) -> None:
    assert run(command, "--help").stdout.splitlines()[0] == usage


def test_no_arguments_shows_help_as_a_usage_error() -> None:
    result = run()
    assert result.exit_code == 2
    assert "compare" in result.stderr and "validate" in result.stderr


def test_builtin_scenario_works_from_any_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("compare", "-f", "json")
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["scenarios"][0]["name"] == "h200-2026"


def test_builtin_scenario_is_the_shipped_h200_2026() -> None:
    builtin = (ROOT / "chipcalc" / "default.yaml").read_text(encoding="utf-8")
    assert builtin == (SCENARIOS / "h200-2026.yaml").read_text(encoding="utf-8"), (
        "chipcalc/default.yaml must be a copy of scenarios/h200-2026.yaml: cp one to the other"
    )


# Goldens: formatting only; the arithmetic is checked in test_model.py. ------

GOLDEN_CASES = [
    (command, scenario, fmt)
    for command in ("compare", "chips", "levy")
    for scenario in ("h200-2026", "article-check")
    for fmt in ("table", "json", "csv", "markdown")
]


@pytest.mark.parametrize(("command", "scenario", "fmt"), GOLDEN_CASES)
def test_golden_output(command: str, scenario: str, fmt: str, golden) -> None:
    result = run(command, f"scenarios/{scenario}.yaml", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    extension = {"table": "txt", "json": "json", "csv": "csv", "markdown": "md"}[fmt]
    golden(f"{command}-{scenario}.{extension}", result.stdout)


@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_golden_several_scenarios_side_by_side(fmt: str, golden) -> None:
    result = run("compare", "scenarios/levy-absorbed.yaml", "scenarios/levy-passed-through.yaml", "-f", fmt)
    assert result.exit_code == 0, result.stderr
    assert "Scenarios side by side" in result.stdout
    golden(f"compare-side-by-side.{'txt' if fmt == 'table' else 'md'}", result.stdout)


@pytest.mark.parametrize("name", SHIPPED)
@pytest.mark.parametrize("command", ["compare", "chips", "levy"])
def test_every_shipped_scenario_renders_in_every_format(name: str, command: str) -> None:
    for fmt in ("table", "json", "csv", "markdown"):
        result = run(command, f"scenarios/{name}", "-f", fmt)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.strip()


def test_validate_all_shipped_scenarios() -> None:
    result = run("validate", *(f"scenarios/{name}" for name in SHIPPED))
    assert result.exit_code == 0
    assert result.stdout == ""
    assert result.stderr == f"{len(SHIPPED)} scenarios valid\n"


# The JSON and CSV contract ----------------------------------------------------


def test_json_is_deterministic_and_complete() -> None:
    first = run("compare", "scenarios/h200-2026.yaml", "-f", "json").stdout
    second = run("compare", "scenarios/h200-2026.yaml", "-f", "json").stdout
    assert first == second
    assert first.endswith("}\n")
    document = json.loads(first)
    assert document["schema_version"] == 1
    order = document["scenarios"][0]["orders"][0]
    costs = [option["tco_usd"] for option in order["options"]]
    assert costs == sorted(costs), "options are listed cheapest first"
    own = [option for option in order["options"] if option["chip"] == order["chip"]]
    assert len(own) == 1 and own[0]["breakeven"] is None and own[0]["is_order_chip"]
    other = next(option for option in order["options"] if option["chip"] != order["chip"])
    assert set(other["breakeven"]) == {"demand_tflops", "levy_rate", "migration_cost_usd", "price_usd",
                                       "utilization", "lifetime_years"}  # CLI.md: six breakevens
    assert set(other["breakeven"]["demand_tflops"]) == {"value", "order_units", "pays", "reason"}

    def numbers(value):
        if isinstance(value, dict):
            for inner in value.values():
                yield from numbers(inner)
        elif isinstance(value, list):
            for inner in value:
                yield from numbers(inner)
        elif isinstance(value, float):
            yield value

    assert all(math.isfinite(number) for number in numbers(document))


def test_csv_has_scenario_and_order_first_and_flat_breakevens() -> None:
    result = run("compare", "scenarios/h200-2026.yaml", "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    header = result.stdout.splitlines()[0].split(",")
    assert header[:3] == ["scenario", "order", "chip"]
    for name in ("breakeven_levy_rate", "breakeven_levy_rate_reason", "breakeven_demand_tflops_order_units"):
        assert name in header
    assert "\r" not in result.stdout
    own = next(row for row in rows if row["is_order_chip"] == "true")
    assert own["breakeven_levy_rate"] == "" and own["breakeven_levy_rate_reason"] == ""


def test_json_numbers_are_full_precision() -> None:
    document = json.loads(run("compare", "scenarios/h200-2026.yaml", "-f", "json").stdout)
    option = document["scenarios"][0]["orders"][0]["options"][0]
    # tflops_per_kusd = 1000 * 989 * 0.4 / 27000 is not a round number: all its digits are kept.
    h200 = next(o for o in document["scenarios"][0]["orders"][0]["options"] if o["chip"] == "h200")
    assert h200["tflops_per_kusd"] == 1000 * 989 * 0.4 / 27000
    assert isinstance(option["units"], float)


# Output files ----------------------------------------------------------------


@pytest.mark.parametrize(("name", "starts"), [("out.json", "{"), ("out.csv", "scenario,"), ("out.md", "## "),
                                              ("out.txt", "H200")])
def test_output_format_from_extension(tmp_path: Path, name: str, starts: str) -> None:
    target = tmp_path / name
    result = run("compare", "scenarios/h200-2026.yaml", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == f"wrote {target}\n"
    assert target.read_text(encoding="utf-8").startswith(starts)
    assert [p.name for p in tmp_path.iterdir()] == [name], "no temporary file is left behind"


def test_format_option_wins_over_extension(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    assert run("levy", "-f", "json", "-o", str(target)).exit_code == 0
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == 1


def test_output_into_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    result = run("compare", "-o", str(tmp_path / "missing" / "out.json"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: cannot write {tmp_path / 'missing' / 'out.json'}: ")
    assert "Traceback" not in result.stderr


def test_failed_write_keeps_the_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out.json"
    target.write_text("old report\n", encoding="utf-8")

    def broken_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    result = run("compare", "-o", str(target))
    assert result.exit_code == 2
    assert "No space left on device" in result.stderr
    assert target.read_text(encoding="utf-8") == "old report\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


# Terminals and colour ------------------------------------------------------------


def test_pipe_gets_no_colour_and_no_box_drawing() -> None:
    out = run("compare").stdout
    assert "\x1b[" not in out
    assert not any("\u2500" <= char <= "\u257f" for char in out), "no box-drawing characters"


def test_terminal_gets_colour_unless_no_color() -> None:
    coloured = run("compare", env={"FORCE_COLOR": "1"}).stdout
    assert "\x1b[1;36m" in coloured, "headings are bold cyan on a terminal"
    plain = run("compare", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout
    assert "\x1b[1;36m" not in plain and "36m" not in plain


def test_terminal_table_fits_80_columns() -> None:
    out = run("compare", "scenarios/h200-2026.yaml", env={"FORCE_COLOR": "1", "COLUMNS": "80"}).stdout
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    assert max(len(line) for line in plain.splitlines()) <= 80


def test_piped_table_cuts_nothing_off() -> None:
    out = run("chips", "scenarios/h200-2026.yaml").stdout
    assert "…" not in out
    assert "ascend_910c" in out and "S: NVIDIA H200 datasheet" in out


# Errors -----------------------------------------------------------------------


def test_invalid_scenario_exits_2_with_file_line_message(write_scenario) -> None:
    path = write_scenario("""\
        chips:
          h200: {price: $27k, tflops: {bf16: 989}, levy_rate: 125%}
        orders:
          - {chip: h200, units: 1k}
        """)
    result = run("compare", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == f"{path}:2:55: chips.h200.levy_rate: must be below 100% (got 125%)\n"


def test_validate_reports_every_problem_and_exits_1(write_scenario) -> None:
    path = write_scenario("""\
        chips:
          h200: {price: -1, tflops: {bf16: 989}, levy_rat: 25%}
        orders:
          - {chip: h300, units: 1k}
        """)
    result = run("validate", str(path), "scenarios/h200-2026.yaml")
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        f"{path}:2:17: chips.h200.price: must be positive (got -$1)",
        f"{path}:2:42: chips.h200.levy_rat: unknown key; did you mean 'levy_rate'?",
        f"{path}:4:12: orders[0].chip: no chip 'h300' in this scenario; did you mean 'h200'?",
    ]
    assert result.stderr == "1 of 2 scenarios invalid\n"


def test_validate_json(write_scenario) -> None:
    path = write_scenario("chips: {}\n")
    result = run("validate", str(path), "-f", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["valid"] is False
    assert document["files"][0]["problems"] == [
        {"file": str(path), "line": 1, "column": 8, "path": "chips", "message": "must list at least one entry"}
    ]


@pytest.mark.parametrize("command", COMMANDS)
def test_missing_file_exits_2(command: str) -> None:
    result = run(command, "no/such.yaml")
    assert result.exit_code == 2
    assert result.stderr == "no/such.yaml: no such file\n"


def test_unknown_set_path_exits_2_with_nearest_paths() -> None:
    result = run("compare", "--set", "chips.h200.levy=30%")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --set chips.h200.levy: no such path in a scenario; nearest valid paths: ")
    assert "chips.h200.levy_rate" in result.stderr


def test_set_value_is_validated_at_its_place() -> None:
    result = run("compare", "--set", "chips.h200.levy_rate=1.5")
    assert result.exit_code == 2
    assert result.stderr == "--set:1:22: chips.h200.levy_rate: must be below 100% (got 150%)\n"


def test_set_changes_the_numbers() -> None:
    base = json.loads(run("levy", "-f", "json").stdout)["scenarios"][0]["totals"]["levy_usd"]
    higher = json.loads(run("levy", "-f", "json", "--set", "chips.h200.levy_rate=50%").stdout)
    # 400k units x $27k x 25% = $2.7B; at 50% it doubles.
    assert base == pytest.approx(400e3 * 27e3 * 0.25)
    assert higher["scenarios"][0]["totals"]["levy_usd"] == pytest.approx(2 * base)


def test_bad_format_is_a_usage_error() -> None:
    result = run("compare", "-f", "xml")
    assert result.exit_code == 2
    assert "xml" in result.stderr


def test_debug_shows_the_traceback_and_keeps_the_exit_code() -> None:
    plain, debug = run("compare", "no/such.yaml"), run("--debug", "compare", "no/such.yaml")
    assert plain.exit_code == debug.exit_code == 2
    assert debug.stderr.startswith("Traceback (most recent call last):\n")
    assert debug.stderr.endswith("chipcalc.errors.ScenarioError: no/such.yaml: no such file\n"
                                 "no/such.yaml: no such file\n")


@pytest.mark.parametrize(("arguments", "code"), [
    (["validate", "tests/invalid/levy-rate-100pct.yaml"], 1),  # a check that failed
    (["diff", "scenarios/h200-2026.yaml", "scenarios/h200-2026.yaml", "--max-change", "-5%"], 2),
    (["sweep", "--vary", "chips.h200.levy_rate=0%:50%:0%"], 2),
    (["levy", "scenarios/h200-2026.yaml"], 0),
])
def test_debug_keeps_every_exit_code(arguments: list[str], code: int) -> None:
    assert run(*arguments).exit_code == run("--debug", *arguments).exit_code == code
