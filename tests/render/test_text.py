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


def test_wrap_columns_fold_and_other_long_text_moves_to_a_note() -> None:
    source = ("word " * 30).strip()
    table = Table([Column("chip"), Column("source", wrap=True)], [["a", source]])
    lines = render_text([Section("H", [], [table])], width=40).splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert sum(1 for line in lines if line.startswith(("a  ", "   ")) and "word" in line) > 1  # in its column
    unwrapped = Table([Column("chip"), Column("source")], [["a", source]])
    lines = render_text([Section("H", [], [unwrapped])], width=40).splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert "a     [1]" in lines and lines[lines.index("a     [1]") + 1].startswith("[1] a, source: word")


def test_long_lines_under_a_heading_wrap() -> None:
    text = render_text([Section("H", ["one two three four five six"])], width=10)
    assert text == "H\none two\nthree four\nfive six\n\n"


def test_headings_titles_and_descriptions_wrap_too() -> None:
    table = Table([Column("a")], [["1"]], title="a title of several words")
    text = render_text([Section("a heading of words", [], [table], "a description of words")], width=14)
    assert text == ("a heading of\nwords\n"
                    "> a\n> description\n> of words\n"  # every line of a description set after "> "
                    "\na title of\nseveral words\na\n-\n1\n\n")
