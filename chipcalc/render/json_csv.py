"""JSON and CSV: the machine-readable contract (CLI.md)."""

from __future__ import annotations

import csv
import io
import json
from typing import Any, Sequence


def render_json(document: dict[str, Any]) -> str:
    """One JSON document, keys in a stable order, numbers at full precision, a trailing newline."""
    # allow_nan=False: a NaN or infinity reaching the output is a bug, never a number to print.
    return json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def render_csv(rows: list[dict[str, Any]], header: Sequence[str] = ()) -> str:
    """A header row, then one row per record; empty cells for null, \\n line ends. With no rows,
    `header` alone (when given)."""
    if not rows:
        return ",".join(header) + "\n" if header else ""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: _cell(value) for key, value in row.items()})
    return out.getvalue()


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return value
