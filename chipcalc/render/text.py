"""Plain-text tables, for pipes and logs: ASCII only, no colour, nothing cut off.

On a terminal the CLI draws the same sections with rich (`terminal.py`); here a
column is as wide as its widest cell, so piped output keeps every value whole
(only columns marked `wrap`, such as sources, fold to fit the width).
"""

from __future__ import annotations

import textwrap

from ..safe import no_command, printable, printable_block
from .layout import Section, Table, cells

GAP = 2
"""Spaces between columns."""


def render_text(sections: list[Section], width: int = 80) -> str:
    parts: list[str] = []
    for section in sections:
        parts.append(printable(section.heading))
        if section.description:
            parts.append(printable_block(section.description))
        parts.extend(_wrapped(printable(line), width) for line in section.lines)
        for table in section.tables:
            parts.append("")
            parts.append(_table(table, width))
        parts.append("")
    return "\n".join(no_command(line) for line in "\n".join(parts).split("\n")) + "\n"


def _wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)) or text


def _table(table: Table, width: int) -> str:
    headers = [[printable(line) for line in column.header.split("\n")] for column in table.columns]
    rows = [[cell.split("\n") for cell in row] for row in cells(table)]
    widths = [max([len(line) for line in header] + [len(line) for row in rows for line in row[i]])
              for i, header in enumerate(headers)]
    folding = [i for i, column in enumerate(table.columns) if column.wrap]
    if folding and sum(widths) + GAP * (len(widths) - 1) > width:
        fixed = sum(w for i, w in enumerate(widths) if i not in folding) + GAP * (len(widths) - 1)
        room = max((width - fixed) // len(folding), 20)
        for i in folding:
            widths[i] = min(widths[i], room)
            rows = [row[:i] + [_fold(row[i], room)] + row[i + 1:] for row in rows]
    lines = [printable(table.title)] if table.title else []
    height = max(len(header) for header in headers)
    # Headers of several lines sit on the bottom line, as a column of numbers reads upwards.
    padded = [[""] * (height - len(header)) + header for header in headers]
    lines += [_line([padded[i][k] for i in range(len(headers))], widths, table) for k in range(height)]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        for k in range(max(len(cell) for cell in row)):
            lines.append(_line([cell[k] if k < len(cell) else "" for cell in row], widths, table))
    lines.extend(_wrapped(printable(note), width) for note in table.notes)
    return "\n".join(lines)


def _fold(lines: list[str], width: int) -> list[str]:
    return [part for line in lines for part in (textwrap.wrap(line, width) or [""])]


def _line(values: list[str], widths: list[int], table: Table) -> str:
    cells_ = [value.rjust(w) if column.right_aligned else value.ljust(w)
              for value, w, column in zip(values, widths, table.columns)]
    return (" " * GAP).join(cells_).rstrip()
