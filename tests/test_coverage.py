"""Behaviour the rest of the suite left unexercised in the loader, the values and the scenario paths.

Each test pins one real behaviour with its exact message or a value worked out
by hand: keys YAML does not write as text, control characters, unreadable
paths, `--set` paths that run past a value, dates with a time, binary values,
exchange-rate changes with several currencies, and values read by path.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chipcalc.errors import ScenarioError, UsageError
from chipcalc.loader import load_scenario
from chipcalc.loader.marks import parse_yaml
from chipcalc.paths import value_at, with_values
from chipcalc.values import human_number

EXACT = 1e-12


@pytest.fixture
def scenario_file(write_scenario):
    """conftest's writer, under the name these tests use."""
    return write_scenario


def problems(error: pytest.ExceptionInfo) -> list[str]:
    return [str(problem) for problem in error.value.problems]


# Keys YAML does not write as text ----------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where"),
    [
        pytest.param("? [a, b]\n: 1\n", "f.yaml:1:3", id="a list as a key"),
        pytest.param("name: x\n? {a: 1}\n: 1\n", "f.yaml:2:3", id="a mapping as a key"),
    ],
)
def test_a_key_that_is_a_list_or_mapping_is_refused_where_it_is_written(text, where):
    with pytest.raises(ScenarioError) as error:
        parse_yaml(text, "f.yaml")
    assert problems(error) == [f"{where}: invalid YAML: a key must be a plain word, not a mapping or list"]


def test_number_and_boolean_keys_become_their_text():
    # 1 -> "1", 2.5 -> "2.5", and YAML 1.1's booleans (on, yes, True) -> "true", lower case
    tree = parse_yaml("1: a\n2.5: b\non: c\n", "f.yaml")
    assert dict(tree) == {"1": "a", "2.5": "b", "true": "c"}


def test_two_spellings_of_true_as_keys_are_a_duplicate():
    # `True` and `yes` both read as the key "true": YAML would keep only the second
    with pytest.raises(ScenarioError) as error:
        parse_yaml("name: x\nTrue: 1\nyes: 2\n", "f.yaml")
    assert problems(error) == [
        "f.yaml:3:1: true: duplicate key 'true' (first given at line 2); "
        "YAML would silently keep only the last one: remove one of them"
    ]


def test_a_numeric_chip_key_is_the_text_the_orders_name_it_by(scenario_file):
    path = scenario_file("""\
        chips:
          1: {price: 1000, tflops: {bf16: 10}}
        orders:
          - {chip: 1, units: 3}
        """)
    scenario = load_scenario(path)
    assert list(scenario.chips) == ["1"]
    assert scenario.chips["1"].name == "1"
    assert scenario.orders[0].chip == "1"


# Characters and files the loader cannot read ----------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "code"),
    [
        pytest.param("name: a\x07b\n", "f.yaml:1:8", "0007", id="bell on line 1"),
        pytest.param("name: ok\ntitle: a\x1bb\n", "f.yaml:2:9", "001B", id="escape on line 2"),
    ],
)
def test_a_control_character_is_reported_at_its_line_and_column(text, where, code):
    with pytest.raises(ScenarioError) as error:
        parse_yaml(text, "f.yaml")
    assert problems(error) == [f"{where}: invalid YAML: the control character U+{code} is not allowed: remove it"]


def test_nesting_that_libyaml_accepts_but_python_cannot_build_is_reported():
    # libyaml refuses more than 1000 levels; 900 nested lists parse, and building them recurses
    # past Python's limit of 1000 frames (several frames a level)
    depth = 900
    with pytest.raises(ScenarioError) as error:
        parse_yaml("[" * depth + "]" * depth, "f.yaml")
    assert problems(error) == ["f.yaml:1:1: is nested too deeply to be a scenario"]


def test_a_disallowed_tag_after_a_list_is_named_by_its_path():
    # the path is found by walking the composed document past the list of orders
    text = "orders:\n  - {chip: a}\n  - [1]\nname: !!python/object x\n"
    with pytest.raises(ScenarioError) as error:
        parse_yaml(text, "f.yaml")
    assert problems(error) == [
        "f.yaml:4:7: name: the tag !!python/object is not allowed: scenario files may use only plain YAML "
        "values (numbers, text, lists, mappings)"
    ]


def test_a_path_through_a_file_cannot_be_read(tmp_path: Path):
    # a file used as a directory: neither missing nor forbidden, so the system's reason is given
    (tmp_path / "plain.yaml").write_text("chips: {}\n", encoding="utf-8")
    path = tmp_path / "plain.yaml" / "scenario.yaml"
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    assert problems(error) == [f"{path}: cannot be read (Not a directory)"]
    assert error.value.unreadable


# --set paths that run past a value ---------------------------------------------------------

ONE_CHIP = """\
chips:
  x: {price: 1000, tflops: {bf16: 10}}
orders:
  - {chip: x, units: 1}
"""


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        pytest.param("chips.x.price.extra=1", "--set chips.x.price.extra: no such path in a scenario; "
                     "nearest valid paths: chips.x.price, chips.x.source, chips.x.power_draw", id="below a number"),
        pytest.param("chips.x.name.first=a", "--set chips.x.name.first: no such path in a scenario; "
                     "nearest valid paths: chips.x.name, chips.x.as_of, chips.x.memory_gb", id="below a text"),
    ],
)
def test_set_below_a_single_value_is_no_such_path(scenario_file, assignment, message):
    path = scenario_file(ONE_CHIP)
    with pytest.raises(UsageError) as error:
        load_scenario(path, [assignment])
    assert str(error.value) == message.replace("a scenario", str(path))


# Values of particular YAML types ---------------------------------------------------------


def test_a_date_with_a_time_keeps_its_date(scenario_file):
    path = scenario_file("""\
        chips:
          x: {price: 1000, tflops: {bf16: 10}, as_of: 2026-01-15 10:30:00}
        orders:
          - {chip: x, units: 1, as_of: 2026-02-01T23:59:59Z}
        """)
    scenario = load_scenario(path)
    assert scenario.chips["x"].as_of == "2026-01-15"
    assert scenario.orders[0].as_of == "2026-02-01"


def test_binary_data_is_not_an_amount_of_money(scenario_file):
    path = scenario_file("""\
        chips:
          x: {price: !!binary aGVsbG8=, tflops: {bf16: 10}}
        orders:
          - {chip: x, units: 1}
        """)
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    assert problems(error) == [  # column 14: after "  x: {price: "
        f"{path}:2:14: chips.x.price: must be an amount of money such as $32k, ¥200k or 200k CNY (got binary data)"
    ]


def test_human_number_of_nothing_is_a_dash():
    assert human_number(None) == "-"


# Values by path -------------------------------------------------------------------------

TWO_CURRENCIES = """\
assumptions:
  fx: {CNY: 0.14, EUR: 1.1}
chips:
  x: {price: 200k CNY, host_cost: 10k EUR, tflops: {bf16: 10}}
  y: {price: 20k EUR, tflops: {bf16: 10}}
orders:
  - {chip: x, budget: ¥7M}
  - {chip: y, units: 400k}
"""


def test_changing_one_exchange_rate_rescales_only_its_currency(scenario_file):
    scenario = load_scenario(scenario_file(TWO_CURRENCIES))
    changed = with_values(scenario, {"assumptions.fx.CNY": 0.28})
    assert changed.assumptions.fx == {"CNY": 0.28, "EUR": 1.1}
    # CNY amounts: written amount * new rate
    assert changed.chips["x"].price_usd == pytest.approx(200_000 * 0.28, rel=EXACT)
    assert changed.orders[0].budget_usd == pytest.approx(7e6 * 0.28, rel=EXACT)
    # EUR amounts: untouched, to the bit
    assert changed.chips["x"].host_cost_usd == scenario.chips["x"].host_cost_usd == pytest.approx(10_000 * 1.1)
    assert changed.chips["y"].price_usd == scenario.chips["y"].price_usd == pytest.approx(20_000 * 1.1)


def test_value_at_reads_through_the_list_of_orders(scenario_file):
    scenario = load_scenario(scenario_file(TWO_CURRENCIES))
    assert value_at(scenario, "orders[1].units") == 400_000
    assert value_at(scenario, "orders[0].budget") == pytest.approx(7e6 * 0.14, rel=EXACT)
    assert value_at(scenario, "orders[1].chip") == "y"
    with pytest.raises(IndexError):
        value_at(scenario, "orders[2].units")
