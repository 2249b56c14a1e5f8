"""Renderers: each turns what a command computed into a string (or, for the
terminal, a rich renderable; for a plot, a file's bytes). None of them writes
to a stream or a file. `sections/` builds what each command shows a person;
`layout` holds the Section and Table they are built of."""

from __future__ import annotations

from enum import Enum


class OutputFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"

    @classmethod
    def from_path(cls, path: str) -> "OutputFormat":
        """The format a file's extension asks for: .json, .csv, .md; anything else gets a table."""
        suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
        return {"json": cls.json, "csv": cls.csv, "md": cls.markdown, "markdown": cls.markdown}.get(
            suffix, cls.table)
