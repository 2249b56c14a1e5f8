"""The shape of a scenario's tree checked against the `Spec`s in `scenario.py`, section by section.

`Validator` turns a marked tree into the values of the scenario's dataclasses: records, keyed
records (chips, platforms), lists (orders), mappings of numbers (tflops, fx), dates, text and
choices, converting numbers through a `Converter`. It collects every problem instead of stopping
at the first, and records where each value was written and which inputs are uncertain ranges.
"""

from __future__ import annotations

import datetime
import functools
import re
from collections.abc import Callable
from typing import Any

from ..errors import Problem, did_you_mean
from ..paths import join
from ..spec import REQUIRED, Kind, Mark, Spec, specs
from ..values import Uncertain, describe
from .convert import CURRENCY, Converter
from .marks import Tree, mdict, printable

_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but tab and line feed: in a title or a source they would reach the terminal."""

Values = dict[str, Any]
"""The keyword arguments of a section's dataclass: its attributes' values, of each field's own type."""


class Problems(list[Problem]):
    """The problems found in one scenario, each at the place it was written."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.label = label
        """The scenario's file, for problems with no better place than its start."""

    def add(self, mark: Mark, path: str, message: str) -> None:
        self.append(Problem(str(mark), printable(path), printable(message)))

    def at(self, path: str) -> bool:
        """Whether a problem was found at `path` or inside it."""
        return any(p.path == path or p.path.startswith(path + ".") for p in self)


@functools.cache
def plain_defaults(cls: type) -> Values:
    """{attribute: default} of the keys of `cls` whose default is a plain value, shared by every
    record left without them (it is never changed: `record` copies it); not those whose default
    is built for each record (a section, a mapping) or that are required."""
    return {attr: spec.default for attr, spec in specs(cls).values()
            if spec.default is not REQUIRED and spec.kind not in (Kind.RECORD, Kind.LIST)
            and not isinstance(spec.default, (dict, list))}


class Validator:
    """Checks a tree section by section, building each section's values."""

    def __init__(self, problems: Problems, converter: Converter) -> None:
        self.problems = problems
        self.converter = converter
        self.origins: dict[str, Mark] = {}
        self.ranges: list[tuple[str, Uncertain]] = []
        self._kinds: dict[Kind, Callable[[Spec, Tree, str, Mark], object]] = {
            Kind.RECORD: self.section, Kind.RECORDS: self.records, Kind.LIST: self.items,
            Kind.NUMBERS: self.numbers, Kind.NUMBER: self.numeric, Kind.RATE: self.numeric,
            Kind.MONEY: self.numeric, Kind.SHARE_OR_MONEY: self.numeric, Kind.DATE: self.date,
            Kind.TEXT: self.text, Kind.CHOICE: self.text,
            Kind.KEYS: self.keys,
        }

    def record(self, cls: type, node: Tree, path: str, mark: Mark | None = None,
               **given: str) -> Values | None:
        """The values of a record of class `cls` (None when `node` is not a mapping)."""
        own = specs(cls)
        mark = mark or getattr(node, "mark", Mark(self.problems.label, 1, 1))
        if not isinstance(node, dict):
            self.problems.add(mark, path or "(top level)",
                              f"must be a mapping with keys such as {', '.join(list(own)[:4])} "
                              f"(got {describe(node)})")
            return None
        for key in node:
            if key not in own:
                # a key with spaces around it (` title`) is shown quoted, so the path reads as one
                shown = key if key == key.strip() else repr(key)
                near = did_you_mean(key, own)
                self.problems.add(node.key_marks[key], join(path, shown),
                                  "unknown key" + (near or f"; valid keys: {', '.join(own)}"))
        values: Values = {**given, **plain_defaults(cls)}  # replaced below by the values the file gives
        prefix = f"{path}." if path else ""  # join(path, key) for every key: this runs for every value
        marks, kinds = node.marks, self._kinds
        for key, (attr, spec) in own.items():
            raw = node.get(key)
            if raw is not None:
                sub = prefix + key
                self.origins[sub] = mark = marks[key]
                values[attr] = kinds[spec.kind](spec, raw, sub, mark)
            elif attr in values:  # left out, with a plain default: most keys of most files
                pass
            elif spec.default is REQUIRED:
                where = marks[key] if key in node else node.mark
                missing = "is required" if key in node else f"missing required key '{key}'"
                self.problems.add(where, prefix + key, missing)
                values[attr] = None
            else:
                values[attr] = self.default(spec, prefix + key, node.mark)
            if spec.kind == Kind.SHARE_OR_MONEY:  # the model needs to know which it was written as
                values[f"{attr}_is_money"] = prefix + key in self.converter.money_shares
        return values

    def default(self, spec: Spec, path: str, mark: Mark) -> object:
        """The value of a key the file leaves out: a record of its own defaults, no items, or the default."""
        if spec.kind == Kind.RECORD:
            return self.section(spec, mdict(mark), path, mark)
        if spec.kind == Kind.LIST:
            return ()
        return dict(spec.default) if isinstance(spec.default, dict) else spec.default

    def section(self, spec: Spec, raw: Tree, path: str, mark: Mark) -> object:
        values = self.record(spec.item, raw, path, mark)
        return None if values is None else spec.item(**values)

    def records(self, spec: Spec, raw: Tree, path: str, mark: Mark) -> dict[str, object]:
        """A mapping of records by key (chips, platforms), each record given its key; an empty entry
        (`h20:`) is no entry, as an empty value is no value."""
        if not isinstance(raw, dict) or all(node is None for node in raw.values()):
            self.problems.add(mark, path, f"must be a mapping of {spec.key} by key (got {describe(raw)})"
                              if not isinstance(raw, dict) else "must list at least one entry")
            return {}
        result = {}
        for key, node in raw.items():
            sub = join(path, key)
            if not _KEY.match(key):
                self.problems.add(raw.marks[key], sub, "a key may use only letters, digits, '_' and '-'")
                continue
            if node is None:
                continue
            self.origins[sub] = raw.marks[key]
            values = self.record(spec.item, node, sub, raw.marks[key], key=key)
            if values is not None:
                result[key] = values
        return {key: spec.item(**values) for key, values in result.items()}

    def items(self, spec: Spec, raw: Tree, path: str, mark: Mark) -> tuple[object, ...]:
        """A list of records (orders); None in place of an invalid one, so that indexes stay aligned."""
        if not isinstance(raw, list):
            self.problems.add(mark, path, f"must be a list of {spec.key} (got {describe(raw)})")
            return ()
        result = []
        for index, node in enumerate(raw):
            sub = f"{path}[{index}]"
            self.origins[sub] = raw.marks[index]
            values = self.record(spec.item, node, sub, raw.marks[index])
            result.append(None if values is None else spec.item(**values))
        return tuple(result)

    def keys(self, spec: Spec, raw: Tree, path: str, mark: Mark) -> tuple[str, ...]:
        """A non-empty list of keys of other entries (a mix rule's chips); whether each names an entry
        is a cross-check (`crosschecks`), made once every section is read."""
        if not isinstance(raw, list) or not raw:
            self.problems.add(mark, path, "must list at least one key, e.g. [ascend_910c, mlu590]"
                              if isinstance(raw, list) else
                              f"must be a list of keys, e.g. [ascend_910c, mlu590] (got {describe(raw)})")
            return ()
        result = []
        for index, item in enumerate(raw):
            sub = f"{path}[{index}]"
            if not isinstance(item, str) or not _KEY.match(item):
                self.problems.add(raw.marks[index], sub, "must be a key (letters, digits, '_' and '-'; "
                                  f"got {describe(item)})")
                continue
            self.origins[sub] = raw.marks[index]
            result.append(item)
        return tuple(result)

    def numbers(self, spec: Spec, raw: Tree, path: str, mark: Mark) -> dict[str, float]:
        """A mapping of names (precisions, currencies) to numbers."""
        if not isinstance(raw, dict):
            example = "{bf16: 989, fp8: 1979}" if spec.choices else "{CNY: 0.139}"
            self.problems.add(mark, path, f"must be a mapping of {spec.names} to numbers, e.g. {example} "
                              f"(got {describe(raw)})")
            return {}
        result = {}
        for name, value in raw.items():
            sub = join(path, name)
            if value is None and (name in spec.choices or not spec.choices and CURRENCY.match(name)):
                continue  # an empty entry is no entry: `fp8:` gives no fp8 figure
            if spec.choices and name not in spec.choices:
                self.problems.add(raw.marks[name], sub, f"unknown {spec.names}" + (
                    did_you_mean(name, spec.choices) or f"; one of {', '.join(spec.choices)}"))
                continue
            if not spec.choices and not CURRENCY.match(name):
                self.problems.add(raw.marks[name], sub,
                                  f"a {spec.names} must be a three-letter code such as CNY")
                continue
            number = self.numeric(spec, value, sub, raw.marks[name], Kind.NUMBER)
            self.origins[sub] = raw.marks[name]
            if number is not None:
                result[name] = number
        return result

    def numeric(self, spec: Spec, raw: Tree, path: str, mark: Mark, kind: Kind | None = None) -> float | None:
        """A number, rate or amount of money in model units; an uncertain range's point value."""
        try:
            value = self.converter.value(spec, raw, path, kind)
        except ValueError as error:
            self.problems.add(mark, path, str(error))
            return None
        if isinstance(value, Uncertain):
            self.ranges.append((path, value))
            return value.point
        return value

    def date(self, spec: Spec, raw: Tree, path: str, mark: Mark) -> str | None:
        """An ISO date, from a YAML date or text."""
        if isinstance(raw, datetime.datetime):
            return raw.date().isoformat()
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        try:
            return datetime.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            self.problems.add(mark, path, f"must be a date such as 2026-01-15 (got {describe(raw)})")
            return None

    def text(self, spec: Spec, raw: Tree, path: str, mark: Mark) -> str | None:
        """Text without control characters; for a choice, one of its choices."""
        if isinstance(raw, (dict, list)) or isinstance(raw, bool):
            self.problems.add(mark, path, f"must be text (got {describe(raw)})")
            return None
        value = str(raw)
        if _CONTROL.search(value):
            self.problems.add(mark, path, f"must not contain control characters (got {describe(value)})")
            return None
        if spec.kind == Kind.CHOICE and value not in spec.choices:
            self.problems.add(mark, path, f"must be one of {', '.join(spec.choices)} (got {describe(raw)})"
                              + did_you_mean(value, spec.choices))
            return None
        return value
