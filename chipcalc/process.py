"""The process around the command line: how it ends when its output cannot be written.

CLI.md: a failure to write the output (a closed stdout, a full disk, a file size limit) is an error
with exit 2, never a silent truncation; a reader that leaves early (`chipcalc ... | head`) is not.
Python's own stdout takes a short write (a file that reached `ulimit -f`) as the end of the matter
and drops the rest without a word; here every write is whole or an error, and stdout is flushed
before the exit code is decided, so a lost end of output is always an error.
"""

from __future__ import annotations

import errno
import io
import os
import sys
from collections.abc import Callable
from typing import NoReturn

from .errors import ExitCode


class _ClosedStdout:
    """Stands in for stdout when the process was started with it closed: writing to it fails as
    writing to a closed descriptor does, so the command reports it (a run with `-o` needs no stdout)."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


class _WholeWrites(io.RawIOBase):
    """A file descriptor written in full: a short write is followed by another, which then fails
    with the reason (EFBIG, ENOSPC) instead of the rest being lost."""

    def __init__(self, descriptor: int) -> None:
        super().__init__()
        self.descriptor = descriptor

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self.descriptor

    def isatty(self) -> bool:
        return os.isatty(self.descriptor)

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(data).cast("B")
        done = 0
        while done < len(view):
            done += os.write(self.descriptor, view[done:])
        return done


def _whole_stdout() -> io.TextIOWrapper:
    """stdout as Python sets it up (encoding, line buffering on a terminal), over `_WholeWrites`."""
    current = sys.stdout
    return io.TextIOWrapper(io.BufferedWriter(_WholeWrites(current.fileno())), encoding=current.encoding,
                            errors=current.errors, line_buffering=current.line_buffering)


def run(app: Callable[[], object]) -> NoReturn:
    """Run `app` (which exits with its code) and flush stdout; exit 2 with a message when the output
    could not be written, 0 when a pipe's reader left early, 2 when memory ran out."""
    sys.stdout = _ClosedStdout() if sys.stdout is None else _whole_stdout()  # type: ignore[assignment]
    try:
        try:
            app()
            code: object = ExitCode.OK
        except SystemExit as exit_:
            code = exit_.code
        sys.stdout.flush()
    except BrokenPipeError:
        _discard_stdout()  # the reader left; say nothing more
        sys.exit(ExitCode.OK)
    except OSError as error:  # ENOSPC, EFBIG (a file size limit: Python ignores SIGXFSZ), EBADF
        _discard_stdout()
        sys.stderr.write(f"error: cannot write the output: {error.strerror or error}\n")
        sys.exit(ExitCode.CANNOT_RUN)
    except MemoryError:
        sys.stderr.write("error: out of memory: the run is too large for this machine; use a smaller "
                         "grid, fewer samples or fewer chips and orders\n")
        sys.exit(ExitCode.CANNOT_RUN)
    sys.exit(code)


def _discard_stdout() -> None:
    """What is left in stdout's buffer goes nowhere, so the exit does not fail on it a second time."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    except OSError:
        pass
