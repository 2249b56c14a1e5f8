"""`fit`: a table laid out for a width, one step at a time, never wider and never cut."""

from __future__ import annotations

import re

from hypothesis import given, settings, strategies as st

from chipcalc.render.fit import Grid, fit, wrap_header
from chipcalc.render.layout import MONEY, Column, Table


def lines_of(grid: Grid) -> list[str]:
    """The grid's body as the text renderer lays it out: headers, then every line of every row."""
    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if right else v.ljust(w)
                         for v, w, right in zip(values, grid.widths, grid.right)).rstrip()
    headers = grid.padded_headers()
    body = [line([h[k] for h in headers]) for k in range(len(headers[0]))]
    for row in grid.rows:
        body += [line([cell[k] if k < len(cell) else "" for cell in row]) for k in range(max(map(len, row)))]
    return grid.title + body + grid.notes


def test_a_table_that_fits_is_left_as_it_is() -> None:
    (grid,) = fit(Table([Column("chip"), Column("price", MONEY)], [["h200", 27000.0]], title="Prices"), 80)
    assert grid.headers == [["chip"], ["price"]] and grid.rows == [[["h200"], ["$27.0k"]]]
    assert grid.widths == [4, 6]  # "chip", and "$27.0k" wider than "price"
    assert grid.title == ["Prices"]


def test_headers_wrap_at_hyphens_dots_and_slashes_but_not_inside_numbers() -> None:
    assert wrap_header("levy-passed-through", 7) == ["levy-", "passed-", "through"]
    assert wrap_header("h200.levy_rate", 9) == ["h200.", "levy_rate"]
    assert wrap_header("$/PFLOP/s", 7) == ["$/", "PFLOP/s"]
    assert wrap_header("vs order", 5) == ["vs", "order"]
    assert wrap_header("12.5%", 3) == ["12.5%"]  # no break before a digit: the piece stays whole
    assert wrap_header("-5%", 1) == ["-5%"]


def test_a_header_wider_than_its_cells_wraps_only_when_the_table_is_too_wide() -> None:
    table = Table([Column(""), Column("levy-passed-through", MONEY)], [["spend", 1000.0]])
    assert fit(table, 80)[0].headers[1] == ["levy-passed-through"]
    # 5 + 2 + 19 = 26 columns; wrapped to its longest piece, "passed-" (7): 5 + 2 + 7 = 14
    (grid,) = fit(table, 15)
    assert grid.headers[1] == ["levy-", "passed-", "through"] and grid.widths == [5, 7]


def test_short_forms_replace_whole_cells_with_a_legend_of_those_used() -> None:
    table = Table([Column("rate"), Column("0%"), Column("50%")],
                  [["0%", "h200", "h200"], ["50%", "h200", "ascend_910c"]],
                  short={"h200": "A", "h20": "B", "ascend_910c": "C"})
    assert fit(table, 80)[0].rows[1] == [["50%"], ["h200"], ["ascend_910c"]]  # room enough: names
    # 4 + 2 + 4 + 2 + 11 = 23 columns: too wide for 20; with letters 4 + 2 + 2 + 2 + 3 = 13
    (grid,) = fit(table, 20)
    assert grid.rows == [[["0%"], ["A"], ["A"]], [["50%"], ["A"], ["C"]]]
    assert " ".join(grid.notes) == "A: h200, C: ascend_910c"  # h20 is in no cell, so not in the legend


def test_long_text_moves_to_a_numbered_note_naming_its_row_and_column() -> None:
    source = "S: NVIDIA H20 specifications (dense; TDP 400 W); price R: Reuters"  # 65 characters
    table = Table([Column("input"), Column("old"), Column("new")],
                  [["chips.h20.source", source, source + ", midpoint"], ["chips.h20.price", "$12k", "$13k"]])
    (grid,) = fit(table, 40)
    assert grid.rows == [[["chips.h20.source"], ["[1]"], ["[2]"]], [["chips.h20.price"], ["$12k"], ["$13k"]]]
    assert " ".join(" ".join(grid.notes).split()) == (f"[1] chips.h20.source, old: {source} "
                                                      f"[2] chips.h20.source, new: {source}, midpoint")
    assert all(len(line) <= 40 for line in grid.notes)
    assert grid.notes[1].startswith("    ")  # a note's later lines are indented past its "[1] "


def test_a_wrap_column_folds_into_the_room_the_others_leave() -> None:
    table = Table([Column("chip"), Column("source", wrap=True)], [["h200", "word " * 20]])
    (grid,) = fit(table, 40)
    # 40 - 4 (chip) - 2 (gap) = 34 for the source, folded at spaces
    assert grid.widths == [4, 34] and all(len(line) <= 34 for line in grid.rows[0][1])
    assert " ".join(grid.rows[0][1]) == ("word " * 20).strip()


def test_cells_wrap_at_dots_before_the_table_is_split() -> None:
    table = Table([Column("input"), Column("old", MONEY), Column("new", MONEY)],
                  [["chips.ascend_910c.electricity_usd_per_kwh", 0.05, 0.06]])
    # 41 + 2 + 5 + 2 + 5 = 55 columns; the path wraps after its dots to 23, its longest piece
    (grid,) = fit(table, 40)
    assert grid.rows[0][0] == ["chips.ascend_910c.", "electricity_usd_per_kwh"]
    assert grid.width == 23 + 2 + 5 + 2 + 5


def test_a_wide_table_splits_into_column_groups_that_repeat_the_row_names() -> None:
    columns = [Column("rate")] + [Column(f"{p}%", MONEY) for p in range(0, 100, 10)]
    table = Table(columns, [["25%"] + [1e9 * (10 + p) for p in range(10)]], title="TCO", notes=["a note"])
    groups = fit(table, 40)
    # each money cell is "$10.0B" (6) + 2: the "rate" column (4) + 2 leaves room for 4 a group
    assert [len(g.widths) for g in groups] == [5, 5, 3]
    assert [g.headers[0] for g in groups] == [["rate"]] * 3
    assert [g.title for g in groups] == [["TCO"], ["TCO (continued)"], ["TCO (continued)"]]
    assert [g.notes for g in groups] == [[], [], ["a note"]]
    assert [h[0] for g in groups for h in g.headers[1:]] == [f"{p}%" for p in range(0, 100, 10)]


def test_a_word_wider_than_the_width_is_folded_not_cut() -> None:
    url = "https://example.com/" + "x" * 60
    (grid,) = fit(Table([Column("chip"), Column("source", wrap=True)], [["h200", url]], notes=[url]), 30)
    assert all(len(line) <= 30 for line in lines_of(grid))
    assert "".join(grid.rows[0][1]) == url and "".join(grid.notes) == url


cell_text = st.text(alphabet=st.sampled_from("ab-. 1_%$"), min_size=0, max_size=50)


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.lists(cell_text, min_size=4, max_size=4), min_size=1, max_size=5),
       headers=st.lists(cell_text.filter(lambda h: "\n" not in h), min_size=4, max_size=4),
       wrap=st.booleans(), width=st.integers(min_value=24, max_value=100))
def test_no_line_is_wider_than_the_width_and_no_character_is_lost(rows, headers, wrap, width) -> None:
    table = Table([Column(h, wrap=wrap and i == 3) for i, h in enumerate(headers)], [list(r) for r in rows],
                  title="t " * 30, notes=["n " * 50])
    grids = fit(table, width)
    assert all(len(line) <= width for grid in grids for line in lines_of(grid))
    notes = " ".join(line for grid in grids for line in grid.notes).replace(" ", "")
    for index, row in enumerate(rows):
        # the first column is in every group; each other column in exactly one, in order
        drawn = [grids[0].rows[index][0]] + [cell for grid in grids for cell in grid.rows[index][1:]]
        for text, cell in zip(row, drawn):
            squeezed = "".join(cell).replace(" ", "")
            if re.fullmatch(r"\[\d+\]", squeezed):  # moved to a note, whole
                assert text.replace(" ", "") in notes
            else:
                assert squeezed == text.replace(" ", "")
