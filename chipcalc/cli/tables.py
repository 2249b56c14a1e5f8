"""The scenario's own tables and checks: compare, chips, levy, mix, validate, and the schema of its files."""

import sys
from typing import Annotated

import typer

from ..errors import ExitCode, Problem, ScenarioError, UsageError
from ..fileio import write_atomic
from ..render import OutputFormat
from ..safe import printable
from ..values import counted
from .common import (FormatOption, JobsOption, OutputOption, ScenarioArgs, SetOption, command, emit,
                     error_boundary, load_all, load_each, output_format)

app = typer.Typer()


TextconvOption = Annotated[bool, typer.Option(
    "--textconv", help="For git's diff driver: one file's tables in Markdown, its parents read at the revision "
    "git holds it; the file as written under a warning when it cannot be rendered. Never fails.")]


@command(app)
def compare(scenarios: ScenarioArgs = None, set_: SetOption = None, format_: FormatOption = None,
            output: OutputOption = None, textconv: TextconvOption = False) -> None:
    """Compare every chip as an option for each order's demand: cost, levy, breakevens.

    For each order, every chip in the scenario is costed as a way to buy the same effective
    compute: units, capex, levy, energy, migration, total cost of ownership (TCO), cost per
    effective PFLOP/s and the breakevens at which switching pays. Options are listed cheapest
    first; the order's own chip is marked *. Several scenarios get a side-by-side summary.

    Examples:

      chipcalc compare scenarios/h200-2026.yaml

      chipcalc compare scenarios/levy-absorbed.yaml scenarios/levy-passed-through.yaml

      chipcalc compare scenarios/h200-2026.yaml --set chips.h200.levy_rate=35% -f json | jq .

      git config diff.chipcalc.textconv 'chipcalc compare --textconv'
    """
    from ..documents import Command

    with error_boundary():
        if textconv:
            sys.stdout.write(_textconv(scenarios, set_, format_, output))
            return
        emit(load_all(scenarios, set_), format_, output, view=Command.COMPARE)


def _textconv(scenarios: list[str] | None, sets: list[str] | None, fmt: OutputFormat | None,
              output: object) -> str:
    """What git's diff driver shows of the one file git gives it (cli.textconv)."""
    from .textconv import textconv_text

    if len(scenarios or []) != 1 or sets or output is not None or fmt not in (None, OutputFormat.markdown):
        raise UsageError("--textconv shows one SCENARIO in Markdown to git's diff driver: give it one file and "
                         "no --set, -o or -f other than markdown")
    return textconv_text(scenarios[0])  # type: ignore[index]


@command(app)
def chips(scenarios: ScenarioArgs = None, set_: SetOption = None, format_: FormatOption = None,
          output: OutputOption = None) -> None:
    """The chip table: prices with the levy, effective TFLOP/s, compute per dollar, TPP.

    Throughput is dense (no sparsity) at the scenario's precision, so chips compare like
    for like.

    Examples:

      chipcalc chips scenarios/article-check.yaml

      chipcalc chips -f csv -o chips.csv
    """
    from ..documents import Command

    with error_boundary():
        emit(load_all(scenarios, set_), format_, output, view=Command.CHIPS)


@command(app)
def levy(scenarios: ScenarioArgs = None, set_: SetOption = None, format_: FormatOption = None,
         output: OutputOption = None) -> None:
    """Spend, levy paid and vendor net revenue per order, per chip and in total.

    Examples:

      chipcalc levy scenarios/article-check.yaml

      chipcalc levy scenarios/h200-2026.yaml --set assumptions.levy_pass_through=100%
    """
    from ..documents import Command

    with error_boundary():
        emit(load_all(scenarios, set_), format_, output, view=Command.LEVY)


@command(app)
def mix(scenarios: ScenarioArgs = None, set_: SetOption = None, format_: FormatOption = None,
        output: OutputOption = None) -> None:
    """The cheapest fleet of several chips for each order, within supply and the scenario's mix: limits.

    For each order, the units of each chip that meet its effective compute at the lowest TCO,
    within every chip's supply_units and the scenario's mix: section (power_limit_mw,
    capex_limit, share rules such as a domestic quota), paying each platform's migration once
    if any chip on it is used. Shows each chip's units, share, capex, levy and TCO, the mix's
    TCO, levy paid to the US and migration, vs the order's chip alone, and the limits that
    bind with what one more unit of each would save; or, when no mix fits, the largest demand
    the limits allow and what stops it. Solved exactly by HiGHS (highspy).

    Examples:

      chipcalc mix scenarios/h200-2026.yaml

      chipcalc mix scenarios/domestic-quota.yaml -f markdown

      chipcalc mix scenarios/h20-2025.yaml --set chips.ascend_910c.supply_units=60k -f json | jq .
    """
    from ..analysis.mix import fleet_mixes
    from ..documents import Command

    with error_boundary():
        emit([fleet_mixes(result) for result in load_all(scenarios, set_)], format_, output, view=Command.MIX)


@command(app)
def validate(scenarios: ScenarioArgs = None, set_: SetOption = None, format_: FormatOption = None,
             output: OutputOption = None, jobs: JobsOption = None) -> None:
    """Check scenario files: every problem as FILE:LINE:COL: PATH: message.

    Prints nothing but a summary (on stderr) when all files are valid; exits 1 when any is
    invalid, 2 when a file cannot be read at all.

    Examples:

      chipcalc validate scenarios/*.yaml

      chipcalc validate scenarios/*.yaml -f json
    """
    from ..loader import FileSource

    with error_boundary():
        checked: list[tuple[str, list[Problem]]] = []
        for path, loaded in zip(scenarios or [None], load_each(scenarios, set_, jobs=jobs)):
            if loaded.unreadable:  # the first file that cannot be read at all stops the command
                raise ScenarioError(loaded.problems, unreadable=True)
            checked.append((FileSource().label(path) if path else "(built-in)", loaded.problems))
        invalid = [file for file, problems in checked if problems]
        fmt = output_format(format_, output)
        if fmt is OutputFormat.table and output is None:
            sys.stdout.write("".join(f"{p}\n" for _, problems in checked for p in problems))
        else:  # the documents (and the model they import) only for a document
            from ..documents import Command, FileCheck

            emit([FileCheck(file, tuple(problems)) for file, problems in checked], fmt, output,
                 view=Command.VALIDATE)
        count = len(checked)
        if invalid:
            sys.stderr.write(f"{len(invalid)} of {counted(count, 'scenario')} invalid\n")
            raise typer.Exit(ExitCode.CHECK_FAILED)
        sys.stderr.write(f"{counted(count, 'scenario')} valid\n")

@command(app)
def schema(output: OutputOption = None) -> None:
    """Print the JSON Schema (draft 2020-12) of scenario files, for editors and CI.

    It is generated from the same definitions the loader validates with. Point an editor at
    it with a first line `# yaml-language-server: $schema=scenario.schema.json`.

    Examples:

      chipcalc schema -o scenario.schema.json

      check-jsonschema --schemafile scenario.schema.json scenarios/*.yaml
    """
    from ..render.json_csv import render_json
    from ..schema import scenario_schema

    with error_boundary():
        if output is not None and OutputFormat.named_by(str(output)) not in (None, OutputFormat.json):
            raise UsageError(f"-o {printable(str(output))}: a {output.suffix} file, but the schema is JSON; "
                             "name the file .json")
        text = render_json(scenario_schema())
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomic(output, text)
            sys.stderr.write(f"wrote {output}\n")
