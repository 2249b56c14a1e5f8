"""Broken and hostile scenario files through the command line (the hardening issue, CLI.md).

Every case checks the exit code (2 for `compare`; 1 for `validate`, 2 for
every command when the file cannot be read at all), the exact message
`FILE:LINE:COL: PATH: message` (or `FILE: message`), and that no traceback
reaches the user. `compare` prints problems on stderr; `validate` reports
them as its result on stdout, with its summary on stderr.

Fixtures: tests/invalid/*.yaml with their messages from tests/loader/test_messages.py,
tests/invalid/hostile/*.yaml (in a folder of their own, so the loader's table
of tests/invalid/*.yaml stays whole), and binary or huge files generated in
tmp_path. The hostile cases (code execution, alias bombs, deep nesting, huge
files, devices) are bounded in time and memory.
"""

from __future__ import annotations

import os
import stat
import sys
import time
import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc.cli import app

from .conftest import ROOT
from .loader.test_messages import EXPECTED

INVALID = ROOT / "tests" / "invalid"
HOSTILE = INVALID / "hostile"
SUMMARY = "1 of 1 scenario invalid\n"


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so files are labelled tests/invalid/x.yaml."""
    monkeypatch.chdir(ROOT)


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.stdout and "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result


def lines(messages: list[str]) -> str:
    return "".join(f"{message}\n" for message in messages)


def assert_refused(path: str | Path, messages: list[str], *sets: str) -> None:
    """`compare` exits 2 with exactly `messages` on stderr; `validate` exits 1 and reports them."""
    options = [option for assignment in sets for option in ("--set", assignment)]
    result = run("compare", str(path), "-f", "json", *options)
    assert (result.exit_code, result.stderr, result.stdout) == (2, lines(messages), "")
    result = run("validate", str(path), *options)
    assert (result.exit_code, result.stdout, result.stderr) == (1, lines(messages), SUMMARY)


def assert_unreadable(path: str | Path, message: str) -> None:
    """Every command exits 2 with `FILE: message`: the file cannot be read at all."""
    for command in ("compare", "validate", "chips"):
        result = run(command, str(path))
        assert (result.exit_code, result.stderr, result.stdout) == (2, f"{message}\n", "")


# The files of tests/invalid/, through the command line -------------------------------


@pytest.mark.parametrize("name", [
    "empty.yaml", "top-level-list.yaml", "yaml-syntax.yaml", "duplicate-key.yaml", "tabs.yaml", "nan.yaml",
    "zero-tflops.yaml", "zero-utilization.yaml", "zero-price.yaml", "levy-rate-100pct.yaml",
    "range-low-above-high.yaml", "range-mode-outside.yaml", "range-unknown-dist.yaml", "missing-fx.yaml",
    "units-and-budget.yaml", "neither-units-nor-budget.yaml", "order-unknown-chip.yaml",
    "platform-without-migration.yaml", "extends-missing.yaml", "extends-cycle-a.yaml", "python-tag.yaml",
])
def test_invalid_file_through_the_cli(name: str) -> None:
    assert_refused(f"tests/invalid/{name}", EXPECTED[name])


HOSTILE_EXPECTED = {
    "comments-only.yaml": [
        "tests/invalid/hostile/comments-only.yaml:1:1: is empty: a scenario needs at least `chips:`",
    ],
    "top-level-scalar.yaml": [
        "tests/invalid/hostile/top-level-scalar.yaml:1:1: must be a mapping of keys (name, assumptions, chips, "
        "orders, ...), not 42",
    ],
    "top-level-text.yaml": [
        "tests/invalid/hostile/top-level-text.yaml:1:1: must be a mapping of keys (name, assumptions, chips, "
        "orders, ...), not 'just some text'",
    ],
    # YAML syntax: the line and column of the fault, and where the construct it breaks began.
    "unclosed-quote.yaml": [
        "tests/invalid/hostile/unclosed-quote.yaml:5:1: invalid YAML: found unexpected end of stream "
        "(while scanning a quoted scalar that starts at line 3, column 12)",
    ],
    "unclosed-list.yaml": [
        "tests/invalid/hostile/unclosed-list.yaml:5:7: invalid YAML: did not find expected ',' or ']' "
        "(while parsing a flow sequence that starts at line 4, column 13)",
    ],
    "bad-indent.yaml": [
        "tests/invalid/hostile/bad-indent.yaml:4:4: invalid YAML: did not find expected key "
        "(while parsing a block mapping that starts at line 2, column 3)",
    ],
    "colon-in-value.yaml": [
        "tests/invalid/hostile/colon-in-value.yaml:5:22: invalid YAML: mapping values are not allowed in this "
        "context",
    ],
    "lognormal-low-zero.yaml": [
        "tests/invalid/hostile/lognormal-low-zero.yaml:3:12: chips.h200.price: a lognormal range needs a "
        "positive low",
    ],
    "unknown-currency.yaml": [
        "tests/invalid/hostile/unknown-currency.yaml:3:12: chips.h200.price: is in XYZ, which has no exchange "
        "rate: add assumptions.fx.XYZ (USD per XYZ)",
    ],
    "unknown-currency-symbol.yaml": [
        "tests/invalid/hostile/unknown-currency-symbol.yaml:5:12: chips.h200.price: must be an amount of money "
        "such as $32k, ¥200k or 200k CNY (got '€32k')",
    ],
    "zero-units.yaml": [
        "tests/invalid/hostile/zero-units.yaml:7:12: orders[0].units: must be positive (got 0)",
    ],
    # Hostile tags: refused by name, and (see below) never run.
    "python-object-new.yaml": [
        "tests/invalid/hostile/python-object-new.yaml:3:12: chips.h200.price: the tag "
        "!!python/object/new:os.system is not allowed: scenario files may use only plain YAML values (numbers, "
        "text, lists, mappings)",
    ],
    "python-apply-top-level.yaml": [
        "tests/invalid/hostile/python-apply-top-level.yaml:1:1: the tag !!python/object/apply:os.system is not "
        "allowed: scenario files may use only plain YAML values (numbers, text, lists, mappings)",
    ],
    # Bugs found by tools/fuzz.py, kept as regressions.
    # A NUL in `extends` crashed os.path.realpath (ValueError: embedded null byte).
    "extends-nul.yaml": [
        "tests/invalid/hostile/extends-nul.yaml:1:10: extends: must be the path of a parent scenario file",
    ],
    # A folded value ends with a line break, which split the message over two lines.
    "multiline-platform.yaml": [
        "tests/invalid/hostile/multiline-platform.yaml:3:15: chips.h200.platform: platform 'cann\\n' has no entry "
        "under platforms: add platforms.cann\\n.migration_cost (the cost of leaving cuda), 0 if there is none",
    ],
    # Terminal escape codes in a title reached the terminal through every table.
    "escape-in-title.yaml": [
        "tests/invalid/hostile/escape-in-title.yaml:1:8: title: must not contain control characters "
        "(got '\\x1b]0;owned\\x07\\x1b[2J')",
    ],
    # ... and through the message about an unknown key.
    "escape-in-key.yaml": [
        "tests/invalid/hostile/escape-in-key.yaml:5:1: \\x1b[31mred\\nline: unknown key; valid keys: name, title, "
        "description, extends, assumptions, workload, chips, platforms, orders, mix",
    ],
    # A !!set was shown as Python prints it, in an order that changes from run to run.
    "set-tag.yaml": [
        "tests/invalid/hostile/set-tag.yaml:1:8: chips: must be a mapping of chips by key (got a set)",
    ],
    # `budget: null` counted as given, and the model divided None by the price. An empty value is a
    # key not given, everywhere: so the order gives neither.
    "null-budget.yaml": [
        "tests/invalid/hostile/null-budget.yaml:7:13: orders[0]: missing units or budget (budget is empty): "
        "give one, e.g. units: 400k",
    ],
}


@pytest.mark.parametrize("name", sorted(HOSTILE_EXPECTED))
def test_hostile_file(name: str) -> None:
    assert_refused(f"tests/invalid/hostile/{name}", HOSTILE_EXPECTED[name])


def test_every_hostile_file_is_tested() -> None:
    assert {path.name for path in HOSTILE.glob("*.yaml")} == set(HOSTILE_EXPECTED)


# Files that are not YAML text, or cannot be read ------------------------------------


def test_binary_file(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_bytes(b"chips:\n  h200:\0\1\2\3\n")
    assert_refused(tmp_path / "s.yaml", [f"{tmp_path / 's.yaml'}: is a binary file, not a YAML scenario"])


def test_latin1_file(tmp_path: Path) -> None:
    (tmp_path / "s.yaml").write_bytes("chips:\n  h200:\n    source: café\n".encode("latin-1"))
    assert_refused(tmp_path / "s.yaml", [f"{tmp_path / 's.yaml'}:3:16: is not UTF-8 text: save the file as UTF-8"])


def test_control_character(tmp_path: Path) -> None:
    """Regression: PyYAML's ReaderError has no mark; it was shown at 1:1 over two lines."""
    (tmp_path / "s.yaml").write_bytes(b'chips:\n  h200:\n    source: "a\x1bb"\n')
    assert_refused(tmp_path / "s.yaml", [
        f"{tmp_path / 's.yaml'}:3:15: invalid YAML: the control character U+001B is not allowed: remove it"])


def test_directory(tmp_path: Path) -> None:
    assert_unreadable(tmp_path, f"{tmp_path}: is a directory, not a scenario file")


def test_missing_file() -> None:
    assert_unreadable("tests/invalid/no-such-file.yaml", "tests/invalid/no-such-file.yaml: no such file")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root reads a file whatever its mode")
def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("chips: {}\n", encoding="utf-8")
    path.chmod(0)
    try:
        assert_unreadable(path, f"{path}: cannot be read (permission denied)")
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_unreadable_file_simulated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As root, chmod 000 does not stop reading: make opening the file fail as it would for a user."""
    path = tmp_path / "s.yaml"
    path.write_text("chips: {}\n", encoding="utf-8")
    real_open = Path.open

    def refuse(self: Path, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refuse)
    assert_unreadable(path, f"{path}: cannot be read (permission denied)")


# Numbers: non-finite, out of range, and too large or small to compute with ---------------

TEMPLATE = """\
assumptions:
  lifetime_years: 4
  pue: 1.3
  levy_pass_through: 50%
  electricity_usd_per_kwh: 0.08
  fx:
    CNY: 0.14
chips:
  h200:
    price: $32k
    levy_rate: 25%
    levy_base: 100%
    tflops: {bf16: 989}
    utilization: 40%
    power_w: 700
    host_cost: $12k
    electricity_usd_per_kwh: 0.06
    supply_units: 1M
    memory_gb: 141
    bandwidth_tbps: 4.8
  ascend:
    platform: cann
    price: ¥200k
    tflops: {bf16: 780}
platforms:
  cann:
    migration_cost: 300M
    engineer_months: 600
    cost_per_engineer_month: $20k
orders:
  - chip: h200
    units: 400k
  - chip: ascend
    budget: ¥1B
"""

NO_CNY = ("s.yaml:23:12: chips.ascend.price: is in CNY, whose exchange rate assumptions.fx.CNY is invalid",
          "s.yaml:34:13: orders[1].budget: is in CNY, whose exchange rate assumptions.fx.CNY is invalid")

# (key, value written, messages; none when the value is valid). The first line of TEMPLATE that starts
# with `key:` (after its indent, or with the indent given in `key`) is the one changed.
NUMBERS = [
    ("price", "-1", ["s.yaml:10:12: chips.h200.price: must be positive (got -$1)"]),
    ("price", "0", ["s.yaml:10:12: chips.h200.price: must be positive (got $0)"]),
    ("price", "$-32k", ["s.yaml:10:12: chips.h200.price: must be positive (got -$32,000)"]),
    ("price", ".nan", ["s.yaml:10:12: chips.h200.price: must be a finite number (got nan)"]),
    ("price", ".NaN", ["s.yaml:10:12: chips.h200.price: must be a finite number (got nan)"]),
    ("price", ".inf", ["s.yaml:10:12: chips.h200.price: must be a finite number (got inf)"]),
    ("price", "-.inf", ["s.yaml:10:12: chips.h200.price: must be a finite number (got -inf)"]),
    ("price", "1e309", ["s.yaml:10:12: chips.h200.price: must be a finite number (got '1e309')"]),
    ("price", "1e-320", ["s.yaml:10:12: chips.h200.price: is too small to compute with (got '1e-320'); "
                         "use 0 or at least 1e-9"]),
    # Regression: 1e308 passed, then capex overflowed to inf and JSON output crashed (exit 1, traceback).
    ("price", "1e308", ["s.yaml:10:12: chips.h200.price: is too large to compute with (got '1e308'); "
                        "the largest is 1e15"]),
    ("price", "1e16", ["s.yaml:10:12: chips.h200.price: is too large to compute with (got '1e16'); "
                       "the largest is 1e15"]),
    ("price", "1e-10", ["s.yaml:10:12: chips.h200.price: is too small to compute with (got '1e-10'); "
                        "use 0 or at least 1e-9"]),
    ("price", "$1e15", []),
    ("price", "$1e-9", []),
    ("levy_rate", "-5%", ["s.yaml:11:16: chips.h200.levy_rate: must be at least 0% (got -5%)"]),
    ("levy_rate", "0", []),
    ("levy_rate", "100%", ["s.yaml:11:16: chips.h200.levy_rate: must be below 100% (got 100%)"]),
    ("levy_rate", "1", ["s.yaml:11:16: chips.h200.levy_rate: must be below 100% (got 100%)"]),
    ("levy_rate", "150%", ["s.yaml:11:16: chips.h200.levy_rate: must be below 100% (got 150%)"]),
    ("levy_rate", "99.99%", []),
    ("levy_base", "0", ["s.yaml:12:16: chips.h200.levy_base: must be positive (got 0%)"]),
    ("levy_base", "-1%", ["s.yaml:12:16: chips.h200.levy_base: must be positive (got -1%)"]),
    ("levy_base", "101%", ["s.yaml:12:16: chips.h200.levy_base: must be at most 100% (got 101%)"]),
    ("levy_base", "1e-9", []),
    ("tflops", "{bf16: 0}", ["s.yaml:13:20: chips.h200.tflops.bf16: must be positive (got 0)"]),
    ("tflops", "{bf16: -989}", ["s.yaml:13:20: chips.h200.tflops.bf16: must be positive (got -989)"]),
    ("tflops", "{bf16: .inf}", ["s.yaml:13:20: chips.h200.tflops.bf16: must be a finite number (got inf)"]),
    ("tflops", "{bf16: 1e-320}", ["s.yaml:13:20: chips.h200.tflops.bf16: is too small to compute with "
                                  "(got '1e-320'); use 0 or at least 1e-9"]),
    ("utilization", "0", ["s.yaml:14:18: chips.h200.utilization: must be positive (got 0%)"]),
    ("utilization", "-10%", ["s.yaml:14:18: chips.h200.utilization: must be positive (got -10%)"]),
    ("utilization", "120%", ["s.yaml:14:18: chips.h200.utilization: must be at most 100% (got 120%)"]),
    ("utilization", "100%", []),
    ("power_w", "-700", ["s.yaml:15:14: chips.h200.power_w: must be at least 0 (got -700)"]),
    ("power_w", "0", []),
    ("host_cost", "-1", ["s.yaml:16:16: chips.h200.host_cost: must be at least $0 (got -$1)"]),
    ("host_cost", "0", []),
    ("    electricity_usd_per_kwh", "-0.01", [
        "s.yaml:17:30: chips.h200.electricity_usd_per_kwh: must be at least $0 (got -$0.01)"]),
    ("    electricity_usd_per_kwh", "0", []),
    ("supply_units", "0", ["s.yaml:18:19: chips.h200.supply_units: must be positive (got 0)"]),
    ("supply_units", "-1", ["s.yaml:18:19: chips.h200.supply_units: must be positive (got -1)"]),
    ("memory_gb", "0", ["s.yaml:19:16: chips.h200.memory_gb: must be positive (got 0)"]),
    ("memory_gb", "-141", ["s.yaml:19:16: chips.h200.memory_gb: must be positive (got -141)"]),
    ("bandwidth_tbps", "0", ["s.yaml:20:21: chips.h200.bandwidth_tbps: must be positive (got 0)"]),
    ("units", "0", ["s.yaml:32:12: orders[0].units: must be positive (got 0)"]),
    ("units", "-400k", ["s.yaml:32:12: orders[0].units: must be positive (got -400000)"]),
    ("units", "1e-320", ["s.yaml:32:12: orders[0].units: is too small to compute with (got '1e-320'); "
                         "use 0 or at least 1e-9"]),
    ("units", ".nan", ["s.yaml:32:12: orders[0].units: must be a finite number (got nan)"]),
    # Regression: `units:` with no value passed as given and crashed the model.
    ("units", "", ["s.yaml:32:11: orders[0]: missing units or budget (units is empty): give one, e.g. units: 400k"]),
    ("budget", "0", ["s.yaml:34:13: orders[1].budget: must be positive (got $0)"]),
    ("budget", "-1", ["s.yaml:34:13: orders[1].budget: must be positive (got -$1)"]),
    ("budget", "¥1e15", []),
    ("lifetime_years", "0", ["s.yaml:2:19: assumptions.lifetime_years: must be positive (got 0)"]),
    ("lifetime_years", "-4", ["s.yaml:2:19: assumptions.lifetime_years: must be positive (got -4)"]),
    ("lifetime_years", "1e-9", []),
    ("pue", "0.99", ["s.yaml:3:8: assumptions.pue: must be at least 1 (got 0.99)"]),
    ("pue", "0", ["s.yaml:3:8: assumptions.pue: must be at least 1 (got 0)"]),
    ("pue", "-1", ["s.yaml:3:8: assumptions.pue: must be at least 1 (got -1)"]),
    ("pue", "1e308", ["s.yaml:3:8: assumptions.pue: is too large to compute with (got '1e308'); "
                      "the largest is 1e15"]),
    ("electricity_usd_per_kwh", "-1", [
        "s.yaml:5:28: assumptions.electricity_usd_per_kwh: must be at least $0 (got -$1)"]),
    ("electricity_usd_per_kwh", "¥0.4", []),
    ("levy_pass_through", "-1%", ["s.yaml:4:22: assumptions.levy_pass_through: must be at least 0% (got -1%)"]),
    ("levy_pass_through", "101%", [
        "s.yaml:4:22: assumptions.levy_pass_through: must be at most 100% (got 101%)"]),
    ("levy_pass_through", "0", []),
    ("levy_pass_through", "100%", []),
    # Regression: an invalid rate was followed by "no exchange rate: add assumptions.fx.CNY", which is there.
    ("CNY", "0", ["s.yaml:7:10: assumptions.fx.CNY: must be positive (got 0)", *NO_CNY]),
    ("CNY", "-0.14", ["s.yaml:7:10: assumptions.fx.CNY: must be positive (got -0.14)", *NO_CNY]),
    ("CNY", ".nan", ["s.yaml:7:10: assumptions.fx.CNY: must be a finite number (got nan)", *NO_CNY]),
    # Regression: amounts are checked again in USD, where a huge rate makes them overflow.
    ("CNY", "1e15", [
        "s.yaml:23:12: chips.ascend.price: is $2e+20 at assumptions.fx.CNY: too large to compute with "
        "(use 0 or a size from 1e-9 to 1e15 in USD)",
        "s.yaml:34:13: orders[1].budget: is $1e+24 at assumptions.fx.CNY: too large to compute with "
        "(use 0 or a size from 1e-9 to 1e15 in USD)"]),
    ("migration_cost", "-1", ["s.yaml:27:21: platforms.cann.migration_cost: must be at least $0 (got -$1)"]),
    ("migration_cost", "0", []),
    ("engineer_months", "-1", ["s.yaml:28:22: platforms.cann.engineer_months: must be at least 0 (got -1)"]),
    ("engineer_months", "0", []),
    ("cost_per_engineer_month", "-1", [
        "s.yaml:29:30: platforms.cann.cost_per_engineer_month: must be at least $0 (got -$1)"]),
    ("cost_per_engineer_month", "0", []),
]


def with_value(key: str, value: str) -> str:
    line = next(line for line in TEMPLATE.splitlines()
                if line.startswith(f"{key}:") or not key.startswith(" ") and line.lstrip().startswith(f"{key}:"))
    indent = line[: len(line) - len(line.lstrip())]
    return TEMPLATE.replace(line + "\n", f"{indent}{key.strip()}: {value}".rstrip() + "\n", 1)


@pytest.mark.parametrize("key, value, messages", NUMBERS, ids=[f"{k.strip()}={v}" for k, v, _ in NUMBERS])
def test_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, value: str,
                messages: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    Path("s.yaml").write_text(with_value(key, value), encoding="utf-8")
    if messages:
        assert_refused("s.yaml", messages)
        return
    result = run("compare", "s.yaml", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout
    assert run("validate", "s.yaml").exit_code == 0


def test_template_is_valid(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("s.yaml").write_text(TEMPLATE, encoding="utf-8")
    assert run("validate", "s.yaml").exit_code == 0


@pytest.mark.parametrize("text, message", [
    # Python's int() refuses it, so it stays text, which is too large for a float.
    ("1" * 5000, f"must be a finite number (got '{'1' * 5000}')"),
    ("0x" + "f" * 5000, "is too large (got a number with 6021 digits)"),
    ("1:" * 3000 + "1", "is too large (got a number with 5335 digits)"),  # YAML 1.1's base 60
])
def test_integer_with_thousands_of_digits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str,
                                          message: str) -> None:
    """Regression: Python refuses int <-> str beyond 4,300 digits; that ValueError was a traceback."""
    monkeypatch.chdir(tmp_path)
    Path("s.yaml").write_text(with_value("price", text), encoding="utf-8")
    assert_refused("s.yaml", [f"s.yaml:10:12: chips.h200.price: {message}"])


# No division by zero reaches a user ---------------------------------------------------

ZEROS = ["tests/invalid/zero-tflops.yaml", "tests/invalid/zero-utilization.yaml", "tests/invalid/zero-price.yaml",
         "tests/invalid/hostile/zero-units.yaml"]


@pytest.mark.parametrize("path", ZEROS)
@pytest.mark.parametrize("command", [["compare"], ["chips"], ["levy"], ["breakeven"], ["sensitivity"],
                                     ["breakeven", "--vary", "chips.h200.price"],
                                     ["sweep", "--vary", "chips.h200.price=1k:2k:1k"], ["explain", "tco_usd"]])
def test_zero_never_divides(path: str, command: list[str]) -> None:
    result = run(command[0], path, *command[1:])
    assert result.exit_code == 2
    assert "ZeroDivision" not in result.stderr
    assert result.stderr.startswith(f"{path}:")


# --set ------------------------------------------------------------------------------


def test_set_unknown_path() -> None:
    result = run("compare", "scenarios/h200-2026.yaml", "--set", "chips.h200.levy_rat=30%")
    assert (result.exit_code, result.stdout) == (2, "")
    assert result.stderr == ("error: --set chips.h200.levy_rat: no such path in scenarios/h200-2026.yaml; nearest valid paths: "
                             "chips.h200.levy_rate, chips.h20.levy_rate, chips.h200.levy_base\n")
    assert run("validate", "scenarios/h200-2026.yaml", "--set", "chips.h200.levy_rat=30%").exit_code == 2


def test_set_unparsable_value() -> None:
    assert_refused("scenarios/h200-2026.yaml", [
        "--set:1:22: chips.h200.levy_rate: must be a rate such as 25% or 0.25 (got 'abc')"],
        "chips.h200.levy_rate=abc")


def test_set_value_with_a_python_tag_is_text(tmp_path: Path) -> None:
    marker = tmp_path / "ran"
    assert_refused("scenarios/h200-2026.yaml", [
        f"--set:1:18: chips.h200.price: must be an amount of money such as $32k, ¥200k or 200k CNY "
        f"(got '!!python/object/apply:os.system [\"touch {marker}\"]')"],
        f'chips.h200.price=!!python/object/apply:os.system ["touch {marker}"]')
    assert not marker.exists()


# Files that ask for code to run ---------------------------------------------------------

TAGS = [
    "!!python/object/apply:os.system ['touch {marker}']",
    "!!python/object/apply:subprocess.call [['touch', '{marker}']]",
    "!!python/object/new:subprocess.Popen [['touch', '{marker}']]",
    "!!python/object/apply:builtins.exec ['open(\"{marker}\", \"w\").close()']",
    "!!python/object:os.system {{}}",
    "!!python/name:os.system",
    "!!python/module:os",
]


@pytest.mark.parametrize("tag", TAGS)
@pytest.mark.parametrize("where", ["value", "top level", "key"])
def test_python_tags_are_refused_and_never_run(tmp_path: Path, tag: str, where: str) -> None:
    marker = tmp_path / "was-executed"
    value = tag.format(marker=marker)
    text = {
        "value": f"chips:\n  h200:\n    price: {value}\n    tflops: {{bf16: 989}}\n",
        "top level": f"{value}\n",
        "key": f"? {value}\n: 1\nchips:\n  h200:\n    price: $32k\n    tflops: {{bf16: 989}}\n",
    }[where]
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    for command in ("compare", "validate", "chips", "levy"):
        result = run(command, str(path))
        assert result.exit_code == (1 if command == "validate" else 2)
        shown = result.stdout if command == "validate" else result.stderr
        assert "is not allowed: scenario files may use only plain YAML values" in shown
    assert not marker.exists()


@pytest.mark.parametrize("name", ["python-tag.yaml", "hostile/python-object-new.yaml",
                                  "hostile/python-apply-top-level.yaml"])
def test_fixture_tags_never_run(name: str) -> None:
    text = (INVALID / name).read_text(encoding="utf-8")
    marker = Path(text.split("touch ", 1)[1].split('"', 1)[0])
    marker.unlink(missing_ok=True)
    for command in ("compare", "validate", "chips", "levy"):
        run(command, f"tests/invalid/{name}")
    assert not marker.exists()


# Bombs: bounded in time and memory ------------------------------------------------------


def measured(*args: str):
    """Run the CLI; return the result, the seconds it took and the peak Python memory in MiB."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        result = run(*args)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    return result, seconds, peak


@pytest.mark.parametrize("name, line", [("billion-laughs.yaml", 7), ("billion-laughs-extends.yaml", 8)])
def test_billion_laughs(name: str, line: int) -> None:
    result, seconds, peak = measured("compare", f"tests/invalid/{name}")
    assert result.stderr == (f"tests/invalid/{name}:{line}:6: expands to more than 100,000 values (through YAML "
                             "aliases); a scenario is far smaller\n")
    assert result.exit_code == 2
    assert seconds < 10 and peak < 200


def test_alias_bomb_in_a_list(tmp_path: Path) -> None:
    text = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))
    (tmp_path / "s.yaml").write_text(text + "chips: {}\n", encoding="utf-8")
    result, seconds, peak = measured("compare", str(tmp_path / "s.yaml"))
    assert result.exit_code == 2
    assert "expands to more than 100,000 values (through YAML aliases)" in result.stderr
    assert seconds < 10 and peak < 200


@pytest.mark.parametrize("opening, column", [("[", 1001), ("{a: ", 4001), ("- ", None)])
def test_deep_nesting(tmp_path: Path, opening: str, column: int | None) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(opening * 100_000 + "\n", encoding="utf-8")
    result, seconds, _ = measured("compare", str(path))
    assert result.exit_code == 2 and seconds < 10
    assert "RecursionError" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert "nest" in result.stderr  # "exceeded maximum nesting depth" (libyaml) or "is nested too deeply"
    if column is not None:
        assert result.stderr == (f"{path}:1:{column}: invalid YAML: exceeded maximum nesting depth (while "
                                 f"increasing flow level that starts at line 1, column {column})\n")


def test_deep_block_nesting(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("".join("  " * depth + f"k{depth}:\n" for depth in range(3000)), encoding="utf-8")
    result, seconds, _ = measured("compare", str(path))
    assert result.exit_code == 2 and seconds < 10
    # libyaml stops past 1,000 levels, at the line of the 1,000th key
    assert result.stderr == (f"{path}:1000:2003: invalid YAML: exceeded maximum nesting depth (while increasing "
                             "block level that starts at line 1000, column 2003)\n")


def test_50_mb_file(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    with path.open("wb") as file:
        file.write(b"chips:\n")
        file.write((b"# " + b"x" * 1022 + b"\n") * (50 * 1024))
    result, seconds, peak = measured("compare", str(path))
    assert (result.exit_code, result.stderr) == (2, f"{path}: is 50 MiB; a scenario file may be at most 10 MiB\n")
    assert seconds < 10 and peak < 50  # refused before reading
    result = run("validate", str(path))
    assert (result.exit_code, result.stdout) == (1, f"{path}: is 50 MiB; a scenario file may be at most 10 MiB\n")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_device(device: str) -> None:
    """Regression: a device says it holds 0 bytes; reading it whole never ended (or ran out of memory)."""
    message = f"{device}: is more than 10 MiB; a scenario file may be at most 10 MiB\n"
    result, seconds, peak = measured("compare", device)
    assert (result.exit_code, result.stderr) == (2, message)
    assert seconds < 10 and peak < 100


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_extends_an_endless_device(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("extends: /dev/zero\nchips: {h200: {price: 1, tflops: {bf16: 1}}}\n", encoding="utf-8")
    result, seconds, _ = measured("compare", str(path))
    # A parent must be a scenario file inside the child's place (issue 13): a device is refused unread.
    assert (result.exit_code, result.stderr) == (2, f"{path}:1:10: extends: /dev/zero is outside the directory "
                                                 "of the extending file or the current directory: a parent must "
                                                 "be a scenario file inside it\n")
    assert seconds < 10


@pytest.mark.skipif(sys.platform == "win32" or not os.path.isdir("/dev/fd"), reason="no /dev/fd")
def test_a_pipe_is_read_to_its_end(tmp_path: Path) -> None:
    """`chipcalc compare <(git show HEAD:s.yaml)`: a pipe has no size, and is read in full all the same."""
    import threading

    text = (ROOT / "scenarios" / "h20-2025.yaml").read_bytes()
    read_end, write_end = os.pipe()

    def feed() -> None:
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(text)

    feeder = threading.Thread(target=feed)
    feeder.start()
    try:
        result = run("compare", f"/dev/fd/{read_end}", "-f", "json")
    finally:
        feeder.join(10)
        os.close(read_end)
    assert result.exit_code == 0, result.stderr
    assert '"name": "h20-2025"' in result.stdout


# Found by mutation testing ----------------------------------------------------------


def test_set_through_a_plain_value_replaces_it(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text("chips:\n  h200: x\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", str(path), "--set", "chips.h200.tflops.bf16=1"])
    assert result.exit_code == 2
    assert result.stderr == "--set:1:24: chips.h200.price: missing required key 'price'\n"


def test_set_into_a_section_that_is_a_plain_value(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("chips: {a: {price: 1, tflops: {bf16: 1}}}\nplatforms: 5\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["compare", str(path), "--set", "platforms.cann.migration_cost=1"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: --set platforms.cann.migration_cost: no such path in {path}")


def test_a_file_name_with_a_colon(tmp_path: Path) -> None:
    path = tmp_path / "a:b.yaml"
    path.write_text("chips: {a: {price: 0, tflops: {bf16: 1}}}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout == f"{path}:1:20: chips.a.price: must be positive (got $0)\n"


def test_a_tab_is_named_whatever_yaml_parser_reads_it(tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("chips:\n  a:\n\tprice: 1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert result.stdout.startswith(f"{path}:3:1: invalid YAML: ")
    assert "(indent with spaces: YAML does not allow tabs)" in result.stdout


def test_set_value_that_is_not_utf8() -> None:
    # The shell hands Python undecodable bytes as surrogates; libyaml cannot take them.
    result = CliRunner().invoke(app, ["compare", "--set", "name=\udcff"])
    assert result.exit_code == 2
    assert result.stderr == "error: --set name: the value is not UTF-8 text\n"
