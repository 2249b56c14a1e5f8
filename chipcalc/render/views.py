"""What each command shows: its JSON document, its CSV rows and its tables.

Field names are those of CLI.md. The documents carry raw numbers at full
precision; the tables carry the same numbers for `report.show` to humanise.
"""

from __future__ import annotations

from typing import Any, Iterable

from ..errors import Problem
from ..model import Breakeven, ChipFigures, LevyTotal, Option, OrderResult, ScenarioResult
from ..scenario import Scenario
from ..values import Uncertain, human_money, human_number, human_rate
from .report import COUNT, MONEY, NUMBER, RATE, TEXT, Column, Section, Table, show

SCHEMA_VERSION = 1
ORDER_MARK = "*"
SHORT_MARK = "!"

BREAKEVEN_FIELDS = ("demand_tflops", "levy_rate", "migration_cost_usd", "price_usd", "utilization")


# Shared pieces -------------------------------------------------------------


def scenario_head(scenario: Scenario) -> dict[str, Any]:
    return {
        "name": scenario.name,
        "title": scenario.title,
        "file": scenario.file,
        "precision": scenario.assumptions.precision,
        "ranges": [_range_document(path, uncertain) for path, uncertain in scenario.ranges],
    }


def _range_document(path: str, uncertain: Uncertain) -> dict[str, Any]:
    return {"path": path, "low": uncertain.low, "high": uncertain.high, "mode": uncertain.mode,
            "dist": uncertain.dist, "value": uncertain.point}


def scenario_lines(scenario: Scenario) -> list[str]:
    """The lines under a scenario's heading: its file and any collapsed ranges."""
    a = scenario.assumptions
    lines = [
        f"file: {scenario.file}",
        f"assumptions: {a.precision}, {a.lifetime_years:g} years, levy pass-through "
        f"{human_rate(a.levy_pass_through)}, incumbent platform {a.incumbent_platform}",
    ]
    for path, uncertain in scenario.ranges:
        lines.append(f"range collapsed: {path} {_show_range(path, uncertain)}")
    return lines


def _show_range(path: str, uncertain: Uncertain) -> str:
    show = _shower(path)
    peak = f", mode {show(uncertain.mode)}" if uncertain.mode is not None else ""
    used = "mode" if uncertain.mode is not None else "midpoint"
    return (f"{show(uncertain.low)} to {show(uncertain.high)} ({uncertain.dist}{peak}): "
            f"using the {used} {show(uncertain.point)}")


def _shower(path: str):
    leaf = path.rsplit(".", 1)[-1]
    if leaf in ("levy_rate", "levy_base", "utilization", "levy_pass_through"):
        return human_rate
    if leaf in ("price", "host_cost", "migration_cost", "cost_per_engineer_month", "budget",
                "electricity_usd_per_kwh"):
        return lambda value: f"${value:,.4g}" if value < 1000 else human_money(value)
    return human_number


def heading(scenario: Scenario) -> str:
    return f"{scenario.title} ({scenario.name})" if scenario.title else scenario.name


def scenario_section(scenario: Scenario, tables: list[Table] | None = None, *,
                     described: bool = False) -> Section:
    """A scenario's section: its heading, file, assumptions and collapsed ranges, and its
    description when `described` (long; reports and the chip table show it)."""
    description = (scenario.description or "").strip() or None
    return Section(heading(scenario), scenario_lines(scenario), tables or [],
                   description if described else None)


def document(results: Iterable[ScenarioResult], body) -> dict[str, Any]:
    return {"schema_version": SCHEMA_VERSION,
            "scenarios": [{**scenario_head(r.scenario), **body(r)} for r in results]}


# compare --------------------------------------------------------------------


def breakeven_document(b: Breakeven, demand: bool = False) -> dict[str, Any]:
    if demand:
        return {"value": b.value, "order_units": b.order_units, "pays": b.pays, "reason": b.reason}
    return {"value": b.value, "reason": b.reason}


def option_document(o: Option) -> dict[str, Any]:
    breakeven = None if o.breakeven is None else {
        name: breakeven_document(getattr(o.breakeven, name), demand=name == "demand_tflops")
        for name in BREAKEVEN_FIELDS
    }
    return {
        "chip": o.chip,
        "is_order_chip": o.is_order_chip,
        "units": o.units,
        "buyer_price_usd": o.buyer_price_usd,
        "levy_per_unit_usd": o.levy_per_unit_usd,
        "capex_usd": o.capex_usd,
        "levy_usd": o.levy_usd,
        "energy_usd": o.energy_usd,
        "migration_usd": o.migration_usd,
        "tco_usd": o.tco_usd,
        "effective_tflops_per_unit": o.effective_tflops_per_unit,
        "tflops_per_kusd": o.tflops_per_kusd,
        "usd_per_effective_pflops": o.usd_per_effective_pflops,
        "usd_per_effective_pflops_hour": o.usd_per_effective_pflops_hour,
        "vs_order": o.vs_order,
        "supply_shortfall_units": o.supply_shortfall_units,
        "feasible": o.feasible,
        "breakeven": breakeven,
    }


def order_document(r: OrderResult) -> dict[str, Any]:
    return {
        "name": r.order.name,
        "chip": r.order.chip,
        "units": r.units,
        "budget_usd": r.order.budget_usd,
        "demand_tflops": r.demand_tflops,
        "spend_usd": r.spend_usd,
        "levy_usd": r.levy_usd,
        "vendor_net_usd": r.vendor_net_usd,
        "options": [option_document(o) for o in r.options],
    }


def totals_document(result: ScenarioResult) -> dict[str, Any]:
    def one(total: LevyTotal) -> dict[str, Any]:
        head = {} if total.chip is None else {"chip": total.chip}
        return {**head, "spend_usd": total.spend_usd, "levy_usd": total.levy_usd,
                "vendor_net_usd": total.vendor_net_usd}

    return {**one(result.total), "by_chip": [one(t) for t in result.totals_by_chip]}


def compare_document(results: Iterable[ScenarioResult]) -> dict[str, Any]:
    return document(results, lambda r: {
        "orders": [order_document(o) for o in r.orders],
        "totals": totals_document(r),
    })


NO_BREAKEVEN = {name: breakeven_document(Breakeven(None), demand=name == "demand_tflops")
                for name in BREAKEVEN_FIELDS}
"""The order's own chip in CSV: the breakeven columns, empty."""


def compare_rows(results: Iterable[ScenarioResult]) -> list[dict[str, Any]]:
    """CSV: one row per scenario, order and option, nested fields flattened."""
    rows = []
    for result in results:
        for order in result.orders:
            for option in order.options:
                fields = option_document(option)
                fields["breakeven"] = fields["breakeven"] or NO_BREAKEVEN
                rows.append({"scenario": result.scenario.name, "order": order.order.name, **flatten(fields)})
    return rows


def flatten(values: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    """`{"breakeven": {"levy_rate": {"value": v}}}` -> `{"breakeven_levy_rate": v}`."""
    flat: dict[str, Any] = {}
    for key, value in values.items():
        name = prefix if key == "value" and prefix else f"{prefix}_{key}" if prefix else key
        if isinstance(value, dict):
            flat.update(flatten(value, name))
        else:
            flat[name] = value
    return flat


def compare_sections(results: list[ScenarioResult]) -> list[Section]:
    sections = []
    for result in results:
        section = scenario_section(result.scenario)
        if not result.orders:
            section.lines.append("no orders: add an order to compare the chips as options")
        for order in result.orders:
            section.tables += [_options_table(order), _breakeven_table(order)]
        sections.append(section)
    if len(results) > 1:
        sections.append(summary_section(results, _compare_summary))
    return sections


def _order_title(order: OrderResult) -> str:
    given = (f"budget {human_money(order.order.budget_usd)} = {human_number(order.units)} units"
             if order.order.budget_usd is not None else f"{human_number(order.units)} units")
    return (f"Order {order.order.name}: {given} of {order.order.chip}, "
            f"{human_number(order.demand_tflops)} effective TFLOP/s")


def _option_label(option: Option) -> str:
    return option.chip + (f" {ORDER_MARK}" if option.is_order_chip else "") + (
        f" {SHORT_MARK}" if not option.feasible else "")


def _options_table(order: OrderResult) -> Table:
    table = Table(
        [Column("option"), Column("units", COUNT), Column("capex", MONEY), Column("levy", MONEY),
         Column("energy", MONEY), Column("migration", MONEY), Column("TCO", MONEY),
         Column("$/PFLOP/s", MONEY), Column("vs order", RATE)],
        title=_order_title(order),
    )
    for o in order.options:
        table.rows.append([_option_label(o), o.units, o.capex_usd, o.levy_usd, o.energy_usd,
                           o.migration_usd, o.tco_usd, o.usd_per_effective_pflops,
                           None if o.is_order_chip else o.vs_order])
    table.notes.append(
        f"{ORDER_MARK} the order's chip. Levy paid {human_money(order.levy_usd)} on spend "
        f"{human_money(order.spend_usd)}. $/PFLOP/s: TCO per effective PFLOP/s."
    )
    for o in order.options:
        if not o.feasible:
            table.notes.append(f"{SHORT_MARK} {o.chip}: short of supply by {human_number(o.supply_shortfall_units)}"
                               f" units (needs {human_number(o.units)})")
    return table


def _breakeven_cell(b: Breakeven, kind: str) -> str:
    if b.value is None:
        return {"not passed through": "not passed"}.get(b.reason, b.reason or "-")
    shown = {MONEY: human_money, RATE: human_rate}.get(kind, human_number)(b.value)
    if b.pays:
        shown = f"{b.pays} {shown}"
    return f"({shown})" if b.reason == "out of range" else shown


def _breakeven_table(order: OrderResult) -> Table:
    table = Table(
        [Column("switch to"), Column("demand (TFLOP/s)", NUMBER), Column("levy rate", RATE),
         Column("migration", MONEY), Column("list price", MONEY), Column("utilization", RATE)],
        title=f"Breakevens of switching from {order.order.chip}",
    )
    for o in order.options:
        if o.breakeven is None:
            continue
        b = o.breakeven
        table.rows.append([o.chip, _breakeven_cell(b.demand_tflops, NUMBER),
                           _breakeven_cell(b.levy_rate, RATE), _breakeven_cell(b.migration_cost_usd, MONEY),
                           _breakeven_cell(b.price_usd, MONEY), _breakeven_cell(b.utilization, RATE)])
    table.notes.append(
        "Each value makes the option cost the same as the order's chip, all else fixed; "
        "(value): outside the input's valid range. Levy rate: the order chip's; "
        "not passed: the levy does not reach buyers at 0% pass-through."
    )
    return table


def _compare_summary(result: ScenarioResult) -> list[tuple[str, Any, str]]:
    rows: list[tuple[str, Any, str]] = [
        ("spend", result.total.spend_usd, MONEY),
        ("levy paid", result.total.levy_usd, MONEY),
        ("vendor net revenue", result.total.vendor_net_usd, MONEY),
    ]
    for order in result.orders:
        name = order.order.name
        rows += [
            (f"{name}: TCO of {order.order.chip}", order.own.tco_usd, MONEY),
            (f"{name}: cheapest option", order.cheapest.chip, TEXT),
            (f"{name}: its TCO", order.cheapest.tco_usd, MONEY),
            (f"{name}: its vs order", order.cheapest.vs_order, RATE),
        ]
    return rows


def summary_section(results: list[ScenarioResult], rows_of) -> Section:
    """The scenarios side by side: one column each, one row per figure."""
    columns = [Column("")] + [Column(r.scenario.name, MONEY) for r in results]
    by_label: dict[str, list[Any]] = {}
    kinds: dict[str, str] = {}
    for index, result in enumerate(results):
        for label, value, kind in rows_of(result):
            by_label.setdefault(label, [None] * len(results))[index] = value
            kinds[label] = kind
    table = Table(columns, title="Scenarios side by side")
    for label, values in by_label.items():
        table.rows.append([label] + [show(v, kinds[label]) for v in values])
    return Section("Summary", [], [table])


# chips ----------------------------------------------------------------------


def chip_document(f: ChipFigures) -> dict[str, Any]:
    c = f.chip
    return {
        "chip": c.key,
        "name": c.name,
        "vendor": c.vendor,
        "platform": c.platform,
        "price_usd": c.price_usd,
        "levy_rate": c.levy_rate,
        "levy_base": c.levy_base,
        "buyer_price_usd": f.buyer_price_usd,
        "levy_per_unit_usd": f.levy_per_unit_usd,
        "vendor_net_per_unit_usd": f.vendor_net_per_unit_usd,
        "tflops": f.tflops,
        "utilization": c.utilization,
        "effective_tflops_per_unit": f.effective_tflops_per_unit,
        "tflops_per_kusd": f.tflops_per_kusd,
        "tpp": f.tpp,
        "power_w": c.power_w,
        "energy_per_unit_usd": f.energy_per_unit_usd,
        "host_cost_usd": c.host_cost_usd,
        "cost_per_unit_usd": f.cost_per_unit_usd,
        "migration_usd": f.migration_usd,
        "memory_gb": c.memory_gb,
        "bandwidth_tbps": c.bandwidth_tbps,
        "supply_units": c.supply_units,
        "source": c.source,
        "as_of": c.as_of,
    }


def chips_document(results: Iterable[ScenarioResult]) -> dict[str, Any]:
    return document(results, lambda r: {"chips": [chip_document(f) for f in r.chips.values()]})


def chips_rows(results: Iterable[ScenarioResult]) -> list[dict[str, Any]]:
    return [{"scenario": r.scenario.name, **chip_document(f)} for r in results for f in r.chips.values()]


def chips_sections(results: list[ScenarioResult]) -> list[Section]:
    sections = []
    for result in results:
        precision = result.scenario.assumptions.precision
        prices = Table(
            [Column("chip"), Column("list\nprice", MONEY), Column("levy\nrate", RATE),
             Column("levy\nbase", RATE), Column("buyer\nprice", MONEY), Column("levy\nper unit", MONEY),
             Column("vendor net\nper unit", MONEY), Column("cost\nper unit", MONEY)],
            title="Prices per unit",
            notes=["cost per unit: buyer price + host cost + lifetime energy."],
        )
        compute = Table(
            [Column("chip"), Column(f"{precision}\nTFLOP/s", NUMBER), Column("utili-\nzation", RATE),
             Column("effective\nTFLOP/s", NUMBER), Column("TFLOP/s\nper $1k", NUMBER), Column("TPP", NUMBER),
             Column("memory\nGB", NUMBER), Column("watts", NUMBER)],
            title=f"Compute (dense {precision}, no sparsity)",
            notes=["TFLOP/s per $1k: effective TFLOP/s per $1,000 of buyer price. TPP: the "
                   "export-control metric, max over precisions of TFLOP/s x bits."],
        )
        for f in result.chips.values():
            c = f.chip
            prices.rows.append([c.key, c.price_usd, c.levy_rate, c.levy_base, f.buyer_price_usd,
                                f.levy_per_unit_usd, f.vendor_net_per_unit_usd, f.cost_per_unit_usd])
            compute.rows.append([c.key, f.tflops, c.utilization, f.effective_tflops_per_unit,
                                 f.tflops_per_kusd, f.tpp, c.memory_gb, c.power_w])
        sources = Table([Column("chip"), Column("name"), Column("as of"), Column("source", wrap=True)], title="Sources")
        sources.rows = [[f.chip.key, f.chip.name, f.chip.as_of, f.chip.source] for f in result.chips.values()]
        sections.append(scenario_section(result.scenario, [prices, compute, sources], described=True))
    if len(results) > 1:
        sections.append(summary_section(results, _chips_summary))
    return sections


def _chips_summary(result: ScenarioResult) -> list[tuple[str, Any, str]]:
    rows = []
    for f in result.chips.values():
        rows += [(f"{f.chip.key}: buyer price", f.buyer_price_usd, MONEY),
                 (f"{f.chip.key}: TFLOP/s per $1k", f.tflops_per_kusd, NUMBER)]
    return rows


# levy -------------------------------------------------------------------------


def levy_document(results: Iterable[ScenarioResult]) -> dict[str, Any]:
    return document(results, lambda r: {
        "orders": [{"name": o.order.name, "chip": o.order.chip, "units": o.units,
                    "spend_usd": o.spend_usd, "levy_usd": o.levy_usd, "vendor_net_usd": o.vendor_net_usd}
                   for o in r.orders],
        "totals": totals_document(r),
    })


def levy_rows(results: Iterable[ScenarioResult]) -> list[dict[str, Any]]:
    """CSV: a row per order, per chip and for the total, told apart by `level`."""
    rows = []
    for r in results:
        base = {"scenario": r.scenario.name}
        for o in r.orders:
            rows.append({**base, "level": "order", "order": o.order.name, "chip": o.order.chip,
                         "units": o.units, "spend_usd": o.spend_usd, "levy_usd": o.levy_usd,
                         "vendor_net_usd": o.vendor_net_usd})
        for t in (*r.totals_by_chip, r.total):
            rows.append({**base, "level": "chip" if t.chip else "total", "order": None, "chip": t.chip,
                         "units": t.units,
                         "spend_usd": t.spend_usd, "levy_usd": t.levy_usd, "vendor_net_usd": t.vendor_net_usd})
    return rows


def levy_sections(results: list[ScenarioResult]) -> list[Section]:
    sections = []
    for r in results:
        table = Table(
            [Column("order"), Column("chip"), Column("units", COUNT), Column("spend", MONEY),
             Column("levy rate", RATE), Column("levy paid", MONEY), Column("vendor net", MONEY)],
            title="Levy per order, per chip and in total",
        )
        for o in r.orders:
            chip = r.chips[o.order.chip]
            table.rows.append([o.order.name, o.order.chip, o.units, o.spend_usd,
                               chip.effective_levy_rate, o.levy_usd, o.vendor_net_usd])
        for t in r.totals_by_chip:
            table.rows.append(["all orders", t.chip, None, t.spend_usd, None, t.levy_usd, t.vendor_net_usd])
        table.rows.append(["total", None, None, r.total.spend_usd, None, r.total.levy_usd, r.total.vendor_net_usd])
        table.notes.append("levy rate: the effective rate on the sale price (levy rate x levy base).")
        sections.append(scenario_section(r.scenario, [table]))
    if len(results) > 1:
        sections.append(summary_section(results, lambda r: [
            ("spend", r.total.spend_usd, MONEY), ("levy paid", r.total.levy_usd, MONEY),
            ("vendor net revenue", r.total.vendor_net_usd, MONEY)]))
    return sections


# validate ---------------------------------------------------------------------


def _problem_document(problem: Problem) -> dict[str, Any]:
    file, line, column = problem.location
    return {"file": file, "line": line, "column": column, "path": problem.path or None,
            "message": problem.message}


def validate_document(checked: list[tuple[str, list[Problem]]]) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "valid": not any(problems for _, problems in checked),
        "files": [{"file": file, "valid": not problems, "problems": [_problem_document(p) for p in problems]}
                  for file, problems in checked],
    }


def validate_rows(checked: list[tuple[str, list[Problem]]]) -> list[dict[str, Any]]:
    """CSV: a row per problem; a valid file gets one row with no problem."""
    empty = {"line": None, "column": None, "path": None, "message": None}
    rows = []
    for file, problems in checked:
        if not problems:
            rows.append({"scenario_file": file, "valid": True, "file": file, **empty})
        for problem in problems:
            rows.append({"scenario_file": file, "valid": False, **_problem_document(problem)})
    return rows


def validate_sections(checked: list[tuple[str, list[Problem]]]) -> list[Section]:
    table = Table([Column("file"), Column("line", NUMBER), Column("column", NUMBER), Column("path"),
                   Column("problem")], title="Problems")
    for file, problems in checked:
        for p in problems:
            where, line, column = p.location
            table.rows.append([where, line, column, p.path or "-", p.message])
    valid = [file for file, problems in checked if not problems]
    lines = [f"{len(valid)} of {len(checked)} scenario files valid"]
    return [Section("Validation", lines, [table] if table.rows else [])]


# diff -------------------------------------------------------------------------


def show_outcome(value: Any, field: str) -> str:
    """An outcome of a diff as a person reads it, by its field's name."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "-" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    if field.endswith("_usd"):
        return human_money(value)
    if field.split(".")[-1] in ("vs_order", "levy_rate", "utilization"):
        return human_rate(value)
    return human_number(value)


def diff_document(diff) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "old": {"name": diff.old.name, "file": diff.old.file},
        "new": {"name": diff.new.name, "file": diff.new.file},
        "changed": diff.changed,
        "inputs": [{"path": c.path, "kind": c.kind, "old": c.old, "new": c.new, "old_where": c.old_where,
                    "new_where": c.new_where} for c in diff.inputs],
        "outcomes": [{"where": c.where, "field": c.field, "old": c.old, "new": c.new, "delta": c.delta,
                      "relative": c.relative} for c in diff.outcomes],
    }


def diff_rows(diff) -> list[dict[str, Any]]:
    """CSV: one row per change, inputs first, told apart by `kind`."""
    rows = [{"kind": "input", "where": c.new_where or c.old_where, "field": c.path, "old": c.old, "new": c.new,
             "delta": None, "relative": None} for c in diff.inputs]
    rows += [{"kind": "outcome", "where": c.where, "field": c.field, "old": c.old, "new": c.new,
              "delta": c.delta, "relative": c.relative} for c in diff.outcomes]
    return rows


def diff_sections(diff) -> list[Section]:
    heading_text = f"chipcalc diff: {diff.old.file} -> {diff.new.file}"
    if not diff.changed:
        return [Section(heading_text, ["no change"])]
    tables = []
    if diff.inputs:
        inputs = Table([Column("input"), Column("old", NUMBER), Column("new", NUMBER),
                        Column("where", wrap=True)], title=f"Inputs changed ({len(diff.inputs)})")
        for c in diff.inputs:
            kind = {"rate": RATE, "money": MONEY, "number": NUMBER}.get(c.kind, TEXT)
            inputs.rows.append([c.path, "(absent)" if c.old is None else show(c.old, kind),
                                "(absent)" if c.new is None else show(c.new, kind),
                                c.new_where or c.old_where or "default"])
        tables.append(inputs)
    groups: dict[str, list] = {}
    for c in diff.outcomes:
        groups.setdefault(c.where, []).append(c)
    for where, changes in groups.items():
        table = Table([Column("outcome"), Column("old", NUMBER), Column("new", NUMBER), Column("change", NUMBER)],
                      title=f"Outcomes changed: {where}")
        for c in changes:
            table.rows.append([c.field, show_outcome(c.old, c.field), show_outcome(c.new, c.field), _change(c)])
        tables.append(table)
    return [Section(heading_text, [f"{len(diff.inputs)} inputs and {len(diff.outcomes)} outcomes changed"],
                    tables)]


def _change(c) -> str:
    if c.relative is None:
        return "-" if c.kind == "text" or c.delta is None else "from 0"
    return f"{c.delta * 100:+.1f} pt" if c.kind == "fraction" else f"{c.relative * 100:+.1f}%"


# report -------------------------------------------------------------------------


def report_sections(result: ScenarioResult) -> list[Section]:
    """One scenario's full report: assumptions with sources, chips, comparisons, breakevens, levy."""
    scenario = result.scenario
    a = scenario.assumptions
    assumptions = Table([Column("assumption"), Column("value", NUMBER)], title="Assumptions")
    assumptions.rows = [
        ["precision", a.precision], ["lifetime", f"{a.lifetime_years:g} years"],
        ["electricity", f"{human_money(a.electricity_usd_per_kwh)}/kWh"], ["PUE", f"{a.pue:g}"],
        ["levy pass-through", human_rate(a.levy_pass_through)], ["incumbent platform", a.incumbent_platform],
        *([f"USD per {code}", f"{rate:g}"] for code, rate in a.fx.items()),
    ]
    platforms = Table([Column("platform"), Column("migration", MONEY), Column("engineer-months", NUMBER),
                       Column("per engineer-month", MONEY), Column("as of"), Column("source", wrap=True)],
                      title="Platforms (migration off the incumbent)")
    platforms.rows = [[key, p.migration_cost_usd, p.engineer_months, p.cost_per_engineer_month_usd, p.as_of,
                       p.source] for key, p in scenario.platforms.items()]
    orders = Table([Column("order"), Column("chip"), Column("given"), Column("as of"), Column("source", wrap=True)],
                   title="Orders")
    orders.rows = [[o.name, o.chip, human_money(o.budget_usd) if o.budget_usd is not None else
                    f"{human_number(o.units)} units", o.as_of, o.source] for o in scenario.orders]
    head = scenario_section(scenario, [assumptions] + ([platforms] if platforms.rows else []) + [orders],
                            described=True)
    head.heading = f"Scenario {scenario.name}"
    chips, = chips_sections([result])
    chips.heading, chips.lines, chips.description = "Chips", [], None
    sections = [head, chips]
    for compared in compare_sections([result]):
        compared.heading, compared.lines = "Comparison", []
        sections.append(compared)
    levy, = levy_sections([result])
    levy.heading, levy.lines = "Levy", []
    sections.append(levy)
    return sections


def report_document(result: ScenarioResult) -> dict[str, Any]:
    (chips,) = chips_document([result])["scenarios"]
    (compared,) = compare_document([result])["scenarios"]
    return {"schema_version": SCHEMA_VERSION, **compared, "description": result.scenario.description,
            "chips": chips["chips"]}


def verdict(result: ScenarioResult) -> str:
    """A one-line summary for the index: the cheapest option of each order and the levy paid."""
    parts = [f"{o.order.name}: cheapest {o.cheapest.chip} ({human_money(o.cheapest.tco_usd)} TCO, "
             + ("the order's chip" if o.cheapest.is_order_chip else
                f"{human_rate(o.cheapest.vs_order)} vs {o.order.chip}") + ")" for o in result.orders]
    return "; ".join(parts + [f"levy paid {human_money(result.total.levy_usd)}"])


# explain --------------------------------------------------------------------------


def _where_from(term, scenario_file: str) -> str:
    if term.origin is None:
        return "default"
    if term.origin.startswith("--set:"):
        return term.origin
    file = term.origin.rsplit(":", 2)[0]
    return term.origin + ("" if file == scenario_file else " (inherited)")


def explain_document(explanation_and_file) -> dict[str, Any]:
    explanation, scenario_file = explanation_and_file
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": explanation.scenario,
        "file": scenario_file,
        "metric": explanation.metric,
        "order": explanation.order,
        "chip": explanation.chip,
        "value": explanation.value,
        "reason": explanation.reason,
        "formula": explanation.formula,
        "terms": [{"symbol": t.symbol, "meaning": t.meaning, "value": t.value, "formula": t.formula,
                   "path": t.path, "where": None if t.formula else _where_from(t, scenario_file),
                   "source": t.source} for t in explanation.terms],
    }


def explain_rows(explanation_and_file) -> list[dict[str, Any]]:
    document = explain_document(explanation_and_file)
    return [{"metric": document["metric"], "order": document["order"], "chip": document["chip"], **term}
            for term in document["terms"]]


def explain_sections(explanation_and_file) -> list[Section]:
    explanation, scenario_file = explanation_and_file
    kind = {"money": MONEY, "rate": RATE}
    subject = f"option {explanation.chip} of order {explanation.order}" if explanation.chip else \
        f"order {explanation.order}"
    if explanation.value is None:
        shown = f"none ({explanation.reason})"
    else:
        metric_kind = MONEY if explanation.metric.endswith("_usd") else RATE if explanation.metric.split(".")[-1] \
            in ("vs_order", "levy_rate", "utilization") else NUMBER
        shown = f"{show(explanation.value, metric_kind)} ({explanation.value!r})" + (
            f", {explanation.reason}" if explanation.reason else "")
    derived = Table([Column("term"), Column("value", NUMBER), Column("formula", wrap=True)], title="Derived")
    inputs = Table([Column("term"), Column("value", NUMBER), Column("path and where it was set", wrap=True)],
                   title="Inputs")
    sources: dict[str, str] = {}
    for t in explanation.terms:
        value = show(t.value, kind.get(t.kind, NUMBER)) if t.value is not None else "none"
        if t.formula:
            derived.rows.append([t.symbol, value, t.formula])
        else:
            inputs.rows.append([t.symbol, value, f"{t.path}\n  {_where_from(t, scenario_file)}"])
            if t.source:
                sources.setdefault(t.source, t.path.rsplit(".", 1)[0] if t.path.startswith(("chips.", "platforms."))
                                   else t.path)
    inputs.notes = [f"source of {owner}: {source}" for source, owner in sources.items()]
    return [Section(f"{explanation.metric} of {subject} ({explanation.scenario})",
                    [f"{explanation.formula}", f"= {shown}"], [t for t in (derived, inputs) if t.rows])]


# what-if: breakeven, sweep, sensitivity, simulate ---------------------------------


def _value_kind(path_or_metric: str) -> str:
    leaf = path_or_metric.rsplit(".", 1)[-1]
    if leaf.endswith("_usd") or leaf in ("price", "host_cost", "migration_cost", "cost_per_engineer_month",
                                          "budget", "electricity_usd_per_kwh"):
        return MONEY
    if leaf in ("vs_order", "levy_rate", "levy_base", "utilization", "levy_pass_through"):
        return RATE
    return NUMBER


def breakevens_document(results: list[ScenarioResult]) -> dict[str, Any]:
    return document(results, lambda r: {"orders": [
        {"name": o.order.name, "chip": o.order.chip,
         "options": [{"chip": option.chip, "breakeven": option_document(option)["breakeven"]}
                     for option in o.options if not option.is_order_chip]} for o in r.orders]})


def breakevens_rows(results: list[ScenarioResult]) -> list[dict[str, Any]]:
    return [{"scenario": r.scenario.name, "order": o.order.name, "chip": option.chip,
             **flatten({"breakeven": option_document(option)["breakeven"]})}
            for r in results for o in r.orders for option in o.options if not option.is_order_chip]


def breakevens_sections(results: list[ScenarioResult]) -> list[Section]:
    sections = []
    for r in results:
        section = scenario_section(r.scenario)
        section.tables = [_breakeven_table(o) for o in r.orders]
        sections.append(section)
    return sections


def seek_document(seek_and_scenario) -> dict[str, Any]:
    seek, scenario = seek_and_scenario
    return {"schema_version": SCHEMA_VERSION, "scenario": scenario.name, "order": seek.order,
            "option": seek.option, "path": seek.path, "value": seek.value, "reason": seek.reason,
            "low": seek.low, "high": seek.high}


def seek_rows(seek_and_scenario) -> list[dict[str, Any]]:
    row = seek_document(seek_and_scenario)
    del row["schema_version"]
    return [row]


def seek_sections(seek_and_scenario) -> list[Section]:
    seek, scenario = seek_and_scenario
    kind = _value_kind(seek.path)
    searched = f"searched {show(seek.low, kind)} to {show(seek.high, kind)}"
    if seek.value is None:
        answer = f"{seek.path}: {seek.reason} ({searched})"
    else:
        answer = f"{seek.path} = {show(seek.value, kind)} ({seek.value!r}); {searched}"
    section = scenario_section(scenario)
    section.lines += [f"order {seek.order}: the value at which {seek.option} costs the same as the order's chip",
                      answer]
    return [section]


def sweep_document(sweep_and_scenario) -> dict[str, Any]:
    """The sweep's JSON document without its points (`sweep_json` writes them, fast)."""
    sweep, scenario = sweep_and_scenario
    return {"schema_version": SCHEMA_VERSION, "scenario": scenario.name, "order": sweep.order,
            "metric": sweep.metric, "vary": list(sweep.paths), "points": []}


BLOCK_ROWS = 50_000
"""Sweep rows are turned into text this many at a time, so a million points never sit in memory
as seven million small strings at once."""


def _sweep_blocks(sweep, quote: bool):
    """(column names, then blocks of rows): each row the varied values and each chip's metric (or the
    cheapest chip, JSON-quoted when `quote`), every value as JSON text."""
    import json

    import numpy as np

    grids = np.meshgrid(*sweep.axes, indexing="ij")
    shape = grids[0].shape
    columns = {path: grid for path, grid in zip(sweep.paths, grids)}
    if sweep.values:
        columns.update({chip: np.broadcast_to(values, shape) for chip, values in sweep.values.items()})
    else:
        columns["cheapest"] = np.broadcast_to(sweep.cheapest, shape)
    names = [json.dumps(chip) if quote else chip for chip in sweep.chips]
    flat = {name: np.ravel(column) for name, column in columns.items()}
    for name, column in flat.items():
        if name != "cheapest" and not np.all(np.isfinite(column)):
            raise ValueError(f"a sweep gave a value of {name} that is not finite")  # a bug, never output
    yield list(columns)
    total = len(next(iter(flat.values())))
    for start in range(0, total, BLOCK_ROWS):
        block = []
        for name, column in flat.items():
            part = column[start:start + BLOCK_ROWS].tolist()
            block.append([names[i] for i in part] if name == "cheapest" else list(map(repr, part)))
        yield zip(*block)  # repr is what json writes for a float


def sweep_json(sweep_and_scenario) -> str:
    """JSON with one point per line, written column-wise: a million points in seconds, not minutes."""
    import json

    head = json.dumps(sweep_document(sweep_and_scenario), indent=2, ensure_ascii=False)
    blocks = _sweep_blocks(sweep_and_scenario[0], quote=True)
    template = "    {" + ", ".join(f"{json.dumps(name)}: %s" for name in next(blocks)) + "}"
    points = ",\n".join(",\n".join(template % row for row in block) for block in blocks)
    return head.replace('"points": []', '"points": [\n' + points + "\n  ]") + "\n"


def sweep_csv(sweep_and_scenario) -> str:
    """CSV: one row per grid point (a chip's key needs no quoting: letters, digits, _ and -)."""
    blocks = _sweep_blocks(sweep_and_scenario[0], quote=False)
    header = ",".join(next(blocks))
    return header + "\n" + "".join("".join(",".join(row) + "\n" for row in block) for block in blocks)


def sweep_rows(sweep_and_scenario) -> list[dict[str, Any]]:
    """One dict per grid point (the library's view; the CLI writes JSON and CSV directly)."""
    import json

    blocks = _sweep_blocks(sweep_and_scenario[0], quote=True)
    names = next(blocks)
    return [{name: json.loads(value) for name, value in zip(names, row)} for block in blocks for row in block]


MAX_SHOWN = 21
"""A table shows at most this many values of each varied input; JSON and CSV carry every point."""


def sweep_sections(sweep_and_scenario) -> list[Section]:
    sweep, scenario = sweep_and_scenario
    import numpy as np

    rows = _shown(len(sweep.axes[0]))
    section = scenario_section(scenario)
    metric_kind = _value_kind(sweep.metric)
    row_kind = _value_kind(sweep.paths[0])
    if len(sweep.paths) == 1:
        columns = [Column(short_path(sweep.paths[0]), row_kind)] + (
            [Column(chip, metric_kind) for chip in sweep.chips] if sweep.values else []) + [Column("cheapest")]
        table = Table(columns, title=f"{sweep.metric} by {sweep.paths[0]}, order {sweep.order}")
        for i in rows:
            table.rows.append([float(sweep.axes[0][i])] + [float(np.broadcast_to(sweep.values[c], sweep.axes[0].shape)[i])
                                                           for c in (sweep.chips if sweep.values else [])]
                              + [sweep.chips[int(np.broadcast_to(sweep.cheapest, sweep.axes[0].shape)[i])]])
        section.tables.append(table)
    else:
        cols = _shown(len(sweep.axes[1]))
        shape = (len(sweep.axes[0]), len(sweep.axes[1]))
        col_kind = _value_kind(sweep.paths[1])
        panels = [("cheapest", None)] + ([(chip, sweep.values[chip]) for chip in sweep.chips] if sweep.values else [])
        for name, values in panels:
            table = Table([Column(short_path(sweep.paths[0]), row_kind)]
                          + [Column(show(float(sweep.axes[1][j]), col_kind), TEXT if values is None else metric_kind)
                             for j in cols],
                          title=(f"Cheapest option, order {sweep.order}" if values is None else
                                 f"{name}: {sweep.metric}, order {sweep.order}")
                          + f"; columns: {short_path(sweep.paths[1])}")
            grid = np.broadcast_to(sweep.cheapest if values is None else values, shape)
            for i in rows:
                cells = [sweep.chips[int(grid[i, j])] if values is None else float(grid[i, j]) for j in cols]
                table.rows.append([float(sweep.axes[0][i])] + cells)
            section.tables.append(table)
    section.lines.append(f"rows: {sweep.paths[0]}" + (f"; columns: {sweep.paths[1]}" if len(sweep.paths) == 2 else ""))
    if len(rows) < len(sweep.axes[0]) or (len(sweep.paths) == 2 and len(_shown(len(sweep.axes[1]))) < len(sweep.axes[1])):
        section.lines.append("the table shows evenly spaced points of the grid; -f csv or -f json carry every point")
    return [section]


def short_path(path: str) -> str:
    """A path short enough for a column header: `chips.h200.levy_rate` -> `h200.levy_rate`."""
    head, _, rest = path.partition(".")
    return rest if head in ("chips", "platforms", "assumptions") and rest else path


def _shown(count: int) -> list[int]:
    if count <= MAX_SHOWN:
        return list(range(count))
    return sorted({round(i * (count - 1) / (MAX_SHOWN - 1)) for i in range(MAX_SHOWN)})


def tornado_document(tornado_and_scenario) -> dict[str, Any]:
    tornado, scenario = tornado_and_scenario
    return {"schema_version": SCHEMA_VERSION, "scenario": scenario.name, "order": tornado.order,
            "option": tornado.option, "metric": tornado.metric, "swing": tornado.swing, "base": tornado.base,
            "inputs": tornado_rows(tornado_and_scenario)}


def tornado_rows(tornado_and_scenario) -> list[dict[str, Any]]:
    tornado, _ = tornado_and_scenario
    return [{"path": s.path, "base_value": s.base_value, "low_value": s.low_value, "high_value": s.high_value,
             "metric_low": s.metric_low, "metric_high": s.metric_high, "width": s.width}
            for s in tornado.swings]


TORNADO_ROWS = 15
BAR_WIDTH = 12


def tornado_sections(tornado_and_scenario) -> list[Section]:
    tornado, scenario = tornado_and_scenario
    kind = _value_kind(tornado.metric)
    moving = [s for s in tornado.swings if s.width > 0]
    widest = moving[0].width if moving else 1.0
    table = Table([Column("input"), Column("down", kind), Column("up", kind), Column("width", kind),
                   Column("")], title=f"What moves {tornado.metric} of {tornado.option} most "
                                      f"(order {tornado.order})")
    for s in moving[:TORNADO_ROWS]:
        bar = "#" * max(1, round(BAR_WIDTH * s.width / widest))
        table.rows.append([s.path, s.metric_low, s.metric_high, s.width, bar])
    table.notes.append(f"each input moved by -{human_rate(tornado.swing)} (down) and +{human_rate(tornado.swing)}"
                       f" (up), clamped to its valid range; {tornado.metric} at the scenario as given: "
                       f"{show(tornado.base, kind)}")
    if len(moving) > TORNADO_ROWS or len(moving) < len(tornado.swings):
        table.notes.append(f"{len(moving)} of {len(tornado.swings)} inputs move it; the table shows the "
                           f"widest {min(len(moving), TORNADO_ROWS)} (-f json or csv for all)")
    section = scenario_section(scenario)
    section.tables.append(table)
    return [section]


def _stats(stats) -> dict[str, float]:
    return {"p5": stats.p5, "p50": stats.p50, "p95": stats.p95, "mean": stats.mean}


def simulation_document(simulation_and_scenario) -> dict[str, Any]:
    simulation, scenario = simulation_and_scenario
    return {"schema_version": SCHEMA_VERSION, "scenario": scenario.name, "file": scenario.file,
            "samples": simulation.samples, "seed": simulation.seed, "inputs": list(simulation.inputs),
            "orders": [{"name": o.name, "chip": o.chip, "levy_usd": _stats(o.levy_usd),
                        "options": [{"chip": x.chip, "tco_usd": _stats(x.tco_usd),
                                     "usd_per_effective_pflops": _stats(x.usd_per_effective_pflops),
                                     "p_cheapest": x.p_cheapest} for x in o.options]}
                       for o in simulation.orders]}


def simulation_rows(simulation_and_scenario) -> list[dict[str, Any]]:
    simulation, scenario = simulation_and_scenario
    return [{"scenario": scenario.name, "samples": simulation.samples, "seed": simulation.seed,
             "order": o.name, "chip": x.chip, **flatten({"tco_usd": _stats(x.tco_usd),
                                                         "usd_per_effective_pflops": _stats(x.usd_per_effective_pflops)}),
             "p_cheapest": x.p_cheapest} for o in simulation.orders for x in o.options]


def simulation_sections(simulation_and_scenario) -> list[Section]:
    simulation, scenario = simulation_and_scenario
    section = scenario_section(scenario)
    section.lines = [line for line in section.lines if not line.startswith("range collapsed:")]  # sampled here
    section.lines.append(f"{simulation.samples:,} samples, seed {simulation.seed}; uncertain inputs: "
                         + ", ".join(simulation.inputs))
    for o in simulation.orders:
        table = Table([Column("option"), Column("TCO P5", MONEY), Column("P50", MONEY), Column("P95", MONEY),
                       Column("mean", MONEY), Column("$/PFLOP/s P50", MONEY), Column("cheapest", RATE)],
                      title=f"Order {o.name} ({o.chip}): levy paid P5 {human_money(o.levy_usd.p5)}, "
                            f"P50 {human_money(o.levy_usd.p50)}, P95 {human_money(o.levy_usd.p95)}")
        for x in sorted(o.options, key=lambda x: x.tco_usd.p50):
            table.rows.append([x.chip + (f" {ORDER_MARK}" if x.chip == o.chip else ""), x.tco_usd.p5,
                               x.tco_usd.p50, x.tco_usd.p95, x.tco_usd.mean, x.usd_per_effective_pflops.p50,
                               x.p_cheapest])
        table.notes.append(f"{ORDER_MARK} the order's chip. cheapest: the share of samples in which the option "
                           "has the lowest TCO.")
        section.tables.append(table)
    return [section]
