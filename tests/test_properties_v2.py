"""Properties of MODEL.md version 2 over random two- and three-chip scenarios (Hypothesis).

Run on the oracle (passes today) and on chipcalc's CLI (awaits version 2):

- the TCO of every option rises with every running cost and falls as the discount rate rises;
- with d = 0 the lifetime factor is the life: a yearly cost o costs n * L * o;
- the discounted cash flows of every option, period 0 included, add up to its TCO;
- at the payback life L* of breakeven 6, the option and the order's chip cost the same.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from chipcalc.cli import app

from . import oracle_v2
from .strategies import amount
from .v2_support import IMPLEMENTATIONS

pytestmark = pytest.mark.parametrize("impl", IMPLEMENTATIONS)
PROPERTY = settings(max_examples=25, deadline=None, derandomize=True)
RUNNING_COSTS = (
    "electricity_usd_per_kwh",
    "facility_usd_per_kw_month",
    "maintenance_rate",
    "operations_usd_per_year",
)


def computable(values: st.SearchStrategy[float]) -> st.SearchStrategy[float]:
    """Values a scenario may hold: 0, or at least 1e-9 (smaller ones are refused, values.SMALLEST)."""
    return values.map(lambda value: 0.0 if value < 1e-9 else value)


@st.composite
def scenarios(draw) -> dict:
    """A plain scenario (USD, fractions) that is also a valid scenario file as written."""
    assumptions = {
        "lifetime_years": draw(st.floats(1, 8)),
        "pue": draw(st.floats(1, 1.6)),
        "levy_pass_through": draw(computable(st.floats(0, 1))),
        "discount_rate": draw(amount(1e-3, 0.2)),
        "power_draw": draw(st.floats(0.3, 1)),
        "electricity_usd_per_kwh": draw(st.floats(0.01, 0.2)),
        "facility_usd_per_kw_month": draw(amount(1, 300)),
        "maintenance_rate": draw(amount(1e-3, 0.15)),
        "operations_usd_per_year": draw(amount(1, 5000)),
    }
    chips = {}
    for index in range(draw(st.integers(2, 3))):
        chip = {
            "price": draw(st.floats(1e3, 5e4)),
            "levy_rate": draw(computable(st.floats(0, 0.5))),
            "tflops": {"bf16": draw(st.floats(50, 3000))},
            "utilization": draw(st.floats(0.1, 1)),
            "power_w": draw(st.floats(100, 2000)),
            "host_cost": draw(amount(1, 2e4)),
        }
        if draw(st.booleans()):
            chip["levy_base"] = draw(st.floats(0.1, 1))
        else:
            chip["levy_base_usd"] = draw(st.floats(1e3, 4e4))
        chips[f"c{index}"] = chip
    return {
        "assumptions": assumptions,
        "chips": chips,
        "orders": [{"name": "o", "chip": "c0", "units": 1000.0}],
    }


def file_text(plain: dict) -> str:
    document = json.loads(json.dumps(plain))
    for chip in document["chips"].values():
        if "levy_base_usd" in chip:
            chip["levy_base"] = f"{chip.pop('levy_base_usd')!r} USD"
    return yaml.safe_dump(document, sort_keys=False)


def run(impl: str, plain: dict, command: str = "compare", **changes: float) -> dict:
    """compare (or cashflow) JSON of the first order, with assumptions changed as given."""
    changed = {**plain, "assumptions": {**plain["assumptions"], **changes}}
    if impl == "oracle":
        if command == "compare":
            return oracle_v2.order_result(changed, 0)
        return {"options": list(oracle_v2.cashflow(changed, 0, 1.0).values())}
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "scenario.yaml"
        path.write_text(file_text(changed), encoding="utf-8")
        result = CliRunner().invoke(app, [command, str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["scenarios"][0]["orders"][0]


def tcos(order: dict) -> dict[str, float]:
    return {option["chip"]: option["tco_usd"] for option in order["options"]}


@PROPERTY
@given(plain=scenarios(), cost=st.sampled_from(RUNNING_COSTS), more=st.floats(1.1, 3))
def test_tco_rises_with_every_running_cost(impl: str, plain: dict, cost: str, more: float) -> None:
    base = plain["assumptions"][cost]
    assume(base > 0)
    low, high = (
        tcos(run(impl, plain)),
        tcos(
            run(impl, plain, **{cost: min(base * more, 0.99) if cost == "maintenance_rate" else base * more})
        ),
    )
    for chip in low:
        assert high[chip] > low[chip], (chip, cost)


@PROPERTY
@given(plain=scenarios(), higher=st.floats(0.01, 0.2))
def test_tco_falls_as_the_discount_rate_rises(impl: str, plain: dict, higher: float) -> None:
    rate = plain["assumptions"]["discount_rate"]
    low, high = (
        tcos(run(impl, plain, discount_rate=rate)),
        tcos(run(impl, plain, discount_rate=min(rate + higher, 0.99))),
    )
    for chip in low:
        assert high[chip] < low[chip], chip


@PROPERTY
@given(plain=scenarios())
def test_no_discounting_makes_the_factor_the_life(impl: str, plain: dict) -> None:
    order = run(impl, plain, discount_rate=0.0)
    life, yearly = plain["assumptions"]["lifetime_years"], plain["assumptions"]["operations_usd_per_year"]
    for option in order["options"]:
        assert option["operations_usd"] == pytest.approx(option["units"] * life * yearly, rel=1e-12, abs=0)


@PROPERTY
@given(plain=scenarios())
def test_discounted_cash_flows_sum_to_the_tco(impl: str, plain: dict) -> None:
    total = tcos(run(impl, plain))
    for entry in run(impl, plain, "cashflow")["options"]:
        periods = entry["periods"]
        assert sum(row["discounted_usd"] for row in periods) == pytest.approx(total[entry["chip"]], rel=1e-9)
        assert periods[-1]["cumulative_discounted_usd"] == pytest.approx(total[entry["chip"]], rel=1e-9)


@settings(PROPERTY, suppress_health_check=[HealthCheck.filter_too_much])  # most pairs never pay back
@given(plain=scenarios())
def test_the_payback_life_makes_the_two_costs_equal(impl: str, plain: dict) -> None:
    order = run(impl, plain)
    paybacks = {
        option["chip"]: option["breakeven"]["lifetime_years"]["value"]
        for option in order["options"]
        if option["breakeven"] is not None
    }
    finite = {chip: value for chip, value in paybacks.items() if value is not None}
    assume(finite)
    for chip, life in finite.items():
        at = tcos(run(impl, plain, lifetime_years=life))
        assert at[chip] == pytest.approx(at["c0"], rel=1e-9), chip
