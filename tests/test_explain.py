"""explain: the formula, every term's value, and where each input was written."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app

PARENT = """\
    assumptions: {levy_pass_through: 100%, lifetime_years: 2}
    chips:
      a: {price: $10k, levy_rate: 20%, tflops: {bf16: 100}, host_cost: $1k}
      c: {price: $5k, tflops: {bf16: 40}, platform: other}
    platforms:
      other: {migration_cost: 1M, source: guess}
    orders:
      - {name: o, chip: a, units: 1k, source: the buyer}
    """
CHILD = """\
    extends: parent.yaml
    chips:
      a: {utilization: 50%}
    """


@pytest.fixture
def child(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "parent.yaml").write_text(textwrap.dedent(PARENT), encoding="utf-8")
    (tmp_path / "child.yaml").write_text(textwrap.dedent(CHILD), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return "child.yaml"


def explain_json(*args: str) -> dict:
    result = CliRunner().invoke(app, ["explain", *args, "-f", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_terms_point_at_their_lines_through_extends_set_and_defaults(child: str) -> None:
    document = explain_json(child, "tco_usd", "--chip", "c", "--set", "chips.c.utilization=80%")
    terms = {t["symbol"]: t for t in document["terms"]}
    # b_a = 10k / (1 - 1 * 0.2) = 12.5k; e_a = 100 * 0.5 = 50; D = 1k * 50; n_c = D / (40 * 0.8)
    assert terms["D"]["value"] == pytest.approx(1000 * 50)
    assert terms["n_c"]["value"] == pytest.approx(1000 * 50 / 32)
    assert document["value"] == pytest.approx(1000 * 50 / 32 * 5000 + 1e6)  # T_c = n_c * k_c + M_c
    assert terms["u_a"]["where"] == "child.yaml:3:20"
    assert terms["p_c"]["where"] == "parent.yaml:4:14 (inherited)"
    assert terms["u_c"]["where"] == "--set:1:21"
    assert terms["h_c"]["where"] == "default"
    assert terms["m"]["source"] == "guess"
    assert terms["n_a"]["source"] == "the buyer"
    assert document["formula"] == "T_c = n_c × k_c + M_c"


def test_table_marks_inherited_values(child: str) -> None:
    result = CliRunner().invoke(app, ["explain", child, "buyer_price_usd"])
    assert result.exit_code == 0
    assert "b_a = p_a / (1 − t × rho_a)" in result.stdout
    assert "= $12.5k (12500.0)" in result.stdout
    assert "parent.yaml:3:14 (inherited)" in result.stdout


def test_breakeven_defaults_to_the_cheapest_other_option(child: str) -> None:
    document = explain_json(child, "breakeven.levy_rate")
    assert document["chip"] == "c"
    assert document["formula"].startswith("r* = (1 − p_a / b*) / (t × s_a)")
    assert {"T_c", "M_a", "n_a", "A", "Ey_a", "h_a", "p_a", "t", "s_a"} <= {t["symbol"] for t in document["terms"]}


MONEY_BASES = """\
assumptions: {levy_pass_through: 100%}
chips:
  a: {price: $30k, levy_rate: 25%, levy_base: $20k, tflops: {bf16: 100}}
  c: {price: $10k, levy_rate: 20%, levy_base: $8k, tflops: {bf16: 50}}
orders:
  - {name: o, chip: a, units: 1k}
"""


def test_levy_rate_breakeven_on_a_money_base_shows_the_customs_value(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("s.yaml").write_text(MONEY_BASES, encoding="utf-8")
    document = explain_json("s.yaml", "breakeven.levy_rate")
    assert document["formula"].startswith("r* = (b* − p_a) / (t × V_a), b* = ")
    terms = {t["symbol"]: t for t in document["terms"]}
    assert "s_a" not in terms and terms["V_a"]["value"] == 20000
    # b* = T_c / n_a = 2000 units * b_c / 1000, b_c = 10k + 20% * 8k = 11.6k: b* = 23.2k < p_a = 30k
    assert (document["value"], document["reason"]) == (0.0, "always")


def test_price_breakeven_on_a_money_base_shows_the_levy_per_unit(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("s.yaml").write_text(MONEY_BASES, encoding="utf-8")
    document = explain_json("s.yaml", "breakeven.price_usd")
    assert document["formula"].startswith("p* = b* − t × L_c, b* = ")
    terms = {t["symbol"] for t in document["terms"]}
    assert "L_c" in terms and "rho_c" not in terms
    # T_a = 1000 * (30k + 25% * 20k) = 35M; b* = 35M / 2000 = 17.5k; p* = 17.5k - 20% * 8k = 15.9k
    assert document["value"] == pytest.approx(15900)


def test_order_level_metric_from_a_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("s.yaml").write_text("chips: {a: {price: $10k, levy_rate: 25%, tflops: {bf16: 1}}}\n"
                              "orders: [{chip: a, budget: 40B}]\n", encoding="utf-8")
    document = explain_json("s.yaml", "levy_usd")
    assert document["chip"] is None and document["value"] == pytest.approx(10e9)  # 40B * 25%, t = 0
    assert [t["symbol"] for t in document["terms"]][:2] == ["n_a", "budget"]


@pytest.mark.parametrize(("args", "message"), [
    (["tco"], "error: cannot explain 'tco': did you mean tco_usd"),
    (["tco_usd", "--chip", "zz"], "error: no chip 'zz'"),
    (["tco_usd", "--order", "nope"], "error: no order 'nope' in child.yaml; orders: o"),
    (["breakeven.price_usd", "--chip", "a"], "error: a is the order's own chip"),
])
def test_mistakes(child: str, args: list[str], message: str) -> None:
    result = CliRunner().invoke(app, ["explain", child, *args])
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
