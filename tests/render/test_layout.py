"""`show`: how a raw value reads in a table, by its column's display kind."""

from __future__ import annotations

import pytest

from chipcalc.render.layout import COUNT, MONEY, NUMBER, RATE, TEXT, Column, Table, cells, show


@pytest.mark.parametrize(("value", "kind", "shown"), [
    (1500.0, MONEY, "$1.50k"),         # three significant figures, a k suffix
    (0.25, RATE, "25%"),               # a fraction as a percentage
    (0.125, RATE, "12.5%"),
    (400000.0, COUNT, "400k"),         # a count is always abbreviated
    (400000.0, NUMBER, "400,000"),     # a whole number below a million is written in full
    (1234567.0, NUMBER, "1.23M"),      # and a larger one abbreviated
    (2.5, NUMBER, "2.50"),
    (None, MONEY, "-"),                # no value
    ("never", MONEY, "never"),         # text is shown as written, whatever the column
    (3, TEXT, "3"),
])
def test_show_by_kind(value: object, kind, shown: str) -> None:
    assert show(value, kind) == shown


def test_text_columns_align_left_and_numbers_right() -> None:
    assert not Column("chip").right_aligned
    assert Column("price", MONEY).right_aligned


def test_cells_show_each_value_by_its_columns_kind() -> None:
    table = Table([Column("chip"), Column("price", MONEY), Column("share", RATE)], [["a", 2000.0, 0.5]])
    assert cells(table) == [["a", "$2.00k", "50%"]]
