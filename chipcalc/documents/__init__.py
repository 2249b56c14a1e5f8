"""Results in, the JSON/CSV contract out (CLI.md): plain values, full precision, CLI.md's names.

One `View` per command, registered in `VIEWS` by its `Command`: the CLI looks a command's output up
there, `diff` builds the outcomes it compares from `compare`'s documents, and `document(result)` is
the library's way to the same dict the CLI prints. A view's module is imported when the view is
first looked up, so a run loads the documents of its own command only. Nothing here imports `render`.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from enum import Enum
from typing import Any

from ..model import ScenarioResult
from ..scenario import Scenario
from .base import SCHEMA_VERSION, Analysis, Document, FileCheck, Row, View

__all__ = ["SCHEMA_VERSION", "VIEWS", "Analysis", "Command", "Document", "FileCheck", "Row", "View",
           "document"]


class Command(Enum):
    """What a command shows; each has one view here and one set of sections in `render.sections`."""

    COMPARE = "compare"
    BREAKEVENS = "breakevens"
    CHIPS = "chips"
    LEVY = "levy"
    VALIDATE = "validate"
    DIFF = "diff"
    EXPLAIN = "explain"
    SEEK = "seek"
    SWEEP = "sweep"
    TORNADO = "tornado"
    SIMULATION = "simulation"
    CASHFLOW = "cashflow"
    MIX = "mix"


VIEW_MODULES: dict[Command, str] = {
    Command.COMPARE: "compare",
    Command.BREAKEVENS: "compare",
    Command.CHIPS: "chips",
    Command.LEVY: "chips",
    Command.VALIDATE: "checks",
    Command.DIFF: "checks",
    Command.EXPLAIN: "checks",
    Command.SEEK: "whatif",
    Command.SWEEP: "whatif",
    Command.TORNADO: "whatif",
    Command.SIMULATION: "whatif",
    Command.CASHFLOW: "cashflow",
    Command.MIX: "mix",
}
"""The module under chipcalc/documents/ that defines each command's view, under the command's name
(`compare.COMPARE`, `whatif.SEEK`)."""


class Views(Mapping[Command, View[Any]]):
    """`VIEWS`: every command's view, its module imported on first look-up (as the CLI builds only
    the command that runs)."""

    def __getitem__(self, command: Command) -> View[Any]:
        module = importlib.import_module(f".{VIEW_MODULES[command]}", __name__)
        view: View[Any] = getattr(module, command.name)
        return view

    def __iter__(self) -> Iterator[Command]:
        return iter(VIEW_MODULES)

    def __len__(self) -> int:
        return len(VIEW_MODULES)


VIEWS = Views()


def document(result: object, scenario: Scenario | None = None) -> Document:
    """The JSON-ready dict the CLI prints for `result`: a `ScenarioResult` (or a list of them) gives
    compare's document, a `Diff` diff's, `FleetMixes` (`analysis.mix.fleet_mixes`) mix's; a goal seek,
    sweep, tornado, simulation or explanation needs the `scenario` it was run on (or comes as an
    `Analysis`). TypeError for anything else."""
    if isinstance(result, ScenarioResult):
        result = [result]
    if isinstance(result, (list, tuple)) and result and all(isinstance(r, ScenarioResult) for r in result):
        return VIEWS[Command.COMPARE].document(result)
    from ..analysis.diff import Diff  # the analyses load only when their results are asked about
    from ..analysis.mix import FleetMixes

    if isinstance(result, Diff):
        return VIEWS[Command.DIFF].document(result)
    if isinstance(result, FleetMixes):
        return VIEWS[Command.MIX].document([result])
    if not isinstance(result, Analysis):
        if scenario is None:
            raise TypeError(f"chipcalc.document needs the scenario a {type(result).__name__} was run on, "
                            "or has no document for it")
        result = Analysis(result, scenario)
    return VIEWS[_analysis_command(result.result)].document(result)


def _analysis_command(result: object) -> Command:
    from ..analysis.sensitivity import Tornado
    from ..analysis.simulate import Simulation
    from ..analysis.solve import Seek
    from ..analysis.sweep import Sweep
    from ..analysis.explain import Explanation

    match result:
        case Seek():
            return Command.SEEK
        case Sweep():
            return Command.SWEEP
        case Tornado():
            return Command.TORNADO
        case Simulation():
            return Command.SIMULATION
        case Explanation():
            return Command.EXPLAIN
    raise TypeError(f"chipcalc.document has no document for a {type(result).__name__}")
