"""The shipped scenarios are honest: every figure has a trail, and the derived ones say so.

An analyst reads scenarios/*.yaml as the project's claims. These tests hold them to the rules
of FACTS.md: a source and a date on every chip, platform and order; every H200 order marked
hypothetical (no H200 shipment to China is reported through mid-2026); the uncertain scenario
centred on the base case, so that `simulate` measures spread, not a moved centre. (That the
built-in scenario is a copy of the base is tested in test_cli.py.)
"""

from __future__ import annotations

import pytest

from chipcalc.loader import load_scenario
from chipcalc.paths import numeric_inputs
from chipcalc.scenario import Scenario

from .conftest import SCENARIOS

SHIPPED = sorted(path.name for path in SCENARIOS.glob("*.yaml"))


def shipped(name: str) -> Scenario:
    return load_scenario(SCENARIOS / name)


@pytest.mark.parametrize("name", SHIPPED)
def test_every_chip_platform_and_order_has_a_source_and_a_date(name: str) -> None:
    scenario = shipped(name)
    entries = [(f"chips.{key}", chip) for key, chip in scenario.chips.items()]
    entries += [(f"platforms.{key}", platform) for key, platform in scenario.platforms.items()]
    entries += [(f"orders.{order.name}", order) for order in scenario.orders]
    for path, entry in entries:
        assert entry.source and entry.source.strip(), f"{name}: {path} has no source"
        assert entry.as_of, f"{name}: {path} has no as_of"


@pytest.mark.parametrize("name", SHIPPED)
def test_every_h200_order_says_it_is_hypothetical(name: str) -> None:
    scenario = shipped(name)
    for order in scenario.orders:
        chip = scenario.chips[order.chip]
        if "H200" in (chip.name or order.chip).upper():
            assert "hypothetical" in (order.source or "").lower(), f"{name}: order {order.name}"


def test_every_scenario_with_a_workload_says_where_it_comes_from() -> None:
    for name in SHIPPED:
        workload = shipped(name).workload
        if workload.arithmetic_intensity is not None or workload.flops_per_token is not None:
            assert workload.source and workload.as_of, name


def test_the_uncertain_scenario_is_centred_on_the_base() -> None:
    base, uncertain = shipped("h200-2026.yaml"), shipped("h200-2026-uncertain.yaml")
    assert len(uncertain.ranges) >= 4
    base_values = {path: value for path, _, value in numeric_inputs(base)}
    for path, uncertain_value in uncertain.ranges:
        assert uncertain_value.point == pytest.approx(base_values[path], rel=1e-12), path
    # With every range at its point value, the two scenarios have the same inputs.
    ours = {path: value for path, _, value in numeric_inputs(uncertain)}
    assert ours.keys() == base_values.keys()
    for path, value in ours.items():
        assert value == pytest.approx(base_values[path], rel=1e-12), path


def test_the_910c_uses_one_basis_for_price_power_and_throughput() -> None:
    # CloudMatrix 384: ~300 PF dense BF16 / 384 chips = 781.25, given as ~781; its $8.2M / 384 =
    # $21.4k and 559 kW / 384 = 1,456 W (~1,460) are the price and power. The TPP-derived
    # 12,032 / 16 = 752 is another basis.
    chip = shipped("h200-2026.yaml").chips["ascend_910c"]
    assert chip.tflops["bf16"] == 781
    assert round(300e3 / 384) == 781 and round(8.2e6 / 384, -2) == chip.price_usd
    assert "CloudMatrix" in chip.source
