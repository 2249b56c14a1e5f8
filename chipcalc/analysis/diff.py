"""What changed between two scenarios: their inputs and the outcomes the model gives.

Outcomes are compared field by field under the names of the compare JSON (the documents layer
flattens them: `documents.compare.outcomes`, handed in by the caller), so a diff reads like the
report it summarises. Only what changed is listed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from ..kinds import Display, kind_of
from ..model import ScenarioResult
from ..paths import leaves
from ..scenario import Scenario


@dataclass(frozen=True)
class InputChange:
    """An input given a new value, or added (`old` None) or removed (`new` None)."""

    path: str
    kind: str
    """The spec's kind: number, rate, money, text, ..."""
    old: Any
    new: Any
    old_where: str | None
    new_where: str | None


GATED_TEXT = ("cheapest", "feasible", "binding")
"""Text outcomes whose change fails `--max-change`: the cheapest option, and a mix's feasibility and
binding limits."""


@dataclass(frozen=True)
class OutcomeChange:
    """One outcome that moved: `where` names the order and option, `field` the compare JSON field."""

    where: str
    field: str
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        """money, fraction (a rate: --max-change compares it in absolute points), quantity, or text
        (a reason or a chip)."""
        if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (self.old, self.new)):
            return "text"
        shown = kind_of(self.field)
        return "money" if shown is Display.MONEY else "fraction" if shown is Display.RATE else "quantity"

    @property
    def delta(self) -> float | None:
        return self.new - self.old if self.kind != "text" else None

    @property
    def relative(self) -> float | None:
        """The change as a share of the old value (None from 0, or for text)."""
        if self.kind == "text" or self.old == 0:
            return None
        return (self.new - self.old) / abs(self.old)

    def exceeds(self, limit: float) -> bool:
        """Whether this change breaks `--max-change limit` (CLI.md, CI gates)."""
        if self.kind == "text":  # a mix that becomes infeasible, or is held by other limits, too
            return self.field.endswith(("reason", "pays")) or self.field in GATED_TEXT
        if self.kind == "fraction":
            return _past(abs(self.delta), limit)
        if self.old == 0:
            return self.new != 0
        return _past(abs(self.relative), limit)


LIMIT_TOLERANCE = 1e-9
"""A move within a billionth of the limit is at the limit, not past it: in floating point 400k -> 420k
is a change of 0.05000000000000003, which is 5% (as the table shows), not more."""


def _past(move: float, limit: float) -> bool:
    return move > limit * (1 + LIMIT_TOLERANCE)


@dataclass(frozen=True)
class Diff:
    old: Scenario
    new: Scenario
    inputs: tuple[InputChange, ...]
    outcomes: tuple[OutcomeChange, ...]

    @property
    def changed(self) -> bool:
        return bool(self.inputs or self.outcomes)


Outcomes = Callable[[ScenarioResult], "dict[tuple[str, str], Any]"]
"""A result's outcomes by (where, field): `documents.compare.outcomes`."""


def diff_results(old: ScenarioResult, new: ScenarioResult, outcomes: Outcomes) -> Diff:
    return Diff(old.scenario, new.scenario, tuple(_input_changes(old.scenario, new.scenario)),
                tuple(_outcome_changes(outcomes(old), outcomes(new))))


def _input_changes(old: Scenario, new: Scenario) -> list[InputChange]:
    before = {path: value for path, _, value in leaves(old)}
    after = {path: value for path, _, value in leaves(new)}
    kinds = {path: spec.kind for path, spec, _ in (*leaves(old), *leaves(new))}
    changes = []
    for path in [*before, *(p for p in after if p not in before)]:
        if path in ("name", "title", "description") or _same(before.get(path), after.get(path)):
            continue
        changes.append(InputChange(path, kinds[path], before.get(path), after.get(path),
                                   _where(old, path), _where(new, path)))
    return changes


def _where(scenario: Scenario, path: str) -> str | None:
    mark = scenario.origins.get(path)
    return str(mark) if mark else None


def _outcome_changes(before: dict, after: dict) -> list[OutcomeChange]:
    keys = [*before, *(key for key in after if key not in before)]
    return [OutcomeChange(where, field, before.get((where, field)), after.get((where, field)))
            for where, field in keys if not _same(before.get((where, field)), after.get((where, field)))]


def _same(old: Any, new: Any) -> bool:
    if isinstance(old, float) and isinstance(new, float):
        return old == new or math.isclose(old, new, rel_tol=1e-12, abs_tol=0.0)
    return old == new
