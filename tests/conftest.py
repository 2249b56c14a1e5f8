"""Shared fixtures: repository paths, a scenario writer, and golden files."""

from __future__ import annotations

import json
import math
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
GOLDEN = Path(__file__).resolve().parent / "golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="rewrite tests/golden/ from the current output instead of comparing")


@pytest.fixture
def write_scenario(tmp_path: Path):
    """Write YAML text (dedented) to a file in tmp_path and return its path."""

    def write(text: str, name: str = "scenario.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def golden(request: pytest.FixtureRequest):
    """Compare text with tests/golden/NAME, or rewrite it under --update-golden."""

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if request.config.getoption("--update-golden"):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            return
        assert path.exists(), f"no golden file {path.name}: run pytest --update-golden"
        expected = path.read_text(encoding="utf-8")
        if name.endswith(".json") and text != expected:
            # numpy's vectorised exp and log differ in the last bit from one CPU to another (AVX2,
            # AVX-512), and a simulation's percentiles with them: the layout and keys must match
            # exactly, the numbers to 1e-12
            assert _same_document(json.loads(text), json.loads(expected)), (
                f"output differs from tests/golden/{name}; if the change is intended, run pytest --update-golden")
            return
        assert text == expected, (
            f"output differs from tests/golden/{name}; if the change is intended, run pytest --update-golden"
        )

    return check


def _same_document(got: object, expected: object) -> bool:
    """Equal JSON values, floats to a relative 1e-12 (the same keys, in the same order)."""
    if isinstance(expected, dict):
        return (isinstance(got, dict) and list(got) == list(expected)
                and all(_same_document(got[key], value) for key, value in expected.items()))
    if isinstance(expected, list):
        return (isinstance(got, list) and len(got) == len(expected)
                and all(_same_document(a, b) for a, b in zip(got, expected)))
    if isinstance(expected, float) and isinstance(got, float):
        return math.isclose(got, expected, rel_tol=1e-12, abs_tol=1e-300)
    return type(got) is type(expected) and got == expected
