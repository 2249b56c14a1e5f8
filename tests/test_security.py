"""Regression tests for the security issue (issue 13): one or more per finding, written before the fixes.

A scenario file is untrusted input (CI runs chipcalc on files from pull requests), so every test here
attacks through the command line, as a hostile file would. Where CLI.md fixes the behaviour
("Output", "Exit codes", "Files chipcalc reads and writes") the test asserts it; where it leaves the
exact words open, the test asserts the contract instead: the exit code, no traceback, FILE:LINE:COL
on every scenario error, no raw control or bidirectional character, no secret echoed, nothing written
outside its place.

Tests that need a real process (signals, a closed stdout, /dev/full, `ulimit -f`, a FIFO, an open
stdin, memory limits) run `python -m chipcalc` in a subprocess with a timeout; the rest use CliRunner.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import resource
import signal
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app

from .conftest import ROOT

sys.path.insert(0, str(ROOT / "tools"))
from fuzz_contract import markdown_outside_fences  # (tools/fuzz_contract.py: one copy of the fence reader)

UNCERTAIN = ROOT / "scenarios" / "h200-2026-uncertain.yaml"
SECONDS = 20
"""How long a command that must not hang may run."""

BASE = """\
name: base
title: Base
chips:
  h200:
    price: $32k
    levy_rate: 25%
    tflops: {bf16: 989}
    source: datasheet
  h20:
    price: $13k
    tflops: {bf16: 148}
orders:
  - name: buyers
    chip: h200
    units: 400k
"""

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
"""What must never reach a terminal or a file raw: C0 controls but tab and newline, DEL, zero-width
and bidirectional characters. (Tab and newline are checked where a one-line field could forge lines.)"""


def run(*args: str, stdin: str | None = None):
    """CliRunner, with the no-traceback part of the contract checked on every call."""
    result = CliRunner().invoke(app, list(args), input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    return result


def process(*args: str, timeout: float = SECONDS, **options) -> subprocess.CompletedProcess:
    """`python -m chipcalc ARGS` in a real process; a timeout is a failure of the test, not a hang of it."""
    options.setdefault("capture_output", "stdout" not in options and "stderr" not in options)
    try:
        return subprocess.run([sys.executable, "-m", "chipcalc", *args], check=False, timeout=timeout, **options)
    except subprocess.TimeoutExpired:
        pytest.fail(f"chipcalc {' '.join(args)} still running after {timeout} s")


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def located(stderr: str, *files: str) -> None:
    """Every line of stderr is `FILE:LINE:COL: ...` for one of `files` (a scenario error, CLI.md)."""
    lines = stderr.splitlines()
    assert lines, "no message at all"
    pattern = re.compile(rf"^(?:{'|'.join(re.escape(f) for f in files)}):\d+:\d+: \S")
    assert [line for line in lines if not pattern.match(line)] == [], stderr


def no_long_quote(text: str, limit: int = 60) -> None:
    """No message quotes more than `limit` characters of a value (plus an ellipsis marker)."""
    quoted = re.findall(r"'([^'\n]*)'|\"([^\"\n]*)\"", text)
    longest = max((len(a or b) for a, b in quoted), default=0)
    assert longest <= limit + 3, f"a value of {longest} characters quoted: {text[:300]!r}"


# 1. report: the scenario's name is a file name -------------------------------------------------


@pytest.mark.parametrize("name", ["../../escaped", "sub/dir", "/ABSOLUTE", "index", "x" * 101, "a b",
                                  "é" * 130, ".hidden\\..\\x", "-x", ".", "..", ".hidden"])
def test_report_name_must_be_a_plain_file_stem(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                               name: str) -> None:
    """A name that is not a plain stem is a validation error at the `name:` line; nothing is written."""
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    name = name.replace("/ABSOLUTE", str(tmp_path / "absolute"))
    write(work, "s.yaml", BASE.replace("name: base", f"name: {name!r}".replace("'", '"')))
    before = sorted(tmp_path.rglob("*"))
    result = run("validate", "s.yaml")
    assert result.exit_code == 1
    assert re.match(r"s\.yaml:1:\d+: name: \S", result.stdout), result.stdout
    for fmt in ("markdown", "json"):
        result = run("report", "s.yaml", "--out", "out", "-f", fmt)
        assert result.exit_code == 2
        located(result.stderr, "s.yaml")
    assert sorted(tmp_path.rglob("*")) == before, "report wrote a file"


def test_report_json_name_cannot_replace_package_json(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "package.json").write_text("{}\n", encoding="utf-8")
    write(tmp_path, "s.yaml", BASE.replace("name: base", "name: ../package"))
    result = run("report", "s.yaml", "--out", "reports", "-f", "json")
    assert result.exit_code == 2
    assert (tmp_path / "package.json").read_text(encoding="utf-8") == "{}\n"


def test_report_check_with_a_name_over_255_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: OSError (File name too long) was a traceback from `report --check`."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    write(tmp_path, "s.yaml", BASE.replace("name: base", "name: " + "x" * 300))
    result = run("report", "s.yaml", "--out", "out", "--check")
    assert result.exit_code == 2
    located(result.stderr, "s.yaml")


def test_two_scenarios_with_one_name_are_an_error_at_the_second(tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: "error: two scenarios are named ..." had no FILE:LINE."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "a.yaml", BASE)
    write(tmp_path, "b.yaml", BASE)
    for command in ("compare", "report"):
        extra = ["--out", "out"] if command == "report" else []
        result = run(command, "a.yaml", "b.yaml", *extra)
        assert result.exit_code == 2
        located(result.stderr, "b.yaml")
        assert result.stderr.startswith("b.yaml:1:"), result.stderr


# 2. and 4. extends: which files may be read --------------------------------------------------------

CANARY = "CANARY-7f3a9c-DO-NOT-PRINT"


def refused_parent(child: Path, shown: str, *, timeout: bool = False) -> None:
    """`compare` exits 2 and `validate` 1 or 2, naming the parent and printing none of its content."""
    for command in ("compare", "validate"):
        if timeout:
            result = process(command, str(child), stdin=subprocess.DEVNULL)
            stdout, stderr, code = result.stdout.decode(), result.stderr.decode(), result.returncode
        else:
            result = run(command, str(child))
            stdout, stderr, code = result.stdout, result.stderr, result.exit_code
        output = stdout + stderr
        assert code == 2 if command == "compare" else code in (1, 2), output
        assert shown in output, output
        assert CANARY not in output and "root:x:0:0" not in output, output
        assert "Traceback" not in output
        no_long_quote(output)


def test_extends_etc_passwd_is_refused_and_not_printed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    refused_parent(write(tmp_path, "s.yaml", "extends: /etc/passwd\n"), "/etc/passwd")


def test_extends_a_secret_outside_the_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A file in no repository may extend only files in its own directory or the current one."""
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.yaml").write_text(f"{CANARY} {'x' * 200}\n", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    refused_parent(write(work, "s.yaml", "extends: ../outside/secret.yaml\n"), "secret.yaml")


def test_extends_a_valid_scenario_outside_the_work_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside a git work tree, a parent must be in that work tree, even a harmless one."""
    repo, other = tmp_path / "repo", tmp_path / "other"
    repo.mkdir()
    other.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    write(other, "parent.yaml", BASE)
    monkeypatch.chdir(repo)
    refused_parent(write(repo, "s.yaml", "extends: ../other/parent.yaml\nname: child\n"), "parent.yaml")


def test_extends_a_symlink_that_leaves_the_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After resolving symlinks: `p.yaml -> /etc/passwd` is /etc/passwd."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.yaml").symlink_to("/etc/passwd")
    refused_parent(write(tmp_path, "s.yaml", "extends: p.yaml\n"), "p.yaml")


def test_extends_a_file_that_is_not_yaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, ".env", f"TOKEN={CANARY}\n")
    refused_parent(write(tmp_path, "s.yaml", "extends: .env\n"), ".env")
    write(tmp_path, "parent.txt", BASE)  # a valid scenario, but not a .yaml file
    refused_parent(write(tmp_path, "t.yaml", "extends: parent.txt\nname: t\n"), "parent.txt")


def test_extends_a_fifo_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "fifo.yaml")
    refused_parent(write(tmp_path, "s.yaml", "extends: fifo.yaml\n"), "fifo.yaml", timeout=True)


def test_extends_dev_stdin_with_stdin_open_does_not_hang(tmp_path: Path) -> None:
    child = write(tmp_path, "s.yaml", "extends: /dev/stdin\n")
    reader, writer = os.pipe()  # stdin open, and nothing ever written to it
    try:
        for command in ("compare", "validate"):
            result = process(command, str(child), stdin=reader)
            assert result.returncode in ((2,) if command == "compare" else (1, 2))
            assert b"/dev/stdin" in result.stderr + result.stdout
            assert b"Traceback" not in result.stderr
    finally:
        os.close(reader)
        os.close(writer)


# 3. YAML core tags with values they cannot take ------------------------------------------------

BAD_TAGS = ["!!float", "!!float .", "!!int -", "!!int _", "!!bool maybe", "!!timestamp x"]


PLACES = {"block": ("price: $32k", "price: {tag}", "s.yaml:5:"),
          "flow": ("tflops: {bf16: 989}", "tflops: {{bf16: {tag}}}", "s.yaml:7:")}
"""Where the tag goes: `price: TAG` (where `!!int -` is a YAML syntax error) and `{bf16: TAG}`."""


@pytest.mark.parametrize("place", sorted(PLACES))
@pytest.mark.parametrize("tag", BAD_TAGS)
def test_core_tag_with_a_bad_value_in_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tag: str,
                                             place: str) -> None:
    monkeypatch.chdir(tmp_path)
    line, replacement, location = PLACES[place]
    write(tmp_path, "s.yaml", BASE.replace(line, replacement.format(tag=tag), 1))
    result = run("validate", "s.yaml")
    assert result.exit_code == 1
    assert result.stdout.startswith(location), result.stdout
    for command in ("compare", "chips", "levy", "breakeven", "sensitivity"):
        result = run(command, "s.yaml")
        assert result.exit_code == 2, (command, result.stderr)
        located(result.stderr, "s.yaml")


@pytest.mark.parametrize("path", ["chips.h200.price", "chips.h200.tflops.bf16"])
@pytest.mark.parametrize("tag", BAD_TAGS)
def test_core_tag_with_a_bad_value_in_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, tag: str,
                                          path: str) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", BASE)
    result = run("compare", "s.yaml", "--set", f"{path}={tag}")
    assert result.exit_code == 2
    located(result.stderr, "--set")
    result = run("validate", "s.yaml", "--set", f"{path}={tag}")
    assert result.exit_code == 1
    assert result.stdout.startswith("--set:1:"), result.stdout


# 5. more tracebacks ---------------------------------------------------------------------


@pytest.mark.parametrize("metric", ["spend_usd", "demand_tflops", "vendor_net_usd"])
def test_explain_an_order_field_for_a_chip(tmp_path: Path, metric: str) -> None:
    """Regression: KeyError traceback (exit 1). A per-order field with --chip is explained or refused."""
    path = write(tmp_path, "s.yaml", BASE)
    result = run("explain", str(path), metric, "--chip", "h20")
    assert result.exit_code in (0, 2), result.stderr
    if result.exit_code == 2:
        assert result.stderr.strip(), "exit 2 without a message"


@pytest.mark.parametrize("command", [
    ["sweep", "--vary", "chips.h200.price=10k:20k:5k"],
    ["sensitivity"],
])
def test_plot_into_a_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]) -> None:
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", BASE)
    result = run(command[0], "s.yaml", *command[1:], "--plot", "missing/plot.svg")
    assert result.exit_code == 2
    assert "missing" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_simulate_plot_into_a_missing_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    result = run("simulate", str(UNCERTAIN), "-n", "200", "--plot", "missing/plot.svg")
    assert result.exit_code == 2
    assert "missing" in result.stderr


def test_a_closed_stdout(tmp_path: Path) -> None:
    """Regression: AttributeError traceback, exit 1. Output that cannot be written is exit 2."""
    path = write(tmp_path, "s.yaml", BASE)
    for fmt in ("table", "json"):
        result = process("compare", str(path), "-f", fmt, stdout=None, stderr=subprocess.PIPE,
                         preexec_fn=lambda: os.close(1))
        assert result.returncode == 2, result.stderr.decode()
        assert b"Traceback" not in result.stderr and result.stderr.strip()


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_a_full_disk(tmp_path: Path, fmt: str) -> None:
    path = write(tmp_path, "s.yaml", BASE)
    with open("/dev/full", "w") as full:
        result = process("compare", str(path), "-f", fmt, stdout=full, stderr=subprocess.PIPE)
    assert result.returncode == 2, result.stderr.decode()
    assert b"Traceback" not in result.stderr and result.stderr.strip()


def test_a_file_size_limit_is_an_error_not_a_truncation(tmp_path: Path) -> None:
    """Regression: under `ulimit -f` stdout was cut off and the exit code was 0."""
    path = write(tmp_path, "s.yaml", BASE)
    limit = 1024

    def small_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    with (tmp_path / "out.json").open("w") as out:
        result = process("compare", str(path), "-f", "json", stdout=out, stderr=subprocess.PIPE,
                         preexec_fn=small_files)
    assert (tmp_path / "out.json").stat().st_size == limit  # the output is larger than the limit
    assert result.returncode == 2, result.stderr.decode()
    assert b"Traceback" not in result.stderr and result.stderr.strip()


# 6. output injection ---------------------------------------------------------------------

INJECTION = """\
name: inj
title: "Title | pipe\\n::error file=x::forged title\\n<script>x</script>"
description: "Desc\\n```\\n# Injected heading\\n````\\n~~~\\n# Also injected\\n"
chips:
  h200:
    price: $32k
    levy_rate: 25%
    tflops: {bf16: 989}
    source: "datasheet\\n::add-mask::forged source"
  h20:
    name: "H20\\n::warning::forged chip"
    price: $13k
    tflops: {bf16: 148}
orders:
  - name: "buyers | x\\n::error::forged order"
    chip: h200
    units: 400k
"""

FORGED = re.compile(r"^\s*(?:::|# Injected|# Also injected|forged)", re.MULTILINE)
"""A line that only a newline inside a one-line field could start."""
RAW_HTML = re.compile(r"(?<!\\)<script>")
"""The title's HTML, unescaped (`\\<script>` and `&lt;script>` are text)."""


@pytest.fixture
def injection(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return write(tmp_path, "inj.yaml", INJECTION)


@pytest.mark.parametrize("command", [["compare"], ["chips"], ["levy"], ["breakeven"], ["sensitivity"],
                                     ["explain", "tco_usd"], ["explain", "buyer_price_usd", "--chip", "h200"]])
def test_text_output_cannot_forge_lines(injection: Path, command: list[str]) -> None:
    """A newline in a title, order name, chip name or source forged lines, GitHub workflow commands among them."""
    result = run(command[0], "inj.yaml", *command[1:])
    assert result.exit_code == 0, result.stderr
    assert not FORGED.search(result.stdout), result.stdout
    assert not FORGED.search(result.stderr), result.stderr


def test_markdown_output_cannot_be_restructured(injection: Path) -> None:
    for command in ("compare", "chips", "levy"):
        result = run(command, "inj.yaml", "-f", "markdown")
        assert result.exit_code == 0
        outside = markdown_outside_fences(result.stdout)
        assert not [line for line in outside if FORGED.match(line)], result.stdout
        assert not RAW_HTML.search(result.stdout), result.stdout


def test_report_markdown_cannot_be_restructured(injection: Path) -> None:
    """A code fence in the description closed chipcalc's fence; a newline in the title broke its heading."""
    result = run("report", "inj.yaml", "--out", "out")
    assert result.exit_code == 0, result.stderr
    report = (injection.parent / "out" / "inj.md").read_text(encoding="utf-8")
    outside = markdown_outside_fences(report)
    assert not [line for line in outside if FORGED.match(line)], report
    assert not RAW_HTML.search(report), report


def test_report_index_cells_are_escaped(injection: Path) -> None:
    """Each scenario is one row of the index table, with as many cells as its header."""
    assert run("report", "inj.yaml", "--out", "out").exit_code == 0
    index = (injection.parent / "out" / "index.md").read_text(encoding="utf-8")
    rows = [line for line in index.splitlines() if line.startswith("|")]
    cells = [len(re.findall(r"(?<!\\)\|", row)) for row in rows]
    assert len(rows) == 3 and len(set(cells)) == 1, index
    assert not FORGED.search(index), index


FORMULA_STARTS = ["=", "+", "-", "@", "\t", "\r"]


def csv_cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.parametrize("start", FORMULA_STARTS, ids=["eq", "plus", "minus", "at", "tab", "cr"])
def test_csv_text_cells_are_never_formulas(tmp_path: Path, start: str) -> None:
    """An order name, a chip name and a source that a spreadsheet would run (JSON strings are YAML too)."""
    text = (BASE.replace("name: buyers", f"name: {json.dumps(start + 'HYPERLINK(1)')}")
            .replace("source: datasheet", f"source: {json.dumps(start + 'cmd|/C calc!A0')}")
            .replace("  h20:\n", f"  h20:\n    name: {json.dumps(start + '2+3')}\n"))
    path = write(tmp_path, "s.yaml", text)
    if start != "\r":  # a carriage return in a one-line field may be refused instead
        assert run("validate", str(path)).exit_code == 0
    for command in ("compare", "chips", "levy"):
        result = run(command, str(path), "-f", "csv")
        assert result.exit_code == (2 if start == "\r" and result.exit_code else 0), result.stderr
        for row in csv_cells(result.stdout):
            for key, cell in row.items():
                assert _is_number(cell or "0") or not (cell or "").startswith(tuple(FORMULA_STARTS)), \
                    (command, key, cell)


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def test_csv_keys_that_start_with_a_minus(tmp_path: Path) -> None:
    """A chip key may start with `-`: as CSV text, quoted. (A scenario name may not: it names a file,
    and must start with a letter or digit, README "Untrusted scenario files".)"""
    path = write(tmp_path, "s.yaml", BASE.replace("  h20:", "  -h20:"))
    result = run("compare", str(path), "-f", "csv")
    assert result.exit_code == 0
    rows = csv_cells(result.stdout)
    assert {row["chip"] for row in rows} == {"h200", "'-h20"}
    path = write(tmp_path, "t.yaml", BASE.replace("name: base", 'name: "-2-3"'))
    result = run("validate", str(path))
    assert result.exit_code == 1 and result.stdout.startswith(f"{path}:1:7: name: "), result.stdout


def test_csv_numbers_are_never_altered(tmp_path: Path) -> None:
    """The h20 order's vs_order for h200 is negative: a number, written as one."""
    path = write(tmp_path, "s.yaml", BASE.replace("chip: h200\n    units", "chip: h20\n    units"))
    rows = csv_cells(run("compare", str(path), "-f", "csv").stdout)
    h200 = next(row for row in rows if row["chip"] == "h200")
    assert float(h200["vs_order"]) < 0 and not h200["vs_order"].startswith("'")


BIDI = BASE.replace("title: Base", 'title: "Ba\\u202ese"').replace(
    "  - name: buyers\n    chip: h200\n    units: 400k\n",
    '  - name: a\n    chip: h200\n    units: 400k\n  - name: "a\\u200b"\n    chip: h20\n    units: 1k\n')


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv"])
def test_bidi_and_zero_width_characters_are_escaped(tmp_path: Path, fmt: str) -> None:
    """Two orders `a` and `a` + U+200B looked identical; U+202E reversed what followed it."""
    path = write(tmp_path, "s.yaml", BIDI)
    result = run("compare", str(path), "-f", fmt)
    assert result.exit_code == 0
    assert not CONTROL.search(result.stdout), repr(result.stdout[:500])
    assert "\\u200b" in result.stdout
    assert fmt == "csv" or "\\u202e" in result.stdout  # the title is in no CSV column


def test_bidi_in_an_error_message_is_escaped(tmp_path: Path) -> None:
    path = write(tmp_path, "s.yaml", BASE.replace("chip: h200\n    units", 'chip: "h2\\u202e00"\n    units'))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert not CONTROL.search(result.stdout) and "\\u202e" in result.stdout, repr(result.stdout)


def test_escape_codes_in_a_parent_file_name_are_escaped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: the FILE part of an error location was printed raw."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p\x1b[31m.yaml").write_text("chips: {h200: {price: 0, tflops: {bf16: 1}}}\n", encoding="utf-8")
    write(tmp_path, "s.yaml", 'extends: "p\\e[31m.yaml"\n')
    for command in ("validate", "compare"):
        result = run(command, "s.yaml")
        assert result.exit_code in (1, 2)
        output = result.stdout + result.stderr
        assert "\x1b" not in output and "\\x1b" in output, repr(output)


def test_escape_codes_in_a_file_name_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "s\x1b]0;owned\x07.yaml"
    path.write_text("chips: {h200: {price: 0, tflops: {bf16: 1}}}\n", encoding="utf-8")
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert not CONTROL.search(result.stdout + result.stderr), repr(result.stdout)


# 7. resource amplification --------------------------------------------------------------


def many_chips(chips: int, orders: int) -> str:
    lines = ["chips:", "  c0: &c {price: 1k, tflops: {bf16: 1}}"]
    lines += [f"  c{i}: *c" for i in range(1, chips)]
    lines += ["orders:"] + [f"  - {{chip: c{i}, units: 1}}" for i in range(orders)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("command", ["compare", "sensitivity"])
def test_chips_times_orders_is_limited(tmp_path: Path, command: str) -> None:
    """Regression: a 24 KB file of 2,000 aliased chips times 40 orders took 40 s (compare), 156 s
    (sensitivity). Now a located error, at once."""
    path = write(tmp_path, "s.yaml", many_chips(2000, 40))
    assert path.stat().st_size < 30_000
    result = process(command, str(path), "-f", "json", timeout=15)
    assert result.returncode == 2, result.stderr.decode()[-500:]
    located(result.stderr.decode(), str(path))


def test_simulate_samples_are_limited() -> None:
    """Regression: `simulate -n 1000000000` was accepted, and ran for hours without a word off a terminal."""
    result = process("simulate", str(UNCERTAIN), "-n", "1000000000", "-f", "json", timeout=15)
    assert result.returncode == 2
    assert b"Traceback" not in result.stderr and re.search(rb"sample|-n\b", result.stderr), result.stderr


def test_the_largest_sweep_stays_in_memory(tmp_path: Path) -> None:
    """Regression: the largest sweep allowed (about 10^7 points, JSON) peaked at 7.3 GB and died with a
    MemoryError traceback. Under a 1 GiB address-space limit it must finish or refuse, never crash."""
    path = write(tmp_path, "s.yaml", BASE)
    limit = 2**30

    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    with (tmp_path / "out.json").open("wb") as out:
        result = process("sweep", str(path), "--vary", "chips.h200.price=1k:3162k:1k", "--vary",
                         "chips.h20.price=1k:3162k:1k", "-f", "json", stdout=out, stderr=subprocess.PIPE,
                         preexec_fn=bounded, timeout=300)
    assert b"MemoryError" not in result.stderr and b"Traceback" not in result.stderr
    assert result.returncode in (0, 2)


# 8. interrupted writes --------------------------------------------------------------------

HARNESS = """\
import os, signal, sys, time
number = getattr(signal, sys.argv[1])
def interrupt(real):
    def hooked(*args, **kwargs):
        sys.stderr.write("HOOK\\n"); sys.stderr.flush()
        os.kill(os.getpid(), number)
        time.sleep(5)  # the signal arrives here, with the temporary file written and not yet renamed
        return real(*args, **kwargs)
    return hooked
os.replace, os.rename = interrupt(os.replace), interrupt(os.rename)
sys.argv = ["chipcalc", *sys.argv[2:]]
from chipcalc.cli import main
main()
"""
"""Runs chipcalc with a signal sent to itself at the one moment that matters: the temporary file is
whole and about to be renamed over the target (os.replace and os.rename are how a file is put in place)."""


def interrupted(signal_name: str, *args: str, cwd: Path) -> subprocess.CompletedProcess:
    try:
        result = subprocess.run([sys.executable, "-c", HARNESS, signal_name, *args], cwd=cwd, check=False,
                                capture_output=True, timeout=SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(f"chipcalc {' '.join(args)} under {signal_name} still running after {SECONDS} s")
    assert b"HOOK" in result.stderr, "the write was never interrupted: " + result.stderr.decode()[-300:]
    return result


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_an_interrupted_output_leaves_no_temporary_file(tmp_path: Path, signal_name: str) -> None:
    """Regression (SIGTERM, SIGHUP): `.NAME.*.tmp` files of 10-23 MB were left; the target stayed intact."""
    write(tmp_path, "s.yaml", BASE)
    (tmp_path / "out.json").write_text("old\n", encoding="utf-8")
    result = interrupted(signal_name, "compare", "s.yaml", "-o", "out.json", cwd=tmp_path)
    assert result.returncode != 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json", "s.yaml"]
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == "old\n"


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_an_interrupted_report_leaves_no_temporary_file(tmp_path: Path, signal_name: str) -> None:
    write(tmp_path, "a.yaml", BASE)
    write(tmp_path, "b.yaml", BASE.replace("name: base", "name: other"))
    result = interrupted(signal_name, "report", "a.yaml", "b.yaml", "--out", "out", cwd=tmp_path)
    assert result.returncode != 0
    leftovers = [p.name for p in (tmp_path / "out").iterdir()] if (tmp_path / "out").exists() else []
    assert [name for name in leftovers if name not in ("base.md", "other.md", "index.md")] == []


def test_report_check_names_the_file_a_killed_report_left(tmp_path: Path) -> None:
    """SIGKILL cannot be caught: the temporary file stays, and `report --check` must say so (exit 1)."""
    write(tmp_path, "a.yaml", BASE)
    assert run("report", str(tmp_path / "a.yaml"), "--out", str(tmp_path / "out")).exit_code == 0
    write(tmp_path, "a.yaml", BASE.replace("title: Base", "title: Base, edited"))  # a report to rewrite
    result = interrupted("SIGKILL", "report", "a.yaml", "--out", "out", cwd=tmp_path)
    assert result.returncode == -signal.SIGKILL
    stale = [p.name for p in (tmp_path / "out").iterdir() if p.name not in ("base.md", "index.md")]
    assert stale, "the killed report left nothing to find"
    result = run("report", str(tmp_path / "a.yaml"), "--out", str(tmp_path / "out"), "--check")
    assert result.exit_code == 1
    for name in stale:
        assert name in result.stderr, result.stderr


# 9. what -o may replace ------------------------------------------------------------------


def test_output_refuses_a_symlink(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", BASE)
    (tmp_path / "target.txt").write_text("keep\n", encoding="utf-8")
    (tmp_path / "link.json").symlink_to("target.txt")
    result = run("compare", "s.yaml", "-o", "link.json")
    assert result.exit_code == 2
    assert "link.json" in result.stderr
    assert (tmp_path / "link.json").is_symlink()
    assert (tmp_path / "target.txt").read_text(encoding="utf-8") == "keep\n"


def test_output_refuses_a_fifo(tmp_path: Path) -> None:
    write(tmp_path, "s.yaml", BASE)
    os.mkfifo(tmp_path / "out.json")
    result = process("compare", "s.yaml", "-o", "out.json", cwd=tmp_path)
    assert result.returncode == 2
    assert b"out.json" in result.stderr and b"Traceback" not in result.stderr
    assert stat.S_ISFIFO((tmp_path / "out.json").lstat().st_mode)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="only root can make a device node")
def test_output_refuses_a_device(tmp_path: Path) -> None:
    """As root, `-o /dev/null` replaced the device; a private copy of the null device stands in for it."""
    write(tmp_path, "s.yaml", BASE)
    device = tmp_path / "null"
    os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    result = process("compare", "s.yaml", "-o", "null", "-f", "json", cwd=tmp_path)
    assert result.returncode == 2
    assert stat.S_ISCHR(device.lstat().st_mode)


@pytest.mark.parametrize("command", ["compare", "validate"])
def test_output_refuses_its_own_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parent.yaml", BASE)
    write(tmp_path, "s.yaml", "extends: parent.yaml\nname: child\n")
    for target in ("s.yaml", "./s.yaml", "parent.yaml"):
        result = run(command, "s.yaml", "-o", target, "-f", "json")
        assert result.exit_code == 2, (target, result.stderr)
    assert (tmp_path / "parent.yaml").read_text(encoding="utf-8") == BASE
    assert (tmp_path / "s.yaml").read_text(encoding="utf-8") == "extends: parent.yaml\nname: child\n"


def test_output_keeps_an_existing_files_mode(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "s.yaml", BASE)
    (tmp_path / "out.json").write_text("old\n", encoding="utf-8")
    (tmp_path / "out.json").chmod(0o600)
    assert run("compare", "s.yaml", "-o", "out.json").exit_code == 0
    assert stat.S_IMODE((tmp_path / "out.json").stat().st_mode) == 0o600
    assert (tmp_path / "out.json").read_text(encoding="utf-8").startswith("{")


# 10. smaller -------------------------------------------------------------------------------


@pytest.mark.parametrize("rate", ["1e-9%", "1e-8%", "0.00000001%"])
def test_a_tiny_rate_in_percent_hits_the_smallest_value_check(tmp_path: Path, rate: str) -> None:
    """1e-9% is 1e-11: below the smallest value (1e-9) a number may have unless it is 0."""
    path = write(tmp_path, "s.yaml", BASE.replace("levy_rate: 25%", f"levy_rate: {rate}"))
    result = run("validate", str(path))
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:6:16: chips.h200.levy_rate: "), result.stdout
