"""The checks every analysis shares (chipcalc/analysis/common.py): each mistake's message, the default option."""

from __future__ import annotations

import pytest

from chipcalc.analysis.common import checked_order, default_option, order_index, switch_option
from chipcalc.errors import UsageError

# No power, host cost, levy or migration: an option's TCO is n_c × p_c with n_c = D / e_c,
# and D = 10 units × 10 TFLOP/s of a (utilisation 100%) = 100.
THREE = """\
chips:
  a: {{price: 1000, tflops: {{bf16: 10}}, utilization: 100%}}
  b: {{price: {b}, tflops: {{bf16: 20}}, utilization: 100%}}
  c: {{price: {c}, tflops: {{bf16: 5}}, utilization: 100%}}
orders:
  - {{name: first, chip: a, units: 10}}
  - {{name: second, chip: b, units: 1}}
"""


@pytest.fixture
def load(write_scenario):
    from chipcalc import load_scenario

    return lambda text: load_scenario(write_scenario(text))


@pytest.mark.parametrize(("b", "c", "expected"), [
    (1000, 1000, "b"),  # T_b = 100 / 20 × 1000 = 5,000; T_c = 100 / 5 × 1000 = 20,000
    (4000, 1000, "b"),  # T_b = 5 × 4000 = 20,000 = T_c: a tie goes to the first key
    (4000, 999, "c"),  # T_c = 20 × 999 = 19,980
])
def test_default_option_is_the_cheapest_other_chip(load, b, c, expected) -> None:
    assert default_option(load(THREE.format(b=b, c=c)), 0) == expected


def test_default_option_of_a_lone_chip_is_its_own(load) -> None:
    alone = load("chips:\n  a: {price: 1000, tflops: {bf16: 10}}\norders:\n  - {chip: a, units: 5}\n")
    assert default_option(alone, 0) == "a"
    with pytest.raises(UsageError, match=r"scenario.yaml has one chip only: add another to compare it with$"):
        switch_option(alone, None, 0)


def test_switch_option_checks_a_given_chip(load) -> None:
    scenario = load(THREE.format(b=1000, c=1000))
    assert switch_option(scenario, "c", 0) == "c"
    assert switch_option(scenario, None, 0) == "b"
    with pytest.raises(UsageError) as raised:
        switch_option(scenario, "bb", 0)
    assert str(raised.value) == "unknown option 'bb'; did you mean 'b'?; chips are: a, b, c"


def test_orders_by_name_and_by_index(load) -> None:
    scenario = load(THREE.format(b=1000, c=1000))
    assert (order_index(scenario, None), order_index(scenario, "second")) == (0, 1)
    assert checked_order(scenario, 1).name == "second"
    with pytest.raises(UsageError) as raised:
        order_index(scenario, "third")
    assert str(raised.value) == f"no order 'third' in {scenario.file}; orders: first, second"
    with pytest.raises(UsageError) as raised:
        checked_order(scenario, 2)
    assert str(raised.value) == "no order 2 in this scenario; orders are numbered from 0: 0 (first), 1 (second)"
