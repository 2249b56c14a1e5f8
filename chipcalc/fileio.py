"""The one way chipcalc writes a file: all of it or nothing, with a new file's usual mode."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import UsageError


def current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: str | bytes) -> None:
    """Write all of `content` (text as UTF-8, or bytes) or nothing: a temporary file beside `path`,
    then a rename, so an interrupted run never leaves a half-written report or plot."""
    import tempfile  # only commands that write files pay for it

    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        os.chmod(temporary, 0o666 & ~current_umask())  # mkstemp makes it private; give it a new file's mode
    except OSError as error:
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    try:
        if isinstance(content, bytes):
            with os.fdopen(handle, "wb") as file:
                file.write(content)
        else:
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as file:
                file.write(content)
        os.replace(temporary, path)
    except BaseException as error:
        os.unlink(temporary)
        if isinstance(error, OSError):
            raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
        raise
