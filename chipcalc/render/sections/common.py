"""What the sections of every command share: a scenario's heading and lines, the side-by-side
summary of several scenarios, the marks of the order's chip and a short option."""

from __future__ import annotations

from typing import Any, Callable

from ...kinds import Display, input_kind
from ...model import ScenarioResult
from ...scenario import Scenario
from ...values import Uncertain, counted, human_money, human_number, human_rate
from ..layout import MONEY, RATE, Column, Section, Table, show

ORDER_MARK = "*"
SHORT_MARK = "!"

SummaryRow = tuple[str | None, str, Any, Display]
"""A row of the side-by-side summary: the group it belongs to (an order, a chip; None for the
scenario's totals), its label, one scenario's value, and how to show it."""


def heading(scenario: Scenario) -> str:
    return f"{scenario.title} ({scenario.name})" if scenario.title else scenario.name


def scenario_lines(scenario: Scenario, ranges: bool = True) -> list[str]:
    """The lines under a scenario's heading: its file, assumptions and, when `ranges`, the
    uncertain ranges it collapsed to points."""
    a = scenario.assumptions
    lines = [
        f"file: {scenario.file}",
        f"assumptions: {a.precision}, {counted(f'{a.lifetime_years:g}', 'year')}, levy pass-through "
        f"{human_rate(a.levy_pass_through)}, incumbent platform {a.incumbent_platform}",
    ]
    if a.discount_rate:  # shown only when set, so that version 1's tables stay as they were
        lines.append(f"discount rate {human_rate(a.discount_rate)} a year: running costs are present values")
    w = scenario.workload
    work = ([] if w.arithmetic_intensity is None else [f"arithmetic intensity {w.arithmetic_intensity:g} "
                                                       "FLOP/byte"]) \
        + ([] if w.flops_per_token is None else [f"{human_number(w.flops_per_token)} FLOP per token"])
    if work:
        lines.append("workload: " + ", ".join(work))
    if ranges:
        lines += [f"range collapsed: {path} {_show_range(input_kind(scenario, path), uncertain)}"
                  for path, uncertain in scenario.ranges]
    return lines


def _show_range(kind: Display, uncertain: Uncertain) -> str:
    shown = _range_shower(kind)
    peak = f", mode {shown(uncertain.mode)}" if uncertain.mode is not None else ""
    used = "mode" if uncertain.mode is not None else "midpoint"
    return (f"{shown(uncertain.low)} to {shown(uncertain.high)} ({uncertain.dist}{peak}): "
            f"using the {used} {shown(uncertain.point)}")


def _range_shower(kind: Display) -> Callable[[float], str]:
    """Range ends keep four digits of a small amount ($0.085/kWh), as they were written."""
    if kind is RATE:
        return human_rate
    if kind is MONEY:
        return lambda value: f"${value:,.4g}" if value < 1000 else human_money(value)
    return human_number


def scenario_section(scenario: Scenario, tables: list[Table] | None = None, *,
                     described: bool = False, ranges: bool = True) -> Section:
    """A scenario's section: its heading, file, assumptions and collapsed ranges, and its
    description when `described` (long; reports and the chip table show it)."""
    return Section(heading(scenario), scenario_lines(scenario, ranges), tables or [],
                   description(scenario) if described else None)


def description(scenario: Scenario) -> str | None:
    return (scenario.description or "").strip() or None


def summary_section(results: list[ScenarioResult],
                    rows_of: Callable[[ScenarioResult], list[SummaryRow]]) -> Section:
    """The scenarios side by side: one column each, one row per figure, a table per group of rows
    (the totals, then each order or chip), so that no label has to repeat the group's name."""
    columns = [Column("")] + [Column(r.scenario.name, MONEY) for r in results]
    groups: dict[str | None, dict[str, list[Any]]] = {}
    kinds: dict[tuple[str | None, str], Display] = {}
    for index, result in enumerate(results):
        for group, label, value, kind in rows_of(result):
            groups.setdefault(group, {}).setdefault(label, [None] * len(results))[index] = value
            kinds[group, label] = kind
    tables = []
    for group, by_label in groups.items():
        # an order's table leaves out the scenarios that have no such order
        shown = [i for i in range(len(results))
                 if group is None or any(values[i] is not None for values in by_label.values())]
        table = Table([columns[0]] + [columns[i + 1] for i in shown],
                      title="Scenarios side by side" + (f": {group}" if group else ""))
        table.rows = [[label] + [show(values[i], kinds[group, label]) for i in shown]
                      for label, values in by_label.items()]
        tables.append(table)
    return Section("Summary", [], tables)
