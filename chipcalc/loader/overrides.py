"""`--set PATH=VALUE`: values typed on the command line, laid over a scenario's tree before validation.

Each value is parsed as YAML text, marked `--set:N:COL`, and validated with the rest as if it had
been in the file. A path must name a value the scenario's format has (and, for chips and orders,
one the file has): a `--set` cannot add a chip.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from ..errors import ScenarioError, UsageError
from ..paths import parse_path, step, walk
from ..safe import printable
from ..scenario import Scenario
from ..spec import Kind, Mark, Spec
from .convert import CURRENCY
from .marks import MDict, MList, Tree, mdict, parse_yaml

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


def _set_value(text: str, mark: Mark) -> Tree:
    try:
        value = parse_yaml(text, mark.file) if text.strip() else None
    except ScenarioError:
        return text.strip()
    return text.strip() if isinstance(value, (datetime.date,)) else value


def _set_at(tree: MDict, tokens: list[str | int], value: Tree, mark: Mark, path: str) -> MDict:
    """A copy of `tree` with `value` at `tokens`, copying only along the path."""
    section: type | Spec | None = Scenario
    node: Tree = tree
    spine: list[tuple[MDict | MList, str | int]] = []
    for token in tokens:
        try:
            section = _step(section, token, node)
        except KeyError:
            raise UsageError(_unknown_path(path, tree)) from None
        spine.append((node, token))
        child = node.get(token) if isinstance(node, dict) else node[token]  # _step checked the index
        if not isinstance(child, (dict, list)):  # absent, or a plain value the path now goes through
            child = mdict(mark)
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
            copy = mdict(container.mark, container)
            copy[token] = new_value
            copy.marks[token] = copy.key_marks[token] = mark
        new_value = copy
    return new_value


def _step(section: type | Spec | None, token: str | int, node: Tree) -> type | Spec | None:
    """The section below `token` (None for a single value); KeyError when `token` names nothing there,
    in the format or, for keyed mappings and lists, in this tree."""
    found = None if section is None else step(section, token)
    if found is None:
        raise KeyError(token)
    exists = True
    if isinstance(section, Spec):
        match section.kind:
            case Kind.RECORDS:  # entries the file has (a --set cannot add a chip; `h20:` is none)
                exists = isinstance(node, dict) and node.get(token) is not None
            case Kind.LIST:
                exists = isinstance(node, list) and token < len(node)
            case Kind.NUMBERS:
                exists = token in section.choices if section.choices else bool(CURRENCY.match(str(token)))
    if not exists:
        raise KeyError(token)
    return found[1]


def _unknown_path(path: str, tree: MDict) -> str:
    import difflib

    candidates = [path for path, _, _ in walk(Scenario, tree, _key)]
    near = difflib.get_close_matches(path, candidates, n=3, cutoff=0.5)
    hint = f"; nearest valid paths: {', '.join(near)}" if near else ""
    # Named: a --set applies to every scenario given, and may fit some of them only
    return f"--set {path}: no such path in {printable(tree.mark.file)}{hint}"


def _key(node: Tree, key: str, _attr: str) -> Tree:
    """One key of a file's tree, for `walk`: None where the tree has no mapping there."""
    return node.get(key) if isinstance(node, dict) else None
