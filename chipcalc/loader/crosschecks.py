"""Checks between sections, and the defaults that depend on other sections.

Run after every section's shape is valid on its own: the scenario's name must be a plain file
stem (it names its report file), a chip's platform must have an entry under `platforms` (unless it
is the incumbent), its `tflops` must have the scenario's precision, an order must name a chip of
the scenario, give units or a budget and have a name of its own; a mix rule must name chips of the
scenario and bound their share consistently. Scenarios used together must have names of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import NamedTuple

from ..errors import Problem, ScenarioError, did_you_mean
from ..safe import quoted, stem_problem
from ..scenario import Assumptions, Chip, Mix, Order, Platform, Scenario, Workload
from ..spec import Mark
from ..values import counted, human_rate
from .marks import MDict, mdict
from .validate import Problems


def check_chips(chips: dict[str, Chip], platforms: Mapping[str, Platform], assumptions: Assumptions,
                tree: MDict, problems: Problems, workload: Workload | None = None) -> None:
    """Fill each chip's defaults that depend on others (in place), and check its platform and
    precision, and its bandwidth when the workload caps throughput by it (MODEL.md, B_c)."""
    roofline = workload is not None and workload.arithmetic_intensity is not None
    nodes = tree.get("chips") if isinstance(tree.get("chips"), dict) else {}
    for key, chip in list(chips.items()):
        node = nodes.get(key)
        path = f"chips.{key}"
        where = node.mark if isinstance(node, dict) else Mark(problems.label, 1, 1)
        updates = {}
        if chip.name is None:
            updates["name"] = key
        if chip.platform is None:
            updates["platform"] = assumptions.incumbent_platform
        platform = updates.get("platform", chip.platform)
        if platform != assumptions.incumbent_platform and platform not in platforms:
            problems.add(node.marks.get("platform", where), f"{path}.platform",
                         f"platform {quoted(platform)} has no entry under platforms: add "
                         f"platforms.{platform}.migration_cost (the cost of leaving "
                         f"{assumptions.incumbent_platform}), 0 if there is none")
        if chip.tflops and assumptions.precision is not None and assumptions.precision not in chip.tflops \
                and not problems.at(f"{path}.tflops"):
            problems.add(node.marks.get("tflops", where), f"{path}.tflops",
                         f"has no {assumptions.precision} entry, the scenario's precision: add "
                         f"tflops.{assumptions.precision} or change assumptions.precision")
        elif chip.tflops == {} and "tflops" in node and not problems.at(f"{path}.tflops"):
            problems.add(node.marks["tflops"], f"{path}.tflops", "must give at least one precision")
        if roofline and chip.bandwidth_tbps is None and not problems.at(f"{path}.bandwidth_tbps"):
            problems.add(where, f"{path}.bandwidth_tbps", "is needed: workload.arithmetic_intensity caps "
                         "throughput at bandwidth x intensity; add bandwidth_tbps (TB/s)")
        if updates:
            chips[key] = replace(chip, **updates)


def check_orders(orders: tuple[Order | None, ...], chips: Mapping[str, Chip], tree: MDict,
                 problems: Problems) -> tuple[Order, ...]:
    """Check each order's chip and quantity, and name the unnamed ones (order-1, order-2, ...)."""
    nodes = tree.get("orders") if isinstance(tree.get("orders"), list) else []
    seen: dict[str, int] = {}
    named = []
    written = {key for key, chip in tree["chips"].items() if chip is not None} \
        if isinstance(tree.get("chips"), dict) else set()  # an empty entry is no chip
    for index, order in enumerate(orders):
        if order is None:
            continue
        path = f"orders[{index}]"
        node = nodes[index] if index < len(nodes) and isinstance(nodes[index], dict) else mdict(
            Mark(problems.label, 1, 1))
        if order.chip is not None and written and order.chip not in written:
            problems.add(node.marks.get("chip", node.mark), f"{path}.chip",
                         f"no chip {quoted(order.chip)} in this scenario" + (did_you_mean(order.chip, chips)
                         or f"; chips: {', '.join(chips)}"))
        given = [key for key in Order.EXACTLY_ONE_OF if node.get(key) is not None]  # `budget: ~` gives none
        if len(given) > 1:
            problems.add(node.marks[given[-1]], path, f"give {' or '.join(given)}, not both")
        elif not given:
            empty = [key for key in Order.EXACTLY_ONE_OF if key in node]
            said = f" ({' and '.join(empty)} {'is' if len(empty) == 1 else 'are'} empty)" if empty else ""
            problems.add(node.marks[empty[0]] if empty else node.mark, path,
                         f"missing {' or '.join(Order.EXACTLY_ONE_OF)}{said}: give one, e.g. units: 400k")
        name = order.name or f"order-{index + 1}"
        if name in seen:
            problems.add(node.marks.get("name", node.mark), f"{path}.name",
                         f"order name {quoted(name)} is already used by orders[{seen[name]}]")
        seen.setdefault(name, index)
        named.append(replace(order, name=name))
    return tuple(named)


def check_name(name: str, mark: Mark, problems: Problems) -> None:
    """A scenario's written name names its report file inside `--out`, so it must be a plain file
    stem: `../x`, `/etc/x` or `index` would write outside the folder or over another file."""
    refused = stem_problem(name)
    if refused:
        problems.add(mark, "name", refused)


class Named(NamedTuple):
    """What the checks of names across scenarios need of one: its name, its file, and where the name
    was written (the file's first line when the name is the file's stem). Light, so that a worker
    process hands it back cheaply (`batch`)."""

    name: str
    file: str
    where: str


def named(scenario: Scenario) -> Named:
    return Named(scenario.name, scenario.file, str(scenario.origins.get("name", Mark(scenario.file, 1, 1))))


def check_unique_names(scenarios: Sequence[Named]) -> None:
    """Scenarios used together are told apart by name (columns, report files): a name given twice
    is an error at the second one's `name:`."""
    first: dict[str, Named] = {}
    problems = []
    for scenario in scenarios:
        if scenario.name in first:
            files = f"{first[scenario.name].file} and {scenario.file}"
            problems.append(Problem(scenario.where, "name",
                                    f"two scenarios are named {quoted(scenario.name)} ({files}): give one a "
                                    "different `name:`"))
        first.setdefault(scenario.name, scenario)
    if problems:
        raise ScenarioError(problems)


MAX_OPTIONS = 50_000
"""The most chips times orders a scenario may have: each is an option costed once by compare and
again for every input by sensitivity. A 24 KB file of aliased chips must not take minutes and
gigabytes (issue 13); the benchmarks' largest is 5 chips times 10,000 orders."""


def check_size(chips: int, orders: int, tree: MDict, problems: Problems) -> None:
    """Refuse a scenario whose chips times orders exceed MAX_OPTIONS, at its `orders:` line."""
    if chips * orders > MAX_OPTIONS:
        problems.add(tree.marks.get("orders", tree.mark), "orders",
                     f"{counted(chips, 'chip')} times {counted(orders, 'order')} make "
                     f"{chips * orders:,} options to cost, "
                     f"more than {MAX_OPTIONS:,}: split the scenario into several files")


def check_report_names(scenarios: Sequence[Named]) -> None:
    """Each scenario's name is a report's file name: a written name was checked when loaded; a
    name taken from the file's stem (`a:b.yaml`, `index.yaml`) is checked here, at the file's
    first line. Then names must differ, as files in one folder do."""
    problems = []
    for scenario in scenarios:
        refused = stem_problem(scenario.name)
        if refused:
            default = "the file's name is the default: give the scenario a `name:`"
            problems.append(Problem(scenario.where, "name", f"{refused}; {default}"))
    if problems:
        raise ScenarioError(problems)
    check_unique_names(scenarios)


def check_mix(mix: Mix, chips: Mapping[str, Chip], tree: MDict, problems: Problems) -> Mix:
    """Check each mix rule against the chips and itself, and name the unnamed ones (rule-1, rule-2, ...)."""
    section = tree.get("mix") if isinstance(tree.get("mix"), dict) else mdict(Mark(problems.label, 1, 1))
    nodes = section.get("rules") if isinstance(section.get("rules"), list) else []
    seen: dict[str, int] = {}
    named = []
    for index, rule in enumerate(mix.rules):
        if rule is None:
            continue
        path = f"mix.rules[{index}]"
        node = nodes[index] if index < len(nodes) and isinstance(nodes[index], dict) else mdict(section.mark)
        written = node.get("chips") if isinstance(node.get("chips"), list) else []
        for position, key in enumerate(() if problems.at(f"{path}.chips") else rule.chips):
            if key not in chips:
                where = written.marks[position] if position < len(written) else node.mark
                problems.add(where, f"{path}.chips[{position}]", f"no chip '{key}' in this scenario"
                             + (did_you_mean(key, chips) or f"; chips: {', '.join(chips)}"))
        if rule.min_share is None and rule.max_share is None and not problems.at(path):
            problems.add(node.mark, path, "gives neither min_share nor max_share: give one or both, "
                         "e.g. min_share: 30%")
        elif rule.min_share is not None and rule.max_share is not None and rule.min_share > rule.max_share:
            problems.add(node.marks.get("max_share", node.mark), f"{path}.max_share",
                         f"must be at least min_share ({human_rate(rule.min_share)}; got "
                         f"{human_rate(rule.max_share)})")
        name = rule.name or f"rule-{index + 1}"
        if name in seen:
            problems.add(node.marks.get("name", node.mark), f"{path}.name",
                         f"rule name '{name}' is already used by mix.rules[{seen[name]}]")
        seen.setdefault(name, index)
        named.append(replace(rule, name=name))
    return replace(mix, rules=tuple(named))
