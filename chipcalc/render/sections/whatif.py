"""The tables of the what-if analyses: goal seek, sweep, tornado and simulation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...documents import Analysis
from ...kinds import Display, kind_of
from ...paths import spec_at
from ...values import counted, human_money, human_rate, human_share
from ..layout import TEXT, Column, Section, Table, show
from .common import ORDER_MARK, scenario_section

if TYPE_CHECKING:  # the analyses bring numpy: the sections of other commands never load them
    from ...analysis.sensitivity import Tornado
    from ...analysis.simulate import Simulation
    from ...analysis.solve import Seek
    from ...analysis.sweep import Sweep


def seek_sections(run: Analysis[Seek]) -> list[Section]:
    seek = run.result
    kind = kind_of(seek.path)
    searched = f"searched {show(seek.low, kind)} to {show(seek.high, kind)}"
    if seek.value is None:
        answer = f"{seek.path}: {seek.reason} ({searched})"
    else:
        answer = f"{seek.path} = {show(seek.value, kind)} ({seek.value!r}); {searched}"
    section = scenario_section(run.scenario)
    section.lines += [f"order {seek.order}: the value at which {seek.option} costs the same as the "
                      "order's chip", answer]
    return [section]


MAX_SHOWN = 21
"""A table shows at most this many values of each varied input; JSON and CSV carry every point."""


def sweep_sections(run: Analysis[Sweep]) -> list[Section]:
    sweep = run.result
    rows = _shown(len(sweep.axes[0]))
    section = scenario_section(run.scenario)
    if len(sweep.paths) == 1:
        section.tables.append(_sweep_line(sweep, rows))
        shown_all = len(rows) == len(sweep.axes[0])
    else:
        cols = _shown(len(sweep.axes[1]))
        section.tables += _sweep_panels(sweep, rows, cols)
        shown_all = len(rows) == len(sweep.axes[0]) and len(cols) == len(sweep.axes[1])
    section.lines.append(f"rows: {sweep.paths[0]}"
                         + (f"; columns: {sweep.paths[1]}" if len(sweep.paths) == 2 else ""))
    if not shown_all:
        section.lines.append("the table shows evenly spaced points of the grid; -f csv or -f json carry "
                             "every point")
    return [section]


def _sweep_line(sweep: Sweep, rows: list[int]) -> Table:
    """One input varied: a row per shown value, a column per option's metric, and the cheapest."""
    import numpy as np

    shape = sweep.axes[0].shape
    chips = sweep.chips if sweep.values else ()
    columns = [Column(short_path(sweep.paths[0]), kind_of(sweep.paths[0]))] + [
        Column(chip, kind_of(sweep.metric)) for chip in chips] + [Column("cheapest")]
    table = Table(columns, title=f"{sweep.metric} by {sweep.paths[0]}, order {sweep.order}")
    cheapest = np.broadcast_to(sweep.cheapest, shape)
    for i in rows:
        table.rows.append([float(sweep.axes[0][i])] + [float(np.broadcast_to(sweep.values[c], shape)[i])
                                                       for c in chips] + [sweep.chips[int(cheapest[i])]])
    return table


def _sweep_panels(sweep: Sweep, rows: list[int], cols: list[int]) -> list[Table]:
    """Two inputs varied: a grid of the cheapest option, then one of each option's metric."""
    import numpy as np

    shape = (len(sweep.axes[0]), len(sweep.axes[1]))
    row_kind, col_kind = kind_of(sweep.paths[0]), kind_of(sweep.paths[1])
    panels = [("cheapest", None)] + [(chip, sweep.values[chip])
                                     for chip in (sweep.chips if sweep.values else ())]
    tables = []
    for name, values in panels:
        table = Table([Column(short_path(sweep.paths[0]), row_kind)]
                      + [Column(show(float(sweep.axes[1][j]), col_kind),
                                TEXT if values is None else kind_of(sweep.metric)) for j in cols],
                      title=(f"Cheapest option, order {sweep.order}" if values is None else
                             f"{name}: {sweep.metric}, order {sweep.order}")
                      + f"; columns: {short_path(sweep.paths[1])}")
        grid = np.broadcast_to(sweep.cheapest if values is None else values, shape)
        for i in rows:
            cells = [sweep.chips[int(grid[i, j])] if values is None else float(grid[i, j]) for j in cols]
            table.rows.append([float(sweep.axes[0][i])] + cells)
        tables.append(table)
    return tables


def short_path(path: str) -> str:
    """A path short enough for a column header: `chips.h200.levy_rate` -> `h200.levy_rate`."""
    head, _, rest = path.partition(".")
    return rest if head in ("chips", "platforms", "assumptions") and rest else path


def _shown(count: int) -> list[int]:
    if count <= MAX_SHOWN:
        return list(range(count))
    return sorted({round(i * (count - 1) / (MAX_SHOWN - 1)) for i in range(MAX_SHOWN)})


TORNADO_ROWS = 15
BAR_WIDTH = 12


def tornado_sections(run: Analysis[Tornado]) -> list[Section]:
    tornado = run.result
    kind = kind_of(tornado.metric)
    moving = [s for s in tornado.swings if s.width > 0]
    widest = moving[0].width if moving else 1.0
    table = Table([Column("input"), Column("down", kind), Column("up", kind), Column("width", kind),
                   Column("")], title=f"What moves {tornado.metric} of {tornado.option} most "
                                      f"(order {tornado.order})")
    for s in moving[:TORNADO_ROWS]:
        bar = "#" * max(1, round(BAR_WIDTH * s.width / widest))
        table.rows.append([s.path, s.metric_low, s.metric_high, s.width, bar])
    swing = human_rate(tornado.swing)
    table.notes.append(f"each input moved by -{swing} (down) and +{swing} (up), clamped to its valid range; "
                       f"{tornado.metric} at the scenario as given: {show(tornado.base, kind)}")
    if len(moving) > TORNADO_ROWS or len(moving) < len(tornado.swings):
        move = "moves" if len(moving) == 1 else "move"
        table.notes.append(f"{len(moving)} of {counted(len(tornado.swings), 'input')} {move} it; the table "
                           f"shows the widest {min(len(moving), TORNADO_ROWS)} (-f json or csv for all)")
    return [scenario_section(run.scenario, [table])]


def _kept_inside(simulation: Simulation) -> list[str]:
    """What share of each input's draws fell outside its valid range, and what became of them."""
    lines = []
    for path, clamped, redrawn in zip(simulation.inputs, simulation.clamped, simulation.redrawn):
        bounds = spec_at(path).bounds_text()
        if clamped:
            lines.append(f"{path}: draws past a bound of its range ({bounds}), set to the bound: "
                         f"{human_share(clamped)}")
        if redrawn:
            lines.append(f"{path}: draws past an open bound of its range ({bounds}), drawn again: "
                         f"{human_share(redrawn)}")
    return lines


def simulation_sections(run: Analysis[Simulation]) -> list[Section]:
    simulation = run.result
    section = scenario_section(run.scenario, ranges=False)  # the ranges are sampled here, not collapsed
    section.lines.append(f"{counted(simulation.samples, 'sample')}, seed {simulation.seed}; "
                         "uncertain inputs: " + ", ".join(simulation.inputs))
    section.lines += _kept_inside(simulation)
    tco = kind_of("tco_usd")
    for o in simulation.orders:
        # $/PFLOP/s, as in compare's table: the header abbreviates the unit, so its cells carry the $.
        table = Table([Column("option"), Column("TCO P5", tco), Column("P50", tco), Column("P95", tco),
                       Column("mean", tco), Column("$/PFLOP/s P50", Display.MONEY),
                       Column("cheapest", Display.RATE)],
                      title=f"Order {o.name} ({o.chip}): levy paid P5 {human_money(o.levy_usd.p5)}, "
                            f"P50 {human_money(o.levy_usd.p50)}, P95 {human_money(o.levy_usd.p95)}")
        for x in sorted(o.options, key=lambda x: x.tco_usd.p50):
            table.rows.append([x.chip + (f" {ORDER_MARK}" if x.chip == o.chip else ""), x.tco_usd.p5,
                               x.tco_usd.p50, x.tco_usd.p95, x.tco_usd.mean, x.usd_per_effective_pflops.p50,
                               x.p_cheapest])
        table.notes.append(f"{ORDER_MARK} the order's chip. cheapest: the share of samples in which the "
                           "option has the lowest TCO.")
        section.tables.append(table)
    return [section]
