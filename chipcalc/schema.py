"""The JSON Schema (draft 2020-12) of scenario files, derived from the specs in `scenario.py`.

The loader validates with the same specs, so the schema an editor checks against and the rules
chipcalc enforces cannot drift apart. The schema says all that JSON Schema can: keys, kinds,
which keys may be null, written forms, and each key's range whether the value is written as a
number or as text (patterns encode the bounds: `150%`, `-5k` and `0` where a value must be
positive are refused), that every chip has `tflops` at the scenario's precision, and that money
in another currency needs an exchange rate. What it cannot say (a range's low below its high,
names that refer to other entries, what a parent gives through `extends`) only `chipcalc
validate` checks; the README lists it, and tests/test_schema.py holds the two to agreement.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any

from .scenario import Assumptions, Scenario
from .spec import REQUIRED, Kind, Spec, specs
from .values import CURRENCY_SYMBOLS, DISTRIBUTIONS, LARGEST, NUMBER_TEXT, SMALLEST

Schema = dict[str, Any]
Condition = Callable[[float], str]
"""From a scale (1, or 100 for a percentage) to the pattern of number texts that meet a bound, scaled."""

SCHEMA_ID = "https://chipcalc.invalid/scenario.schema.json"
KEY_PATTERN = "^[A-Za-z0-9_-]+$"
TEXT_PATTERN = r"^[^\x00-\x08\x0b-\x1f\x7f-\x9f]*$"
"""Text the loader takes: no control characters but tab and line feed (they would reach a terminal)."""
PATH_PATTERN = r"^[^\x00]*[^\x00\s][^\x00]*$"
"""An `extends` path: not blank, and without NUL, which no path holds."""

# values.NUMBER_TEXT taken apart, so that a pattern can say which values a text holds.
_MANTISSA = r"(?:\d[\d_]*\.?[\d_]*|\.\d[\d_]*)"
_ZERO = r"(?:0[0_]*\.?[0_]*|\.0[0_]*)"  # every digit 0
_NONZERO = (r"(?:(?:[1-9]|0[\d_]*[1-9])[\d_]*\.?[\d_]*"  # a digit other than 0 before the point,
            r"|0[0_]*\.[\d_]*[1-9][\d_]*|\.(?:[1-9]|0[\d_]*[1-9])[\d_]*)")  # or after it
_SCALED = r"(?:[eE][+-]?\d+(?:\s*[kKMBT])?|\s*[kKMBT])"  # an exponent, a suffix or both
_POSITIVE = rf"\+?{_NONZERO}{_SCALED}?"

# JSON Schema compares plain numbers only; NaN passes every comparison, so it is caught here too.
_UNCOMPUTABLE = {"exclusiveMinimum": -SMALLEST, "exclusiveMaximum": SMALLEST, "not": {"const": 0}}

# An empty value (`power_w:`, `~`, `null`) is a key not given, everywhere (README, Values): "given"
# means present and not null, and "at least one entry" at least one that is not null.
_NOT_NULL: Schema = {"not": {"type": "null"}}
_SOME_ENTRY: Schema = {"not": {"type": "object", "additionalProperties": {"type": "null"}}}
"""Not an object whose every entry is null (`{}` is one, vacuously): where the value is an object,
one with an entry that is not null."""


def _given(*keys: str) -> Schema:
    """The keys are present and not null: given, as the loader reads them."""
    return {"required": list(keys), "properties": {key: _NOT_NULL for key in keys}}


def scenario_schema() -> Schema:
    """The whole schema: the top level and a definition per section and per kind of value."""
    builder = _Builder()
    full = builder.scenario(partial=False)
    extending = builder.scenario(partial=True)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "chipcalc scenario",
        "description": "A chipcalc scenario file: chips, levy rates, orders, migration and operating costs.",
        # A file that extends a parent may leave out what the parent gives.
        "if": {"type": "object", "required": ["extends"], "properties": {"extends": {"type": "string"}}},
        "then": {"$ref": "#/$defs/extending_scenario"},
        "else": {"$ref": "#/$defs/scenario"},
        "$defs": {"scenario": full, "extending_scenario": extending, **builder.defs},
    }


class _Builder:
    """Builds the sections' schemas, collecting one definition per kind and range of value."""

    def __init__(self) -> None:
        self.defs: dict[str, Schema] = {}

    def scenario(self, partial: bool) -> Schema:
        schema = self.record(Scenario, partial)
        extends = schema["properties"]["extends"]
        schema["properties"]["extends"] = {"description": extends["description"],
                                           "type": ["string", "null"], "pattern": PATH_PATTERN}
        if not partial:  # a parent may give the precision, the chips and the exchange rates
            schema["allOf"] = [*_precision_rules(), *_currency_rules()]
        return schema

    def record(self, cls: type, partial: bool = False) -> Schema:
        own = specs(cls)
        exclusive = getattr(cls, "EXACTLY_ONE_OF", ())
        schema: Schema = {
            "type": "object",
            "description": (cls.__doc__ or "").strip().splitlines()[0],
            # A key left empty (`power_w:`) is absent to the loader: its default, or for a required
            # key an error (a parent's value does not fill it: the child's empty value replaces it).
            "properties": {key: self.value(spec, partial, nullable=spec.default is not REQUIRED)
                           for key, (_, spec) in own.items()},
            "additionalProperties": False,
        }
        required = [key for key, (_, spec) in own.items() if spec.default is REQUIRED]
        if required and not partial:
            schema["required"] = required
        if exclusive:  # `units: 5, budget: ~` gives units only
            schema["oneOf"] = [_given(key) for key in exclusive]
        return schema

    def value(self, spec: Spec, partial: bool, nullable: bool) -> Schema:
        schema = {"description": spec.doc, **self._kind(spec, partial)}
        if not nullable:
            return schema
        if "enum" in schema:
            return {**schema, "enum": [*schema["enum"], None]}
        if "type" in schema:
            types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            return {**schema, "type": [*types, "null"]}
        return {"description": spec.doc, "anyOf": [{"$ref": schema["$ref"]}, {"type": "null"}]}

    def _kind(self, spec: Spec, partial: bool) -> Schema:
        # Entries merge with a parent's key by key, so in a child they may be partial or empty.
        entries = {} if partial else _SOME_ENTRY
        if spec.kind == Kind.RECORD:
            return {k: v for k, v in self.record(spec.item, partial).items() if k != "description"}
        if spec.kind == Kind.RECORDS:  # an empty entry (`h20:`) is no entry
            entry = {"anyOf": [self.record(spec.item, partial), {"type": "null"}]}
            return {"type": "object", **entries, "additionalProperties": False,
                    "patternProperties": {KEY_PATTERN: entry}}
        if spec.kind == Kind.LIST:  # replaced whole, never merged: each item is complete
            return {"type": "array", "items": self.record(spec.item)}
        if spec.kind == Kind.NUMBERS:
            names = {"enum": list(spec.choices)} if spec.choices else {"pattern": "^[A-Z]{3}$"}
            return {"type": "object", **(entries if spec.default is REQUIRED else {}), "propertyNames": names,
                    "additionalProperties": {"anyOf": [self.numeric(spec, Kind.NUMBER), {"type": "null"}]}}
        if spec.kind == Kind.CHOICE:
            return {"enum": list(spec.choices)}
        if spec.kind == Kind.DATE:
            return {"type": "string", "format": "date"}
        if spec.kind == Kind.SHARE_OR_MONEY:  # a share in its range, or a positive amount of money
            # money only with a currency: a bare number (5, 20k) is a share, as the loader reads it
            money = Spec(spec.key, Kind.MONEY, spec.doc, low=0.0, low_open=True)
            self.defs["share_or_money"] = {"anyOf": [self.numeric(spec, Kind.RATE),
                                                     _numeric(money, Kind.MONEY, currency=True)]}
            return {"$ref": "#/$defs/share_or_money"}
        if spec.kind == Kind.KEYS:  # whether each names an entry only validate checks
            return {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": KEY_PATTERN}}
        if spec.numeric:
            return self.numeric(spec, spec.kind)
        return {"type": ["string", "number"], "pattern": TEXT_PATTERN}

    def numeric(self, spec: Spec, kind: Kind) -> Schema:
        """A reference to the definition of values of `kind` in `spec`'s range, made on first use."""
        name = re.sub(r"[^a-z0-9]+", "_", f"{kind} {spec.bounds_text()}".lower()).strip("_")
        if name not in self.defs:
            self.defs[name] = _numeric(spec, kind)
        return {"$ref": f"#/$defs/{name}"}


def _numeric(spec: Spec, kind: Kind, currency: bool = False) -> Schema:
    """A value in range: a plain number, a written form (`25%`, `$32k`, `400k`), or an uncertain range;
    with `currency`, money written with its currency only (`$20k`, `150k CNY`)."""
    forms = [_form(kind, condition, currency) for condition in _conditions(spec)]
    shorthand = [rf"^\s*{form}\s+to\s+{form}\s*$" for form in forms]
    bound = {"anyOf": [_text(spec, kind, currency)] if currency else [_plain(spec), _text(spec, kind)]}
    uncertain: Schema = {
        "type": "object",
        "description": "an uncertain input: low and high (5th and 95th percentiles for normal and "
                       "lognormal), mode for a triangular one",
        "properties": {"low": bound, "high": bound, "mode": {"anyOf": [*bound["anyOf"], {"type": "null"}]},
                       "dist": {"enum": [*DISTRIBUTIONS, None]}},
        "required": ["low", "high"],
        "additionalProperties": False,
        "allOf": [{"if": _given("mode"), "then": {"properties": {"dist": {"enum": ["triangular", None]}}}}],
    }
    if spec.violation(0.0) is None:  # a lognormal range needs a positive low; the shorthand is one
        positive = spec._replace(low=0.0, low_open=True)
        shorthand.append(rf"^\s*{_form(kind, lambda _: _POSITIVE, currency)}\s+to\s")
        uncertain["allOf"].append({
            "if": {"required": ["dist"], "properties": {"dist": {"const": "lognormal"}}},
            "then": {"properties": {"low": {"anyOf": [_plain(positive), _text(positive, kind, currency)]}}},
        })
    ranged = {"type": "string", "allOf": [{"pattern": pattern} for pattern in shorthand]}
    return {"anyOf": [*bound["anyOf"], ranged, uncertain]}


def _text(spec: Spec, kind: Kind, currency: bool = False) -> Schema:
    """One value written as text (`25%`, `$32k`, `400k`) in `spec`'s range."""
    return {"type": "string", "allOf": [{"pattern": rf"^\s*{_form(kind, condition, currency)}\s*$"}
                                        for condition in _conditions(spec)]}


def _plain(spec: Spec) -> Schema:
    # A plain rate is a fraction (0.25), so the bounds apply to it as they stand.
    plain: Schema = {"type": "number", "minimum": -LARGEST, "maximum": LARGEST, "not": _UNCOMPUTABLE}
    if spec.low is not None:
        del plain["minimum"]
        plain["exclusiveMinimum" if spec.low_open else "minimum"] = spec.low
    if spec.high is not None:
        del plain["maximum"]
        plain["exclusiveMaximum" if spec.high_open else "maximum"] = spec.high
    return plain


def _conditions(spec: Spec) -> list[Condition]:
    """A condition per bound of `spec` (any number text when it has none)."""
    conditions: list[Condition] = []
    if spec.low is not None:
        conditions.append(lambda scale: _at_least(spec.low * scale, spec.low_open))
    if spec.high is not None:
        conditions.append(lambda scale: _at_most(spec.high * scale, spec.high_open))
    return conditions or [lambda _: NUMBER_TEXT]


def _form(kind: Kind, condition: Condition, currency: bool = False) -> str:
    """The pattern of one value of `kind` written as text, its number meeting `condition`; with
    `currency`, money must name its currency (a symbol or a code)."""
    if kind == Kind.RATE:
        return rf"(?:{condition(1)}|{condition(100)}\s*%)"
    number = condition(1)
    if kind == Kind.NUMBER:
        return number
    symbols: dict[str, str] = {}  # a symbol fixes the currency: `$32k CNY` is refused
    for symbol, code in CURRENCY_SYMBOLS.items():
        symbols[code] = symbols.get(code, "") + re.escape(symbol)
    marked = [rf"[{chars}]\s*{number}\s*(?:{_caseless(code)})?" for code, chars in symbols.items()]
    code = rf"{number}\s*[A-Za-z]{{3}}" if currency else rf"{number}\s*(?:[A-Za-z]{{3}})?"
    return "(?:" + "|".join([*marked, code]) + ")"


def _at_least(threshold: float, open_: bool) -> str:
    """Number texts at least `threshold` (above it when `open_`): 0, or a power of 10 (then a text
    with an exponent or a suffix is only checked to be positive: a pattern cannot multiply)."""
    if threshold == 0:
        return _POSITIVE if open_ else rf"(?:\+?{_MANTISSA}|-{_ZERO}){_SCALED}?"
    digits = _power_of_ten(threshold, open_)
    return rf"\+?(?:(?:0[0_]*)?[1-9]_*(?:\d_*){{{digits},}}(?:\.[\d_]*)?|{_NONZERO}{_SCALED})"


def _at_most(threshold: float, open_: bool) -> str:
    """Number texts at most `threshold` (below it when `open_`), a power of 10; a text with an
    exponent or a suffix is not checked against it."""
    digits = _power_of_ten(threshold, False)
    whole = "0[0_]*" if digits == 0 else rf"(?:0[0_]*|(?:0[0_]*)?[1-9]_*(?:\d_*){{0,{digits - 1}}})"
    below = rf"{whole}(?:\.[\d_]*)?|\.\d[\d_]*"
    equal = rf"(?:0[0_]*)?1_*(?:0_*){{{digits}}}(?:\.[0_]*)?"
    plain = below if open_ else f"{below}|{equal}"
    return rf"(?:-{_MANTISSA}{_SCALED}?|\+?(?:{plain}|{_MANTISSA}{_SCALED}))"


def _power_of_ten(threshold: float, open_: bool) -> int:
    digits = round(math.log10(threshold)) if threshold > 0 else -1
    if digits < 0 or 10 ** digits != threshold or open_:
        raise ValueError(f"no pattern for the bound {threshold:g} (open: {open_}); extend schema.py")
    return digits


def _caseless(word: str) -> str:
    return "".join(f"[{c.upper()}{c.lower()}]" for c in word)


def _precision_rules() -> list[Schema]:
    """Every chip has `tflops` at the scenario's precision (the loader's check in `_check_chips`)."""
    precision = specs(Assumptions)["precision"][1]
    rules = []
    for choice in precision.choices:
        named: Schema = {"required": ["assumptions"], "properties": {"assumptions": {
            "type": "object", "required": ["precision"], "properties": {"precision": {"const": choice}}}}}
        if choice == precision.default:  # also when the file names none (or leaves it empty)
            named = {"not": {"required": ["assumptions"], "properties": {"assumptions": {
                "type": "object", "required": ["precision"],
                "properties": {"precision": {"type": "string", "not": {"const": choice}}}}}}}
        rules.append({
            "if": named,
            "then": {"properties": {"chips": {"additionalProperties": {
                "properties": {"tflops": _given(choice)}}}}},
        })
    return rules


def _currency_rules() -> list[Schema]:
    """Money in a currency the file has no exchange rate for is refused: a currency that a symbol
    names (`¥` for CNY) needs `assumptions.fx.CNY`, and a file with no rates at all is all USD."""
    def fx(lacking: Schema) -> Schema:
        return {"properties": {"assumptions": {"properties": {"fx": {"not": {"type": "object", **lacking}}}}}}

    rules = []
    for code in sorted(set(CURRENCY_SYMBOLS.values()) - {"USD"}):
        symbols = "".join(re.escape(s) for s, c in CURRENCY_SYMBOLS.items() if c == code)
        named = {"not": {"type": "string", "pattern": f"[{symbols}]|{_caseless(code)}"}}
        rules.append({"if": fx(_given(code)), "then": _money_values(Scenario, named)})
    usd = rf"(?:\$\s*)?{NUMBER_TEXT}\s*(?:{_caseless('USD')})?"
    in_usd = {"pattern": rf"^\s*{usd}(?:\s+to\s+{usd})?\s*$"}
    rules.append({"if": fx(_SOME_ENTRY), "then": _money_values(Scenario, in_usd)})
    return rules


def _money_values(cls: type, rule: Schema) -> Schema:
    """A schema that applies `rule` to every amount of money under `cls` (and to its range's ends)."""
    ends = {**rule, "properties": {end: rule for end in ("low", "high", "mode")}}
    # a levy base is money only when it names a currency; a share is left alone
    symbols = "".join(re.escape(symbol) for symbol in CURRENCY_SYMBOLS)
    either = {"anyOf": [rule, {"not": {"type": "string", "pattern": rf"[{symbols}]|[A-Za-z]{{3}}\s*$"}}]}
    share_or_ends = {**either, "properties": {end: either for end in ("low", "high", "mode")}}
    properties = {}
    for key, (_, spec) in specs(cls).items():
        inner = _money_values(spec.item, rule) if spec.kind.nested else None
        if spec.kind == Kind.MONEY:
            properties[key] = ends
        elif spec.kind == Kind.SHARE_OR_MONEY:
            properties[key] = share_or_ends
        elif inner and inner["properties"]:
            properties[key] = {Kind.RECORD: inner, Kind.RECORDS: {"additionalProperties": inner},
                               Kind.LIST: {"items": inner}}[spec.kind]
    return {"properties": properties}
