"""Tests that kill mutants mutmut found surviving in the model and the loader.

Run with `mutmut run` (config in pyproject.toml). Each test asserts real
behaviour with an expectation computed by hand from MODEL.md or an exact message.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from chipcalc.loader import load_scenario
from chipcalc.model import compare

EXACT = 1e-12


def approx(value: float):
    return pytest.approx(value, rel=EXACT)


@pytest.fixture
def scenario_file(tmp_path):
    """`scenario_file(yaml_text)` -> the path of a scenario file holding it."""
    count = iter(range(1_000_000))

    def write(text: str) -> Path:
        path = tmp_path / f"scenario-{next(count)}.yaml"
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


# The model ------------------------------------------------------------------

PAIR = """\
assumptions:
  levy_pass_through: {t}
platforms:
  cann: {{migration_cost: {migration}}}
chips:
  a: {a}
  c: {c}
orders:
  - chip: a
    units: {units}
"""


def breakeven_of(scenario_file, a: str, c: str, field: str, *, t: float = 0, units: float = 1000,
                 migration: str = "1M"):
    path = scenario_file(PAIR.format(a=a, c=c, t=t, units=units, migration=migration))
    found = next(o for o in compare(load_scenario(path)).orders[0].options if o.chip == "c")
    return getattr(found.breakeven, field)


def test_compare_keeps_the_scenario_it_evaluated(scenario_file):
    scenario = load_scenario(scenario_file(PAIR.format(
        a="{price: 20000, tflops: {bf16: 100}}", c="{price: 10000, tflops: {bf16: 100}}",
        t=0, units=1000, migration="1M")))
    assert compare(scenario).scenario is scenario


def test_demand_breakeven_with_den_below_one_dollar_per_tflops(scenario_file):
    # k_a/e_a = 150/100 = 1.5, k_c/e_c = 100/100 = 1.0: den = 0.5 (> 0 but < 1); num = M_c - M_a = 1M
    found = breakeven_of(scenario_file, "{price: 150, tflops: {bf16: 100}}",
                         "{platform: cann, price: 100, tflops: {bf16: 100}}", "demand_tflops")
    assert (found.value, found.reason, found.pays) == (approx(1e6 / 0.5), None, "above")
    assert found.order_units == approx(1e6 / 0.5 / 100)


def test_demand_breakeven_always_with_den_below_one(scenario_file):
    # den = 0.5 > 0 and num = 0 (both on the incumbent): switching pays at every demand
    found = breakeven_of(scenario_file, "{price: 150, tflops: {bf16: 100}}",
                         "{price: 100, tflops: {bf16: 100}}", "demand_tflops")
    assert (found.value, found.reason, found.pays, found.order_units) == (None, "always", None, None)


def test_demand_breakeven_with_num_below_one_dollar(scenario_file):
    # den = 20000/100 - 10000/100 = 100; num = M_c = $0.50: D* = 0.005 TFLOP/s, pays above
    found = breakeven_of(scenario_file, "{price: 20000, tflops: {bf16: 100}}",
                         "{platform: cann, price: 10000, tflops: {bf16: 100}}", "demand_tflops",
                         migration="0.5")
    assert (found.value, found.reason, found.pays) == (approx(0.5 / 100), None, "above")


def test_price_breakeven_of_exactly_zero_is_on_the_edge(scenario_file):
    # T_a = 1000 * 20000 = 2e7; n_c = 1000; b* = (2e7 - 1e6) / 1000 - 0 - 19000 = 0: on the edge of the
    # positive prices, so in range (MODEL.md: within 1e-9 of the list price of the edge)
    found = breakeven_of(scenario_file, "{price: 20000, tflops: {bf16: 100}}",
                         "{platform: cann, price: 10000, tflops: {bf16: 100}, host_cost: 19000}", "price_usd")
    assert (found.value, found.reason) == (0.0, None)


def test_price_breakeven_just_below_the_edge_is_out_of_range(scenario_file):
    # b* = (2e7 - 1e6) / 1000 - 19000.001 = -0.001, beyond 1e-9 of the $10k list price
    found = breakeven_of(scenario_file, "{price: 20000, tflops: {bf16: 100}}",
                         "{platform: cann, price: 10000, tflops: {bf16: 100}, host_cost: 19000.001}", "price_usd")
    assert found.value == pytest.approx(-0.001, rel=1e-6) and found.reason == "out of range"


def test_price_breakeven_below_one_dollar_is_in_range(scenario_file):
    # b* = (2e7 - 1e6) / 1000 - 18999.5 = 0.5; t = 0 so p* = b* = $0.50, a valid (positive) price
    found = breakeven_of(scenario_file, "{price: 20000, tflops: {bf16: 100}}",
                         "{platform: cann, price: 10000, tflops: {bf16: 100}, host_cost: 18999.5}",
                         "price_usd")
    assert (found.value, found.reason) == (0.5, None)


# The loader -------------------------------------------------------------------

from chipcalc.errors import ScenarioError, UsageError  # noqa: E402
from chipcalc.loader import parse_input  # noqa: E402


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    return [str(problem) for problem in error.value.problems]


def invalid(tmp_path, monkeypatch, text: str) -> list[str]:
    """The problems of a file s.yaml holding `text`, labelled as the user named it."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    return problems(Path("s.yaml"))


CHIP = "{price: 1, tflops: {bf16: 1}}"


@pytest.mark.parametrize(("text", "expected"), [
    pytest.param("chips: [a, b]\n", ["s.yaml:1:8: chips: must be a mapping of chips by key (got a list)"],
                 id="chips a list"),
    pytest.param("chips: {}\n", ["s.yaml:1:8: chips: must list at least one entry"], id="chips empty"),
    pytest.param(f"assumptions: 5\nchips:\n  a: {CHIP}\n",
                 ["s.yaml:1:14: assumptions: must be a mapping with keys such as precision, lifetime_years, "
                  "electricity_usd_per_kwh, pue (got 5)"], id="assumptions a number"),
    pytest.param(f"chips:\n  'h 200': {CHIP}\n  'a b': {CHIP}\n  ok: {CHIP}\n",
                 ["s.yaml:2:12: chips.h 200: a key may use only letters, digits, '_' and '-'",
                  "s.yaml:3:10: chips.a b: a key may use only letters, digits, '_' and '-'"],
                 id="every bad chip key, each at its value"),
    pytest.param(f"chips:\n  a: {CHIP}\norders: {{chip: a}}\n",
                 ["s.yaml:3:9: orders: must be a list of orders (got a mapping)"], id="orders a mapping"),
    pytest.param("chips:\n  a: {price: 1, tflops: [1, 2]}\n",
                 ["s.yaml:2:25: chips.a.tflops: must be a mapping of precision to numbers, e.g. "
                  "{bf16: 989, fp8: 1979} (got a list)"], id="tflops a list"),
    pytest.param(f"assumptions:\n  fx: [1]\nchips:\n  a: {CHIP}\n",
                 ["s.yaml:2:7: assumptions.fx: must be a mapping of currency to numbers, e.g. {CNY: 0.139} "
                  "(got a list)"], id="fx a list"),
    pytest.param("chips:\n  a: {price: 1, tflops: {bf16: 1, xx99: 2, fp88: 3}}\n",
                 ["s.yaml:2:41: chips.a.tflops.xx99: unknown precision; "
                  "one of fp64, tf32, fp16, bf16, fp8, int8, fp4",
                  "s.yaml:2:50: chips.a.tflops.fp88: unknown precision; did you mean 'fp8'?"],
                 id="every unknown precision"),
    pytest.param(f"assumptions:\n  fx: {{cny: 0.1, EURO: 1, JPY: 0.01}}\nchips:\n  a: {CHIP}\n",
                 ["s.yaml:2:13: assumptions.fx.cny: a currency must be a three-letter code such as CNY",
                  "s.yaml:2:24: assumptions.fx.EURO: a currency must be a three-letter code such as CNY"],
                 id="every bad currency code"),
    pytest.param("chips:\n  a: {price: 1, tflops: {bf16: 1}, vendor: [x]}\n",
                 ["s.yaml:2:44: chips.a.vendor: must be text (got a list)"], id="text given a list"),
    pytest.param("chips:\n  a: {price: 1, tflops: {bf16: 1}, vendor: true}\n",
                 ["s.yaml:2:44: chips.a.vendor: must be text (got true)"], id="text given a boolean"),
    pytest.param("chips:\n  a: {price: , tflops: {bf16: 1}}\n", ["s.yaml:2:14: chips.a.price: is required"],
                 id="required key given no value"),
    pytest.param("chips:\n  a: {tflops: {bf16: 1}}\n",
                 ["s.yaml:2:6: chips.a.price: missing required key 'price'"],
                 id="required key missing"),
    pytest.param("chips:\n  a: {price: {low: 1, high: 2, lo: 3, hi: 4}, tflops: {bf16: 1}}\n",
                 ["s.yaml:2:14: chips.a.price: unknown key 'lo' in a range; a range has low, high, "
                  "and optionally mode and dist"], id="range with unknown keys"),
    pytest.param("chips:\n  a: {price: {mode: 1}, tflops: {bf16: 1}}\n",
                 ["s.yaml:2:14: chips.a.price: a range needs low and high, e.g. {low: 28k, high: 36k}"],
                 id="range without low and high"),
    pytest.param("chips:\n  a: {price: {low: 2, high: 2}, tflops: {bf16: 1}}\n",
                 ["s.yaml:2:14: chips.a.price: a range's low must be below its high"], id="range low = high"),
    pytest.param("chips:\n  a: {price: {low: 1, mode: 2, high: 3, dist: uniform}, tflops: {bf16: 1}}\n",
                 ["s.yaml:2:14: chips.a.price: mode applies only to a triangular range "
                  "(this one is uniform)"],
                 id="mode on a uniform range"),
    pytest.param("chips:\n  a: {price: 1, tflops: {bf16: 1}, "
                 "host_cost: {low: 0, high: 3, dist: lognormal}}\n",
                 ["s.yaml:2:47: chips.a.host_cost: a lognormal range needs a positive low"],
                 id="lognormal range from 0"),
    pytest.param("assumptions:\n  fx: {CNY: 0.139}\nchips:\n  a: {price: ¥1e-9, tflops: {bf16: 1}}\n",
                 ["s.yaml:4:14: chips.a.price: is $1.39e-10 at assumptions.fx.CNY: too small to compute with "
                  "(use 0 or a size from 1e-9 to 1e15 in USD)"], id="money too small once converted"),
    pytest.param("assumptions:\n  fx: {EUR: 1.1}\nchips:\n  a: {price: 1e15 EUR, tflops: {bf16: 1}}\n",
                 ["s.yaml:4:14: chips.a.price: is $1.1e+15 at assumptions.fx.EUR: too large to compute with "
                  "(use 0 or a size from 1e-9 to 1e15 in USD)"], id="money too large once converted"),
    pytest.param("# a list is not a scenario\n\n- a\n- b\n",
                 ["s.yaml:3:1: must be a mapping of keys (name, assumptions, chips, orders, ...), not a list"],
                 id="a list at the top, where it starts"),
    pytest.param("name: 'unclosed",
                 ["s.yaml:1:16: invalid YAML: found unexpected end of stream (while scanning a quoted scalar "
                  "that starts at line 1, column 7)"], id="error at the end of a last line without newline"),
    pytest.param("chips:\n  a:\n\tprice: 1\n",
                 ["s.yaml:3:1: invalid YAML: found character that cannot start any token "
                  "(indent with spaces: YAML does not allow tabs)"], id="a tab for indentation"),
])
def test_loader_messages(tmp_path, monkeypatch, text, expected):
    assert invalid(tmp_path, monkeypatch, text) == expected


def test_range_mode_may_equal_its_high(scenario_file):
    chip = load_scenario(scenario_file(
        "chips:\n  a: {price: {low: 1, mode: 2, high: 2}, tflops: {bf16: 1}}\n")).chips["a"]
    assert chip.price_usd == 2


def test_exchange_rates_written_as_ranges_convert_at_their_point_values(scenario_file):
    scenario = load_scenario(scenario_file("""\
        assumptions:
          fx: {CNY: {low: 0.1, high: 0.2}, EUR: {low: 1, mode: 1.5, high: 3}, JPY: 0.005 to 0.015}
        chips:
          a: {price: 100 CNY, tflops: {bf16: 1}, host_cost: 10 EUR}
          b: {price: 1000 JPY, tflops: {bf16: 1}}
        """))
    # CNY: the middle of 0.1..0.2; EUR: the mode; JPY: the middle of 0.005..0.015
    assert scenario.chips["a"].price_usd == approx(100 * 0.15)
    assert scenario.chips["a"].host_cost_usd == approx(10 * 1.5)
    assert scenario.chips["b"].price_usd == approx(1000 * 0.01)
    assert scenario.currencies == {"chips.a.price": "CNY", "chips.a.host_cost": "EUR", "chips.b.price": "JPY"}


def test_origins_mark_each_chip_order_and_number(scenario_file):
    path = scenario_file("chips:\n  a: {price: 1, tflops: {bf16: 1}}\norders:\n  - {chip: a, units: 1}\n")
    origins = load_scenario(path).origins
    assert (origins["chips.a"].line, origins["chips.a"].column) == (2, 6)
    assert (origins["orders[0]"].line, origins["orders[0]"].column) == (4, 5)
    assert (origins["chips.a.tflops.bf16"].line, origins["chips.a.tflops.bf16"].column) == (2, 32)


@pytest.fixture
def with_fx(scenario_file):
    return load_scenario(scenario_file(
        "assumptions:\n  fx: {CNY: 0.15}\nchips:\n  a: {price: 1, tflops: {bf16: 1}}\n"))


@pytest.mark.parametrize(("path", "text", "expected"), [
    ("chips.a.price", "¥200k", 200_000 * 0.15),
    ("chips.a.price", " 1.5M ", 1.5e6),
    ("chips.a.levy_rate", "25%", 0.25),
    ("orders[0].units", "400k", 400_000),
])
def test_parse_input(with_fx, path, text, expected):
    assert parse_input(with_fx, path, text) == approx(expected)


@pytest.mark.parametrize(("path", "text", "message"), [
    ("chips.a.name", "x", "chips.a.name: not a numeric input"),
    ("chips.zz", "1", "chips.zz: not a numeric input of a scenario; write it as in error messages, "
                      "e.g. chips.h200.levy_rate"),
    ("chips.a.price", "abc",
     "chips.a.price: 'abc' must be an amount of money such as $32k, ¥200k or 200k CNY (got 'abc')"),
    ("chips.a.price", "5 GBP", "chips.a.price: '5 GBP' is in GBP, which has no exchange rate: add "
                               "assumptions.fx.GBP (USD per GBP)"),
])
def test_parse_input_refuses(with_fx, path, text, message):
    with pytest.raises(UsageError) as error:
        parse_input(with_fx, path, text)
    assert str(error.value) == message


def test_extends_keeps_the_child_file_marks(tmp_path, monkeypatch):
    # the merged tree is marked in the child: a missing key at its top, an unknown key at that key
    monkeypatch.chdir(tmp_path)
    (tmp_path / "parent.yaml").write_text("name: p\n", encoding="utf-8")
    (tmp_path / "child.yaml").write_text("extends: parent.yaml\nchipz: 1\n", encoding="utf-8")
    assert problems(Path("child.yaml")) == [
        "child.yaml:1:1: chips: missing required key 'chips'",
        "child.yaml:2:1: chipz: unknown key; did you mean 'chips'?",
    ]


def test_order_without_a_chip_is_one_problem(tmp_path, monkeypatch):
    text = f"chips:\n  h200: {CHIP}\norders:\n  - {{units: 1}}\n"
    assert invalid(tmp_path, monkeypatch, text) == ["s.yaml:4:5: orders[0].chip: missing required key 'chip'"]


def test_yaml_merge_of_a_scalar(tmp_path, monkeypatch):
    text = "chips:\n  h200: {<<: 1, price: 1, tflops: {bf16: 1}}\n"
    assert invalid(tmp_path, monkeypatch, text) == [
        "s.yaml:2:14: chips.h200.<<: expected a mapping or list of mappings for merging, but found scalar"]


@pytest.mark.parametrize(("text", "expected"), [
    (f"chips:\n  h200: {CHIP}\norders:\n  - !!python/name:os.system x\n", "s.yaml:4:5: orders[0]: "),
    ("- !!python/name:os.system x\n", "s.yaml:1:3: [0]: "),
])
def test_refused_tag_inside_a_list_is_located(tmp_path, monkeypatch, text, expected):
    assert invalid(tmp_path, monkeypatch, text) == [
        expected + "the tag !!python/name:os.system is not allowed: scenario files may use only plain YAML "
                   "values (numbers, text, lists, mappings)"]


def test_alias_bomb_message_is_not_called_invalid_yaml(tmp_path, monkeypatch):
    # 10 ones, then five levels of 10 aliases each: 10**6 values
    text = "a: &a [1,1,1,1,1,1,1,1,1,1]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]\n" for i in range(5))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_scenario(Path("s.yaml"))
    [problem] = error.value.problems
    assert str(problem) == ("s.yaml:5:4: expands to more than 100,000 values (through YAML aliases); "
                            "a scenario is far smaller")
    assert problem.path == ""


@pytest.mark.parametrize("nesting", ["list", "mapping"])
def test_values_are_counted_exactly_up_to_the_bound(nesting):
    # The top mapping, the key's collection and its items: 1 + 1 + items values, through either kind.
    from chipcalc.loader.marks import MAX_VALUES, parse_yaml

    def text(items: int) -> str:
        if nesting == "list":
            return "x: [" + ", ".join(["1"] * items) + "]\n"
        return "x: {" + ", ".join(f"k{i}: 1" for i in range(items)) + "}\n"

    assert len(parse_yaml(text(MAX_VALUES - 2), "s.yaml")["x"]) == MAX_VALUES - 2
    with pytest.raises(ScenarioError, match="expands to more than 100,000 values"):
        parse_yaml(text(MAX_VALUES - 1), "s.yaml")


# --set

def set_problems(path: Path, *sets: str) -> list[str]:
    with pytest.raises(ScenarioError) as error:
        load_scenario(path, list(sets))
    return [str(problem) for problem in error.value.problems]


def set_refused(path: Path, *sets: str) -> str:
    with pytest.raises(UsageError) as error:
        load_scenario(path, list(sets))
    return str(error.value)


BASE = f"chips:\n  h200: {CHIP}\n"
ONE_ORDER = BASE + "orders:\n  - {chip: h200, units: 1}\n"


def test_set_keeps_the_file_mark_of_the_top(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text("name: x\n", encoding="utf-8")
    assert set_problems(Path("s.yaml"), "name=y") == ["s.yaml:1:1: chips: missing required key 'chips'"]


def test_set_value_that_looks_like_a_date_stays_text(scenario_file):
    assert set_problems(scenario_file(BASE), "chips.h200.price=2026-01-15") == [
        "--set:1:18: chips.h200.price: must be an amount of money such as $32k, ¥200k or 200k CNY "
        "(got '2026-01-15')"]


def test_set_mapping_values_are_marked_at_the_set(scenario_file):
    assert set_problems(scenario_file(BASE), "chips.h200={price: abc, tflops: {bf16: 1}}") == [
        "--set:1:9: chips.h200.price: must be an amount of money such as $32k, ¥200k or 200k CNY "
        "(got 'abc')"]


def test_set_list_item_is_marked_at_the_set(scenario_file):
    assert set_problems(scenario_file(ONE_ORDER), "orders[0]=5") == [
        "--set:1:11: orders[0]: must be a mapping with keys such as name, chip, units, budget (got 5)"]


def test_set_creates_missing_sections(scenario_file):
    scenario = load_scenario(scenario_file(BASE), ["assumptions.fx.CNY=0.1", "chips.h200.price=1000 CNY"])
    assert scenario.assumptions.fx == {"CNY": 0.1}
    assert scenario.chips["h200"].price_usd == approx(100)


NO_PATH = "no such path in a scenario"
"""Stands for `no such path in FILE`, the file being the test's own."""
ORDER_0 = "nearest valid paths: orders[0].units, orders[0].budget, orders[0].name"


@pytest.mark.parametrize(("text", "assignment", "message"), [
    (ONE_ORDER, "orders[1].units=1",
     f"--set orders[1].units: {NO_PATH}; {ORDER_0}"),
    (BASE, "orders[0].units=1", f"--set orders[0].units: {NO_PATH}"),
    # orders written as a mapping has no orders[0] to suggest
    (BASE + "orders: {a: 1}\n", "orders[0].units=1", f"--set orders[0].units: {NO_PATH}"),
    (BASE, "assumptions.fx.cny=0.1",
     f"--set assumptions.fx.cny: {NO_PATH}; nearest valid paths: assumptions.pue, assumptions.precision, "
     "assumptions.discount_rate"),
    ("assumptions:\n  fx: {CNY: 0.1}\n" + BASE, "assumptions.fx.CNYY=0.1",
     f"--set assumptions.fx.CNYY: {NO_PATH}; nearest valid paths: assumptions.fx.CNY, assumptions.pue, "
     "assumptions.precision"),
    (BASE, "chips.h200.tflops.fp9=1",
     f"--set chips.h200.tflops.fp9: {NO_PATH}; nearest valid paths: chips.h200.tflops.fp8, "
     "chips.h200.tflops.fp4, chips.h200.tflops.fp64"),
    (BASE, "zzzzzzzz=1", f"--set zzzzzzzz: {NO_PATH}"),
    (BASE, "chips.h200.levyrat=1",
     f"--set chips.h200.levyrat: {NO_PATH}; nearest valid paths: chips.h200.levy_rate, chips.h200.levy_base, "
     "chips.h200.platform"),
    # similarity 0.59 to chips.h200.price and .as_of: still suggested (the cutoff is 0.5)
    (BASE, "chips.h200.zzzzzzzzzz=1",
     f"--set chips.h200.zzzzzzzzzz: {NO_PATH}; nearest valid paths: chips.h200.name, chips.h200.price, "
     "chips.h200.as_of"),
])
def test_set_refuses_paths(scenario_file, text, assignment, message):
    path = scenario_file(text)
    assert set_refused(path, assignment) == message.replace(NO_PATH, f"no such path in {path}")


# Cross-checks of chips

def test_chip_with_no_precision_at_all(tmp_path, monkeypatch):
    assert invalid(tmp_path, monkeypatch, "chips:\n  a: {price: 1, tflops: {}}\n") == [
        "s.yaml:2:25: chips.a.tflops: must give at least one precision"]


def test_missing_precision_is_reported_beside_other_problems(tmp_path, monkeypatch):
    text = "chips:\n  a: {price: 1, tflops: {fp8: 1}}\n  b: {price: -1, tflops: {bf16: 1}}\n"
    assert invalid(tmp_path, monkeypatch, text) == [
        "s.yaml:2:25: chips.a.tflops: has no bf16 entry, the scenario's precision: add tflops.bf16 or change "
        "assumptions.precision",
        "s.yaml:3:14: chips.b.price: must be positive (got -$1)",
    ]


def test_problems_on_one_line_are_sorted_by_column(tmp_path, monkeypatch):
    # the unknown key is found first, but the bad price is written before it on the line
    problems_found = invalid(tmp_path, monkeypatch, "chips:\n  a: {tflops: {bf16: 1}, price: -1, zzz: 1}\n")
    assert [problem.split(": ")[0] for problem in problems_found] == ["s.yaml:2:33", "s.yaml:2:37"]
    assert problems_found[0] == "s.yaml:2:33: chips.a.price: must be positive (got -$1)"


def test_unparsable_exchange_rate_is_reported_where_it_is_used_too(scenario_file):
    path = scenario_file("assumptions:\n  fx: {CNY: abc}\nchips:\n  a: {price: 100 CNY, tflops: {bf16: 1}}\n")
    with pytest.raises(ScenarioError) as error:
        load_scenario(path)
    assert [problem.path for problem in error.value.problems] == ["assumptions.fx.CNY", "chips.a.price"]


def test_orders_are_not_checked_against_chips_that_are_not_a_mapping(tmp_path, monkeypatch):
    # the one problem is the chips list: no "no chip 'b'" on top of it
    text = "chips: [a]\norders:\n  - {chip: b, units: 1}\n"
    assert invalid(tmp_path, monkeypatch, text) == [
        "s.yaml:1:8: chips: must be a mapping of chips by key (got a list)"]


# Whole-file problems: where they are, and no path ---------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("\x01name: a\n", "s.yaml:1:1"),  # at the very start
    ("\n\x01\n\x01\n", "s.yaml:2:1"),  # the first of two, just after a newline at the start
])
def test_control_characters_are_located(tmp_path, monkeypatch, text, expected):
    assert invalid(tmp_path, monkeypatch, text) == [
        f"{expected}: invalid YAML: the control character U+0001 is not allowed: remove it"]


def test_a_byte_that_is_not_utf8_just_after_a_newline_at_the_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_bytes(b"\n\xff")
    assert problems(Path("s.yaml")) == ["s.yaml:2:1: is not UTF-8 text: save the file as UTF-8"]


def test_a_file_of_exactly_the_size_limit_is_read(tmp_path, monkeypatch):
    from chipcalc.loader.sources import MAX_FILE_BYTES

    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_bytes(b"#" * (MAX_FILE_BYTES - 1) + b"\n")
    assert problems(Path("s.yaml")) == ["s.yaml:1:1: is empty: a scenario needs at least `chips:`"]
    (tmp_path / "s.yaml").write_bytes(b"#" * MAX_FILE_BYTES + b"\n")  # one byte over: 10 MiB, rounded
    assert problems(Path("s.yaml")) == ["s.yaml: is more than 10 MiB; a scenario file may be at most 10 MiB"]


DEEP = "".join("  " * depth + f"k{depth}:\n" for depth in range(900)).encode()
"""900 levels: within libyaml's limit of 1,000, beyond what Python's recursion can construct."""


@pytest.mark.parametrize("content", [
    b"", b"# only a comment\n", b"hello\n", b"- a\n", b"a\0b", b"\xff", b"\x01", b"a: 'b", b"[" * 2000, DEEP,
], ids=["empty", "comment", "a string", "a list", "binary", "not UTF-8", "control", "bad YAML", "too deep",
        "too deep to construct"])
def test_whole_file_problems_have_an_empty_path(tmp_path, monkeypatch, content):
    # validate -f json shows "path": "" for these, never null
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_bytes(content)
    with pytest.raises(ScenarioError) as error:
        load_scenario(Path("s.yaml"))
    assert [problem.path for problem in error.value.problems] == [""]


@pytest.mark.parametrize("name", ["missing.yaml", "."])
def test_unreadable_files_have_an_empty_path(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ScenarioError) as error:
        load_scenario(Path(name))
    assert [problem.path for problem in error.value.problems] == [""]
    assert error.value.unreadable


def test_an_unknown_chip_with_nothing_close_lists_the_chips(tmp_path, monkeypatch):
    text = f"chips:\n  a: {CHIP}\n  b: {CHIP}\norders:\n  - {{chip: zzz, units: 1}}\n"
    assert invalid(tmp_path, monkeypatch, text) == [
        "s.yaml:5:12: orders[0].chip: no chip 'zzz' in this scenario; chips: a, b"]


def test_set_splits_at_the_first_equals_sign(scenario_file):
    from chipcalc.loader import ScenarioLoader

    path = scenario_file(f"chips:\n  a: {CHIP}\n")
    assert ScenarioLoader().load(str(path), ["title=x=y"]).title == "x=y"  # (a name may not hold "=")


@pytest.mark.parametrize("text", ["name: x\n", "chips: [a]\n", "chips: 5\n"], ids=["no chips", "a list", "a number"])
def test_set_into_chips_that_are_not_a_mapping_is_no_such_path(scenario_file, text):
    from chipcalc.loader import ScenarioLoader

    path = scenario_file(text)
    with pytest.raises(UsageError) as error:
        ScenarioLoader().load(str(path), ["chips.a.price=1"])
    assert str(error.value) == f"--set chips.a.price: no such path in {path}"


def test_an_unreadable_parent_is_reported_where_extends_names_it(tmp_path, monkeypatch):
    (tmp_path / "sub").mkdir()
    text = "extends: sub\nchips:\n  a: {price: 1, tflops: {bf16: 1}}\n"
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as error:
        load_scenario(Path("s.yaml"))
    assert [(str(p), p.path) for p in error.value.problems] == [
        ("s.yaml:1:10: extends: sub is a directory, not a scenario file", "extends")]
    assert not error.value.unreadable  # the child was read: its problem is an invalid scenario


def test_a_file_that_states_its_size_is_refused_with_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with open("s.yaml", "wb") as file:
        file.truncate(15 * 2**20)  # sparse: 15 MiB without writing them
    with pytest.raises(ScenarioError) as error:
        load_scenario(Path("s.yaml"))
    assert [(str(p), p.path) for p in error.value.problems] == [
        ("s.yaml: is 15 MiB; a scenario file may be at most 10 MiB", "")]


@pytest.mark.parametrize("value", ["5", "[a.yaml]", "{a: 1}", "''", '"a\\0b"'],
                         ids=["a number", "a list", "a mapping", "empty", "a NUL"])
def test_extends_must_name_a_file(tmp_path, monkeypatch, value):
    text = f"extends: {value}\nchips:\n  a: {CHIP}\n"
    assert invalid(tmp_path, monkeypatch, text) == [
        "s.yaml:1:10: extends: must be the path of a parent scenario file"]


def test_nesting_too_deep_to_construct_is_located_at_the_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_bytes(DEEP)
    assert problems(Path("s.yaml")) == ["s.yaml:1:1: is nested too deeply to be a scenario"]


def test_an_unknown_key_inherited_from_a_parent_is_reported_in_the_parent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "parent.yaml").write_text(f"chips:\n  a: {CHIP}\ncolour: red\n", encoding="utf-8")
    (tmp_path / "child.yaml").write_text("extends: parent.yaml\nname: child\n", encoding="utf-8")
    assert problems(Path("child.yaml")) == [
        "parent.yaml:3:1: colour: unknown key; valid keys: name, title, description, extends, assumptions, "
        "workload, chips, platforms, orders, mix"]
