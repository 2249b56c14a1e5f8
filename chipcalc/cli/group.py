"""The root of the command line: chipcalc's own options, and a group that builds only the command
that runs.

Each family of commands is a module with its own Typer app (`tables`, `whatif`, `reports`);
COMMANDS says which module holds each command. Building a command means importing its module
and making Typer turn its function into a click command, so a run builds one command, not twelve.
"""

import importlib
from collections.abc import Iterator, Mapping
from typing import Annotated

import typer
from typer.core import TyperCommand, TyperGroup

from .. import __version__
from ..fileio import forget_inputs
from .common import state

COMMANDS: dict[str, str] = {
    "compare": "tables",
    "chips": "tables",
    "levy": "tables",
    "mix": "tables",
    "validate": "tables",
    "breakeven": "whatif",
    "sweep": "whatif",
    "sensitivity": "whatif",
    "simulate": "whatif",
    "cashflow": "whatif",
    "report": "reports",
    "diff": "reports",
    "explain": "reports",
    "schema": "tables",
}
"""Every command and the module under chipcalc/cli/ that defines it, in the order `chipcalc -h`
lists them."""


class LazyCommands(Mapping[str, TyperCommand]):
    """The commands of the root group: every name of COMMANDS, each command built on first look-up.

    This is Click's lazy loading of subcommands, done at the mapping that both Click and Typer read
    (`get_command`, `list_commands`, the help, and Typer's "Did you mean 'compare'?", which needs
    only the names): a run looks up and builds one command, `chipcalc -h` all of them."""

    def __init__(self) -> None:
        self._built: dict[str, TyperCommand] = {}

    def __getitem__(self, name: str) -> TyperCommand:
        if name not in self._built:
            self._built[name] = build_command(name)  # KeyError for a name not in COMMANDS
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(COMMANDS)

    def __len__(self) -> int:
        return len(COMMANDS)


class LazyGroup(TyperGroup):
    """The root group, whose commands are built when they are looked up (LazyCommands)."""

    def __init__(self, **attributes: object) -> None:
        super().__init__(**attributes)  # type: ignore[arg-type]
        self.commands = LazyCommands()


def build_command(name: str) -> TyperCommand:
    """The click command `name`: its function, from its family's app, made into a command by Typer
    with the root app's settings, exactly as Typer builds the commands of a group."""
    family: typer.Typer = importlib.import_module(f".{COMMANDS[name]}", __package__).app
    (info,) = [info for info in family.registered_commands if info.name == name]
    return typer.main.get_command_from_info(  # type: ignore[return-value]
        info, pretty_exceptions_short=app.pretty_exceptions_short, rich_markup_mode=app.rich_markup_mode)


app = typer.Typer(
    name="chipcalc",
    cls=LazyGroup,
    help="What-if economics of AI accelerators under export levies.\n\n"
    "Reads YAML scenario files (chips, levy rates, orders, migration and operating costs) and "
    "compares the outcomes. With no SCENARIO, commands use the built-in 2026 H200 scenario.",
    no_args_is_help=True,
    # --install-completion and --show-completion: Typer's completion module is imported with Typer
    # either way, so offering them costs two options built per run, not an import.
    add_completion=True,
    rich_markup_mode=None,  # plain help: rich help imports markdown-it and costs 0.2 s a call
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        print(f"chipcalc {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback on errors.")] = False,
) -> None:
    state["debug"] = debug
    forget_inputs()  # -o refuses the inputs of this command, not of an earlier one in the process
