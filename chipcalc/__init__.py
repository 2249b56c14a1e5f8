"""chipcalc: what-if economics of AI accelerators under export levies.

The library API, for notebooks and scripts; each CLI command is one call of it:

    import chipcalc
    scenario = chipcalc.load_scenario("scenarios/h200-2026.yaml", sets=["chips.h200.levy_rate=30%"])
    result = chipcalc.evaluate(scenario)            # `chipcalc compare`
    seek = chipcalc.goal_seek(scenario, "chips.h200.levy_rate")
    table = chipcalc.sweep(scenario, {"chips.h200.levy_rate": chipcalc.grid_values(0, 0.5, 0.05)})

Money is in USD and rates are fractions. An order is given by its index or its name. Mistakes
raise `ScenarioError` or `UsageError`, whose text is what the CLI prints (FILE:LINE:COL: PATH:
message). Every name is imported on first use, so `import chipcalc` (and `chipcalc --version`)
load none of the model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Mapping, Sequence

if TYPE_CHECKING:
    from .analysis.diff import Diff
    from .analysis.explain import Explanation
    from .analysis.sensitivity import Tornado
    from .analysis.simulate import Simulation
    from .analysis.solve import Seek
    from .analysis.sweep import Sweep
    from .model import ScenarioResult
    from .scenario import Scenario

__version__ = "0.1.0"

__all__ = [
    "ChipcalcError",
    "ExitCode",
    "Problem",
    "ScenarioError",
    "ScenarioLoader",
    "UsageError",
    "__version__",
    "compare",
    "diff",
    "document",
    "evaluate",
    "explain",
    "goal_seek",
    "grid_values",
    "load_scenario",
    "sensitivity",
    "simulate",
    "sweep",
]

_LAZY = {
    "ScenarioLoader": "loader",
    "load_scenario": "loader",
    "evaluate": "model",
    "compare": "model",
    "document": "documents",
    "grid_values": "analysis.sweep",
    "ChipcalcError": "errors",
    "ExitCode": "errors",
    "Problem": "errors",
    "ScenarioError": "errors",
    "UsageError": "errors",
}


def __getattr__(name: str) -> object:
    """The API's names from their modules, imported on first use: `chipcalc --version` needs none."""
    if name not in _LAZY:
        raise AttributeError(f"module 'chipcalc' has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f".{_LAZY[name]}", __name__), name)


def __dir__() -> list[str]:
    return sorted(__all__)


def goal_seek(scenario: Scenario, path: str, option: str | None = None, order: int | str = 0) -> Seek:
    """The value of the input at `path` at which `option` costs as much as the order's chip.

    `option` defaults to the cheapest other chip, as `chipcalc breakeven --vary` chooses it. The
    order's demand is held fixed unless `path` is its own units or budget.
    """
    from .analysis.solve import goal_seek as seek

    return seek(scenario, path, option, _order_number(scenario, order))


def sweep(scenario: Scenario, varies: Mapping[str, Sequence[float]], metric: str = "tco_usd",
          order: int | str = 0) -> Sweep:
    """`metric` of every option of the order over a grid: `varies` maps one or two input paths to their
    values (USD, fractions; `grid_values(start, stop, step)` gives the CLI's START:STOP:STEP)."""
    from .analysis.sweep import sweep as run

    return run(scenario, list(varies.items()), metric, _order_number(scenario, order))


def sensitivity(scenario: Scenario, metric: str = "vs_order", option: str | None = None,
                order: int | str = 0, swing: float = 0.2, swing_points: float | None = None) -> Tornado:
    """Every numeric input moved down and up, ranked by how far `metric` moves: an uncertain range to its
    low and high, a rate by `swing_points` percentage points when given (10: ±0.10), the rest by `swing`
    (a fraction of the value); `Tornado.not_moved` lists the inputs at 0 that could not move."""
    from .analysis.sensitivity import sensitivity as run

    return run(scenario, metric, option, _order_number(scenario, order), swing, swing_points)


def simulate(scenario: Scenario, samples: int = 10_000, seed: int = 0) -> Simulation:
    """Monte Carlo over the scenario's uncertain ranges; the same seed gives the same numbers."""
    from .analysis.simulate import simulate as run

    return run(scenario, samples, seed)


def explain(scenario: Scenario | ScenarioResult, metric: str = "tco_usd", order: int | str = 0,
            chip: str | None = None) -> Explanation:
    """How `metric` (a field of the compare JSON) was computed for an order, or for the option `chip`."""
    from .analysis.explain import explain as run

    result = _evaluated(scenario)
    orders = result.scenario.orders
    if isinstance(order, str) or not orders:  # with no orders, explain says so itself
        return run(result, metric, order if isinstance(order, str) else None, chip)
    return run(result, metric, orders[_order_number(result.scenario, order)].name, chip)


def diff(old: Scenario | ScenarioResult, new: Scenario | ScenarioResult) -> Diff:
    """What changed between two scenarios (or two results): their inputs and their outcomes."""
    from .analysis.diff import diff_results
    from .documents.compare import outcomes

    return diff_results(_evaluated(old), _evaluated(new), outcomes)


def _evaluated(scenario: Scenario | ScenarioResult) -> ScenarioResult:
    from .model import ScenarioResult, evaluate

    return scenario if isinstance(scenario, ScenarioResult) else evaluate(scenario)


def _order_number(scenario: Scenario, order: int | str) -> int:
    """An order given by its index or its name, as its index (a UsageError naming the orders otherwise)."""
    from .analysis.common import checked_order, order_index

    if isinstance(order, str):
        return order_index(scenario, order)
    checked_order(scenario, order)
    return order
