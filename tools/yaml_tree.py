"""A scenario tree back to YAML text, with what plain data cannot say: tags, anchors, aliases.

tools/fuzz_tree.py mutates parsed trees; this writes them so that PyYAML reads back the same tree
(plain data round-trips exactly), with `Raw` scalars written verbatim and `Anchored` nodes anchored.
"""

from __future__ import annotations

import datetime
import json
import math
import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Raw:
    """A scalar written verbatim: a tag (`!!float .`), an alias (`*a`), a flow value."""
    text: str


@dataclass
class Anchored:
    """A node written with an anchor, `&name`."""
    name: str
    node: Any


def scalar(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return ".nan"
        return repr(value) if math.isfinite(value) else ".inf" if value > 0 else "-.inf"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    text = str(value)
    if re.fullmatch(r"[A-Za-z0-9_$¥%.,/ -]*[A-Za-z0-9_$¥%.]", text) and not text.startswith(("-", " ")):
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def dump(node: Any, indent: int = 0) -> list[str]:
    """Block YAML for a mapping or sequence at `indent`, one string per line."""
    if isinstance(node, dict) and node:
        return [line for key, value in node.items() for line in entry(f"{scalar(key)}:", value, indent)]
    if isinstance(node, list) and node:
        return [line for item in node for line in entry("-", item, indent)]
    return [" " * indent + flat(node)]


def entry(head: str, value: Any, indent: int) -> list[str]:
    """`head value` at `indent`: on one line for a scalar, the value's block below (or, for a list item,
    beside) the head for a mapping or sequence; an anchor goes right after the head."""
    pad, anchor = " " * indent, ""
    if isinstance(value, Anchored):
        anchor, value = f" &{value.name}", value.node
    if not (isinstance(value, (dict, list)) and value):
        return [f"{pad}{head}{anchor} {flat(value)}"]
    body = dump(value, indent + 2)
    if head == "-" and not anchor:
        return [f"{pad}- {body[0].strip()}"] + body[1:]
    return [f"{pad}{head}{anchor}"] + body


def flat(value: Any) -> str:
    """A scalar, or an empty mapping or sequence, on one line."""
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return scalar(value)


def to_text(tree: Any) -> str:
    return "\n".join(dump(tree)) + "\n"
