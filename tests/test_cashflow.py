"""`chipcalc cashflow`: cash flows period by period (MODEL.md, cash flows), worked by hand, and the
command in every format, with its plot."""

from __future__ import annotations

import csv
import io
import json
import math
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from pytest import approx
from typer.testing import CliRunner

from chipcalc.analysis.cashflow import by_year, cash_flows, cumulative_usd, period_count
from chipcalc.cli import app
from chipcalc.documents.cashflow import CSV_COLUMNS
from chipcalc.loader import ScenarioLoader
from chipcalc.model import evaluate

DELTA = math.log(1.1)

# Per unit of a: H = 10,000; a year: energy 1 kW * 8760 h * $0.10 = $876, facility 1 kW * 12 * $10 =
# $120, maintenance 5% * 10,000 = $500, operations $1,000: R_a = $2,496. c has the same throughput
# at $14,000 and no running cost but $1,000 of operations: R_c = 1,000 + 5% * 14,000 = $1,700.
WORKED = """\
assumptions: {{lifetime_years: {life}, discount_rate: 10%, electricity_usd_per_kwh: 0.10,
               facility_usd_per_kw_month: 10, maintenance_rate: 5%, operations_usd_per_year: 1000}}
chips:
  a: {{price: 10000, power_w: 1000, tflops: {{bf16: 100}}}}
  c: {{price: 14000, tflops: {{bf16: 100}}}}
orders: [{{name: o, chip: a, units: 100}}, {{name: p, chip: c, units: 10}}]
"""
N = 100


@pytest.fixture(autouse=True)
def eighty_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def document(path: Path, *args: str) -> dict:
    result = run("cashflow", str(path), *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def options(path: Path, *args: str, order: int = 0) -> dict[str, dict]:
    return {o["chip"]: o for o in document(path, *args)["scenarios"][0]["orders"][order]["options"]}


@pytest.fixture
def worked(write_scenario) -> Path:
    return write_scenario(WORKED.format(life=5))


def test_yearly_periods_worked_by_hand(worked: Path) -> None:
    a = options(worked)["a"]["periods"]
    assert len(a) == 6
    assert a[0] == {"period": 0, "start_years": 0.0, "end_years": 0.0, "capex_usd": N * 10000,
                    "migration_usd": 0.0, "energy_usd": 0.0, "facility_usd": 0.0, "maintenance_usd": 0.0,
                    "operations_usd": 0.0, "total_usd": N * 10000, "discounted_usd": N * 10000,
                    "cumulative_discounted_usd": N * 10000}
    cumulative = N * 10000
    for k in range(1, 6):
        row = a[k]
        assert (row["start_years"], row["end_years"]) == (k - 1, k)
        assert row["energy_usd"] == approx(N * 876)  # nominal: paid in the year, undiscounted
        assert row["facility_usd"] == approx(N * 120)
        assert row["maintenance_usd"] == approx(N * 500)
        assert row["operations_usd"] == approx(N * 1000)
        assert row["total_usd"] == approx(N * 2496)
        # discounted: n R a(k-1, k) = 100 * 2,496 * (1.1^-(k-1) - 1.1^-k) / ln 1.1
        assert row["discounted_usd"] == approx(N * 2496 * (1.1 ** -(k - 1) - 1.1 ** -k) / DELTA, rel=1e-12)
        cumulative += row["discounted_usd"]
        assert row["cumulative_discounted_usd"] == approx(cumulative, rel=1e-12)
    # the whole life: 100 * (10,000 + 2,496 * A), A = (1 - 1.1^-5) / ln 1.1 = 3.9773157
    assert a[-1]["cumulative_discounted_usd"] == approx(N * (10000 + 2496 * 3.9773157), rel=1e-8)


def test_discounted_periods_add_up_to_compare_tco(worked: Path) -> None:
    result = run("compare", str(worked), "-f", "json")
    compared = json.loads(result.stdout)["scenarios"][0]["orders"]
    flows = document(worked, "--period", "month")["scenarios"][0]["orders"]
    for order, expected in zip(flows, compared):
        tco = {o["chip"]: o["tco_usd"] for o in expected["options"]}
        assert [o["chip"] for o in order["options"]] == list(tco)  # cheapest first, as compare lists them
        for option in order["options"]:
            total = math.fsum(p["discounted_usd"] for p in option["periods"])
            assert total == approx(tco[option["chip"]], rel=1e-9)
            assert option["periods"][-1]["cumulative_discounted_usd"] == approx(tco[option["chip"]], rel=1e-9)


def test_payback_is_breakeven_6_and_the_curves_cross_there(worked: Path) -> None:
    # U = 100 * (14,000 - 10,000) = 400,000; V = 100 * (2,496 - 1,700) = 79,600; A* = U / V;
    # L* = -ln(1 - A* ln 1.1) / ln 1.1 = 6.84 years: beyond the 5-year life, inside an 8-year one.
    flows = options(worked)
    factor = 400000 / 79600
    payback = -math.log(1 - factor * DELTA) / DELTA
    assert flows["c"]["payback_years"] == approx(payback, rel=1e-12)
    assert flows["a"]["payback_years"] is None
    scenario = ScenarioLoader().load(str(worked), ["assumptions.lifetime_years=8"])
    result = evaluate(scenario)
    (flowed,) = cash_flows([result], 1.0, "o")
    a, c = sorted(flowed.orders[0].options, key=lambda o: o.chip)
    assert c.crossing is not None and a.crossing is None
    assert c.crossing.years == result.orders[0].options[0].breakeven.lifetime_years.value == approx(payback)
    assert c.crossing.cheaper_after
    assert cumulative_usd(c, payback, 0.1) == approx(cumulative_usd(a, payback, 0.1), rel=1e-12)
    gap = [y.cumulative_discounted_usd - x.cumulative_discounted_usd for x, y in zip(a.periods, c.periods)]
    assert gap[6] > 0 > gap[7]  # c dearer after 6 years, cheaper after 7


def test_no_crossing_inside_the_life(worked: Path) -> None:
    (flowed,) = cash_flows([evaluate(ScenarioLoader().load(str(worked), ()))], 1.0)
    assert all(o.crossing is None for o in flowed.orders[0].options)


@pytest.mark.parametrize(("period", "life", "count", "last"), [
    ("quarter", 4.1, 17, 0.1),  # 16 whole quarters and 0.1 of a year
    ("month", 4.1, 50, 4.1 - 49 / 12),
    ("month", 5, 60, 1 / 12),  # 5 / (1/12) is 60.000000000000014: the 1e-9 keeps it 60
    ("year", 4.5, 5, 0.5),
])
def test_period_counts(write_scenario, period: str, life: float, count: int, last: float) -> None:
    assert period_count(life, {"year": 1.0, "quarter": 0.25, "month": 1 / 12}[period]) == count
    periods = options(write_scenario(WORKED.format(life=life)), "--period", period)["a"]["periods"]
    assert len(periods) == 1 + count
    assert periods[-1]["end_years"] == life
    assert periods[-1]["end_years"] - periods[-1]["start_years"] == approx(last)
    assert periods[-1]["operations_usd"] == approx(N * 1000 * last)


def test_period_years_at_the_top(worked: Path) -> None:
    assert document(worked, "--period", "quarter")["period_years"] == 0.25
    assert document(worked, "--period", "month")["period_years"] == 1 / 12
    top = document(worked)
    assert list(top) == ["schema_version", "period_years", "scenarios"] and top["period_years"] == 1.0
    option = top["scenarios"][0]["orders"][0]["options"][0]
    assert list(option) == ["chip", "payback_years", "periods"]
    assert list(option["periods"][0]) == list(CSV_COLUMNS[4:])


def test_order_option_picks_one_order(worked: Path) -> None:
    orders = document(worked, "--order", "p")["scenarios"][0]["orders"]
    assert [(o["name"], o["chip"]) for o in orders] == [("p", "c")]
    assert len(document(worked)["scenarios"][0]["orders"]) == 2


def test_csv_has_a_row_per_period(worked: Path) -> None:
    result = run("cashflow", str(worked), "-f", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.stdout.splitlines()[0] == ",".join(CSV_COLUMNS)
    assert len(rows) == 2 * 2 * 6  # orders x options x (period 0 and 5 years)
    assert (rows[0]["scenario"], rows[0]["order"], rows[0]["period"]) == ("scenario", "o", "0")


def test_csv_without_orders_is_its_header(write_scenario) -> None:
    path = write_scenario("chips:\n  a: {price: 1000, tflops: {bf16: 10}}\n")
    result = run("cashflow", str(path), "-f", "csv")
    assert result.exit_code == 0 and result.stdout == ",".join(CSV_COLUMNS) + "\n"
    assert "no orders" in run("cashflow", str(path)).stdout


def test_table_fits_80_columns_and_marks_the_crossing(worked: Path) -> None:
    result = run("cashflow", str(worked), "--set", "assumptions.lifetime_years=8")
    assert result.exit_code == 0
    assert max(len(line) for line in result.stdout.splitlines()) <= 80
    assert "after 6.84 years" in result.stdout
    assert "c and a have cost the same" in result.stdout and "at 6.84 years" in result.stdout
    assert "\n3       2-3 " in result.stdout


def test_monthly_table_of_five_years_shows_years(worked: Path) -> None:
    text = run("cashflow", str(worked), "--period", "month").stdout
    assert "a: cash flows by year" in text and "\n49-60   4-5 " in text
    assert "60 months added up by year; -f csv or -f json carry every period." in text
    assert "61-" not in text and "\n13      " not in text


def test_yearly_subtotals_add_up(worked: Path) -> None:
    (flowed,) = cash_flows([evaluate(ScenarioLoader().load(str(worked), ()))], 1 / 12)
    months = flowed.orders[0].options[0].periods
    years = by_year(months)
    assert [p.period for p in years] == [0, 12, 24, 36, 48, 60]
    assert years[2].start_years == approx(1) and years[2].end_years == approx(2)
    assert years[2].discounted_usd == approx(math.fsum(p.discounted_usd for p in months[13:25]), rel=1e-12)
    assert years[-1].cumulative_discounted_usd == months[-1].cumulative_discounted_usd


def test_markdown(worked: Path) -> None:
    text = run("cashflow", str(worked), "-f", "markdown").stdout
    assert "### Order o (a): the cost of each option over time" in text
    assert "| period | years | upfront | running | discounted | cumulative |" in text


def test_mistakes_exit_2(worked: Path, tmp_path: Path) -> None:
    week = run("cashflow", str(worked), "--period", "week")
    assert (week.exit_code, week.stderr) == (2, "error: --period 'week': expected year, quarter, month\n")
    missing = run("cashflow", str(worked), "--order", "q")
    assert missing.exit_code == 2 and missing.stderr.startswith("error: no order 'q'")
    gif = run("cashflow", str(worked), "--plot", str(tmp_path / "x.gif"))
    assert gif.exit_code == 2 and not (tmp_path / "x.gif").exists()


@pytest.mark.parametrize("suffix", ["svg", "png"])
def test_plot_is_a_picture(worked: Path, tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / f"flows.{suffix}"
    result = run("cashflow", str(worked), "--set", "assumptions.lifetime_years=8", "--plot", str(target))
    assert result.exit_code == 0, result.output
    data = target.read_bytes()
    if suffix == "png":
        assert data.startswith(b"\x89PNG\r\n\x1a\n")
    else:
        root = ElementTree.fromstring(data)
        assert root.tag.endswith("svg")
        text = data.decode("utf-8")
        assert "Cumulative discounted cost" in text and "costs as much as a" in text
