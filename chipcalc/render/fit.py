"""Fitting a table to a width: what the text and terminal renderers draw, so both show the same.

A table wider than the width is narrowed in steps, each taken only when those before it were not
enough, and nothing is ever cut off:

1. headers wrap at their spaces, hyphens, dots and slashes (`levy-passed-` / `through`);
2. cells with a short form (`Table.short`: a chip as a letter) take it, with a legend;
3. a cell of long text (a source in `diff`'s old and new) becomes a reference, `[1]`, and its
   text a note under the table;
4. columns of long text (`Column.wrap`: sources, file positions, formulas) fold;
5. cells wrap where headers do (a path at its dots);
6. the columns are split into groups that fit, each repeating the columns that name the row;
7. a column still wider than the width on its own folds.

The title and notes are wrapped to the width too, so a renderer draws every line as it is.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, field

from ..safe import printable
from .layout import Table, cells

GAP = 2
"""Spaces between columns."""
WRAP_MIN = 20
"""A folding column is never narrowed below this, unless it is alone and the width is smaller."""
LONG_TEXT = 30
"""A cell longer than this may move to a note (step 3): prose, never a number."""
_BREAK = re.compile(r"(?<= )|(?<=[-./])(?=[A-Za-z]{2})")
"""Where a header (or a cell, step 5) may wrap: after a space, or after a hyphen, dot or slash
followed by two letters (`levy-` / `passed`, `$/` / `PFLOP/s`; never `PFLOP/` / `s`, nor inside
`12.5%` or `-5%`)."""


@dataclass
class Grid:
    """A table laid out for a width: its title's lines, each column's header lines, width and
    alignment, each cell as its lines, and the lines of the notes under it. Text is escaped
    (`safe.printable`)."""
    title: list[str]
    headers: list[list[str]]
    widths: list[int]
    right: list[bool]
    rows: list[list[list[str]]]
    notes: list[str] = field(default_factory=list)

    @property
    def width(self) -> int:
        return sum(self.widths) + GAP * (len(self.widths) - 1)

    def padded_headers(self) -> list[list[str]]:
        """Every header as many lines as the tallest, blank lines on top."""
        height = max((len(header) for header in self.headers), default=1)
        return [[""] * (height - len(header)) + header for header in self.headers]


def fit(table: Table, width: int) -> list[Grid]:
    """`table` as one grid no wider than `width`, or as several (column groups) when one cannot be."""
    grid = Grid([printable(table.title)] if table.title else [],
                [[printable(line) for line in column.header.split("\n")] for column in table.columns],
                [], [column.right_aligned for column in table.columns],
                [[cell.split("\n") for cell in row] for row in cells(table)],
                [printable(note) for note in table.notes])
    _measure(grid)
    for narrow in (_wrap_headers, _shorten, _notes, _fold_wrapped, _wrap_cells):
        if grid.width <= width:
            break
        narrow(grid, width, table)
    keys = min(table.keys, len(table.columns) - 1)
    groups = [grid] if grid.width <= width else _groups(grid, width, keys)
    for group in groups:
        _fold_widest(group, width, keys)
        group.title = [line for title in group.title for line in wrap_prose(title, width)]
        group.notes = [line for note in group.notes for line in wrap_prose(note, width)]
    return groups


def wrap_prose(text: str, width: int) -> list[str]:
    """A line of prose wrapped to `width` at spaces (a word wider than `width`, a URL, is folded);
    a note that starts with a reference, `[1] `, indents the lines after its first past it."""
    reference = re.match(r"\[\d+\] ", text)
    indent = " " * len(reference.group()) if reference else ""
    return textwrap.wrap(text, width, break_on_hyphens=False, subsequent_indent=indent) or [text]


def _measure(grid: Grid) -> None:
    grid.widths = [max([len(line) for line in grid.headers[i]]
                       + [len(line) for row in grid.rows for line in row[i]])
                   for i in range(len(grid.headers))]


def _cell_width(grid: Grid, i: int) -> int:
    return max((len(line) for row in grid.rows for line in row[i]), default=0)


def _wrap_headers(grid: Grid, width: int, table: Table) -> None:
    """Wrap the headers that are wider than their cells, the widest saving first, until the
    table fits."""
    targets = {i: max(_cell_width(grid, i), max(_shortest_lines(line) for line in header))
               for i, header in enumerate(grid.headers)}
    order = sorted(targets, key=lambda i: targets[i] - grid.widths[i])
    for i in order:
        if grid.width <= width:
            return
        if targets[i] < grid.widths[i]:
            grid.headers[i] = [part for line in grid.headers[i] for part in wrap_header(line, targets[i])]
            _measure(grid)


def _wrap_cells(grid: Grid, width: int, table: Table) -> None:
    """Wrap cells at the break points of headers (a path at its dots, a name at its hyphens), the
    widest column first, each only as far as needed; only when that makes the table fit, since
    groups of columns (the next step) read better than names cut into pieces."""
    rows = [list(row) for row in grid.rows]
    widths = list(grid.widths)
    for i in sorted(range(len(grid.widths)), key=lambda i: -grid.widths[i]):
        excess = grid.width - width
        if excess <= 0:
            return
        pieces = [_shortest_lines(line) for row in grid.rows for line in row[i]]
        target = max([grid.widths[i] - excess, *pieces, *(len(line) for line in grid.headers[i])])
        if target < grid.widths[i]:
            for row in grid.rows:
                row[i] = [part for line in row[i] for part in wrap_header(line, target)]
            _measure(grid)
    if grid.width > width:
        grid.rows, grid.widths = rows, widths


def _shortest_lines(line: str) -> int:
    """The narrowest a header line can wrap to: its longest unbreakable piece."""
    return max(len(piece.rstrip()) for piece in _BREAK.split(line))


def wrap_header(line: str, width: int) -> list[str]:
    """A header line wrapped to `width` at its break points (`_BREAK`); a piece wider than `width`
    stays whole."""
    lines = [""]
    for piece in _BREAK.split(line):
        if lines[-1] and len((lines[-1] + piece).rstrip()) > width:
            lines.append("")
        lines[-1] += piece
    return [part.rstrip() for part in lines]


def _shorten(grid: Grid, width: int, table: Table) -> None:
    """Show the short forms of `table.short` (outside the row's names), and a legend of those used."""
    keys = min(table.keys, len(table.columns) - 1)
    short = {printable(long): printable(brief) for long, brief in table.short.items()}
    used: dict[str, str] = {}
    for row in grid.rows:
        for i in range(keys, len(row)):
            if len(row[i]) == 1 and row[i][0] in short:
                used[row[i][0]] = short[row[i][0]]
                row[i] = [used[row[i][0]]]
    if used:
        grid.notes.insert(0, ", ".join(f"{brief}: {long}" for long, brief in sorted(used.items(),
                                                                                   key=lambda item: item[1])))
        _measure(grid)


def _fold_wrapped(grid: Grid, width: int, table: Table) -> None:
    """Fold the columns marked `wrap` into the room the others leave (at least WRAP_MIN each)."""
    folding = [i for i, column in enumerate(table.columns) if column.wrap]
    if not folding:
        return
    fixed = sum(w for i, w in enumerate(grid.widths) if i not in folding) + GAP * (len(grid.widths) - 1)
    room = max((width - fixed) // len(folding), WRAP_MIN)
    for i in folding:
        if grid.widths[i] > room:
            _fold_column(grid, i, room)


def _fold_column(grid: Grid, i: int, width: int) -> None:
    """Fold column `i`, header and cells, to `width`."""
    grid.headers[i] = fold([part for line in grid.headers[i] for part in wrap_header(line, width)], width)
    for row in grid.rows:
        row[i] = fold(row[i], width)
    _measure(grid)


def fold(lines: list[str], width: int) -> list[str]:
    """Lines of text folded to `width`: at spaces where it can, inside a word only where a word
    is wider than `width` (a long URL), so nothing is cut off."""
    return [part for line in lines
            for part in (textwrap.wrap(line, width, break_on_hyphens=False, drop_whitespace=True) or [""])]


def _notes(grid: Grid, width: int, table: Table) -> None:
    """Move each long cell of text that does not wrap to a numbered note under the table, naming its
    row and column: `[1] chips.h20.source, old: S: NVIDIA ...`."""
    keys = min(table.keys, len(table.columns) - 1)
    references: list[str] = []
    for row in grid.rows:
        for i, cell in enumerate(row):
            if i < keys or table.columns[i].wrap or max(len(line) for line in cell) <= LONG_TEXT:
                continue
            number = len(references) + 1
            named = ", ".join(line for k in range(keys) for line in row[k] if line.strip())
            header = " ".join(line for line in grid.headers[i] if line)
            references.append(f"[{number}] {named}, {header}: " + " ".join(cell))
            row[i] = [f"[{number}]"]
    if references:
        grid.notes += references
        _measure(grid)


def _groups(grid: Grid, width: int, keys: int) -> list[Grid]:
    """The columns after the first `keys` split into groups that fit `width`, each with the key
    columns in front; the title goes on the first, `(continued)` on the others, notes under the last."""
    key_width = sum(grid.widths[:keys]) + GAP * keys
    spans: list[list[int]] = [[]]
    used = key_width
    for i in range(keys, len(grid.widths)):
        if spans[-1] and used + grid.widths[i] > width:
            spans.append([])
            used = key_width
        spans[-1].append(i)
        used += grid.widths[i] + GAP
    groups = []
    for number, span in enumerate(spans):
        columns = list(range(keys)) + span
        title = grid.title if number == 0 or not grid.title else [f"{grid.title[0]} (continued)"]
        groups.append(Grid(title, [grid.headers[i] for i in columns], [grid.widths[i] for i in columns],
                           [grid.right[i] for i in columns], [[row[i] for i in columns] for row in grid.rows],
                           grid.notes if number == len(spans) - 1 else []))
    return groups


def _fold_widest(grid: Grid, width: int, keys: int) -> None:
    """The last resort, for a column wider than the width on its own: fold the widest columns (the
    row's names last) until the grid fits or every column is down to a few characters."""
    while grid.width > width:
        candidates = range(keys, len(grid.widths)) if len(grid.widths) > keys else range(len(grid.widths))
        widest = max(candidates, key=lambda i: grid.widths[i])
        if grid.widths[widest] <= 8:
            widest = max(range(len(grid.widths)), key=lambda i: grid.widths[i])
            if grid.widths[widest] <= 8:
                return
        _fold_column(grid, widest, max(grid.widths[widest] - (grid.width - width), 8))
