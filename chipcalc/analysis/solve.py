"""Goal seek: the value of any numeric input at which an option costs the same as the order's chip.

The generic counterpart of MODEL.md's closed-form breakevens, and held to
them: where both apply they agree within 1e-9 relative. Like them it holds the
order's demand D fixed (a budget order keeps the units its budget buys at the
scenario's own prices), except when the input sought is the order's own
`units` or `budget`, which is how demand is varied.

The search stays inside the input's valid range: it scans the range for the
first sign change of T_option - T_order_chip and refines it with Brent's
method. A crossing outside the range (a utilisation above 1, a negative
price) is reported as "no crossing in range".
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterable

from ..errors import UsageError, did_you_mean
from ..model import evaluate_chips, order_figures, order_units
from ..scenario import Order, Scenario, Spec
from ..paths import numeric_inputs, parse_path, spec_at, value_at, with_values

NO_CROSSING = "no crossing in range"
EQUAL_EVERYWHERE = "equal everywhere"

OPEN_BOUND_NUDGE = 1e-12
"""An open bound is searched from this far inside it, relative to the bound or the current value."""
GROWTH = 1e6
"""An input with no upper bound is searched up to this many times its current value..."""
FLOOR_HIGH = 1e15
"""... and at least up to this (so an input now at 0, or tiny, still has a range)."""
SCAN_POINTS = 256
ROUNDING = 64 * 2.220446049250313e-16
"""Two costs closer than this, relative to the larger, are equal as far as floating point can tell."""
RELATIVE_TOLERANCE = 4 * 2.220446049250313e-16  # 4 machine epsilons, as scipy's brentq


@dataclass(frozen=True)
class Seek:
    """The value of one input at which an option costs the same as the order's chip."""

    path: str
    order: str
    """The order's name."""
    option: str
    """The chip key of the option compared with the order's chip."""
    value: float | None
    """The crossing, or None when there is none in [low, high]."""
    reason: str | None
    """None when `value` is given; "no crossing in range" or "equal everywhere" otherwise."""
    low: float
    """The range searched: the input's valid range, open bounds nudged inside, unbounded ones capped."""
    high: float


def goal_seek(scenario: Scenario, path: str, option: str, order: int = 0) -> Seek:
    """The value of `path` at which `option` costs as much as the chip order `order` buys.

    Example: `goal_seek(scenario, "chips.ascend_910c.utilization", "ascend_910c")`
    is the utilisation at which the 910C fleet's TCO equals the H200 order's.
    Raises UsageError for a path that is not a numeric input of this
    scenario, an unknown option, the order's own chip or a bad order index.
    """
    target = checked_order(scenario, order)
    checked_chip(scenario, option, "option")
    if option == target.chip:
        others = ", ".join(key for key in scenario.chips if key != option) or "(none)"
        raise UsageError(f"option {option!r} is the chip order {target.name!r} buys; "
                         f"compare it with another chip: {others}")
    spec, current = checked_input(scenario, path)
    held = hold_demand(scenario, order, path)
    low, high = search_bounds(spec, current)

    def costs(value: float) -> tuple[float, float]:
        options = order_options(with_values(held, {path: value}), order)
        return options[option]["tco_usd"], options[target.chip]["tco_usd"]

    # Only a closed bound is a value of the input: near an open one the costs may merely tend to equal.
    closed = (spec.low is not None and not spec.low_open, spec.high is not None and not spec.high_open)
    value, reason = find_crossing(costs, low, high, bounded=closed)
    return Seek(path, target.name, option, value, reason, low, high)


# The scenario as the goal seek varies it ---------------------------------------


def order_options(scenario: Scenario, order: int) -> dict[str, dict[str, Any]]:
    """Each chip's option fields (MODEL.md, per order) for order number `order`, by chip key."""
    figures = evaluate_chips(scenario)
    return order_figures(scenario.orders[order], figures, scenario.workload)["options"]


def hold_demand(scenario: Scenario, order: int, path: str) -> Scenario:
    """The scenario with order `order` given as the units it buys at the scenario's own prices.

    Left as is when `path` is that order's `units` or `budget`: varying those is
    how demand is varied.
    """
    target = scenario.orders[order]
    varies_demand = parse_path(path) in (["orders", order, "units"], ["orders", order, "budget"])
    if target.units is not None or varies_demand:
        return scenario
    units = order_units(target, evaluate_chips(scenario)[target.chip])
    orders = list(scenario.orders)
    orders[order] = replace(target, units=units, budget_usd=None)
    # The budget is gone, so an exchange rate must no longer rescale it.
    budget_path = f"orders[{order}].budget"
    currencies = {key: code for key, code in scenario.currencies.items() if key != budget_path}
    return replace(scenario, orders=tuple(orders), currencies=currencies)


def search_bounds(spec: Spec, current: float) -> tuple[float, float]:
    """The range to search an input in: its valid range, open bounds just inside, a missing bound capped."""
    reach = max(abs(current) * GROWTH, FLOOR_HIGH)
    if spec.low is None:
        low = -reach
    elif spec.low_open:
        low = spec.low + OPEN_BOUND_NUDGE * max(abs(spec.low), abs(current))
    else:
        low = spec.low
    if spec.high is None:
        high = reach
    elif spec.high_open:
        high = spec.high - OPEN_BOUND_NUDGE * max(abs(spec.high), abs(current))
    else:
        high = spec.high
    return float(low), float(high)


# Validation shared with the other analyses ---------------------------------------


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


def _check_demand_path(scenario: Scenario, tokens: list) -> None:
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


# Root finding --------------------------------------------------------------------


def find_crossing(costs: Callable[[float], tuple[float, float]], low: float, high: float,
                  bounded: tuple[bool, bool] = (True, True)) -> tuple[float | None, str | None]:
    """The first x in [low, high] at which the two `costs(x)` are equal: `(x, None)` or `(None, reason)`.

    Scans `scan_points(low, high)` for the first change of sign of the
    difference and refines it with Brent's method. A difference within
    rounding error of the costs has no sign: it is a crossing only at an end
    of the range that `bounded` says is a value of the input, not an open
    bound the costs may only tend to equal at, nor the cap of an unbounded
    search (far out, the costs grow until rounding swamps any difference).
    """
    def difference(x: float) -> float:
        first, second = costs(x)
        return first - second

    samples = []  # (x, difference, sign), where the difference is a number
    for x in scan_points(low, high):
        first, second = costs(x)
        sign = _sign(first, second)
        if sign is not None:
            samples.append((x, first - second, sign))
    significant = [sample for sample in samples if sample[2] != 0]
    if not significant:
        return (None, EQUAL_EVERYWHERE) if samples else (None, NO_CROSSING)
    if bounded[0] and samples[0][0] == low and samples[0][2] == 0:
        return low, None
    for (x0, d0, sign0), (x1, d1, sign1) in zip(significant, significant[1:]):
        if sign0 != sign1:
            return brent(difference, x0, x1, d0, d1), None
    if bounded[1] and samples[-1][0] == high and samples[-1][2] == 0:
        # equal from the end of the last difference up to the bound: the first point of that run
        return next(x for x, _, _ in samples if x > significant[-1][0]), None
    return None, NO_CROSSING


def _sign(first: float, second: float) -> int | None:
    """+1 or -1 as first - second, 0 when within rounding error of them, None when not a number."""
    difference = first - second
    if not math.isfinite(difference):
        return None
    if abs(difference) <= ROUNDING * max(abs(first), abs(second)):
        return 0
    return 1 if difference > 0 else -1


def scan_points(low: float, high: float, count: int = SCAN_POINTS) -> list[float]:
    """Where to look for a sign change: evenly spaced, and log-spaced too where the range spans decades."""
    if low == high:
        return [low]
    if low > 0 and high / low > 100:
        return _geometric(low, high, count)
    points = [low + (high - low) * i / (count - 1) for i in range(count)]
    if low <= 0 < high:
        # the decades just above zero, which an even grid over a wide range steps over
        points += _geometric(high * OPEN_BOUND_NUDGE, high, count)
    return sorted(set(points))


def _geometric(low: float, high: float, count: int) -> list[float]:
    ratio = math.log(high / low)
    points = [low * math.exp(ratio * i / (count - 1)) for i in range(count)]
    points[0], points[-1] = low, high  # exactly the bounds, not exp(log(...)) of them
    return points


def brent(function: Callable[[float], float], a: float, b: float, fa: float, fb: float,
          relative_tolerance: float = RELATIVE_TOLERANCE, max_iterations: int = 200) -> float:
    """A root of `function` in [a, b], where fa = function(a) and fb = function(b) differ in sign.

    Brent's method (inverse quadratic interpolation, secant, bisection), as
    scipy's brentq writes it.
    """
    if fa == 0 or fb == 0:
        return a if fa == 0 else b
    previous, current, f_previous, f_current = a, b, fa, fb
    block, f_block = previous, f_previous  # the other end of the bracket
    step_before = step = current - previous
    for _ in range(max_iterations):
        if f_previous != 0 and f_current != 0 and (f_previous < 0) != (f_current < 0):
            block, f_block = previous, f_previous
            step_before = step = current - previous
        if abs(f_block) < abs(f_current):
            previous, current, block = current, block, current
            f_previous, f_current, f_block = f_current, f_block, f_current
        tolerance = (1e-300 + relative_tolerance * abs(current)) / 2
        bisect = (block - current) / 2
        if f_current == 0 or abs(bisect) < tolerance:
            return current
        if abs(step_before) > tolerance and abs(f_current) < abs(f_previous):
            trial = _interpolated_step(previous, current, block, f_previous, f_current, f_block)
            if 2 * abs(trial) < min(abs(step_before), 3 * abs(bisect) - tolerance):
                step_before, step = step, trial
            else:
                step_before = step = bisect
        else:
            step_before = step = bisect
        previous, f_previous = current, f_current
        current += step if abs(step) > tolerance else math.copysign(tolerance, bisect)
        f_current = function(current)
    return current


def _interpolated_step(previous: float, current: float, block: float,
                       f_previous: float, f_current: float, f_block: float) -> float:
    """Secant step when two of the points coincide, else inverse quadratic extrapolation."""
    if previous == block:
        return -f_current * (current - previous) / (f_current - f_previous)
    slope_previous = (f_previous - f_current) / (previous - current)
    slope_block = (f_block - f_current) / (block - current)
    return -f_current * (f_block * slope_block - f_previous * slope_previous) / (
        slope_block * slope_previous * (f_block - f_previous))
