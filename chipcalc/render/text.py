"""Plain-text tables, for pipes and logs: ASCII only, no colour, nothing cut off.

On a terminal the CLI draws the same sections with rich (`terminal.py`). Both draw each table as
`fit.py` lays it out for the width, so no line is wider than the width and no value is cut: long
headers wrap, long text folds or moves to a note, wide tables split into groups of columns.
"""

from __future__ import annotations

import textwrap

from ..safe import no_command, printable, printable_block
from .fit import GAP, Grid, fit, wrap_prose
from .layout import Section


def render_text(sections: list[Section], width: int = 80) -> str:
    parts: list[str] = []
    for section in sections:
        parts += wrap_prose(printable(section.heading), width)
        if section.description:
            parts += [quoted for line in printable_block(section.description).split("\n")
                      for quoted in _quoted(line, width)]
        for line in section.lines:
            parts += wrap_prose(printable(line), width)
        for table in section.tables:
            for grid in fit(table, width):
                parts += ["", *_grid(grid)]
        parts.append("")
    return "\n".join(no_command(line) for line in "\n".join(parts).split("\n")) + "\n"


def _quoted(line: str, width: int) -> list[str]:
    """A line of a description (`> ` and its text) wrapped to `width`, each line after `> ` too."""
    return textwrap.wrap(line, width, break_on_hyphens=False, subsequent_indent="> ") or [line]


def _grid(grid: Grid) -> list[str]:
    headers = grid.padded_headers()
    # Headers of several lines sit on the bottom line, as a column of numbers reads upwards.
    lines = grid.title + [_line([header[k] for header in headers], grid) for k in range(len(headers[0]))]
    lines.append((" " * GAP).join("-" * w for w in grid.widths))
    for row in grid.rows:
        for k in range(max(len(cell) for cell in row)):
            lines.append(_line([cell[k] if k < len(cell) else "" for cell in row], grid))
    return lines + grid.notes


def _line(values: list[str], grid: Grid) -> str:
    cells_ = [value.rjust(w) if right else value.ljust(w)
              for value, w, right in zip(values, grid.widths, grid.right)]
    return (" " * GAP).join(cells_).rstrip()
