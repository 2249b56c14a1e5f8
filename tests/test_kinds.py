"""Display kinds come from the definitions of the values, never from the spelling of their names."""

from __future__ import annotations

import pytest

from chipcalc.documents.compare import option_document, order_document
from chipcalc.kinds import Display, input_kind, kind_of
from chipcalc.loader import load_scenario
from chipcalc.model import compare
from chipcalc.paths import numeric_inputs
from chipcalc.spec import Kind

from .conftest import SCENARIOS


def test_every_input_has_the_kind_of_its_spec() -> None:
    scenario = load_scenario(SCENARIOS / "h200-2026.yaml")
    # a levy base is shown as the share it usually is (kinds._FROM_SPEC); a money one as money in tables
    expected = {Kind.MONEY: Display.MONEY, Kind.RATE: Display.RATE, Kind.NUMBER: Display.NUMBER,
                Kind.SHARE_OR_MONEY: Display.RATE}
    for path, spec, _ in numeric_inputs(scenario):
        assert kind_of(path) is expected[spec.kind], path


@pytest.mark.parametrize(("name", "kind"), [
    ("chips.h200.levy_rate", Display.RATE),
    ("chips.h200.price", Display.MONEY),
    ("orders[0].budget", Display.MONEY),
    ("assumptions.fx.CNY", Display.NUMBER),
    ("chips.h200.tflops.bf16", Display.NUMBER),
    ("tco_usd", Display.MONEY),
    ("vs_order", Display.RATE),
    ("units", Display.NUMBER),
    ("effective_levy_rate", Display.RATE),
    ("price_usd", Display.MONEY),                   # a chip's list price, as the chips JSON names it
    ("breakeven.levy_rate", Display.RATE),
    ("breakeven.price_usd", Display.MONEY),
    ("breakeven.demand_tflops.order_units", Display.NUMBER),
])
def test_kinds_of_inputs_and_outcomes(name: str, kind: Display) -> None:
    assert kind_of(name) is kind


def test_every_number_of_the_compare_json_has_a_kind() -> None:
    result = compare(load_scenario(SCENARIOS / "h200-2026.yaml"))
    order = order_document(result.orders[0])
    numbers = [key for key, value in order.items() if isinstance(value, float)]
    for option in result.orders[0].options:
        document = option_document(option)
        numbers += [key for key, value in document.items() if isinstance(value, float)]
        for name, breakeven in (document["breakeven"] or {}).items():
            numbers += [f"breakeven.{name}"] + [f"breakeven.{name}.{key}" for key in breakeven
                                                if key not in ("value", "reason", "pays")]
    assert numbers and all(isinstance(kind_of(name), Display) for name in numbers)


def test_a_levy_base_written_as_money_is_shown_as_money(write_scenario) -> None:
    scenario = load_scenario(write_scenario("chips:\n  a: {price: $30k, levy_base: $20k, tflops: {bf16: 1}}\n"
                                            "  b: {price: $30k, levy_base: 80%, tflops: {bf16: 1}}\n"))
    assert input_kind(scenario, "chips.a.levy_base") is Display.MONEY
    assert input_kind(scenario, "chips.b.levy_base") is Display.RATE
    assert input_kind(scenario, "chips.a.price") is Display.MONEY
    specs = {path: spec for path, spec, _ in numeric_inputs(scenario)}
    assert specs["chips.a.levy_base"].violation(20000) is None  # any positive amount, not a share up to 1
    assert specs["chips.b.levy_base"].violation(2.0) is not None


@pytest.mark.parametrize("name", ["made_up_usd", "something_rate", "chips.h200.nothing"])
def test_a_name_without_a_definition_is_not_guessed(name: str) -> None:
    with pytest.raises(KeyError):
        kind_of(name)
