"""Pictures: sweeps, tornadoes, simulated distributions and cash flows, as the bytes of an SVG or PNG file.

matplotlib is an optional extra (`pip install 'chipcalc[plot]'`), imported only
here and only when a plot is asked for. Pure like the other renderers: the CLI
writes the bytes (atomically, with `fileio.write_atomic`).
"""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..errors import UsageError
from ..kinds import Display, input_kind, kind_of
from ..values import counted, human_money, human_number, human_rate
from .sections.whatif import moved_by, moves_legend

if TYPE_CHECKING:
    from ..analysis.cashflow import CashFlows, OrderFlows
    from ..analysis.sensitivity import Tornado
    from ..analysis.simulate import Simulation
    from ..analysis.sweep import Sweep
    from ..scenario import Scenario

Ticks = Callable[[float, Any], str]

FORMATS = (".svg", ".png")


def _pyplot():
    try:
        import matplotlib
    except ImportError:
        raise UsageError("--plot needs matplotlib: pip install 'chipcalc[plot]'") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update({"figure.dpi": 110, "axes.grid": True, "grid.alpha": 0.3, "svg.hashsalt": "chipcalc",
                         "axes.spines.top": False, "axes.spines.right": False})
    return plt


def check_plot_path(path: Path) -> None:
    """Refuse a plot file with an extension no plot is written as, before any work is done."""
    if path.suffix.lower() not in FORMATS:
        raise UsageError(f"--plot {path}: the file must end in .svg or .png")


def _picture(figure: Any, fmt: str) -> bytes:
    """The figure as the bytes of a `fmt` (svg or png) file; no date in the metadata, so the same
    inputs give the same file."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format=fmt, bbox_inches="tight",
                   metadata={"Date": None} if fmt == "svg" else {"Software": None})
    figure.clf()
    return buffer.getvalue()


def _axis(path: str, kind: Display) -> tuple[str, float, Ticks]:
    """A label with units, a scale for the values, and a formatter for ticks of an input shown as `kind`."""
    if kind is Display.RATE:
        return f"{path} (%)", 100.0, _precise("percent")
    if kind is Display.MONEY:
        return f"{path} (USD)", 1.0, _precise("money")
    return path, 1.0, _precise("number")


def _shown(kind: Display) -> Callable[[float], str]:
    """A value of an input shown as `kind`, as the tables show it: 37.5%, $27.0k, 1.46k."""
    return {Display.RATE: human_rate, Display.MONEY: human_money}.get(kind, human_number)


METRIC_LABELS = {
    "vs_order": ("vs_order (%, negative: cheaper than the order's chip)", Display.RATE),
    # as in compare's table, a label that abbreviates the unit: its ticks carry the $
    "usd_per_effective_pflops": ("USD per effective PFLOP/s", Display.MONEY),
}
"""Metrics whose axis says more than their name: its label and how its ticks are shown."""


def metric_text(metric: str, value: float) -> str:
    """A value of `metric` as the tables show it."""
    kind = METRIC_LABELS[metric][1] if metric in METRIC_LABELS else kind_of(metric)
    return {Display.MONEY: human_money, Display.RATE: human_rate}.get(kind, human_number)(value)


def _metric_axis(metric: str) -> tuple[str, Ticks]:
    kind = kind_of(metric)
    label, kind = METRIC_LABELS.get(metric, (f"{metric} (USD)" if kind is Display.MONEY else metric, kind))
    return label, _precise({Display.MONEY: "money", Display.RATE: "rate"}.get(kind, "number"))


SUFFIXES = (("T", 1e12), ("B", 1e9), ("M", 1e6), ("k", 1e3))


def tick_labels(values: Sequence[float], kind: str) -> list[str]:
    """Labels for ticks at `values`, with the decimals their spacing needs (`$36.10B`, `$36.12B`,
    never `$36.1B` twice, nor `0%, 0%`) and no `-0`. `kind`: money, rate (fractions, shown as
    percentages), percent (numbers already in percent) or number; money and numbers take the k, M, B
    or T of the largest."""
    factor = 100.0 if kind == "rate" else 1.0
    largest = max((abs(v) * factor for v in values), default=0.0)
    suffix, unit = next(((s, u) for s, u in SUFFIXES if largest >= u), ("", 1.0)) \
        if kind in ("money", "number") else ("", 1.0)
    scaled = [v * factor / unit for v in values]
    steps = [b - a for a, b in zip(sorted(set(scaled)), sorted(set(scaled))[1:])]
    step = min(steps) if steps else max(abs(scaled[0]) if scaled else 1.0, 1e-300)
    decimals = next((d for d in range(10) if all(abs(round(v, d) - v) <= 1e-6 * step for v in scaled)), 9)
    labels = []
    for v in scaled:
        v = 0.0 if abs(v) <= 1e-9 * step else v  # no -0 from a level a rounding below zero
        text = f"{abs(v):,.{decimals}f}{suffix}"
        sign = "-" if v < 0 else ""
        labels.append({"money": f"{sign}${text}", "rate": f"{sign}{text}%", "percent": f"{sign}{text}%"}
                      .get(kind, f"{sign}{text}"))
    return labels


def _precise(kind: str) -> Any:
    """A matplotlib formatter that labels each axis's ticks together (`tick_labels`)."""
    from matplotlib.ticker import Formatter

    class Precise(Formatter):
        ticks: list[float] = []

        def set_locs(self, locs: Sequence[float]) -> None:  # matplotlib passes every tick before labelling
            self.ticks = [float(v) for v in locs if math.isfinite(v)]

        def __call__(self, x: float, pos: int | None = None) -> str:
            locs = self.ticks
            if pos is None or x not in locs:  # a value shown alone (a cursor): as its own tick
                locs = sorted(set(locs) | {x})
            return tick_labels(locs, kind)[locs.index(x)]

    return Precise()


LABEL_BOX = {"boxstyle": "round,pad=0.2", "facecolor": "white", "alpha": 0.8, "edgecolor": "none"}
"""Behind a label on a plot: lines under it do not cross its text."""


def plot_sweep(sweep: Sweep, scenario: Scenario, fmt: str) -> bytes:
    """The sweep of `scenario` (whose levy bases may be money) drawn as `fmt`."""
    plt = _pyplot()
    figure = sweep_figure(sweep, scenario)
    picture = _picture(figure, fmt)
    plt.close(figure)
    return picture


def sweep_figure(sweep: Sweep, scenario: Scenario) -> Any:
    """The matplotlib figure `plot_sweep` draws: lines for one input, maps for two."""
    plt = _pyplot()
    return _sweep_line(plt, sweep, scenario) if len(sweep.paths) == 1 else _sweep_grid(plt, sweep, scenario)


def _sweep_line(plt: Any, sweep: Sweep, scenario: Scenario) -> Any:
    """One input: a line per option (or bands of the cheapest), a dotted line at each change of the
    cheapest option where the model puts it (`Sweep.changes`), the legend outside the axes."""
    import numpy as np

    figure, axes = plt.subplots(figsize=(9, 5))
    kind = input_kind(scenario, sweep.paths[0])
    label, scale, ticks = _axis(sweep.paths[0], kind)
    x = sweep.axes[0] * scale
    if sweep.values:
        for chip in sweep.chips:
            axes.plot(x, sweep.values[chip], label=chip, linewidth=2)
        ylabel, yticks = _metric_axis(sweep.metric)
        axes.set_ylabel(ylabel)
        axes.yaxis.set_major_formatter(yticks)
        axes.legend(title="option", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
    else:
        _winner_bands(axes, x, sweep, scale)
        axes.set_yticks([])
    shown = _shown(kind)
    for number, change in enumerate(sweep.changes):
        at = change.value * scale
        axes.axvline(at, color="black", linestyle=":", linewidth=1)
        # in the widest gap between the lines where they cross; over bands, each a line below the last
        height = _free_height(axes, [float(np.interp(at, x, sweep.values[chip])) for chip in sweep.chips]) \
            if sweep.values else 0.98 - 0.1 * number
        axes.annotate(f"{change.before} -> {change.after}\nat {shown(change.value)}", (at, height),
                      xycoords=("data", "axes fraction"), ha="left", va="center" if sweep.values else "top",
                      fontsize=8, xytext=(4, 0), textcoords="offset points", bbox=LABEL_BOX)
    axes.set_xlabel(label)
    axes.xaxis.set_major_formatter(ticks)
    if len(x) > 1:
        axes.set_xlim(x[0], x[-1])
    dotted = "; dotted: where the cheapest option changes" if sweep.changes else ""
    axes.set_title(f"{sweep.metric} of each option, order {sweep.order}{dotted}", fontsize=10)
    return figure


def _free_height(axes: Any, values: list[float]) -> float:
    """The middle of the widest gap between `values` (and the axes' ends), as a fraction of the
    axes' height: where a label covers no line."""
    low, high = axes.get_ylim()
    inside = [min(max((v - low) / (high - low), 0.0), 1.0) for v in values if math.isfinite(v)]
    levels = sorted([0.0, 1.0, *inside])
    below, above = max(zip(levels, levels[1:]), key=lambda gap: gap[1] - gap[0])
    return (below + above) / 2


def _winner_bands(axes: Any, x: Any, sweep: Sweep, scale: float) -> None:
    """The cheapest option as bands that meet where it changes (`Sweep.changes`)."""
    colours = _colours(len(sweep.chips))
    edges = [x[0], *(change.value * scale for change in sweep.changes), x[-1]]
    winners = [sweep.chips[int(sweep.cheapest[0])], *(change.after for change in sweep.changes)]
    for start, end, chip in zip(edges, edges[1:], winners):
        axes.axvspan(start, end, color=colours[sweep.chips.index(chip)], alpha=0.6, label=chip)
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    axes.legend(unique.values(), unique.keys(), title="cheapest", frameon=False, loc="upper left",
                bbox_to_anchor=(1.01, 1))


def _sweep_grid(plt: Any, sweep: Sweep, scenario: Scenario) -> Any:
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    xlabel, xscale, xticks = _axis(sweep.paths[1], input_kind(scenario, sweep.paths[1]))
    ylabel, yscale, yticks = _axis(sweep.paths[0], input_kind(scenario, sweep.paths[0]))
    x, y = sweep.axes[1] * xscale, sweep.axes[0] * yscale
    panels = [None] if not sweep.values else list(sweep.chips)
    columns = min(len(panels), 3)
    rows = (len(panels) + columns - 1) // columns
    figure, grid = plt.subplots(rows, columns, figsize=(5.5 * columns, 4.5 * rows), squeeze=False)
    colours = _colours(len(sweep.chips))
    for index, chip in enumerate(panels):
        axes = grid[index // columns][index % columns]
        if chip is None:
            axes.pcolormesh(x, y, sweep.cheapest, cmap=ListedColormap(colours), vmin=-0.5,
                            vmax=len(sweep.chips) - 0.5, shading="nearest")
            present = sorted(set(int(i) for i in sweep.cheapest.flat))
            axes.legend([Patch(color=colours[i]) for i in present], [sweep.chips[i] for i in present],
                        title="cheapest", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))
            axes.set_title(f"Cheapest option, order {sweep.order}", fontsize=10)
        else:
            _metric_panel(figure, axes, x, y, sweep, chip)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.xaxis.set_major_formatter(xticks)
        axes.yaxis.set_major_formatter(yticks)
        axes.grid(False)
    for index in range(len(panels), rows * columns):
        grid[index // columns][index % columns].set_visible(False)
    figure.tight_layout()
    return figure


def _metric_panel(figure: Any, axes: Any, x: Any, y: Any, sweep: Sweep, chip: str) -> None:
    """One option's metric over the grid, with the lines where the cheapest option changes; a
    metric the same everywhere (vs_order of the order's chip) is said so, not given a colour bar."""
    import numpy as np

    values = np.broadcast_to(sweep.values[chip], sweep.cheapest.shape)
    label, formatter = _metric_axis(sweep.metric)
    low, high = float(np.min(values)), float(np.max(values))
    if high - low <= 1e-9 * max(abs(low), abs(high)):
        axes.contourf(x, y, np.zeros(values.shape), levels=[-1, 1], colors=["#bdbdbd"])
        axes.text(0.5, 0.5, f"{metric_text(sweep.metric, low)} everywhere", transform=axes.transAxes,
                  ha="center", va="center", fontsize=10, bbox=LABEL_BOX)
    else:
        mesh = axes.contourf(x, y, values, levels=12, cmap="viridis")
        bar = figure.colorbar(mesh, ax=axes, format=formatter)
        bar.set_label(label, fontsize=8)
    # The edge of each option's region where it is cheapest: a contour of the chip indices themselves
    # would draw the edge between chips 0 and 2 twice, once at 0.5 and once at 1.5.
    present = sorted(set(int(i) for i in sweep.cheapest.flat))
    for index in present if len(present) > 1 else []:
        axes.contour(x, y, (sweep.cheapest == index).astype(float), levels=[0.5], colors="white",
                     linewidths=1.5)
    changes = " (white: where the cheapest option changes)" if len(present) > 1 else ""
    axes.set_title(f"{chip}: {sweep.metric}{changes}", fontsize=9)


def plot_tornado(tornado: Tornado, fmt: str, top: int = 15) -> bytes:
    plt = _pyplot()

    swings = [s for s in tornado.swings if s.width > 0][:top][::-1]
    figure, axes = plt.subplots(figsize=(9, 0.42 * max(len(swings), 3) + 1.5))
    base = tornado.base
    for row, swing in enumerate(swings):
        axes.barh(row, swing.metric_low - base, left=base, color="#4c72b0", height=0.6,
                  label="input moved down" if row == 0 else None)
        axes.barh(row, swing.metric_high - base, left=base, color="#dd8452", height=0.6,
                  label="input moved up" if row == 0 else None)
    axes.axvline(base, color="black", linewidth=1)
    axes.set_yticks(range(len(swings)), [f"{s.path} ({moved_by(s, tornado)})" for s in swings], fontsize=8)
    label, formatter = _metric_axis(tornado.metric)
    axes.xaxis.set_major_formatter(formatter)
    axes.set_xlabel(f"{label} of {tornado.option}")
    axes.set_title(f"What moves {tornado.metric} of {tornado.option} most (order {tornado.order})\nmoved by: "
                   + "; ".join(moves_legend(tornado) or [f"±{human_rate(tornado.swing)}"]), fontsize=9)
    axes.annotate(f"as given: {metric_text(tornado.metric, base)}", (base, 1.0), xytext=(4, -2),
                  xycoords=("data", "axes fraction"), textcoords="offset points", ha="left", va="top",
                  fontsize=8, bbox=LABEL_BOX)
    axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1))  # outside: on no bar
    axes.grid(axis="y", visible=False)
    picture = _picture(figure, fmt)
    plt.close(figure)
    return picture


def plot_simulation(simulation: Simulation, fmt: str) -> bytes:
    plt = _pyplot()
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    orders = simulation.orders
    most = max(len(o.options) for o in orders)
    # each panel as tall as before, and its legend, a line an option, under it
    figure, grid = plt.subplots(len(orders), 1, figsize=(9, (4.5 + 0.2 * most) * len(orders)), squeeze=False)
    colours = _colours(most)
    for axes, order in zip((row[0] for row in grid), orders):
        # Cumulative distributions: P1 to P99 of each option's TCO, read as "TCO below x in y% of samples".
        probabilities = np.arange(1, 100)
        for colour, option in zip(colours, order.options):
            axes.plot(option.tco_usd.percentiles, probabilities, color=colour, linewidth=2,
                      label=f"{option.chip}: median {human_money(option.tco_usd.p50)}, "
                            f"cheapest in {human_rate(option.p_cheapest)} of samples")
        axes.axhline(50, color="black", linewidth=0.8, linestyle=":")
        axes.xaxis.set_major_formatter(_precise("money"))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}%"))
        axes.set_ylim(0, 100)
        axes.set_xlabel("TCO (USD)")
        axes.set_ylabel("share of samples with a lower TCO")
        axes.set_title(f"TCO of each option, order {order.name}: {counted(simulation.samples, 'sample')}, "
                       f"seed {simulation.seed} (P1 to P99)", fontsize=10)
        # under the axes: a legend inside would lie on the curves of some order
        axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(0, -0.14), fontsize=8)
    figure.tight_layout()
    picture = _picture(figure, fmt)
    plt.close(figure)
    return picture


def plot_cashflow(flows: Sequence[CashFlows], fmt: str) -> bytes:
    """The cumulative discounted cost of each option over the life, one panel per order, with the
    points where an option's cost meets the order chip's marked."""
    plt = _pyplot()
    panels = [(f, order) for f in flows for order in f.orders]
    if not panels:
        raise UsageError("--plot: no order to draw; add one under orders:")
    figure, grid = plt.subplots(len(panels), 1, figsize=(10, 5 * len(panels)), squeeze=False)
    for axes, (f, order) in zip((row[0] for row in grid), panels):
        _cashflow_panel(axes, f, order)
    figure.tight_layout()
    picture = _picture(figure, fmt)
    plt.close(figure)
    return picture


def _cashflow_panel(axes: Any, flows: CashFlows, order: OrderFlows) -> None:
    import numpy as np

    from ..analysis.cashflow import cumulative_usd

    life, rate = flows.lifetime_years, flows.scenario.assumptions.discount_rate
    times = np.linspace(0.0, life, 241)  # the running costs flow continuously: draw the curve, not chords
    own = next(option for option in order.options if option.is_order_chip)
    chips = list(flows.scenario.chips)
    colours = _colours(len(chips))  # by chip, so a chip has one colour in every order's panel
    # Dearest first: the legend reads top to bottom as the curves end at the right edge.
    for option in reversed(order.options):
        colour = colours[chips.index(option.chip)]
        mine = option.is_order_chip
        axes.plot(times, cumulative_usd(option, times, rate), color="black" if mine else colour,
                  linewidth=2.6 if mine else 1.8, zorder=3 if mine else 2,
                  label=f"{option.chip}{' (the order' + chr(39) + 's chip)' if mine else ''}: "
                        f"TCO {human_money(option.tco_usd)}")
        if option.crossing is not None:
            crossing = option.crossing
            axes.plot(crossing.years, crossing.cumulative_usd, "o", color=colour, markersize=8,
                      markeredgecolor="black", zorder=4)
            # Costs only grow: no curve of the two passes above-left or below-right of the point.
            # Late in the life the label goes above-left, to stay inside the axes.
            place = ({"xytext": (-10, 10), "ha": "right", "va": "bottom"} if crossing.years > 0.6 * life
                     else {"xytext": (10, -10), "ha": "left", "va": "top"})
            axes.annotate(f"{option.chip} costs as much as {own.chip}\n"
                          f"at {crossing.years:.2f} years: {human_money(crossing.cumulative_usd)}",
                          (crossing.years, crossing.cumulative_usd), textcoords="offset points", **place,
                          fontsize=8, zorder=5, bbox={"boxstyle": "round,pad=0.3", "facecolor": "white",
                                                      "alpha": 0.85, "edgecolor": "none"})
    axes.set_xlim(0, life)
    axes.set_xlabel("years since the purchase")
    axes.set_ylabel("cumulative discounted cost (USD, present value)")
    axes.yaxis.set_major_formatter(_precise("money"))
    crossed = any(option.crossing is not None for option in order.options)
    axes.set_title(f"Cumulative discounted cost of each option, order {order.name} ({flows.scenario.name})\n"
                   f"{life:g}-year life, discount rate {human_rate(rate)}; "
                   + (f"circles: where an option has cost as much as {own.chip}" if crossed else
                      f"no option's cost meets {own.chip}'s within the life"), fontsize=10)
    axes.legend(title="option", frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=9)


def _colours(count: int) -> list[str]:
    palette = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c",
               "#ccb974", "#64b5cd"]
    return [palette[i % len(palette)] for i in range(count)]
