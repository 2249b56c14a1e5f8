"""Running one scenario through chipcalc's CLI or through the independent oracle, in one shape.

The version-2 tests are written once and run twice: `impl="oracle"` checks
that tests/oracle_v2.py agrees with the hand arithmetic (passes today), and
`impl="chipcalc"` checks the implementation (`compare`, `chips` and
`cashflow` JSON) against the same arithmetic.
"""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import yaml
from typer.testing import CliRunner

from chipcalc.cli import app

from . import oracle_v2

IMPLEMENTATIONS = ["oracle", "chipcalc"]
RELATIVE = 1e-9


def run_json(*args: str) -> dict:
    """The JSON document of one chipcalc command; the command must succeed."""
    result = CliRunner().invoke(app, [*args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def plain(text: str) -> dict:
    """The oracle's dict for a hand-written scenario in plain USD numbers and fractions.

    Only `levy_base: $N` (a money base) needs translating; every other value in
    the hand examples is already a plain number.
    """
    scenario = yaml.safe_load(textwrap.dedent(text))
    for chip in scenario["chips"].values():
        base = chip.get("levy_base")
        if isinstance(base, str) and base.startswith("$"):
            chip["levy_base_usd"] = float(base[1:])
            del chip["levy_base"]
    return scenario


def write(directory: Path, text: str, name: str = "scenario.yaml") -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def evaluate(impl: str, text: str, directory: Path) -> dict:
    """{"orders": [...compare JSON orders...], "chips": {key: chips JSON entry}} from `impl`."""
    if impl == "oracle":
        scenario = plain(text)
        return {
            "orders": [oracle_v2.order_result(scenario, i) for i in range(len(scenario["orders"]))],
            "chips": {key: oracle_v2.chip_figures(scenario, key) for key in scenario["chips"]},
        }
    path = str(write(directory, text))
    orders = run_json("compare", path)["scenarios"][0]["orders"]
    chips = run_json("chips", path)["scenarios"][0]["chips"]
    return {"orders": orders, "chips": {chip["chip"]: chip for chip in chips}}


def cashflows(impl: str, text: str, directory: Path, period: str = "year", order: int = 0) -> dict[str, dict]:
    """{chip: {"chip", "payback_years", "periods"}} of one order from `impl`."""
    if impl == "oracle":
        return oracle_v2.cashflow(plain(text), order, oracle_v2.PERIOD_YEARS[period])
    path = str(write(directory, text))
    document = run_json("cashflow", path, "--period", period)
    options = document["scenarios"][0]["orders"][order]["options"]
    return {entry["chip"]: entry for entry in options}


def option(result: dict, chip: str, order: int = 0) -> dict:
    return next(entry for entry in result["orders"][order]["options"] if entry["chip"] == chip)


def close(actual: float | None, expected: float | None, scale: float = 0.0) -> bool:
    """Equal to 1e-9 relative to the larger magnitude, or to `scale` for a difference near 0."""
    if actual is None or expected is None:
        return actual is expected
    if isinstance(expected, bool) or isinstance(actual, bool):
        return actual == expected
    if not (math.isfinite(actual) and math.isfinite(expected)):
        return actual == expected
    return abs(actual - expected) <= RELATIVE * max(abs(actual), abs(expected), abs(scale))
