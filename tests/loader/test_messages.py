"""Every invalid file in tests/invalid/ and its exact messages.

The invalid files live in tests/invalid/, one per failure mode. Each expected
message below was checked by reading the file: the line and column point at
the value that is wrong (or the key, for an unknown key), the path names it,
and the message says what is wrong and how to fix it. Where the loader's text
was wrong, the expectation is the text it should give (see the comments).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chipcalc.errors import ScenarioError
from chipcalc.loader import load_scenario

from .common import CHIP_KEYS, INVALID, problems_of, write


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


def test_a_roofline_needs_every_chip_s_bandwidth(tmp_path):
    """MODEL.md: B_c is required for every chip when the workload sets an arithmetic intensity."""
    path = write(tmp_path, "roofline.yaml", """\
        workload: {arithmetic_intensity: 300}
        chips:
          a: {price: 10k, tflops: {bf16: 100}, bandwidth_tbps: 2}
          b: {price: 10k, tflops: {bf16: 100}}
        """)
    assert problems_of(path) == [
        f"{path}:4:6: chips.b.bandwidth_tbps: is needed: workload.arithmetic_intensity caps throughput at "
        "bandwidth x intensity; add bandwidth_tbps (TB/s)"]
