"""What every document shares: the schema version, a scenario's head, the typed inputs of the
analyses, and the `View` a command family registers."""

from __future__ import annotations

from typing import Any, Callable, Generic, Iterable, NamedTuple, TypeVar

from ..errors import Problem
from ..model import ScenarioResult
from ..scenario import Scenario
from ..values import Uncertain

SCHEMA_VERSION = 1

Document = dict[str, Any]
"""A JSON-ready dict: plain values at full precision, keys as CLI.md names them."""
Row = dict[str, Any]
"""One CSV record: flat, null for an empty cell."""

R = TypeVar("R")
T = TypeVar("T")


class View(NamedTuple, Generic[R]):
    """A command's machine output: its JSON document and its CSV rows. `json_text` and `csv_text`,
    where given, write the text directly, in pieces (a sweep of ten million points is streamed, not
    built: its memory stays bounded)."""

    document: Callable[[R], Document]
    rows: Callable[[R], list[Row]]
    json_text: Callable[[R], Iterable[str]] | None = None
    csv_text: Callable[[R], Iterable[str]] | None = None
    columns: tuple[str, ...] = ()
    """The CSV header when there are no rows to take it from (CLI.md: a header even then)."""


class Analysis(NamedTuple, Generic[T]):
    """An analysis's result (a goal seek, sweep, tornado, simulation or explanation) with the
    scenario it was run on: its name and file head the document."""

    result: T
    scenario: Scenario


class FileCheck(NamedTuple):
    """One scenario file as `validate` checked it: valid when it has no problems."""

    file: str
    problems: tuple[Problem, ...] = ()


def scenario_head(scenario: Scenario) -> Document:
    return {
        "name": scenario.name,
        "title": scenario.title,
        "file": scenario.file,
        "precision": scenario.assumptions.precision,
        "ranges": [_range_document(path, uncertain) for path, uncertain in scenario.ranges],
    }


def _range_document(path: str, uncertain: Uncertain) -> Document:
    return {"path": path, "low": uncertain.low, "high": uncertain.high, "mode": uncertain.mode,
            "dist": uncertain.dist, "value": uncertain.point}


def scenarios_document(results: Iterable[ScenarioResult],
                       body: Callable[[ScenarioResult], Document]) -> Document:
    """The document of a command over several scenarios: each scenario's head and its `body`."""
    return {"schema_version": SCHEMA_VERSION,
            "scenarios": [{**scenario_head(r.scenario), **body(r)} for r in results]}


def flatten(values: Document, prefix: str = "") -> Row:
    """`{"breakeven": {"levy_rate": {"value": v}}}` -> `{"breakeven_levy_rate": v}`."""
    flat: Row = {}
    for key, value in values.items():
        name = prefix if key == "value" and prefix else f"{prefix}_{key}" if prefix else key
        if isinstance(value, dict):
            flat.update(flatten(value, name))
        else:
            flat[name] = value
    return flat
