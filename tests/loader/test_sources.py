"""Reading files: extends chains, the built-in and shipped scenarios, encodings."""

from __future__ import annotations

import math
import os

import pytest

from chipcalc.loader import load_scenario
from chipcalc.spec import Mark

from .common import MINIMAL, SCENARIOS, problems_of, write


# extends ------------------------------------------------------------------

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


# Encodings ---------------------------------------------------------------


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


@pytest.mark.parametrize(("encoding", "name"), [
    ("utf-16", "UTF-16"),  # Python writes the byte-order mark of the machine's order
    ("utf-16-be", "UTF-16"), ("utf-16-le", "UTF-16"),  # no mark: told by the NUL beside each letter
    ("utf-32", "UTF-32"),
])
def test_utf16_and_utf32_are_named_not_called_binary(tmp_path, monkeypatch, encoding, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_bytes(MINIMAL.encode(encoding))
    assert problems_of("s.yaml") == [f"s.yaml: is {name} text: save the file as UTF-8"]


def test_utf32_big_endian_mark(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_bytes(("\ufeff" + MINIMAL).encode("utf-32-be"))
    assert problems_of("s.yaml") == ["s.yaml: is UTF-32 text: save the file as UTF-8"]


def test_nul_bytes_at_both_parities_are_binary(tmp_path, monkeypatch):
    # every byte value once: NULs are not all in the even or all in the odd places, as in UTF-16
    monkeypatch.chdir(tmp_path)
    (tmp_path / "s.yaml").write_bytes(bytes(range(256)))
    assert problems_of("s.yaml") == ["s.yaml: is a binary file, not a YAML scenario"]


# standard input -----------------------------------------------------------------

def stdin_of(monkeypatch, data: bytes) -> None:
    import io
    import sys

    class Stdin(io.TextIOWrapper):
        def isatty(self) -> bool:
            return False

    monkeypatch.setattr(sys, "stdin", Stdin(io.BytesIO(data), encoding="utf-8"))


def test_stdin_is_a_scenario_named_stdin(monkeypatch):
    stdin_of(monkeypatch, MINIMAL.encode())
    scenario = load_scenario("-")
    assert (scenario.file, scenario.name) == ("<stdin>", "stdin")
    assert scenario.chips["h200"].price_usd == 32000.0


def test_stdin_problems_are_labelled_stdin(monkeypatch):
    stdin_of(monkeypatch, b"chips: 5\n")
    assert problems_of("-") == ["<stdin>:1:8: chips: must be a mapping of chips by key (got 5)"]


def test_stdin_in_utf16_is_named(monkeypatch):
    stdin_of(monkeypatch, MINIMAL.encode("utf-16"))
    assert problems_of("-") == ["<stdin>: is UTF-16 text: save the file as UTF-8"]


def test_stdin_extends_from_the_current_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parent.yaml", MINIMAL)
    stdin_of(monkeypatch, b"extends: parent.yaml\nchips:\n  h200: {price: 40k}\n")
    assert load_scenario("-").chips["h200"].price_usd == 40000.0


def test_stdin_extends_a_missing_parent_says_where_it_looked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    stdin_of(monkeypatch, b"extends: scenarios/parent.yaml\n")
    assert problems_of("-") == [
        "<stdin>:1:10: extends: parent scenario scenarios/parent.yaml does not exist (the <stdin> "
        "scenario's extends is read from the current directory)"]


def test_stdin_extends_stays_inside_the_current_directory(tmp_path, monkeypatch):
    (tmp_path / "inside").mkdir()
    write(tmp_path, "parent.yaml", MINIMAL)
    monkeypatch.chdir(tmp_path / "inside")
    stdin_of(monkeypatch, b"extends: ../parent.yaml\n")
    (problem,) = problems_of("-")
    assert problem.startswith("<stdin>:1:10: extends: ../parent.yaml is outside ")
