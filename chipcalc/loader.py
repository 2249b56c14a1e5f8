"""YAML scenario files -> validated `Scenario` values.

The only module that touches YAML. It reads files safely, keeps the file,
line and column of every value, applies `extends` and `--set`, and checks
the whole scenario against the specs in `scenario.py`, reporting every
problem at once. Past this module nothing checks for missing keys.
"""

from __future__ import annotations

import datetime
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Iterable

import yaml

from .errors import Problem, ScenarioError, UsageError, did_you_mean
from .scenario import REQUIRED, Assumptions, Mark, Order, Scenario, Spec, specs
from .paths import parse_path
from .values import (DISTRIBUTIONS, LARGEST, Money, Uncertain, checked_number, describe, is_money_text,
                     parse_money, parse_number, parse_rate, split_range)

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Scenario files are small; a larger file is a mistake, not a scenario."""

DEFAULT_NAME = "h200-2026"
DEFAULT_LABEL = f"(built-in {DEFAULT_NAME}.yaml)"
BUILTIN = Path(__file__).with_name("default.yaml")

_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
"""Control characters but tab and line feed: in a title or a source they would reach the terminal."""
_ESCAPES = {code: repr(chr(code))[1:-1] for code in (*range(0x20), 0x7F, *range(0x80, 0xA0), 0x2028, 0x2029)}
_CURRENCY = re.compile(r"^[A-Z]{3}$")

# Containers that remember where each of their values was written ----------


class MDict(dict):
    """A mapping from a file, with the mark of itself, of each key and of each value."""

    mark: Mark
    marks: dict
    key_marks: dict
    duplicates: list = []
    """Keys given twice in the file: (key, mark, mark of the first)."""
    size = 1
    """How many values it holds, counting each alias as often as it is used."""


class MList(list):
    """A list from a file, with the mark of itself and of each item."""

    mark: Mark
    marks: list
    size = 1


def _mdict(mark: Mark, like: MDict | None = None) -> MDict:
    """A new MDict at `mark`, holding a copy of `like`'s items and marks."""
    result = MDict(like or {})
    result.mark = mark
    result.marks = dict(like.marks) if like else {}
    result.key_marks = dict(like.key_marks) if like else {}
    return result


MAX_VALUES = 100_000
"""A scenario holds hundreds of values; more, after expanding YAML aliases, is an attack or a mistake."""

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _MarkingLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader (libyaml when present) that keeps marks, notes duplicate keys and
    counts values as aliases expand them."""

    label = "?"

    def mark(self, node: yaml.Node) -> Mark:
        return Mark(self.label, node.start_mark.line + 1, node.start_mark.column + 1)

    def child(self, node: yaml.Node) -> tuple[Any, int]:
        value = self.construct_object(node, deep=True)
        return value, getattr(value, "size", 1)

    def bounded(self, size: int, node: yaml.Node) -> int:
        if size > MAX_VALUES:
            raise yaml.MarkedYAMLError(
                problem=f"expands to more than {MAX_VALUES:,} values (through YAML aliases); "
                "a scenario is far smaller", problem_mark=node.start_mark)
        return size

    def construct_marked_mapping(self, node: yaml.MappingNode) -> MDict:
        explicit = {id(pair[0]) for pair in node.value}
        self.flatten_mapping(node)  # YAML merge keys (<<: *anchor) come first; explicit keys override them
        result = _mdict(self.mark(node))
        result.duplicates = []
        written: set[str] = set()
        size = 1
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if isinstance(key, (dict, list)):
                raise yaml.MarkedYAMLError(problem="a key must be a plain word, not a mapping or list",
                                           problem_mark=key_node.start_mark)
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if id(key_node) in explicit:
                if key in written:
                    result.duplicates.append((key, self.mark(key_node), result.key_marks[key]))
                written.add(key)
            result[key], child_size = self.child(value_node)
            size = self.bounded(size + child_size, node)
            result.marks[key] = self.mark(value_node)
            result.key_marks[key] = self.mark(key_node)
        result.size = size
        return result

    def construct_marked_sequence(self, node: yaml.SequenceNode) -> MList:
        result = MList()
        size = 1
        for child_node in node.value:
            value, child_size = self.child(child_node)
            size = self.bounded(size + child_size, node)
            result.append(value)
        result.mark = self.mark(node)
        result.marks = [self.mark(child) for child in node.value]
        result.size = size
        return result

    def construct_lenient_int(self, node: yaml.ScalarNode) -> Any:
        """An integer, or its text when Python refuses that many digits, for validation to report."""
        try:
            return self.construct_yaml_int(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date, or its text when it only looks like one (2026-13-01), for validation to report."""
        try:
            return self.construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


# The methods are looked up when a node is built, not when registered, so that a replaced method
# (a mutation test's mutant) is the one that runs.
for _tag, _method in (("map", "construct_marked_mapping"), ("seq", "construct_marked_sequence"),
                      ("timestamp", "construct_lenient_timestamp"), ("int", "construct_lenient_int")):
    _MarkingLoader.add_constructor(f"tag:yaml.org,2002:{_tag}",
                                   lambda loader, node, method=_method: getattr(loader, method)(node))


def parse_yaml(text: str, label: str) -> Any:
    """Parse YAML text safely, keeping marks; raise ScenarioError with FILE:LINE:COL: PATH."""
    loader = _MarkingLoader(text)
    loader.label = label
    try:
        tree = loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        raise ScenarioError([_yaml_problem(error, text, label)]) from None
    except yaml.reader.ReaderError as error:  # no mark, and a position in bytes (libyaml) or characters
        index = max(text.find(chr(error.character)), 0)
        line, column = text.count("\n", 0, index) + 1, index - (text.rfind("\n", 0, index) + 1) + 1
        raise ScenarioError([Problem(f"{label}:{line}:{column}", "", f"invalid YAML: the control character "
                                     f"U+{error.character:04X} is not allowed: remove it")]) from None
    except RecursionError:
        raise ScenarioError([Problem(f"{label}:1:1", "", "is nested too deeply to be a scenario")]) from None
    finally:
        loader.dispose()
    duplicates = [Problem(str(mark), _printable(path), _printable(
                          f"duplicate key '{path.rsplit('.', 1)[-1]}' (first given at line {first.line}); "
                          "YAML would silently keep only the last one: remove one of them"))
                  for path, mark, first in _duplicates(tree, "")]
    if duplicates:
        raise ScenarioError(duplicates)
    return tree


def _printable(text: str) -> str:
    """`text` with line breaks and control characters escaped (`\\n`): a problem stays on its line, and a key
    or value from a file cannot send codes to the terminal."""
    return text.translate(_ESCAPES)


def _yaml_problem(error: yaml.MarkedYAMLError, text: str, label: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark else f"{label}:1:1"
    message = error.problem or error.context or "is not valid YAML"
    if isinstance(error, yaml.constructor.ConstructorError):
        tag = re.search(r"tag '([^']*)'", message)
        shown = tag.group(1).replace("tag:yaml.org,2002:", "!!") if tag else ""
        message = (f"the tag {shown} is not allowed: scenario files may use only plain YAML values "
                   "(numbers, text, lists, mappings)") if tag else message
        return Problem(where, _printable(_path_at(text, mark)) if mark else "", message)
    if not message.startswith("expands to"):
        if _char_at(text, mark) == "\t":  # libyaml's messages do not say so; its mark is on the tab
            message += " (indent with spaces: YAML does not allow tabs)"
        elif error.context and error.context_mark and error.problem:
            message += (f" ({error.context} that starts at line {error.context_mark.line + 1}, "
                        f"column {error.context_mark.column + 1})")
        message = f"invalid YAML: {message}"
    return Problem(where, "", message)


def _char_at(text: str, mark: Any) -> str:
    """The character at a YAML mark (libyaml's messages do not name a tab; the text does)."""
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _duplicates(value: Any, path: str) -> Iterable[tuple[str, Mark, Mark]]:
    if isinstance(value, MDict):
        for key, mark, first in value.duplicates:
            yield _join(path, key), mark, first
        for key, inner in value.items():
            yield from _duplicates(inner, _join(path, key))
    elif isinstance(value, MList):
        for index, inner in enumerate(value):
            yield from _duplicates(inner, f"{path}[{index}]")


def _path_at(text: str, mark: Any) -> str:
    """The path of the value written at `mark`, found by composing the text without constructing it."""
    def walk(node: yaml.Node, path: str) -> str | None:
        if node.start_mark.line == mark.line and node.start_mark.column == mark.column:
            return path
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found = walk(value, _join(path, str(getattr(key, "value", ""))))
                if found is not None:
                    return found
        elif isinstance(node, yaml.SequenceNode):
            for index, value in enumerate(node.value):
                found = walk(value, f"{path}[{index}]")
                if found is not None:
                    return found
        return None

    # The text parsed up to the refused tag, so composing it (without constructing) succeeds.
    return walk(yaml.compose(text, Loader=_BaseLoader), "") or ""


def read_text(path: Path, label: str) -> str:
    """The text of a scenario file, or a ScenarioError saying why not."""
    def fail(message: str) -> ScenarioError:
        return ScenarioError([Problem(label, "", message)], unreadable=True)

    try:
        if path.is_dir():
            raise fail("is a directory, not a scenario file")
        size = path.stat().st_size
        data = None
        if size <= MAX_FILE_BYTES:  # a device or a pipe may say 0 and never end: read one byte too many
            with path.open("rb") as file:
                data = file.read(MAX_FILE_BYTES + 1)

    except FileNotFoundError:
        raise fail("no such file") from None
    except PermissionError:
        raise fail("cannot be read (permission denied)") from None
    except OSError as error:
        raise fail(f"cannot be read ({error.strerror or error})") from None
    if data is None or len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 2**20
        # The size when the file stated it and it rounds above the limit (not "is 10 MiB; at most 10 MiB")
        stated = data is None and round(size / 2**20) > limit
        shown = f"{size / 2**20:.0f} MiB" if stated else f"more than {limit} MiB"
        raise ScenarioError([Problem(label, "", f"is {shown}; a scenario file may be at most {limit} MiB")])
    return decode(data, label)


def decode(data: bytes, label: str) -> str:
    if b"\0" in data:
        raise ScenarioError([Problem(label, "", "is a binary file, not a YAML scenario")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        raise ScenarioError(
            [Problem(f"{label}:{line}:{column}", "", "is not UTF-8 text: save the file as UTF-8")]
        ) from None


# Reading files, with extends ----------------------------------------------


class FileSource:
    """Scenario files on disk, named by their paths as the user wrote them."""

    def read(self, ref: str) -> str:
        return read_text(Path(ref), ref)

    def exists(self, ref: str) -> bool:
        return os.path.exists(ref)

    def key(self, ref: str) -> str:
        return os.path.realpath(ref)

    def label(self, ref: str) -> str:
        return ref

    def parent(self, ref: str, extends: str) -> str:
        return os.path.normpath(os.path.join(os.path.dirname(ref), extends))


class ScenarioLoader:
    """Loads scenarios from a source (files by default), reading each file, and so each shared
    parent, once."""

    def __init__(self, source: Any = None) -> None:
        self.source = source or FileSource()
        self._trees: dict[str, Any] = {}

    def load(self, ref: str | os.PathLike | None, sets: Iterable[str] = ()) -> Scenario:
        """Load, merge, override and validate one scenario (the built-in one when `ref` is None)."""
        if ref is None:
            tree = self._check_root(parse_yaml(BUILTIN.read_text(encoding="utf-8"), DEFAULT_LABEL), DEFAULT_LABEL)
            label, stem = DEFAULT_LABEL, DEFAULT_NAME
        else:
            ref = os.fspath(ref)
            label, stem = self.source.label(ref), Path(ref).stem
            tree = self._resolve(ref, ())
        return build_scenario(apply_sets(tree, sets), label, stem)

    def _read(self, ref: str) -> MDict:
        key = self.source.key(ref)
        if key not in self._trees:
            label = self.source.label(ref)
            self._trees[key] = self._check_root(parse_yaml(self.source.read(ref), label), label)
        return self._trees[key]

    @staticmethod
    def _check_root(tree: Any, label: str) -> MDict:
        if tree is None:
            raise ScenarioError([Problem(f"{label}:1:1", "", "is empty: a scenario needs at least `chips:`")])
        if not isinstance(tree, dict):
            raise ScenarioError([Problem(
                str(tree.mark) if isinstance(tree, MList) else f"{label}:1:1", "",
                f"must be a mapping of keys (name, assumptions, chips, orders, ...), not {describe(tree)}",
            )])
        return tree

    def _resolve(self, ref: str, chain: tuple[str, ...]) -> MDict:
        """The tree of `ref` laid over its chain of parents; `chain` holds the children's refs."""
        tree = self._read(ref)
        parent_ref = tree.get("extends")
        if parent_ref is None:
            return tree
        where = str(tree.marks["extends"])
        if not isinstance(parent_ref, str) or not parent_ref.strip() or "\0" in parent_ref:  # no path has NUL
            raise ScenarioError([Problem(where, "extends", "must be the path of a parent scenario file")])
        parent = self.source.parent(ref, parent_ref)
        keys = [self.source.key(r) for r in (*chain, ref)]
        if self.source.key(parent) in keys:
            cycle = [*chain, ref, parent][keys.index(self.source.key(parent)):]
            names = " -> ".join(self.source.label(r) for r in cycle)
            raise ScenarioError([Problem(where, "extends", _printable(f"extends in a cycle: {names}"))])
        if not self.source.exists(parent):
            missing = f"parent scenario {self.source.label(parent)} does not exist"
            raise ScenarioError([Problem(where, "extends", _printable(missing))])
        try:
            parent_tree = self._resolve(parent, (*chain, ref))
        except ScenarioError as error:
            if error.unreadable:  # say where the unreadable parent was named
                raise ScenarioError([Problem(where, "extends", _printable(f"{p.where} {p.message}"))
                                     for p in error.problems]) from None
            raise
        merged = merge(parent_tree, tree)
        del merged["extends"], merged.marks["extends"], merged.key_marks["extends"]
        if "name" not in tree:  # a parent's name is not inherited
            merged.pop("name", None)
        return merged


def merge(parent: MDict, child: MDict) -> MDict:
    """`child` laid over `parent`: mappings merge key by key, the rest is replaced whole."""
    result = _mdict(child.mark, parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
        result.marks[key] = child.marks[key]
        result.key_marks[key] = child.key_marks[key]
    return result


# --set ------------------------------------------------------------------


def apply_sets(tree: MDict, sets: Iterable[str]) -> MDict:
    """Lay each `PATH=VALUE` over the tree, as if it had been in the file."""
    for index, assignment in enumerate(sets, start=1):
        path, sep, text = assignment.partition("=")
        path = path.strip()
        if not sep or not path:
            raise UsageError(f"--set {assignment!r}: expected PATH=VALUE, e.g. chips.h200.levy_rate=30%")
        try:
            tokens = parse_path(path)
        except ValueError as error:
            raise UsageError(f"--set {error}") from None
        mark = Mark("--set", index, len(path) + 2)
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:  # bytes the shell passed that are not UTF-8
            raise UsageError(f"--set {path}: the value is not UTF-8 text") from None
        value = _set_value(text, mark)
        tree = _set_at(tree, tokens, value, mark, path)
    return tree


def _set_value(text: str, mark: Mark) -> Any:
    try:
        value = parse_yaml(text, mark.file) if text.strip() else None
    except ScenarioError:
        return text.strip()
    return text.strip() if isinstance(value, (datetime.date,)) else value


def _set_at(tree: MDict, tokens: list[str | int], value: Any, mark: Mark, path: str) -> MDict:
    """A copy of `tree` with `value` at `tokens`, copying only along the path."""
    section: Any = Scenario
    node: Any = tree
    spine: list[tuple[Any, str | int]] = []
    for token in tokens:
        section = _step(section, token, node)
        if section is None:
            raise UsageError(_unknown_path(path, tree))
        spine.append((node, token))
        child = node.get(token) if isinstance(node, dict) else node[token]  # _step checked the index
        if not isinstance(child, (dict, list)):  # absent, or a plain value the path now goes through
            child = _mdict(mark)
        node = child
    # Rebuild the spine bottom-up with copies, so cached files stay untouched.
    new_value = value
    for container, token in reversed(spine):
        if isinstance(container, list):
            copy = MList(container)
            copy.mark, copy.marks = container.mark, list(container.marks)
            copy[token] = new_value
            copy.marks[token] = mark
        else:
            copy = _mdict(container.mark, container)
            copy[token] = new_value
            copy.marks[token] = copy.key_marks[token] = mark
        new_value = copy
    return new_value


def _step(section: Any, token: str | int, node: Any) -> Any:
    """The section below `token` ("leaf" for a single value), or None when `token` names nothing there."""
    if isinstance(section, type):  # a record: its keys are fixed
        own = specs(section)
        if token not in own:
            return None
        spec = own[token][1]
        return spec if spec.kind in ("records", "list", "numbers", "record") else "leaf"
    if isinstance(section, Spec):
        if section.kind == "record":
            return _step(section.item, token, node)
        if section.kind == "records":  # entries the file has (a --set cannot add a chip)
            return section.item if isinstance(node, dict) and token in node else None
        if section.kind == "list":
            in_range = isinstance(node, list) and isinstance(token, int) and token < len(node)
            return section.item if in_range else None
        if section.kind == "numbers":
            valid = token in section.choices if section.choices else bool(_CURRENCY.match(str(token)))
            return "leaf" if valid else None
    return None


def _unknown_path(path: str, tree: MDict) -> str:
    import difflib

    candidates = list(_paths(Scenario, tree, ""))
    near = difflib.get_close_matches(path, candidates, n=3, cutoff=0.5)
    hint = f"; nearest valid paths: {', '.join(near)}" if near else ""
    return f"--set {path}: no such path in a scenario{hint}"


def _paths(section: Any, node: Any, prefix: str) -> Iterable[str]:
    """Every path a --set may name in this scenario."""
    own = specs(section)
    for key, (_, spec) in own.items():
        path = f"{prefix}{key}"
        child = node.get(key) if isinstance(node, dict) else None
        if spec.kind == "record":
            yield from _paths(spec.item, child, path + ".")
        elif spec.kind == "records":
            for name, item in (child.items() if isinstance(child, dict) else ()):
                yield from _paths(spec.item, item, f"{path}.{name}.")
        elif spec.kind == "list":
            for i, item in enumerate(child if isinstance(child, list) else ()):
                yield from _paths(spec.item, item, f"{path}[{i}].")
        elif spec.kind == "numbers":
            yield from (f"{path}.{name}" for name in (spec.choices or (child if isinstance(child, dict) else ())))
        else:
            yield path


# Validation ---------------------------------------------------------------


def build_scenario(tree: MDict, label: str, stem: str) -> Scenario:
    """Check the whole tree and build the Scenario, or raise every problem at once."""
    return _Builder(label).scenario(tree, stem)


@dataclass
class _Builder:
    label: str

    def __post_init__(self) -> None:
        self.problems: list[Problem] = []
        self.origins: dict[str, Mark] = {}
        self.ranges: list[tuple[str, Uncertain]] = []
        self.fx: dict[str, float | None] = {}
        self.currencies: dict[str, str] = {}
        self.money_bases: set[str] = set()
        """Paths of `share_or_money` values written as money."""

    def problem(self, mark: Mark, path: str, message: str) -> None:
        self.problems.append(Problem(str(mark), _printable(path), _printable(message)))

    def scenario(self, tree: MDict, stem: str) -> Scenario:
        self.fx = self._peek_fx(tree)
        values = self.record(Scenario, tree, "")  # a mapping: _check_root saw to it
        values["name"] = values["name"] or stem
        assumptions = values["assumptions"]
        if assumptions is not None:
            self._check_chips(values["chips"] or {}, values["platforms"] or {}, assumptions, tree)
        values["orders"] = self._check_orders(values["orders"] or (), values["chips"] or {}, tree)
        if self.problems:
            self.problems.sort(key=_problem_order)
            raise ScenarioError(self.problems)
        values["file"] = self.label
        values["ranges"] = tuple(self.ranges)
        values["origins"] = self.origins
        values["currencies"] = self.currencies
        return Scenario(**values)

    @staticmethod
    def _peek_fx(tree: MDict) -> dict[str, float | None]:
        """The exchange rates, read early because money anywhere may need them (None: given, but invalid)."""
        assumptions = tree.get("assumptions")
        fx = assumptions.get("fx") if isinstance(assumptions, dict) else None
        rates = {}
        for code, raw in (fx.items() if isinstance(fx, dict) else ()):
            try:  # a rate written as a range converts at its point value, as everything else does
                rate = _point(raw, parse_number)
            except (ValueError, KeyError, TypeError):
                rate = None
            rates[str(code)] = rate if rate is not None and rate > 0 else None
        return rates

    # Sections

    def record(self, cls: type, node: Any, path: str, mark: Mark | None = None, **given: Any) -> dict | None:
        own = specs(cls)
        mark = mark or getattr(node, "mark", Mark(self.label, 1, 1))
        if not isinstance(node, dict):
            self.problem(mark, path or "(top level)",
                         f"must be a mapping with keys such as {', '.join(list(own)[:4])} (got {describe(node)})")
            return None
        for key in node:
            if key not in own:
                self.problem(node.key_marks[key], _join(path, key), "unknown key" + did_you_mean(key, own)
                             + ("" if did_you_mean(key, own) else f"; valid keys: {', '.join(own)}"))
        values: dict[str, Any] = dict(given)
        for key, (attr, spec) in own.items():
            sub = _join(path, key)
            raw = node.get(key)
            if raw is None:
                if spec.default is REQUIRED:
                    where = node.marks[key] if key in node else node.mark
                    self.problem(where, sub, "is required" if key in node else f"missing required key '{key}'")
                    values[attr] = None
                else:
                    values[attr] = self.default(spec, sub, node.mark)
            else:
                values[attr] = self.value(spec, raw, sub, node.marks[key])
            if spec.kind == "share_or_money":
                values[f"{attr}_is_money"] = sub in self.money_bases
        return values

    def default(self, spec: Spec, path: str, mark: Mark) -> Any:
        if spec.kind == "record":
            values = self.record(spec.item, _mdict(mark), path)
            return spec.item(**values) if values is not None else None
        if spec.kind == "list":
            return ()
        return dict(spec.default) if isinstance(spec.default, dict) else spec.default

    def value(self, spec: Spec, raw: Any, path: str, mark: Mark) -> Any:
        self.origins[path] = mark
        kind = spec.kind
        if kind == "record":
            values = self.record(spec.item, raw, path, mark)
            return None if values is None else spec.item(**values)
        if kind == "records":
            return self.records(spec, raw, path, mark)
        if kind == "list":
            return self.items(spec, raw, path, mark)
        if kind == "numbers":
            return self.numbers(spec, raw, path, mark)
        if spec.numeric:
            return self.numeric(spec, raw, path, mark)
        if kind == "date":
            return self.date(raw, path, mark)
        if isinstance(raw, (dict, list)) or isinstance(raw, bool):
            self.problem(mark, path, f"must be text (got {describe(raw)})")
            return None
        value = str(raw)
        if _CONTROL.search(value):
            self.problem(mark, path, f"must not contain control characters (got {describe(value)})")
            return None
        if kind == "choice" and value not in spec.choices:
            self.problem(mark, path, f"must be one of {', '.join(spec.choices)} (got {describe(raw)})"
                         + did_you_mean(value, spec.choices))
            return None
        return value

    def _has_problem(self, path: str) -> bool:
        return any(p.path == path or p.path.startswith(path + ".") for p in self.problems)

    def records(self, spec: Spec, raw: Any, path: str, mark: Mark) -> dict[str, Any]:
        if not isinstance(raw, dict) or not raw:
            self.problem(mark, path, f"must be a mapping of {spec.key} by key (got {describe(raw)})"
                         if not isinstance(raw, dict) else "must list at least one entry")
            return {}
        result = {}
        for key, node in raw.items():
            sub = _join(path, key)
            if not _KEY.match(key):
                self.problem(raw.marks[key], sub, "a key may use only letters, digits, '_' and '-'")
                continue
            self.origins[sub] = raw.marks[key]
            values = self.record(spec.item, node, sub, raw.marks[key], key=key)
            if values is not None:
                result[key] = values
        return {key: spec.item(**values) for key, values in result.items()}

    def items(self, spec: Spec, raw: Any, path: str, mark: Mark) -> tuple:
        if not isinstance(raw, list):
            self.problem(mark, path, f"must be a list of {spec.key} (got {describe(raw)})")
            return ()
        result = []
        for index, node in enumerate(raw):
            sub = f"{path}[{index}]"
            self.origins[sub] = raw.marks[index]
            values = self.record(spec.item, node, sub, raw.marks[index])
            result.append(None if values is None else spec.item(**values))  # keeps indexes aligned
        return tuple(result)

    def numbers(self, spec: Spec, raw: Any, path: str, mark: Mark) -> dict[str, float]:
        if not isinstance(raw, dict):
            example = "{bf16: 989, fp8: 1979}" if spec.choices else "{CNY: 0.139}"
            self.problem(mark, path, f"must be a mapping of {spec.names} to numbers, e.g. {example} "
                         f"(got {describe(raw)})")
            return {}
        result = {}
        for name, value in raw.items():
            sub = _join(path, name)
            if spec.choices and name not in spec.choices:
                self.problem(raw.marks[name], sub, f"unknown {spec.names}" + (did_you_mean(name, spec.choices)
                             or f"; one of {', '.join(spec.choices)}"))
                continue
            if not spec.choices and not _CURRENCY.match(name):
                self.problem(raw.marks[name], sub, f"a {spec.names} must be a three-letter code such as CNY")
                continue
            number = self.numeric(spec, value, sub, raw.marks[name], kind="number")
            self.origins[sub] = raw.marks[name]
            if number is not None:
                result[name] = number
        return result

    def date(self, raw: Any, path: str, mark: Mark) -> str | None:
        if isinstance(raw, datetime.datetime):
            return raw.date().isoformat()
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        try:
            return datetime.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            self.problem(mark, path, f"must be a date such as 2026-01-15 (got {describe(raw)})")
            return None

    # Numbers, rates, money, and uncertain ranges of them

    def numeric(self, spec: Spec, raw: Any, path: str, mark: Mark, kind: str | None = None) -> float | None:
        kind = kind or spec.kind
        if kind == "share_or_money":
            kind = self.share_or_money(raw, path, mark)
            if kind == "money":  # a money levy base: any positive amount
                self.money_bases.add(path)
                spec = Spec(spec.key, "money", spec.doc, low=0.0, low_open=True)
        parse = {"number": parse_number, "rate": parse_rate,
                 "money": lambda raw: self.usd(raw, path)}[kind]
        try:
            if isinstance(raw, dict):
                uncertain = self.uncertain(raw, parse)
            elif isinstance(raw, str) and (ends := split_range(raw)):
                uncertain = Uncertain(parse(ends[0]), parse(ends[1]), dist="lognormal")
                _check_uncertain(uncertain)
            else:
                value = parse(raw)
                if (violation := spec.violation(value)):
                    raise ValueError(violation)
                return value
            for name in ("low", "mode", "high"):
                bound = getattr(uncertain, name)
                if bound is not None and (violation := spec.violation(bound)):
                    raise ValueError(f"{name} {violation}")
        except ValueError as error:
            self.problem(mark, path, str(error))
            return None
        self.ranges.append((path, uncertain))
        return uncertain.point

    def share_or_money(self, raw: Any, path: str, mark: Mark) -> str:
        """"money" when a value (or both ends of a range) is written with a currency, else "rate"."""
        ends = [raw.get(key) for key in ("low", "mode", "high") if key in raw] if isinstance(raw, dict) else \
            list(split_range(raw) or (raw,)) if isinstance(raw, str) else [raw]
        kinds = {"money" if is_money_text(end) else "rate" for end in ends}
        if len(kinds) > 1:
            self.problem(mark, path, "a range must be all shares or all money, not a mix of the two")
        return "money" if kinds == {"money"} else "rate"

    def uncertain(self, raw: dict, parse) -> Uncertain:
        unknown = [key for key in raw if key not in ("low", "high", "mode", "dist")]
        if unknown:
            raise ValueError(f"unknown key '{unknown[0]}' in a range; a range has low, high, "
                             "and optionally mode and dist")
        missing = [key for key in ("low", "high") if key not in raw]
        if missing:
            raise ValueError(f"a range needs {' and '.join(missing)}, e.g. {{low: 28k, high: 36k}}")
        dist = raw.get("dist", "triangular" if "mode" in raw else "uniform")
        if dist not in DISTRIBUTIONS:
            raise ValueError(f"dist must be one of {', '.join(DISTRIBUTIONS)} (got {describe(dist)})"
                             + did_you_mean(str(dist), DISTRIBUTIONS))
        mode = parse(raw["mode"]) if "mode" in raw else None
        uncertain = Uncertain(parse(raw["low"]), parse(raw["high"]), mode, dist)
        _check_uncertain(uncertain)
        return uncertain

    def usd(self, raw: Any, path: str) -> float:
        money: Money = parse_money(raw)
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

    # Cross-checks

    def _check_chips(self, chips: dict, platforms: dict, assumptions: Assumptions, tree: MDict) -> None:
        """Fill each chip's defaults that depend on others, and check its platform and precision."""
        nodes = tree.get("chips") if isinstance(tree.get("chips"), dict) else {}
        for key, chip in list(chips.items()):
            node = nodes.get(key)
            path = f"chips.{key}"
            where = node.mark if isinstance(node, dict) else Mark(self.label, 1, 1)
            updates = {}
            if chip.name is None:
                updates["name"] = key
            if chip.platform is None:
                updates["platform"] = assumptions.incumbent_platform
            platform = updates.get("platform", chip.platform)
            if platform != assumptions.incumbent_platform and platform not in platforms:
                self.problem(node.marks.get("platform", where), f"{path}.platform",
                             f"platform '{platform}' has no entry under platforms: add "
                             f"platforms.{platform}.migration_cost (the cost of leaving "
                             f"{assumptions.incumbent_platform}), 0 if there is none")
            if chip.tflops and assumptions.precision is not None and assumptions.precision not in chip.tflops \
                    and not self._has_problem(f"{path}.tflops"):
                self.problem(node.marks.get("tflops", where), f"{path}.tflops",
                             f"has no {assumptions.precision} entry, the scenario's precision: add "
                             f"tflops.{assumptions.precision} or change assumptions.precision")
            elif chip.tflops == {} and "tflops" in node and not self._has_problem(f"{path}.tflops"):
                self.problem(node.marks["tflops"], f"{path}.tflops", "must give at least one precision")
            if updates:
                chips[key] = replace(chip, **updates)

    def _check_orders(self, orders: tuple, chips: dict, tree: MDict) -> tuple[Order, ...]:
        """Check each order's chip and quantity, and name the unnamed ones."""
        nodes = tree.get("orders") if isinstance(tree.get("orders"), list) else []
        seen: dict[str, int] = {}
        named = []
        written = tree.get("chips") if isinstance(tree.get("chips"), dict) else {}
        for index, order in enumerate(orders):
            if order is None:
                continue
            path = f"orders[{index}]"
            node = nodes[index] if index < len(nodes) and isinstance(nodes[index], dict) else _mdict(
                Mark(self.label, 1, 1))
            if order.chip is not None and written and order.chip not in written:
                self.problem(node.marks.get("chip", node.mark), f"{path}.chip",
                             f"no chip '{order.chip}' in this scenario" + (did_you_mean(order.chip, chips)
                             or f"; chips: {', '.join(chips)}"))
            given = [key for key in Order.EXACTLY_ONE_OF if key in node]
            if len(given) > 1:
                self.problem(node.marks[given[-1]], path, f"give {' or '.join(given)}, not both")
            elif not given:
                self.problem(node.mark, path, f"missing {' or '.join(Order.EXACTLY_ONE_OF)}: give one, "
                             "e.g. units: 400k")
            elif node[given[0]] is None:  # `budget: ~` or `units:` gives neither
                self.problem(node.marks[given[0]], f"{path}.{given[0]}", "must be a number (got nothing)")
            name = order.name or f"order-{index + 1}"
            if name in seen:
                self.problem(node.marks.get("name", node.mark), f"{path}.name",
                             f"order name '{name}' is already used by orders[{seen[name]}]")
            seen.setdefault(name, index)
            named.append(replace(order, name=name))
        return tuple(named)


def _point(raw: Any, parse) -> float:
    """The value a plain number or an uncertain range stands for outside `simulate`."""
    if isinstance(raw, dict):
        return parse(raw["mode"]) if "mode" in raw else (parse(raw["low"]) + parse(raw["high"])) / 2
    if isinstance(raw, str) and (ends := split_range(raw)):
        return (parse(ends[0]) + parse(ends[1])) / 2
    return parse(raw)


def _check_uncertain(uncertain: Uncertain) -> None:
    if not uncertain.low < uncertain.high:
        raise ValueError("a range's low must be below its high")
    if uncertain.mode is not None and not uncertain.low <= uncertain.mode <= uncertain.high:
        raise ValueError("a range's mode must lie between its low and its high")
    if uncertain.mode is not None and uncertain.dist != "triangular":
        raise ValueError(f"mode applies only to a triangular range (this one is {uncertain.dist})")
    if uncertain.dist == "lognormal" and uncertain.low <= 0:
        raise ValueError("a lognormal range needs a positive low")


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def _problem_order(problem: Problem) -> tuple:
    file, line, column = problem.location
    return (file, line or 0, column or 0)


def load_scenario(path: str | os.PathLike | None = None, sets: Iterable[str] = ()) -> Scenario:
    """Load one scenario file (the built-in scenario when `path` is None)."""
    return ScenarioLoader().load(path, sets)


def parse_input(scenario: Scenario, path: str, text: str) -> float:
    """A value for `path` typed on the command line (`25%`, `¥200k`, `1.5M`), in model units.

    Written as in a file: money converts with the scenario's exchange rates.
    """
    from .paths import spec_at

    try:
        spec = spec_at(path)
    except (KeyError, ValueError):
        raise UsageError(f"{path}: not a numeric input of a scenario; write it as in error messages, "
                         "e.g. chips.h200.levy_rate") from None
    if not spec.numeric:
        raise UsageError(f"{path}: not a numeric input")
    builder = _Builder("command line")
    builder.fx = dict(scenario.assumptions.fx)
    parse = {"number": parse_number, "rate": parse_rate, "money": lambda raw: builder.usd(raw, path)}[spec.kind]
    try:
        return parse(text.strip())
    except ValueError as error:
        raise UsageError(f"{path}: {text!r} {error}") from None
