"""The what-if analyses of one scenario: breakeven (and goal seek), sweep, sensitivity, simulate."""

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ..errors import UsageError
from ..fileio import write_atomic
from .common import (FormatOption, OrderOption, OutputOption, ScenarioArg, ScenarioArgs, SetOption, command,
                     emit, error_boundary, load_all)

if TYPE_CHECKING:
    from ..scenario import Scenario

app = typer.Typer()

ChipOption = Annotated[str | None, typer.Option("--option", metavar="CHIP", show_default=False,
                                                help="The option (default: the cheapest other chip).")]
PlotOption = Annotated[Path | None, typer.Option("--plot", metavar="FILE", show_default=False,
                                                 help="Also draw it to FILE.svg or FILE.png (needs "
                                                      "pip install 'chipcalc[plot]').")]


def load_one(scenario: str | None, sets: list[str] | None) -> "Scenario":
    from ..loader import ScenarioLoader

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
        from ..render.plots import check_plot_path

        check_plot_path(plot)


@command(app)
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
    from ..documents import Analysis, Command

    with error_boundary():
        if vary is None:
            if option is not None or order is not None:
                raise UsageError("--option and --order go with --vary; without it every option of every "
                                 "order is shown")
            emit(load_all([scenario] if scenario else None, set_), format_, output, view=Command.BREAKEVENS)
            return
        from ..analysis.common import order_index
        from ..analysis.solve import goal_seek

        loaded = load_one(scenario, set_)
        index = order_index(loaded, order)
        seek = goal_seek(loaded, vary, option, index)
        emit(Analysis(seek, loaded), format_, output, view=Command.SEEK)


@command(app)
def sweep(
    scenario: ScenarioArg = None,
    vary: Annotated[list[str] | None, typer.Option(
        "--vary", metavar="PATH=START:STOP:STEP", show_default=False,
        help="An input and its values, written as in a file: chips.h200.levy_rate=0%:50%:5%. Once or twice.")]
    = None,
    metric: Annotated[str, typer.Option("--metric", help="Any number of an option in the compare JSON "
                                        "(tco_usd, vs_order, buyer_price_usd, tflops_per_kusd, ...) or "
                                        "cheapest.")] = "tco_usd",
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
    from ..analysis.common import order_index
    from ..analysis.sweep import grid_values, sweep as run_sweep
    from ..documents import Analysis, Command
    from ..loader import parse_input
    from ..render.plots import plot_sweep

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
        draw(plot, lambda fmt: plot_sweep(result, loaded, fmt))
        emit(Analysis(result, loaded), format_, output, view=Command.SWEEP)


@command(app)
def sensitivity(
    scenario: ScenarioArg = None,
    swing: Annotated[str, typer.Option("--swing", metavar="RATE", help="How far each input without a range "
                                       "moves down and up, as a share of its value.")] = "20%",
    swing_points: Annotated[float | None, typer.Option(
        "--swing-points", metavar="N", show_default=False,
        help="Move each rate without a range by N percentage points instead (10: ±0.10), clamped to its "
             "valid range; other inputs still move by --swing.")] = None,
    metric: Annotated[str, typer.Option("--metric", help="Any number of an option in the compare JSON "
                                        "(tco_usd, buyer_price_usd, ...).")] = "vs_order",
    option: ChipOption = None,
    order: OrderOption = None,
    plot: PlotOption = None,
    set_: SetOption = None,
    format_: FormatOption = None,
    output: OutputOption = None,
) -> None:
    """A tornado: which inputs move a metric of one option most.

    Every numeric input is moved down and up, the model re-run, and the inputs ranked by how far
    the metric moves. An input written as a range (28k to 36k, {low, high}) moves to its own low
    and high; with --swing-points, a rate (a levy rate, a utilisation, a pass-through) moves by
    that many percentage points; every other input moves by the swing, a share of its value. Each
    is clamped to its valid range. An input at 0 cannot move by a share of itself: the output
    lists it. By default the metric is vs_order of the cheapest other option: which assumption
    decides whether switching pays.

    Examples:

      chipcalc sensitivity scenarios/h200-2026.yaml

      chipcalc sensitivity scenarios/h200-2026.yaml --swing 10% --metric tco_usd --option ascend_910c --plot tornado.svg

      chipcalc sensitivity scenarios/h200-2026-uncertain.yaml --swing-points 10
    """
    from ..analysis.common import order_index
    from ..analysis.sensitivity import sensitivity as run_sensitivity
    from ..documents import Analysis, Command
    from ..render.plots import plot_tornado
    from ..values import parse_rate

    with error_boundary():
        try:
            share = parse_rate(swing)
        except ValueError as error:
            raise UsageError(f"--swing {error}") from None
        check_plot(plot)
        loaded = load_one(scenario, set_)
        tornado = run_sensitivity(loaded, metric, option, order_index(loaded, order), share, swing_points)
        draw(plot, lambda fmt: plot_tornado(tornado, fmt))
        emit(Analysis(tornado, loaded), format_, output, view=Command.TORNADO)


@command(app)
def simulate(
    scenario: ScenarioArg = None,
    samples: Annotated[str, typer.Option("--samples", "-n", metavar="N",
                                         help="How many samples: 10000, 10k, 1M.")] = "10k",
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
    from ..analysis.simulate import simulate as run_simulation
    from ..documents import Analysis, Command
    from ..render.plots import plot_simulation
    from ..values import parse_count

    with error_boundary():
        try:
            count = parse_count(samples)
        except ValueError as error:
            raise UsageError(f"--samples {error}") from None
        check_plot(plot)
        loaded = load_one(scenario, set_)
        with progress_bar(count) as advance:
            result = run_simulation(loaded, count, seed, progress=advance)
        draw(plot, lambda fmt: plot_simulation(result, fmt))
        emit(Analysis(result, loaded), format_, output, view=Command.SIMULATION)


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


@command(app)
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
    from ..analysis.cashflow import cash_flows, period_years
    from ..documents import Command
    from ..render.plots import plot_cashflow

    with error_boundary():
        length = period_years(period)
        check_plot(plot)
        flows = cash_flows(load_all(scenarios, set_), length, order)
        draw(plot, lambda fmt: plot_cashflow(flows, fmt))
        emit(flows, format_, output, view=Command.CASHFLOW)
