"""The JSON Schema (draft 2020-12) of scenario files, derived from the specs in `scenario.py`.

The loader validates with the same specs, so the schema an editor checks
against and the rules chipcalc enforces cannot drift apart. The schema checks
what JSON Schema can (keys, kinds, written forms, ranges of plain numbers);
the loader checks the rest (currencies, cross-references, ranges of `25%`).
"""

from __future__ import annotations

from typing import Any

from .scenario import REQUIRED, Scenario, Spec, specs
from .values import DISTRIBUTIONS, LARGEST, MONEY_PATTERN, NUMBER_PATTERN, RANGE_PATTERN, RATE_PATTERN

SCHEMA_ID = "https://chipcalc.invalid/scenario.schema.json"
KEY_PATTERN = "^[A-Za-z0-9_-]+$"
WRITTEN = {"number": NUMBER_PATTERN, "rate": RATE_PATTERN, "money": MONEY_PATTERN}


def scenario_schema() -> dict[str, Any]:
    """The whole schema: the top level and a definition per section."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "chipcalc scenario",
        "description": "A chipcalc scenario file: chips, levy rates, orders, migration and operating costs.",
        # A file that extends a parent may leave out what the parent gives.
        "if": {"type": "object", "required": ["extends"]},
        "then": {"$ref": "#/$defs/extending_scenario"},
        "else": {"$ref": "#/$defs/scenario"},
        "$defs": {
            "scenario": _record(Scenario),
            "extending_scenario": _record(Scenario, partial=True),
            "range": _range_schema(),
        },
    }


def _record(cls: type, partial: bool = False) -> dict[str, Any]:
    own = specs(cls)
    schema: dict[str, Any] = {
        "type": "object",
        "description": (cls.__doc__ or "").strip().splitlines()[0],
        "properties": {key: _value(spec, partial) for key, (_, spec) in own.items()},
        "additionalProperties": False,
    }
    required = [key for key, (_, spec) in own.items() if spec.default is REQUIRED]
    if required and not partial:
        schema["required"] = required
    exclusive = getattr(cls, "EXACTLY_ONE_OF", ())
    if exclusive:
        schema["oneOf"] = [{"required": [key]} for key in exclusive]
    return schema


def _value(spec: Spec, partial: bool) -> dict[str, Any]:
    described = {"description": spec.doc}
    if spec.kind == "record":
        return {**_record(spec.item, partial), **described}
    if spec.kind == "records":  # merged key by key with a parent's: entries may be partial
        return {"type": "object", **described, "minProperties": 1,
                "patternProperties": {KEY_PATTERN: _record(spec.item, partial)},
                "additionalProperties": False}
    if spec.kind == "list":  # replaced whole, never merged: each item is complete
        return {"type": "array", **described, "items": _record(spec.item)}
    if spec.kind == "numbers":
        names = {"enum": list(spec.choices)} if spec.choices else {"pattern": "^[A-Z]{3}$"}
        return {"type": "object", **described, "propertyNames": names,
                "additionalProperties": _numeric(spec, "number")}
    if spec.kind == "choice":
        return {**described, "enum": list(spec.choices)}
    if spec.kind == "date":
        return {**described, "type": "string", "format": "date"}
    if spec.numeric:
        return {**_numeric(spec, spec.kind), **described}
    return {**described, "type": ["string", "number"]}


def _numeric(spec: Spec, kind: str) -> dict[str, Any]:
    """A plain number in range, a written form (`25%`, `$32k`, `400k`), or an uncertain range."""
    plain: dict[str, Any] = {"type": "number"}
    # A plain rate is a fraction (0.25), so the bounds apply to it as they stand.
    if spec.low is not None:
        plain["exclusiveMinimum" if spec.low_open else "minimum"] = spec.low
    if spec.high is not None:
        plain["exclusiveMaximum" if spec.high_open else "maximum"] = spec.high
    else:
        plain["maximum"] = LARGEST  # beyond it the model's products overflow
    return {"anyOf": [plain, {"type": "string", "pattern": WRITTEN[kind]},
                      {"type": "string", "pattern": RANGE_PATTERN}, {"$ref": "#/$defs/range"}]}


def _range_schema() -> dict[str, Any]:
    bound = {"type": ["number", "string"]}
    return {
        "type": "object",
        "description": "an uncertain input: low and high (5th and 95th percentiles for normal and "
                       "lognormal), mode for a triangular one",
        "properties": {"low": bound, "high": bound, "mode": bound, "dist": {"enum": list(DISTRIBUTIONS)}},
        "required": ["low", "high"],
        "additionalProperties": False,
    }
