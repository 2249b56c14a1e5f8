"""What every command shares: the error boundary, the scenario loaders, the output (stdout, `-o
FILE`, the consoles) and the option types. No arithmetic here.

Results go to stdout (or `-o FILE`, written atomically); messages and errors go to stderr.
"""

import functools
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NamedTuple, TypeVar

import typer
from typer.core import TyperArgument, TyperCommand

from ..errors import ChipcalcError, ScenarioError, UsageError
from ..fileio import FileId, note_inputs, taken_inputs, write_atomic
from ..render import OutputFormat
from ..safe import printable, printable_lines

if TYPE_CHECKING:
    from ..documents import Command
    from ..errors import Problem
    from ..loader import ScenarioLoader
    from ..model import ScenarioResult
    from ..render.layout import Section
    from ..scenario import Scenario

state = {"debug": False}
"""Set by the root group's --debug: the error boundary then prints the traceback before the message."""

ScenarioArgs = Annotated[
    list[str] | None,
    typer.Argument(metavar="SCENARIO", help="Scenario files; the built-in scenario when none is given.",
                   show_default=False),
]
ScenarioArg = Annotated[str | None, typer.Argument(metavar="SCENARIO", show_default=False,
                                                   help="A scenario file (the built-in one when omitted).")]
SetOption = Annotated[
    list[str] | None,
    typer.Option("--set", metavar="PATH=VALUE", show_default=False,
                 help="Override a value, as if written in every scenario: chips.h200.levy_rate=30%. Repeatable."),
]
FormatOption = Annotated[
    OutputFormat | None,
    typer.Option("--format", "-f", show_default=False,
                 help="Output format: table (the default), json, csv or markdown; -o FILE.json etc. also choose it."),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", show_default=False,
                 help="Write the result to FILE (.json, .csv, .md pick the format) instead of stdout."),
]

JobsOption = Annotated[int | None, typer.Option(
    "--jobs", "-j", min=1, metavar="N", show_default=False,
    help="Processes that share the files (default: one per core, for 32 files or more; 1: this one).")]

OrderOption = Annotated[str | None, typer.Option("--order", metavar="NAME", show_default=False,
                                                 help="The order (default: the first).")]


@contextmanager
def error_boundary() -> Iterator[None]:
    """Turn a user's mistake into its message on stderr and an exit code; never a traceback."""
    try:
        yield
    except ChipcalcError as error:
        if state["debug"]:  # the traceback as well, and the same exit code (CLI.md)
            import traceback

            traceback.print_exc(file=sys.stderr)
        prefix = "" if isinstance(error, ScenarioError) else "error: "
        sys.stderr.write(f"{prefix}{printable_lines(str(error))}\n")  # no file's text reaches stderr raw
        raise typer.Exit(error.exit_code) from None
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise typer.Exit(130) from None


def load_all(paths: list[str] | None, sets: list[str] | None) -> "list[ScenarioResult]":
    """Load and evaluate every scenario, reporting the problems of all files at once."""
    from ..loader import check_unique_names, named
    from ..model import evaluate

    results = values(load_each(paths, sets, evaluate))
    check_unique_names([named(result.scenario) for result in results])
    return results


class Loaded(NamedTuple):
    """One file as `load_each` gives it back: `then`'s value, or the file's problems."""

    value: Any
    problems: "list[Problem]"
    unreadable: bool
    """The file could not be read at all (missing, a directory, no permission)."""
    inputs: frozenset[FileId]
    """The files this one read (its parent too, unless an earlier file of the process read it),
    which no output of the command may replace (`fileio`)."""


def load_each(paths: list[str] | None, sets: list[str] | None,
              then: "Callable[[Scenario], Any] | None" = None, jobs: int | None = 1) -> list[Loaded]:
    """Load every scenario (the built-in one when none is given) and apply `then` (a module's
    function) to it, sharing the files among `jobs` processes (`batch`; None: one per core).
    Standard input is read by this process alone."""
    from ..batch import map_files
    from ..loader import STDIN, ScenarioLoader

    refs = paths or [None]
    work = functools.partial(_load_one, ScenarioLoader(), tuple(sets or ()), then)
    loaded = map_files(work, refs, 1 if STDIN in refs else jobs)
    for item in loaded:  # what a file read (in a worker or here), this process must not overwrite
        note_inputs(item.inputs)
    return loaded


def values(loaded: list[Loaded]) -> list[Any]:
    """The files' values, or a ScenarioError with the problems of every file at once."""
    problems = [problem for item in loaded for problem in item.problems]
    if problems:
        raise ScenarioError(problems)
    return [item.value for item in loaded]


def _load_one(loader: "ScenarioLoader", sets: tuple[str, ...], then: "Callable[[Scenario], Any] | None",
              ref: str | None) -> Loaded:
    try:
        scenario = loader.load(ref, sets)
    except ScenarioError as error:
        return Loaded(None, error.problems, error.unreadable, taken_inputs())
    return Loaded(None if then is None else then(scenario), [], False, taken_inputs())


def emit(results: Any, fmt: OutputFormat | None, output: Path | None, view: "Command") -> None:
    """Render `results` as the command `view` shows them (its JSON and CSV from `documents.VIEWS`,
    its tables from `render.sections`) to stdout or `output`."""
    from ..documents import VIEWS  # here, not at the top: --version and --help need none of the model

    shown = VIEWS[view]
    fmt = output_format(fmt, output)
    if fmt is OutputFormat.json:
        from ..render.json_csv import render_json

        text = shown.json_text(results) if shown.json_text else render_json(shown.document(results))
    elif fmt is OutputFormat.csv:
        from ..render.json_csv import render_csv

        text = shown.csv_text(results) if shown.csv_text else render_csv(shown.rows(results), shown.columns)
    elif fmt is OutputFormat.markdown:
        from ..render.markdown import render_markdown

        text = render_markdown(_sections(results, view))
    else:
        text = None
    if output is not None:
        write_atomic(output, text if text is not None else _table_text(_sections(results, view)))
        sys.stderr.write(f"wrote {output}\n")
    elif text is not None:
        for piece in [text] if isinstance(text, str) else text:  # a sweep's JSON comes in pieces
            sys.stdout.write(piece)
    else:
        _print_table(_sections(results, view))


def output_format(fmt: OutputFormat | None, output: Path | None) -> OutputFormat:
    """The format asked for: `-f`, else the extension of `-o FILE`, else a table. A file whose
    extension names another format than `-f` is refused: JSON in a .csv file is a mistake."""
    if output is None:
        return fmt or OutputFormat.table
    named = OutputFormat.named_by(str(output))
    if fmt is not None and named is not None and named is not fmt:
        raise UsageError(f"-o {printable(str(output))}: a {output.suffix} file, but -f {fmt.value} writes "
                         f"{fmt.written}; drop -f {fmt.value}, or name the file {fmt.extension}")
    return fmt or named or OutputFormat.table


def _sections(results: Any, view: "Command") -> "list[Section]":
    """What `view` shows a person (`render.sections.SECTIONS`); JSON and CSV runs never load it."""
    from ..render.sections import SECTIONS

    return SECTIONS[view](results)


def _print_table(sections: "list[Section]") -> None:
    """On a terminal (or with FORCE_COLOR), rich tables with colour; in a pipe, plain text."""
    if not (sys.stdout.isatty() or os.environ.get("FORCE_COLOR")):
        sys.stdout.write(_table_text(sections))
        return
    from rich.console import Console

    from ..render.terminal import render_table

    console = Console(highlight=False, soft_wrap=False)  # reads NO_COLOR, FORCE_COLOR, COLUMNS here
    console.print(render_table(sections, console.width))


def _table_text(sections: "list[Section]") -> str:
    from ..render.text import render_text

    try:
        width = int(os.environ.get("COLUMNS", "80"))
    except ValueError:
        width = 80
    return render_text(sections, width)



Function = TypeVar("Function", bound=Callable[..., None])


class Command(TyperCommand):
    """A command whose usage line says that an argument of several values takes several:
    `chipcalc compare [OPTIONS] [SCENARIO]...` (Typer writes `[SCENARIO]` for a list argument given
    a metavar, as if it took one)."""

    def collect_usage_pieces(self, ctx: typer.Context) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            several = isinstance(param, TyperArgument) and param.nargs != 1
            pieces += [piece if not several or piece.endswith("...") else f"{piece}..."
                       for piece in param.get_usage_pieces(ctx)]
        return pieces


def command(family: typer.Typer) -> Callable[[Function], Function]:
    """Register a command in its family's app with its docstring as the help: paragraphs joined
    for the terminal to wrap, and the whole first one as the summary `chipcalc -h` lists (click
    would otherwise cut it at 45 characters)."""
    def register(function: Function) -> Function:
        help_text = _unwrapped(function.__doc__ or "")
        family.command(name=function.__name__, help=help_text, cls=Command,
                       short_help=help_text.split("\n\n")[0])(function)
        return function

    return register


def _unwrapped(docstring: str) -> str:
    """A docstring as help: paragraphs joined into single lines for the terminal to wrap; example
    lines (indented) kept as they are."""
    import inspect

    paragraphs = []
    for paragraph in inspect.cleandoc(docstring).split("\n\n"):
        lines = paragraph.splitlines()
        # click rewraps every paragraph but one that starts with a line of \b: an example stays one
        # line however narrow the terminal, so that it can be copied (wrapped, `levy-passed-` /
        # `through.yaml` could not be)
        paragraphs.append("\b\n" + "\n".join(lines) if lines[0].startswith(" ") else " ".join(lines))
    return "\n\n".join(paragraphs)

