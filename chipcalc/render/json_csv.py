"""JSON and CSV: the machine-readable contract (CLI.md)."""

from __future__ import annotations

import io
from json.encoder import encode_basestring as _quoted  # the C function json itself quotes strings with
from typing import Any, Sequence

from ..safe import csv_text, json_safe

_float_text = float.__repr__  # what json writes for a float (and a float subclass such as numpy's)
_int_text = int.__repr__  # and for an int (an IntEnum is written as its number)
_NOT_FINITE = frozenset(("nan", "inf", "-inf"))


def render_json(document: dict[str, Any]) -> str:
    """One JSON document, keys in a stable order, numbers at full precision, a trailing newline.

    The bytes of `json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)`, written
    three times as fast: with an indent, json falls back to its pure-Python encoder, which passes
    every piece of text up a chain of generators as deep as the document. Here each container is
    one loop that appends whole lines (a key, its value and the separator) to one list.
    """
    out: list[str] = []
    _write(document, "\n", out)
    out.append("\n")
    return json_safe("".join(out))  # invisible characters escaped, as safe.json_safe says why


def _write(container: dict[Any, Any] | list[Any] | tuple[Any, ...], pad: str, out: list[str]) -> None:
    """Append the text of `container` to `out`; `pad` is the newline and indent of its own line."""
    inner = pad + "  "
    if isinstance(container, dict):
        if not container:
            out.append("{}")
            return
        separator = "{" + inner
        for key, value in container.items():
            kind = type(value)  # the common cases first, tested by exact type: a document is mostly these
            key_text = _quoted(key if type(key) is str else _key(key))
            if kind is str:
                out.append(f"{separator}{key_text}: {_quoted(value)}")
            elif kind is float:
                out.append(f"{separator}{key_text}: {_finite(value)}")
            elif kind is dict or kind is list:
                out.append(f"{separator}{key_text}: ")
                _write(value, inner, out)
            else:
                out.append(f"{separator}{key_text}: {_text(value, inner)}")
            separator = "," + inner
        out.append(pad + "}")
        return
    if not container:
        out.append("[]")
        return
    separator = "[" + inner
    for value in container:
        kind = type(value)
        if kind is dict or kind is list:
            out.append(separator)
            _write(value, inner, out)
        else:
            out.append(separator + _text(value, inner))
        separator = "," + inner
    out.append(pad + "]")


def _finite(number: float) -> str:
    text = _float_text(number)
    if text in _NOT_FINITE:
        # allow_nan=False: a NaN or infinity reaching the output is a bug, never a number to print.
        raise ValueError(f"Out of range float values are not JSON compliant: {text}")
    return text


def _text(value: object, pad: str) -> str:
    """Any other value as json writes it: null, true, false, numbers, strings and their subclasses,
    tuples as lists."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _quoted(value)
    if isinstance(value, int):
        return _int_text(value)
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, (dict, list, tuple)):
        out: list[str] = []
        _write(value, pad, out)
        return "".join(out)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _key(key: object) -> str:
    """A key that is not a str, as json turns it into one."""
    if isinstance(key, str):
        return key
    if isinstance(key, (bool, int, float)) or key is None:
        return _text(key, "")
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def render_csv(rows: list[dict[str, Any]], header: Sequence[str] = ()) -> str:
    """A header row, then one row per record; empty cells for null, \n line ends; text cells as
    `safe.csv_text` writes them (no spreadsheet formula, no control character). With no rows,
    `header` alone (when given)."""
    if not rows:
        return ",".join(header) + "\n" if header else ""
    columns: dict[str, None] = {}
    for row in rows:
        columns.update(dict.fromkeys(row))
    import csv  # here: JSON and Markdown, most runs, need none of it

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
    if isinstance(value, str):
        return csv_text(value)
    return value
