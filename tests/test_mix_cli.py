"""`chipcalc mix` and the fleet mix woven into the other commands: formats, errors, report, compare,
diff, explain, the `mix:` section's format.

The scenario is small enough to work by hand (MODEL.md, fleet mix), energy 0:
a: $10k, 100 effective TFLOP/s, 20% levy (not passed through: L_a = $2k), 1,000 W, on cuda;
b: $6k, 100 effective TFLOP/s, 2,000 W, 300 units, on platform p with a $100k migration.
The order: 1,000 units of a, D = 100,000 TFLOP/s. b is cheaper per TFLOP/s ($60 against $100), so
the mix takes all 300 b and 700 a: TCO = 700 x 10k + 300 x 6k + 100k = $8.9M against $10M for a
alone (vs_order -0.11); levy 700 x 2k = $1.4M; capex 700 x 10k + 300 x 6k = $8.8M. One more b
replaces one a: supply of b binds at 10k - 6k = $4k a unit.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app

SCENARIO = """\
name: small
chips:
  a:
    price: $10k
    levy_rate: 20%
    tflops: {bf16: 100}
    power_w: 1000
  b:
    price: $6k
    tflops: {bf16: 100}
    power_w: 2000
    platform: p
    supply_units: 300
platforms:
  p:
    migration_cost: $100k
orders:
  - name: o
    chip: a
    units: 1000
"""


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def small(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    path = tmp_path / "small.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    return path


def with_mix(path: Path, mix: str, name: str = "limited.yaml") -> Path:
    """A child of `path` with a `mix:` section."""
    child = path.with_name(name)
    child.write_text(f"extends: {path.name}\nname: {child.stem}\nmix:\n{textwrap.indent(mix, '  ')}",
                     encoding="utf-8")
    return child


def mix_json(*args: str) -> dict:
    result = run("mix", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_supply_binds_worked_by_hand(small: Path) -> None:
    (order,) = mix_json(str(small))["scenarios"][0]["orders"]
    assert order["feasible"] is True and order["max_demand_tflops"] is None
    assert math.isclose(order["tco_usd"], 700 * 10e3 + 300 * 6e3 + 100e3, rel_tol=1e-9)
    assert math.isclose(order["levy_usd"], 700 * 0.2 * 10e3, rel_tol=1e-9)
    assert math.isclose(order["capex_usd"], 700 * 10e3 + 300 * 6e3, rel_tol=1e-9)
    assert order["migration_usd"] == 100e3
    assert math.isclose(order["vs_order"], 8.9e6 / 10e6 - 1, rel_tol=1e-9)
    assert [(c["chip"], round(c["units"], 6)) for c in order["chips"]] == [("a", 700), ("b", 300)]
    (binding,) = order["binding"]
    assert (binding["limit"], binding["chip"], binding["rule"], binding["per"]) == ("supply", "b", None, "unit")
    assert math.isclose(binding["marginal_value_usd"], 10e3 - 6e3, rel_tol=1e-6)


def test_json_keys_are_cli_md_s(small: Path) -> None:
    document = mix_json(str(small))
    assert document["schema_version"] == 1
    (order,) = document["scenarios"][0]["orders"]
    assert list(order) == ["name", "demand_tflops", "feasible", "max_demand_tflops", "tco_usd", "levy_usd",
                           "migration_usd", "capex_usd", "vs_order", "order_chip_tco_usd", "chips", "binding"]
    assert list(order["chips"][0]) == ["chip", "units", "share_of_demand", "capex_usd", "levy_usd", "tco_usd"]
    assert list(order["binding"][0]) == ["limit", "chip", "rule", "marginal_value_usd", "per"]


def test_a_share_rule_binds_at_40k_a_point(small: Path) -> None:
    # b at most 20% of D: 200 b, 800 a, TCO 8.0M + 1.2M + 0.1M; one more point is 1,000 TFLOP/s,
    # 10 b for 10 a: 10 x 4k = $40k.
    limited = with_mix(small, "rules:\n  - chips: [b]\n    max_share: 20%\n")
    (order,) = mix_json(str(limited))["scenarios"][0]["orders"]
    assert math.isclose(order["tco_usd"], 800 * 10e3 + 200 * 6e3 + 100e3, rel_tol=1e-9)
    (binding,) = order["binding"]
    assert (binding["limit"], binding["rule"], binding["per"]) == ("max_share", "rule-1", "percentage_point")
    assert math.isclose(binding["marginal_value_usd"], 10 * 4e3, rel_tol=1e-6)


def test_a_power_limit_binds(small: Path) -> None:
    # 1.2 MW: 1,000 W x_a + 2,000 W x_b <= 1.2e6 with x_a + x_b = 1,000 gives x_b = 200; one more MW
    # lets 1e6 / (2,000 - 1,000) = 1,000 more b replace a, at $4k each: $4M a MW.
    limited = with_mix(small, "power_limit_mw: 1.2\n")
    (order,) = mix_json(str(limited))["scenarios"][0]["orders"]
    assert math.isclose(order["tco_usd"], 9.3e6, rel_tol=1e-9)
    (binding,) = order["binding"]
    assert (binding["limit"], binding["per"]) == ("power", "MW")
    assert math.isclose(binding["marginal_value_usd"], 4e6, rel_tol=1e-6)


def test_infeasible_order_has_null_marginal_values(small: Path) -> None:
    # a capped at 500 units: at most (500 + 300) x 100 = 80,000 of the 100,000 TFLOP/s.
    document = mix_json(str(small), "--set", "chips.a.supply_units=500")
    (order,) = document["scenarios"][0]["orders"]
    assert order["feasible"] is False and order["chips"] == [] and order["tco_usd"] is None
    assert math.isclose(order["max_demand_tflops"], 80_000, rel_tol=1e-9)
    assert {(b["limit"], b["chip"], b["marginal_value_usd"]) for b in order["binding"]} == {
        ("supply", "a", None), ("supply", "b", None)}
    table = run("mix", str(small), "--set", "chips.a.supply_units=500").stdout
    assert "No mix fits order o" in table and "80.0k of its 100k effective TFLOP/s (80%)" in table


def test_csv_one_row_per_order_and_chip_and_a_header_without_rows(small: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(run("mix", str(small), "-f", "csv").stdout)))
    assert [(r["scenario"], r["order"], r["chip"]) for r in rows] == [("small", "o", "a"), ("small", "o", "b")]
    assert rows[0]["mix_tco_usd"] == rows[1]["mix_tco_usd"] and rows[0]["mix_max_demand_tflops"] == ""
    empty = run("mix", str(small), "--set", "chips.a.supply_units=500", "-f", "csv").stdout
    assert empty.splitlines() == [",".join(rows[0])]


@pytest.mark.parametrize(("fmt", "marker"), [("table", "Fleet mix for order o"),
                                             ("markdown", "| a | 700 | 70% |"),
                                             ("json", '"feasible": true'), ("csv", "scenario,order,")])
def test_every_format_and_output_file(small: Path, fmt: str, marker: str) -> None:
    result = run("mix", str(small), "-f", fmt)
    assert result.exit_code == 0 and marker in result.stdout
    if fmt == "table":
        assert max(len(line) for line in result.stdout.splitlines()) <= 80
    target = small.with_name(f"out.{ {'table': 'txt', 'markdown': 'md'}.get(fmt, fmt)}")
    assert run("mix", str(small), "-f", fmt, "-o", str(target)).exit_code == 0
    assert target.read_text(encoding="utf-8") == result.stdout


def test_binding_table_names_the_limit_and_its_value(small: Path) -> None:
    table = run("mix", str(small)).stdout
    assert "supply of b    1 unit      $4.00k\n" in table
    assert "Mix TCO $8.90M with migration $100k: -11% vs a alone ($10.0M)." in table
    assert "Levy paid to the US: $1.40M." in table


@pytest.mark.parametrize(("mix", "where", "message"), [
    ("rules:\n  - chips: [a, bb]\n    min_share: 10%\n", "5:18", "mix.rules[0].chips[1]: no chip 'bb' in this "
     "scenario; did you mean 'b'?"),
    ("rules:\n  - chips: [b]\n    min_share: 40%\n    max_share: 30%\n", "7:18",
     "mix.rules[0].max_share: must be at least min_share (40%; got 30%)"),
    ("rules:\n  - chips: [b]\n", "5:7", "mix.rules[0]: gives neither min_share nor max_share"),
    ("power_limit_mw: 0\n", "4:19", "mix.power_limit_mw: must be positive (got 0)"),
    ("capex_limit: -5M\n", "4:16", "mix.capex_limit: must be positive"),
    ("rules:\n  - chips: []\n    max_share: 10%\n", "5:14", "mix.rules[0].chips: must list at least one key"),
    ("rules:\n  - name: x\n    chips: [a]\n    max_share: 5%\n  - name: x\n    chips: [b]\n    max_share: 5%\n",
     "8:13", "mix.rules[1].name: rule name 'x' is already used by mix.rules[0]"),
])
def test_mix_errors_at_file_line_column(small: Path, mix: str, where: str, message: str) -> None:
    with_mix(small, mix)
    result = run("mix", "limited.yaml")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"limited.yaml:{where}: {message}"), result.stderr
    checked = run("validate", "limited.yaml")
    assert checked.exit_code == 1 and f"limited.yaml:{where}: {message}" in checked.stdout


def test_set_a_rule_s_chips(small: Path) -> None:
    limited = with_mix(small, "rules:\n  - name: cap\n    chips: [a]\n    max_share: 100%\n")
    (order,) = mix_json(str(limited), "--set", "mix.rules[0].chips=[b]",
                        "--set", "mix.rules[0].max_share=20%")["scenarios"][0]["orders"]
    assert [b["rule"] for b in order["binding"]] == ["cap"]
    assert math.isclose(order["tco_usd"], 9.3e6, rel_tol=1e-9)


def test_schema_has_the_mix_section() -> None:
    schema = json.loads(run("schema").stdout)
    rule = schema["$defs"]["scenario"]["properties"]["mix"]["properties"]["rules"]["items"]
    assert rule["properties"]["chips"]["type"] == "array" and rule["properties"]["chips"]["minItems"] == 1
    assert rule["properties"]["chips"]["items"]["type"] == "string"
    assert rule["required"] == ["chips"]


def test_report_has_a_fleet_mix_section_only_when_a_mix_says_more(small: Path, tmp_path: Path) -> None:
    plenty = with_mix(small, "{}\n", name="plenty.yaml")
    plenty.write_text(plenty.read_text(encoding="utf-8") + "chips:\n  b:\n    supply_units: 2000\n",
                      encoding="utf-8")
    limited = with_mix(small, "rules:\n  - name: cap\n    chips: [b]\n    max_share: 20%\n    source: 'A: a cap'\n")
    assert run("report", str(small), str(plenty), str(limited), "--out", "out").exit_code == 0
    short, enough, capped = ((tmp_path / "out" / f"{n}.md").read_text(encoding="utf-8")
                             for n in ("small", "plenty", "limited"))
    assert "## Fleet mix" in short and "| a | 700 | 70% |" in short  # b is short of supply
    assert "## Fleet mix" not in enough  # all b is feasible: the mix is the cheapest option alone
    assert "| cap: b | at most 20% | A: a cap |" in capped
    assert run("report", str(small), str(plenty), "--out", "json", "-f", "json").exit_code == 0
    short_json, enough_json = (json.loads((tmp_path / "json" / f"{n}.json").read_text(encoding="utf-8"))
                               for n in ("small", "plenty"))
    assert math.isclose(short_json["mix"][0]["tco_usd"], 8.9e6, rel_tol=1e-9) and enough_json["mix"] is None


def test_compare_summary_has_the_cheapest_feasible_mix(small: Path) -> None:
    limited = with_mix(small, "power_limit_mw: 1.2\n")
    table = run("compare", str(small), str(limited)).stdout
    summary = table[table.index("Scenarios side by side: order o\n"):]  # the order's rows, in a table of its own
    assert "cheapest feasible mix, TCO" in summary and "$8.90M" in summary and "$9.30M" in summary
    assert "mix units of b" in summary and "mix levy paid" in summary


def test_diff_lists_mix_changes_and_max_change_gates_them(small: Path) -> None:
    limited = with_mix(small, "rules:\n  - name: cap\n    chips: [b]\n    max_share: 20%\n")
    document = json.loads(run("diff", str(small), str(limited), "-f", "json").stdout)
    changed = {(c["where"], c["field"]): (c["old"], c["new"]) for c in document["outcomes"]}
    assert changed[("order o, mix", "binding")] == ("supply b", "max_share cap")
    old_units, new_units = changed[("order o, mix, chip b", "units")]
    assert math.isclose(old_units, 300) and math.isclose(new_units, 200)
    assert ("order o, mix", "tco_usd") in changed and ("order o, mix", "levy_usd") in changed
    assert any(c["path"] == "mix.rules[0].chips" and c["new"] == ["b"] for c in document["inputs"])
    shown = run("diff", str(small), str(limited)).stdout
    assert re.search(r"mix\.rules\[0\]\.chips +\(absent\) +\[b\]", shown)
    cells = list(csv.DictReader(io.StringIO(run("diff", str(small), str(limited), "-f", "csv").stdout)))
    assert [(row["new"], row["new_text"]) for row in cells if row["field"] == "mix.rules[0].chips"] == [("", "[b]")]
    gated = run("diff", str(small), str(limited), "--max-change", "1000%")  # the binding limit changed
    assert gated.exit_code == 1 and "order o, mix: binding supply b -> max_share cap" in gated.stderr
    assert run("diff", str(small), str(small), "--max-change", "0%").exit_code == 0


def test_explain_traces_the_mix_tco_to_its_terms(small: Path) -> None:
    document = json.loads(run("explain", str(small), "mix.tco_usd", "-f", "json").stdout)
    assert document["formula"] == "tco_usd = x_1 × k_1 + x_2 × k_2 + M_2; chips 1 = a, 2 = b"
    assert math.isclose(document["value"], 8.9e6, rel_tol=1e-9)
    terms = {t["symbol"]: t for t in document["terms"]}
    assert math.isclose(terms["x_1"]["value"], 700) and math.isclose(terms["x_2"]["value"], 300)
    assert terms["k_1"]["value"] == 10e3 and terms["k_2"]["value"] == 6e3 and terms["M_2"]["value"] == 100e3
    assert terms["p_2"]["path"] == "chips.b.price"
    assert run("explain", str(small), "mix.tco_usd", "--chip", "a").exit_code == 2


def test_compare_loads_no_solver_and_mix_loads_highspy_alone() -> None:
    from .test_architecture import modules_imported_by

    assert not {"scipy", "highspy"} & modules_imported_by("compare", "scenarios/h200-2026.yaml")
    # highspy, not scipy.optimize: importing scipy.optimize costs about a second, the solves 0.01 s
    mix = modules_imported_by("mix", "scenarios/h200-2026.yaml")
    assert "highspy" in mix and "scipy" not in mix


def test_the_shipped_mix_scenarios_answer_their_questions() -> None:
    root = Path(__file__).resolve().parent.parent
    base, quota, power = (json.loads(subprocess.run(
        ["chipcalc", "mix", f"scenarios/{name}.yaml", "-f", "json"], cwd=root, capture_output=True, text=True,
        check=True).stdout)["scenarios"][0]["orders"][0] for name in ("h200-2026", "domestic-quota", "power-limited"))
    assert [c["chip"] for c in base["chips"]] == ["h200"] and base["binding"] == []
    assert math.isclose(base["levy_usd"], 400e3 * 27e3 * 0.25, rel_tol=1e-9)  # all from NVIDIA: $2.70B
    domestic = sum(c["share_of_demand"] for c in quota["chips"] if c["chip"] != "h200")
    assert math.isclose(domestic, 0.30, rel_tol=1e-9)
    assert {b["limit"] for b in quota["binding"]} == {"min_share", "supply"}
    assert [b["limit"] for b in power["binding"]] == ["power"]
