"""The typed scenario, and the definition of the scenario file format.

Each dataclass field that comes from a file carries a `Spec` in its metadata:
the key it is written as, its kind, its valid range, its default and its
documentation. The loader validates with these specs and `chipcalc schema`
derives the JSON Schema from them, so the format is defined here once.
Money is in USD and rates are fractions once a scenario is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from functools import cache
from types import MappingProxyType
from typing import Any, ClassVar, Mapping, NamedTuple

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

PRECISION_BITS = {"fp64": 64, "tf32": 32, "fp16": 16, "bf16": 16, "fp8": 8, "int8": 8, "fp4": 4}


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


@dataclass(frozen=True)
class Spec:
    """How one key of a scenario file is written and checked.

    `kind` says what the key holds (see `Kind`); nested sections hold the dataclass `item`.
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

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", Kind(self.kind))

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


def _spec(key: str, kind: str, doc: str, **options: Any):
    return field(metadata={"spec": Spec(key, kind, doc, **options)})


def text(key: str, doc: str, default: Any = None):
    return _spec(key, "text", doc, default=default)


def date(key: str, doc: str):
    return _spec(key, "date", doc, default=None)


def number(key: str, doc: str, default: Any = REQUIRED, **bounds: Any):
    return _spec(key, "number", doc, default=default, **bounds)


def rate(key: str, doc: str, default: Any = REQUIRED, **bounds: Any):
    return _spec(key, "rate", doc, default=default, **bounds)


def money(key: str, doc: str, default: Any = REQUIRED, **bounds: Any):
    return _spec(key, "money", doc, default=default, **bounds)


POSITIVE = {"low": 0.0, "low_open": True}
NOT_NEGATIVE = {"low": 0.0}

SOURCE_DOC = "where the figures came from (free text); reports list it next to the numbers"
AS_OF_DOC = "the date the figures were true, e.g. 2026-01-15"


@dataclass(frozen=True)
class Assumptions:
    """Scenario-wide settings."""

    precision: str = _spec(
        "precision", "choice", "which `tflops` entry the chips are compared at",
        default="bf16", choices=tuple(PRECISION_BITS),
    )
    lifetime_years: float = number(
        "lifetime_years", "years the fleet is used for; energy and cost per PFLOP/s-hour use it",
        default=4.0, **POSITIVE,
    )
    electricity_usd_per_kwh: float = money(
        "electricity_usd_per_kwh", "electricity price per kWh (0 ignores energy)",
        default=0.0, **NOT_NEGATIVE,
    )
    pue: float = number("pue", "power usage effectiveness of the data centre", default=1.0, low=1.0)
    levy_pass_through: float = rate(
        "levy_pass_through", "t: the share of the levy the vendor passes on to buyers",
        default=0.0, low=0.0, high=1.0,
    )
    incumbent_platform: str = text(
        "incumbent_platform", "the software platform the buyer runs on today", default="cuda"
    )
    discount_rate: float = rate(
        "discount_rate", "d: yearly discount rate; running costs are discounted as they are paid (0: none)",
        default=0.0, low=0.0, high=1.0, high_open=True,
    )
    power_draw: float = rate(
        "power_draw", "w: average power draw as a share of power_w", default=1.0,
        low=0.0, low_open=True, high=1.0,
    )
    facility_usd_per_kw_month: float = money(
        "facility_usd_per_kw_month", "f: colocation and facility cost per kW of power_w a month",
        default=0.0, **NOT_NEGATIVE,
    )
    maintenance_rate: float = rate(
        "maintenance_rate", "m: maintenance a year, as a share of buyer price plus host cost",
        default=0.0, low=0.0, high=1.0, high_open=True,
    )
    operations_usd_per_year: float = money(
        "operations_usd_per_year", "o: staff, support and software per unit a year", default=0.0,
        **NOT_NEGATIVE,
    )
    fx: Mapping[str, float] = _spec(
        "fx", "numbers", "USD per unit of each other currency used, e.g. CNY: 0.139",
        default={}, names="currency", **POSITIVE,
    )


@dataclass(frozen=True)
class Chip:
    """One accelerator, under the key the orders and `--set` paths use."""

    key: str
    name: str = text("name", "display name; defaults to the key")
    vendor: str | None = text("vendor", "who makes it")
    platform: str = text("platform", "its software platform; defaults to the incumbent platform")
    price_usd: float = money("price", "p: list price of one unit", **POSITIVE)
    levy_rate: float = rate(
        "levy_rate", "r: levy rate on the vendor's sales revenue", default=0.0, low=0.0, high=1.0,
        high_open=True,
    )
    levy_base: float = _spec(
        "levy_base", "share_or_money", "s: the share of the sale price the levy is charged on; or V, "
        "an amount per unit (a customs value) when written with a currency ($20k)", default=1.0,
        low=0.0, low_open=True, high=1.0,
    )
    tflops: Mapping[str, float] = _spec(
        "tflops", "numbers", "F: dense peak TFLOP/s per precision, without sparsity",
        choices=tuple(PRECISION_BITS), names="precision", **POSITIVE,
    )
    utilization: float = rate(
        "utilization", "u: achievable share of peak on real work", default=1.0,
        low=0.0, low_open=True, high=1.0,
    )
    power_w: float = number("power_w", "W: all-in watts per accelerator", default=0.0, **NOT_NEGATIVE)
    host_cost_usd: float = money(
        "host_cost", "h: share of servers, network and facility per unit, not levied",
        default=0.0, **NOT_NEGATIVE,
    )
    electricity_usd_per_kwh: float | None = money(
        "electricity_usd_per_kwh", "P: electricity price for this chip; overrides the assumption",
        default=None, **NOT_NEGATIVE,
    )
    power_draw: float | None = rate(
        "power_draw", "w: average power draw for this chip; overrides the assumption", default=None,
        low=0.0, low_open=True, high=1.0,
    )
    facility_usd_per_kw_month: float | None = money(
        "facility_usd_per_kw_month", "f: facility cost for this chip; overrides the assumption",
        default=None, **NOT_NEGATIVE,
    )
    maintenance_rate: float | None = rate(
        "maintenance_rate", "m: maintenance rate for this chip; overrides the assumption", default=None,
        low=0.0, high=1.0, high_open=True,
    )
    operations_usd_per_year: float | None = money(
        "operations_usd_per_year", "o: operations per unit a year for this chip; overrides the assumption",
        default=None, **NOT_NEGATIVE,
    )
    supply_units: float | None = number(
        "supply_units", "S: units available to this buyer; unlimited when absent",
        default=None, **POSITIVE,
    )
    memory_gb: float | None = number("memory_gb", "memory per unit, GB (shown, not computed with)",
                                     default=None, **POSITIVE)
    bandwidth_tbps: float | None = number(
        "bandwidth_tbps", "B: memory bandwidth, TB/s; caps throughput when the workload sets an "
        "arithmetic intensity", default=None, **POSITIVE
    )
    source: str | None = text("source", SOURCE_DOC)
    as_of: str | None = date("as_of", AS_OF_DOC)
    levy_base_is_money: bool = False
    """True when `levy_base` was written as money: it is then V, USD per unit, not a share."""


@dataclass(frozen=True)
class Platform:
    """The one-time cost of moving the buyer's software to a platform, by platform name."""

    key: str
    migration_cost_usd: float = money(
        "migration_cost", "one-time cost of leaving the incumbent platform", default=0.0, **NOT_NEGATIVE
    )
    engineer_months: float = number(
        "engineer_months", "porting effort, added as engineer_months * cost_per_engineer_month",
        default=0.0, **NOT_NEGATIVE,
    )
    cost_per_engineer_month_usd: float = money(
        "cost_per_engineer_month", "cost of one engineer-month", default=0.0, **NOT_NEGATIVE
    )
    source: str | None = text("source", SOURCE_DOC)
    as_of: str | None = date("as_of", AS_OF_DOC)


@dataclass(frozen=True)
class Workload:
    """What the compute is for: its arithmetic intensity caps throughput at memory bandwidth."""

    name: str | None = text("name", "what the workload is, e.g. a model and batch size")
    arithmetic_intensity: float | None = number(
        "arithmetic_intensity", "I: FLOP per byte of memory traffic; absent: compute-bound",
        default=None, **POSITIVE,
    )
    flops_per_token: float | None = number(
        "flops_per_token", "phi: FLOPs per token, for a cost per million tokens; absent: no token figures",
        default=None, **POSITIVE,
    )
    source: str | None = text("source", SOURCE_DOC)
    as_of: str | None = date("as_of", AS_OF_DOC)


@dataclass(frozen=True)
class Order:
    """A purchase of one chip: `units`, or a `budget` to spend."""

    EXACTLY_ONE_OF: ClassVar[tuple[str, ...]] = ("units", "budget")

    name: str = text("name", "defaults to order-1, order-2, ...")
    chip: str = _spec("chip", "text", "the key of the chip bought")
    units: float | None = number("units", "n: units bought (give this or budget)", default=None, **POSITIVE)
    budget_usd: float | None = money(
        "budget", "money to spend; units = budget / buyer price (give this or units)",
        default=None, **POSITIVE,
    )
    source: str | None = text("source", SOURCE_DOC)
    as_of: str | None = date("as_of", AS_OF_DOC)


@dataclass(frozen=True)
class MixRule:
    """A policy limit on the share of an order's demand that a set of chips may meet (a quota, a cap)."""

    name: str = text("name", "defaults to rule-1, rule-2, ...")
    chips: tuple[str, ...] = _spec("chips", "keys", "the keys of the chips the rule counts, at least one")
    min_share: float | None = rate(
        "min_share", "the least share of the demand (effective TFLOP/s) these chips must meet",
        default=None, low=0.0, high=1.0,
    )
    max_share: float | None = rate(
        "max_share", "the largest share of the demand (effective TFLOP/s) these chips may meet",
        default=None, low=0.0, high=1.0,
    )
    source: str | None = text("source", SOURCE_DOC)


@dataclass(frozen=True)
class Mix:
    """The limits `chipcalc mix` applies to every order, besides each chip's supply (MODEL.md, fleet mix)."""

    power_limit_mw: float | None = number(
        "power_limit_mw",
        "facility power (power_w x pue) the buyer can supply, MW; unlimited when absent",
        default=None, **POSITIVE,
    )
    capex_limit_usd: float | None = money(
        "capex_limit",
        "hardware spend (buyer price + host cost) the buyer can make; unlimited when absent",
        default=None, **POSITIVE,
    )
    rules: tuple[MixRule, ...] = _spec(
        "rules", "list", "limits on the share of the demand a set of chips meets", default=[], item=MixRule
    )


class Mark(NamedTuple):
    """Where a value was written: a file (or `--set`), 1-based line and column.

    A tuple, not a dataclass: the loader makes one for every key and value of every file.
    """

    file: str
    line: int
    column: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Scenario:
    """A validated scenario, every value a plain number or string."""

    name: str = text("name", "identifier; defaults to the file's stem")
    title: str | None = text("title", "a one-line title for reports")
    description: str | None = text("description", "free text, shown in reports")
    extends: str | None = text("extends", "a parent scenario, as a path relative to this file")
    assumptions: Assumptions = _spec(
        "assumptions", "record", "scenario-wide settings", default={}, item=Assumptions
    )
    workload: Workload = _spec(
        "workload", "record", "what the compute is for (optional)", default={}, item=Workload
    )
    chips: Mapping[str, Chip] = _spec("chips", "records", "the accelerators, by key", item=Chip)
    platforms: Mapping[str, Platform] = _spec(
        "platforms", "records", "migration costs, by platform name", default={}, item=Platform
    )
    orders: tuple[Order, ...] = _spec("orders", "list", "the purchases to compare", default=[], item=Order)
    mix: Mix = _spec("mix", "record", "limits `chipcalc mix` applies to every order", default={}, item=Mix)
    file: str = ""
    ranges: tuple[tuple[str, Any], ...] = ()
    """Uncertain inputs, `(path, Uncertain)` in USD and fractions: collapsed to a point here."""
    origins: Mapping[str, Mark] = field(default_factory=dict, compare=False, repr=False)
    """Where each value given in a file or by `--set` was written, by path."""
    currencies: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)
    """The currency of each amount written in one other than USD, by path."""


@cache
def specs(cls: type) -> Mapping[str, tuple[str, Spec]]:
    """The file keys of a section, each with its attribute name and spec.

    Computed once per class (the loader asks for every section of every file), hence read-only.
    """
    return MappingProxyType({f.metadata["spec"].key: (f.name, f.metadata["spec"])
                             for f in fields(cls) if "spec" in f.metadata})
