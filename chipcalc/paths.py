"""Paths: the names of a scenario's values, as `--set` and error messages write them.

The one walker of the spec tree: parse a path, find the spec at a path, list every value a
scenario holds, read a value and set values in a copy.
"""

from __future__ import annotations

import re
from dataclasses import replace
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from .scenario import Scenario
from .spec import Kind, Spec, specs

_PATH_TOKEN = re.compile(r"\.?([A-Za-z0-9_-]+)|\[(\d+)\]")


def parse_path(path: str) -> list[str | int]:
    """`orders[0].units` -> `["orders", 0, "units"]`; ValueError when it is not a path."""
    tokens: list[str | int] = []
    position = 0
    for match in _PATH_TOKEN.finditer(path):
        if match.start() != position or (position == 0 and match.group(0).startswith(".")):
            break
        tokens.append(match.group(1) if match.group(1) is not None else int(match.group(2)))
        position = match.end()
    if position != len(path) or not path:
        raise ValueError(f"{path!r} is not a path; write it as in error messages, e.g. "
                         "chips.h200.levy_rate or orders[0].units")
    return tokens


def walk(section: type, node: Any, child: Callable[[Any, str, str], Any],
         prefix: str = "") -> Iterator[tuple[str, Spec, Any]]:
    """Every single value under `node`, a tree of `section`'s shape, with its path and spec, in file
    order: each key the format has (its value None where the tree has none), every entry of the tree's
    keyed mappings and lists, and every name of a mapping of numbers (the tree's, then any other the
    format allows). `child(node, key, attr)` reads one key: an attribute of a built scenario, a key of a
    file's tree. A list of keys (a mix rule's chips) is one value, as JSON writes it."""
    for key, (attr, spec) in specs(section).items():
        path = f"{prefix}{key}"
        inner = child(node, key, attr)
        match spec.kind:
            case Kind.RECORD:
                yield from walk(spec.item, inner, child, path + ".")
            case Kind.RECORDS:
                for name, item in (inner.items() if isinstance(inner, Mapping) else ()):
                    if item is not None:  # `h20:` left empty is no chip
                        yield from walk(spec.item, item, child, f"{path}.{name}.")
            case Kind.LIST:
                for index, item in enumerate(inner if isinstance(inner, (list, tuple)) else ()):
                    yield from walk(spec.item, item, child, f"{path}[{index}].")
            case Kind.NUMBERS:
                numbers = inner if isinstance(inner, Mapping) else {}
                for name in dict.fromkeys([*numbers, *(spec.choices or ())]):
                    yield f"{path}.{name}", number_spec(spec, name), numbers.get(name)
            case _:
                yield path, spec, inner


def leaves(scenario: Scenario) -> list[tuple[str, Spec, Any]]:
    """Every value a scenario holds (numbers, text, dates, lists of keys), with its path and spec, in file
    order."""
    return [(path, input_spec(scenario, path) if spec.kind == Kind.SHARE_OR_MONEY else spec,
             list(value) if spec.kind == Kind.KEYS else value)
            for path, spec, value in walk(Scenario, scenario, lambda node, _, attr: getattr(node, attr))
            if value is not None]


def _as_written(spec: Spec, owner: Any, attr: str) -> Spec:
    """`spec`, or its money form for a share-or-money value its file wrote as money (a levy base of $20k):
    then its valid range is any positive amount, and it is shown as money."""
    if spec.kind == Kind.SHARE_OR_MONEY and getattr(owner, f"{attr}_is_money"):
        return spec.as_money()
    return spec


def input_spec(scenario: Scenario, path: str) -> Spec:
    """The spec of the value at `path` as `scenario` holds it: `spec_at`'s, but the money form for a levy
    base written as money (KeyError, IndexError or ValueError when there is no such value)."""
    spec = spec_at(path)
    if spec.kind != Kind.SHARE_OR_MONEY:
        return spec
    owner_path, _, key = path.rpartition(".")
    owner = value_at(scenario, owner_path)
    return _as_written(spec, owner, specs(type(owner))[key][0])


def numeric_inputs(scenario: Scenario) -> list[tuple[str, Spec, float]]:
    """Every number a scenario holds, with its path and spec as the scenario holds it (`input_spec`),
    in file order."""
    return [(path, spec, value) for path, spec, value in leaves(scenario) if spec.numeric]


def with_values(scenario: Scenario, changes: Mapping[str, Any]) -> Scenario:
    """A copy of `scenario` with each path set to its value (USD, fractions; numpy arrays allowed).

    Changing an exchange rate rescales every amount that was written in that currency. The
    rule for the order of changes is here and nowhere else: exchange rates are applied last,
    whatever the order of `changes`, so a new rate also rescales the amounts set in the same
    call. An amount given here is in USD at the scenario's own rate (as the loader and
    `parse_input` convert `¥150k`), so `{"chips.x.price": ..., "assumptions.fx.CNY": r}` prices
    x at its yuan amount at the rate r: a swept or sampled rate moves a swept or sampled yuan
    price, as it moves the one written in the file.
    """
    tokenised = [(parse_path(path), value) for path, value in changes.items()]
    tokenised.sort(key=lambda change: _is_exchange_rate(change[0]))  # stable: the rest keep their order
    for tokens, value in tokenised:
        if _is_exchange_rate(tokens):
            old = scenario.assumptions.fx[tokens[2]]
            for money_path, currency in scenario.currencies.items():
                if currency == tokens[2]:
                    scenario = _set(scenario, Scenario, parse_path(money_path),
                                    _get(scenario, Scenario, parse_path(money_path)) * (value / old))
        scenario = _set(scenario, Scenario, tokens, value)
    return scenario


def _is_exchange_rate(tokens: list[str | int]) -> bool:
    return tokens[:2] == ["assumptions", "fx"] and len(tokens) == 3


def value_at(scenario: Scenario, path: str) -> Any:
    """The value at `path` (KeyError, IndexError or ValueError when there is none)."""
    return _get(scenario, Scenario, parse_path(path))


def spec_at(path: str) -> Spec:
    """The spec of the single value at `path` (KeyError when the schema has no such value)."""
    section: type | Spec | None = Scenario
    spec: Spec | None = None
    for token in parse_path(path):
        found = None if section is None else step(section, token)
        if found is None:
            raise KeyError(path)
        spec, section = found
    if spec is None or section is not None:  # a section, not a value
        raise KeyError(path)
    return spec


def _get(value: Any, cls: Any, tokens: list) -> Any:
    token, rest = tokens[0], tokens[1:]
    if isinstance(value, Mapping):
        inner = value[token]
    elif isinstance(value, tuple):
        inner = value[token]
    else:
        inner = getattr(value, specs(type(value))[token][0])
    return _get(inner, None, rest) if rest else inner


def _set(value: Any, cls: Any, tokens: list, new: Any) -> Any:
    token, rest = tokens[0], tokens[1:]
    if isinstance(value, Mapping):
        copy = dict(value)
        copy[token] = _set(value[token], None, rest, new) if rest else new
        return copy
    if isinstance(value, tuple):
        items = list(value)
        items[token] = _set(value[token], None, rest, new) if rest else new
        return tuple(items)
    attr = specs(type(value))[token][0]
    inner = getattr(value, attr)
    return replace(value, **{attr: _set(inner, None, rest, new) if rest else new})


def join(prefix: str, key: str) -> str:
    """The path of `key` inside the section at `prefix` ("" at the top)."""
    return f"{prefix}.{key}" if prefix else key


def step(section: type | Spec, token: str | int) -> tuple[Spec, type | Spec | None] | None:
    """One token down the spec tree from a section (a record class, or the Spec of a keyed mapping, a list
    or a mapping of numbers): the spec of the value `token` names and the section below it (None
    for a single value), or None when `token` names nothing there. An entry of a keyed mapping or a list
    has its section's spec; a name in a mapping of numbers gets a number spec with the mapping's bounds."""
    match section:
        case type():
            own = specs(section)
            if token not in own:
                return None
            spec = own[token][1]
            return spec, spec if spec.kind.nested or spec.kind == Kind.NUMBERS else None
        case Spec(kind=Kind.RECORD):
            return step(section.item, token)
        case Spec(kind=Kind.RECORDS) if isinstance(token, str):
            return section, section.item
        case Spec(kind=Kind.LIST) if isinstance(token, int):
            return section, section.item
        case Spec(kind=Kind.NUMBERS) if isinstance(token, str):
            return number_spec(section, token), None
    return None


def number_spec(numbers: Spec, name: str) -> Spec:
    """The spec of one entry of a mapping of numbers (an exchange rate), with the mapping's bounds."""
    return Spec(name, Kind.NUMBER, numbers.doc, low=numbers.low, low_open=numbers.low_open)
