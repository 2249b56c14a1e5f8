"""The display kind of any number chipcalc shows: money, a rate, a plain number, or text.

Decided once, from the definition of each value: an input's kind is its `Spec`'s (the scenario
format, `scenario.py`); an outcome's is the kind its field in the model's results states
(`Annotated[float, Kind.MONEY]`, read by `model.shown_kinds`). Tables, diffs and plots ask
`kind_of`; nothing guesses from a name's spelling, so a new rate field is shown as a rate by
stating its kind where the field is defined.
"""

from __future__ import annotations

from dataclasses import fields
from enum import Enum
from functools import lru_cache

from .model import Breakeven, Breakevens, ChipFigures, LevyTotal, Option, OrderResult, shown_kinds
from .paths import input_spec, spec_at
from .scenario import Chip, Platform, Scenario
from .spec import Kind


class Display(str, Enum):
    """How a value is shown to a person. COUNT is NUMBER in a table column of unit counts, which
    abbreviates every value (400k units) where NUMBER writes whole numbers below a million in full."""

    MONEY = "money"
    RATE = "rate"
    NUMBER = "number"
    COUNT = "count"
    TEXT = "text"


_FROM_SPEC = {Kind.MONEY: Display.MONEY, Kind.RATE: Display.RATE, Kind.NUMBER: Display.NUMBER,
              Kind.NUMBERS: Display.NUMBER, Kind.SHARE_OR_MONEY: Display.RATE}
"""Without a scenario a levy base is shown as the share it usually is; `input_kind` shows one written as
money as money."""


def kind_of(name: str) -> Display:
    """The display kind of an outcome field of the JSON (`tco_usd`, `breakeven.levy_rate`,
    `price_usd` of a chip) or of an input path (`chips.h200.levy_rate`); KeyError for neither."""
    outcome = _outcome_kinds().get(name)
    if outcome is not None:
        return outcome
    return _FROM_SPEC.get(spec_at(name).kind, Display.TEXT)


def input_kind(scenario: Scenario, path: str) -> Display:
    """The display kind of the input at `path` as `scenario` holds it: `kind_of`'s, but money for a levy
    base written as money (`levy_base: $20k`); KeyError, IndexError or ValueError for no such input."""
    return _FROM_SPEC.get(input_spec(scenario, path).kind, Display.TEXT)


@lru_cache(maxsize=1)
def _outcome_kinds() -> dict[str, Display]:
    """Every outcome field by its name in the JSON: a chip's and a platform's inputs under their
    attribute names (`price_usd`, `migration_cost_usd`), the per-chip, per-order, per-option and
    total figures, the fleet mix's (`mix.NAME`), and each breakeven (`breakeven.NAME`, and its
    `breakeven.NAME.order_units`)."""
    table: dict[str, Display] = {}

    def add(name: str, kind: Kind) -> None:
        shown = _FROM_SPEC.get(kind, Display.TEXT)
        if table.setdefault(name, shown) is not shown:
            raise ValueError(f"{name} has two kinds: {table[name]} and {shown}")  # a bug in the model

    for f in (*fields(Chip), *fields(Platform)):
        if "spec" in f.metadata:
            add(f.name, f.metadata["spec"].kind)
    for result in (ChipFigures, OrderResult, Option, LevyTotal):
        for name, kind in shown_kinds(result).items():
            add(name, kind)
    # a fleet mix's figures (`explain SCEN mix.tco_usd`) are an option's, summed
    for name, kind in shown_kinds(Option).items():
        add(f"mix.{name}", kind)
    for breakeven, kind in shown_kinds(Breakevens).items():
        add(f"breakeven.{breakeven}", kind)
        for name, of_breakeven in shown_kinds(Breakeven).items():
            add(f"breakeven.{breakeven}.{name}", of_breakeven)
    return table
