"""Valid files: the defaults a file may leave out, and values in every syntax."""

from __future__ import annotations



from pathlib import Path

from chipcalc.loader import load_scenario
from chipcalc.scenario import Scenario
from chipcalc.values import Uncertain

from .common import MINIMAL, problems_of, write


# Valid files --------------------------------------------------------------



def test_minimal_scenario_and_defaults(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "my-scenario.yaml", """\
        chips:
          h200:
            price: $32k
            tflops: {bf16: 989}
          ascend:
            name: Huawei Ascend 910C
            platform: cann
            price: $21k
            tflops: {bf16: 752}
        platforms:
          cann:
            migration_cost: 0
        orders:
          - chip: h200
            units: 400k
          - name: second
            chip: h200
            budget: $1B
          - chip: ascend
            units: 1k
        """)
    scenario = load_scenario("my-scenario.yaml")
    assert isinstance(scenario, Scenario)
    assert scenario.name == "my-scenario"
    assert scenario.file == "my-scenario.yaml"
    h200 = scenario.chips["h200"]
    assert h200.key == "h200" and h200.name == "h200"
    assert scenario.chips["ascend"].name == "Huawei Ascend 910C"
    assert h200.platform == "cuda"
    assert h200.levy_rate == 0.0 and h200.levy_base == 1.0 and h200.utilization == 1.0
    assert h200.power_w == 0.0 and h200.host_cost_usd == 0.0
    assert h200.electricity_usd_per_kwh is None and h200.supply_units is None
    assert h200.source is None and h200.as_of is None
    a = scenario.assumptions
    assert (a.precision, a.lifetime_years, a.electricity_usd_per_kwh, a.pue, a.levy_pass_through,
            a.incumbent_platform, dict(a.fx)) == ("bf16", 4.0, 0.0, 1.0, 0.0, "cuda", {})
    assert [order.name for order in scenario.orders] == ["order-1", "second", "order-3"]
    assert scenario.orders[0].units == 400e3 and scenario.orders[0].budget_usd is None
    assert scenario.orders[1].budget_usd == 1e9 and scenario.orders[1].units is None
    assert scenario.ranges == ()


def test_platform_defaults_to_the_incumbent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", "assumptions:\n  incumbent_platform: cann\n" + MINIMAL)
    assert load_scenario("s.yaml").chips["h200"].platform == "cann"


def test_orders_may_be_absent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL)
    assert load_scenario("s.yaml").orders == ()


def test_explicit_name_wins_over_the_stem(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", "name: explicit\n" + MINIMAL)
    assert load_scenario("s.yaml").name == "explicit"


def test_values_in_every_syntax(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        assumptions:
          levy_pass_through: 50%
          electricity_usd_per_kwh: 0.08
          lifetime_years: 5
        chips:
          h200:
            price: 32000 USD
            levy_rate: 0.25
            levy_base: 80%
            tflops: {bf16: 989, fp8: 1_979}
            utilization: 40%
            power_w: 700
            host_cost: $12k
            supply_units: 1.5M
            as_of: 2026-01-15
            source: datasheet
        """)
    scenario = load_scenario("s.yaml")
    h200 = scenario.chips["h200"]
    assert h200.price_usd == 32000.0
    assert (h200.levy_rate, h200.levy_base, h200.utilization) == (0.25, 0.8, 0.4)
    assert dict(h200.tflops) == {"bf16": 989.0, "fp8": 1979.0}
    assert (h200.power_w, h200.host_cost_usd, h200.supply_units) == (700.0, 12e3, 1.5e6)
    assert h200.as_of == "2026-01-15" and h200.source == "datasheet"
    assert scenario.assumptions.levy_pass_through == 0.5
    assert scenario.assumptions.lifetime_years == 5.0


# An empty value is a key not given, everywhere ---------------------------------------------

def test_an_empty_value_is_the_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL + "    power_w:\n    supply_units: ~\n    levy_rate: null\n")
    chip = load_scenario("s.yaml").chips["h200"]
    assert (chip.power_w, chip.supply_units, chip.levy_rate) == (0.0, None, 0.0)  # the defaults


def test_an_empty_units_or_budget_is_not_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL + "orders:\n  - {chip: h200, units: 400k, budget: ~}\n"
                                        "  - {chip: h200, units: null, budget: $32M}\n")
    orders = load_scenario("s.yaml").orders
    assert [(o.units, o.budget_usd) for o in orders] == [(400e3, None), (None, 32e6)]


def test_an_empty_entry_is_no_entry(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        assumptions: {fx: {CNY: ~}}
        chips:
          h200: {price: $32k, tflops: {bf16: 989, fp8: null}}
          h20:
        platforms:
          cann:
          rocm: {migration_cost: 0}
        """)
    scenario = load_scenario("s.yaml")
    assert list(scenario.chips) == ["h200"] and list(scenario.platforms) == ["rocm"]
    assert dict(scenario.chips["h200"].tflops) == {"bf16": 989.0}
    assert dict(scenario.assumptions.fx) == {}


def test_an_empty_key_of_a_range_is_not_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL + "    levy_rate: {low: 10%, high: 30%, mode: ~, dist: ~}\n")
    assert load_scenario("s.yaml").ranges == (("chips.h200.levy_rate", Uncertain(0.1, 0.3)),)


def test_in_a_child_an_empty_value_removes_the_parents(family):
    write(Path("."), "remover.yaml", """\
        extends: parent.yaml
        chips:
          h200:
            levy_rate: ~
            tflops: {fp8: ~}
          ascend:
        orders:
          - {chip: h200, units: 1k}
        """)
    scenario = load_scenario("remover.yaml")
    assert list(scenario.chips) == ["h200"]
    assert scenario.chips["h200"].levy_rate == 0.0  # the default, not the parent's 25%
    assert dict(scenario.chips["h200"].tflops) == {"bf16": 989.0}


def test_entries_all_empty_are_no_entries(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", "chips:\n  h200:\n  h20: ~\n")
    assert problems_of("s.yaml") == ["s.yaml:2:3: chips: must list at least one entry"]


def test_an_order_whose_units_and_budget_are_empty_says_so(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL + "orders:\n  - {chip: h200, units: ~, budget: }\n")
    assert problems_of("s.yaml") == [
        "s.yaml:6:25: orders[0]: missing units or budget (units and budget are empty): give one, e.g. units: 400k"]


def test_an_order_of_an_empty_chip_names_no_chip(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL + "  h20:\norders:\n  - {chip: h20, units: 1}\n")
    assert problems_of("s.yaml") == ["s.yaml:7:12: orders[0].chip: no chip 'h20' in this scenario; did you mean 'h200'?"]


def test_a_range_with_an_empty_end_lacks_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL + "    levy_rate: {low: 10%, high: ~}\n")
    assert problems_of("s.yaml") == [
        "s.yaml:5:16: chips.h200.levy_rate: a range needs high, e.g. {low: 28k, high: 36k}"]


def test_money_in_a_currency_whose_rate_is_empty_has_no_rate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", "assumptions: {fx: {CNY: }}\nchips:\n  a: {price: ¥5k, tflops: {bf16: 1}}\n")
    assert problems_of("s.yaml") == ["s.yaml:3:14: chips.a.price: is in CNY, which has no exchange rate: add "
                                     "assumptions.fx.CNY (USD per CNY)"]
