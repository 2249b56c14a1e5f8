"""The one way chipcalc writes a file: all of it or nothing, never over what it should not replace.

A write goes to a temporary file `.NAME.*.tmp` beside the target, then is renamed over it; SIGINT,
SIGTERM and SIGHUP during the write remove the temporary file before chipcalc stops (SIGKILL cannot
be caught: `report --check` names what it leaves). The target must be a regular file or nothing,
and not one of the files the command read (CLI.md, "Files chipcalc reads and writes").
"""

from __future__ import annotations

import os
import signal
import stat
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .errors import UsageError
from .safe import printable

TEMPORARY_SUFFIX = ".tmp"
FileId = tuple[int, int]
"""A file as the file system knows it, (device, inode): the same for every path, link or alias to it."""
_inputs: set[FileId] = set()
"""The files this run has read: no output replaces them."""


def note_input(status: os.stat_result) -> None:
    """Remember the file that `status` (its fstat, taken as it was read) describes as an input, so
    that no output replaces it, whatever path names it."""
    _inputs.add((status.st_dev, status.st_ino))


def taken_inputs() -> frozenset[FileId]:
    """The inputs read since the last call, which the caller now keeps: a worker process hands back
    those of each file (`batch`), not the growing set of all its files."""
    taken = frozenset(_inputs)
    _inputs.clear()
    return taken


def note_inputs(files: Iterable[FileId]) -> None:
    """Remember inputs again, or those another process read (as `taken_inputs` gives them)."""
    _inputs.update(files)


def forget_inputs() -> None:
    """A new command starts (the library or a test may run several in one process)."""
    _inputs.clear()


def temporary_files(directory: Path, names: Iterable[str]) -> list[Path]:
    """The temporary files writes of `directory/NAME` for each of `names` may have left, when killed
    (`.NAME.*.tmp`): the directory is listed once, however many names there are."""
    prefixes = tuple(f".{name}." for name in names)
    try:
        entries = os.listdir(directory)
    except FileNotFoundError:
        return []
    return sorted(directory / entry for entry in entries if entry.endswith(TEMPORARY_SUFFIX)
                  and any(entry.startswith(prefix) and len(entry) >= len(prefix) + len(TEMPORARY_SUFFIX)
                          for prefix in prefixes))


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: str | bytes | Iterable[str]) -> bool:
    """Write all of `content` (text as UTF-8, bytes, or text in pieces, so that a large output never
    sits in memory whole) or nothing. An existing target keeps its permissions; one that already
    holds exactly `content` (str or bytes) is left alone, its modification time too, so a rerun of
    `report` touches only the reports that changed (and make, rsync or a file watcher see just those).
    True when the file was written."""
    import tempfile  # only commands that write files pay for it

    mode = _target_mode(path)
    if isinstance(content, (str, bytes)):
        content = content.encode("utf-8") if isinstance(content, str) else content
        if holds(path, content):
            return False
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=TEMPORARY_SUFFIX)
    except OSError as error:
        raise UsageError(f"cannot write {printable(str(path))}: {error.strerror or error}") from None
    try:
        with _signals_raise():
            os.chmod(temporary, mode)  # mkstemp makes it private
            with os.fdopen(handle, "wb") as file:
                for piece in [content] if isinstance(content, (str, bytes)) else content:
                    file.write(piece if isinstance(piece, bytes) else piece.encode("utf-8"))
            os.replace(temporary, path)
        return True
    except BaseException as error:
        os.unlink(temporary)
        if isinstance(error, _Signalled):
            error.die()
        if isinstance(error, OSError):
            raise UsageError(f"cannot write {printable(str(path))}: {error.strerror or error}") from None
        raise


def holds(path: Path, content: bytes) -> bool:
    """Whether the file at `path` holds exactly `content` (False when it cannot be read)."""
    try:
        with open(path, "rb") as file:
            return file.read(len(content) + 1) == content
    except OSError:
        return False


def _target_mode(path: Path) -> int:
    """The mode the written file gets: an existing file's own, a new file's usual one. Anything but a
    regular file (a symlink, a FIFO, a device, a directory), or a file the command read, is refused."""
    shown = printable(str(path))
    try:
        status = os.lstat(path)
    except FileNotFoundError:
        return 0o666 & ~current_umask()
    except OSError as error:
        raise UsageError(f"cannot write {shown}: {error.strerror or error}") from None
    if stat.S_ISLNK(status.st_mode):
        raise UsageError(f"cannot write {shown}: it is a symbolic link; write to the file itself or to a "
                         "new name")
    if not stat.S_ISREG(status.st_mode):
        raise UsageError(f"cannot write {shown}: it is not a regular file (a directory, a FIFO or a "
                         "device); chipcalc writes only regular files")
    if (status.st_dev, status.st_ino) in _inputs:  # a regular file, not a link: its own identity
        raise UsageError(f"cannot write {shown}: it is one of this command's input files; choose "
                         "another output file")
    return stat.S_IMODE(status.st_mode)


class _Signalled(BaseException):
    """SIGTERM or SIGHUP arrived during a write: unwind (removing the temporary file), then die of it."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number

    def die(self) -> None:
        signal.signal(self.number, signal.SIG_DFL)
        os.kill(os.getpid(), self.number)


_CAUGHT = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
"""SIGINT needs nothing: Python raises KeyboardInterrupt, and the write unwinds from it."""


@contextmanager
def _signals_raise() -> Iterator[None]:
    """While writing, SIGTERM and SIGHUP raise `_Signalled` instead of stopping the process at once."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return

    def raise_signalled(number: int, _frame: object) -> None:
        raise _Signalled(number)

    previous = {number: signal.signal(number, raise_signalled) for number in _CAUGHT}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
