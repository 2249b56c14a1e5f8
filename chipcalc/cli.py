"""The command line: options, consoles, the error boundary. No arithmetic here.

Each command loads scenarios, calls the model once, hands the result to a
view and prints what the renderer built. Results go to stdout (or `-o
FILE`, written atomically); messages and errors go to stderr.
"""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import __version__
from .errors import ChipcalcError, ExitCode, Problem, ScenarioError, UsageError
from .fileio import write_atomic
from .render import OutputFormat

if TYPE_CHECKING:
    from .documents import Command
    from .model import ScenarioResult
    from .render.layout import Section
    from .scenario import Scenario

app = typer.Typer(
    name="chipcalc",
    help="What-if economics of AI accelerators under export levies.\n\n"
    "Reads YAML scenario files (chips, levy rates, orders, migration and operating costs) and "
    "compares the outcomes. With no SCENARIO, commands use the built-in 2026 H200 scenario.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help: rich help imports markdown-it and costs 0.2 s a call
    context_settings={"help_option_names": ["-h", "--help"]},
)

state = {"debug": False}

ScenarioArgs = Annotated[
    list[str] | None,
    typer.Argument(metavar="SCENARIO", help="Scenario files; the built-in scenario when none is given.",
                   show_default=False),
]
ScenarioArg = Annotated[str | None, typer.Argument(metavar="SCENARIO", show_default=False,
                                                   help="A scenario file (the built-in one when omitted).")]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", metavar="PATH=VALUE", show_default=False,
                 help="Override a value, as if written in every scenario: chips.h200.levy_rate=30%. Repeatable."),
]
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", show_default=False,
                 help="Output format: table (the default), json, csv or markdown; -o FILE.json etc. also choose it."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", show_default=False,
                 help="Write the result to FILE (.json, .csv, .md pick the format) instead of stdout."),
]


def _version(value: bool) -> None:
    if value:
        print(f"chipcalc {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")] = False,
) -> None:
    state["debug"] = debug


# Shared plumbing -------------------------------------------------------------


@contextmanager
def error_boundary() -> Iterator[None]:
    """Turn a user's mistake into its message on stderr and an exit code; never a traceback."""
    try:
        yield
    except ChipcalcError as error:
        if state["debug"]:
            raise
        prefix = "" if isinstance(error, ScenarioError) else "error: "
        sys.stderr.write(f"{prefix}{error}\n")
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise typer.Exit(130) from None


def load_all(paths: list[str] | None, sets: list[str] | None) -> "list[ScenarioResult]":
    """Load and evaluate every scenario, reporting the problems of all files at once."""
    from .loader import ScenarioLoader
    from .model import evaluate

    loader = ScenarioLoader()
    results, problems = [], []
    for path in paths or [None]:
        try:
            results.append(evaluate(loader.load(path, sets or ())))
        except ScenarioError as error:
            problems += error.problems
    if problems:
        raise ScenarioError(problems)
    return results


def emit(results: Any, fmt: OutputFormat | None, output: Path | None, view: "Command") -> None:
    """Render `results` as the command `view` shows them (its JSON and CSV from `documents.VIEWS`,
    its tables from `render.sections`) to stdout or `output`."""
    from .documents import VIEWS  # here, not at the top: --version and --help need none of the model

    shown = VIEWS[view]
    fmt = fmt or (OutputFormat.from_path(str(output)) if output else OutputFormat.table)
    if fmt is OutputFormat.json:
        from .render.json_csv import render_json

        text = shown.json_text(results) if shown.json_text else render_json(shown.document(results))
    elif fmt is OutputFormat.csv:
        from .render.json_csv import render_csv

        text = shown.csv_text(results) if shown.csv_text else render_csv(shown.rows(results), shown.columns)
    elif fmt is OutputFormat.markdown:
        from .render.markdown import render_markdown

        text = render_markdown(_sections(results, view))
    else:
        text = None
    if output is not None:
        write_atomic(output, text if text is not None else _table_text(_sections(results, view)))
        sys.stderr.write(f"wrote {output}\n")
    elif text is not None:
        sys.stdout.write(text)
    else:
        _print_table(_sections(results, view))


def _sections(results: Any, view: "Command") -> "list[Section]":
    """What `view` shows a person (`render.sections.SECTIONS`); JSON and CSV runs never load it."""
    from .render.sections import SECTIONS

    return SECTIONS[view](results)


def _print_table(sections: "list[Section]") -> None:
    """On a terminal (or with FORCE_COLOR), rich tables with colour; in a pipe, plain text."""
    if not (sys.stdout.isatty() or os.environ.get("FORCE_COLOR")):
        sys.stdout.write(_table_text(sections))
        return
    from rich.console import Console

    from .render.terminal import render_table

    console = Console(highlight=False, soft_wrap=False)  # reads NO_COLOR, FORCE_COLOR, COLUMNS here
    console.print(render_table(sections))


def _table_text(sections: "list[Section]") -> str:
    from .render.text import render_text

    try:
        width = int(os.environ.get("COLUMNS", "80"))
    except ValueError:
        width = 80
    return render_text(sections, width)


# Commands -------------------------------------------------------------------


@app.command()
def compare(scenarios: ScenarioArgs = None, set_: SetOption = None, format_: FormatOption = None,
            output: OutputOption = None) -> None:
    """Compare every chip as an option for each order's demand: cost, levy, breakevens.

    For each order, every chip in the scenario is costed as a way to buy the same effective
    compute: units, capex, levy, energy, migration, total cost of ownership (TCO), cost per
    effective PFLOP/s and the breakevens at which switching pays. Options are listed cheapest
    first; the order's own chip is marked *. Several scenarios get a side-by-side summary.

    Examples:

      chipcalc compare scenarios/h200-2026.yaml

      chipcalc compare scenarios/levy-absorbed.yaml scenarios/levy-passed-through.yaml

      chipcalc compare scenarios/h200-2026.yaml --set chips.h200.levy_rate=35% -f json | jq .
    """
    from .documents import Command

    with error_boundary():
        emit(load_all(scenarios, set_), format_, output, view=Command.COMPARE)


@app.command()
def chips(scenarios: ScenarioArgs = None, set_: SetOption = None, format_: FormatOption = None,
          output: OutputOption = None) -> None:
    """The chip table: prices with the levy, effective TFLOP/s, compute per dollar, TPP.

    Throughput is dense (no sparsity) at the scenario's precision, so chips compare like
    for like.

    Examples:

      chipcalc chips scenarios/article-check.yaml

      chipcalc chips -f csv -o chips.csv
    """
    from .documents import Command

    with error_boundary():
        emit(load_all(scenarios, set_), format_, output, view=Command.CHIPS)


@app.command()
def levy(scenarios: ScenarioArgs = None, set_: SetOption = None, format_: FormatOption = None,
         output: OutputOption = None) -> None:
    """Spend, levy paid and vendor net revenue per order, per chip and in total.

    Examples:

      chipcalc levy scenarios/article-check.yaml

      chipcalc levy scenarios/h200-2026.yaml --set assumptions.levy_pass_through=100%
    """
    from .documents import Command

    with error_boundary():
        emit(load_all(scenarios, set_), format_, output, view=Command.LEVY)


@app.command()
def validate(scenarios: ScenarioArgs = None, set_: SetOption = None, format_: FormatOption = None,
             output: OutputOption = None) -> None:
    """Check scenario files: every problem as FILE:LINE:COL: PATH: message.

    Prints nothing but a summary (on stderr) when all files are valid; exits 1 when any is
    invalid, 2 when a file cannot be read at all.

    Examples:

      chipcalc validate scenarios/*.yaml

      chipcalc validate scenarios/*.yaml -f json
    """
    from .documents import Command, FileCheck
    from .loader import ScenarioLoader

    with error_boundary():
        loader = ScenarioLoader()
        checked: list[tuple[str, list[Problem]]] = []
        for path in scenarios or [None]:
            try:
                loader.load(path, set_ or ())
                checked.append((path or "(built-in)", []))
            except ScenarioError as error:
                if error.unreadable:
                    raise
                checked.append((path or "(built-in)", error.problems))
        invalid = [file for file, problems in checked if problems]
        fmt = format_ or (OutputFormat.from_path(str(output)) if output else OutputFormat.table)
        if fmt is OutputFormat.table and output is None:
            sys.stdout.write("".join(f"{p}\n" for _, problems in checked for p in problems))
        else:
            emit([FileCheck(file, tuple(problems)) for file, problems in checked], fmt, output,
                 view=Command.VALIDATE)
        count = len(checked)
        if invalid:
            sys.stderr.write(f"{len(invalid)} of {count} scenario{'s' if count > 1 else ''} invalid\n")
            raise typer.Exit(ExitCode.CHECK_FAILED)
        sys.stderr.write(f"{count} scenario{'s' if count > 1 else ''} valid\n")


OrderOption = Annotated[str | None, typer.Option("--order", metavar="NAME", show_default=False,
                                                 help="The order (default: the first).")]
ChipOption = Annotated[str | None, typer.Option("--option", metavar="CHIP", show_default=False,
                                                help="The option (default: the cheapest other chip).")]
PlotOption = Annotated[Path | None, typer.Option("--plot", metavar="FILE", show_default=False,
                                                 help="Also draw it to FILE.svg or FILE.png (needs "
                                                      "pip install 'chipcalc[plot]').")]


def load_one(scenario: str | None, sets: list[str] | None) -> "Scenario":
    from .loader import ScenarioLoader

    return ScenarioLoader().load(scenario, sets or ())


def draw(plot: Path | None, picture: "Callable[[str], bytes]") -> None:
    """Write the file `plot`, when one was asked for: `picture` draws it as svg or png bytes."""
    if plot is None:
        return
    write_atomic(plot, picture(plot.suffix[1:].lower()))
    sys.stderr.write(f"wrote {plot}\n")


def check_plot(plot: Path | None) -> None:
    """Refuse a bad plot file name before any work is done."""
    if plot is not None:
        from .render.plots import check_plot_path

        check_plot_path(plot)


@app.command()
def breakeven(
    scenario: ScenarioArg = None,
    vary: Annotated[str | None, typer.Option("--vary", metavar="PATH", show_default=False,
                                             help="Goal seek on this input: the value at which the option "
                                                  "costs the same as the order's chip.")] = None,
    option: ChipOption = None,
    order: OrderOption = None,
    set_: SetOption = None,
    format_: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Breakevens of switching from the order's chip: closed forms, or a goal seek on any input.

    Without --vary, the five closed-form breakevens of MODEL.md for every option. With --vary
    PATH, the value of that input (any numeric input: the same paths as --set) at which the
    option's TCO equals the order chip's, searched inside the input's valid range, with the
    order's demand held fixed (unless PATH is the order's own units or budget).

    Examples:

      chipcalc breakeven scenarios/h200-2026.yaml

      chipcalc breakeven scenarios/levy-passed-through.yaml --vary chips.h200.levy_rate

      chipcalc breakeven scenarios/h200-2026.yaml --vary platforms.cann.engineer_months --option ascend_910c
    """
    from .documents import Analysis, Command

    with error_boundary():
        if vary is None:
            if option is not None or order is not None:
                raise UsageError("--option and --order go with --vary; without it every option of every "
                                 "order is shown")
            emit(load_all([scenario] if scenario else None, set_), format_, output, view=Command.BREAKEVENS)
            return
        from .analysis.common import order_index
        from .analysis.solve import goal_seek

        loaded = load_one(scenario, set_)
        index = order_index(loaded, order)
        seek = goal_seek(loaded, vary, option, index)
        emit(Analysis(seek, loaded), format_, output, view=Command.SEEK)


@app.command()
def sweep(
    scenario: ScenarioArg = None,
    vary: Annotated[list[str] | None, typer.Option(
        "--vary", metavar="PATH=START:STOP:STEP", show_default=False,
        help="An input and its values, written as in a file: chips.h200.levy_rate=0%:50%:5%. Once or twice.")]
    = None,
    metric: Annotated[str, typer.Option("--metric", help="An option field of the compare JSON (tco_usd, "
                                        "vs_order, usd_per_effective_pflops, ...) or cheapest.")] = "tco_usd",
    order: OrderOption = None,
    plot: PlotOption = None,
    set_: SetOption = None,
    format_: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """A data table: a metric of every option over one or two inputs varied on a grid.

    The model is re-run at every point (a budget order buys fewer units when its chip gets
    dearer). Tables show evenly spaced points of a large grid; JSON and CSV (one row per point)
    carry them all. --plot draws a line per option for one input (dotted where the cheapest
    option changes), or maps of the cheapest option and the metric for two.

    Examples:

      chipcalc sweep scenarios/h200-2026.yaml --vary assumptions.levy_pass_through=0%:100%:10% --metric vs_order

      chipcalc sweep --vary chips.h200.levy_rate=0%:50%:5% --vary assumptions.levy_pass_through=0:1:0.25 --metric cheapest

      chipcalc sweep --vary chips.ascend_910c.utilization=20%:60%:1% --plot sweep.svg
    """
    from .analysis.common import order_index
    from .analysis.sweep import grid_values, sweep as run_sweep
    from .documents import Analysis, Command
    from .loader import parse_input
    from .render.plots import plot_sweep

    with error_boundary():
        if not vary:
            raise UsageError("sweep needs --vary PATH=START:STOP:STEP, e.g. --vary chips.h200.levy_rate=0%:50%:5%")
        check_plot(plot)
        loaded = load_one(scenario, set_)
        varies = []
        for item in vary:
            path, sep, spec = item.partition("=")
            parts = spec.split(":")
            if not sep or len(parts) != 3:
                raise UsageError(f"--vary {item!r}: expected PATH=START:STOP:STEP, e.g. "
                                 "chips.h200.levy_rate=0%:50%:5%")
            start, stop, step = (parse_input(loaded, path.strip(), part) for part in parts)
            varies.append((path.strip(), grid_values(start, stop, step)))
        result = run_sweep(loaded, varies, metric, order_index(loaded, order))
        draw(plot, lambda fmt: plot_sweep(result, fmt))
        emit(Analysis(result, loaded), format_, output, view=Command.SWEEP)


@app.command()
def sensitivity(
    scenario: ScenarioArg = None,
    swing: Annotated[str, typer.Option("--swing", metavar="RATE", help="How far each input moves down and up.")]
    = "20%",
    metric: Annotated[str, typer.Option("--metric", help="An option field of the compare JSON.")] = "vs_order",
    option: ChipOption = None,
    order: OrderOption = None,
    plot: PlotOption = None,
    set_: SetOption = None,
    format_: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """A tornado: which inputs move a metric of one option most.

    Every numeric input is moved down and up by the swing (clamped to its valid range), the model
    re-run, and the inputs ranked by how far the metric moves. By default the metric is vs_order
    of the cheapest other option: which assumption decides whether switching pays.

    Examples:

      chipcalc sensitivity scenarios/h200-2026.yaml

      chipcalc sensitivity scenarios/h200-2026.yaml --swing 10% --metric tco_usd --option ascend_910c --plot tornado.svg
    """
    from .analysis.common import order_index
    from .analysis.sensitivity import sensitivity as run_sensitivity
    from .documents import Analysis, Command
    from .render.plots import plot_tornado
    from .values import parse_rate

    with error_boundary():
        try:
            share = parse_rate(swing)
        except ValueError as error:
            raise UsageError(f"--swing {error}") from None
        check_plot(plot)
        loaded = load_one(scenario, set_)
        tornado = run_sensitivity(loaded, metric, option, order_index(loaded, order), share)
        draw(plot, lambda fmt: plot_tornado(tornado, fmt))
        emit(Analysis(tornado, loaded), format_, output, view=Command.TORNADO)


@app.command()
def simulate(
    scenario: ScenarioArg = None,
    samples: Annotated[int, typer.Option("--samples", "-n", metavar="N", help="How many samples.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", metavar="S", help="The random seed: the same seed gives the "
                                      "same output.")] = 0,
    plot: PlotOption = None,
    set_: SetOption = None,
    format_: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Monte Carlo over the scenario's uncertain ranges: percentiles of cost and who is cheapest.

    Every input written as a range ({low, high}, {low, mode, high}, dist: normal or lognormal,
    or `28k to 36k`) is sampled; the model is evaluated once per chunk of samples on arrays. For
    each order: P5, P50, P95 and mean of each option's TCO and cost per effective PFLOP/s, the
    probability that each option is the cheapest, and the levy paid.

    Examples:

      chipcalc simulate bench/scenarios/simulate.yaml --samples 100000 --seed 1

      chipcalc simulate bench/scenarios/simulate.yaml -n 1000000 --plot tco.png
    """
    from .analysis.simulate import simulate as run_simulation
    from .documents import Analysis, Command
    from .render.plots import plot_simulation

    with error_boundary():
        check_plot(plot)
        loaded = load_one(scenario, set_)
        with progress_bar(samples) as advance:
            result = run_simulation(loaded, samples, seed, progress=advance)
        draw(plot, lambda fmt: plot_simulation(result, fmt))
        emit(Analysis(result, loaded), format_, output, view=Command.SIMULATION)


@app.command()
def cashflow(
    scenarios: ScenarioArgs = None,
    period: Annotated[str, typer.Option("--period", metavar="LENGTH",
                                        help="year, quarter or month.")] = "year",
    order: Annotated[str | None, typer.Option("--order", metavar="NAME", show_default=False,
                                              help="Only this order (default: every order).")] = None,
    plot: PlotOption = None,
    set_: SetOption = None,
    format_: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """Each option's costs period by period, and when switching pays back.

    For each order, every chip as an option for the same demand (as compare costs it): capex and
    migration at period 0, then each period's energy, facility, maintenance and operations, paid
    (undiscounted) and discounted, and the cumulative discounted cost, which ends at the TCO.
    "switching pays" (payback_years in JSON) is the life at which an option's cumulative cost
    meets the order chip's: breakeven 6. Tables of
    many quarters or months show yearly subtotals; JSON and CSV (one row per period) carry every
    period. --plot draws the cumulative costs over time with the crossings marked.

    Examples:

      chipcalc cashflow scenarios/h200-2026.yaml

      chipcalc cashflow scenarios/levy-passed-through.yaml --period quarter --plot payback.svg

      chipcalc cashflow scenarios/h200-2026.yaml --set assumptions.discount_rate=8% --order approved-2026

      chipcalc cashflow scenarios/h200-2026.yaml --period month -f csv -o cashflow.csv
    """
    from .analysis.cashflow import cash_flows, period_years
    from .documents import Command
    from .render.plots import plot_cashflow

    with error_boundary():
        length = period_years(period)
        check_plot(plot)
        flows = cash_flows(load_all(scenarios, set_), length, order)
        draw(plot, lambda fmt: plot_cashflow(flows, fmt))
        emit(flows, format_, output, view=Command.CASHFLOW)


@contextmanager
def progress_bar(total: int) -> Iterator[Callable[[int], None] | None]:
    """A progress bar on stderr for a long run, when stderr is a terminal; nothing otherwise."""
    if total < 2_000_000 or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(transient=True, console=None) as bar:
        task = bar.add_task("simulating", total=total)
        yield lambda done: bar.update(task, completed=done)


@app.command()
def report(
    scenarios: ScenarioArgs = None,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="The report directory.",
                                      show_default=False)] = ...,  # type: ignore[assignment]
    set_: SetOption = None,
    format_: Annotated[OutputFormat, typer.Option("--format", "-f", help="markdown or json reports.")]
    = OutputFormat.markdown,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 when a report on disk is "
                                        "missing, stale or orphaned.")] = False,
) -> None:
    """Write one report per scenario and an index.md linking them, each with a one-line verdict.

    A report has the scenario's title and description, its assumptions, platforms and orders
    with their sources and dates, the chip tables, the comparison and breakevens of every
    order, the levy totals and any collapsed ranges. Files are written whole or not at all,
    and are byte-identical for identical input, so reports can be committed and checked in CI.

    Examples:

      chipcalc report scenarios/*.yaml --out reports

      chipcalc report scenarios/*.yaml --out reports --check
    """
    from .render.reports import report_files

    with error_boundary():
        if format_ not in (OutputFormat.markdown, OutputFormat.json):
            raise UsageError(f"report --format takes markdown or json, not {format_.value}")
        files = report_files(load_all(scenarios, set_), format_.value)
        if check:
            problems = _stale_reports(out, files)
            if problems:
                command = " ".join(["chipcalc report", *(scenarios or []), "--out", str(out)]
                                   + (["-f", "json"] if format_ is OutputFormat.json else []))
                sys.stderr.write("".join(f"{line}\n" for line in problems) + f"update them with: {command}\n")
                raise typer.Exit(ExitCode.CHECK_FAILED)
            sys.stderr.write(f"{len(files)} reports in {out} are up to date\n")
            return
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UsageError(f"cannot create {out}: {error.strerror or error}") from None
        for name, text in files.items():
            write_atomic(out / name, text)
        sys.stderr.write(f"wrote {len(files)} reports to {out}\n")


def _stale_reports(out: Path, files: dict[str, str]) -> list[str]:
    """What `report --check` reports: files missing, different, or not made by any scenario."""
    problems = []
    for name, text in files.items():
        path = out / name
        if not path.is_file():
            problems.append(f"{path}: missing")
        elif path.read_bytes() != text.encode("utf-8"):
            problems.append(f"{path}: stale (differs from what the scenarios give now)")
    suffix = Path(next(iter(files))).suffix
    if out.is_dir():
        for path in sorted(out.glob(f"*{suffix}")):
            if path.name not in files:
                problems.append(f"{path}: orphaned (no scenario gives it; delete it)")
    return problems


@app.command()
def diff(
    old: Annotated[str, typer.Argument(metavar="OLD", help="A scenario file, or REV:PATH at a git revision.",
                                       show_default=False)],
    new: Annotated[str, typer.Argument(metavar="NEW", help="A scenario file, or REV:PATH at a git revision.",
                                       show_default=False)],
    set_: SetOption = None,
    format_: FormatOption = None,
    output: OutputOption = None,
    fail_on_change: Annotated[bool, typer.Option("--fail-on-change",
                                                 help="Exit 1 when anything changed.")] = False,
    max_change: Annotated[str | None, typer.Option(
        "--max-change", metavar="RATE", show_default=False,
        help="Exit 1 when an outcome moves by more than RATE (5%): money and quantities relative to "
             "their old value, fractions in absolute points; or when the cheapest option or a "
             "breakeven's reason changes.")] = None,
) -> None:
    """What changed between two scenarios, inputs and outcomes; only what changed is listed.

    OLD and NEW are files or git revisions (`HEAD~1:scenarios/base.yaml`); a scenario read at a
    revision resolves its `extends` at that revision. As a CI gate, `--fail-on-change` or
    `--max-change 5%` exit 1 with a summary on stderr.

    Examples:

      chipcalc diff scenarios/h200-2026.yaml scenarios/subsidy-lapses.yaml

      chipcalc diff main:scenarios/h200-2026.yaml scenarios/h200-2026.yaml -f markdown

      chipcalc diff HEAD~1:scenarios/h200-2026.yaml scenarios/h200-2026.yaml --max-change 5%
    """
    from .analysis.diff import diff_results
    from .documents import Command
    from .documents.compare import outcomes
    from .model import evaluate
    from .render.sections.checks import show_outcome
    from .values import parse_rate

    with error_boundary():
        limit = None
        if max_change is not None:
            try:
                limit = parse_rate(max_change)
            except ValueError as error:
                raise UsageError(f"--max-change {error}") from None
        before, after = (evaluate(load_reference(argument, set_)) for argument in (old, new))
        changes = diff_results(before, after, outcomes)
        emit(changes, format_, output, view=Command.DIFF)
        if fail_on_change and changes.changed:
            sys.stderr.write(f"changed: {len(changes.inputs)} inputs, {len(changes.outcomes)} outcomes\n")
            raise typer.Exit(ExitCode.CHECK_FAILED)
        if limit is not None:
            breaking = [c for c in changes.outcomes if c.exceeds(limit)]
            if breaking:
                sys.stderr.write(f"{len(breaking)} outcome{'s' if len(breaking) > 1 else ''} moved more than "
                                 f"{max_change}:\n")
                sys.stderr.write("".join(f"  {c.where}: {c.field} {show_outcome(c.old, c.field)} -> "
                                         f"{show_outcome(c.new, c.field)}\n" for c in breaking))
                raise typer.Exit(ExitCode.CHECK_FAILED)


def load_reference(argument: str, sets: list[str] | None) -> "Scenario":
    """A scenario from a file, or from `REV:PATH` at a git revision."""
    from .loader.git import GitSource, split_revision
    from .loader import ScenarioLoader

    at_revision = split_revision(argument)
    if at_revision is None:
        return ScenarioLoader().load(argument, sets or ())
    source = GitSource.open(at_revision[0])
    return ScenarioLoader(source).load(source.path(at_revision[1]), sets or ())


@app.command()
def explain(
    scenario: ScenarioArg = None,
    metric: Annotated[str, typer.Argument(metavar="METRIC", help="A field of the compare JSON: tco_usd, "
                                          "buyer_price_usd, breakeven.levy_rate, ...")] = "tco_usd",
    order: OrderOption = None,
    chip: Annotated[str | None, typer.Option("--chip", metavar="CHIP", show_default=False,
                                             help="The option (default: the order's chip; for a breakeven, "
                                                  "the cheapest other option).")] = None,
    set_: SetOption = None,
    format_: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """How one number was computed: its formula, each term's value, and where each input came from.

    Every input is traced to the file and line that set it (or an inherited parent, `--set`, or a
    default) with its `source:`. METRIC is a field of the compare JSON; per-order fields (spend_usd,
    levy_usd, ...) are explained for the order unless --chip names an option.

    Examples:

      chipcalc explain scenarios/h200-2026.yaml tco_usd --chip ascend_910c

      chipcalc explain scenarios/levy-passed-through.yaml breakeven.levy_rate

      chipcalc explain scenarios/article-check.yaml levy_usd --order h20-same-spend
    """
    from .analysis.explain import explain as explain_metric
    from .documents import Analysis, Command

    with error_boundary():
        (result,) = load_all([scenario] if scenario else None, set_)
        explanation = Analysis(explain_metric(result, metric, order, chip), result.scenario)
        emit(explanation, format_, output, view=Command.EXPLAIN)


@app.command()
def schema(output: OutputOption = None) -> None:
    """Print the JSON Schema (draft 2020-12) of scenario files, for editors and CI.

    It is generated from the same definitions the loader validates with. Point an editor at
    it with a first line `# yaml-language-server: $schema=scenario.schema.json`.

    Examples:

      chipcalc schema -o scenario.schema.json

      check-jsonschema --schemafile scenario.schema.json scenarios/*.yaml
    """
    from .render.json_csv import render_json
    from .schema import scenario_schema

    with error_boundary():
        text = render_json(scenario_schema())
        if output is None:
            sys.stdout.write(text)
        else:
            write_atomic(output, text)
            sys.stderr.write(f"wrote {output}\n")


def _unwrapped(docstring: str) -> str:
    """A docstring as help: paragraphs joined into single lines for the terminal to wrap; example
    lines (indented) kept as they are."""
    import inspect

    paragraphs = []
    for paragraph in inspect.cleandoc(docstring).split("\n\n"):
        lines = paragraph.splitlines()
        paragraphs.append("\n".join(lines) if lines[0].startswith(" ") else " ".join(lines))
    return "\n\n".join(paragraphs)


for _command in app.registered_commands:
    _command.help = _unwrapped(_command.callback.__doc__ or "")
    # `chipcalc -h` lists the whole first paragraph, which click would otherwise cut at 45 characters
    _command.short_help = _command.help.split("\n\n")[0]


def main() -> None:
    """The console script: run the app, and leave quietly when a pipe closes early."""
    try:
        app()
    except BrokenPipeError:
        # `chipcalc ... | head`: the reader left; say nothing more.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(ExitCode.OK)
