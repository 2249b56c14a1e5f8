"""Text from a file, made safe where it is shown: the escapes, and the quick test that skips them."""

from __future__ import annotations

import pytest

from chipcalc.safe import (INVISIBLE, json_safe, markdown_inline, needs_markdown_care, printable,
                           printable_lines)


def test_every_invisible_character_is_unprintable_to_python() -> None:
    # printable() and its kin skip text that str.isprintable() passes: a character added to INVISIBLE
    # that Python calls printable would never be escaped
    assert [hex(code) for code in INVISIBLE if chr(code).isprintable()] == []


@pytest.mark.parametrize(("text", "shown"), [
    ("h200", "h200"),
    ("华为 Ascend 910C", "华为 Ascend 910C"),
    ("a\u00a0b", "a\u00a0b"),  # a no-break space is not printable to Python, and not ours to escape
    ("two\nlines", "two\\nlines"),
    ("\x1b[31mred", "\\x1b[31mred"),
    ("abc\u202edcba", "abc\\u202edcba"),
    ("zero\u200bwidth", "zero\\u200bwidth"),
    ("\ufeffbom", "\\ufeffbom"),
    ("soft\u00adhyphen", "soft\\xadhyphen"),
])
def test_printable_escapes_the_invisible_and_nothing_else(text: str, shown: str) -> None:
    assert printable(text) == shown
    assert printable_lines(text) == shown.replace("\\n", "\n")


@pytest.mark.parametrize(("text", "shown"), [
    ("ascend_910c", "ascend_910c"),
    ("a | b", "a \\| b"),
    ("`code` and *bold*", "\\`code\\` and \\*bold\\*"),
    ("[link](x)", "[link\\](x)"),
    ("[not a link]", "[not a link]"),
    ("<b>", "\\<b>"),
    ("line\nbreak", "line\\nbreak"),
    ("a\u00a0b", "a\u00a0b"),
    ("x\u202ey", "x\\u202ey"),
])
def test_markdown_inline(text: str, shown: str) -> None:
    assert markdown_inline(text) == shown
    if shown != text:
        assert needs_markdown_care(text)


@pytest.mark.parametrize("text", ["ascend_910c", "$27,000", "华为", "12.5%"])
def test_plain_text_needs_no_markdown_care(text: str) -> None:
    assert not needs_markdown_care(text)


def test_json_safe_escapes_what_json_leaves_raw() -> None:
    assert json_safe('"a\u202eb"') == '"a\\u202eb"'
    assert json_safe('"\u00a0华为"') == '"\u00a0华为"'
    assert json_safe('"\\n"') == '"\\n"'  # json.dumps wrote the newline's escape itself
