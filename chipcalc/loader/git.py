"""Reading scenarios as they were at a git revision: `HEAD~1:scenarios/base.yaml`.

A scenario read at a revision resolves its `extends` at that same revision.
Paths after the colon are relative to the repository's top, as git has them,
or to the current directory when they start with `./` or `../`.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
from dataclasses import dataclass

from ..errors import Problem, ScenarioError, UsageError
from .sources import SCENARIO_SUFFIXES, decode


def _git(*args: str, cwd: str | None = None) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(["git", *args], capture_output=True, cwd=cwd, check=False)
    except FileNotFoundError:
        raise UsageError("git is not installed: a REV:PATH argument needs git") from None


@dataclass(frozen=True)
class GitSource:
    """The files of one revision of the repository around the current directory."""

    revision: str
    top: str

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
            raise ScenarioError([Problem(self.label(ref), "", f"no such file at revision {self.revision}")],
                                unreadable=True)
        return decode(shown.stdout, self.label(ref))

    def exists(self, ref: str) -> bool:
        return _git("cat-file", "-e", f"{self.revision}:{ref}", cwd=self.top).returncode == 0

    def key(self, ref: str) -> str:
        return self.label(ref)

    def label(self, ref: str) -> str:
        return f"{self.revision}:{ref}"

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
