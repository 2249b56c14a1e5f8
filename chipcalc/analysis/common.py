"""The checks and look-ups every analysis shares, each written once.

Which order, which chip, which input: each is checked here with a message
that says how to fix it, so goal seek, sweep, sensitivity and explain answer
the same mistake the same way.
"""

from __future__ import annotations

import difflib
from typing import Any, Iterable

from ..errors import UsageError, did_you_mean
from ..model import Option, evaluate_chips, order_figures, shown_kinds
from ..paths import numeric_inputs, parse_path, spec_at, value_at
from ..scenario import Order, Scenario
from ..spec import Spec

OptionFields = dict[str, Any]
"""One option's fields (MODEL.md, per order) by name: `tco_usd`, `vs_order`, ...; floats, or numpy
arrays where the scenario holds arrays (the model is the same arithmetic on both)."""


OPTION_METRICS = tuple(shown_kinds(Option))
"""The figures of an option (the option fields of the compare JSON that are numbers), in its order:
what a sweep or a tornado may read. From the model's result, so a new figure is a metric at once."""


UNSET_BECAUSE = {"usd_per_million_tokens": "the scenario gives no workload.flops_per_token (FLOPs per token)"}
"""Why an option figure that may be null is: a cost per token needs the tokens' cost in FLOPs."""


def checked_metric(metric: str, options: dict[str, OptionFields], extra: tuple[str, ...] = ()) -> None:
    """A UsageError unless `metric` is an option figure (or one of `extra`) that these options give."""
    choices = [*OPTION_METRICS, *extra]
    if metric not in choices:
        raise UsageError(f"unknown metric {metric!r}{did_you_mean(metric, choices)}; "
                         f"metrics are: {', '.join(choices)}")
    if metric in OPTION_METRICS and any(option[metric] is None for option in options.values()):
        why = UNSET_BECAUSE.get(metric, "the scenario lacks what it needs")
        raise UsageError(f"{metric} has no value here: {why}")


def order_index(scenario: Scenario, name: str | None) -> int:
    """The index of the order named `name` (the first when None), or a UsageError naming the orders."""
    names = [order.name for order in scenario.orders]
    if not names:
        raise UsageError(f"{scenario.file} has no orders: add one under orders:")
    if name is None:
        return 0
    if name not in names:
        raise UsageError(f"no order '{name}' in {scenario.file}; orders: {', '.join(names)}")
    return names.index(name)


def checked_order(scenario: Scenario, order: int) -> Order:
    """Order number `order` (0-based), or a UsageError that says which exist."""
    count = len(scenario.orders)
    if count == 0:
        raise UsageError("the scenario has no orders; add one under `orders:` (a chip and units or a budget)")
    if isinstance(order, bool) or not isinstance(order, int) or not 0 <= order < count:
        names = ", ".join(f"{i} ({o.name})" for i, o in enumerate(scenario.orders))
        raise UsageError(f"no order {order!r} in this scenario; orders are numbered from 0: {names}")
    return scenario.orders[order]


def checked_chip(scenario: Scenario, key: str, role: str) -> str:
    """`key` when it names a chip of the scenario, else a UsageError with the nearest key."""
    if key not in scenario.chips:
        raise UsageError(f"unknown {role} {key!r}{did_you_mean(key, scenario.chips)}; "
                         f"chips are: {', '.join(scenario.chips)}")
    return key


def order_options(scenario: Scenario, order: int) -> dict[str, OptionFields]:
    """Each chip's option fields (MODEL.md, per order) for order number `order`, by chip key."""
    figures = evaluate_chips(scenario)
    return order_figures(scenario.orders[order], figures, scenario.workload)["options"]


def default_option(scenario: Scenario, order: int) -> str:
    """The option a question about order `order` is usually about.

    The cheapest chip by TCO other than the order's own (ties by key), or the
    order's own chip when it is the only one.
    """
    options = order_options(scenario, order)
    own = scenario.orders[order].chip
    others = [key for key in options if key != own]
    if not others:
        return own
    return min(others, key=lambda key: (options[key]["tco_usd"], key))


def switch_option(scenario: Scenario, option: str | None, order: int) -> str:
    """The chip to compare the order's own with: `option`, checked, or by default `default_option`.

    Raises UsageError when none is given and the scenario has one chip only:
    a question about switching needs a second chip.
    """
    if option is not None:
        return checked_chip(scenario, option, "option")
    if len(scenario.chips) < 2:
        raise UsageError(f"{scenario.file} has one chip only: add another to compare it with")
    return default_option(scenario, order)


def checked_input(scenario: Scenario, path: str) -> tuple[Spec, float]:
    """The spec and current value of the numeric input at `path`, or a UsageError saying how to fix it."""
    try:
        tokens = parse_path(path)
    except ValueError as error:
        raise UsageError(str(error)) from None
    _check_demand_path(scenario, tokens)
    inputs = {name: (spec, value) for name, spec, value in numeric_inputs(scenario)}
    if path in inputs:
        spec, value = inputs[path]
        return spec, float(value)
    raise UsageError(f"{path} is not a numeric input of this scenario{_why_not_numeric(scenario, path)}"
                     f"{_nearest(path, inputs)}")


def _check_demand_path(scenario: Scenario, tokens: list[str | int]) -> None:
    """Demand is varied through the quantity the order was given as, units or budget."""
    if len(tokens) != 3 or tokens[0] != "orders" or tokens[2] not in ("units", "budget"):
        return
    index = tokens[1]
    if not isinstance(index, int) or index >= len(scenario.orders):
        return
    given_as_units = scenario.orders[index].units is not None
    if tokens[2] == "budget" and given_as_units:
        raise UsageError(f"orders[{index}] is given as units, not a budget; "
                         f"seek orders[{index}].units to vary its demand")
    if tokens[2] == "units" and not given_as_units:
        raise UsageError(f"orders[{index}] is given as a budget, not units; "
                         f"seek orders[{index}].budget to vary its demand")


def _why_not_numeric(scenario: Scenario, path: str) -> str:
    try:
        spec, value = spec_at(path), value_at(scenario, path)
    except (KeyError, IndexError, ValueError):
        return ""
    if not spec.numeric:
        return f" ({path} is {spec.kind}, not a number)"
    if value is None:
        return f" ({path} is not set in it; give it a value in the scenario first)"
    return ""


def _nearest(path: str, inputs: Iterable[str]) -> str:
    near = difflib.get_close_matches(path, list(inputs), n=3, cutoff=0.5)
    return f"; nearest numeric inputs: {', '.join(near)}" if near else ""
