"""The numpy baseline for `chipcalc simulate`: MODEL.md written out by hand for one scenario.

It hard-codes bench/scenarios/simulate.yaml (change one, change the other),
samples its four uncertain inputs the way chipcalc does (one
`default_rng(seed)`, inputs in file order, low and high of a (log)normal range
at its 5th and 95th percentiles) and reports each option's TCO percentiles
(np.percentile), mean and share of samples in which it is cheapest. It
imports nothing from chipcalc, so it is both a speed floor and an independent
check of the numbers.

    python bench/numpy_reference.py --samples 1000000 --seed 0
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

Z_95 = 1.6448536269514722
HOURS_PER_YEAR = 8760
CNY = 0.139  # USD per CNY

# assumptions
LIFETIME_YEARS = 5.0
PUE = 1.3
ELECTRICITY_USD_PER_KWH = 0.08

# chips, in file order: price, levy rate, levy base, bf16 TFLOP/s, utilisation, watts, host cost, USD/kWh
CHIPS = ("h200", "h20", "ascend_910c")
H200 = dict(levy_rate=0.25, levy_base=1.0, tflops=989.0, utilization=0.40, power_w=1275.0,
            host_cost=10_000.0, usd_per_kwh=ELECTRICITY_USD_PER_KWH)
H20 = dict(price=13_500.0, levy_rate=0.15, levy_base=1.0, tflops=148.0, utilization=0.40, power_w=975.0,
           host_cost=10_000.0, usd_per_kwh=ELECTRICITY_USD_PER_KWH)
ASCEND_910C = dict(price=150_000.0 * CNY, levy_rate=0.0, levy_base=1.0, tflops=752.0, power_w=1460.0,
                   host_cost=1_000.0, usd_per_kwh=0.40 * CNY)
CANN_MIGRATION_USD = 150e6
CANN_COST_PER_ENGINEER_MONTH = 15_000.0
ORDER_UNITS = 400_000.0  # of h200


def sample_inputs(samples: int, seed: int) -> dict[str, np.ndarray]:
    """The four uncertain inputs, drawn in the scenario file's order from one generator."""
    rng = np.random.default_rng(seed)
    pass_through = rng.triangular(0.0, 0.10, 0.50, samples)
    log_low, log_high = np.log(25_000.0), np.log(30_000.0)
    h200_price = rng.lognormal((log_low + log_high) / 2, (log_high - log_low) / (2 * Z_95), samples)
    utilization = rng.normal((0.25 + 0.40) / 2, (0.40 - 0.25) / (2 * Z_95), samples)
    utilization = np.clip(utilization, 1e-9, 1.0)  # a utilisation lies in (0, 1]
    engineer_months = rng.uniform(2000.0, 8000.0, samples)
    return {"pass_through": pass_through, "h200_price": h200_price, "utilization": utilization,
            "engineer_months": engineer_months}


def cost_per_unit(price, levy_rate, levy_base, pass_through, power_w, host_cost, usd_per_kwh):
    """k = b + h + E, with b = p / (1 - t rho) (MODEL.md v2) and E the lifetime electricity."""
    rho = levy_rate * levy_base
    buyer_price = price / (1 - pass_through * rho)
    energy = power_w / 1000 * PUE * HOURS_PER_YEAR * LIFETIME_YEARS * usd_per_kwh
    return buyer_price + host_cost + energy


def option_tcos(inputs: dict[str, np.ndarray]) -> np.ndarray:
    """T_c = D / e_c * k_c + M_c for each chip, stacked in chip order (one row per chip)."""
    t = inputs["pass_through"]
    demand = ORDER_UNITS * H200["tflops"] * H200["utilization"]
    k_h200 = cost_per_unit(inputs["h200_price"], H200["levy_rate"], H200["levy_base"], t,
                           H200["power_w"], H200["host_cost"], H200["usd_per_kwh"])
    k_h20 = cost_per_unit(H20["price"], H20["levy_rate"], H20["levy_base"], t,
                          H20["power_w"], H20["host_cost"], H20["usd_per_kwh"])
    k_910c = cost_per_unit(ASCEND_910C["price"], ASCEND_910C["levy_rate"], ASCEND_910C["levy_base"], t,
                           ASCEND_910C["power_w"], ASCEND_910C["host_cost"], ASCEND_910C["usd_per_kwh"])
    migration_910c = CANN_MIGRATION_USD + inputs["engineer_months"] * CANN_COST_PER_ENGINEER_MONTH
    tco_h200 = demand / (H200["tflops"] * H200["utilization"]) * k_h200
    tco_h20 = demand / (H20["tflops"] * H20["utilization"]) * k_h20
    tco_910c = demand / (ASCEND_910C["tflops"] * inputs["utilization"]) * k_910c + migration_910c
    size = len(t)
    return np.stack([np.broadcast_to(tco, size) for tco in (tco_h200, tco_h20, tco_910c)])


def reference(samples: int, seed: int = 0) -> dict[str, dict[str, float]]:
    """Per chip: TCO p5, p50, p95 (np.percentile), mean, and p_cheapest."""
    tcos = option_tcos(sample_inputs(samples, seed))
    cheapest = np.bincount(np.argmin(tcos, axis=0), minlength=len(CHIPS)) / samples
    result = {}
    for index, chip in enumerate(CHIPS):
        p5, p50, p95 = np.percentile(tcos[index], [5, 50, 95])
        result[chip] = {"p5": float(p5), "p50": float(p50), "p95": float(p95),
                        "mean": float(np.mean(tcos[index])), "p_cheapest": float(cheapest[index])}
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    started = time.perf_counter()
    result = reference(arguments.samples, arguments.seed)
    seconds = time.perf_counter() - started
    print(json.dumps({"samples": arguments.samples, "seed": arguments.seed, "seconds": seconds,
                      "options": result}, indent=2))


if __name__ == "__main__":
    main()
