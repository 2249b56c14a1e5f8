"""The JSON and CSV renderers: the machine-readable contract's encoding."""

from __future__ import annotations

import json
from collections import OrderedDict
from enum import Enum, IntEnum
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chipcalc.render.json_csv import render_csv, render_json
from chipcalc.safe import json_safe

from ..conftest import GOLDEN


def dumped(document: object) -> str:
    """What render_json must write, byte for byte: the json module's own indented text."""
    # json's bytes, with the invisible characters escaped as chipcalc escapes them (safe.json_safe)
    return json_safe(json.dumps(document, indent=2, ensure_ascii=False, allow_nan=False)) + "\n"


def test_json_keeps_key_order_and_full_precision() -> None:
    assert render_json({"b": 0.1 + 0.2, "a": "¥"}) == '{\n  "b": 0.30000000000000004,\n  "a": "¥"\n}\n'


@pytest.mark.parametrize("document", [{"x": float("nan")}, {"x": [1.0, float("inf")]}, {float("-inf"): 1}])
def test_json_refuses_a_nan_or_an_infinity(document: dict) -> None:
    with pytest.raises(ValueError):
        render_json(document)


@pytest.mark.parametrize("document", [{"x": {1, 2}}, {"x": [b"bytes"]}, {(1, 2): "tuple key"}])
def test_json_refuses_what_json_cannot_write(document: dict) -> None:
    with pytest.raises(TypeError):
        render_json(document)


@pytest.mark.parametrize("golden", sorted(GOLDEN.glob("*.json")), ids=lambda path: path.name)
def test_json_of_every_golden_document_is_the_json_modules(golden: Path) -> None:
    document = json.loads(golden.read_text(encoding="utf-8"))
    assert render_json(document) == dumped(document)


class Colour(str, Enum):
    red = "red"


class Level(IntEnum):
    high = 3


def test_json_writes_subclasses_and_tuples_as_json_does() -> None:
    document = {"enum": Colour.red, "level": Level.high, "tuple": (1, (2.5, "a")), "empty": [(), {}, []],
                "ordered": OrderedDict(b=1, a=[OrderedDict()]), 1: "int key", 2.5: True, None: None, False: 0}
    assert render_json(document) == dumped(document)


scalars = (st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False)
           | st.text())
keys = st.text() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.booleans() | st.none()
documents = st.dictionaries(keys, st.recursive(
    scalars, lambda inner: st.lists(inner) | st.tuples(inner, inner) | st.dictionaries(keys, inner),
    max_leaves=40))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # shared machines are slow
@given(documents)
def test_json_of_any_document_is_the_json_modules(document: dict) -> None:
    assert render_json(document) == dumped(document)


def test_csv_header_from_every_row_and_empty_cells_for_null() -> None:
    rows = [{"chip": "a", "price": 1.5, "ok": True}, {"chip": "b", "price": None, "extra": False}]
    assert render_csv(rows) == "chip,price,ok,extra\na,1.5,true,\nb,,,false\n"


def test_csv_writes_floats_as_repr_and_quotes_commas() -> None:
    assert render_csv([{"x": 1 / 3, "name": "a, b"}]) == 'x,name\n0.3333333333333333,"a, b"\n'


def test_csv_of_no_rows_is_empty() -> None:
    assert render_csv([]) == ""
