"""Markdown that renders on GitHub: a heading per section, pipe tables."""

from __future__ import annotations

import functools

from ..safe import markdown_fenced, markdown_inline, needs_markdown_care
from .layout import Column, Section, Table, cells


def render_markdown(sections: list[Section], title: str | None = None) -> str:
    parts = [f"# {markdown_inline(title)}\n"] if title else []
    for section in sections:
        parts.append(f"## {markdown_inline(section.heading)}\n")
        if section.description:
            parts.append(markdown_fenced(section.description))
        if section.lines:
            parts.append("\n".join(f"- {markdown_inline(line)}" for line in section.lines) + "\n")
        for table in section.tables:
            parts.append(_table(table))
    return "\n".join(parts)


def _table(table: Table) -> str:
    lines = [f"### {markdown_inline(table.title)}\n"] if table.title else []
    lines.append(_head(tuple(table.columns)))
    for row in cells(table):
        if needs_markdown_care("".join(row).replace("\n", " ")):  # rare: one search a row, not one a cell
            line = " | ".join(markdown_inline(cell.replace("\n", " ")) for cell in row)
        else:
            line = " | ".join(row).replace("\n", " ")
        lines.append(f"| {line} |")
    if table.notes:
        lines.append("")
        lines.extend(f"{markdown_inline(note)}  " for note in table.notes)
    return "\n".join(lines) + "\n"


@functools.lru_cache(maxsize=256)
def _head(columns: tuple[Column, ...]) -> str:
    """A table's header row and alignment row. Remembered: the tables of every report of a run are
    headed by the same few dozen sets of columns."""
    headers = (c.header.replace("-\n", "").replace("\n", " ") for c in columns)
    return ("| " + " | ".join(markdown_inline(h) or " " for h in headers) + " |\n"
            + "|" + "|".join("---:" if c.right_aligned else "---" for c in columns) + "|")
