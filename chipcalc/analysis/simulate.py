"""Monte Carlo over a scenario's uncertain ranges (`chipcalc simulate`).

Samples are drawn chunk after chunk from one seeded generator, each input in
`scenario.ranges` order, so a seed gives the same numbers on every machine.
Each chunk is one evaluation of the model on arrays (STYLE.md point 2), and
only running sums, counts and small quantile summaries outlive it, so memory
stays bounded however many samples are asked for.

Means and the share of samples in which each option is cheapest are exact.
Percentiles are exact (linear interpolation) when the samples fit in one
chunk; otherwise each chunk is condensed to its quantiles at 10,001 evenly
spaced probabilities and the summaries are merged, a rank error below 1e-4.
Like every command but the goal seek, it simply re-runs the model: a budget
order buys fewer units when its chip gets dearer.

A normal or lognormal range can reach outside its input's valid range. A
draw past a closed bound (a utilisation above 100%) is set to the bound, a
value the input may take. An open bound (a levy rate of 100%, a price of 0)
is no such value, and the value just inside it is arbitrary (a buyer price
p / (1 - 0.999999999999)): a draw past it is drawn again, which truncates
the range there, and a range with more than MAX_TRUNCATED of its
distribution past one is refused, since its low and high would no longer be
its 5th and 95th percentiles. The result says what share of each input's
draws was clamped and what share drawn again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np

from ..errors import Problem, ScenarioError, UsageError
from ..model import evaluate_chips, order_demand, tco
from ..scenario import Order, Scenario
from ..spec import Mark, Spec
from ..paths import numeric_inputs, with_values
from ..values import Uncertain, human_share

Z_95 = 1.6448536269514722
"""The standard normal's 95th percentile: low and high of a (log)normal range are mean -/+ Z_95 sd."""
PERCENTILES = tuple(float(p) for p in range(1, 100))
"""Every whole percentile: P5, P50 and P95 are reported, all of them drawn (`--plot`)."""
SUMMARY_PROBABILITIES = np.linspace(0.0, 1.0, 10_001)
"""Where each chunk's distribution is sampled for its summary (rank error ~ 1 / 20,000)."""
MAX_SAMPLES = 100_000_000
"""The most samples a run takes: ten times the largest the benchmarks measure (a few minutes). More
gives no information a billion would add, and a CI job given `-n 1e9` must not run for hours."""
MAX_SUMMARIES = 64
"""Pending summaries per metric before they are merged into one, which bounds memory for any sample count."""
MAX_TRUNCATED = 1e-3
"""The most of a (log)normal range's distribution that may lie past an open bound of its input, to be
drawn again: 0.1% moves its 5th percentile to the 5.005th. A normal utilisation of 20% to 40% has 1 in
2,400,000 below 0; one of 20% to 60%, 0.05%; a normal levy rate of 50% to 90%, 0.68% above 100%."""


@dataclass(frozen=True)
class Stats:
    """Percentiles and mean of one figure over the samples."""

    p5: float
    p50: float
    p95: float
    mean: float
    percentiles: tuple[float, ...] = field(default=(), compare=False, repr=False)
    """P1 to P99, for drawing the distribution."""


@dataclass(frozen=True)
class OptionSimulation:
    """One chip as an option for an order's demand, over the samples."""

    chip: str
    tco_usd: Stats
    usd_per_effective_pflops: Stats
    p_cheapest: float
    """Share of samples in which this option has the lowest TCO (ties go to the first in scenario order)."""


@dataclass(frozen=True)
class OrderSimulation:
    """One order over the samples."""

    name: str
    chip: str
    """The chip the order buys."""
    levy_usd: Stats
    """The levy the order pays."""
    options: tuple[OptionSimulation, ...]
    """Every chip as an option, in the scenario's chip order."""


@dataclass(frozen=True)
class Simulation:
    """The result of `simulate`: per order, the spread of its levy and of each option's cost."""

    samples: int
    seed: int
    inputs: tuple[str, ...]
    """The paths of the uncertain inputs sampled, in `scenario.ranges` order."""
    orders: tuple[OrderSimulation, ...]
    clamped: tuple[float, ...]
    """For each input (in `inputs` order), the share of its draws past a closed bound of its valid
    range, set to the bound (a utilisation drawn above 100% is 100%)."""
    redrawn: tuple[float, ...]
    """For each input, the share of its draws past an open bound (a levy rate of 100%), drawn again."""


def simulate(scenario: Scenario, samples: int, seed: int = 0, chunk_size: int = 250_000,
             progress: Callable[[int], None] | None = None) -> Simulation:
    """Sample every uncertain input `samples` times and summarise each order and option.

    Example: `simulate(load_scenario("h200.yaml"), samples=1_000_000, seed=7)`.
    `progress(samples_done)` is called after each chunk. Raises UsageError
    when the scenario has no uncertain input, or for a bad sample count,
    seed or chunk size.
    """
    _check_arguments(scenario, samples, seed, chunk_size)
    check_tails(scenario)
    rng = np.random.default_rng(seed)
    exact = samples <= chunk_size
    tallies = [_OrderTally(scenario, exact) for _ in scenario.orders]
    kept_inside = np.zeros((2, len(scenario.ranges)), dtype=np.int64)  # clamped, redrawn
    done = 0
    while done < samples:
        size = min(chunk_size, samples - done)
        results = evaluate_orders(scenario, sample_inputs(scenario, rng, size, kept_inside))
        for tally, result in zip(tallies, results):
            tally.add(result, size)
        done += size
        if progress is not None:
            progress(done)
    orders = tuple(tally.result(order, samples) for tally, order in zip(tallies, scenario.orders))
    clamped, redrawn = (tuple(float(count / samples) for count in row) for row in kept_inside)
    return Simulation(samples, seed, tuple(path for path, _ in scenario.ranges), orders, clamped, redrawn)


def _check_arguments(scenario: Scenario, samples: int, seed: int, chunk_size: int) -> None:
    if not scenario.ranges:
        where = scenario.file or scenario.name
        raise UsageError(f"no uncertain inputs: {where} gives every value as a single number, so there is "
                         "nothing to sample; write a range such as price: 28k to 36k")
    if not _is_whole(samples) or samples < 1:
        raise UsageError(f"samples must be a whole number of at least 1, e.g. 100000 (got {samples!r})")
    if samples > MAX_SAMPLES:
        raise UsageError(f"samples: at most {MAX_SAMPLES:,} (got {samples:,}); percentiles are stable "
                         "long before that")
    if not _is_whole(seed) or seed < 0:
        raise UsageError(f"seed must be a whole number of 0 or more (got {seed!r})")
    if not _is_whole(chunk_size) or chunk_size < 1:
        raise UsageError(f"chunk size must be a whole number of at least 1 (got {chunk_size!r})")


def _is_whole(value: object) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


# Sampling -------------------------------------------------------------------


def sample_inputs(scenario: Scenario, rng: np.random.Generator, size: int,
                  kept_inside: np.ndarray | None = None) -> dict[str, np.ndarray]:
    """`size` draws of each uncertain input, in `scenario.ranges` order, inside its valid range: a draw
    past an open bound drawn again, one past a closed bound set to it; each counted, when given
    `kept_inside`, in its row 0 (clamped) or 1 (redrawn), at the input's column."""
    specs = {path: spec for path, spec, _ in numeric_inputs(scenario)}
    drawn = {}
    for index, (path, uncertain) in enumerate(scenario.ranges):
        values, redrawn = _drawn_inside_open_bounds(specs[path], uncertain, rng, size)
        clamped = _clamp_to_closed_bounds(specs[path], values)
        if kept_inside is not None:
            kept_inside[:, index] += (clamped, redrawn)
        drawn[path] = values
    return drawn


def draw(uncertain: Uncertain, rng: np.random.Generator, size: int) -> np.ndarray:
    """`size` draws from the range's distribution (SCENARIO.md: uncertain ranges)."""
    low, high = uncertain.low, uncertain.high
    if uncertain.dist == "uniform":
        return rng.uniform(low, high, size)
    if uncertain.dist == "triangular":
        return rng.triangular(low, uncertain.point, high, size)
    if uncertain.dist == "normal":
        return rng.normal((low + high) / 2, (high - low) / (2 * Z_95), size)
    if uncertain.dist == "lognormal":
        log_low, log_high = np.log(low), np.log(high)
        return rng.lognormal((log_low + log_high) / 2, (log_high - log_low) / (2 * Z_95), size)
    raise ValueError(f"unknown distribution {uncertain.dist!r}")


def _drawn_inside_open_bounds(spec: Spec, uncertain: Uncertain, rng: np.random.Generator,
                              size: int) -> tuple[np.ndarray, int]:
    """`size` draws none of which is past an open bound of `spec`, and how many were drawn again."""
    values = draw(uncertain, rng, size)
    if not (spec.low_open or spec.high_open) or uncertain.dist in ("uniform", "triangular"):
        return values, 0  # those stay between low and high, which the loader checked
    redrawn = 0
    past = _past_open_bounds(spec, values)
    while (count := int(np.count_nonzero(past))):  # check_tails keeps it rare: once, or never
        redrawn += count
        values[past] = draw(uncertain, rng, count)
        past = _past_open_bounds(spec, values)
    return values, redrawn


def _past_open_bounds(spec: Spec, values: np.ndarray) -> np.ndarray:
    past = np.zeros(values.shape, dtype=bool)
    if spec.low_open and spec.low is not None:
        past |= values <= spec.low
    if spec.high_open and spec.high is not None:
        past |= values >= spec.high
    return past


def _clamp_to_closed_bounds(spec: Spec, values: np.ndarray) -> int:
    """Set the draws past a closed bound to it (a normal utilisation above 100% is 100%), in place;
    how many there were."""
    floor = None if spec.low_open else spec.low
    ceiling = None if spec.high_open else spec.high
    if floor is None and ceiling is None:
        return 0
    outside = int(np.count_nonzero((values < floor) if floor is not None else False)
                  + np.count_nonzero((values > ceiling) if ceiling is not None else False))
    if outside:
        np.clip(values, floor, ceiling, out=values)
    return outside


def check_tails(scenario: Scenario) -> None:
    """A ScenarioError for each normal or lognormal range with more than MAX_TRUNCATED of its
    distribution past an open bound of its input, where it was written."""
    specs = {path: spec for path, spec, _ in numeric_inputs(scenario)}
    problems = []
    for path, uncertain in scenario.ranges:
        spec = specs[path]
        for bound, above in ((spec.low, False), (spec.high, True)):
            if bound is not None and (spec.high_open if above else spec.low_open):
                share = tail_share(uncertain, bound, above)
                if share > MAX_TRUNCATED:
                    where = scenario.origins.get(path, Mark(scenario.file or scenario.name, 1, 1))
                    message = _too_wide(spec, uncertain, share, bound, above)
                    problems.append(Problem(str(where), path, message))
    if problems:
        raise ScenarioError(problems)


def _too_wide(spec: Spec, uncertain: Uncertain, share: float, bound: float, above: bool) -> str:
    return (f"a {uncertain.dist} range from {spec.shown(uncertain.low)} to {spec.shown(uncertain.high)} puts "
            f"{human_share(share)} of its draws at or {'above' if above else 'below'} {spec.shown(bound)}, "
            f"outside the input's valid range ({spec.bounds_text()}); simulate would draw them again, "
            "changing the range: narrow it, or make it uniform or triangular (they stay between low and "
            "high)")


def tail_share(uncertain: Uncertain, bound: float, above: bool) -> float:
    """The share of a normal or lognormal range's distribution at or past `bound`: above it when
    `above`, else below it (0 for a uniform or triangular one, which stays between low and high)."""
    if uncertain.dist in ("uniform", "triangular"):
        return 0.0
    low, high, at = uncertain.low, uncertain.high, bound
    if uncertain.dist == "lognormal":
        if bound <= 0:  # every draw is positive
            return 1.0 if above else 0.0
        low, high, at = math.log(low), math.log(high), math.log(bound)
    z = (at - (low + high) / 2) / ((high - low) / (2 * Z_95))
    return 0.5 * math.erfc((z if above else -z) / math.sqrt(2))  # 1 - Phi(z) above, Phi(z) below


def evaluate_orders(scenario: Scenario, inputs: dict[str, np.ndarray]) -> list[dict[str, Any]]:
    """What simulate summarises, for every order, in one model evaluation on the sampled arrays:
    the order's `levy_usd` and `demand_tflops`, and each option's `tco_usd`."""
    sampled = with_values(scenario, inputs)
    figures = evaluate_chips(sampled)
    results = []
    for order in sampled.orders:
        own = figures[order.chip]
        units, demand = order_demand(order, own)
        results.append({"levy_usd": units * own.levy_per_unit_usd, "demand_tflops": demand,
                        "tco_usd": {key: tco(demand, chip) for key, chip in figures.items()}})
    return results


# Tallies: what outlives a chunk ----------------------------------------------


class _OrderTally:
    """Running figures of one order: its levy, each option's costs, and who was cheapest how often."""

    def __init__(self, scenario: Scenario, exact: bool) -> None:
        self.chips = tuple(scenario.chips)
        self.levy = _Distribution(exact)
        self.tco = {chip: _Distribution(exact) for chip in self.chips}
        self.per_pflops = {chip: _Distribution(exact) for chip in self.chips}
        self.cheapest_counts = np.zeros(len(self.chips), dtype=np.int64)

    def add(self, result: dict[str, Any], size: int) -> None:
        self.levy.add(result["levy_usd"], size)
        tcos = [result["tco_usd"][chip] for chip in self.chips]
        pflops = result["demand_tflops"] / 1000
        for chip, tco_usd in zip(self.chips, tcos):
            self.tco[chip].add(tco_usd, size)
            if np.ndim(pflops) == 0:
                # a fixed demand: cost per PFLOP/s is TCO scaled, and so are its percentiles
                self.per_pflops[chip] = _Scaled(self.tco[chip], 1 / float(pflops))
            else:
                self.per_pflops[chip].add(tco_usd / pflops, size)
        self.cheapest_counts += _count_cheapest(tcos, size)

    def result(self, order: Order, samples: int) -> OrderSimulation:
        options = tuple(
            OptionSimulation(chip, self.tco[chip].stats(), self.per_pflops[chip].stats(),
                             float(count / samples))
            for chip, count in zip(self.chips, self.cheapest_counts)
        )
        return OrderSimulation(order.name, order.chip, self.levy.stats(), options)


def _count_cheapest(tcos: list[float | np.ndarray], size: int) -> np.ndarray:
    """In how many of `size` samples each option has the lowest TCO, ties going to the earlier one.

    A running minimum over the options in scenario order, where a later option
    takes a sample only when strictly cheaper: np.argmin's answer, without
    stacking the options into one array first.
    """
    best = np.array(np.broadcast_to(np.asarray(tcos[0], dtype=float), (size,)))
    winner = np.zeros(size, dtype=np.intp)
    for index, option_tco in enumerate(tcos[1:], start=1):
        cheaper = option_tco < best
        winner[cheaper] = index
        np.minimum(best, option_tco, out=best)
    return np.bincount(winner, minlength=len(tcos))


class _Distribution:
    """The running mean and percentiles of one figure, fed chunk by chunk."""

    def __init__(self, exact: bool) -> None:
        self.exact = exact
        """True when all samples come in one chunk: percentiles are then computed from it directly."""
        self.total = 0.0
        self.count = 0
        self.exact_percentiles: np.ndarray | None = None
        self.summaries: list[np.ndarray] = []
        self.summarised: list[int] = []
        """How many samples each summary stands for."""

    def add(self, value: float | np.ndarray, size: int) -> None:
        """One chunk of `size` samples of the figure: an array, or a float when no sampled input
        reaches it."""
        values = np.broadcast_to(np.asarray(value, dtype=float), (size,))
        self.total += float(np.sum(values))
        self.count += size
        # A figure no sampled input reaches is one value repeated, so already in order: no sort.
        ordered = values if np.ndim(value) == 0 else np.sort(values)
        if self.exact:
            # Sorting and interpolating is np.percentile's linear method, and several times faster.
            self.exact_percentiles = sorted_quantiles(ordered, np.array(PERCENTILES) / 100)
            return
        self.summaries.append(quantile_summary(ordered))
        self.summarised.append(size)
        if len(self.summaries) > MAX_SUMMARIES:
            self._compact()

    def _compact(self) -> None:
        """Merge the pending summaries into one, so their number stays bounded."""
        self.summaries = [merged_quantiles(self.summaries, self.summarised, SUMMARY_PROBABILITIES)]
        self.summarised = [self.count]

    def stats(self) -> Stats:
        if self.exact_percentiles is not None:
            values = self.exact_percentiles
        else:
            values = merged_quantiles(self.summaries, self.summarised, np.array(PERCENTILES) / 100)
        every = tuple(float(v) for v in values)
        return Stats(every[4], every[49], every[94], self.total / self.count, every)


@dataclass(frozen=True)
class _Scaled:
    """A distribution that is another one times a positive constant (no samples of its own)."""

    of: _Distribution
    factor: float

    def stats(self) -> Stats:
        base = self.of.stats()
        return Stats(base.p5 * self.factor, base.p50 * self.factor, base.p95 * self.factor,
                     base.mean * self.factor, tuple(p * self.factor for p in base.percentiles))


def quantile_summary(ordered: np.ndarray) -> np.ndarray:
    """A chunk's sorted values condensed to their quantiles at SUMMARY_PROBABILITIES (a small chunk is
    kept whole)."""
    if len(ordered) <= len(SUMMARY_PROBABILITIES):
        return ordered
    return sorted_quantiles(ordered, SUMMARY_PROBABILITIES)


def sorted_quantiles(ordered: np.ndarray, probabilities: np.ndarray) -> np.ndarray:
    """np.quantile's linear interpolation on sorted values (far faster for 10,001 probabilities)."""
    position = probabilities * (len(ordered) - 1)
    below = np.floor(position).astype(np.intp)
    above = np.minimum(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)


def merged_quantiles(summaries: list[np.ndarray], counts: list[int], probabilities: np.ndarray) -> np.ndarray:
    """Quantiles of the union of summaries, each standing for `count` samples.

    Sort all points, place each at the middle of its weight, interpolate.
    """
    values = np.concatenate(summaries)
    mass = np.concatenate([_weights(len(summary), count) for summary, count in zip(summaries, counts)])
    order = np.argsort(values, kind="stable")
    values, mass = values[order], mass[order]
    position = (np.cumsum(mass) - mass / 2) / mass.sum()
    return np.interp(probabilities, position, values)


def _weights(points: int, count: int) -> np.ndarray:
    """The samples each point of a summary stands for (summing to `count`).

    A whole chunk: 1 each. Quantiles: each gap between neighbours holds
    count / (points - 1) samples, half to either end, so that a lone
    summary's points fall back on their own probabilities.
    """
    if points == count:
        return np.ones(points)
    weights = np.full(points, count / (points - 1))
    weights[[0, -1]] /= 2
    return weights
