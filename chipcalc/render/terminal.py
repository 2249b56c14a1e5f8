"""The terminal view: rich tables. The only module besides the CLI that imports rich.

Pipes and files get plain text instead (`text.py`)."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table as RichTable
from rich.text import Text

from ..safe import printable, printable_block
from .layout import Section, Table, cells


def render_table(sections: list[Section]) -> RenderableType:
    """All sections as one renderable. Styles are always set; the console drops colour under NO_COLOR."""
    parts: list[RenderableType] = []
    for section in sections:
        parts.append(Text(printable(section.heading), style="bold cyan"))
        if section.description:
            parts.append(Text(printable_block(section.description)))
        for line in section.lines:
            parts.append(Text(printable(line), style="dim"))
        for table in section.tables:
            parts.append(Text(""))
            parts.append(_table(table))
        parts.append(Text(""))
    return Group(*parts)


def _table(table: Table) -> RenderableType:
    rich_table = RichTable(
        box=box.SIMPLE_HEAD,
        title=Text(printable(table.title)) if table.title else None,
        title_justify="left",
        title_style="bold",
        header_style="bold",
        pad_edge=False,
        padding=(0, 0),
    )
    for column in table.columns:
        header = Text("\n".join(printable(line) for line in column.header.split("\n")))
        rich_table.add_column(header, justify="right" if column.right_aligned else "left",
                              no_wrap=not column.wrap, overflow="fold" if column.wrap else "ellipsis")
    for row in cells(table):
        rich_table.add_row(*(Text(cell) for cell in row))  # Text: no rich markup in a name
    if not table.notes:
        return rich_table
    return Group(rich_table, Text("\n".join(printable(note) for note in table.notes), style="dim"))
