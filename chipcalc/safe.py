"""Text from a scenario file, made safe for each place it is shown (CLI.md, "Output").

A scenario file is untrusted input: CI runs chipcalc on files from pull requests. Its names,
titles, descriptions and sources may hold newlines that forge output lines (GitHub Actions reads
`::error::` at the start of any line), terminal escapes, bidirectional overrides and invisible
characters that make two names look alike, Markdown that restructures a report, or a spreadsheet
formula. Every renderer and every error message passes such text through one of these functions.
"""

from __future__ import annotations

import re

INVISIBLE = (*range(0x20), 0x7F, *range(0x80, 0xA0), 0xAD, 0x61C, 0x180E, *range(0x200B, 0x2010),
             0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0xFEFF)
"""C0 and C1 controls, DEL, soft hyphen, the Arabic letter mark, zero-width and bidirectional
controls, line and paragraph separators, invisible operators and the byte-order mark."""

_ESCAPES = {code: repr(chr(code))[1:-1] for code in INVISIBLE}
# str.isprintable() is False for every character of INVISIBLE (tests/test_safe.py holds it to that),
# so it tells in one scan in C whether a text has anything to escape, without a regular expression
# over a hundred code points to compile at start-up: a report escapes hundreds of cells, nearly all
# with nothing to escape.

MAX_QUOTED = 60
"""The most characters of a value from a file that a message quotes: a message names a value, it
does not publish a file (a parent that is `~/.netrc` must not reach a CI log)."""


def printable(text: str) -> str:
    """One line of terminal text: newlines, control, bidirectional and invisible characters escaped
    (`\\n`, `\\x1b`, `\\u202e`), so a field stays on its line and cannot send codes to the terminal."""
    return text if text.isprintable() else text.translate(_ESCAPES)


def printable_lines(text: str) -> str:
    """Text of several lines (a message of several problems): as `printable`, newlines kept, and no
    line a CI log command (`no_command`)."""
    return "\n".join(no_command(printable(line)) for line in text.split("\n"))


def no_command(line: str) -> str:
    """A line of output that starts, after spaces, with `::` gets a `\\` before it: GitHub Actions runs
    such a line of a log as a workflow command (`::error::`, `::add-mask::`), and a title, an order's
    name or a file's name can start a line of chipcalc's output without any newline in it."""
    text = line.lstrip()
    return f"{line[:len(line) - len(text)]}\\{text}" if text.startswith("::") else line


def printable_block(text: str) -> str:
    """Free text of several lines (a description) for a terminal or a log: each line escaped and
    set after `> `, so that none can pass for a line of chipcalc's own or for a CI log command
    (GitHub Actions runs `::error::` or `::add-mask::` at the start of a line)."""
    return "\n".join(f"> {printable(line)}".rstrip() for line in text.split("\n"))


def quoted(value: str) -> str:
    """A value from a file as a message quotes it: escaped, and cut to MAX_QUOTED characters."""
    shown = printable(value)
    if len(shown) > MAX_QUOTED:
        shown = shown[:MAX_QUOTED] + "..."
    return repr(shown) if "'" in shown else f"'{shown}'"


_MARKDOWN_SPECIAL = re.compile(r"([\\`*<|]|\](?=\())")
_MARKDOWN_CARE = re.compile(r"[\\`*<|\]]")
"""A character `markdown_inline` may escape: most cells (numbers, keys, names) have none."""


def needs_markdown_care(text: str) -> bool:
    """Whether `markdown_inline` may change `text`: False means it would change nothing (True
    also for a no-break space and the like, which are not printable but shown as they are)."""
    return not text.isprintable() or _MARKDOWN_CARE.search(text) is not None


def markdown_inline(text: str) -> str:
    """Text inside a Markdown heading, list item or table cell: one line (so no heading or list can
    start), and nothing that makes code, emphasis, raw HTML, a link or a cell border."""
    if not needs_markdown_care(text):  # two scans cost a tenth of a substitution
        return text
    return printable(_MARKDOWN_SPECIAL.sub(r"\\\1", text))


def markdown_fenced(text: str, info: str = "text") -> str:
    """`text` as a fenced code block whose fence is longer than any run of backticks inside it, so
    the text cannot close it."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{printable_lines(text)}\n{fence}\n"


_JSON_ESCAPES = {code: f"\\u{code:04x}" for code in INVISIBLE if code >= 0x20}
"""json.dumps escapes C0 controls itself; the rest it leaves raw when ensure_ascii is off."""


def json_safe(text: str) -> str:
    """JSON text with the invisible characters of `INVISIBLE` written as `\\uXXXX` escapes: the same
    strings to a JSON reader, nothing raw for a terminal or a log that shows the file."""
    return text.translate(_JSON_ESCAPES)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """A CSV text cell: escaped as terminal text, with a leading `'` when a spreadsheet would run it
    as a formula (numbers are never passed here, so they are never altered)."""
    return "'" + printable(text) if text.startswith(_FORMULA_START) else printable(text)


FILE_STEM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
"""A report's file name without its extension: it stays inside `--out` and means the same on every
file system (no separators, no `..`, no hidden files, at most 100 characters)."""


def stem_problem(name: str) -> str | None:
    """Why `name` cannot be a report's file name, or None when it can."""
    if name.lower() == "index":
        return "'index' is the name of the report index: choose another name"
    if FILE_STEM.fullmatch(name):
        return None
    return (f"{quoted(name)} is not a plain file name: a name is at most 100 letters, digits, '.', '_' "
            "or '-', starting with a letter or digit (it names the report file)")
