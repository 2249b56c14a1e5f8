"""The terminal view: rich tables. The only module besides the CLI that imports rich.

Pipes and files get plain text instead (`text.py`); both draw each table as `fit.py` lays it out
for the width, so rich never has to shrink a column (it would cut its cells with `…`)."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from ..safe import printable, printable_block
from .fit import GAP, Grid, fit
from .layout import Section


def render_table(sections: list[Section], width: int = 80) -> RenderableType:
    """All sections as one renderable for a console `width` wide. Styles are always set; the
    console drops colour under NO_COLOR."""
    parts: list[RenderableType] = []
    for section in sections:
        parts.append(Text(printable(section.heading), style="bold cyan"))
        if section.description:
            parts.append(Text(printable_block(section.description)))
        for line in section.lines:
            parts.append(Text(printable(line), style="dim"))
        for table in section.tables:
            for grid in fit(table, width):
                parts += [Text(""), _grid(grid)]
        parts.append(Text(""))
    return Group(*parts)


def _grid(grid: Grid) -> RenderableType:
    # No edges, and GAP - 1 spaces of padding right of each cell besides the box's divider: the
    # geometry of text.py, so that the widths `fit` chose are the widths drawn.
    rich_table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, GAP - 1, 0, 0),
                           header_style="bold")
    for header, width, right in zip(grid.padded_headers(), grid.widths, grid.right):
        rich_table.add_column(Text("\n".join(header)), justify="right" if right else "left", width=width,
                              no_wrap=True, overflow="fold")
    for row in grid.rows:
        rich_table.add_row(*(Text("\n".join(cell)) for cell in row))  # Text: no rich markup in a name
    parts: list[RenderableType] = [Text("\n".join(grid.title), style="bold")] if grid.title else []
    parts.append(rich_table)
    if grid.notes:
        parts.append(Text("\n".join(grid.notes), style="dim"))
    return Group(*parts)
