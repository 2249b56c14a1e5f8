"""The Markdown renderer on small hand-built sections."""

from __future__ import annotations

from chipcalc.render.layout import MONEY, RATE, Column, Section, Table
from chipcalc.render.markdown import render_markdown


def test_a_titled_section_with_a_table() -> None:
    table = Table([Column("chip"), Column("price", MONEY), Column("share", RATE)],
                  [["a|b", 1500.0, 0.25]], title="Prices", notes=["* a note"])
    text = render_markdown([Section("Head", ["line one"], [table], "desc")], title="T")
    assert text == ("# T\n\n"
                    "## Head\n\n"
                    "```text\ndesc\n```\n\n"
                    "- line one\n\n"
                    "### Prices\n\n"
                    "| chip | price | share |\n"
                    "|---|---:|---:|\n"
                    "| a\\|b | $1.50k | 25% |\n"   # a pipe in a cell is escaped
                    "\n"
                    "\\* a note  \n")             # so is a star; two spaces end the line


def test_headers_of_two_lines_become_one() -> None:
    table = Table([Column("utili-\nzation", RATE), Column("list\nprice", MONEY), Column("")],
                  [[0.5, 1.0, "x"]])
    assert "| utilization | list price |   |" in render_markdown([Section("H", [], [table])])
