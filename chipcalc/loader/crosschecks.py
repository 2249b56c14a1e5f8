"""Checks between sections, and the defaults that depend on other sections.

Run after every section's shape is valid on its own: a chip's platform must have an entry under
`platforms` (unless it is the incumbent), its `tflops` must have the scenario's precision, an
order must name a chip of the scenario, give units or a budget and have a name of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..errors import did_you_mean
from ..scenario import Assumptions, Chip, Mark, Order, Platform, Workload
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
                         f"platform '{platform}' has no entry under platforms: add "
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
    written = tree.get("chips") if isinstance(tree.get("chips"), dict) else {}
    for index, order in enumerate(orders):
        if order is None:
            continue
        path = f"orders[{index}]"
        node = nodes[index] if index < len(nodes) and isinstance(nodes[index], dict) else mdict(
            Mark(problems.label, 1, 1))
        if order.chip is not None and written and order.chip not in written:
            problems.add(node.marks.get("chip", node.mark), f"{path}.chip",
                         f"no chip '{order.chip}' in this scenario" + (did_you_mean(order.chip, chips)
                         or f"; chips: {', '.join(chips)}"))
        given = [key for key in Order.EXACTLY_ONE_OF if key in node]
        if len(given) > 1:
            problems.add(node.marks[given[-1]], path, f"give {' or '.join(given)}, not both")
        elif not given:
            problems.add(node.mark, path, f"missing {' or '.join(Order.EXACTLY_ONE_OF)}: give one, "
                         "e.g. units: 400k")
        elif node[given[0]] is None:  # `budget: ~` or `units:` gives neither
            problems.add(node.marks[given[0]], f"{path}.{given[0]}", "must be a number (got nothing)")
        name = order.name or f"order-{index + 1}"
        if name in seen:
            problems.add(node.marks.get("name", node.mark), f"{path}.name",
                         f"order name '{name}' is already used by orders[{seen[name]}]")
        seen.setdefault(name, index)
        named.append(replace(order, name=name))
    return tuple(named)
