"""The benchmark cannot rot silently: bench/run.py imports and builds its rows, its generated
scenarios are valid, and the sweep floor prints chipcalc's bytes (running the bench itself takes
minutes, so it is not run here)."""

from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch):
    """bench/run.py as a module, with bench/ on the path as when it runs as a script."""
    monkeypatch.syspath_prepend(str(BENCH))
    import run

    return run


def chipcalc(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "chipcalc", *args], capture_output=True, text=True,
                          cwd=ROOT, check=False)


def test_every_row_runs_a_command_chipcalc_has(bench, tmp_path):
    commands = set(re.findall(r"^  (\w+) ", chipcalc("--help").stdout, re.MULTILINE))
    inputs = bench.Inputs(tmp_path, bench.QUICK)
    for row in bench.rows(bench.FULL):
        subject = row.subject(inputs)
        assert subject[:3] == bench.CHIPCALC and subject[3] in commands, row.name
        assert all(Path(argument).exists() for argument in row.floor(inputs)[:2]), row.name
    names = [row.name for row in bench.rows(bench.FULL)]
    assert len(set(names)) == len(names)


def test_generated_scenarios_are_valid_and_different(bench, tmp_path):
    from generate import batch_files, scaling_scenario, small_files

    files = batch_files(tmp_path, 6) + small_files(tmp_path, 2)
    files += [scaling_scenario(tmp_path / "scaled.yaml", chips=7, orders=4),
              scaling_scenario(tmp_path / "mixed.yaml", chips=10, orders=2, platforms=5),
              scaling_scenario(tmp_path / "rules.yaml", chips=10, orders=3, platforms=5, rules=True)]
    result = chipcalc("validate", *map(str, files))
    assert result.returncode == 0, result.stderr
    assert "11 scenarios valid" in result.stderr
    texts = [path.read_text(encoding="utf-8") for path in files]
    assert len(set(texts)) == len(texts)
    # file 3 is file 0's model with levy rates 3 points higher and orders 3% larger
    assert "levy_rate: 28%" in texts[3] and "units: 412k" in texts[3] and "name: b003" in texts[3]
    assert texts[9].count("\n  c0") == 10 and "  p4:\n" in texts[9] and "  p5:" not in texts[9]
    assert "      chips: [c001, c002, c003, c004, c006, c007, c008, c009]\n" in texts[10]
    assert "name: s001" in texts[7] and "levy_rate: 16%" in texts[7] and "units: 101k" in texts[7]


def test_the_sweep_floor_prints_chipcalc_bytes(bench, tmp_path):
    import sweep_floor

    inputs = bench.Inputs(tmp_path, bench.QUICK)
    floor = io.StringIO()
    sweep_floor.write(bench.QUICK.grid_steps, floor)
    result = chipcalc("sweep", bench.SWEEP_SCENARIO, *inputs.sweep_varies(), "-f", "json")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count('"h200"') == bench.QUICK.grid_steps ** 2
    assert floor.getvalue() == result.stdout
