"""Markdown that renders on GitHub: a heading per section, pipe tables."""

from __future__ import annotations

import functools
from itertools import chain

from ..safe import markdown_fenced, markdown_inline, needs_markdown_care
from .layout import Section, Table, cells


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
    lines.append("| " + " | ".join(map(_header, (column.header for column in table.columns))) + " |")
    lines.append("|" + "|".join("---:" if c.right_aligned else "---" for c in table.columns) + "|")
    rows = cells(table)
    if needs_markdown_care("".join(chain.from_iterable(rows))):  # rare (a newline counts): one search a table
        lines.extend(f"| {_row(row)} |" for row in rows)
    else:
        lines.extend(f"| {' | '.join(row)} |" for row in rows)
    if table.notes:
        lines.append("")
        lines.extend(f"{markdown_inline(note)}  " for note in table.notes)
    return "\n".join(lines) + "\n"


def _row(row: list[str]) -> str:
    """A row of a table that holds text to escape, or a cell of several lines (an input and where it
    was set), which a Markdown row shows on one line."""
    if needs_markdown_care("".join(row).replace("\n", " ")):
        return " | ".join(markdown_inline(cell.replace("\n", " ")) for cell in row)
    return " | ".join(row).replace("\n", " ")


@functools.lru_cache(maxsize=1024)  # the same few dozen headers in every report of a batch
def _header(header: str) -> str:
    """A column header on one line: a word hyphenated across lines joined again."""
    return markdown_inline(header.replace("-\n", "").replace("\n", " ")) or " "
