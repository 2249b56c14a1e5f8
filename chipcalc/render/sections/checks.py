"""The tables of `validate`, `diff` and `explain`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Sequence

from ...documents import Analysis, FileCheck
from ...documents.checks import where_from
from ...kinds import Display, input_kind, kind_of
from ...values import counted, human_money, human_number, human_rate
from ..layout import NUMBER, Column, Lines, Section, Table, show

if TYPE_CHECKING:
    from ...analysis.diff import Diff, InputChange, OutcomeChange
    from ...analysis.explain import Explanation, Term


def validate_sections(checked: Sequence[FileCheck]) -> list[Section]:
    table = Table([Column("file"), Column("line", NUMBER), Column("column", NUMBER), Column("path"),
                   Column("problem")], title="Problems")
    for c in checked:
        for p in c.problems:
            where, line, column = p.location
            table.rows.append([where, line, column, p.path or "-", p.message])
    valid = [c.file for c in checked if not c.problems]
    lines = [f"{len(valid)} of {counted(len(checked), 'scenario file')} valid"]
    return [Section("Validation", lines, [table] if table.rows else [])]


def show_outcome(value: Any, field: str) -> str:
    """An outcome of a diff as a person reads it, by its field's kind (`kinds`)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "-" if value is None else str(value).lower() if isinstance(value, bool) else str(value)
    return {Display.MONEY: human_money, Display.RATE: human_rate}.get(kind_of(field), human_number)(value)


def diff_sections(diff: Diff) -> list[Section]:
    heading_text = f"chipcalc diff: {diff.old.file} -> {diff.new.file}"
    if not diff.changed:
        return [Section(heading_text, ["no change"])]
    tables = []
    if diff.inputs:
        inputs = Table([Column("input"), Column("old", NUMBER), Column("new", NUMBER),
                        Column("where", wrap=True)], title=f"Inputs changed ({len(diff.inputs)})")
        files: dict[str, str] = {}
        for c in diff.inputs:
            kind = input_kind(diff.old if c.new is None else diff.new, c.path) if c.kind.numeric \
                else Display.TEXT
            inputs.rows.append([c.path, "(absent)" if c.old is None else show(c.old, kind),
                                "(absent)" if c.new is None else show(c.new, kind), _where(c, diff, files)])
        if files:
            inputs.notes.append("where: " + ", ".join(f"{shown} in {file}" for shown, file in files.items()))
        tables.append(inputs)
    groups: dict[str, list[OutcomeChange]] = {}
    for c in diff.outcomes:
        groups.setdefault(c.where, []).append(c)
    for where, changes in groups.items():
        table = Table([Column("outcome"), Column("old", NUMBER), Column("new", NUMBER),
                       Column("change", NUMBER)], title=f"Outcomes changed: {where}")
        table.rows = [[c.field, show_outcome(c.old, c.field), show_outcome(c.new, c.field), _change(c)]
                      for c in changes]
        tables.append(table)
    changed = f"{counted(len(diff.inputs), 'input')} and {counted(len(diff.outcomes), 'outcome')} changed"
    return [Section(heading_text, [changed], tables)]


def _where(c: InputChange, diff: Diff, files: dict[str, str]) -> str:
    """Where the input's new value was set (its old one, for an input NEW removes): LINE:COL in NEW,
    `old LINE:COL` in OLD, each file named once in `files`, the legend; any other file in full."""
    for where, file, shown in ((c.new_where, diff.new.file, "LINE:COL"), (c.old_where, diff.old.file,
                                                                           "old LINE:COL")):
        if where:
            if not where.startswith(f"{file}:"):
                return where
            files[shown] = file
            return shown.replace("LINE:COL", where[len(file) + 1:])
    return "default"


def _change(c: OutcomeChange) -> str:
    if c.relative is None:
        return "-" if c.kind == "text" or c.delta is None else "from 0"
    return f"{c.delta * 100:+.1f} pt" if c.kind == "fraction" else f"{c.relative * 100:+.1f}%"


def explain_sections(run: Analysis[Explanation]) -> list[Section]:
    explanation, scenario_file = run.result, run.scenario.file
    subject = f"option {explanation.chip} of order {explanation.order}" if explanation.chip else \
        f"order {explanation.order}"
    if explanation.value is None:
        shown = f"none ({explanation.reason})"
    else:
        shown = f"{show(explanation.value, kind_of(explanation.metric))} ({explanation.value!r})" + (
            f", {explanation.reason}" if explanation.reason else "")
    return [Section(f"{explanation.metric} of {subject} ({explanation.scenario})",
                    [f"{explanation.formula}", f"= {shown}"],
                    [t for t in _term_tables(explanation.terms, scenario_file) if t.rows])]


def _term_tables(terms: Sequence[Term], scenario_file: str) -> tuple[Table, Table]:
    """The derived terms with their formulas, and the inputs with where each was set."""
    derived = Table([Column("term"), Column("value", NUMBER), Column("formula", wrap=True)], title="Derived")
    inputs = Table([Column("term"), Column("value", NUMBER), Column("path and where it was set", wrap=True)],
                   title="Inputs")
    sources: dict[str, str] = {}
    for t in terms:
        # A term states its own kind (explain.py): money, rate, or a number.
        value = show(t.value, Display(t.kind) if t.kind in (Display.MONEY, Display.RATE) else NUMBER) \
            if t.value is not None else "none"
        if t.formula:
            derived.rows.append([t.symbol, value, t.formula])
        else:
            inputs.rows.append([t.symbol, value, Lines((t.path, f"  {where_from(t, scenario_file)}"))])
            if t.source:  # a chip's or platform's source once, under its key; an order's under its path
                owner = t.path.rsplit(".", 1)[0] if t.path.startswith(("chips.", "platforms.")) else t.path
                sources.setdefault(t.source, owner)
    inputs.notes = [f"source of {owner}: {source}" for source, owner in sources.items()]
    return derived, inputs
