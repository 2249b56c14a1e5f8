"""The plain-text renderer on small hand-built sections."""

from __future__ import annotations

from chipcalc.render.layout import COUNT, MONEY, RATE, Column, Section, Table
from chipcalc.render.text import render_text


def prices() -> Table:
    return Table([Column("chip"), Column("price", MONEY), Column("share", RATE), Column("units", COUNT)],
                 [["a", 1500.0, 0.25, 400000.0], ["bb", None, 0.125, 2.0]], title="Prices",
                 notes=["* a note"])


def test_a_section_with_a_table() -> None:
    text = render_text([Section("Head", ["line one"], [prices()], "desc")])
    assert text == ("Head\n"
                    "> desc\n"  # free text from a file, set apart (safe.printable_block)
                    "line one\n"
                    "\n"
                    "Prices\n"
                    "chip   price  share  units\n"
                    "----  ------  -----  -----\n"
                    "a     $1.50k    25%   400k\n"
                    "bb         -  12.5%   2.00\n"
                    "* a note\n"
                    "\n")


def test_a_header_of_two_lines_sits_on_the_bottom_line() -> None:
    table = Table([Column("chip"), Column("list\nprice", MONEY)], [["a", 10.0]])
    lines = render_text([Section("H", [], [table])]).splitlines()
    # the price column is as wide as its widest line, "price"; "$10.0" is right-aligned in it
    assert lines[2:6] == ["       list", "chip  price", "----  -----", "a     $10.0"]


def test_only_wrap_columns_fold_to_the_width() -> None:
    source = "word " * 30
    table = Table([Column("chip"), Column("source", wrap=True)], [["a", source.strip()]])
    lines = render_text([Section("H", [], [table])], width=40).splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert sum(1 for line in lines if "word" in line) > 1
    unwrapped = Table([Column("chip"), Column("source")], [["a", source.strip()]])
    assert any(len(line) > 40 for line in render_text([Section("H", [], [unwrapped])], width=40).splitlines())


def test_long_lines_under_a_heading_wrap() -> None:
    text = render_text([Section("H", ["one two three four five six"])], width=10)
    assert text == "H\none two\nthree four\nfive six\n\n"
