"""Where scenario trees come from: files on disk (or a git revision, `git.py`), read safely, with
each file's `extends` chain laid under it.

It owns the file rules (size limit, UTF-8, no binary; which files a parent may be), the `Source`
interface a loader reads through, and `merge`, the one definition of how a child scenario
overrides its parent.
"""

from __future__ import annotations

import codecs
import functools
import os
import stat
import sys
from collections.abc import Hashable
from pathlib import Path
from typing import Protocol

from ..errors import Problem, ScenarioError
from ..fileio import note_input
from ..safe import printable
from ..values import describe
from .marks import MDict, MList, Tree, mdict, parse_yaml

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Scenario files are small; a larger file is a mistake, not a scenario."""


def read_text(path: str | Path, label: str) -> str:
    """The text of a scenario file, or a ScenarioError saying why not; the file is noted as an input
    (`fileio.note_input`)."""
    def fail(message: str) -> ScenarioError:
        return ScenarioError([Problem(label, "", message)], unreadable=True)

    try:
        with Path(path).open("rb") as file:  # one open and one fstat: this runs for every file of a batch
            status = os.fstat(file.fileno())
            note_input(status)  # no output of the command may replace it
            size = status.st_size
            data = None  # a file that says it is too large is not read
            if size <= MAX_FILE_BYTES:  # its size and a byte more, not a buffer of the limit each time
                data = file.read(size + 1)
                if len(data) > size:  # it holds more than it said (a device, a pipe): read on to the limit
                    data += file.read(MAX_FILE_BYTES + 1 - len(data))
    except IsADirectoryError:
        raise fail("is a directory, not a scenario file") from None
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


BYTE_ORDER_MARKS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
                    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))
"""UTF-32's marks first: its little-endian one begins with UTF-16's."""


def decode(data: bytes, label: str) -> str:
    """The text of a file's bytes: UTF-8 (a byte-order mark allowed), or a ScenarioError at the bad byte."""
    encoding = other_unicode(data)
    if encoding:  # Windows editors save "Unicode" as UTF-16: its NUL bytes are no sign of a binary file
        raise ScenarioError([Problem(label, "", f"is {encoding} text: save the file as UTF-8")])
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


def other_unicode(data: bytes) -> str | None:
    """"UTF-16" or "UTF-32" when `data` is text in one of them, by its byte-order mark or, for UTF-16
    without one, by the NUL byte beside each ASCII character (YAML is mostly ASCII); else None."""
    for mark, encoding in BYTE_ORDER_MARKS:
        if data.startswith(mark):
            return encoding
    head = data[:256]
    if len(head) >= 4 and len(head) % 2 == 0:
        even, odd = head[0::2], head[1::2]  # the high bytes of big-endian, of little-endian
        if (even.count(0) == len(even) and 0 not in odd) or (odd.count(0) == len(odd) and 0 not in even):
            return "UTF-16"
    return None


class Source(Protocol):
    """Where scenario files are read from, each named by a `ref` (a path, or a path at a git revision)."""

    def read(self, ref: str) -> str: ...

    def exists(self, ref: str) -> bool: ...

    def key(self, ref: str) -> Hashable:
        """The same for two refs to one file: each file is read once, and `extends` cycles are found."""

    def label(self, ref: str) -> str:
        """The name messages give the file."""

    def parent(self, ref: str, extends: str) -> str:
        """The ref of the parent that `ref`'s `extends: EXTENDS` names."""

    def refusal(self, ref: str, parent: str) -> str | None:
        """Why `parent` may not be read as `ref`'s parent (it is no scenario file, or is outside
        `ref`'s place), or None when it may."""


SCENARIO_SUFFIXES = (".yaml", ".yml")


def parent_refusal(child: str, parent: str) -> str | None:
    """Why the file `parent` may not be read as the parent of the file `child`, or None.

    `extends` comes from a file that may come from a pull request, and chipcalc runs in CI next to
    the runner's secrets: a parent must be a scenario file (a regular file ending in .yaml or .yml)
    in the place of the child's, which is, after resolving symlinks, the git work tree that holds
    the child or, for a child in no repository, the child's own directory or the current one.
    Nothing is opened before this says yes, so a FIFO or a terminal cannot hang the run."""
    real = os.path.realpath(parent)
    home = os.path.dirname(os.path.realpath(child))
    top = _work_tree(home)
    places = [top] if top else [home, os.path.realpath(os.getcwd())]
    if not any(os.path.commonpath([real, place]) == place for place in places):
        where = ("the git work tree " + top if top else
                 "the directory of the extending file or the current directory")
        return f"is outside {printable(where)}: a parent must be a scenario file inside it"
    if os.path.isdir(real):
        return None  # reading says so: "is a directory, not a scenario file"
    if not parent.lower().endswith(SCENARIO_SUFFIXES) or not real.lower().endswith(SCENARIO_SUFFIXES):
        return "is not a scenario file: a parent must be a .yaml or .yml file"
    try:
        mode = os.stat(real).st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if not stat.S_ISREG(mode):
        return "is not a regular file (a device or a FIFO): a parent must be a scenario file"
    return None


@functools.lru_cache(maxsize=64)
def _work_tree(directory: str) -> str | None:
    """The top of the git work tree holding `directory` (a real path), found by its `.git` without
    running git; None outside any repository."""
    for folder in (directory, *Path(directory).parents):
        if os.path.exists(os.path.join(folder, ".git")):
            return str(folder)
    return None


STDIN = "-"
"""The ref of the scenario on standard input (`git show REV:f | chipcalc compare -`)."""
STDIN_LABEL = "<stdin>"
STDIN_STEM = "stdin"
"""The name of a scenario read from standard input that gives no `name:`."""


def read_stdin() -> str:
    """The text of the scenario on standard input, with a file's limits and checks."""
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise ScenarioError([Problem(STDIN_LABEL, "", "cannot be read (standard input is closed)")],
                            unreadable=True)
    if sys.stdin.isatty():  # a terminal waits for typing: say what it waits for
        sys.stderr.write("reading a scenario from standard input (end it with Ctrl-D)\n")
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // 2**20
        raise ScenarioError([Problem(STDIN_LABEL, "", f"is more than {limit} MiB; a scenario file may be at "
                                     f"most {limit} MiB")])
    return decode(data, STDIN_LABEL)


def stem(ref: str) -> str:
    """The name a scenario gets from its file when it gives no `name:`."""
    return STDIN_STEM if ref == STDIN else Path(ref).stem


class FileSource:
    """Scenario files on disk, named by their paths as the user wrote them, or relative to
    `named_from` (a diff driver names a copy in a temporary folder by its name alone), and standard
    input (`-`), whose `extends` is resolved from the current directory, as a file there would be."""

    def __init__(self, named_from: str | None = None) -> None:
        self.named_from = named_from

    def read(self, ref: str) -> str:
        if ref == STDIN:
            return read_stdin()
        return read_text(ref, ref)

    def refusal(self, ref: str, parent: str) -> str | None:
        return parent_refusal(os.path.join(os.getcwd(), "stdin") if ref == STDIN else ref, parent)

    def exists(self, ref: str) -> bool:
        return ref == STDIN or os.path.exists(ref)

    def key(self, ref: str) -> Hashable:
        """The file's (device, inode), however a path names it (a link, `./`, `..`): one stat, where
        resolving the path checks each of its folders. A file that cannot be stat'ed is keyed by its
        real path, for reading it to say why."""
        if ref == STDIN:
            return STDIN_LABEL
        try:
            status = os.stat(ref)
        except (OSError, ValueError):
            return os.path.realpath(ref)
        return status.st_dev, status.st_ino

    def label(self, ref: str) -> str:
        if ref == STDIN:
            return STDIN_LABEL
        return ref if self.named_from is None else os.path.relpath(ref, self.named_from)

    def parent(self, ref: str, extends: str) -> str:
        folder = "" if ref == STDIN else os.path.dirname(ref)
        return os.path.normpath(os.path.join(folder, extends))


def check_root(tree: Tree, label: str) -> MDict:
    """`tree` when it is a mapping, as every scenario file is; a ScenarioError otherwise."""
    if tree is None:
        raise ScenarioError([Problem(f"{label}:1:1", "", "is empty: a scenario needs at least `chips:`")])
    if not isinstance(tree, MDict):
        raise ScenarioError([Problem(
            str(tree.mark) if isinstance(tree, MList) else f"{label}:1:1", "",
            f"must be a mapping of keys (name, assumptions, chips, orders, ...), not {describe(tree)}",
        )])
    return tree


class Trees:
    """The trees of a source's files with their parents laid under them, reading each file (and so
    each shared parent) once."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self._trees: dict[Hashable, MDict] = {}

    def read(self, ref: str) -> MDict:
        """The tree of one file, as written."""
        key = self.source.key(ref)
        if key not in self._trees:
            label = self.source.label(ref)
            self._trees[key] = check_root(parse_yaml(self.source.read(ref), label), label)
        return self._trees[key]

    def resolve(self, ref: str, chain: tuple[str, ...] = ()) -> MDict:
        """The tree of `ref` laid over its chain of parents; `chain` holds the children's refs."""
        tree = self.read(ref)
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
            raise ScenarioError([Problem(where, "extends", printable(f"extends in a cycle: {names}"))])
        if not self.source.exists(parent):
            missing = f"parent scenario {self.source.label(parent)} does not exist"
            if ref == STDIN:
                missing += f" (the {STDIN_LABEL} scenario's extends is read from the current directory)"
            raise ScenarioError([Problem(where, "extends", printable(missing))])
        refused = self.source.refusal(ref, parent)
        if refused:
            shown = printable(self.source.label(parent))
            raise ScenarioError([Problem(where, "extends", f"{shown} {refused}")])
        try:
            parent_tree = self.resolve(parent, (*chain, ref))
        except ScenarioError as error:
            if error.unreadable:  # say where the unreadable parent was named
                raise ScenarioError([Problem(where, "extends", printable(f"{p.where} {p.message}"))
                                     for p in error.problems]) from None
            raise
        merged = merge(parent_tree, tree)
        del merged["extends"], merged.marks["extends"], merged.key_marks["extends"]
        if "name" not in tree:  # a parent's name is not inherited
            merged.pop("name", None)
        return merged


def merge(parent: MDict, child: MDict) -> MDict:
    """`child` laid over `parent`: mappings merge key by key, the rest is replaced whole. An
    uncertain range is one value: a child's `{low: 20%, high: 60%}` replaces the parent's range
    whole, or it would inherit the parent's `mode` and silently mean it."""
    result = mdict(child.mark, parent)
    for key, value in child.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict) and not _is_range(value):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
        result.marks[key] = child.marks[key]
        result.key_marks[key] = child.key_marks[key]
    return result


def _is_range(value: MDict) -> bool:
    """A mapping that writes an uncertain range: no other mapping of the format has these keys."""
    return "low" in value or "high" in value
