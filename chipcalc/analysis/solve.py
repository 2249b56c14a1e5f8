"""Goal seek: the value of any numeric input at which an option costs the same as the order's chip.

The generic counterpart of MODEL.md's closed-form breakevens, and held to
them: where both apply they agree within 1e-9 relative. Like them it holds the
order's demand D fixed (a budget order keeps the units its budget buys at the
scenario's own prices), except when the input sought is the order's own
`units` or `budget`, which is how demand is varied.

The search stays inside the input's valid range: it scans the range for the
first sign change of T_option - T_order_chip and refines it with Brent's
method. A crossing outside the range (a utilisation above 1, a negative
price, an input above 1e15, the largest a file may write) is reported as
"no crossing in range".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Callable

from ..errors import UsageError
from ..model import evaluate_chips, order_units
from ..paths import parse_path, with_values
from ..scenario import Scenario
from ..spec import OPEN_BOUND_NUDGE, Spec
from ..values import LARGEST
from .common import checked_input, checked_order, order_options, switch_option

NO_CROSSING = "no crossing in range"
EQUAL_EVERYWHERE = "equal everywhere"

SCAN_POINTS = 256
ROUNDING = 64 * 2.220446049250313e-16
"""Two costs closer than this, relative to the larger, are equal as far as floating point can tell."""
RELATIVE_TOLERANCE = 4 * 2.220446049250313e-16  # 4 machine epsilons: the least brentq accepts


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


def goal_seek(scenario: Scenario, path: str, option: str | None = None, order: int = 0) -> Seek:
    """The value of `path` at which `option` costs as much as the chip order `order` buys.

    Example: `goal_seek(scenario, "chips.ascend_910c.utilization", "ascend_910c")`
    is the utilisation at which the 910C fleet's TCO equals the H200 order's.
    `option` defaults to the cheapest chip other than the order's own. Raises
    UsageError for a path that is not a numeric input of this scenario, an
    unknown option, the order's own chip, a scenario of one chip or a bad
    order index.
    """
    target = checked_order(scenario, order)
    option = switch_option(scenario, option, order)
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
    """The range to search an input in: its valid range, open bounds just inside, a missing bound at
    1e15 (`values.LARGEST`), the largest any input may be: a crossing beyond it is one no file could write."""
    reach = LARGEST
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


# Root finding --------------------------------------------------------------------


def find_crossing(costs: Callable[[float], tuple[float, float]], low: float, high: float,
                  bounded: tuple[bool, bool] = (True, True)) -> tuple[float | None, str | None]:
    """The first x in [low, high] at which the two `costs(x)` are equal: `(x, None)` or `(None, reason)`.

    Scans `scan_points(low, high)` for the first change of sign of the
    difference and refines it with Brent's method (scipy's brentq). A difference within
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
    for (x0, _, sign0), (x1, _, sign1) in zip(significant, significant[1:]):
        if sign0 != sign1:
            return _refine(difference, x0, x1), None
    if bounded[1] and samples[-1][0] == high and samples[-1][2] == 0:
        # equal from the end of the last difference up to the bound: the first point of that run
        return next(x for x, _, _ in samples if x > significant[-1][0]), None
    return None, NO_CROSSING


def _refine(difference: Callable[[float], float], low: float, high: float) -> float:
    """The root of `difference` between two points where it has opposite signs, to full precision.

    scipy's brentq stops when the bracket is within (xtol + rtol * |x|) / 2; an xtol of 1e-300
    leaves only the relative tolerance, so tiny roots are found as exactly as large ones.
    Imported here: scipy costs start-up time, and only a goal seek needs it.
    """
    from scipy.optimize import brentq

    return float(brentq(difference, low, high, xtol=1e-300, rtol=RELATIVE_TOLERANCE, maxiter=200, disp=False))


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
        # the decades just above zero, which an even grid over a wide range steps over, down to as
        # near zero as the search goes near any open bound
        points += _geometric(high * OPEN_BOUND_NUDGE, high, count)
    return sorted(set(points))


def _geometric(low: float, high: float, count: int) -> list[float]:
    ratio = math.log(high / low)
    points = [low * math.exp(ratio * i / (count - 1)) for i in range(count)]
    points[0], points[-1] = low, high  # exactly the bounds, not exp(log(...)) of them
    return points
