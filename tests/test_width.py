"""Every command's table read at 80 columns, as a new user first sees it: piped (plain text) and on a
terminal (rich, forced), on the shipped scenarios. No line may be wider than 80 and no cell may be
cut off with `…`: long headers wrap, long text folds or moves to a note, a chip becomes a letter
with a legend, wide tables split into groups of columns (render/fit.py).

Not here: `schema` prints JSON, and the files `report` writes are Markdown (GitHub tables scroll);
what `report` prints is checked. A problem `validate` finds stays on one line, FILE:LINE:COL: PATH:
message, for editors and grep, however long.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app
from chipcalc.cli.group import COMMANDS as REGISTERED

from .conftest import ROOT, SCENARIOS

SHIPPED = [f"scenarios/{path.name}" for path in sorted(SCENARIOS.glob("*.yaml"))]
BASE = "scenarios/h200-2026.yaml"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

COMMANDS: dict[str, list[str]] = {
    "compare": ["compare", *SHIPPED],  # with a side-by-side summary of all of them
    "compare-four": ["compare", "scenarios/levy-absorbed.yaml", "scenarios/levy-passed-through.yaml",
                     "scenarios/h20-2025.yaml", "scenarios/domestic-quota.yaml"],
    "chips": ["chips", *SHIPPED],
    "levy": ["levy", *SHIPPED],
    "mix": ["mix", *SHIPPED],
    "validate": ["validate", *SHIPPED],
    **{f"breakeven-{Path(path).stem}": ["breakeven", path] for path in SHIPPED},  # it takes one scenario
    "breakeven-vary": ["breakeven", "scenarios/levy-passed-through.yaml", "--vary", "chips.h200.levy_rate"],
    "sweep-1d": ["sweep", BASE, "--vary", "assumptions.levy_pass_through=0%:100%:10%", "--metric", "vs_order"],
    "sweep-1d-fine": ["sweep", BASE, "--vary", "chips.ascend_910c.utilization=20%:60%:1%"],
    "sweep-2d-cheapest": ["sweep", BASE, "--vary", "chips.h200.levy_rate=0%:50%:5%", "--vary",
                          "assumptions.levy_pass_through=0:1:0.05", "--metric", "cheapest"],
    "sweep-2d-tco": ["sweep", BASE, "--vary", "chips.h200.levy_rate=0%:50%:5%", "--vary",
                     "assumptions.levy_pass_through=0:1:0.05"],
    "sensitivity": ["sensitivity", BASE],
    "sensitivity-ranges": ["sensitivity", "scenarios/h200-2026-uncertain.yaml", "--swing-points", "10"],
    "simulate": ["simulate", "scenarios/h200-2026-uncertain.yaml", "-n", "2000"],
    "cashflow": ["cashflow", *SHIPPED],
    "cashflow-quarter": ["cashflow", "scenarios/levy-passed-through.yaml", "--period", "quarter"],
    "report": ["report", *SHIPPED, "--out", "reports"],  # run in a folder of its own
    "diff": ["diff", "scenarios/h20-2025.yaml", BASE],  # sources and names changed, chips added
    "diff-levy": ["diff", "scenarios/levy-absorbed.yaml", "scenarios/levy-passed-through.yaml"],
    "diff-quota": ["diff", BASE, "scenarios/domestic-quota.yaml"],
    "explain": ["explain", BASE, "tco_usd", "--chip", "ascend_910c"],
    "explain-breakeven": ["explain", "scenarios/levy-passed-through.yaml", "breakeven.levy_rate"],
    "explain-order": ["explain", "scenarios/article-check.yaml", "levy_usd", "--order", "h20-same-spend"],
}
TERMINALS = {"piped": {}, "terminal": {"FORCE_COLOR": "1"}}


@pytest.fixture(autouse=True)
def at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    for name in ("FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)


def test_every_command_is_here() -> None:
    assert {args[0] for args in COMMANDS.values()} | {"schema"} == set(REGISTERED)
    assert len(SHIPPED) >= 10


@pytest.mark.parametrize("where", TERMINALS)
@pytest.mark.parametrize("name", COMMANDS)
def test_every_table_fits_80_columns_with_nothing_cut_off(name: str, where: str, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    if name == "report":  # its reports go to a folder of the test's, next to the shipped scenarios
        (tmp_path / "scenarios").symlink_to(SCENARIOS)
        monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, COMMANDS[name], env={"COLUMNS": "80", **TERMINALS[where]})
    assert result.exit_code == 0, result.output
    shown = ANSI.sub("", result.stdout + result.stderr)
    assert where == "piped" or name in ("validate", "report") or "\x1b[" in result.stdout, "rich drew it"
    wide = [line for line in shown.splitlines() if len(line) > 80]
    assert not wide, f"{len(wide)} lines wider than 80, the first {len(wide[0])}: {wide[0]!r}"
    assert "…" not in shown, "a cell cut off"
