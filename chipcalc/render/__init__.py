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
        return cls.named_by(path) or cls.table

    @classmethod
    def named_by(cls, path: str) -> "OutputFormat | None":
        """The format a file's extension names (.json, .csv, .md, .markdown), or None for any other."""
        suffix = path.rsplit(".", 1)[-1].lower() if "." in path else ""
        return {"json": cls.json, "csv": cls.csv, "md": cls.markdown, "markdown": cls.markdown}.get(suffix)

    @property
    def written(self) -> str:
        """What the format writes, as a message names it: `-f json writes JSON`."""
        return {"json": "JSON", "csv": "CSV", "markdown": "Markdown", "table": "a table"}[self.value]

    @property
    def extension(self) -> str:
        """The extension of a file of this format."""
        return {"json": ".json", "csv": ".csv", "markdown": ".md", "table": ".txt"}[self.value]
