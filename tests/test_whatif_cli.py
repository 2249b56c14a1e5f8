"""The what-if commands end to end: breakeven, sweep, sensitivity, simulate, and their plots."""

from __future__ import annotations

import builtins
import csv
import io
import json
import math
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app

from .conftest import ROOT

BASE = "scenarios/h200-2026.yaml"
UNCERTAIN = "scenarios/h200-2026-uncertain.yaml"


@pytest.fixture(autouse=True)
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "80")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def run_json(*args: str) -> dict:
    result = run(*args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def compare_option(*sets: str, scenario: str = BASE, chip: str = "ascend_910c") -> dict:
    document = run_json("compare", scenario, *(x for s in sets for x in ("--set", s)))
    return next(o for o in document["scenarios"][0]["orders"][0]["options"] if o["chip"] == chip)


# breakeven ----------------------------------------------------------------------


def test_breakeven_without_vary_lists_the_closed_forms_of_compare() -> None:
    document = run_json("breakeven", "scenarios/levy-passed-through.yaml")
    options = document["scenarios"][0]["orders"][0]["options"]
    assert [o["chip"] for o in options] == ["ascend_910c", "ascend_910b", "mlu590", "h20"]
    assert options[0]["breakeven"] == compare_option(scenario="scenarios/levy-passed-through.yaml")["breakeven"]


@pytest.mark.parametrize(("path", "closed_form"), [
    ("chips.h200.levy_rate", "levy_rate"),
    ("chips.ascend_910c.price", "price_usd"),
    ("chips.ascend_910c.utilization", "utilization"),
])
def test_goal_seek_agrees_with_the_closed_form(path: str, closed_form: str) -> None:
    scenario = "scenarios/levy-passed-through.yaml"
    seek = run_json("breakeven", scenario, "--vary", path, "--option", "ascend_910c")
    assert set(seek) == {"schema_version", "scenario", "order", "option", "path", "value", "reason", "low", "high"}
    expected = compare_option(scenario=scenario)["breakeven"][closed_form]["value"]
    assert seek["value"] == pytest.approx(expected, rel=1e-9)
    assert seek["reason"] is None
    # At the value found, the two costs are equal: re-run compare with it.
    at_value = compare_option(f"{path}={seek['value']!r}", scenario=scenario)
    assert at_value["vs_order"] == pytest.approx(0, abs=1e-9)


def test_goal_seek_with_no_crossing_in_range_says_so() -> None:
    # The h20 would need 184% utilisation: out of range, so no crossing inside (0, 100%].
    seek = run_json("breakeven", BASE, "--vary", "chips.h20.utilization", "--option", "h20")
    assert seek["value"] is None and seek["reason"] == "no crossing in range"
    assert seek["high"] == 1.0


def test_goal_seek_mistakes_exit_2() -> None:
    result = run("breakeven", BASE, "--vary", "chips.h200.name")
    assert result.exit_code == 2 and result.stderr.startswith("error: ")
    result = run("breakeven", BASE, "--option", "h20")
    assert result.exit_code == 2 and "--option and --order go with --vary" in result.stderr


# sweep --------------------------------------------------------------------------


def test_sweep_points_equal_compare_at_those_points() -> None:
    document = run_json("sweep", BASE, "--vary", "chips.h200.levy_rate=0%:50%:25%",
                        "--vary", "assumptions.levy_pass_through=0:1:0.5", "--metric", "tco_usd")
    assert document["vary"] == ["chips.h200.levy_rate", "assumptions.levy_pass_through"]
    assert len(document["points"]) == 3 * 3
    for point in document["points"][::4]:
        sets = [f"chips.h200.levy_rate={point['chips.h200.levy_rate']!r}",
                f"assumptions.levy_pass_through={point['assumptions.levy_pass_through']!r}"]
        for chip in ("h200", "ascend_910c"):
            assert point[chip] == pytest.approx(compare_option(*sets, chip=chip)["tco_usd"], rel=1e-12)


def test_sweep_cheapest_matches_compares_first_option() -> None:
    document = run_json("sweep", "scenarios/levy-passed-through.yaml", "--vary",
                        "chips.h200.levy_rate=10%:30%:10%", "--metric", "cheapest")
    for point in document["points"]:
        orders = run_json("compare", "scenarios/levy-passed-through.yaml", "--set",
                          f"chips.h200.levy_rate={point['chips.h200.levy_rate']!r}")["scenarios"][0]["orders"]
        assert point["cheapest"] == orders[0]["options"][0]["chip"]


def test_sweep_csv_is_tidy() -> None:
    result = run("sweep", BASE, "--vary", "chips.ascend_910c.price=¥100k:¥200k:¥50k", "-f", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [float(r["chips.ascend_910c.price"]) for r in rows] == pytest.approx([13900, 20850, 27800])  # x 0.139
    assert set(rows[0]) == {"chips.ascend_910c.price", "h200", "h20", "ascend_910c", "ascend_910b", "mlu590"}


@pytest.mark.parametrize(("args", "message"), [
    ([], "sweep needs --vary"),
    (["--vary", "chips.h200.levy_rate=0:1"], "expected PATH=START:STOP:STEP"),
    (["--vary", "chips.h200.levy=0:1:0.1"], "chips.h200.levy"),
    (["--vary", "chips.h200.levy_rate=0:0.5:0.1", "--metric", "tco"], "tco"),
])
def test_sweep_mistakes_exit_2(args: list[str], message: str) -> None:
    result = run("sweep", BASE, *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.stderr


# sensitivity ------------------------------------------------------------------------


def test_sensitivity_ranks_inputs_widest_first() -> None:
    document = run_json("sensitivity", BASE, "--swing", "10%", "--metric", "tco_usd", "--option", "h200")
    widths = [i["width"] for i in document["inputs"]]
    assert widths == sorted(widths, reverse=True)
    price = next(i for i in document["inputs"] if i["path"] == "chips.h200.price")
    # TCO of the order's chip is linear in its price (t = 0, units order): n * (1 + A * m) * dp, with
    # dp = 2 * 10% * 27k, maintenance m = 10% of the hardware a year and A = (1 - 1.1^-5) / ln 1.1.
    lifetime_factor = (1 - 1.1 ** -5) / math.log(1.1)
    assert lifetime_factor == pytest.approx(3.9773157, abs=1e-7)
    assert price["width"] == pytest.approx(400e3 * (1 + lifetime_factor * 0.1) * 2 * 0.1 * 27e3, rel=1e-9)
    assert document["option"] == "h200" and document["swing"] == 0.1


def test_sensitivity_bad_swing() -> None:
    result = run("sensitivity", BASE, "--swing", "lots")
    assert result.exit_code == 2 and result.stderr.startswith("error: --swing")


MONEY_BASE = """\
assumptions: {levy_pass_through: 100%}
chips:
  a: {price: $30k, levy_rate: 25%, levy_base: "$18k to $22k", tflops: {bf16: 100}}
  c: {price: $10k, tflops: {bf16: 50}, utilization: 100%}
orders:
  - {chip: a, units: 1000}
"""


def test_sensitivity_json_says_how_each_input_moved_and_which_could_not(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(MONEY_BASE, encoding="utf-8")
    document = run_json("sensitivity", str(scenario), "--swing-points", "10", "--metric", "tco_usd",
                        "--option", "a")
    assert document["swing"] == 0.2 and document["swing_points"] == 10
    rows = {row["path"]: row for row in document["inputs"]}
    base = rows["chips.a.levy_base"]  # a money range: its own ends, as money
    assert (base["moved_by"], base["low_value"], base["high_value"]) == ("range", 18000, 22000)
    # b_a = p + t * r * V: T_a = 1000 * (30k + 0.25 * V)
    assert (base["metric_low"], base["metric_high"]) == (1000 * (30000 + 4500), 1000 * (30000 + 5500))
    rate = rows["chips.c.utilization"]  # 100% + 10 points: clamped
    assert (rate["moved_by"], rate["low_value"], rate["high_value"], rate["clamped"]) == ("points", 0.9, 1.0, True)
    assert rows["chips.a.price"]["moved_by"] == "swing" and rows["chips.a.price"]["clamped"] is False
    not_moved = {n["path"]: n for n in document["not_moved"]}
    assert not_moved["chips.c.host_cost"] == {"path": "chips.c.host_cost", "base_value": 0.0, "reason": "at zero"}
    assert "chips.c.levy_rate" not in not_moved  # a rate: moved by points from 0


def test_sensitivity_table_says_how_inputs_moved(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(MONEY_BASE, encoding="utf-8")
    plain = run("sensitivity", str(scenario), "--metric", "tco_usd", "--option", "a").stdout
    assert "range collapsed: chips.a.levy_base $18.0k to $22.0k" in plain  # money, not 1800000%
    rows = {line.split()[0]: line.split()[1] for line in plain.splitlines() if line.startswith("chips.")}
    assert rows["chips.a.levy_base"] == "range" and rows["chips.a.price"] == "±20%"
    assert "range, to the low and high of its range in the scenario" in plain
    assert "not moved, being 0" in " ".join(plain.split())
    with_points = " ".join(run("sensitivity", str(scenario), "--swing-points", "10", "--metric", "tco_usd",
                               "--option", "a").stdout.split())
    assert "±10pt, a rate by 10 percentage points" in with_points
    # maintenance 0% - 10 points is clamped to 0; pass-through 100% + 10 points to 100%
    assert ("clamped to its valid range, so moved less on one side: assumptions.maintenance_rate, "
            "assumptions.levy_pass_through") in with_points


@pytest.mark.parametrize("command", [["sensitivity", BASE], ["sensitivity", UNCERTAIN, "--swing-points", "10"]])
def test_sensitivity_table_fits_80_columns(command: list[str]) -> None:
    table = run(*command).stdout.split("What moves")[1]  # the scenario's title may be longer
    assert max(len(line) for line in table.splitlines()) <= 80


@pytest.mark.parametrize("points", ["0", "101", "-3"])
def test_sensitivity_bad_swing_points(points: str) -> None:
    result = run("sensitivity", BASE, "--swing-points", points)
    assert result.exit_code == 2
    assert result.stderr.startswith("error: swing points must be above 0 and at most 100 percentage points")


def test_sweep_and_goal_seek_show_a_money_levy_base_as_money(tmp_path: Path) -> None:
    scenario = tmp_path / "s.yaml"
    scenario.write_text(MONEY_BASE, encoding="utf-8")
    table = run("sweep", str(scenario), "--vary", "chips.a.levy_base=$10k:$30k:$10k").stdout
    assert [line.split()[0] for line in table.splitlines()[-4:-1]] == ["$10.0k", "$20.0k", "$30.0k"]
    seek = run("breakeven", str(scenario), "--vary", "chips.a.levy_base").stdout
    assert "%" not in seek.split("chips.a.levy_base:")[1]


# simulate -------------------------------------------------------------------------


def test_simulate_same_seed_same_bytes() -> None:
    first = run("simulate", UNCERTAIN, "-n", "20000", "--seed", "3", "-f", "json")
    second = run("simulate", UNCERTAIN, "-n", "20000", "--seed", "3", "-f", "json")
    other = run("simulate", UNCERTAIN, "-n", "20000", "--seed", "4", "-f", "json")
    assert first.exit_code == 0, first.output
    assert first.stdout == second.stdout != other.stdout
    document = json.loads(first.stdout)
    assert document["samples"] == 20000 and document["seed"] == 3
    options = document["orders"][0]["options"]
    assert sum(o["p_cheapest"] for o in options) == pytest.approx(1)
    assert set(options[0]["tco_usd"]) == {"p5", "p50", "p95", "mean"}


def test_simulate_needs_ranges() -> None:
    result = run("simulate", BASE)
    assert result.exit_code == 2
    assert "no uncertain inputs" in result.stderr


# plots ------------------------------------------------------------------------------


@pytest.mark.parametrize("command", [
    ["sweep", BASE, "--vary", "chips.ascend_910c.utilization=20%:60%:5%"],
    ["sweep", BASE, "--vary", "chips.h200.levy_rate=0%:50%:10%", "--vary", "assumptions.levy_pass_through=0:1:0.25",
     "--metric", "cheapest"],
    ["sweep", BASE, "--vary", "chips.h200.levy_rate=0%:50%:10%", "--vary", "assumptions.levy_pass_through=0:1:0.25"],
    ["sensitivity", BASE],
    ["simulate", UNCERTAIN, "-n", "5000"],
])
@pytest.mark.parametrize("suffix", [".svg", ".png"])
def test_plots_are_valid_files(tmp_path: Path, command: list[str], suffix: str) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / f"plot{suffix}"
    result = run(*command, "--plot", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if suffix == ".png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        root = ElementTree.fromstring(data)
        assert root.tag.endswith("svg")
    assert [p.name for p in tmp_path.iterdir()] == [target.name], "no temporary file is left"


def test_plot_needs_svg_or_png(tmp_path: Path) -> None:
    result = run("sensitivity", BASE, "--plot", str(tmp_path / "plot.pdf"))
    assert result.exit_code == 2
    assert "must end in .svg or .png" in result.stderr
    assert not list(tmp_path.iterdir())


def test_plot_without_matplotlib_says_how_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name.startswith("matplotlib"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    result = run("sensitivity", BASE, "--plot", str(tmp_path / "t.svg"))
    assert result.exit_code == 2
    assert "pip install 'chipcalc[plot]'" in result.stderr


# Goldens: the formatting of each what-if command (the numbers are checked above and in the
# library tests). A seeded simulation is reproducible, so its output is a golden file too.

WHATIF_GOLDEN = [
    ("breakeven-h200-2026", ["breakeven", BASE]),
    ("breakeven-vary", ["breakeven", "scenarios/levy-passed-through.yaml", "--vary", "chips.h200.levy_rate"]),
    ("sweep-1d", ["sweep", BASE, "--vary", "assumptions.levy_pass_through=0%:100%:25%", "--metric", "vs_order"]),
    ("sweep-2d", ["sweep", BASE, "--vary", "chips.h200.levy_rate=0%:50%:25%", "--vary",
                  "assumptions.levy_pass_through=0:1:0.5", "--metric", "cheapest"]),
    ("sensitivity", ["sensitivity", BASE, "--swing", "10%"]),
    ("sensitivity-ranges", ["sensitivity", UNCERTAIN, "--swing-points", "10"]),
    ("simulate", ["simulate", UNCERTAIN, "--samples", "2000", "--seed", "7"]),
]


@pytest.mark.parametrize(("name", "command"), WHATIF_GOLDEN, ids=[name for name, _ in WHATIF_GOLDEN])
@pytest.mark.parametrize("fmt", ["table", "json"])
def test_whatif_golden(name: str, command: list[str], fmt: str, golden) -> None:
    result = run(*command, "-f", fmt)
    assert result.exit_code == 0, result.output
    golden(f"{name}.{'txt' if fmt == 'table' else 'json'}", result.stdout)


def test_simulate_says_what_share_of_draws_it_kept_inside_the_valid_range(tmp_path: Path) -> None:
    # pass-through normal from 0% to 50%: its 5th percentile is 0%, a closed bound, so 5% are set to 0%
    path = tmp_path / "s.yaml"
    path.write_text("assumptions:\n  levy_pass_through: {low: 0%, high: 50%, dist: normal}\n"
                    "chips:\n  a: {price: 10k, levy_rate: 20%, tflops: {bf16: 100}}\n  b: {price: 12k, tflops: {bf16: 100}}\n"
                    "orders:\n  - {chip: a, units: 1}\n", encoding="utf-8")
    result = run("simulate", str(path), "-n", "100k", "-f", "json")
    document = json.loads(result.stdout)
    assert document["clamped"]["assumptions.levy_pass_through"] == pytest.approx(0.05, abs=0.003)
    assert document["redrawn"] == {"assumptions.levy_pass_through": 0.0}
    table = run("simulate", str(path), "-n", "100k")
    assert "\nassumptions.levy_pass_through: draws past a bound of its range (from 0% to\n100%), set to the bound: " \
        in table.stdout


def test_simulate_refuses_a_range_with_a_wide_tail_past_an_open_bound(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("chips:\n  a: {price: 10k, levy_rate: 50% to 90%, tflops: {bf16: 100}}\n"
                    "orders:\n  - {chip: a, units: 1}\n", encoding="utf-8")
    result = run("simulate", str(path))
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr.startswith(f"{path}:2:30: chips.a.levy_rate: a lognormal range from 50% to 90% puts 1.3% of "
                                    "its draws at or above 100%")
    assert run("compare", str(path)).exit_code == 0  # elsewhere the range is its midpoint, 70%
