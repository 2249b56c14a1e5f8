"""The JSON and CSV renderers: the machine-readable contract's encoding."""

from __future__ import annotations

import pytest

from chipcalc.render.json_csv import render_csv, render_json


def test_json_keeps_key_order_and_full_precision() -> None:
    assert render_json({"b": 0.1 + 0.2, "a": "¥"}) == '{\n  "b": 0.30000000000000004,\n  "a": "¥"\n}\n'


def test_json_refuses_a_nan() -> None:
    with pytest.raises(ValueError):
        render_json({"x": float("nan")})


def test_csv_header_from_every_row_and_empty_cells_for_null() -> None:
    rows = [{"chip": "a", "price": 1.5, "ok": True}, {"chip": "b", "price": None, "extra": False}]
    assert render_csv(rows) == "chip,price,ok,extra\na,1.5,true,\nb,,,false\n"


def test_csv_writes_floats_as_repr_and_quotes_commas() -> None:
    assert render_csv([{"x": 1 / 3, "name": "a, b"}]) == 'x,name\n0.3333333333333333,"a, b"\n'


def test_csv_of_no_rows_is_empty() -> None:
    assert render_csv([]) == ""
