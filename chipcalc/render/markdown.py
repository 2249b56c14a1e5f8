"""Markdown that renders on GitHub: a heading per section, pipe tables."""

from __future__ import annotations

from .layout import Section, Table, cells


def render_markdown(sections: list[Section], title: str | None = None) -> str:
    parts = [f"# {title}\n"] if title else []
    for section in sections:
        parts.append(f"## {_escape(section.heading)}\n")
        if section.description:
            parts.append("```text\n" + section.description + "\n```\n")
        if section.lines:
            parts.append("\n".join(f"- {_escape(line)}" for line in section.lines) + "\n")
        for table in section.tables:
            parts.append(_table(table))
    return "\n".join(parts)


def _table(table: Table) -> str:
    lines = [f"### {_escape(table.title)}\n"] if table.title else []
    headers = (c.header.replace("-\n", "").replace("\n", " ") for c in table.columns)
    lines.append("| " + " | ".join(_escape(h) or " " for h in headers) + " |")
    lines.append("|" + "|".join("---:" if c.right_aligned else "---" for c in table.columns) + "|")
    for row in cells(table):
        lines.append("| " + " | ".join(_escape(cell) for cell in row) + " |")
    if table.notes:
        lines.append("")
        lines.extend(f"{_escape(note)}  " for note in table.notes)
    return "\n".join(lines) + "\n"


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("*", "\\*").replace("\n", " ")
