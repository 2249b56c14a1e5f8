"""Reading scenarios as they were at a git revision: `HEAD~1:scenarios/base.yaml`.

A scenario read at a revision resolves its `extends` at that same revision.
Paths after the colon are relative to the repository's top, as git has them,
or to the current directory when they start with `./` or `../`.

`locate_copy` finds where a copy git made of one version of a file came from (a diff driver is
handed such a copy, in a temporary folder without the file's parents), so that its `extends` can
be read at a revision holding that version.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from dataclasses import dataclass

from ..errors import Problem, ScenarioError, UsageError
from .sources import MAX_FILE_BYTES, SCENARIO_SUFFIXES, decode


def _git(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], capture_output=True, cwd=cwd, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed: a REV:PATH argument needs git") from None


@dataclass(frozen=True)
class GitSource:
    """The files of one revision of the repository around the current directory."""

    revision: str
    """A commit, or "" for the index (the staged files, `git show :PATH`)."""
    top: str
    labels_with_revision: bool = True
    """Name files `REV:PATH` in messages; a diff driver names them by PATH alone, as git shows both
    sides of a change under one path."""

    @classmethod
    def open(cls, revision: str) -> "GitSource":
        found = _git("rev-parse", "--show-toplevel")
        if found.returncode != 0:
            raise UsageError(f"{revision}:...: not inside a git repository; run chipcalc from one, "
                             "or give a file path")
        top = found.stdout.decode().strip()
        if _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}", cwd=top).returncode != 0:
            raise UsageError(f"unknown git revision '{revision}': try a branch, a tag, a commit or HEAD~1")
        return cls(revision, top)

    def path(self, written: str) -> str:
        """A path as the user wrote it after `REV:` -> relative to the repository's top."""
        if written.startswith(("./", "../")) or written in (".", ".."):
            absolute = os.path.normpath(os.path.join(os.getcwd(), written))
            written = os.path.relpath(absolute, self.top)
        return posixpath.normpath(written.replace(os.sep, "/"))

    def read(self, ref: str) -> str:
        shown = _git("show", f"{self.revision}:{ref}", cwd=self.top)
        if shown.returncode != 0:
            place = f"at revision {self.revision}" if self.revision else "in the index"
            raise ScenarioError([Problem(self.label(ref), "", f"no such file {place}")], unreadable=True)
        return decode(shown.stdout, self.label(ref))

    def exists(self, ref: str) -> bool:
        return _git("cat-file", "-e", f"{self.revision}:{ref}", cwd=self.top).returncode == 0

    def key(self, ref: str) -> str:
        return self.label(ref)

    def label(self, ref: str) -> str:
        return f"{self.revision}:{ref}" if self.labels_with_revision else ref

    def parent(self, ref: str, extends: str) -> str:
        return posixpath.normpath(posixpath.join(posixpath.dirname(ref), extends))

    def refusal(self, ref: str, parent: str) -> str | None:
        """A revision holds only the repository's files (`git show` reads nothing else); a parent
        must still be a scenario file."""
        if not parent.lower().endswith(SCENARIO_SUFFIXES) or parent.startswith("../"):
            return "is not a scenario file of the repository: a parent must be a .yaml or .yml file in it"
        return None


def split_revision(argument: str) -> tuple[str, str] | None:
    """`REV:PATH` -> (REV, PATH) when `argument` is not a file on disk; None for a plain path."""
    if os.path.exists(argument) or ":" not in argument:
        return None
    revision, _, path = argument.partition(":")
    if not revision or not path:
        return None
    return revision, path


def locate_copy(path: str) -> tuple[GitSource, str] | None:
    """Where `path`, a copy of one version of a repository's file outside its work tree (what git
    hands a diff driver), came from: a source reading a revision that holds that version, and the
    file's path in the repository; None when no repository around the current directory holds it,
    or `path` is in the work tree (it is then the file itself, its parents beside it).

    git tells a driver nothing but the copy, so the version is found by its content: in the index,
    at HEAD, then at the newest commit of any branch that holds it. A version held at several
    revisions has its parents read at the first found (the README's git diff driver says when that
    is not the revision git shows)."""
    found = _git("rev-parse", "--show-toplevel")
    if found.returncode != 0:
        return None
    top = os.fsdecode(found.stdout.strip())
    real = os.path.realpath(path)
    if os.path.commonpath([real, os.path.realpath(top)]) == os.path.realpath(top):
        return None
    try:
        with open(path, "rb") as file:
            content = file.read(MAX_FILE_BYTES + 1)
    except OSError:
        return None
    if len(content) > MAX_FILE_BYTES:  # no scenario: read as a file, it is refused
        return None
    blobs = {_blob_id(content, top), _blob_id(content.replace(b"\r\n", b"\n"), top)} - {""}  # core.autocrlf
    for revision, listing in (("", _index_entries), ("HEAD", _head_entries)):
        held = [(revision, ref) for blob, ref in listing(top) if blob in blobs]
        if held:
            break
    else:
        held = _holders(blobs, top)
    if not held:
        return None
    revision, ref = _likeliest(held, path)
    return GitSource(revision, top, labels_with_revision=False), ref


def _blob_id(content: bytes, top: str) -> str:
    hashed = subprocess.run(["git", "hash-object", "--no-filters", "--stdin"], input=content,
                            capture_output=True, cwd=top, check=False)
    return hashed.stdout.decode().strip()


def _index_entries(top: str) -> list[tuple[str, str]]:
    """(blob, path) of every staged file: `MODE BLOB STAGE\tPATH`."""
    listed = _git("ls-files", "-s", "-z", cwd=top)
    return [(meta.split()[1].decode(), os.fsdecode(ref)) for meta, _, ref in
            (entry.partition(b"\t") for entry in listed.stdout.split(b"\0") if entry)]


def _head_entries(top: str) -> list[tuple[str, str]]:
    """(blob, path) of every file at HEAD (none before the first commit): `MODE blob BLOB\tPATH`."""
    listed = _git("ls-tree", "-r", "-z", "HEAD", cwd=top)
    if listed.returncode != 0:
        return []
    return [(meta.split()[2].decode(), os.fsdecode(ref)) for meta, _, ref in
            (entry.partition(b"\t") for entry in listed.stdout.split(b"\0") if entry)]


def _holders(blobs: set[str], top: str) -> list[tuple[str, str]]:
    """(revision, path) holding one of `blobs`, newest first: a commit that wrote the blob holds it,
    and so does the parent of one that replaced or deleted it."""
    held = []
    for blob in blobs:
        logged = _git("log", "--all", "--no-renames", "--raw", "--no-abbrev", "-z", "--format=commit %H",
                      f"--find-object={blob}", cwd=top)
        tokens = iter(token.strip(b"\n") for token in logged.stdout.split(b"\0"))
        commit = ""
        for token in tokens:
            if token.startswith(b"commit "):
                commit = token[len(b"commit "):].decode()
            elif token.startswith(b":"):  # `:MODE MODE OLD NEW STATUS`, then the path
                _, _, old, new, _ = token.decode().split()
                ref = os.fsdecode(next(tokens, b""))
                if new == blob:
                    held.append((commit, ref))
                elif old == blob:
                    held.append((f"{commit}^", ref))
    return held


def _likeliest(held: list[tuple[str, str]], copy: str) -> tuple[str, str]:
    """The first (revision, path) whose file is named like the copy (git names its copy after the
    file: `git-blob-XXXXXX/NAME`, or `XXXXXX_NAME` in older versions), else the first: one
    content may be at several paths."""
    name = os.path.basename(copy)
    for revision, ref in held:
        base = posixpath.basename(ref)
        if name == base or name.endswith(f"_{base}"):
            return revision, ref
    return held[0]
