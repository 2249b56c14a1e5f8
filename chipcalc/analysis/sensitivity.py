"""Sensitivity: which inputs move one option's figure most (a tornado chart's bars).

Each numeric input is moved down and up by the same share of its value, one
at a time, and the model simply re-run (MODEL.md: no demand fixing here, so a
budget order buys fewer units when its chip gets dearer).
"""

from __future__ import annotations

from dataclasses import dataclass
from ..errors import UsageError
from ..paths import numeric_inputs, with_values
from ..scenario import Scenario, Spec
from ..values import counted
from .common import checked_chip, checked_metric, checked_order, default_option, order_options


@dataclass(frozen=True)
class Swing:
    """One input moved down and up, and the metric at each end."""

    path: str
    base_value: float
    low_value: float
    """The input moved down, clamped into its valid range."""
    high_value: float
    """The input moved up, clamped into its valid range."""
    metric_low: float
    """The metric with the input at `low_value`."""
    metric_high: float

    @property
    def width(self) -> float:
        return abs(self.metric_high - self.metric_low)


@dataclass(frozen=True)
class Tornado:
    """How much each input moves one figure of one option of one order."""

    order: str
    """The order's name."""
    option: str
    """The chip key of the option whose figure is read."""
    metric: str
    swing: float
    """The share each input was moved by, down and up."""
    base: float
    """The metric at the scenario as given."""
    swings: tuple[Swing, ...]
    """Widest first; ties broken by path."""


def sensitivity(scenario: Scenario, metric: str = "vs_order", option: str | None = None,
                order: int = 0, swing: float = 0.2) -> Tornado:
    """Move every numeric input to value * (1 - swing) and value * (1 + swing) and read `metric`.

    `metric` is a per-option field of the order (`tco_usd`, `vs_order`,
    `usd_per_effective_pflops`, ...). `option` defaults to the cheapest chip
    other than the order's own at the scenario as given (so the tornado says
    which assumption decides whether switching pays), or the order's chip
    when it is the only one. Each moved value is clamped into the input's
    valid range, staying strictly inside an open bound (a levy rate at most
    1 - 1e-12, `scenario.OPEN_BOUND_NUDGE`). Inputs whose value is 0 are
    left out: a share of 0 cannot move them.

    Example: `sensitivity(scenario, "tco_usd", "ascend_910c", swing=0.1)`.
    """
    _check_swing(swing)
    target = checked_order(scenario, order)
    base_options = order_options(scenario, order)
    checked_metric(metric, base_options)
    chosen = default_option(scenario, order) if option is None else checked_chip(scenario, option, "option")

    def metric_at(path: str, value: float) -> float:
        return float(order_options(with_values(scenario, {path: value}), order)[chosen][metric])

    moved = [(path, spec, value) for path, spec, value in numeric_inputs(scenario) if value != 0]
    _check_size(len(moved), len(scenario.chips))
    swings = []
    for path, spec, value in moved:
        low_value, high_value = sorted(clamp(spec, value * share) for share in (1 - swing, 1 + swing))
        swings.append(Swing(path, float(value), low_value, high_value,
                            metric_at(path, low_value), metric_at(path, high_value)))
    swings.sort(key=lambda s: (-s.width, s.path))
    base = float(base_options[chosen][metric])
    return Tornado(target.name, chosen, metric, float(swing), base, tuple(swings))


MAX_RUNS = 100_000
"""The most inputs times chips a tornado costs: every input moved down and up re-costs every chip of
the order, so the work grows with the square of the chips (400 aliased chips took minutes)."""


def _check_size(inputs: int, chips: int) -> None:
    if inputs * chips > MAX_RUNS:
        raise UsageError(f"sensitivity would move {counted(inputs, 'input')} and re-cost "
                         f"{counted(chips, 'chip')} for each, "
                         f"more than {MAX_RUNS:,} in all: run it on a scenario with fewer chips")


def clamp(spec: Spec, value: float) -> float:
    """`value` moved into the spec's valid range, strictly inside an open bound."""
    floor, ceiling = spec.inside()
    value = float(value) if floor is None else max(float(value), floor)
    return value if ceiling is None else min(value, ceiling)


def _check_swing(swing: float) -> None:
    if isinstance(swing, bool) or not isinstance(swing, (int, float)) or not 0 < swing < 1:
        raise UsageError(f"swing must be above 0 and below 1, e.g. 0.2 for ±20% (got {swing!r})")

