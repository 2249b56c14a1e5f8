"""Exit codes and the errors chipcalc reports to its users.

Every error carries the text the user sees; the CLI's one error boundary
prints it and exits with the error's code.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import IntEnum

from .safe import no_command, printable, quoted


class ExitCode(IntEnum):
    OK = 0
    CHECK_FAILED = 1
    """A check found something: an invalid scenario for `validate`, a stale report, a change."""
    CANNOT_RUN = 2
    """Bad arguments, an unreadable file or (for every command but `validate`) an invalid scenario."""


class ChipcalcError(Exception):
    """An error whose message is meant for the user."""

    exit_code = ExitCode.CANNOT_RUN


class UsageError(ChipcalcError):
    """A bad argument or option."""


class Problem:
    """One thing wrong with a scenario, at the place it was written."""

    __slots__ = ("where", "path", "message")

    def __init__(self, where: str, path: str, message: str) -> None:
        self.where = where
        self.path = path
        self.message = message

    def __str__(self) -> str:
        """One line: the file's name, the path and the message may hold text from a file (escaped here)."""
        where, path, message = printable(self.where), printable(self.path), printable(self.message)
        return no_command(f"{where}: {path}: {message}" if path else f"{where}: {message}")

    @property
    def location(self) -> tuple[str, int | None, int | None]:
        """`where` split into file, line and column (None when not known)."""
        parts = self.where.rsplit(":", 2)
        if len(parts) == 3 and parts[1].isdigit() and parts[2].isdigit():
            return parts[0], int(parts[1]), int(parts[2])
        return self.where, None, None


class ScenarioError(ChipcalcError):
    """A scenario that cannot be read or is invalid: every problem found, at once."""

    def __init__(self, problems: list[Problem], unreadable: bool = False) -> None:
        self.problems = problems
        self.unreadable = unreadable
        """True when a file could not be read at all (missing, a directory, no permission)."""
        super().__init__("\n".join(str(problem) for problem in problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """"; did you mean 'x'?" for the nearest choice, or "" (for messages that name a choice)."""
    import difflib  # error paths only: not paid on every start

    near = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {quoted(near[0])}?" if near else ""
