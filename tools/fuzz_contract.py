"""The contract of issue 13 on one command's output, shared by tools/fuzz_tree.py and the tests.

CLI.md ("Output", "Exit codes"): no secret, no raw control, bidirectional or zero-width character, no
line forged by a newline inside a one-line field (outside Markdown code fences), no CSV text cell a
spreadsheet would run, the exit codes of each command, and every error line located.
"""

from __future__ import annotations

import csv
import io
import re

CANARY = "CANARY-b41d5e-NEVER-PRINT-ME"
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
"""What must never reach a terminal or a file raw (tab and newline aside: they are layout)."""
FORGED = re.compile(r"^\s*(?:::|#+ forged|forged)", re.MULTILINE)
"""A line that only a newline inside a one-line field (all payloads say `forged`) could start."""
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def allowed_codes(args: list[str]) -> tuple[int, ...]:
    if args[0] == "validate":
        return (0, 1, 2)  # 2 only for a file that cannot be read: checked by its message form
    if args[0] == "report" and "--check" in args:
        return (0, 1, 2)
    return (0, 2)


def message_lines_ok(text: str) -> list[str]:
    """The lines of an error report that are not `FILE:LINE:COL: ...`, `FILE: ...` or `error: ...`."""
    bad = []
    for line in text.splitlines():
        if line.startswith(("error: ", "interrupted")) or re.match(r"^\d+ of \d+ scenarios? invalid$", line):
            continue
        if re.match(r"^(?:--set|[^:\n]+?):\d+:\d+: \S", line):
            continue
        if re.match(r"^[^:\n]+?: (?:no such file|is a directory|is a binary file|is not UTF-8|is more than|is \d+ "
                    r"MiB|cannot be read|missing|stale|orphaned)", line) or line.startswith("update them with:"):
            continue
        bad.append(line)
    return bad


def markdown_outside_fences(text: str) -> list[str]:
    """The lines of Markdown outside fenced code blocks, as CommonMark reads them: a fence closes only on
    a line of its own character, at least as long as the one that opened it."""
    outside, fence = [], None
    for line in text.splitlines():
        stripped = line.lstrip()
        match = re.match(r"^(`{3,}|~{3,})", stripped)
        if fence is None:
            if match:
                fence = match.group(1)
            else:
                outside.append(line)
        elif match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence) \
                and not stripped[len(match.group(1)):].strip():
            fence = None
    return outside


def formula_cells(text: str) -> list[str]:
    """CSV text cells a spreadsheet would run as a formula (numbers such as -0.5 are numbers)."""
    found = []
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            if cell.startswith(FORMULA):
                try:
                    float(cell)
                except ValueError:
                    found.append(cell)
    return found


def check_output(args: list[str], stdout: str, stderr: str, code: int) -> list[tuple[str, str]]:
    """The violations of one command's run, by kind."""
    found = []
    where = " ".join(args[:1] + args[2:])
    for stream, text in (("stdout", stdout), ("stderr", stderr)):
        if CANARY in text or "root:x:0:0" in text:
            found.append(("secret", f"{where}: a secret on {stream}"))
        if CONTROL.search(text):
            char = CONTROL.search(text).group()
            found.append(("control", f"{where}: {char!r} raw on {stream}"))
    markdown = "markdown" in args or args[0] == "report"
    visible = "\n".join(markdown_outside_fences(stdout)) if markdown else stdout
    if FORGED.search(visible) or FORGED.search(stderr):
        found.append(("forged line", f"{where}: {(FORGED.search(visible) or FORGED.search(stderr)).group()!r}"))
    if code not in allowed_codes(args):
        found.append(("exit code", f"{where}: exit {code}: {stderr[-300:]}"))
    elif code == 2 or args[0] == "validate" and code == 1:
        report = stdout + stderr if args[0] == "validate" else stderr
        bad = message_lines_ok(report)
        if bad:
            found.append(("unlocated", f"{where}: exit {code}, lines not FILE:LINE:COL: {bad[:2]}"))
    if code == 0 and "csv" in args and formula_cells(stdout):
        found.append(("csv formula", f"{where}: {formula_cells(stdout)[:2]}"))
    return found
