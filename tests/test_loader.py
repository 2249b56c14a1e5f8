"""Loading scenario files: validation messages, extends, --set, defaults, ranges, marks.

The invalid files live in tests/invalid/, one per failure mode. Each expected
message below was checked by reading the file: the line and column point at
the value that is wrong (or the key, for an unknown key), the path names it,
and the message says what is wrong and how to fix it. Where the loader's text
was wrong, the expectation is the text it should give (see the comments).
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from chipcalc.errors import ScenarioError, UsageError
from chipcalc.loader import load_scenario
from chipcalc.scenario import Scenario
from chipcalc.spec import Mark
from chipcalc.values import Uncertain

REPO = Path(__file__).resolve().parent.parent
INVALID = REPO / "tests" / "invalid"
SCENARIOS = REPO / "scenarios"

CHIP_KEYS = ("name, vendor, platform, price, levy_rate, levy_base, tflops, utilization, power_w, "
             "host_cost, electricity_usd_per_kwh, power_draw, facility_usd_per_kw_month, maintenance_rate, "
             "operations_usd_per_year, supply_units, memory_gb, bandwidth_tbps, source, as_of")


@pytest.fixture
def in_repo(monkeypatch):
    """Run from the repository root, so files are labelled tests/invalid/x.yaml."""
    monkeypatch.chdir(REPO)


def problems_of(path, sets=()) -> list[str]:
    with pytest.raises(ScenarioError) as error:
        load_scenario(path, sets)
    problems = [str(problem) for problem in error.value.problems]
    assert str(error.value) == "\n".join(problems)
    return problems


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# Every invalid file and its exact messages --------------------------------

EXPECTED = {
    "unknown-key.yaml": [
        "tests/invalid/unknown-key.yaml:5:5: chips.h200.utilisation: unknown key; did you mean 'utilization'?",
    ],
    # An unknown section: at its key (line 5), not at the mapping below it (line 6).
    "unknown-section.yaml": [
        "tests/invalid/unknown-section.yaml:5:1: platfroms: unknown key; did you mean 'platforms'?",
    ],
    # The spec's form is FILE:LINE:COL: PATH: message; the path is known here.
    "duplicate-key.yaml": [
        "tests/invalid/duplicate-key.yaml:5:5: chips.h200.price: duplicate key 'price' (first given at line 3); "
        "YAML would silently keep only the last one: remove one of them",
    ],
    "levy-rate-100pct.yaml": [
        "tests/invalid/levy-rate-100pct.yaml:4:16: chips.h200.levy_rate: must be below 100% (got 100%)",
    ],
    "missing-price.yaml": [
        "tests/invalid/missing-price.yaml:3:5: chips.h200.price: missing required key 'price'",
    ],
    "order-unknown-chip.yaml": [
        "tests/invalid/order-unknown-chip.yaml:6:11: orders[0].chip: no chip 'h20O' in this scenario; "
        "did you mean 'h200'?",
    ],
    "units-and-budget.yaml": [
        "tests/invalid/units-and-budget.yaml:8:13: orders[0]: give units or budget, not both",
    ],
    "neither-units-nor-budget.yaml": [
        "tests/invalid/neither-units-nor-budget.yaml:6:5: orders[0]: missing units or budget: give one, "
        "e.g. units: 400k",
    ],
    "no-tflops-for-precision.yaml": [
        "tests/invalid/no-tflops-for-precision.yaml:6:13: chips.h200.tflops: has no fp8 entry, the scenario's "
        "precision: add tflops.fp8 or change assumptions.precision",
    ],
    "platform-without-migration.yaml": [
        "tests/invalid/platform-without-migration.yaml:6:15: chips.ascend_910c.platform: platform 'cann' has no "
        "entry under platforms: add platforms.cann.migration_cost (the cost of leaving cuda), 0 if there is none",
    ],
    "missing-fx.yaml": [
        "tests/invalid/missing-fx.yaml:6:12: chips.ascend_910c.price: is in CNY, which has no exchange rate: "
        "add assumptions.fx.CNY (USD per CNY)",
    ],
    "range-low-above-high.yaml": [
        "tests/invalid/range-low-above-high.yaml:3:12: chips.h200.price: a range's low must be below its high",
    ],
    "range-mode-outside.yaml": [
        "tests/invalid/range-mode-outside.yaml:3:12: chips.h200.price: a range's mode must lie between its low "
        "and its high",
    ],
    "range-unknown-dist.yaml": [
        "tests/invalid/range-unknown-dist.yaml:3:12: chips.h200.price: dist must be one of uniform, triangular, "
        "normal, lognormal (got 'lognormel'); did you mean 'lognormal'?",
    ],
    # PyYAML notices the unclosed `{` of line 4 only at line 5; the message must
    # say which mapping is unclosed, or line 5 (`orders:`) looks fine to a reader.
    "yaml-syntax.yaml": [
        "tests/invalid/yaml-syntax.yaml:5:7: invalid YAML: did not find expected ',' or '}' "
        "(while parsing a flow mapping that starts at line 4, column 13)",
    ],
    "tabs.yaml": [
        "tests/invalid/tabs.yaml:4:1: invalid YAML: found a tab character that violates indentation "
        "(indent with spaces: YAML does not allow tabs)",
    ],
    "empty.yaml": [
        "tests/invalid/empty.yaml:1:1: is empty: a scenario needs at least `chips:`",
    ],
    "top-level-list.yaml": [
        "tests/invalid/top-level-list.yaml:1:1: must be a mapping of keys (name, assumptions, chips, orders, ...), "
        "not a list",
    ],
    "nan.yaml": [
        "tests/invalid/nan.yaml:4:20: chips.h200.tflops.bf16: must be a finite number (got nan)",
    ],
    "zero-tflops.yaml": [
        "tests/invalid/zero-tflops.yaml:4:20: chips.h200.tflops.bf16: must be positive (got 0)",
    ],
    "zero-utilization.yaml": [
        "tests/invalid/zero-utilization.yaml:5:18: chips.h200.utilization: must be positive (got 0%)",
    ],
    "zero-price.yaml": [
        "tests/invalid/zero-price.yaml:3:12: chips.h200.price: must be positive (got $0)",
    ],
    "negative-power.yaml": [
        "tests/invalid/negative-power.yaml:5:14: chips.h200.power_w: must be at least 0 (got -700)",
    ],
    # The path is known (chips.h200.price), so it belongs in the message as everywhere else.
    "python-tag.yaml": [
        "tests/invalid/python-tag.yaml:3:12: chips.h200.price: the tag !!python/object/apply:os.system is not "
        "allowed: scenario files may use only plain YAML values (numbers, text, lists, mappings)",
    ],
    "extends-missing.yaml": [
        "tests/invalid/extends-missing.yaml:1:10: extends: parent scenario tests/invalid/no-such-parent.yaml "
        "does not exist",
    ],
    "extends-cycle-a.yaml": [
        "tests/invalid/extends-cycle-b.yaml:1:10: extends: extends in a cycle: tests/invalid/extends-cycle-a.yaml "
        "-> tests/invalid/extends-cycle-b.yaml -> tests/invalid/extends-cycle-a.yaml",
    ],
    "extends-cycle-b.yaml": [
        "tests/invalid/extends-cycle-a.yaml:1:10: extends: extends in a cycle: tests/invalid/extends-cycle-b.yaml "
        "-> tests/invalid/extends-cycle-a.yaml -> tests/invalid/extends-cycle-b.yaml",
    ],
    # `2026-13-01` looks like a YAML date but is not one: a message, not a traceback.
    "bad-date.yaml": [
        "tests/invalid/bad-date.yaml:5:12: chips.h200.as_of: must be a date such as 2026-01-15 "
        "(got '2026-13-01')",
    ],
    # One mistake, one message: no follow-on "has no None entry" for every chip.
    "bad-precision.yaml": [
        "tests/invalid/bad-precision.yaml:2:14: assumptions.precision: must be one of fp64, tf32, fp16, bf16, "
        "fp8, int8, fp4 (got 'bf61'); did you mean 'bf16'?",
    ],
    "duplicate-order-name.yaml": [
        "tests/invalid/duplicate-order-name.yaml:9:11: orders[1].name: order name 'hyperscalers' is already used "
        "by orders[0]",
    ],
    "several-problems.yaml": [
        "tests/invalid/several-problems.yaml:2:22: assumptions.levy_pass_through: must be at most 100% (got 150%)",
        "tests/invalid/several-problems.yaml:7:18: chips.h200.utilization: must be positive (got 0%)",
        f"tests/invalid/several-problems.yaml:8:5: chips.h200.colour: unknown key; valid keys: {CHIP_KEYS}",
        "tests/invalid/several-problems.yaml:10:11: orders[0].chip: no chip 'h100' in this scenario; "
        "did you mean 'h200'?",
        "tests/invalid/several-problems.yaml:11:12: orders[0].units: must be positive (got -5)",
    ],
    # An item that is not a mapping must not shift the indices of the rest, nor
    # produce follow-on problems at 1:1.
    "order-not-mapping.yaml": [
        "tests/invalid/order-not-mapping.yaml:6:5: orders[0]: must be a mapping with keys such as name, chip, "
        "units, budget (got 'h200')",
        "tests/invalid/order-not-mapping.yaml:7:11: orders[1].chip: no chip 'h2000' in this scenario; "
        "did you mean 'h200'?",
    ],
    # chips.h20 exists but is invalid: the order naming it is not "no chip 'h20'".
    "chip-not-mapping.yaml": [
        "tests/invalid/chip-not-mapping.yaml:5:8: chips.h20: must be a mapping with keys such as name, vendor, "
        "platform, price (got '13.5k')",
    ],
    "inherited-parent.yaml": [
        "tests/invalid/inherited-parent.yaml:4:16: chips.h200.levy_rate: must be below 100% (got 125%)",
    ],
    # The child is fine; the value it inherits is not: reported where it was written.
    "inherited-child.yaml": [
        "tests/invalid/inherited-parent.yaml:4:16: chips.h200.levy_rate: must be below 100% (got 125%)",
    ],
}

NOT_IN_TABLE = {"billion-laughs.yaml", "billion-laughs-parent.yaml", "billion-laughs-extends.yaml"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_invalid_file_messages(in_repo, name):
    assert problems_of(f"tests/invalid/{name}") == EXPECTED[name]


def test_every_invalid_file_is_in_the_table():
    files = {path.name for path in INVALID.glob("*.yaml")}
    assert files - NOT_IN_TABLE == set(EXPECTED)


def test_several_problems_are_reported_at_once_sorted_by_line(in_repo):
    problems = problems_of("tests/invalid/several-problems.yaml")
    assert len(problems) >= 5
    lines = [int(problem.split(":")[1]) for problem in problems]
    assert lines == sorted(lines)


def test_problem_fields(in_repo):
    with pytest.raises(ScenarioError) as error:
        load_scenario("tests/invalid/levy-rate-100pct.yaml")
    (problem,) = error.value.problems
    assert problem.where == "tests/invalid/levy-rate-100pct.yaml:4:16"
    assert problem.path == "chips.h200.levy_rate"
    assert problem.message == "must be below 100% (got 100%)"


MARKER = Path("/tmp/chipcalc-python-tag-was-executed")


def test_python_tag_is_refused_and_not_executed(in_repo):
    MARKER.unlink(missing_ok=True)
    assert "touch /tmp/chipcalc-python-tag-was-executed" in (INVALID / "python-tag.yaml").read_text()
    with pytest.raises(ScenarioError) as error:
        load_scenario("tests/invalid/python-tag.yaml")
    assert "scenario files may use only plain YAML values" in str(error.value)
    assert not MARKER.exists()


def test_inherited_problem_points_at_the_parent_file(in_repo):
    (problem,) = problems_of("tests/invalid/inherited-child.yaml")
    assert problem.startswith("tests/invalid/inherited-parent.yaml:4:16: ")
    assert "levy_pass_through: 50%" in (INVALID / "inherited-child.yaml").read_text()


def test_missing_file(in_repo):
    assert problems_of("tests/invalid/does-not-exist.yaml") == ["tests/invalid/does-not-exist.yaml: no such file"]


def test_bad_date_given_as_text(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        chips:
          h200:
            price: $32k
            tflops: {bf16: 989}
            as_of: Jan 2026
        """)
    assert problems_of("s.yaml") == [
        "s.yaml:5:12: chips.h200.as_of: must be a date such as 2026-01-15 (got 'Jan 2026')"
    ]


# Billion laughs: bounded time -----------------------------------------------

LAUGHS_SCRIPT = """
import sys, time
from chipcalc.errors import ScenarioError
from chipcalc.loader import load_scenario
try:
    load_scenario(sys.argv[1])
    print("loaded")
except ScenarioError as error:
    print("invalid", len(error.problems))
"""


def _limit_memory():  # pragma: no cover - runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


@pytest.mark.parametrize("name", ["billion-laughs.yaml", "billion-laughs-extends.yaml"])
def test_billion_laughs_loads_or_fails_quickly(name):
    start = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-c", LAUGHS_SCRIPT, f"tests/invalid/{name}"],
            cwd=REPO, capture_output=True, text=True, timeout=15, preexec_fn=_limit_memory,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: still loading after 15 s (aliases expanded?)")
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[0] in ("loaded", "invalid")
    assert elapsed < 10


# Valid files --------------------------------------------------------------

MINIMAL = """\
chips:
  h200:
    price: $32k
    tflops: {bf16: 989}
"""


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


# Money in other currencies ------------------------------------------------


def test_cny_is_converted_with_fx(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        assumptions:
          electricity_usd_per_kwh: ¥0.50
          fx:
            CNY: 0.14
        chips:
          ascend:
            price: ¥200k
            host_cost: 10k CNY
            electricity_usd_per_kwh: 0.40 CNY
            tflops: {bf16: 780}
          b:
            price: 200000 CNY
            tflops: {bf16: 1}
        orders:
          - chip: ascend
            budget: ¥1B
        """)
    scenario = load_scenario("s.yaml")
    ascend = scenario.chips["ascend"]
    assert ascend.price_usd == pytest.approx(28000)
    assert scenario.chips["b"].price_usd == pytest.approx(28000)
    assert ascend.host_cost_usd == pytest.approx(1400)
    assert ascend.electricity_usd_per_kwh == pytest.approx(0.056)
    assert scenario.assumptions.electricity_usd_per_kwh == pytest.approx(0.07)
    assert scenario.orders[0].budget_usd == pytest.approx(140e6)


def test_fx_given_in_the_parent(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parent.yaml", "assumptions:\n  fx: {CNY: 0.14}\n" + MINIMAL)
    write(tmp_path, "child.yaml", """\
        extends: parent.yaml
        chips:
          ascend:
            price: ¥200k
            tflops: {bf16: 780}
        """)
    assert load_scenario("child.yaml").chips["ascend"].price_usd == pytest.approx(28000)


def test_fx_given_in_the_child_for_a_parent_price(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parent.yaml", """\
        chips:
          ascend:
            price: ¥200k
            tflops: {bf16: 780}
        """)
    write(tmp_path, "child.yaml", "extends: parent.yaml\nassumptions:\n  fx: {CNY: 0.15}\n")
    assert load_scenario("child.yaml").chips["ascend"].price_usd == pytest.approx(30000)
    assert problems_of("parent.yaml") == [
        "parent.yaml:3:12: chips.ascend.price: is in CNY, which has no exchange rate: "
        "add assumptions.fx.CNY (USD per CNY)"
    ]


# extends ------------------------------------------------------------------

PARENT = """\
name: parent
title: Parent title
assumptions:
  pue: 1.3
  fx:
    CNY: 0.14
chips:
  h200:
    vendor: NVIDIA
    price: $32k
    levy_rate: 25%
    tflops: {bf16: 989, fp8: 1979}
  ascend:
    platform: cann
    price: ¥200k
    tflops: {bf16: 780}
platforms:
  cann:
    migration_cost: 300M
orders:
  - name: big
    chip: h200
    units: 400k
  - chip: ascend
    budget: 1B
"""


@pytest.fixture
def family(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parent.yaml", PARENT)
    write(tmp_path, "child.yaml", """\
        extends: parent.yaml
        assumptions:
          levy_pass_through: 50%
        chips:
          h200:
            tflops: {fp8: 2000}
            utilization: 40%
        orders:
          - chip: ascend
            units: 100k
        """)
    write(tmp_path, "grandchild.yaml", """\
        extends: child.yaml
        name: grandchild-name
        chips:
          ascend:
            price: ¥250k
        """)
    return tmp_path


def test_extends_merges_mappings_recursively(family):
    scenario = load_scenario("child.yaml")
    h200 = scenario.chips["h200"]
    assert dict(h200.tflops) == {"bf16": 989.0, "fp8": 2000.0}
    assert h200.utilization == 0.4
    assert h200.price_usd == 32000.0 and h200.levy_rate == 0.25 and h200.vendor == "NVIDIA"
    assert set(scenario.chips) == {"h200", "ascend"}
    assert scenario.assumptions.pue == 1.3 and scenario.assumptions.levy_pass_through == 0.5
    assert dict(scenario.assumptions.fx) == {"CNY": 0.14}
    assert scenario.platforms["cann"].migration_cost_usd == 300e6


def test_extends_replaces_lists_whole(family):
    orders = load_scenario("child.yaml").orders
    assert len(orders) == 1
    assert (orders[0].name, orders[0].chip, orders[0].units, orders[0].budget_usd) == (
        "order-1", "ascend", 100e3, None)


def test_parent_name_is_not_inherited(family):
    child = load_scenario("child.yaml")
    assert child.name == "child"
    assert child.title == "Parent title"
    assert child.extends is None or child.extends == "parent.yaml"
    assert load_scenario("parent.yaml").name == "parent"


def test_chained_extends(family):
    scenario = load_scenario("grandchild.yaml")
    assert scenario.name == "grandchild-name"
    assert scenario.chips["ascend"].price_usd == pytest.approx(35000)
    assert dict(scenario.chips["h200"].tflops) == {"bf16": 989.0, "fp8": 2000.0}
    assert scenario.assumptions.levy_pass_through == 0.5 and scenario.assumptions.pue == 1.3
    assert len(scenario.orders) == 1
    assert scenario.file == "grandchild.yaml"


def test_extends_is_relative_to_the_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "common/base.yaml", MINIMAL)
    write(tmp_path, "common/mid.yaml", "extends: base.yaml\nassumptions:\n  pue: 1.2\n")
    write(tmp_path, "runs/child.yaml", "extends: ../common/mid.yaml\n")
    scenario = load_scenario("runs/child.yaml")
    assert scenario.name == "child"
    assert scenario.assumptions.pue == 1.2
    assert scenario.origins["chips.h200.price"] == Mark(os.path.join("common", "base.yaml"), 3, 12)


def test_child_fixes_an_invalid_parent_value(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parent.yaml", MINIMAL.replace("price: $32k", "price: $0"))
    write(tmp_path, "child.yaml", "extends: parent.yaml\nchips:\n  h200:\n    price: $30k\n")
    assert load_scenario("child.yaml").chips["h200"].price_usd == 30000.0


def test_child_problem_points_at_the_child(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parent.yaml", MINIMAL)
    write(tmp_path, "child.yaml", "extends: parent.yaml\nchips:\n  h200:\n    levy_rate: 1\n")
    assert problems_of("child.yaml") == ["child.yaml:4:16: chips.h200.levy_rate: must be below 100% (got 100%)"]


# Ranges -------------------------------------------------------------------


def test_ranges_collapse_to_mode_or_midpoint(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        assumptions:
          fx: {CNY: 0.14}
          levy_pass_through: 10% to 40%
        chips:
          h200:
            price: {low: 28k, high: 36k}
            levy_rate: {low: 20%, mode: 25%, high: 40%}
            tflops: {bf16: 989}
            utilization: {low: 30%, high: 50%, dist: normal}
            power_w: 600 to 800
          ascend:
            price: ¥150k to ¥250k
            tflops: {bf16: {low: 700, high: 800, dist: lognormal}}
        orders:
          - chip: h200
            units: {low: 100k, mode: 400k, high: 700k}
        """)
    scenario = load_scenario("s.yaml")
    h200, ascend = scenario.chips["h200"], scenario.chips["ascend"]
    assert h200.price_usd == 32000.0
    assert h200.levy_rate == pytest.approx(0.25)
    assert h200.utilization == pytest.approx(0.4)
    assert h200.power_w == 700.0
    assert ascend.price_usd == pytest.approx(28000)
    assert ascend.tflops["bf16"] == 750.0
    assert scenario.assumptions.levy_pass_through == pytest.approx(0.25)
    assert scenario.orders[0].units == 400e3

    ranges = dict(scenario.ranges)
    assert len(ranges) == len(scenario.ranges) == 8
    assert ranges["chips.h200.price"] == Uncertain(28e3, 36e3, None, "uniform")
    assert ranges["chips.h200.levy_rate"] == Uncertain(pytest.approx(0.2), pytest.approx(0.4),
                                                       pytest.approx(0.25), "triangular")
    assert ranges["chips.h200.utilization"].dist == "normal"
    assert ranges["chips.h200.power_w"] == Uncertain(600.0, 800.0, None, "lognormal")
    cny = ranges["chips.ascend.price"]
    assert (cny.low, cny.high, cny.dist) == (pytest.approx(21000), pytest.approx(35000), "lognormal")
    assert ranges["chips.ascend.tflops.bf16"] == Uncertain(700.0, 800.0, None, "lognormal")
    assert ranges["orders[0].units"] == Uncertain(100e3, 700e3, 400e3, "triangular")
    assert ranges["assumptions.levy_pass_through"] == Uncertain(pytest.approx(0.1), pytest.approx(0.4), None,
                                                                "lognormal")


def test_to_shorthand_is_lognormal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL.replace("price: $32k", "price: 28k to 36k"))
    scenario = load_scenario("s.yaml")
    assert scenario.ranges == (("chips.h200.price", Uncertain(28e3, 36e3, None, "lognormal")),)
    assert scenario.chips["h200"].price_usd == 32000.0


def test_range_bounds_are_checked_against_the_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL.replace("price: $32k", "price: {low: -1k, high: 36k}"))
    assert problems_of("s.yaml") == ["s.yaml:3:12: chips.h200.price: low must be positive (got -$1,000)"]


def test_range_needs_low_and_high(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL.replace("price: $32k", "price: {low: 28k}"))
    assert problems_of("s.yaml") == [
        "s.yaml:3:12: chips.h200.price: a range needs high, e.g. {low: 28k, high: 36k}"
    ]


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


# Built-in and shipped scenarios -------------------------------------------


def test_builtin_scenario():
    scenario = load_scenario(None)
    assert scenario.name == "h200-2026"
    assert "h200" in scenario.chips and scenario.orders
    assert scenario.file == "(built-in h200-2026.yaml)"
    assert scenario.origins["chips.h200.price"].file == "(built-in h200-2026.yaml)"


def test_builtin_scenario_with_set():
    scenario = load_scenario(None, ["orders[0].units=700k"])
    assert scenario.orders[0].units == 700e3


def test_builtin_is_the_shipped_base(in_repo):
    builtin, shipped = load_scenario(None), load_scenario("scenarios/h200-2026.yaml")
    assert (builtin.chips, builtin.platforms, builtin.orders, builtin.assumptions) == (
        shipped.chips, shipped.platforms, shipped.orders, shipped.assumptions)


@pytest.mark.parametrize("path", sorted(p.name for p in SCENARIOS.glob("*.yaml")))
def test_every_shipped_scenario_loads(in_repo, path):
    scenario = load_scenario(f"scenarios/{path}")
    assert scenario.chips
    for chip in scenario.chips.values():
        assert chip.price_usd > 0 and chip.tflops[scenario.assumptions.precision] > 0
        assert math.isfinite(chip.price_usd)
    for order in scenario.orders:
        assert order.chip in scenario.chips
        assert (order.units is None) != (order.budget_usd is None)


def test_shipped_scenarios_exist():
    assert len(list(SCENARIOS.glob("*.yaml"))) >= 2


# YAML details -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("chips:\n  h200:\n    price: $32k\n    tflops: {bf16: 989, bf16: 990}\n",
         "s.yaml:4:25: chips.h200.tflops.bf16: duplicate key 'bf16' (first given at line 4); "
         "YAML would silently keep only the last one: remove one of them"),
        (MINIMAL + "chips:\n  h20:\n    price: $1\n",
         "s.yaml:5:1: chips: duplicate key 'chips' (first given at line 1); "
         "YAML would silently keep only the last one: remove one of them"),
        (MINIMAL + "orders:\n  - chip: h200\n    units: 1\n    units: 2\n",
         "s.yaml:8:5: orders[0].units: duplicate key 'units' (first given at line 7); "
         "YAML would silently keep only the last one: remove one of them"),
    ],
)
def test_duplicate_keys_are_detected(tmp_path, monkeypatch, text, expected):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", text)
    assert problems_of("s.yaml") == [expected]


def test_duplicate_key_is_detected_at_all(tmp_path, monkeypatch):
    """Whatever the path form, a duplicate key is an error naming the key and both lines."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL + "    price: $30k\n")
    (problem,) = problems_of("s.yaml")
    assert problem.startswith("s.yaml:5:5: ")
    assert "duplicate key 'price' (first given at line 3)" in problem


def test_yaml_merge_keys_with_explicit_override(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        chips:
          h200: &nvidia
            vendor: NVIDIA
            price: $32k
            levy_rate: 25%
            tflops: {bf16: 989}
          h20:
            price: $13.5k
            <<: *nvidia
            tflops: {bf16: 148}
          h100:
            <<: *nvidia
            price: $25k
        """)
    scenario = load_scenario("s.yaml")
    h20, h100 = scenario.chips["h20"], scenario.chips["h100"]
    assert (h20.vendor, h20.price_usd, h20.levy_rate, dict(h20.tflops)) == ("NVIDIA", 13500.0, 0.25,
                                                                            {"bf16": 148.0})
    assert (h100.vendor, h100.price_usd, dict(h100.tflops)) == ("NVIDIA", 25000.0, {"bf16": 989.0})
    assert scenario.chips["h200"].price_usd == 32000.0


def test_undefined_alias(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL + "    source: *nope\n")
    (problem,) = problems_of("s.yaml")
    assert problem.startswith("s.yaml:5:13: invalid YAML: ")
    assert "undefined alias" in problem


def test_utf8_bom_is_accepted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_bytes(b"\xef\xbb\xbf" + MINIMAL.encode())
    assert load_scenario("s.yaml").chips["h200"].price_usd == 32000.0


def test_binary_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_bytes(b"chips:\0\1\2")
    assert problems_of("s.yaml") == ["s.yaml: is a binary file, not a YAML scenario"]


def test_not_utf8(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_bytes(b"chips:\n  h200:\n    source: caf\xe9\n")
    assert problems_of("s.yaml") == ["s.yaml:3:16: is not UTF-8 text: save the file as UTF-8"]


# Origins ------------------------------------------------------------------


def test_origins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        # a comment
        assumptions:
          pue: 1.3
        chips:
          h200:
            price: $32k
            tflops: {bf16: 989, fp8: 1979}
        orders:
          - chip: h200
            units: 400k
        """)
    origins = load_scenario("s.yaml").origins
    assert origins["chips.h200.price"] == Mark("s.yaml", 6, 12)
    assert str(origins["chips.h200.price"]) == "s.yaml:6:12"
    assert origins["assumptions.pue"] == Mark("s.yaml", 3, 8)
    assert origins["chips.h200.tflops.fp8"] == Mark("s.yaml", 7, 30)
    assert origins["orders[0].units"] == Mark("s.yaml", 10, 12)
    assert origins["orders[0].chip"] == Mark("s.yaml", 9, 11)
    assert "chips.h200.utilization" not in origins  # a default was not written anywhere


def test_origins_across_extends(family):
    origins = load_scenario("child.yaml").origins
    assert origins["chips.h200.price"] == Mark("parent.yaml", 10, 12)
    assert origins["chips.h200.tflops.bf16"] == Mark("parent.yaml", 12, 20)
    assert origins["chips.h200.tflops.fp8"] == Mark("child.yaml", 6, 19)
    assert origins["chips.h200.utilization"] == Mark("child.yaml", 7, 18)
    assert origins["assumptions.fx.CNY"] == Mark("parent.yaml", 6, 10)
    assert origins["orders[0].units"] == Mark("child.yaml", 10, 12)


def test_origins_of_the_shipped_base(in_repo):
    text = (SCENARIOS / "h200-2026.yaml").read_text(encoding="utf-8").splitlines()
    start = text.index("  h200:")
    line = next(i for i in range(start, len(text)) if text[i].strip().startswith("price:")) + 1
    origin = load_scenario("scenarios/h200-2026.yaml").origins["chips.h200.price"]
    assert origin == Mark("scenarios/h200-2026.yaml", line, text[line - 1].index("price:") + 8)
