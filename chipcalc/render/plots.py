"""Pictures: sweeps, tornadoes, simulated distributions and cash flows, as the bytes of an SVG or PNG file.

matplotlib is an optional extra (`pip install 'chipcalc[plot]'`), imported only
here and only when a plot is asked for. Pure like the other renderers: the CLI
writes the bytes (atomically, with `fileio.write_atomic`).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

from ..errors import UsageError
from ..kinds import Display, kind_of
from ..values import counted, human_money, human_number, human_rate

if TYPE_CHECKING:
    from ..analysis.cashflow import CashFlows, OrderFlows
    from ..analysis.sensitivity import Tornado
    from ..analysis.simulate import Simulation
    from ..analysis.sweep import Sweep

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


def _axis(path: str) -> tuple[str, float, Ticks]:
    """A label with units, a scale for the values, and a formatter for ticks."""
    kind = kind_of(path)
    if kind is Display.RATE:
        return f"{path} (%)", 100.0, lambda v, _: f"{v:g}%"
    if kind is Display.MONEY:
        return f"{path} (USD)", 1.0, lambda v, _: human_money(v)
    return path, 1.0, lambda v, _: human_number(v)


METRIC_LABELS = {
    "vs_order": ("vs_order (%, negative: cheaper than the order's chip)", Display.RATE),
    # as in compare's table, a label that abbreviates the unit: its ticks carry the $
    "usd_per_effective_pflops": ("USD per effective PFLOP/s", Display.MONEY),
}
"""Metrics whose axis says more than their name: its label and how its ticks are shown."""


def _metric_axis(metric: str) -> tuple[str, Ticks]:
    kind = kind_of(metric)
    label, kind = METRIC_LABELS.get(metric, (f"{metric} (USD)" if kind is Display.MONEY else metric, kind))
    shown = {Display.MONEY: human_money, Display.RATE: human_rate}.get(kind, human_number)
    return label, lambda v, _: shown(v)


def plot_sweep(sweep: Sweep, fmt: str) -> bytes:
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    if len(sweep.paths) == 1:
        figure, axes = plt.subplots(figsize=(8, 5))
        label, scale, ticks = _axis(sweep.paths[0])
        x = sweep.axes[0] * scale
        if sweep.values:
            for chip in sweep.chips:
                axes.plot(x, sweep.values[chip], label=chip, linewidth=2)
            ylabel, yticks = _metric_axis(sweep.metric)
            axes.set_ylabel(ylabel)
            axes.yaxis.set_major_formatter(FuncFormatter(yticks))
        else:
            _winner_bands(axes, x, sweep)
            axes.set_yticks([])
        changes = [i for i in range(1, len(x)) if sweep.cheapest[i] != sweep.cheapest[i - 1]]
        for i in changes:
            crossing = _crossing(sweep, x, i)
            axes.axvline(crossing, color="black", linestyle=":", linewidth=1)
            axes.annotate(f"{sweep.chips[sweep.cheapest[i - 1]]} -> {sweep.chips[sweep.cheapest[i]]}\n"
                          f"at {ticks(crossing, None)}", (crossing, 0.98), xycoords=("data", "axes fraction"),
                          ha="left", va="top", fontsize=8, xytext=(4, 0), textcoords="offset points")
        axes.set_xlabel(label)
        axes.xaxis.set_major_formatter(FuncFormatter(ticks))
        axes.legend(title="option", frameon=False)
        axes.set_title(f"{sweep.metric} of each option, order {sweep.order}"
                       + ("; dotted: where the cheapest option changes" if changes else ""), fontsize=10)
    else:
        figure = _sweep_grid(plt, sweep)
    picture = _picture(figure, fmt)
    plt.close(figure)
    return picture


def _crossing(sweep: Sweep, x: Any, i: int) -> float:
    """Where the cheapest option changes between grid points i-1 and i: linear interpolation of
    the two options' costs when the metric is proportional to cost, else the midpoint."""
    before, after = sweep.chips[sweep.cheapest[i - 1]], sweep.chips[sweep.cheapest[i]]
    proportional = ("tco_usd", "usd_per_effective_pflops", "usd_per_effective_pflops_hour")
    if sweep.metric in proportional and sweep.values:
        gap = [sweep.values[after][j] - sweep.values[before][j] for j in (i - 1, i)]
        if gap[0] != gap[1]:
            return x[i - 1] + (x[i] - x[i - 1]) * gap[0] / (gap[0] - gap[1])
    return (x[i - 1] + x[i]) / 2


def _winner_bands(axes: Any, x: Any, sweep: Sweep) -> None:
    colours = _colours(len(sweep.chips))
    start = 0
    for i in range(1, len(x) + 1):
        if i == len(x) or sweep.cheapest[i] != sweep.cheapest[start]:
            axes.axvspan(x[start], x[i - 1], color=colours[sweep.cheapest[start]], alpha=0.6,
                         label=sweep.chips[sweep.cheapest[start]])
            start = i
    handles, labels = axes.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    axes.legend(unique.values(), unique.keys(), title="cheapest", frameon=False)


def _sweep_grid(plt: Any, sweep: Sweep) -> Any:
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter

    xlabel, xscale, xticks = _axis(sweep.paths[1])
    ylabel, yscale, yticks = _axis(sweep.paths[0])
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
            values = sweep.values[chip]
            mesh = axes.contourf(x, y, values, levels=12, cmap="viridis")
            label, formatter = _metric_axis(sweep.metric)
            bar = figure.colorbar(mesh, ax=axes, format=FuncFormatter(formatter))
            bar.set_label(label, fontsize=8)
            axes.contour(x, y, sweep.cheapest, levels=[i + 0.5 for i in range(len(sweep.chips) - 1)],
                         colors="white", linewidths=1.5)
            axes.set_title(f"{chip}: {sweep.metric} (white: cheapest option changes)", fontsize=9)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.xaxis.set_major_formatter(FuncFormatter(xticks))
        axes.yaxis.set_major_formatter(FuncFormatter(yticks))
        axes.grid(False)
    for index in range(len(panels), rows * columns):
        grid[index // columns][index % columns].set_visible(False)
    figure.tight_layout()
    return figure


def plot_tornado(tornado: Tornado, fmt: str, top: int = 15) -> bytes:
    plt = _pyplot()
    from matplotlib.ticker import FuncFormatter

    swings = [s for s in tornado.swings if s.width > 0][:top][::-1]
    figure, axes = plt.subplots(figsize=(9, 0.42 * max(len(swings), 3) + 1.5))
    base = tornado.base
    for row, swing in enumerate(swings):
        axes.barh(row, swing.metric_low - base, left=base, color="#4c72b0", height=0.6,
                  label=f"input {human_rate(-tornado.swing)}" if row == 0 else None)
        axes.barh(row, swing.metric_high - base, left=base, color="#dd8452", height=0.6,
                  label=f"input +{human_rate(tornado.swing)}" if row == 0 else None)
    axes.axvline(base, color="black", linewidth=1)
    axes.set_yticks(range(len(swings)), [s.path for s in swings], fontsize=8)
    label, formatter = _metric_axis(tornado.metric)
    axes.xaxis.set_major_formatter(FuncFormatter(formatter))
    axes.set_xlabel(f"{label} of {tornado.option}")
    axes.set_title(f"What moves {tornado.metric} of {tornado.option} most (order {tornado.order}); "
                   f"each input moved by ±{human_rate(tornado.swing)}", fontsize=10)
    axes.legend(frameon=False, loc="lower right")
    axes.grid(axis="y", visible=False)
    picture = _picture(figure, fmt)
    plt.close(figure)
    return picture


def plot_simulation(simulation: Simulation, fmt: str) -> bytes:
    plt = _pyplot()
    import numpy as np
    from matplotlib.ticker import FuncFormatter

    orders = simulation.orders
    figure, grid = plt.subplots(len(orders), 1, figsize=(9, 4.5 * len(orders)), squeeze=False)
    colours = _colours(max(len(o.options) for o in orders))
    for axes, order in zip((row[0] for row in grid), orders):
        # Cumulative distributions: P1 to P99 of each option's TCO, read as "TCO below x in y% of samples".
        probabilities = np.arange(1, 100)
        for colour, option in zip(colours, order.options):
            axes.plot(option.tco_usd.percentiles, probabilities, color=colour, linewidth=2,
                      label=f"{option.chip}: median {human_money(option.tco_usd.p50)}, "
                            f"cheapest in {human_rate(option.p_cheapest)} of samples")
        axes.axhline(50, color="black", linewidth=0.8, linestyle=":")
        axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: human_money(v)))
        axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}%"))
        axes.set_ylim(0, 100)
        axes.set_xlabel("TCO (USD)")
        axes.set_ylabel("share of samples with a lower TCO")
        axes.set_title(f"TCO of each option, order {order.name}: {counted(simulation.samples, 'sample')}, "
                       f"seed {simulation.seed} (P1 to P99)", fontsize=10)
        axes.legend(frameon=False, loc="lower right", fontsize=8)
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
    from matplotlib.ticker import FuncFormatter

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
    axes.yaxis.set_major_formatter(FuncFormatter(lambda v, _: human_money(v)))
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
