"""Fuzzing every command with mutants of the parsed YAML tree: the contract of issue 13 holds for each.

The mutator and the contract live in tools/fuzz_tree.py, which also runs the long campaigns:
`python tools/fuzz_tree.py --cases 2000 --seed 1`. Here a fixed sample of cases (the same every run:
`random.Random(CASE_SEED)`) runs in CI in about 20 s, one test per case, so a failure names its case and
prints the mutant; the checker's own tests make sure it can find what it looks for.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
import yaml

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import fuzz_contract  # (tools/fuzz_contract.py)
import fuzz_tree  # (tools/fuzz_tree.py)

CASE_SEED = 2026
CASES = 20
TREES = fuzz_tree.seed_trees()


@pytest.fixture(scope="module")
def area(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the area, its work directory), shared by the cases: each cleans up what it wrote."""
    root = tmp_path_factory.mktemp("fuzz-tree")
    return root, fuzz_tree.prepare(root)


def sample() -> list[tuple[int, str, str]]:
    rng = random.Random(CASE_SEED)
    return [(case, *fuzz_tree.make_case(rng, TREES)) for case in range(1, CASES + 1)]


def describe(outcome: fuzz_tree.Outcome, text: str) -> str:
    return "\n".join(f"[{kind}] {what}" for kind, what in outcome.violations) + "\n--- mutant ---\n" + text


@pytest.mark.parametrize("case, seed_name, text", sample(), ids=[f"case{c}-{n}" for c, n, _ in sample()])
def test_tree_mutants_keep_the_contract(area: tuple[Path, Path], case: int, seed_name: str, text: str) -> None:
    root, work = area
    outcome = fuzz_tree.check_case(text, work, root, case, random.Random(case))
    assert not outcome.violations, describe(outcome, text)


@pytest.mark.parametrize("index, name", list(enumerate(sorted(TREES))))
def test_every_seed_round_trips_and_keeps_the_contract(area: tuple[Path, Path], index: int, name: str) -> None:
    """The writer gives back the tree it was given, and an unmutated seed breaks no rule: a violation in a
    mutant is the mutation's doing. (Seed i runs the commands of case i: together, every command.)"""
    root, work = area
    text = fuzz_tree.to_text(TREES[name])
    assert yaml.safe_load(text) == TREES[name]
    outcome = fuzz_tree.check_case(text, work, root, index, random.Random(0))
    assert outcome.codes["validate"] == 0
    assert not outcome.violations, describe(outcome, text)


def test_cases_are_reproducible_from_the_seed() -> None:
    first, second = random.Random(7), random.Random(7)
    assert [fuzz_tree.make_case(first, TREES) for _ in range(40)] == \
        [fuzz_tree.make_case(second, TREES) for _ in range(40)]


def test_the_writer_keeps_anchors_aliases_and_tags() -> None:
    tree = {"chips": {"a": fuzz_tree.Anchored("x", {"price": 1}), "b": fuzz_tree.Raw("*x"),
                      "c": fuzz_tree.Raw("!!str 5")}, "orders": [{"chip": "a", "units": 1}]}
    assert yaml.safe_load(fuzz_tree.to_text(tree)) == {
        "chips": {"a": {"price": 1}, "b": {"price": 1}, "c": "5"}, "orders": [{"chip": "a", "units": 1}]}


KINDS = [
    (["compare", "m.yaml"], f"x {fuzz_contract.CANARY}\n", "", 0, "secret"),
    (["compare", "m.yaml"], "Title \u202e\n", "", 0, "control"),
    (["compare", "m.yaml"], "Title\n::error file=a::forged\n", "", 0, "forged line"),
    (["compare", "m.yaml", "-f", "csv"], "order,vs_order\n=cmd,-0.5\n", "", 0, "csv formula"),
    (["compare", "m.yaml"], "", "m.yaml: something without a line\n", 2, "unlocated"),
    (["compare", "m.yaml"], "", "", 1, "exit code"),
    (["validate", "m.yaml"], "chips.a.price: must be positive\n", "1 of 1 scenario invalid\n", 1, "unlocated"),
]


@pytest.mark.parametrize("args, stdout, stderr, code, kind", KINDS, ids=[k[-1] for k in KINDS])
def test_the_checker_finds_each_kind(args: list[str], stdout: str, stderr: str, code: int, kind: str) -> None:
    assert kind in {found for found, _ in fuzz_contract.check_output(args, stdout, stderr, code)}


@pytest.mark.parametrize("args, stdout, stderr, code", [
    (["compare", "m.yaml", "-f", "csv"], "order,vs_order\n'=cmd,-0.5\n", "", 0),
    (["compare", "m.yaml", "-f", "markdown"], "# T\n\n```text\n::error forged\n```\n", "", 0),
    (["compare", "m.yaml"], "", "m.yaml:3:5: chips.a.price: must be positive (got $0)\n", 2),
    (["compare", "m.yaml"], "", "error: --set x: no such path\n", 2),
    (["validate", "m.yaml"], "m.yaml:1:1: is empty\n", "1 of 1 scenario invalid\n", 1),
])
def test_the_checker_accepts_the_contract(args: list[str], stdout: str, stderr: str, code: int) -> None:
    assert fuzz_contract.check_output(args, stdout, stderr, code) == []


def test_a_markdown_fence_closes_only_on_its_own_kind() -> None:
    text = "a\n````\n```\nin\n````\nb\n~~~\n```\n~~~\nc\n"
    assert fuzz_contract.markdown_outside_fences(text) == ["a", "b", "c"]


def test_a_file_written_outside_its_place_is_found(area: tuple[Path, Path]) -> None:
    """A report named `../../escaped` lands two levels above out/ (today's code writes it there): unless
    report refuses the name, the checker must see the file, and remove it."""
    root, work = area
    text = fuzz_tree.to_text({**TREES["minimal.yaml"], "name": "../../escaped"})
    outcome = fuzz_tree.check_case(text, work, root, 0, random.Random(0), every=True)
    if outcome.codes["report"] == 0:
        assert "file outside its place" in {kind for kind, _ in outcome.violations}
    assert not (root / "l1" / "l2" / "escaped.md").exists()
