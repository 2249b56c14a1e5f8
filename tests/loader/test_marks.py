"""YAML with positions: aliases bounded, duplicate and merge keys, marks of every value (origins)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from chipcalc.loader import load_scenario
from chipcalc.spec import Mark

from .common import MINIMAL, REPO, SCENARIOS, problems_of, write


# Billion laughs: bounded time -----------------------------------------------

LAUGHS_SCRIPT = """
import sys, time
from chipcalc.errors import ScenarioError
from chipcalc.loader import load_scenario
try:
    load_scenario(sys.argv[1])
    print("loaded")
except ScenarioError as error:
    print("invalid", len(error.problems))
"""


def _limit_memory():  # pragma: no cover - runs in the child process
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


@pytest.mark.parametrize("name", ["billion-laughs.yaml", "billion-laughs-extends.yaml"])
def test_billion_laughs_loads_or_fails_quickly(name):
    start = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-c", LAUGHS_SCRIPT, f"tests/invalid/{name}"],
            cwd=REPO, capture_output=True, text=True, timeout=15, preexec_fn=_limit_memory,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: still loading after 15 s (aliases expanded?)")
    elapsed = time.monotonic() - start
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[0] in ("loaded", "invalid")
    assert elapsed < 10


# YAML details -------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("chips:\n  h200:\n    price: $32k\n    tflops: {bf16: 989, bf16: 990}\n",
         "s.yaml:4:25: chips.h200.tflops.bf16: duplicate key 'bf16' (first given at line 4); "
         "YAML would silently keep only the last one: remove one of them"),
        (MINIMAL + "chips:\n  h20:\n    price: $1\n",
         "s.yaml:5:1: chips: duplicate key 'chips' (first given at line 1); "
         "YAML would silently keep only the last one: remove one of them"),
        (MINIMAL + "orders:\n  - chip: h200\n    units: 1\n    units: 2\n",
         "s.yaml:8:5: orders[0].units: duplicate key 'units' (first given at line 7); "
         "YAML would silently keep only the last one: remove one of them"),
    ],
)
def test_duplicate_keys_are_detected(tmp_path, monkeypatch, text, expected):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", text)
    assert problems_of("s.yaml") == [expected]


def test_duplicate_key_is_detected_at_all(tmp_path, monkeypatch):
    """Whatever the path form, a duplicate key is an error naming the key and both lines."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL + "    price: $30k\n")
    (problem,) = problems_of("s.yaml")
    assert problem.startswith("s.yaml:5:5: ")
    assert "duplicate key 'price' (first given at line 3)" in problem


def test_yaml_merge_keys_with_explicit_override(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        chips:
          h200: &nvidia
            vendor: NVIDIA
            price: $32k
            levy_rate: 25%
            tflops: {bf16: 989}
          h20:
            price: $13.5k
            <<: *nvidia
            tflops: {bf16: 148}
          h100:
            <<: *nvidia
            price: $25k
        """)
    scenario = load_scenario("s.yaml")
    h20, h100 = scenario.chips["h20"], scenario.chips["h100"]
    assert (h20.vendor, h20.price_usd, h20.levy_rate, dict(h20.tflops)) == ("NVIDIA", 13500.0, 0.25,
                                                                            {"bf16": 148.0})
    assert (h100.vendor, h100.price_usd, dict(h100.tflops)) == ("NVIDIA", 25000.0, {"bf16": 989.0})
    assert scenario.chips["h200"].price_usd == 32000.0


def test_undefined_alias(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", MINIMAL + "    source: *nope\n")
    (problem,) = problems_of("s.yaml")
    assert problem.startswith("s.yaml:5:13: invalid YAML: ")
    assert "undefined alias" in problem


# Origins ------------------------------------------------------------------


def test_origins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", """\
        # a comment
        assumptions:
          pue: 1.3
        chips:
          h200:
            price: $32k
            tflops: {bf16: 989, fp8: 1979}
        orders:
          - chip: h200
            units: 400k
        """)
    origins = load_scenario("s.yaml").origins
    assert origins["chips.h200.price"] == Mark("s.yaml", 6, 12)
    assert str(origins["chips.h200.price"]) == "s.yaml:6:12"
    assert origins["assumptions.pue"] == Mark("s.yaml", 3, 8)
    assert origins["chips.h200.tflops.fp8"] == Mark("s.yaml", 7, 30)
    assert origins["orders[0].units"] == Mark("s.yaml", 10, 12)
    assert origins["orders[0].chip"] == Mark("s.yaml", 9, 11)
    assert "chips.h200.utilization" not in origins  # a default was not written anywhere


def test_origins_across_extends(family):
    origins = load_scenario("child.yaml").origins
    assert origins["chips.h200.price"] == Mark("parent.yaml", 10, 12)
    assert origins["chips.h200.tflops.bf16"] == Mark("parent.yaml", 12, 20)
    assert origins["chips.h200.tflops.fp8"] == Mark("child.yaml", 6, 19)
    assert origins["chips.h200.utilization"] == Mark("child.yaml", 7, 18)
    assert origins["assumptions.fx.CNY"] == Mark("parent.yaml", 6, 10)
    assert origins["orders[0].units"] == Mark("child.yaml", 10, 12)


def test_origins_of_the_shipped_base(in_repo):
    text = (SCENARIOS / "h200-2026.yaml").read_text(encoding="utf-8").splitlines()
    start = text.index("  h200:")
    line = next(i for i in range(start, len(text)) if text[i].strip().startswith("price:")) + 1
    origin = load_scenario("scenarios/h200-2026.yaml").origins["chips.h200.price"]
    assert origin == Mark("scenarios/h200-2026.yaml", line, text[line - 1].index("price:") + 8)
