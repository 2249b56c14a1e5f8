"""YAML text -> plain trees that remember where each key and value was written.

The only module that parses YAML. It owns the marking libyaml loader (merge keys, duplicate keys,
the alias-expansion bound, lenient integers and dates), the messages for text that is not valid
YAML.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import yaml

from ..errors import Problem, ScenarioError
from ..paths import join
from ..safe import printable, quoted
from ..spec import Mark

MAX_VALUES = 100_000
"""A scenario holds hundreds of values; more, after expanding YAML aliases, is an attack or a mistake."""

Tree = object
"""What YAML holds: an MDict, an MList, or a plain scalar (str, int, float, bool, date, None)."""


class MDict(dict):
    """A mapping from a file, with the mark of itself, of each key and of each value."""

    mark: Mark
    marks: dict[str, Mark]
    key_marks: dict[str, Mark]
    duplicates: list[tuple[str, Mark, Mark]] = []
    """Keys given twice in the file: (key, mark, mark of the first)."""
    size = 1
    """How many values it holds, counting each alias as often as it is used."""


class MList(list):
    """A list from a file, with the mark of itself and of each item."""

    mark: Mark
    marks: list[Mark]
    size = 1


def mdict(mark: Mark, like: MDict | None = None) -> MDict:
    """A new MDict at `mark`, holding a copy of `like`'s items and marks."""
    result = MDict(like or {})
    result.mark = mark
    result.marks = dict(like.marks) if like else {}
    result.key_marks = dict(like.key_marks) if like else {}
    return result


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STR, _MAP, _SEQ = (f"tag:yaml.org,2002:{name}" for name in ("str", "map", "seq"))
_new_tuple = tuple.__new__
_MERGING = frozenset({"tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"})
"""Key tags that `flatten_mapping` rewrites (`<<: *anchor`, `=`): a mapping without them needs none."""


class _MarkingLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """PyYAML's safe loader (libyaml when present) that keeps marks, notes duplicate keys and
    counts values as aliases expand them.

    libyaml composes the document into nodes, which `tree` walks into MDicts and MLists: text (most
    keys and values) is taken as composed, and only other scalars go through PyYAML's constructors.
    """

    label = "?"
    duplicated = False
    """Whether some mapping has a key twice: only then is the tree searched for them."""

    def tree(self) -> Tree:
        """The document's tree (None when it is empty)."""
        node = self.get_single_node()
        self.walked: dict[int, tuple[Tree, int]] = {}
        """Each mapping and list by its node, built once however many aliases name it."""
        self.walking: set[int] = set()
        """The collections being built: an alias to one of them is a node that contains itself."""
        return None if node is None else self.child(node)[0]

    _resolved: dict[tuple[str, tuple[bool, bool]], str] = {}
    """Each scalar text's implicit tag, as PyYAML's resolver found it: a batch of scenarios repeats
    the same keys and values thousands of times."""

    def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
        if kind is not yaml.ScalarNode or self.yaml_path_resolvers:  # path resolvers depend on more
            return super().resolve(kind, value, implicit)
        tag = self._resolved.get((value, implicit))
        if tag is None:
            if len(self._resolved) > MAX_VALUES:  # a bound on what a long run remembers
                self._resolved.clear()
            tag = self._resolved[value, implicit] = super().resolve(kind, value, implicit)
        return tag

    def mark(self, node: yaml.Node) -> Mark:
        start = node.start_mark
        return _new_tuple(Mark, (self.label, start.line + 1, start.column + 1))  # Mark(...) without its frame

    def child(self, node: yaml.Node) -> tuple[Tree, int]:
        """A node's value, and how many values it holds."""
        if node.tag == _STR and isinstance(node, yaml.ScalarNode):
            return node.value, 1
        walked = self.walked.get(id(node))
        if walked is not None:
            return walked
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            walked = self.collection(node, self.construct_marked_mapping)
        elif isinstance(node, yaml.SequenceNode) and node.tag == _SEQ:
            walked = self.collection(node, self.construct_marked_sequence)
        else:  # numbers, dates, booleans, null; any other tag, refused or reported by its constructor
            value = self.construct_object(node, deep=True)
            return value, getattr(value, "size", 1)
        self.walked[id(node)] = walked
        return walked

    def collection(self, node: yaml.Node, build: Callable[[yaml.Node], MDict | MList]) -> tuple[Tree, int]:
        if id(node) in self.walking:  # PyYAML's own words for it
            raise yaml.constructor.ConstructorError(None, None, "found unconstructable recursive node",
                                                    node.start_mark)
        self.walking.add(id(node))
        value = build(node)
        self.walking.discard(id(node))
        return value, value.size

    def too_many(self, node: yaml.Node) -> yaml.MarkedYAMLError:
        return yaml.MarkedYAMLError(problem=f"expands to more than {MAX_VALUES:,} values (through YAML "
                                    "aliases); a scenario is far smaller", problem_mark=node.start_mark)

    def construct_marked_mapping(self, node: yaml.MappingNode) -> MDict:
        merging = any(key_node.tag in _MERGING for key_node, _ in node.value)
        explicit = {id(pair[0]) for pair in node.value} if merging else None
        if merging:  # YAML merge keys (<<: *anchor) come first; explicit keys override them
            self.flatten_mapping(node)
        mark, child = self.mark, self.child
        result = mdict(mark(node))
        result.duplicates = []
        marks, key_marks = result.marks, result.key_marks
        written: set[str] = set()
        size = 1
        for key_node, value_node in node.value:
            key, _ = child(key_node)
            if isinstance(key, (dict, list)):
                raise yaml.MarkedYAMLError(problem="a key must be a plain word, not a mapping or list",
                                           problem_mark=key_node.start_mark)
            if not isinstance(key, str):
                key = str(key).lower() if isinstance(key, bool) else str(key)
            if explicit is None or id(key_node) in explicit:
                if key in written:
                    result.duplicates.append((key, mark(key_node), key_marks[key]))
                    self.duplicated = True
                written.add(key)
            result[key], child_size = child(value_node)
            size += child_size
            if size > MAX_VALUES:
                raise self.too_many(node)
            marks[key] = mark(value_node)
            key_marks[key] = mark(key_node)
        result.size = size
        return result

    def construct_marked_sequence(self, node: yaml.SequenceNode) -> MList:
        result = MList()
        size = 1
        for child_node in node.value:
            value, child_size = self.child(child_node)
            size += child_size
            if size > MAX_VALUES:
                raise self.too_many(node)
            result.append(value)
        result.mark = self.mark(node)
        result.marks = [self.mark(child) for child in node.value]
        result.size = size
        return result

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Tree:
        """A node's value; a core tag given a value it cannot take (`!!float .`, `!!bool maybe`,
        `!!int _`) is a located error, never PyYAML's own IndexError, KeyError or ValueError."""
        try:
            return super().construct_object(node, deep)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError):
            tag = node.tag.replace("tag:yaml.org,2002:", "!!")
            shown = quoted(node.value) if isinstance(node.value, str) else "this value"
            raise yaml.constructor.ConstructorError(
                None, None, f"{shown} is not a valid {printable(tag)}: write the value without the tag",
                node.start_mark) from None

    def construct_lenient_int(self, node: yaml.ScalarNode) -> int | str:
        """An integer, or its text when Python refuses that many digits, for validation to report."""
        try:
            return self.construct_yaml_int(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_lenient_timestamp(self, node: yaml.ScalarNode) -> Tree:
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


def parse_yaml(text: str, label: str) -> Tree:
    """Parse YAML text safely, keeping marks; raise ScenarioError with FILE:LINE:COL: PATH."""
    loader = _MarkingLoader(text)
    loader.label = label
    try:
        tree = loader.tree()
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
    duplicates = [Problem(str(mark), printable(path), printable(
                          f"duplicate key '{path.rsplit('.', 1)[-1]}' (first given at line {first.line}); "
                          "YAML would silently keep only the last one: remove one of them"))
                  for path, mark, first in (_duplicates(tree, "") if loader.duplicated else ())]
    if duplicates:
        raise ScenarioError(duplicates)
    return tree


def _yaml_problem(error: yaml.MarkedYAMLError, text: str, label: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    where = f"{label}:{mark.line + 1}:{mark.column + 1}" if mark else f"{label}:1:1"
    message = error.problem or error.context or "is not valid YAML"
    if isinstance(error, yaml.constructor.ConstructorError):
        tag = re.search(r"tag '([^']*)'", message)
        shown = tag.group(1).replace("tag:yaml.org,2002:", "!!") if tag else ""
        message = (f"the tag {shown} is not allowed: scenario files may use only plain YAML values "
                   "(numbers, text, lists, mappings)") if tag else message
        return Problem(where, printable(_path_at(text, mark)) if mark else "", message)
    if not message.startswith("expands to"):
        if _char_at(text, mark) == "\t":  # libyaml's messages do not say so; its mark is on the tab
            message += " (indent with spaces: YAML does not allow tabs)"
        elif error.context and error.context_mark and error.problem:
            message += (f" ({error.context} that starts at line {error.context_mark.line + 1}, "
                        f"column {error.context_mark.column + 1})")
        message = f"invalid YAML: {message}"
    return Problem(where, "", message)


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    """The character at a YAML mark (libyaml's messages do not name a tab; the text does)."""
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _duplicates(value: Tree, path: str) -> Iterator[tuple[str, Mark, Mark]]:
    if isinstance(value, MDict):
        for key, mark, first in value.duplicates:
            yield join(path, key), mark, first
        for key, inner in value.items():
            yield from _duplicates(inner, join(path, key))
    elif isinstance(value, MList):
        for index, inner in enumerate(value):
            yield from _duplicates(inner, f"{path}[{index}]")


def _path_at(text: str, mark: yaml.Mark) -> str:
    """The path of the value written at `mark`, found by composing the text without constructing it."""
    def walk(node: yaml.Node, path: str) -> str | None:
        if node.start_mark.line == mark.line and node.start_mark.column == mark.column:
            return path
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found = walk(value, join(path, str(getattr(key, "value", ""))))
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
