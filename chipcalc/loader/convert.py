"""Written numbers, rates, money and uncertain ranges -> model units (plain floats, USD, fractions).

`Converter` is the one place that decides how money in another currency becomes USD: at the
scenario's `assumptions.fx` rate, checked again for size once converted. Validation uses it for
every value in a file, and `parse_input` for values typed on the command line. Parsers raise
`ValueError` with the message the user sees; callers add where it was written.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from ..errors import did_you_mean
from ..spec import Kind, Spec
from ..values import (DISTRIBUTIONS, LARGEST, Uncertain, checked_number, describe, is_money_text, parse_money,
                      parse_number, parse_rate, split_range)
from .marks import Tree

CURRENCY = re.compile(r"^[A-Z]{3}$")
"""A currency code, as `assumptions.fx` names them."""

Parse = Callable[[Tree], float]
"""A parser of one written value: text or a YAML scalar in, a float in model units out."""


class Converter:
    """Converts written values to model units, with one scenario's exchange rates.

    `fx` maps a currency to USD per unit; None marks a rate that was given but is invalid (reported
    where it was written, so amounts in that currency say so rather than that it is missing).
    """

    def __init__(self, fx: Mapping[str, float | None]) -> None:
        self.fx = dict(fx)
        self.currencies: dict[str, str] = {}
        """The currency of each amount converted from one other than USD, by path."""
        self.money_shares: set[str] = set()
        """The paths of share-or-money values (a levy base) written as money."""

    @classmethod
    def from_tree(cls, tree: Mapping[str, Tree]) -> Converter:
        """A converter with the exchange rates of a scenario's tree, read before anything else is
        validated because money anywhere may need them."""
        assumptions = tree.get("assumptions")
        fx = assumptions.get("fx") if isinstance(assumptions, dict) else None
        rates: dict[str, float | None] = {}
        for code, raw in (fx.items() if isinstance(fx, dict) else ()):
            if raw is None:  # no rate, as if not written
                continue
            try:  # a rate written as a range converts at its point value, as everything else does
                rate: float | None = _point(raw, parse_number)
            except (ValueError, KeyError, TypeError):
                rate = None
            rates[str(code)] = rate if rate is not None and rate > 0 else None
        return cls(rates)

    def parser(self, kind: Kind, path: str) -> Parse:
        """The parser of a single value of a numeric kind, at `path` (where money notes its currency)."""
        match kind:
            case Kind.NUMBER:
                return parse_number
            case Kind.RATE:
                return parse_rate
            case Kind.MONEY:
                return lambda raw: self.usd(raw, path)
        raise TypeError(f"{kind} is not a numeric kind")

    def usd(self, raw: Tree, path: str) -> float:
        """An amount of money in USD, converted at `assumptions.fx` when written in another currency."""
        money = parse_money(raw)
        if money.currency == "USD":
            return money.amount
        self.currencies[path] = money.currency
        rate = self.fx.get(money.currency)
        if rate is None and money.currency in self.fx:  # reported there: say so, not that it is missing
            raise ValueError(f"is in {money.currency}, whose exchange rate assumptions.fx.{money.currency} "
                             "is invalid")
        if rate is None:
            raise ValueError(f"is in {money.currency}, which has no exchange rate: add "
                             f"assumptions.fx.{money.currency} (USD per {money.currency})")
        usd = money.amount * rate
        try:
            return checked_number(usd, raw)
        except ValueError:
            size = "large" if abs(usd) > LARGEST else "small"
            raise ValueError(f"is ${usd:.3g} at assumptions.fx.{money.currency}: too {size} to compute with "
                             "(use 0 or a size from 1e-9 to 1e15 in USD)") from None

    def value(self, spec: Spec, raw: Tree, path: str, kind: Kind | None = None) -> float | Uncertain:
        """A value of `spec`'s kind (or `kind`) within its bounds: a float, or an Uncertain range when
        written as one (`{low: 28k, high: 36k}`, `28k to 36k`)."""
        kind = kind or spec.kind
        if kind == Kind.SHARE_OR_MONEY:
            kind = share_or_money(raw)
            if kind == Kind.MONEY:  # an amount per unit, a customs value: any positive amount
                self.money_shares.add(path)
                spec = spec.as_money()
        parse = self.parser(kind, path)
        if isinstance(raw, dict):
            uncertain = uncertain_range(raw, parse)
        elif isinstance(raw, str) and (ends := split_range(raw)):
            uncertain = Uncertain(parse(ends[0]), parse(ends[1]), dist="lognormal")
            check_uncertain(uncertain)
        else:
            value = parse(raw)
            if (violation := spec.violation(value)):
                raise ValueError(violation)
            return value
        for name in ("low", "mode", "high"):
            bound = getattr(uncertain, name)
            if bound is not None and (violation := spec.violation(bound)):
                raise ValueError(f"{name} {violation}")
        return uncertain


def share_or_money(raw: Tree) -> Kind:
    """MONEY when a value (or each end of a range) is written with a currency (`$20k`, `150k CNY`),
    else RATE; a range mixing the two is a ValueError."""
    if isinstance(raw, dict):
        ends = [raw[key] for key in ("low", "mode", "high") if raw.get(key) is not None]
    elif isinstance(raw, str):
        ends = list(split_range(raw) or (raw,))
    else:
        ends = [raw]
    kinds = {Kind.MONEY if is_money_text(end) else Kind.RATE for end in ends}
    if len(kinds) > 1:
        raise ValueError("a range must be all shares or all money, not a mix of the two")
    return Kind.MONEY if kinds == {Kind.MONEY} else Kind.RATE  # a range missing its ends is reported as one


def uncertain_range(raw: Mapping[str, Tree], parse: Parse) -> Uncertain:
    """The range a mapping `{low, high, mode?, dist?}` writes, its ends read by `parse`; an empty key
    (`mode:`) is one not written."""
    unknown = [key for key in raw if key not in ("low", "high", "mode", "dist")]
    if unknown:
        raise ValueError(f"unknown key '{unknown[0]}' in a range; a range has low, high, "
                         "and optionally mode and dist")
    raw = {key: value for key, value in raw.items() if value is not None}
    missing = [key for key in ("low", "high") if key not in raw]
    if missing:
        raise ValueError(f"a range needs {' and '.join(missing)}, e.g. {{low: 28k, high: 36k}}")
    dist = raw.get("dist", "triangular" if "mode" in raw else "uniform")
    if dist not in DISTRIBUTIONS:
        raise ValueError(f"dist must be one of {', '.join(DISTRIBUTIONS)} (got {describe(dist)})"
                         + did_you_mean(str(dist), DISTRIBUTIONS))
    mode = parse(raw["mode"]) if "mode" in raw else None
    uncertain = Uncertain(parse(raw["low"]), parse(raw["high"]), mode, str(dist))
    check_uncertain(uncertain)
    return uncertain


def check_uncertain(uncertain: Uncertain) -> None:
    """A ValueError when a range's ends, mode and distribution do not fit together."""
    if not uncertain.low < uncertain.high:
        raise ValueError("a range's low must be below its high")
    if uncertain.mode is not None and not uncertain.low <= uncertain.mode <= uncertain.high:
        raise ValueError("a range's mode must lie between its low and its high")
    if uncertain.mode is not None and uncertain.dist != "triangular":
        raise ValueError(f"mode applies only to a triangular range (this one is {uncertain.dist})")
    if uncertain.dist == "lognormal" and uncertain.low <= 0:
        raise ValueError("a lognormal range needs a positive low")


def _point(raw: Tree, parse: Parse) -> float:
    """The value a plain number or an uncertain range stands for outside `simulate`."""
    if isinstance(raw, dict):
        if raw.get("mode") is not None:
            return parse(raw["mode"])
        return (parse(raw["low"]) + parse(raw["high"])) / 2
    if isinstance(raw, str) and (ends := split_range(raw)):
        return (parse(ends[0]) + parse(ends[1])) / 2
    return parse(raw)
