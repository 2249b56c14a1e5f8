"""The JSON Schema agrees with the loader: shipped scenarios pass it, broken ones fail it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app
from chipcalc.schema import scenario_schema

from .conftest import ROOT, SCENARIOS

INVALID = ROOT / "tests" / "invalid"


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "scenario.schema.json"
    result = CliRunner().invoke(app, ["schema", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def check(schema_file: Path, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema_file),
                           *map(str, files)], capture_output=True, text=True)


def test_schema_command_prints_draft_2020_12() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document == scenario_schema()


def test_shipped_scenarios_pass_the_schema(schema_file: Path) -> None:
    result = check(schema_file, *sorted(SCENARIOS.glob("*.yaml")), ROOT / "chipcalc" / "default.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("name", "complaint"), [
    ("unknown-key.yaml", "'utilisation' was unexpected"),
    ("bad-precision.yaml", "'bf61' is not one of"),
    ("units-and-budget.yaml", "is valid under each of"),
    ("missing-price.yaml", "'price' is a required property"),
    ("zero-tflops.yaml", "chips.h200.tflops.bf16"),
    ("range-unknown-dist.yaml", "chips.h200.price"),
])
def test_broken_scenarios_fail_the_schema(schema_file: Path, name: str, complaint: str) -> None:
    result = check(schema_file, INVALID / name)
    assert result.returncode == 1
    assert complaint in result.stdout


def test_every_key_of_the_format_is_in_the_schema() -> None:
    chip = scenario_schema()["$defs"]["scenario"]["properties"]["chips"]["patternProperties"]
    properties = next(iter(chip.values()))["properties"]
    assert {"price", "levy_rate", "levy_base", "tflops", "utilization", "power_w", "host_cost",
            "electricity_usd_per_kwh", "supply_units", "source", "as_of"} <= set(properties)
