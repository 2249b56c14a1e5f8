"""`chipcalc compare --textconv FILE`: the text git's diff driver shows for one version of a scenario.

git runs the driver on each side of a change and stops the whole `git diff` when it fails, so this
always prints something and exits 0: the version's compare tables in Markdown, or, when they
cannot be had (a YAML typo, an invalid value, a parent that cannot be found), the file as written
under a one-line warning. git hands over a copy of an old version in a temporary folder; its
parents are read where git holds that version (`loader.git.locate_copy`), and messages name the
file by its path in the repository, never the copy's.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

from .common import state

if TYPE_CHECKING:
    from ..scenario import Scenario

WARNING = "> chipcalc: no outcomes for this version ({why}); the file as written:\n\n"


def textconv_text(path: str) -> str:
    """The Markdown of `path`'s compare tables, or its text under a warning: never an error."""
    from ..documents import Command
    from ..model import evaluate
    from ..render.markdown import render_markdown
    from ..render.sections import SECTIONS

    try:
        return render_markdown(SECTIONS[Command.COMPARE]([evaluate(version_of(path))]))
    except Exception as error:  # any error: a driver that fails makes `git diff` fatal
        if state["debug"]:
            import traceback

            traceback.print_exc(file=sys.stderr)
        return WARNING.format(why=_one_line(error)) + _text_of(path)


def version_of(path: str) -> "Scenario":
    """The scenario `path` holds, its `extends` read where git holds this version of it, or beside
    it; named by its path in the repository, or in its own folder (never a temporary one)."""
    from ..loader import ScenarioLoader
    from ..loader.git import locate_copy
    from ..loader.sources import FileSource

    located = locate_copy(path)
    if located is not None:
        source, ref = located
        return ScenarioLoader(source).load(ref)
    here, absolute = os.getcwd(), os.path.abspath(path)
    folder = here if os.path.commonpath([here, absolute]) == here else os.path.dirname(absolute)
    return ScenarioLoader(FileSource(named_from=folder)).load(path)


def _one_line(error: Exception) -> str:
    from ..errors import ChipcalcError, ScenarioError
    from ..safe import printable

    if isinstance(error, ScenarioError) and error.problems:
        more = len(error.problems) - 1
        return str(error.problems[0]) + (f", and {more} more problem{'s' if more > 1 else ''}" if more else "")
    if isinstance(error, ChipcalcError):
        return printable(str(error).splitlines()[0])
    return f"an internal error of chipcalc ({type(error).__name__}): please report it with this file"


def _text_of(path: str) -> str:
    """The file's text as git gave it (undecodable bytes replaced), ending in a newline."""
    try:
        with open(path, "rb") as file:
            text = file.read().decode("utf-8", errors="replace")
    except OSError as error:
        return f"(cannot be read: {error.strerror or error})\n"
    return text if text.endswith("\n") or not text else text + "\n"
