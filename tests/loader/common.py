"""What the loader's tests share: repository paths, a file writer, the expected problems of a load,
and the scenarios MINIMAL (one chip) and PARENT (the parent of the `family` fixture's files)."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from chipcalc.errors import ScenarioError
from chipcalc.loader import load_scenario

REPO = Path(__file__).resolve().parent.parent.parent
INVALID = REPO / "tests" / "invalid"
SCENARIOS = REPO / "scenarios"

CHIP_KEYS = ("name, vendor, platform, price, levy_rate, levy_base, tflops, utilization, power_w, "
             "host_cost, electricity_usd_per_kwh, power_draw, facility_usd_per_kw_month, maintenance_rate, "
             "operations_usd_per_year, supply_units, memory_gb, bandwidth_tbps, source, as_of")


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


MINIMAL = """\
chips:
  h200:
    price: $32k
    tflops: {bf16: 989}
"""

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
