"""The floor any Typer CLI that reads a scenario pays: one command taking the same kind of
arguments as chipcalc, parsing each file with PyYAML (libyaml when present) and printing it
as JSON. The benchmark measures chipcalc against this in the same run."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
import yaml

app = typer.Typer(add_completion=False)
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@app.command()
def main(
    files: Annotated[list[Path], typer.Argument()],
    format_: Annotated[str, typer.Option("--format", "-f")] = "json",
    set_: Annotated[list[str] | None, typer.Option("--set")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o")] = None,
) -> None:
    if format_ == "table":
        import rich.table  # noqa: F401  the floor of a command that prints a rich table

    for path in files:
        with open(path, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=Loader)
        sys.stdout.write(json.dumps(data, default=str) + "\n")


if __name__ == "__main__":
    app()
