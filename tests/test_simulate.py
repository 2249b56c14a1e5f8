"""Monte Carlo: reproducible, right on cases worked out by hand, bounded in memory.

Expected values are the distributions' own formulas (a uniform input's
percentiles, a triangular median, the share of a uniform range below a
threshold), never numbers copied from chipcalc's output.
"""

from __future__ import annotations

import importlib.util
import math
import tracemalloc
from dataclasses import replace

import numpy as np
import pytest

from chipcalc.analysis import simulate as simulate_module
from chipcalc.analysis.simulate import evaluate_orders, sample_inputs, simulate
from chipcalc.errors import UsageError
from chipcalc.loader import load_scenario
from chipcalc.values import Uncertain

from .conftest import ROOT

HOURS = 8760

# Chip a's price is uniform on [20k, 40k]; chip b costs 30k and is on the
# incumbent platform, a carries a migration cost. For an order of n units of
# a (the same effective TFLOP/s per unit, so b also needs n units):
#   T_a = n (p + h + E) + M,  T_b = n (30k + h + E),
# so a is the cheaper iff p < 30k - M / n = 26k: a share (26k - 20k) / 20k = 0.3.
UNIFORM_PRICE = """\
assumptions:
  lifetime_years: 4
  pue: 1.5
  electricity_usd_per_kwh: 0.1
chips:
  a:
    platform: rocm
    price: {low: 20k, high: 40k}
    levy_rate: 20%
    tflops: {bf16: 1000}
    utilization: 50%
    power_w: 1000
    host_cost: 5k
  b:
    price: 30k
    tflops: {bf16: 1000}
    utilization: 50%
    power_w: 1000
    host_cost: 5k
platforms:
  rocm:
    migration_cost: 4M
orders:
  - name: buy-a
    chip: a
    units: 1000
"""
N, LOW, HIGH, HOST, MIGRATION, LEVY_RATE = 1000, 20_000, 40_000, 5_000, 4e6, 0.2
ENERGY = 1000 / 1000 * 1.5 * HOURS * 4 * 0.1  # E = W / 1000 * pue * 8760 * lifetime * P


def tco_a(price: float) -> float:
    return N * (price + HOST + ENERGY) + MIGRATION


def uniform_quantile(q: float) -> float:
    return LOW + q * (HIGH - LOW)


# One unit of a chip with 1000 effective TFLOP/s and nothing but a price: its
# TCO and its cost per effective PFLOP/s are the sampled price itself.
PRICE_ONLY = """\
chips:
  x:
    price: {price}
    tflops: {{bf16: 1000}}
orders:
  - chip: x
    units: 1
"""


@pytest.fixture
def load(write_scenario):
    """`load(yaml_text)` -> the Scenario it holds."""
    return lambda text: load_scenario(write_scenario(text))


def price_stats(load, price: str, samples: int = 200_000, **options):
    result = simulate(load(PRICE_ONLY.format(price=price)), samples, seed=1, **options)
    return result.orders[0].options[0].tco_usd


# Reproducibility -----------------------------------------------------------


def test_same_seed_gives_identical_results(load):
    scenario = load(UNIFORM_PRICE)
    first = simulate(scenario, 30_000, seed=42, chunk_size=7_000)
    assert simulate(scenario, 30_000, seed=42, chunk_size=7_000) == first


def test_different_seed_gives_different_results(load):
    scenario = load(UNIFORM_PRICE)
    assert simulate(scenario, 10_000, seed=1) != simulate(scenario, 10_000, seed=2)


def test_result_names_orders_inputs_and_options_in_scenario_order(load):
    result = simulate(load(UNIFORM_PRICE), 1_000, seed=3)
    assert (result.samples, result.seed, result.inputs) == (1_000, 3, ("chips.a.price",))
    (order,) = result.orders
    assert (order.name, order.chip) == ("buy-a", "a")
    assert [option.chip for option in order.options] == ["a", "b"]
    assert sum(option.p_cheapest for option in order.options) == pytest.approx(1.0, abs=1e-12)


# Worked by hand --------------------------------------------------------------


@pytest.mark.parametrize("chunk_size", [250_000, 20_000], ids=["one chunk", "merged chunks"])
def test_tco_linear_in_a_uniform_price(load, chunk_size):
    order = simulate(load(UNIFORM_PRICE), 200_000, seed=5, chunk_size=chunk_size).orders[0]
    tco = order.options[0].tco_usd
    assert tco.p5 == pytest.approx(tco_a(uniform_quantile(0.05)), rel=0.01)
    assert tco.p50 == pytest.approx(tco_a(uniform_quantile(0.50)), rel=0.01)
    assert tco.p95 == pytest.approx(tco_a(uniform_quantile(0.95)), rel=0.01)
    assert tco.mean == pytest.approx(tco_a((LOW + HIGH) / 2), rel=0.01)
    # the other option does not depend on the sampled price: every sample equal
    fixed = N * (30_000 + HOST + ENERGY)
    assert order.options[1].tco_usd.p5 == order.options[1].tco_usd.p95 == pytest.approx(fixed, rel=1e-12)
    # levy paid Lv = n * r * p (no pass-through): linear in p as well
    assert order.levy_usd.p50 == pytest.approx(N * LEVY_RATE * uniform_quantile(0.5), rel=0.01)
    # cost per effective PFLOP/s: T / (D / 1000), D = n * 1000 * 50%
    assert order.options[0].usd_per_effective_pflops.p50 == pytest.approx(
        tco_a(uniform_quantile(0.5)) / (N * 500 / 1000), rel=0.01)


def test_p_cheapest_is_the_share_of_the_range_below_the_threshold(load):
    order = simulate(load(UNIFORM_PRICE), 200_000, seed=6).orders[0]
    threshold = 30_000 - MIGRATION / N
    share = (threshold - LOW) / (HIGH - LOW)  # 0.3
    assert order.options[0].p_cheapest == pytest.approx(share, abs=0.005)
    assert order.options[1].p_cheapest == pytest.approx(1 - share, abs=0.005)


@pytest.mark.parametrize(("price", "median"), [
    ("{low: 20k, high: 40k, dist: normal}", 30_000),
    ("{low: 20k, high: 40k, dist: lognormal}", math.sqrt(20_000 * 40_000)),
    ("20k to 40k", math.sqrt(20_000 * 40_000)),  # the shorthand is lognormal
])
def test_normal_and_lognormal_low_and_high_are_the_5th_and_95th_percentiles(load, price, median):
    stats = price_stats(load, price)
    assert stats.p5 == pytest.approx(20_000, rel=0.01)
    assert stats.p50 == pytest.approx(median, rel=0.01)
    assert stats.p95 == pytest.approx(40_000, rel=0.01)


def test_triangular_mean_and_median(load):
    low, mode, high = 10_000, 12_000, 30_000
    stats = price_stats(load, "{low: 10k, mode: 12k, high: 30k}")
    assert stats.mean == pytest.approx((low + mode + high) / 3, rel=0.005)
    # the mode lies below the midpoint: the median is high - sqrt((high - low)(high - mode) / 2)
    assert stats.p50 == pytest.approx(high - math.sqrt((high - low) * (high - mode) / 2), rel=0.005)


def test_a_mode_at_the_low_end_is_allowed(load):
    stats = price_stats(load, "{low: 10k, mode: 10k, high: 30k}", samples=50_000)
    assert stats.p5 >= 10_000


# Keeping draws inside each input's valid range ------------------------------------------

# utilization: normal, 50% and 100% its 5th and 95th percentiles, so 5% of draws are above 100%, a
# closed bound: set to it. levy_rate: lognormal from 10% to 40%, so log-normal with mean ln 0.2 and
# sd ln 4 / (2 x 1.6449) = 0.4214: the share at or above 100% (ln 1 = 0) is 1 - Phi(ln 5 / 0.4214)
# = 1 - Phi(3.819) = 6.70e-5, past an open bound: drawn again.
KEPT_INSIDE = """\
chips:
  x:
    price: 25k to 30k
    levy_rate: 10% to 40%
    utilization: {low: 50%, high: 100%, dist: normal}
    tflops: {bf16: 1000}
orders:
  - chip: x
    units: 1
"""


def test_a_draw_past_a_closed_bound_is_set_to_it_and_counted(load):
    scenario = load(KEPT_INSIDE)
    counts = np.zeros((2, 3), dtype=np.int64)
    drawn = sample_inputs(scenario, np.random.default_rng(0), 100_000, counts)["chips.x.utilization"]
    assert drawn.max() == 1.0  # the bound itself, a value utilisation may take
    assert counts[0, 2] == np.count_nonzero(drawn == 1.0)
    assert counts[0, 2] / 100_000 == pytest.approx(0.05, abs=0.003)  # 5%, give or take 4 sd of a share
    assert counts[1, 2] == 0  # 0, an open bound, is 4.9 sd below: 1 in 2,400,000, none expected here


def test_a_draw_past_an_open_bound_is_drawn_again_not_nudged_inside(load):
    scenario = load(KEPT_INSIDE)
    counts = np.zeros((2, 3), dtype=np.int64)
    drawn = sample_inputs(scenario, np.random.default_rng(1), 2_000_000, counts)["chips.x.levy_rate"]
    assert drawn.max() < 1 and drawn.max() != 1 - 1e-12  # no draw kept at the nudged bound
    assert counts[0, 1] == 0
    assert 6.70e-5 * 0.6 < counts[1, 1] / 2_000_000 < 6.70e-5 * 1.4  # 134 expected, sd 11.6


def test_simulate_reports_the_shares_kept_inside(load):
    result = simulate(load(KEPT_INSIDE), 200_000, seed=2)
    assert result.inputs == ("chips.x.price", "chips.x.levy_rate", "chips.x.utilization")
    assert result.clamped[0] == result.clamped[1] == 0 and result.clamped[2] == pytest.approx(0.05, abs=0.002)
    assert result.redrawn[0] == result.redrawn[2] == 0 and 0 < result.redrawn[1] < 2e-4


@pytest.mark.parametrize(("dist", "bound", "above", "share"), [
    # normal with low 20 and high 40: mean 30, and the ends are the 5th and 95th percentiles
    ("normal", 40, True, 0.05), ("normal", 20, False, 0.05), ("normal", 30, True, 0.5),
    ("lognormal", 40, True, 0.05), ("lognormal", 0, False, 0.0), ("lognormal", -1, True, 1.0),
    ("uniform", 40, True, 0.0), ("triangular", 20, False, 0.0),
])
def test_tail_share(dist, bound, above, share):
    from chipcalc.analysis.simulate import tail_share

    assert tail_share(Uncertain(20, 40, 30 if dist == "triangular" else None, dist), bound, above) == \
        pytest.approx(share, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(("value", "message"), [
    # normal from 50% to 90%: mean 70%, sd 40% / (2 x 1.6449) = 12.16%; above 100%: 1 - Phi(2.467) = 0.68%
    ("{low: 50%, high: 90%, dist: normal}", "4:16: chips.x.levy_rate: a normal range from 50% to 90% puts 0.68% "
     "of its draws at or above 100%, outside the input's valid range (from 0% to below 100%)"),
    # lognormal from 50% to 90%: log sd ln 1.8 / 3.2897 = 0.1787, above ln 1: 1 - Phi(0.3993 / 0.1787 = 2.235) = 1.3%
    ("50% to 90%", "4:16: chips.x.levy_rate: a lognormal range from 50% to 90% puts 1.3% of its draws at or above "
     "100%, outside the input's valid range (from 0% to below 100%)"),
])
def test_a_range_with_a_tail_past_an_open_bound_is_refused(load, value, message):
    from chipcalc.errors import ScenarioError

    scenario = load(KEPT_INSIDE.replace("levy_rate: 10% to 40%", f"levy_rate: {value}"))
    with pytest.raises(ScenarioError) as error:
        simulate(scenario, 1000)
    (problem,) = error.value.problems
    assert str(problem).startswith(f"{scenario.file}:{message}; simulate would draw them again, changing the "
                                   "range: narrow it, or make it uniform or triangular")


def test_simulate_runs_on_kept_inside_samples_without_numeric_warnings(load):
    with np.errstate(all="raise"):
        result = simulate(load(KEPT_INSIDE), 50_000)
    stats = result.orders[0].options[0].tco_usd
    assert all(math.isfinite(value) for value in (stats.p5, stats.p50, stats.p95, stats.mean, *stats.percentiles))


MONEY_BASE = """\
chips:
  x: {price: $30k, levy_rate: 25%, levy_base: {low: $18k, high: $22k}, tflops: {bf16: 100}}
orders:
  - {chip: x, units: 1000}
"""


def test_a_money_levy_base_is_sampled_as_money(load):
    # V uniform on [$18k, $22k] (a customs value, not a share clamped to 1): levy = n * r * V,
    # whose median and mean are 1000 * 0.25 * $20k = $5M and whose P5 is 1000 * 0.25 * (18k + 5% of 4k)
    levy = simulate(load(MONEY_BASE), 100_000, seed=3).orders[0].levy_usd
    assert levy.mean == pytest.approx(5e6, rel=1e-3)
    assert levy.p5 == pytest.approx(1000 * 0.25 * 18200, rel=1e-3)


# Chunks, summaries and memory -------------------------------------------------------


def test_chunked_percentiles_match_one_chunk(load, monkeypatch):
    # one sampled input, so chunked runs draw the very same samples as one chunk
    scenario = load(UNIFORM_PRICE)
    exact = simulate(scenario, 200_000, seed=9)
    monkeypatch.setattr(simulate_module, "MAX_SUMMARIES", 3)  # merge summaries as a long run would
    for chunk_size in (200_000 // 3, 10_000, 1_000):
        chunked = simulate(scenario, 200_000, seed=9, chunk_size=chunk_size)
        for mine, theirs in zip(chunked.orders[0].options, exact.orders[0].options):
            assert mine.p_cheapest == theirs.p_cheapest
            assert mine.tco_usd.mean == pytest.approx(theirs.tco_usd.mean, rel=1e-12)
            for name in ("p5", "p50", "p95"):
                assert getattr(mine.tco_usd, name) == pytest.approx(getattr(theirs.tco_usd, name), rel=1e-4)


def test_one_chunk_percentiles_are_exact(load):
    scenario = load(UNIFORM_PRICE)
    drawn = sample_inputs(scenario, np.random.default_rng(4), 5_000)["chips.a.price"]
    stats = simulate(scenario, 5_000, seed=4).orders[0].options[0].tco_usd
    expected = np.percentile(tco_a(drawn), [5, 50, 95])
    assert [stats.p5, stats.p50, stats.p95] == pytest.approx(list(expected), rel=1e-12)


def peak_memory(run) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_stays_bounded_by_the_chunk(load):
    scenario = load(UNIFORM_PRICE)
    short = peak_memory(lambda: simulate(scenario, 200_000, chunk_size=100_000))
    long = peak_memory(lambda: simulate(scenario, 2_000_000, chunk_size=100_000))
    # Keeping the samples of the 5 figures would add 1.8M x 8 bytes x 5 = 72 MB;
    # the 18 more quantile summaries add 18 x 5 x 80 kB = 7 MB.
    assert long - short < 16e6
    assert long < 64e6


def test_progress_is_reported_after_each_chunk(load):
    done = []
    simulate(load(UNIFORM_PRICE), 250, chunk_size=100, progress=done.append)
    assert done == [100, 200, 250]


def test_a_sampled_exchange_rate_rescales_the_sampled_amounts_in_its_currency(load):
    scenario = load("""\
        assumptions:
          fx: {CNY: 0.14}
        chips:
          x:
            price: {low: ¥100k, high: ¥200k}
            tflops: {bf16: 1000}
        orders:
          - chip: x
            units: 1
        """)
    scenario = replace(scenario, ranges=scenario.ranges + (("assumptions.fx.CNY", Uncertain(0.12, 0.16)),))
    # the price sample is in USD at the scenario's rate: 14k USD is 100k CNY, at 0.28 USD per CNY 28k
    for inputs in ({"chips.x.price": np.array([14_000.0]), "assumptions.fx.CNY": np.array([0.28])},
                   {"assumptions.fx.CNY": np.array([0.28]), "chips.x.price": np.array([14_000.0])}):
        (order,) = evaluate_orders(scenario, inputs)
        assert order["tco_usd"]["x"] == pytest.approx([28_000.0], rel=1e-12)


# Errors -----------------------------------------------------------------------------


def test_a_scenario_without_ranges_says_how_to_write_one(load):
    with pytest.raises(UsageError, match=r"no uncertain inputs: .*write a range such as price: 28k to 36k"):
        simulate(load(PRICE_ONLY.format(price="30k")), 1_000)


@pytest.mark.parametrize("samples", [0, -5, 1.5, True, "100"])
def test_samples_must_be_a_positive_whole_number(load, samples):
    with pytest.raises(UsageError, match="samples must be a whole number of at least 1"):
        simulate(load(UNIFORM_PRICE), samples)


@pytest.mark.parametrize(("options", "message"), [
    ({"seed": -1}, "seed must be a whole number of 0 or more"),
    ({"chunk_size": 0}, "chunk size must be a whole number of at least 1"),
])
def test_bad_seed_or_chunk_size(load, options, message):
    with pytest.raises(UsageError, match=message):
        simulate(load(UNIFORM_PRICE), 10, **options)


def test_a_single_sample_works(load):
    stats = simulate(load(UNIFORM_PRICE), 1).orders[0].options[0].tco_usd
    assert stats.p5 == stats.p50 == stats.p95 == pytest.approx(stats.mean, rel=1e-12)


# The benchmark's numpy baseline ----------------------------------------------------


def load_reference():
    spec = importlib.util.spec_from_file_location("numpy_reference", ROOT / "bench" / "numpy_reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_numpy_reference_agrees_with_simulate():
    scenario = load_scenario(ROOT / "bench" / "scenarios" / "simulate.yaml")
    reference = load_reference().reference(100_000, seed=0)
    order = simulate(scenario, 100_000, seed=0).orders[0]
    assert [option.chip for option in order.options] == list(reference)
    for option in order.options:
        expected = reference[option.chip]
        assert option.tco_usd.p50 == pytest.approx(expected["p50"], rel=0.01)
        assert option.tco_usd.mean == pytest.approx(expected["mean"], rel=0.01)
        assert option.p_cheapest == pytest.approx(expected["p_cheapest"], abs=0.01)
    # both cheapest sometimes, so the check reaches the sampled inputs of both
    assert 0.05 < reference["h200"]["p_cheapest"] < 0.95
