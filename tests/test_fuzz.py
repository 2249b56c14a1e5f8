"""Fuzzing the CLI with mutants of valid scenarios: the contract holds for every one.

The mutator and the contract live in tools/fuzz.py (one copy), which also runs
long campaigns: `python tools/fuzz.py --cases 10000 --seed 1`. Here Hypothesis
drives the mutator through `st.randoms()`, so a failure shrinks and replays; the
run is small and derandomized, so CI does not flake.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import fuzz  # noqa: E402  (tools/fuzz.py)

TEXTS = fuzz.seeds()
CI = settings(max_examples=150, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("fuzz")
    fuzz.prepare(directory)
    return directory


def report(data: bytes, outcome: fuzz.Outcome) -> str:
    return (f"compare exit {outcome.compare_code}, validate exit {outcome.validate_code}\n"
            + "\n".join(outcome.violations) + "\n--- input ---\n" + data.decode("utf-8", "replace"))


@CI
@given(name=st.sampled_from(sorted(TEXTS)), rng=st.randoms(use_true_random=False))
def test_mutants_keep_the_contract(scratch: Path, name: str, rng: random.Random) -> None:
    data = fuzz.mutate(rng, TEXTS[name])
    outcome = fuzz.check(data, scratch)
    assert not outcome.violations, report(data, outcome)


@settings(CI, max_examples=60)
@given(rng=st.randoms(use_true_random=False))
def test_numbers_at_the_edges_give_finite_results(scratch: Path, rng: random.Random) -> None:
    """Every number at the edge of what the loader accepts: no overflow to inf or NaN, no division by 0."""
    data = fuzz.extreme_scenario(rng).encode("utf-8")
    outcome = fuzz.check(data, scratch)
    assert not outcome.violations, report(data, outcome)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_every_seed_is_valid(scratch: Path, name: str) -> None:
    """Mutants start from valid scenarios, or the fuzzer tests less than it seems to."""
    outcome = fuzz.check(TEXTS[name].encode("utf-8"), scratch)
    assert (outcome.compare_code, outcome.validate_code, outcome.violations) == (0, 0, [])


def test_cases_are_reproducible_from_the_seed() -> None:
    first, second = random.Random(7), random.Random(7)
    assert [fuzz.make_case(first, TEXTS) for _ in range(50)] == [fuzz.make_case(second, TEXTS) for _ in range(50)]


@pytest.mark.parametrize("data", [
    b"chips: {h200: {price: 1e308, tflops: {bf16: 989}}}\norders: [{chip: h200, units: 1e15}]\n",
    b"chips: [",
    b"\xff\xfe",
])
def test_the_checker_accepts_the_contract(scratch: Path, data: bytes) -> None:
    assert fuzz.check(data, scratch).violations == []


def test_the_checker_finds_a_violation(scratch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash in the model shows up as a violation, with what went wrong."""
    import chipcalc.model.order

    def broken(*args, **kwargs):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(chipcalc.model.order, "order_figures", broken)
    outcome = fuzz.check(TEXTS["minimal.yaml"].encode("utf-8"), scratch)
    assert outcome.compare_code == 1
    assert any("ZeroDivisionError" in violation for violation in outcome.violations)


def test_the_checker_finds_non_finite_numbers() -> None:
    document = {"scenarios": [{"orders": [{"units": 1.0, "demand_tflops": float("inf"), "options": []}]}]}
    assert fuzz.check_compare_document(document) == [
        "non-finite number at .scenarios[0].orders[0].demand_tflops: inf"]
