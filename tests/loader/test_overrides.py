"""--set PATH=VALUE: overrides parsed as in a file, unknown paths, bad syntax."""

from __future__ import annotations


import pytest

from chipcalc.errors import UsageError
from chipcalc.loader import load_scenario
from chipcalc.paths import step
from chipcalc.scenario import Chip, Order, Scenario
from chipcalc.spec import Kind
from chipcalc.spec import Mark

from .common import problems_of


# --set --------------------------------------------------------------------


def test_set_overrides(family):
    scenario = load_scenario("parent.yaml", [
        "chips.h200.levy_rate=30%", "orders[0].units=1M", "assumptions.levy_pass_through=1"])
    assert scenario.chips["h200"].levy_rate == pytest.approx(0.30)
    assert scenario.orders[0].units == 1e6
    assert scenario.assumptions.levy_pass_through == 1.0
    assert scenario.origins["chips.h200.levy_rate"] == Mark("--set", 1, 22)
    assert scenario.origins["orders[0].units"] == Mark("--set", 2, 17)
    assert scenario.origins["assumptions.levy_pass_through"] == Mark("--set", 3, 31)
    # The rest is as in the file.
    assert scenario.chips["h200"].price_usd == 32000.0
    assert scenario.origins["chips.h200.price"] == Mark("parent.yaml", 10, 12)


def test_set_does_not_change_the_next_load(family):
    load_scenario("parent.yaml", ["chips.h200.levy_rate=30%"])
    assert load_scenario("parent.yaml").chips["h200"].levy_rate == 0.25


def test_set_later_wins(family):
    scenario = load_scenario("parent.yaml", ["chips.h200.levy_rate=30%", "chips.h200.levy_rate=10%"])
    assert scenario.chips["h200"].levy_rate == pytest.approx(0.10)


@pytest.mark.parametrize(
    "assignment, check",
    [
        ("chips.h200.price=¥100k", lambda s: s.chips["h200"].price_usd == pytest.approx(14000)),
        ("chips.h200.price=$28k to $36k", lambda s: s.chips["h200"].price_usd == 32000.0
         and dict(s.ranges)["chips.h200.price"].dist == "lognormal"),
        ("chips.h200.price={low: 1k, high: 3k}", lambda s: s.chips["h200"].price_usd == 2000.0),
        ("chips.h200.tflops.bf16=1000", lambda s: dict(s.chips["h200"].tflops) == {"bf16": 1000.0,
                                                                                  "fp8": 1979.0}),
        ("chips.h200.as_of=2026-01-15", lambda s: s.chips["h200"].as_of == "2026-01-15"),
        ("assumptions.fx.CNY=0.2", lambda s: s.chips["ascend"].price_usd == pytest.approx(40000)),
        ("platforms.cann.engineer_months=600", lambda s: s.platforms["cann"].engineer_months == 600.0),
        ("orders[1].budget=2B", lambda s: s.orders[1].budget_usd == 2e9),
        ("name=renamed", lambda s: s.name == "renamed"),
    ],
)
def test_set_values_are_parsed_as_in_a_file(family, assignment, check):
    assert check(load_scenario("parent.yaml", [assignment]))


@pytest.mark.parametrize(
    "assignment, near",
    [
        ("chips.h200.levy_rat=30%", "chips.h200.levy_rate"),
        ("chip.h200.levy_rate=30%", "chips.h200.levy_rate"),
        ("chips.h201.price=30k", "chips.h200.price"),
        ("chips.h200.tflops.bf17=1", "chips.h200.tflops.bf16"),
        ("assumptions.pass_through=1", "assumptions.levy_pass_through"),
        ("orders[5].units=1M", "orders[0].units"),
    ],
)
def test_set_unknown_path_lists_nearest_valid_paths(family, assignment, near):
    with pytest.raises(UsageError) as error:
        load_scenario("parent.yaml", [assignment])
    message = str(error.value)
    path = assignment.partition("=")[0]
    assert message.startswith(f"--set {path}: no such path in parent.yaml; nearest valid paths: ")
    assert near in message.partition("nearest valid paths: ")[2].split(", ")


def test_set_unknown_path_exact_message(family):
    with pytest.raises(UsageError) as error:
        load_scenario("parent.yaml", ["chips.h200.levy_rat=30%"])
    assert str(error.value) == ("--set chips.h200.levy_rat: no such path in parent.yaml; nearest valid paths: "
                                "chips.h200.levy_rate, chips.h200.levy_base, chips.h200.power_draw")


@pytest.mark.parametrize("assignment", ["chips.h200.levy_rate", "=30%", "chips..h200=1", "orders[x].units=1"])
def test_set_bad_syntax_is_a_usage_error(family, assignment):
    with pytest.raises(UsageError) as error:
        load_scenario("parent.yaml", [assignment])
    assert str(error.value).startswith("--set ")
    assert "chips.h200.levy_rate" in str(error.value)  # shows an example of the right form


@pytest.mark.parametrize(
    "sets, expected",
    [
        (["chips.h200.levy_rate=150%"],
         "--set:1:22: chips.h200.levy_rate: must be below 100% (got 150%)"),
        (["orders[0].units=1M", "orders[0].units=abc"],
         "--set:2:17: orders[0].units: must be a number such as 400k, 1.5B or 400_000 (got 'abc')"),
        (["chips.h200.price=¥1k", "assumptions.fx.CNY=-1"],
         "--set:2:20: assumptions.fx.CNY: must be positive (got -1)"),
        (["chips.h200.as_of=2026-13-01"],
         "--set:1:18: chips.h200.as_of: must be a date such as 2026-01-15 (got '2026-13-01')"),
    ],
)
def test_set_bad_value_is_reported_at_the_set(family, sets, expected):
    assert expected in problems_of("parent.yaml", sets)


# The spec-tree step --set paths are checked with -------------------------------


def test_step_walks_records_entries_lists_and_numbers():
    chips = step(Scenario, "chips")
    assert chips is not None and chips[0].kind == Kind.RECORDS and chips[1] is chips[0]
    assert step(chips[1], "h200") == (chips[0], Chip)
    assert step(Chip, "price")[0].kind == Kind.MONEY and step(Chip, "price")[1] is None
    tflops = step(Chip, "tflops")[1]
    bf16, below = step(tflops, "bf16")
    assert (bf16.key, bf16.kind, bf16.low, bf16.low_open, below) == ("bf16", Kind.NUMBER, 0.0, True, None)
    assert step(step(Scenario, "orders")[1], 0)[1] is Order
    assert step(step(Scenario, "assumptions")[1], "pue")[0].key == "pue"


def test_step_refuses_what_the_format_does_not_have():
    assert step(Chip, "colour") is None
    assert step(step(Scenario, "orders")[1], "first") is None  # a list takes an index
    assert step(step(Scenario, "chips")[1], 0) is None  # a keyed mapping takes a key


def test_set_with_nothing_after_the_equals_sign_removes_the_value(family):
    # an empty value is a key not given: the parent's 25% goes, the default 0% applies
    assert load_scenario("parent.yaml", ["chips.h200.levy_rate="]).chips["h200"].levy_rate == 0.0
    order = load_scenario("parent.yaml", ["orders[1].budget=", "orders[1].units=5k"]).orders[1]
    assert (order.units, order.budget_usd) == (5e3, None)
