"""The terminal view: rich tables. The only module besides the CLI that imports rich."""

from __future__ import annotations

from rich import box
from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table as RichTable
from rich.text import Text

from .report import Section, Table, cells

# Plain ASCII rules, for logs and pipes where box-drawing characters break.
ASCII_RULES = box.Box("    \n    \n -- \n    \n    \n -- \n    \n    \n", ascii=True)


def render_table(sections: list[Section], *, fancy: bool) -> RenderableType:
    """All sections as one renderable; `fancy` allows box-drawing characters and styles."""
    parts: list[RenderableType] = []
    for section in sections:
        parts.append(Text(section.heading, style="bold" if fancy else ""))
        for line in section.lines:
            parts.append(Text(line, style="dim" if fancy else ""))
        for table in section.tables:
            parts.append(Text(""))
            parts.append(_table(table, fancy))
        parts.append(Text(""))
    return Group(*parts)


def _table(table: Table, fancy: bool) -> RenderableType:
    rich_table = RichTable(
        box=box.SIMPLE_HEAD if fancy else ASCII_RULES,
        title=table.title,
        title_justify="left",
        title_style="bold" if fancy else "",
        header_style="bold" if fancy else "",
        pad_edge=False,
        padding=(0, 0),
    )
    for column in table.columns:
        rich_table.add_column(column.header, justify="right" if column.right_aligned else "left",
                              no_wrap=not column.right_aligned)
    for row in cells(table):
        rich_table.add_row(*row)
    if not table.notes:
        return rich_table
    notes = Text("\n".join(table.notes), style="dim" if fancy else "")
    return Group(rich_table, Padding(notes, (0, 0, 0, 0)))
