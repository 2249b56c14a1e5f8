"""The fleet mix as HiGHS sees it: the mixed-integer programme, its fixed-platform LP, the largest demand.

Everything here is in share space: variable `z_c = x_c * e_c / D` is the share of
the order's demand `D` that chip `c` meets, so the demand row is `sum z = 1`,
share rules are plain rows and supply is a bound `S_c * e_c / D`, whatever the
size of the fleet. Costs are in units of a millionth of the cheapest chip's
cost of meeting the whole demand: HiGHS's absolute tolerances (a MIP gap of
1e-6, reduced costs of 1e-7) are then far below the 1e-9 relative accuracy the
answer needs, and the relative gap is set tighter than that too.

HiGHS is called through highspy, its developers' own Python interface (the same
bindings scipy.optimize vendors for `milp` and `linprog`), imported inside
`_run`: `import scipy.optimize` alone costs about a second, ten times the
solves, and `chipcalc` start-up must pay for neither. `_run` hands HiGHS the
model as scipy does (rows column-wise, the same options), so the answers are
scipy's.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Mapping

from ..model import ChipFigures, migration_cost
from ..scenario import Mix, Scenario

if TYPE_CHECKING:
    import numpy as np

COST_UNITS = 1e6
"""The cheapest chip's cost of meeting the whole demand, in the objective's units."""
MIP_RELATIVE_GAP = 1e-12
"""HiGHS's default (1e-4) would accept a platform choice 0.01% dearer than the best."""
USED = 0.5
"""A platform binary above this is 1: HiGHS returns binaries within 1e-6 of 0 or 1."""
ZERO_SHARE = 1e-12
"""A share of demand below this is the solver's rounding, not a chip in the fleet."""
TIGHT = 1e-9
"""A row within this of its bound (bounds are 1 or shares) holds with equality."""
NO_VALUE = 1e-12
"""A dual below this, relative to the objective's scale (per unit of the row's bound), is 0 up to rounding."""


@dataclass(frozen=True)
class Row:
    """One limit as an inequality `coefficients . z <= bound` in share space."""

    coefficients: np.ndarray
    bound: float
    limit: str
    """power, capex, min_share or max_share."""
    rule: str | None
    """The rule's name, for a share limit."""
    step: float
    """How far `bound` moves when the limit is relaxed by one of its units (MW, USD, percentage point)."""


@dataclass(frozen=True)
class Problem:
    """An order's fleet mix in share space (see the module docstring)."""

    keys: tuple[str, ...]
    cost: np.ndarray
    """Objective per unit of share: D * k_c / e_c, in `unit_usd`s."""
    upper: np.ndarray
    """Supply as a share of demand, S_c * e_c / D (inf: unlimited)."""
    unit_step: np.ndarray
    """The share one more unit of each chip's supply adds: e_c / D."""
    platform_of: tuple[int | None, ...]
    """Each chip's index in `migration_usd`, None on the incumbent platform."""
    migration_usd: np.ndarray
    """M_p of each non-incumbent platform (the objective takes it in `unit_usd`s)."""
    rows: tuple[Row, ...]
    unit_usd: float


@dataclass(frozen=True)
class Binding:
    """A limit that holds with equality and whose dual is not 0."""

    limit: str
    chip: str | None
    rule: str | None
    value: float
    """The objective saved per unit of the limit (objective units), or for the largest demand the
    share of demand gained."""


@dataclass(frozen=True)
class Solution:
    """The LP with the platforms fixed: each chip's share of demand, its cost and what binds."""

    shares: np.ndarray
    cost: float
    """In `unit_usd`s, migration of the platforms actually used included."""
    used: frozenset[int]
    """The platforms (indices in `migration_usd`) with a chip whose share is above 0."""
    binding: tuple[Binding, ...]


def build_problem(scenario: Scenario, figures: Mapping[str, ChipFigures], demand_tflops: float,
                  limits: Mix) -> Problem:
    """The order's mix over every chip of the scenario, scaled as the module docstring says."""
    import numpy as np

    keys = tuple(figures)

    def column(value: Callable[[ChipFigures], float]) -> np.ndarray:
        return np.array([value(figures[key]) for key in keys], dtype=float)

    effective = column(lambda chip: chip.effective_tflops_per_unit)
    per_share = demand_tflops / effective  # units of each chip that meet the whole demand
    whole_cost = per_share * column(lambda chip: chip.cost_per_unit_usd)
    unit_usd = float(whole_cost.min()) / COST_UNITS
    supply = column(lambda chip: np.inf if chip.chip.supply_units is None else chip.chip.supply_units)
    incumbent = scenario.assumptions.incumbent_platform
    names = sorted({figures[key].chip.platform for key in keys} - {incumbent})
    platform_of = tuple(None if platform == incumbent else names.index(platform)
                        for platform in (figures[key].chip.platform for key in keys))
    migration = np.array([migration_cost(scenario.platforms[name]) for name in names], dtype=float)
    rows = []
    if limits.power_limit_mw is not None:
        power_mw = per_share * column(lambda chip: chip.chip.power_w) * scenario.assumptions.pue / 1e6
        rows.append(Row(power_mw / limits.power_limit_mw, 1.0, "power", None, 1 / limits.power_limit_mw))
    if limits.capex_limit_usd is not None:
        capex = per_share * column(lambda chip: chip.buyer_price_usd + chip.chip.host_cost_usd)
        rows.append(Row(capex / limits.capex_limit_usd, 1.0, "capex", None, 1 / limits.capex_limit_usd))
    for rule in limits.rules:
        member = np.array([key in rule.chips for key in keys], dtype=float)
        # share times the fleet's total, not times 1: the same row then serves the largest-demand LP
        if rule.min_share is not None:
            rows.append(Row(rule.min_share - member, 0.0, "min_share", rule.name, 0.01))
        if rule.max_share is not None:
            rows.append(Row(member - rule.max_share, 0.0, "max_share", rule.name, 0.01))
    return Problem(keys, whole_cost / unit_usd, supply / per_share, effective / demand_tflops, platform_of,
                   migration, tuple(rows), unit_usd)


def choose_platforms(problem: Problem) -> tuple[frozenset[int], ...]:
    """The platforms of the cheapest mix, from the MILP; () when no mix satisfies the limits. With
    every chip on the incumbent platform there is nothing to choose, and no MILP: the exact LP finds
    whether a mix fits.

    HiGHS accepts a binary within 1e-6 of an integer, so a platform can carry a sliver of demand at
    a millionth of its migration cost. Then both readings are returned, without that platform and
    with it paid in full, for the exact LP to price.
    """
    import numpy as np

    chips, platforms = len(problem.keys), len(problem.migration_usd)
    if not platforms:
        return (frozenset(),)
    # z_c <= min(1, supply share) * y_p for a chip on platform p: y_p = 0 keeps the platform's chips out
    link = np.zeros((chips, chips + platforms))
    for c, p in enumerate(problem.platform_of):
        if p is not None:
            link[c, c], link[c, chips + p] = 1.0, -min(1.0, problem.upper[c])
    demand = np.concatenate([np.ones(chips), np.zeros(platforms)])
    rows = [np.concatenate([row.coefficients, np.zeros(platforms)]) for row in problem.rows]
    solved = _run(
        np.concatenate([problem.cost, problem.migration_usd / problem.unit_usd]),
        np.concatenate([problem.upper, np.ones(platforms)]),
        np.array([demand, *link, *rows]).reshape(1 + chips + len(rows), chips + platforms),
        np.array([1.0, *[-np.inf] * (chips + len(rows))]),
        np.array([1.0, *np.zeros(chips), *(row.bound for row in problem.rows)]),
        integer=np.concatenate([np.zeros(chips, dtype=bool), np.ones(platforms, dtype=bool)]),
        mip_rel_gap=MIP_RELATIVE_GAP,
    )
    if solved is None:
        return ()
    chosen = frozenset(p for p in range(platforms) if solved.x[chips + p] > USED)
    carrying = frozenset(p for z, p in zip(solved.x[:chips], problem.platform_of)
                         if p is not None and z > ZERO_SHARE)
    return (chosen,) if carrying <= chosen else (chosen, chosen | carrying)


def solve_fixed(problem: Problem, platforms: frozenset[int]) -> Solution | None:
    """The cheapest mix on the incumbent platform and `platforms`, with its duals (None: infeasible)."""
    import numpy as np

    upper = np.array([supply if p is None or p in platforms else 0.0
                      for supply, p in zip(problem.upper, problem.platform_of)])
    solved = _linear(problem.cost, problem, upper, equality=True)
    if solved is None:
        return None
    shares = np.where(solved.x > ZERO_SHARE, solved.x, 0.0)
    used = frozenset(p for z, p in zip(shares, problem.platform_of) if p is not None and z > 0)
    cost = float(problem.cost @ shares + sum(problem.migration_usd[p] for p in used) / problem.unit_usd)
    binding = _binding(problem, solved, shares, upper, objective_scale=COST_UNITS)
    return Solution(shares, cost, used, binding)


def largest_demand(problem: Problem) -> tuple[float, tuple[Binding, ...]]:
    """The largest demand the limits allow, as a multiple of D, over every choice of platforms, and what
    stops it. The share rules' rows are homogeneous (share times the fleet's total), so they hold
    relative to that demand, not D."""
    import numpy as np

    solved = _linear(-np.ones(len(problem.keys)), problem, problem.upper, equality=False)
    if solved is None:  # z = 0 satisfies every row: this LP always has a solution
        raise RuntimeError("HiGHS found no largest demand for the fleet mix")
    shares = np.where(solved.x > ZERO_SHARE, solved.x, 0.0)
    return float(shares.sum()), _binding(problem, solved, shares, problem.upper, objective_scale=1.0)


@dataclass(frozen=True)
class Solved:
    """An optimum from HiGHS: the variables and, for an LP, the duals (scipy's `marginals`)."""

    x: np.ndarray
    row_duals: np.ndarray
    """The objective's rate of change with each row's bound."""
    upper_duals: np.ndarray
    """The objective's rate of change with each variable's upper bound, 0 for a variable below it."""


def _linear(cost: np.ndarray, problem: Problem, upper: np.ndarray, equality: bool) -> Solved | None:
    """Minimise `cost . z` within the limit rows and `0 <= z <= upper`, with `sum z = 1` if `equality`
    (after the limit rows, so that row r's dual is `row_duals[r]`)."""
    import numpy as np

    chips = len(problem.keys)
    bounds = np.array([row.bound for row in problem.rows] + [1.0] * equality)
    matrix = np.array([*(row.coefficients for row in problem.rows), *[np.ones(chips)] * equality])
    lower = np.concatenate([np.full(len(problem.rows), -np.inf), bounds[len(problem.rows):]])
    # linprog's settings for method="highs": presolve on, the dual simplex
    return _run(cost, upper, matrix.reshape(len(bounds), chips), lower, bounds,
                presolve="on", simplex_strategy=1)


def _run(cost: np.ndarray, upper: np.ndarray, matrix: np.ndarray, row_lower: np.ndarray,
         row_upper: np.ndarray, integer: np.ndarray | None = None, **options: object) -> Solved | None:
    """Minimise `cost . x` within `row_lower <= matrix x <= row_upper` and `0 <= x <= upper`, the
    `integer` variables whole; None when no x satisfies them.

    A solver that fails otherwise on these small, well-scaled problems is a bug here, not a user's mistake.
    """
    import highspy
    import numpy as np

    highs = _solver()
    highs.clear()  # as a new instance: no model, HiGHS's default options
    highs.setOptionValue("output_flag", False)
    for name, value in options.items():
        highs.setOptionValue(name, value)
    highs.passModel(_model(cost, upper, matrix, row_lower, row_upper, integer))
    highs.run()
    status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kInfeasible:
        return None
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"HiGHS could not solve the fleet mix: {highs.modelStatusToString(status)}")
    solution = highs.getSolution()
    if integer is not None:
        return Solved(np.array(solution.col_value), np.zeros(0), np.zeros(0))
    at_upper = [status == highspy.HighsBasisStatus.kUpper for status in highs.getBasis().col_status]
    return Solved(np.array(solution.col_value), np.array(solution.row_dual),
                  np.where(at_upper, solution.col_dual, 0.0))


@functools.cache
def _solver() -> object:
    """The process's one HiGHS instance: making one costs as much as solving a mix (`report` solves
    hundreds), and `_run` clears it before each model."""
    import highspy

    # Not highspy.Highs: that Python wrapper sets up callbacks as it is made, which writes HiGHS's
    # banner to stdout (into a JSON document) before any option can silence it (highspy 1.16). The
    # core solver it wraps, which highspy exports as _Highs, has every method used here.
    highs = getattr(highspy, "_Highs", highspy.Highs)()
    highs.setOptionValue("output_flag", False)
    return highs


def _model(cost: np.ndarray, upper: np.ndarray, matrix: np.ndarray, row_lower: np.ndarray,
           row_upper: np.ndarray, integer: np.ndarray | None) -> object:
    """The problem as a highspy.HighsLp, the matrix column-wise without its zeros (as scipy passes it)."""
    import highspy
    import numpy as np

    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = matrix.shape
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, np.zeros(len(cost)), upper
    lp.row_lower_, lp.row_upper_ = row_lower, row_upper
    nonzero = matrix.T != 0
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.num_row_, lp.a_matrix_.num_col_ = matrix.shape
    lp.a_matrix_.start_ = np.concatenate([[0], np.cumsum(nonzero.sum(axis=1))])
    lp.a_matrix_.index_ = np.nonzero(nonzero)[1]
    lp.a_matrix_.value_ = matrix.T[nonzero]
    if integer is not None:
        lp.integrality_ = [highspy.HighsVarType.kInteger if whole else highspy.HighsVarType.kContinuous
                           for whole in integer]
    return lp


def _binding(problem: Problem, solved: Solved, shares: np.ndarray, upper: np.ndarray,
             objective_scale: float) -> tuple[Binding, ...]:
    """Limits at their bound with a dual above rounding; `value` is -dual * step (objective saved)."""
    noise = NO_VALUE * objective_scale
    found = []
    for c, key in enumerate(problem.keys):
        value = -solved.upper_duals[c] * problem.unit_step[c]
        supplied = problem.upper[c] == upper[c] and upper[c] < float("inf")
        if supplied and shares[c] >= upper[c] - TIGHT and value > noise * problem.unit_step[c]:
            found.append(Binding("supply", key, None, float(value)))
    for r, row in enumerate(problem.rows):
        value = -solved.row_duals[r] * row.step
        if float(row.coefficients @ shares) >= row.bound - TIGHT and value > noise * row.step:
            found.append(Binding(row.limit, None, row.rule, float(value)))
    return tuple(found)
