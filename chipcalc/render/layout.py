"""A neutral description of what a command shows: sections of titled tables.

Commands build `Section`s of `Table`s holding raw values and a display kind per
column (`chipcalc.kinds`); the text, Markdown and terminal renderers turn them
into text, humanising each value by its kind. JSON and CSV are built from
documents instead (`chipcalc.documents`), because their shape is a contract of
its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

from ..kinds import Display
from ..safe import printable
from ..values import human_money, human_number, human_rate, key_list

MONEY, RATE, NUMBER, COUNT, TEXT = Display.MONEY, Display.RATE, Display.NUMBER, Display.COUNT, Display.TEXT


class Column(NamedTuple):
    """A table's column: its header and how its cells are shown (a tuple: a report builds dozens)."""

    header: str
    kind: Display = TEXT
    wrap: bool = False
    """Long text (sources, file positions) may wrap; everything else keeps to one line."""

    @property
    def right_aligned(self) -> bool:
        return self.kind != TEXT


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    title: str | None = None
    notes: list[str] = field(default_factory=list)
    """Lines shown under the table: legends for its marks."""
    keys: int = 1
    """How many leading columns name a row: a table split into column groups to fit a width
    (`fit.py`) repeats them in every group."""
    short: dict[str, str] = field(default_factory=dict)
    """Short forms of whole cells (a chip's key as a letter) that the table shows instead, with a
    legend under it, when it is too wide for the width."""


@dataclass
class Section:
    heading: str
    lines: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    description: str | None = None
    """Free text from the scenario, shown as written."""


class Lines(tuple[str, ...]):
    """A cell of several lines (an input's path, then where it was set). Every other text cell is one
    line: a newline inside it is shown escaped, so text from a file cannot forge a row."""


def show(value: Any, kind: Display) -> str:
    """A raw value as a person reads it in a table; text escaped as `safe.printable` says."""
    if type(value) is float and kind in _HUMAN:  # most cells: go straight to the column's formatter
        return _HUMAN[kind](value)
    if isinstance(value, str):  # most others
        return printable(value)
    if value is None:
        return "-"
    if isinstance(value, Lines):
        return "\n".join(printable(line) for line in value)
    if isinstance(value, list):  # a list of keys (a mix rule's chips)
        return key_list(value)
    if kind == MONEY:
        return human_money(value)
    if kind == RATE:
        return human_rate(value)
    if kind == COUNT:
        return human_number(value)
    if kind == NUMBER:
        return _number(value) if isinstance(value, float) else human_number(value)
    return str(value)


def _number(value: float) -> str:
    """A plain number: a whole one below a million in full (`1,024`), any other as `human_number`."""
    return f"{value:,.0f}" if value.is_integer() and abs(value) < 1e6 else human_number(value)


_HUMAN = {MONEY: human_money, RATE: human_rate, COUNT: human_number, NUMBER: _number}


def cells(table: Table) -> list[list[str]]:
    """Every row of `table` as display strings."""
    return [[show(value, column.kind) for value, column in zip(row, table.columns)] for row in table.rows]
