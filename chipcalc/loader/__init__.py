"""YAML scenario files -> validated `Scenario` values.

The only package that touches YAML. Its modules, in the order a scenario goes through them:

- `sources`: read files safely (or, `git`, at a git revision) and lay each under its `extends` parents;
- `marks`: parse YAML, keeping the file, line and column of every key and value;
- `overrides`: lay `--set PATH=VALUE` over the tree;
- `validate`: check each section's shape against the specs in `scenario.py`, converting numbers,
  rates, money and ranges through `convert`;
- `crosschecks`: check what depends on other sections, and fill the defaults that do.

Every problem is reported at once, at the place it was written. Past this package nothing checks
for missing keys.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from ..errors import Problem, ScenarioError, UsageError
from ..paths import input_spec, spec_at
from ..scenario import Scenario
from ..spec import Kind
from .convert import Converter
from .crosschecks import (Named, check_chips, check_mix, check_name, check_orders, check_report_names,
                          check_size, check_unique_names, named)
from .marks import MDict, parse_yaml
from .overrides import apply_sets
from .sources import STDIN, FileSource, Source, Trees, check_root, stem
from .validate import Problems, Validator

__all__ = ["STDIN", "Named", "ScenarioLoader", "build_scenario", "check_report_names", "check_unique_names",
           "load_scenario", "named", "parse_input"]

DEFAULT_NAME = "h200-2026"
DEFAULT_LABEL = f"(built-in {DEFAULT_NAME}.yaml)"
BUILTIN = Path(__file__).parent.with_name("default.yaml")


class ScenarioLoader:
    """Loads scenarios from a source (files by default), reading each file, and so each shared
    parent, once."""

    def __init__(self, source: Source | None = None) -> None:
        self.source = source or FileSource()
        self._trees = Trees(self.source)

    def load(self, ref: str | os.PathLike[str] | None, sets: Iterable[str] = ()) -> Scenario:
        """Load, merge, override and validate one scenario (the built-in one when `ref` is None)."""
        if ref is None:
            tree = check_root(parse_yaml(BUILTIN.read_text(encoding="utf-8"), DEFAULT_LABEL), DEFAULT_LABEL)
            label, name = DEFAULT_LABEL, DEFAULT_NAME
        else:
            ref = os.fspath(ref)
            label, name = self.source.label(ref), stem(ref)
            tree = self._trees.resolve(ref)
        return build_scenario(apply_sets(tree, sets), label, name)


def build_scenario(tree: MDict, label: str, stem: str) -> Scenario:
    """Check the whole tree and build the Scenario, or raise every problem at once."""
    problems = Problems(label)
    converter = Converter.from_tree(tree)
    validator = Validator(problems, converter)
    values = validator.record(Scenario, tree, "")  # a mapping: check_root saw to it
    assert values is not None
    if isinstance(values["name"], str):  # a name written (or set); the file's stem is checked by `report`
        check_name(values["name"], tree.marks["name"], problems)
    values["name"] = values["name"] or stem
    chips, platforms, assumptions = values["chips"] or {}, values["platforms"] or {}, values["assumptions"]
    if assumptions is not None:
        check_chips(chips, platforms, assumptions, tree, problems, values.get("workload"))
    values["orders"] = check_orders(values["orders"] or (), chips, tree, problems)
    check_size(len(chips), len(values["orders"]), tree, problems)
    if values["mix"] is not None:
        values["mix"] = check_mix(values["mix"], chips, tree, problems)
    if problems:
        raise ScenarioError(sorted(problems, key=_problem_order))
    return Scenario(**values, file=label, ranges=tuple(validator.ranges), origins=validator.origins,
                    currencies=converter.currencies)


def _problem_order(problem: Problem) -> tuple[str, int, int]:
    file, line, column = problem.location
    return (file, line or 0, column or 0)


def load_scenario(path: str | os.PathLike[str] | None = None, sets: Iterable[str] = ()) -> Scenario:
    """Load one scenario file (the built-in scenario when `path` is None)."""
    return ScenarioLoader().load(path, sets)


def parse_input(scenario: Scenario, path: str, text: str) -> float:
    """A value for `path` typed on the command line (`25%`, `¥200k`, `1.5M`), in model units.

    Written as in a file: money converts with the scenario's exchange rates.
    """
    try:
        spec = spec_at(path)
    except (KeyError, ValueError):
        raise UsageError(f"{path}: not a numeric input of a scenario; write it as in error messages, "
                         "e.g. chips.h200.levy_rate") from None
    if not spec.numeric:
        raise UsageError(f"{path}: not a numeric input")
    if spec.kind == Kind.SHARE_OR_MONEY:  # a levy base is typed as the file wrote it: a share, or money
        try:
            spec = input_spec(scenario, path)
        except (KeyError, IndexError):
            raise UsageError(f"{path}: not an input of this scenario (it has no {path.rpartition('.')[0]})") \
                from None
    kind = Kind.RATE if spec.kind == Kind.SHARE_OR_MONEY else spec.kind
    parse = Converter(scenario.assumptions.fx).parser(kind, path)
    try:
        return parse(text.strip())
    except ValueError as error:
        raise UsageError(f"{path}: {text!r} {error}") from None
