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
    assert result.stderr.startswith("error: --set chips.h200.levy: no such path in (built-in h200-2026.yaml); nearest valid paths: ")
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


# Standard input: `-` as a scenario ----------------------------------------------------

H200 = "scenarios/h200-2026.yaml"
UNCERTAIN_FILE = "scenarios/h200-2026-uncertain.yaml"


@pytest.mark.parametrize(("arguments", "file"), [
    (["compare", "-", "-f", "json"], H200),
    (["chips", "-", "-f", "csv"], H200),
    (["levy", "-"], H200),
    (["mix", "-", "-f", "json"], H200),
    (["breakeven", "-", "--vary", "chips.h200.levy_rate", "-f", "json"], H200),
    (["sweep", "-", "--vary", "chips.h200.levy_rate=0%:50%:25%", "-f", "json"], H200),
    (["sensitivity", "-", "-f", "json"], H200),
    (["simulate", "-", "-n", "500", "-f", "json"], UNCERTAIN_FILE),
    (["cashflow", "-", "-f", "json"], H200),
    (["explain", "-", "levy_usd", "-f", "json"], H200),
    (["compare", "-", "-f", "json"], "scenarios/levy-absorbed.yaml"),  # extends, from the current directory
])
def test_a_dash_reads_the_scenario_from_standard_input(arguments: list[str], file: str,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    if "extends" in Path(file).read_text(encoding="utf-8"):
        monkeypatch.chdir(ROOT / "scenarios")  # whose extends names a file beside it
        file = Path(file).name
    from_stdin = CliRunner().invoke(app, arguments, input=Path(file).read_bytes())
    from_file = run(*[file if argument == "-" else argument for argument in arguments])
    assert from_stdin.exit_code == from_file.exit_code == 0, from_stdin.output
    assert from_stdin.stdout == from_file.stdout.replace(file, "<stdin>")  # file:, where: FILE:LINE:COL


def test_validate_and_diff_read_standard_input() -> None:
    text = Path(H200).read_bytes()
    validated = CliRunner().invoke(app, ["validate", "-", "-f", "json"], input=text)
    assert validated.exit_code == 0 and json.loads(validated.stdout)["files"][0]["file"] == "<stdin>"
    changed = CliRunner().invoke(app, ["diff", "-", "scenarios/subsidy-lapses.yaml", "--fail-on-change"],
                                 input=text)
    assert changed.exit_code == 1
    assert changed.stdout.startswith("chipcalc diff: <stdin> -> scenarios/subsidy-lapses.yaml\n")
    same = CliRunner().invoke(app, ["diff", "-", "-"], input=text)  # read once, for both
    assert same.exit_code == 0 and "no change" in same.stdout


def test_a_broken_scenario_on_standard_input_is_labelled_stdin() -> None:
    result = CliRunner().invoke(app, ["compare", "-"], input=b"chips:\n  h200: {price: -5}\n")
    assert result.exit_code == 2
    assert result.stderr.startswith("<stdin>:2:9: chips.h200")


def test_an_empty_standard_input_is_an_empty_scenario() -> None:
    result = CliRunner().invoke(app, ["compare", "-"], input=b"")
    assert (result.exit_code, result.stderr) == (2, "<stdin>:1:1: is empty: a scenario needs at least `chips:`\n")


# explain with a metric and no scenario -------------------------------------------------------

def test_explain_with_a_metric_alone_explains_the_builtin_scenario() -> None:
    alone = run("explain", "vs_order", "--chip", "ascend_910c", "-f", "json")
    builtin = run("explain", "chipcalc/default.yaml", "vs_order", "--chip", "ascend_910c", "-f", "json")
    assert alone.exit_code == builtin.exit_code == 0, alone.output
    assert json.loads(alone.stdout)["file"] == "(built-in h200-2026.yaml)"
    assert json.loads(alone.stdout)["value"] == json.loads(builtin.stdout)["value"]


def test_explain_with_a_metric_before_the_file_says_the_file_comes_first() -> None:
    result = run("explain", "tco_usd", H200)
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == (f"error: tco_usd is a metric, not a scenario file: the file comes first, e.g. "
                             f"chipcalc explain {H200} tco_usd\n")


def test_explain_of_a_missing_file_that_is_no_metric_says_no_such_file() -> None:
    result = run("explain", "tco_usdd")
    assert (result.exit_code, result.stderr) == (2, "tco_usdd: no such file\n")


def test_explain_a_file_named_like_a_metric_is_the_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "tco_usd").write_text(Path(ROOT / H200).read_text(encoding="utf-8"), encoding="utf-8")
    result = run("explain", "tco_usd", "levy_usd", "-f", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["file"] == "tco_usd"


# Counts and output files --------------------------------------------------------------------

def test_simulate_takes_a_sample_count_with_a_suffix() -> None:
    suffixed = run("simulate", UNCERTAIN_FILE, "-n", "2k", "-f", "json")
    plain = run("simulate", UNCERTAIN_FILE, "-n", "2000", "-f", "json")
    assert suffixed.exit_code == 0 and json.loads(suffixed.stdout)["samples"] == 2000
    assert suffixed.stdout == plain.stdout


@pytest.mark.parametrize(("count", "message"), [
    ("1.5", "error: --samples must be a whole number such as 10k or 1M (got '1.5')\n"),
    ("many", "error: --samples must be a whole number such as 10k or 1M (got 'many')\n"),
    ("0", "error: samples must be a whole number of at least 1, e.g. 100000 (got 0)\n"),
])
def test_simulate_refuses_a_count_that_is_not_one(count: str, message: str) -> None:
    result = run("simulate", UNCERTAIN_FILE, "-n", count)
    assert (result.exit_code, result.stderr) == (2, message)


@pytest.mark.parametrize("name", ["s.csv", "s.md", "S.MARKDOWN"])
def test_schema_refuses_a_file_named_for_another_format(tmp_path: Path, name: str) -> None:
    result = run("schema", "-o", str(tmp_path / name))
    suffix = Path(name).suffix
    assert (result.exit_code, result.stderr) == (
        2, f"error: -o {tmp_path / name}: a {suffix} file, but the schema is JSON; name the file .json\n")
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("name", ["s.json", "scenario.schema.json", "schema", "s.txt"])
def test_schema_writes_json_to_any_other_name(tmp_path: Path, name: str) -> None:
    result = run("schema", "-o", str(tmp_path / name))
    assert result.exit_code == 0
    assert json.loads((tmp_path / name).read_text(encoding="utf-8"))["title"] == "chipcalc scenario"


@pytest.mark.parametrize(("fmt", "name", "written", "extension"), [
    ("json", "out.csv", "JSON", ".json"), ("csv", "out.md", "CSV", ".csv"),
    ("table", "out.json", "a table", ".txt"), ("markdown", "out.csv", "Markdown", ".md"),
])
def test_a_format_and_a_file_of_another_format_are_refused(tmp_path: Path, fmt: str, name: str, written: str,
                                                           extension: str) -> None:
    result = run("compare", "-f", fmt, "-o", str(tmp_path / name))
    suffix = Path(name).suffix
    assert (result.exit_code, result.stderr) == (
        2, f"error: -o {tmp_path / name}: a {suffix} file, but -f {fmt} writes {written}; drop -f {fmt}, "
           f"or name the file {extension}\n")
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize(("fmt", "name"), [("csv", "out.csv"), ("json", "out.txt"), ("markdown", "out")])
def test_a_format_with_a_matching_or_neutral_file_is_written(tmp_path: Path, fmt: str, name: str) -> None:
    assert run("compare", "-f", fmt, "-o", str(tmp_path / name)).exit_code == 0
    assert (tmp_path / name).stat().st_size > 0


def test_set_across_files_names_the_file_that_lacks_the_path() -> None:
    result = run("compare", H200, "scenarios/h20-2025.yaml", "--set", "chips.h200.levy_rate=30%")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: --set chips.h200.levy_rate: no such path in "
                                    "scenarios/h20-2025.yaml; nearest valid paths: chips.h20.levy_rate")


# Counts in messages: one of a thing is singular ---------------------------------------------

def test_a_diff_of_one_input_says_one_input(tmp_path: Path) -> None:
    changed = tmp_path / "changed.yaml"
    changed.write_text(Path(H200).read_text(encoding="utf-8").replace("price: $27k", "price: $28k"), encoding="utf-8")
    result = run("diff", H200, str(changed), "--fail-on-change")
    assert result.exit_code == 1
    assert result.stderr.startswith("changed: 1 input, ")
    assert "1 input and " in result.stdout


def test_a_life_of_one_year_is_one_year() -> None:
    result = run("compare", H200, "--set", "assumptions.lifetime_years=1")
    assert result.exit_code == 0
    assert "assumptions: bf16, 1 year, levy pass-through 0%" in result.stdout


def test_a_report_of_a_one_year_life_says_one_year(tmp_path: Path) -> None:
    assert run("report", H200, "--set", "assumptions.lifetime_years=1", "--out", str(tmp_path)).exit_code == 0
    assert "\n| lifetime | 1 year |\n" in (tmp_path / "h200-2026.md").read_text(encoding="utf-8")


def test_one_sample_is_one_sample() -> None:
    result = run("simulate", UNCERTAIN_FILE, "-n", "1")
    assert result.exit_code == 0
    assert "\n1 sample, seed 0; uncertain inputs: " in result.stdout


# Shell completion -----------------------------------------------------------------------------

def complete(words: str, cword: int) -> str:
    """What chipcalc answers a bash completion request for the command line `words`."""
    result = CliRunner().invoke(app, [], prog_name="chipcalc", env={
        "_CHIPCALC_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_completion_offers_commands_options_and_choices() -> None:
    assert complete("chipcalc com", 1) == "compare\n"
    assert complete("chipcalc s", 1).split() == ["sweep", "sensitivity", "simulate", "schema"]
    assert complete("chipcalc sweep --me", 2) == "--metric\n"
    assert complete("chipcalc compare -f ", 3).split() == ["table", "json", "csv", "markdown"]
    assert complete("chipcalc compare scen", 2) == "\n"  # nothing: the shell completes file names


@pytest.fixture
def named_shell(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typer's switch for tests: the shell is named, not detected from the processes the tests run
    under. Read when the app is made into a command, before CliRunner applies its env."""
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")


def test_show_completion_prints_the_script_that_asks_chipcalc(named_shell: None) -> None:
    result = run("--show-completion", "bash")
    assert result.exit_code == 0
    assert "_CHIPCALC_COMPLETE=complete_bash" in result.stdout
    assert result.stdout.rstrip().endswith("complete -o default -F _chipcalc_completion chipcalc")


def test_install_completion_writes_the_script_into_home(tmp_path: Path, named_shell: None) -> None:
    result = CliRunner().invoke(app, ["--install-completion", "bash"], prog_name="chipcalc",
                                env={"HOME": str(tmp_path)})
    assert result.exit_code == 0, result.output
    script = tmp_path / ".bash_completions" / "chipcalc.sh"
    assert f"bash completion installed in {script}\n" in result.stdout  # Typer names it Shells.bash here
    assert "_CHIPCALC_COMPLETE=complete_bash" in script.read_text(encoding="utf-8")
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text(encoding="utf-8")


def test_show_completion_for_zsh_is_zsh_s(named_shell: None) -> None:
    result = run("--show-completion", "zsh")
    assert result.exit_code == 0 and result.stdout.startswith("#compdef chipcalc")
