"""The tables of the what-if analyses: goal seek, sweep, tornado and simulation."""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Sequence

from ...documents import Analysis
from ...kinds import Display, input_kind, kind_of
from ...paths import spec_at
from ...values import counted, human_money, human_rate, human_share
from ..layout import TEXT, Column, Section, Table, show
from .common import ORDER_MARK, scenario_section

if TYPE_CHECKING:  # the analyses bring numpy: the sections of other commands never load them
    from ...analysis.sensitivity import Swing, Tornado
    from ...analysis.simulate import Simulation
    from ...analysis.solve import Seek
    from ...analysis.sweep import Sweep


def seek_sections(run: Analysis[Seek]) -> list[Section]:
    seek = run.result
    kind = input_kind(run.scenario, seek.path)
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
MAX_COLUMNS = 11
"""A grid of two inputs shows at most this many values of the second, as columns: the map of the
cheapest option then fits 80 columns whole."""


def sweep_sections(run: Analysis[Sweep]) -> list[Section]:
    sweep = run.result
    rows = _shown(len(sweep.axes[0]))
    section = scenario_section(run.scenario)
    if len(sweep.paths) == 1:
        section.tables.append(_sweep_line(sweep, rows, input_kind(run.scenario, sweep.paths[0])))
        shown_all = len(rows) == len(sweep.axes[0])
    else:
        cols = _shown(len(sweep.axes[1]), MAX_COLUMNS)
        kinds = (input_kind(run.scenario, sweep.paths[0]), input_kind(run.scenario, sweep.paths[1]))
        section.tables += _sweep_panels(sweep, rows, cols, kinds)
        shown_all = len(rows) == len(sweep.axes[0]) and len(cols) == len(sweep.axes[1])
    section.lines.append(f"rows: {sweep.paths[0]}"
                         + (f"; columns: {sweep.paths[1]}" if len(sweep.paths) == 2 else ""))
    if not shown_all:
        section.lines.append("the table shows evenly spaced points of the grid; -f csv or -f json carry "
                             "every point")
    return [section]


def _sweep_line(sweep: Sweep, rows: list[int], kind: Display) -> Table:
    """One input varied (shown as `kind`): a row per shown value, a column per option's metric, and the
    cheapest."""
    import numpy as np

    shape = sweep.axes[0].shape
    chips = sweep.chips if sweep.values else ()
    columns = [Column(short_path(sweep.paths[0]), kind)] + [
        Column(chip, kind_of(sweep.metric)) for chip in chips] + [Column("cheapest")]
    table = Table(columns, title=f"{sweep.metric} by {sweep.paths[0]}, order {sweep.order}")
    cheapest = np.broadcast_to(sweep.cheapest, shape)
    for i in rows:
        table.rows.append([float(sweep.axes[0][i])] + [float(np.broadcast_to(sweep.values[c], shape)[i])
                                                       for c in chips] + [sweep.chips[int(cheapest[i])]])
    table.notes += [f"the cheapest option changes from {change.before} to {change.after} at "
                    f"{show(change.value, kind)}, where their TCOs are equal" for change in sweep.changes]
    return table


def _sweep_panels(sweep: Sweep, rows: list[int], cols: list[int],
                  kinds: tuple[Display, Display]) -> list[Table]:
    """Two inputs varied (shown as `kinds`): a grid of the cheapest option, then one of each option's
    metric."""
    import numpy as np

    shape = (len(sweep.axes[0]), len(sweep.axes[1]))
    row_kind, col_kind = kinds
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
        if values is None:  # a map of the cheapest reads best whole: its chips as letters, if it must
            used = {chip for row in table.rows for chip in row[1:]}
            table.short = letters([chip for chip in sweep.chips if chip in used])
        tables.append(table)
    return tables


def letters(names: Sequence[str]) -> dict[str, str]:
    """A letter for each name, in order: A, B, ... Z, then AA, AB, ..."""
    alphabet = string.ascii_uppercase
    return {name: (alphabet[i // 26 - 1] if i >= 26 else "") + alphabet[i % 26]
            for i, name in enumerate(names)}


def short_path(path: str) -> str:
    """A path short enough for a column header: `chips.h200.levy_rate` -> `h200.levy_rate`."""
    head, _, rest = path.partition(".")
    return rest if head in ("chips", "platforms", "assumptions") and rest else path


def _shown(count: int, most: int = MAX_SHOWN) -> list[int]:
    """The indices of at most `most` evenly spaced points of `count`, the first and last among them."""
    if count <= most:
        return list(range(count))
    return sorted({round(i * (count - 1) / (most - 1)) for i in range(most)})


TORNADO_ROWS = 15
BAR_WIDTH = 6
"""Six characters: with the "moved by" column, the widest shipped path keeps the table within 80 columns."""


def tornado_sections(run: Analysis[Tornado]) -> list[Section]:
    tornado = run.result
    kind = kind_of(tornado.metric)
    moving = [s for s in tornado.swings if s.width > 0]
    widest = moving[0].width if moving else 1.0
    table = Table([Column("input"), Column("moved\nby"), Column("down", kind), Column("up", kind),
                   Column("width", kind), Column("")],
                  title=f"What moves {tornado.metric} of {tornado.option} most (order {tornado.order})")
    for s in moving[:TORNADO_ROWS]:
        bar = "#" * max(1, round(BAR_WIDTH * s.width / widest))
        table.rows.append([s.path, moved_by(s, tornado), s.metric_low, s.metric_high, s.width, bar])
    table.notes += _tornado_notes(run, moving[:TORNADO_ROWS], kind)
    if len(moving) > TORNADO_ROWS or len(moving) < len(tornado.swings):
        move = "moves" if len(moving) == 1 else "move"
        table.notes.append(f"{len(moving)} of {counted(len(tornado.swings), 'input')} {move} it; the table "
                           f"shows the widest {min(len(moving), TORNADO_ROWS)} (-f json or csv for all)")
    if tornado.not_moved:
        table.notes.append(_not_moved_note(tornado))
    return [scenario_section(run.scenario, [table])]


def moved_by(swing: Swing, tornado: Tornado) -> str:
    """How far one input moved, as its table cell says: `range`, `±10pt` or `±10%`."""
    from ...analysis.sensitivity import POINTS, RANGE

    if swing.moved_by == RANGE:
        return "range"
    if swing.moved_by == POINTS:
        return f"±{tornado.swing_points:g}pt"
    return f"±{human_rate(tornado.swing)}"


def moves_legend(tornado: Tornado, aside: str = "") -> list[str]:
    """What each kind of move in the tornado means, in the order range, points, swing; `aside` follows
    the range's, in brackets."""
    from ...analysis.sensitivity import POINTS, RANGE, SWING

    used = {s.moved_by for s in tornado.swings}
    points, share = f"{tornado.swing_points:g}" if POINTS in used else "", human_rate(tornado.swing)
    ends = "range, to the low and high of its range in the scenario" + (f" ({aside})" if aside else "")
    legend = {RANGE: ends,
              POINTS: f"±{points}pt, a rate by {points} percentage points",
              SWING: f"±{share}, {'any other input ' if POINTS in used else ''}by {share} of its value"}
    return [text for how, text in legend.items() if how in used]


def _tornado_notes(run: Analysis[Tornado], shown: list[Swing], kind: Display) -> list[str]:
    from ...analysis.sensitivity import SWING

    tornado = run.result
    tails = any(u.dist in ("normal", "lognormal") for _, u in run.scenario.ranges)
    aside = "its 5th and 95th percentiles for a normal or lognormal range" if tails else "above"
    by_share = all(s.moved_by == SWING for s in tornado.swings)
    moves = f"each input moved down and up by {human_rate(tornado.swing)} of its value" if by_share \
        else "moved by: " + "; ".join(moves_legend(tornado, aside))
    notes = [f"{moves}. {tornado.metric} at the scenario as given: {show(tornado.base, kind)}"]
    clamped = [s.path for s in shown if s.clamped]
    if clamped:
        notes.append("clamped to its valid range, so moved less on one side: " + ", ".join(clamped))
    return notes


def _not_moved_note(tornado: Tornado) -> str:
    """The inputs that could not move (all at 0), and how to move them."""
    how = "" if tornado.swing_points is not None else ", or give --swing-points N to move a rate by points"
    paths = ", ".join(n.path for n in tornado.not_moved)
    return (f"not moved, being 0 (a share of 0 is 0; write a range {{low: .., high: ..}} in the scenario"
            f"{how}): {paths}")


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
