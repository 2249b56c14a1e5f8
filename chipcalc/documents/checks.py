"""The checks and trails: `validate`, `diff` and `explain`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

from ..errors import Problem
from ..values import key_list
from .base import SCHEMA_VERSION, Analysis, Document, FileCheck, Row, View

if TYPE_CHECKING:  # diff builds its outcomes from these documents: import its types for checking only
    from ..analysis.diff import Diff
    from ..analysis.explain import Explanation, Term


def _problem_document(problem: Problem) -> Document:
    file, line, column = problem.location
    return {"file": file, "line": line, "column": column, "path": problem.path or None,
            "message": problem.message}


def validate_document(checked: Sequence[FileCheck]) -> Document:
    return {
        "schema_version": SCHEMA_VERSION,
        "valid": not any(c.problems for c in checked),
        "files": [{"file": c.file, "valid": not c.problems,
                   "problems": [_problem_document(p) for p in c.problems]} for c in checked],
    }


def validate_rows(checked: Sequence[FileCheck]) -> list[Row]:
    """CSV: a row per problem; a valid file gets one row with no problem."""
    empty = {"line": None, "column": None, "path": None, "message": None}
    rows = []
    for c in checked:
        if not c.problems:
            rows.append({"scenario_file": c.file, "valid": True, "file": c.file, **empty})
        for problem in c.problems:
            rows.append({"scenario_file": c.file, "valid": False, **_problem_document(problem)})
    return rows


def diff_document(diff: Diff) -> Document:
    return {
        "schema_version": SCHEMA_VERSION,
        "old": {"name": diff.old.name, "file": diff.old.file},
        "new": {"name": diff.new.name, "file": diff.new.file},
        "changed": diff.changed,
        "inputs": [{"path": c.path, "kind": c.kind, "old": c.old, "new": c.new, "old_where": c.old_where,
                    "new_where": c.new_where} for c in diff.inputs],
        "outcomes": [{"where": c.where, "field": c.field, "old": c.old, "new": c.new, "delta": c.delta,
                      "relative": c.relative} for c in diff.outcomes],
    }


DIFF_COLUMNS = ("kind", "where", "field", "old", "new", "delta", "relative", "old_text", "new_text")
"""The diff CSV's header: numbers in `old` and `new`, any other value (a breakeven's reason, a chip,
a source, a date, true or false) in `old_text` and `new_text`, so each column holds one type."""


def diff_rows(diff: Diff) -> list[Row]:
    """CSV: one row per change, inputs first, told apart by `kind`; a list of keys in one cell, as a
    file writes it (`[a, b]`)."""
    rows = [{"kind": "input", "where": c.new_where or c.old_where, "field": c.path, **_sides(c.old, c.new),
             "delta": None, "relative": None} for c in diff.inputs]
    rows += [{"kind": "outcome", "where": c.where, "field": c.field, **_sides(c.old, c.new), "delta": c.delta,
              "relative": c.relative} for c in diff.outcomes]
    return [{column: row[column] for column in DIFF_COLUMNS} for row in rows]


def _sides(old: object, new: object) -> Row:
    """`old` and `new` in the number columns or the text ones (empty where a side has no value)."""
    def number(value: object) -> bool:
        return isinstance(value, (int, float)) and not isinstance(value, bool)

    def text(value: object) -> object:
        if isinstance(value, list):
            return key_list(value)
        return None if value is None or number(value) else value

    return {"old": old if number(old) else None, "new": new if number(new) else None,
            "old_text": text(old), "new_text": text(new)}


def where_from(term: Term, scenario_file: str) -> str:
    """Where an input of an explanation was set: FILE:LINE:COL (inherited when from a parent), --set,
    or default."""
    if term.origin is None:
        return "default"
    if term.origin.startswith("--set:"):
        return term.origin
    file = term.origin.rsplit(":", 2)[0]
    return term.origin + ("" if file == scenario_file else " (inherited)")


def explain_document(run: Analysis[Explanation]) -> Document:
    explanation, scenario_file = run.result, run.scenario.file
    return {
        "schema_version": SCHEMA_VERSION,
        "scenario": explanation.scenario,
        "file": scenario_file,
        "metric": explanation.metric,
        "order": explanation.order,
        "chip": explanation.chip,
        "value": explanation.value,
        "reason": explanation.reason,
        "formula": explanation.formula,
        "terms": [{"symbol": t.symbol, "meaning": t.meaning, "value": t.value, "formula": t.formula,
                   "path": t.path, "where": None if t.formula else where_from(t, scenario_file),
                   "source": t.source} for t in explanation.terms],
    }


def explain_rows(run: Analysis[Explanation]) -> list[Row]:
    document = explain_document(run)
    return [{"metric": document["metric"], "order": document["order"], "chip": document["chip"], **term}
            for term in document["terms"]]


VALIDATE: View[Sequence[FileCheck]] = View(validate_document, validate_rows)
DIFF: View[Diff] = View(diff_document, diff_rows, columns=DIFF_COLUMNS)
EXPLAIN: View[Analysis[Explanation]] = View(explain_document, explain_rows)
