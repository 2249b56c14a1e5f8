"""The vocabulary of the scenario format: what kind of value a key holds, its `Spec` (key, kind,
range, default, documentation), the helpers the sections declare their fields with, and `Mark`,
where a value was written. `scenario.py` uses these to define the format itself.
"""

from __future__ import annotations

from dataclasses import field, fields
from enum import Enum
from functools import cache
from types import MappingProxyType
from typing import Any, Mapping, NamedTuple

OPEN_BOUND_NUDGE = 1e-12
"""How far inside an open bound (a levy rate below 100%) a value is kept, relative: where `Spec.inside`
clamps sampled and swung values, and where the goal seek starts its search.

1e-12 and not 1e-9: a crossing between the nudged bound and the bound itself is one the goal seek
cannot find, so the nudge should be as small as the arithmetic allows. At 1e-12 from 1 a double
still resolves the gap 1 - rho to 1e-4 of itself (spacing 1.1e-16), so the buyer price
p / (1 - rho) there is finite and meaningful; much closer, the gap is rounding noise. The value
is part of the contract: `breakeven --vary` reports the range searched (a levy rate's high
0.999999999999)."""

REQUIRED = object()
"""Default of a key that a file must give."""

class Kind(str, Enum):
    """What a key holds: scalars (text, date, choice, number, rate, money), a list of keys of other
    entries (`keys`, e.g. the chips of a mix rule), a mapping of names to numbers (`numbers`), or
    nested sections whose entries are a dataclass (record, records, list)."""

    TEXT = "text"
    DATE = "date"
    CHOICE = "choice"
    NUMBER = "number"
    RATE = "rate"
    MONEY = "money"
    SHARE_OR_MONEY = "share_or_money"
    """A share of the sale price written as a rate, or an amount per unit written with a currency."""
    KEYS = "keys"
    NUMBERS = "numbers"
    RECORD = "record"
    RECORDS = "records"
    LIST = "list"

    def __str__(self) -> str:  # messages say "is text", not "is Kind.TEXT"
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    @property
    def numeric(self) -> bool:
        return self in (Kind.NUMBER, Kind.RATE, Kind.MONEY, Kind.SHARE_OR_MONEY)

    @property
    def nested(self) -> bool:
        """A section of its own (a record, a keyed mapping of records, a list of records)."""
        return self in (Kind.RECORD, Kind.RECORDS, Kind.LIST)


class Spec(NamedTuple):
    """How one key of a scenario file is written and checked.

    `kind` says what the key holds (see `Kind`); nested sections hold the dataclass `item`. A tuple,
    as the format's other light records are: it is defined at every start-up and never shown.
    """

    key: str
    kind: Kind
    doc: str
    default: Any = REQUIRED
    low: float | None = None
    low_open: bool = False
    high: float | None = None
    high_open: bool = False
    choices: tuple[str, ...] = ()
    item: type | None = None
    names: str = ""
    """For `numbers`: what the mapping's keys are (`choices` lists them when fixed)."""

    @property
    def numeric(self) -> bool:
        return self.kind.numeric

    def shown(self, value: float) -> str:
        """A value of this key as messages write it (`100%`, `$0`, `1`)."""
        return _show_bound(self.kind)(value)

    def bounds_text(self) -> str:
        """The valid range in words, as error messages and docs give it."""
        show = _show_bound(self.kind)
        low = None if self.low is None else show(self.low)
        high = None if self.high is None else show(self.high)
        if low is not None and high is not None:
            left = f"above {low}," if self.low_open else f"from {low}"
            if self.high_open:
                right = f"to below {high}"
            else:
                right = f"up to {high}" if self.low_open else f"to {high}"
            return f"{left} {right}"
        if low is not None:
            if self.low == 0 and self.low_open:
                return "positive"
            return f"above {low}" if self.low_open else f"at least {low}"
        if high is not None:
            return f"below {high}" if self.high_open else f"at most {high}"
        return "any number"

    def inside(self) -> tuple[float | None, float | None]:
        """The range a value is clamped into (None: unbounded): open bounds moved just inside them."""
        def nudge(bound: float) -> float:
            return OPEN_BOUND_NUDGE * max(abs(bound), 1.0)

        floor = None if self.low is None else self.low + (nudge(self.low) if self.low_open else 0.0)
        ceiling = None if self.high is None else self.high - (nudge(self.high) if self.high_open else 0.0)
        return floor, ceiling

    def as_money(self) -> Spec:
        """This share-or-money spec for a value written as money: any positive amount per unit (a customs
        value), not a share in (0, 1]."""
        return Spec(self.key, Kind.MONEY, self.doc, low=0.0, low_open=True)

    def violation(self, value: float) -> str | None:
        """Why `value` is out of this key's range, or None (formatted only then: most values are in range)."""
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            show = _show_bound(self.kind)
            reason = "positive" if (self.low == 0 and self.low_open) else (
                f"above {show(self.low)}" if self.low_open else f"at least {show(self.low)}"
            )
            return f"must be {reason} (got {show(value)})"
        if self.high is not None and (value >= self.high if self.high_open else value > self.high):
            show = _show_bound(self.kind)
            reason = f"below {show(self.high)}" if self.high_open else f"at most {show(self.high)}"
            return f"must be {reason} (got {show(value)})"
        return None


def _show_bound(kind: str):
    from .values import human_rate

    if kind in (Kind.RATE, Kind.SHARE_OR_MONEY):  # a money levy base is checked apart, as money
        return human_rate
    if kind == "money":
        return lambda v: f"${v:,.12g}" if v >= 0 else f"-${-v:,.12g}"
    return lambda v: f"{v:.12g}"


def spec_field(key: str, kind: str, doc: str, **options: Any):
    """A dataclass field written in files as `key`, with its `Spec` in the metadata."""
    return field(metadata={"spec": Spec(key, Kind(kind), doc, **options)})


def text(key: str, doc: str, default: Any = None):
    return spec_field(key, "text", doc, default=default)


def date(key: str, doc: str):
    return spec_field(key, "date", doc, default=None)


def number(key: str, doc: str, default: Any = REQUIRED, **bounds: Any):
    return spec_field(key, "number", doc, default=default, **bounds)


def rate(key: str, doc: str, default: Any = REQUIRED, **bounds: Any):
    return spec_field(key, "rate", doc, default=default, **bounds)


def money(key: str, doc: str, default: Any = REQUIRED, **bounds: Any):
    return spec_field(key, "money", doc, default=default, **bounds)


POSITIVE = {"low": 0.0, "low_open": True}
NOT_NEGATIVE = {"low": 0.0}

class Mark(NamedTuple):
    """Where a value was written: a file (or `--set`), 1-based line and column.

    A tuple, not a dataclass: the loader makes one for every key and value of every file.
    """

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@cache
def specs(cls: type) -> Mapping[str, tuple[str, Spec]]:
    """The file keys of a section, each with its attribute name and spec.

    Computed once per class (the loader asks for every section of every file), hence read-only.
    """
    return MappingProxyType({f.metadata["spec"].key: (f.name, f.metadata["spec"])
                             for f in fields(cls) if "spec" in f.metadata})
