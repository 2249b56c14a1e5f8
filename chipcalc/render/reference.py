"""The scenario format's reference tables, written from the specs in `scenario.py`.

The README's "Keys" section is this text; a test keeps the two identical, so
the documentation cannot drift from what the loader accepts.
"""

from __future__ import annotations

from typing import Any

from ..scenario import Scenario
from ..spec import REQUIRED, Spec, specs

KIND_WORDS = {
    "text": "text",
    "date": "date",
    "choice": "one of",
    "number": "number",
    "rate": "rate",
    "money": "money",
    "share_or_money": "rate, or money per unit with a currency",
    "keys": "list of keys",
    "numbers": "mapping",
    "record": "section",
    "records": "mapping of sections",
    "list": "list of sections",
}


def format_reference() -> str:
    """Markdown tables: one per section of a scenario file, a row per key."""
    return "\n".join([_section_table("top level", Scenario, "The scenario file."), *_nested(Scenario, "")])


def _nested(cls: type, prefix: str) -> list[str]:
    """The tables of the sections inside `cls` (`mix.rules[i]` inside `mix`), each after its parent's."""
    parts = []
    for key, (_, spec) in specs(cls).items():
        if spec.item is not None:
            path = f"{prefix}{key}"
            where = {"record": path, "records": f"{path}.<key>", "list": f"{path}[i]"}[spec.kind]
            parts += [_section_table(f"`{where}:`", spec.item), *_nested(spec.item, f"{where}.")]
    return parts


def _section_table(where: str, cls: type, about: str = "") -> str:
    about = about or (cls.__doc__ or "").strip().splitlines()[0]
    lines = [f"**{where}** {about}", "",
             "| key | kind | default | valid | meaning |", "|---|---|---|---|---|"]
    for key, (_, spec) in specs(cls).items():
        lines.append(f"| `{key}` | {_kind(spec)} | {_default(spec)} | {_valid(spec)} | {spec.doc} |")
    return "\n".join(lines) + "\n"


def _kind(spec: Spec) -> str:
    if spec.kind == "choice":
        return "one of " + ", ".join(spec.choices)
    if spec.kind == "numbers":
        return f"{spec.names} -> number"
    return KIND_WORDS[spec.kind]


def _default(spec: Spec) -> str:
    default: Any = spec.default
    if default is REQUIRED:
        return "required"
    if default is None or default == {} or default == []:
        return "-"
    if spec.kind in ("rate", "share_or_money"):  # a levy base's default is the share 100%
        return f"{default * 100:g}%"
    return f"`{default:g}`" if isinstance(default, float) else f"`{default}`"


def _valid(spec: Spec) -> str:
    if spec.numeric or spec.kind == "numbers":
        return spec.bounds_text()
    return "-"
