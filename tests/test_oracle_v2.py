"""chipcalc against the independent oracle (tests/oracle_v2.py) on seeded random scenarios.

A generator writes scenario files the way an analyst would (currencies, `k`
suffixes, percentages, a levy base as a share or as money, overrides per
chip, workloads, orders by units or by budget) together with the plain dict
the oracle reads. Every field of `compare`, `chips`, `breakeven` and
`cashflow` JSON is compared to 1e-9 relative; reasons and `pays` exactly.

`test_oracle_matches_v1_where_unchanged` restricts the generator to what
version 1 already means the same way (t in {0, 1}, no new keys, a share
base) and passes on today's chipcalc: it validates the oracle. The other
tests need version 2.
"""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest
import yaml

from . import oracle_v2
from .v2_support import close, run_json

FX_CNY = 0.139
V1_OPTION_FIELDS = (
    "units",
    "buyer_price_usd",
    "levy_per_unit_usd",
    "capex_usd",
    "levy_usd",
    "energy_usd",
    "migration_usd",
    "tco_usd",
    "effective_tflops_per_unit",
    "tflops_per_kusd",
    "usd_per_effective_pflops",
    "usd_per_effective_pflops_hour",
    "vs_order",
    "supply_shortfall_units",
    "feasible",
)
V2_OPTION_FIELDS = (
    "facility_usd",
    "maintenance_usd",
    "operations_usd",
    "attainable_tflops_per_unit",
    "usd_per_million_tokens",
)
V1_CHIP_FIELDS = (
    "price_usd",
    "levy_rate",
    "levy_base",
    "buyer_price_usd",
    "levy_per_unit_usd",
    "vendor_net_per_unit_usd",
    "tflops",
    "utilization",
    "effective_tflops_per_unit",
    "tflops_per_kusd",
    "tpp",
    "power_w",
    "energy_per_unit_usd",
    "host_cost_usd",
    "cost_per_unit_usd",
    "migration_usd",
    "supply_units",
)
V2_CHIP_FIELDS = (
    "attainable_tflops_per_unit",
    "power_draw",
    "energy_per_year_usd",
    "facility_per_year_usd",
    "maintenance_per_year_usd",
    "operations_per_year_usd",
    "running_cost_per_year_usd",
    "levy_base_usd",
)
V1_BREAKEVENS = ("demand_tflops", "levy_rate", "migration_cost_usd", "price_usd", "utilization")
PERIOD_FIELDS = (
    "start_years",
    "end_years",
    "capex_usd",
    "migration_usd",
    "energy_usd",
    "facility_usd",
    "maintenance_usd",
    "operations_usd",
    "total_usd",
    "discounted_usd",
    "cumulative_discounted_usd",
)


# The generator ----------------------------------------------------------------


class Writer:
    """Draws values and writes each both as scenario-file text and as the plain float the oracle reads."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def money(self, low: float, high: float, currency: bool = False) -> tuple[object, float]:
        """An amount as a file may write it; with `currency`, never a bare number (a levy base
        written bare is a share, SCENARIO.md)."""
        usd = self.rng.uniform(low, high)
        style = self.rng.randrange(1 if currency else 0, 4)
        if style == 0:
            return usd, usd
        if style == 1:
            return f"${usd / 1000!r}k", usd / 1000 * 1000
        cny = usd / FX_CNY
        return (f"¥{cny!r}", cny * FX_CNY) if style == 2 else (f"{cny!r} CNY", cny * FX_CNY)

    def rate(self, low: float, high: float) -> tuple[object, float]:
        value = self.rng.uniform(low, high)
        return (f"{value * 100!r}%", value * 100 / 100) if self.rng.random() < 0.5 else (value, value)


def random_scenario(rng: random.Random, v2: bool) -> tuple[dict, dict]:
    """(file dict, oracle dict) of one random scenario; `v2=False` keeps to version 1's meaning."""
    pick = Writer(rng)
    life = rng.choice([1.0, 3.0, 4.0, 5.0, 6.0]) if not v2 else rng.choice([2.0, 4.0, 4.3, 5.5, 7.0])
    t = rng.choice([0.0, 1.0]) if not v2 or rng.random() < 0.3 else rng.uniform(0.05, 0.95)
    file_a: dict = {
        "precision": "bf16",
        "lifetime_years": life,
        "pue": rng.uniform(1, 1.5),
        "levy_pass_through": t,
        "fx": {"CNY": FX_CNY},
    }
    plain_a: dict = {
        "precision": "bf16",
        "lifetime_years": life,
        "pue": file_a["pue"],
        "levy_pass_through": t,
    }
    file_a["electricity_usd_per_kwh"], plain_a["electricity_usd_per_kwh"] = pick.money(0.02, 0.15)
    if v2:
        for key, draw in (
            ("discount_rate", lambda: pick.rate(0.0, 0.15)),
            ("power_draw", lambda: pick.rate(0.4, 1)),
            ("facility_usd_per_kw_month", lambda: pick.money(0, 250)),
            ("maintenance_rate", lambda: pick.rate(0, 0.1)),
            ("operations_usd_per_year", lambda: pick.money(0, 3000)),
        ):
            if rng.random() < 0.8:
                file_a[key], plain_a[key] = draw()
    file_doc: dict = {"name": "random", "assumptions": file_a, "chips": {}, "platforms": {}, "orders": []}
    plain_doc: dict = {"assumptions": plain_a, "chips": {}, "platforms": {}, "orders": []}
    if v2 and rng.random() < 0.6:
        workload: dict = {"arithmetic_intensity": rng.uniform(20, 600)}
        if rng.random() < 0.7:
            workload["flops_per_token"] = rng.uniform(1e9, 2e11)
        file_doc["workload"] = plain_doc["workload"] = workload
    for index in range(rng.randint(2, 4)):
        file_c, plain_c = random_chip(pick, v2, "workload" in file_doc)
        file_doc["chips"][f"c{index}"], plain_doc["chips"][f"c{index}"] = file_c, plain_c
    for platform in sorted({chip["platform"] for chip in plain_doc["chips"].values()} - {"cuda"}):
        entry = {
            "migration_cost": rng.uniform(0, 5e8),
            "engineer_months": rng.uniform(0, 2000),
            "cost_per_engineer_month": rng.uniform(1e4, 3e4),
        }
        file_doc["platforms"][platform] = plain_doc["platforms"][platform] = entry
    for index in range(rng.randint(1, 2)):
        order: dict = {"name": f"o{index}", "chip": rng.choice(sorted(plain_doc["chips"]))}
        if rng.random() < 0.5:
            order["units"] = rng.uniform(1e3, 5e5)
            file_doc["orders"].append(dict(order))
        else:
            file_doc["orders"].append({**order, "budget": f"{(budget := rng.uniform(1, 20))!r}B"})
            order["budget"] = budget * 1e9
        plain_doc["orders"].append(order)
    if not file_doc["platforms"]:
        del file_doc["platforms"]
    return file_doc, plain_doc


def random_chip(pick: Writer, v2: bool, bandwidth_needed: bool) -> tuple[dict, dict]:
    rng = pick.rng
    file_c: dict = {
        "platform": rng.choice(["cuda", "cuda", "cann", "neuware"]),
        "tflops": {"bf16": rng.uniform(100, 2500)},
    }
    if rng.random() < 0.5:
        file_c["tflops"]["fp8"] = 2 * file_c["tflops"]["bf16"]
    plain_c = {"platform": file_c["platform"], "tflops": dict(file_c["tflops"])}
    file_c["price"], plain_c["price"] = pick.money(5e3, 4e4)
    file_c["levy_rate"], plain_c["levy_rate"] = pick.rate(0, 0.4) if rng.random() < 0.7 else (0.0, 0.0)
    if v2 and rng.random() < 0.4:
        file_c["levy_base"], plain_c["levy_base_usd"] = pick.money(5e3, 3e4, currency=True)
    else:
        file_c["levy_base"], plain_c["levy_base"] = pick.rate(0.3, 1)
    file_c["utilization"], plain_c["utilization"] = pick.rate(0.2, 0.9)
    plain_c["power_w"] = file_c["power_w"] = rng.uniform(300, 1500)
    file_c["host_cost"], plain_c["host_cost"] = pick.money(0, 15e3)
    if bandwidth_needed or rng.random() < 0.5:
        plain_c["bandwidth_tbps"] = file_c["bandwidth_tbps"] = rng.uniform(1, 8)
    if rng.random() < 0.4:
        plain_c["supply_units"] = file_c["supply_units"] = rng.uniform(1e4, 1e6)
    if rng.random() < 0.3:
        file_c["electricity_usd_per_kwh"], plain_c["electricity_usd_per_kwh"] = pick.money(0.02, 0.1)
    if v2:
        for key, draw in (
            ("power_draw", lambda: pick.rate(0.4, 1)),
            ("maintenance_rate", lambda: pick.rate(0, 0.1)),
            ("facility_usd_per_kw_month", lambda: pick.money(0, 250)),
            ("operations_usd_per_year", lambda: pick.money(0, 3000)),
        ):
            if rng.random() < 0.25:
                file_c[key], plain_c[key] = draw()
    return file_c, plain_c


def write_random(tmp_path: Path, seed: int, v2: bool) -> tuple[str, dict]:
    file_doc, plain_doc = random_scenario(random.Random(seed), v2)
    path = tmp_path / f"random-{seed}.yaml"
    path.write_text(yaml.safe_dump(file_doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return str(path), plain_doc


# Comparing ----------------------------------------------------------------------

def option_scale(key: str, option: dict) -> float:
    """What a field near 0 is compared relative to: vs_order is a fraction, a shortfall a share of units."""
    return {"vs_order": 1.0, "supply_shortfall_units": option["units"]}.get(key, 0.0)


def assert_close(where: str, actual: object, expected: object, scale: float = 0.0) -> None:
    if isinstance(expected, (str, type(None))) or isinstance(actual, str):
        assert actual == expected, f"{where}: {actual!r} != {expected!r}"
    else:
        assert close(actual, expected, scale), f"{where}: {actual!r} != {expected!r}"


def check_breakeven(
    where: str,
    actual: dict,
    expected: dict,
    names: tuple[str, ...],
    tco_a: float,
    price_c: float,
    life: float,
) -> None:
    scale = {
        "migration_cost_usd": tco_a,
        "price_usd": price_c,
        "lifetime_years": life,
        "levy_rate": 1.0,
        "utilization": 1.0,
    }
    for name in names:
        for key, value in expected[name].items():
            assert_close(f"{where}.{name}.{key}", actual[name][key], value, scale.get(name, 0.0))


def check_compare(document: dict, plain: dict, v2: bool) -> None:
    fields = V1_OPTION_FIELDS + (V2_OPTION_FIELDS if v2 else ())
    names = V1_BREAKEVENS + (("lifetime_years",) if v2 else ())
    life = oracle_v2.assumptions(plain)["lifetime_years"]
    for index, actual in enumerate(document["scenarios"][0]["orders"]):
        expected = oracle_v2.order_result(plain, index)
        where = f"orders[{index}]"
        for key in ("units", "demand_tflops", "spend_usd", "levy_usd", "vendor_net_usd"):
            assert_close(f"{where}.{key}", actual[key], expected[key])
        assert [o["chip"] for o in actual["options"]] == [o["chip"] for o in expected["options"]], where
        tco_a = next(o["tco_usd"] for o in expected["options"] if o["chip"] == expected["chip"])
        for got, want in zip(actual["options"], expected["options"]):
            at = f"{where}.{want['chip']}"
            for key in fields:
                assert_close(f"{at}.{key}", got[key], want[key], option_scale(key, want))
            if want["breakeven"] is None:
                assert got["breakeven"] is None, at
            else:
                check_breakeven(
                    f"{at}.breakeven",
                    got["breakeven"],
                    want["breakeven"],
                    names,
                    tco_a,
                    plain["chips"][want["chip"]]["price"],
                    life,
                )


def check_chips(document: dict, plain: dict, v2: bool) -> None:
    fields = V1_CHIP_FIELDS + (V2_CHIP_FIELDS if v2 else ())
    for actual in document["scenarios"][0]["chips"]:
        expected = oracle_v2.chip_figures(plain, actual["chip"])
        for key in fields:
            assert_close(f"chips.{actual['chip']}.{key}", actual[key], expected[key])


V1_SEEDS = range(40)
V2_SEEDS = range(100, 140)


@pytest.mark.parametrize("seed", V1_SEEDS)
def test_oracle_matches_v1_where_unchanged(tmp_path: Path, seed: int) -> None:
    path, plain = write_random(tmp_path, seed, v2=False)
    check_compare(run_json("compare", path), plain, v2=False)
    check_chips(run_json("chips", path), plain, v2=False)


@pytest.mark.parametrize("seed", V2_SEEDS)
def test_compare_and_chips_match_the_oracle(tmp_path: Path, seed: int) -> None:
    path, plain = write_random(tmp_path, seed, v2=True)
    check_compare(run_json("compare", path), plain, v2=True)
    check_chips(run_json("chips", path), plain, v2=True)


@pytest.mark.parametrize("seed", V2_SEEDS[:20])
def test_breakeven_command_matches_the_oracle(tmp_path: Path, seed: int) -> None:
    path, plain = write_random(tmp_path, seed, v2=True)
    life = oracle_v2.assumptions(plain)["lifetime_years"]
    for index, actual in enumerate(run_json("breakeven", path)["scenarios"][0]["orders"]):
        expected = oracle_v2.order_result(plain, index)
        tco_a = next(o["tco_usd"] for o in expected["options"] if o["chip"] == expected["chip"])
        wanted = {o["chip"]: o["breakeven"] for o in expected["options"] if o["breakeven"] is not None}
        assert sorted(o["chip"] for o in actual["options"]) == sorted(wanted)
        for got in actual["options"]:
            check_breakeven(
                f"orders[{index}].{got['chip']}",
                got["breakeven"],
                wanted[got["chip"]],
                V1_BREAKEVENS + ("lifetime_years",),
                tco_a,
                plain["chips"][got["chip"]]["price"],
                life,
            )


@pytest.mark.parametrize("seed", V2_SEEDS[:20])
def test_cashflow_matches_the_oracle(tmp_path: Path, seed: int) -> None:
    path, plain = write_random(tmp_path, seed, v2=True)
    document = run_json("cashflow", path, "--period", "quarter")
    assert document["period_years"] == 0.25
    life = oracle_v2.assumptions(plain)["lifetime_years"]
    for index, actual in enumerate(document["scenarios"][0]["orders"]):
        expected = oracle_v2.cashflow(plain, index, 0.25)
        assert sorted(entry["chip"] for entry in actual["options"]) == sorted(expected)
        for entry in actual["options"]:
            want = expected[entry["chip"]]
            assert_close(
                f"{entry['chip']}.payback_years", entry["payback_years"], want["payback_years"], life
            )
            assert len(entry["periods"]) == len(want["periods"]) == 1 + math.ceil(life / 0.25 - 1e-9)
            scale = want["periods"][-1]["cumulative_discounted_usd"]
            for got, row in zip(entry["periods"], want["periods"]):
                assert got["period"] == row["period"]
                for key in PERIOD_FIELDS:
                    assert_close(
                        f"{entry['chip']}.periods[{row['period']}].{key}",
                        got[key],
                        row[key],
                        life if key.endswith("_years") else scale * 1e-3 if key != "capex_usd" else 0.0,
                    )
