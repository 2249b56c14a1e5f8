"""The numpy floor for `chipcalc sweep`: MODEL.md by hand for bench/scenarios/sweep.yaml, written as
the same JSON document, byte for byte.

It varies the H200's levy rate (rows) and the levy pass-through (columns)
over k / steps for k < steps, as `--vary PATH=0:(steps-1)/steps:1/steps`
does, and prints each option's TCO at every point. The arithmetic is
MODEL.md's in MODEL.md's order, so the doubles are chipcalc's; each distinct
number is formatted once (a column's own values, then the one 2-D figure),
and the document is written one row of points at a time. It imports nothing
from chipcalc; bench/run.py checks that both print the same bytes.

    python bench/sweep_floor.py --steps 1000
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

HOURS_PER_YEAR = 8760
LIFETIME_YEARS = 5.0
PUE = 1.3
ORDER_UNITS = 400_000.0  # of h200
# per chip: price, levy rate, bf16 TFLOP/s, utilisation, watts, host cost, USD/kWh, migration (USD)
CHIPS = {
    "h200": (27_000.0, 0.25, 989.0, 0.40, 1275.0, 10_000.0, 0.0765, 0.0),
    "h20": (13_500.0, 0.15, 148.0, 0.40, 975.0, 10_000.0, 0.0765, 0.0),
    "ascend_910c": (21_400.0, 0.0, 752.0, 0.30, 1460.0, 1_000.0, 0.0556, 150e6 + 4500.0 * 15_000.0),
    "ascend_910b": (16_680.0, 0.0, 320.0, 0.30, 975.0, 7_000.0, 0.0556, 150e6 + 4500.0 * 15_000.0),
    "mlu590": (10_000.0, 0.0, 281.0, 0.25, 925.0, 7_000.0, 0.0556, 150e6 + 6000.0 * 15_000.0),
}
ROWS, COLUMNS = "chips.h200.levy_rate", "assumptions.levy_pass_through"


def tcos(levy_rate: np.ndarray, pass_through: np.ndarray) -> dict[str, np.ndarray]:
    """T_c = D / e_c * k_c + M_c per chip, on the open mesh (levy_rate a column, pass_through a row)."""
    _, _, tflops, utilization, *_ = CHIPS["h200"]
    demand = ORDER_UNITS * (tflops * utilization)
    result = {}
    for chip, (price, rate, tflops, utilization, power_w, host, usd_per_kwh, migration) in CHIPS.items():
        rho = (levy_rate if chip == "h200" else rate) * 1.0  # levy base 100%
        buyer = price / (1 - pass_through * rho)  # MODEL.md v2: b - p = t L
        energy = power_w / 1000 * PUE * HOURS_PER_YEAR * LIFETIME_YEARS * usd_per_kwh
        result[chip] = demand / (tflops * utilization) * (buyer + host + energy) + migration
    return result


def write(steps: int, out) -> None:
    """The sweep's JSON document for a steps x steps grid."""
    axis = np.arange(steps) / steps
    figures = tcos(axis[:, None], axis[None, :])
    head = json.dumps({"schema_version": 1, "scenario": "sweep-bench", "order": "approved-2026",
                       "metric": "tco_usd", "vary": [ROWS, COLUMNS], "points": []}, indent=2)
    before, after = head.split('"points": []')
    out.write(before + '"points": [\n')
    axis_texts = list(map(repr, axis.tolist()))
    # Everything after the 2-D H200 figure depends on the column only: format it once per column.
    middles = [f', "{COLUMNS}": {text}, "h200": ' for text in axis_texts]
    tails = [", " + ", ".join(f'"{chip}": {text}' for chip, text in zip(list(CHIPS)[1:], texts)) + "}"
             for texts in zip(*(map(repr, np.broadcast_to(figures[chip], (1, steps))[0].tolist())
                                for chip in list(CHIPS)[1:]))]
    h200 = np.broadcast_to(figures["h200"], (steps, steps))
    for row, row_text in enumerate(axis_texts):
        start = f'    {{"{ROWS}": {row_text}'
        lines = [start + middle + repr(value) + tail
                 for middle, value, tail in zip(middles, h200[row].tolist(), tails)]
        out.write(",\n".join(lines) + (",\n" if row < steps - 1 else "\n"))
    out.write("  ]" + after + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1000, help="grid points along each input")
    write(parser.parse_args().steps, sys.stdout)


if __name__ == "__main__":
    main()
