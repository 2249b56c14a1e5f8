#!/usr/bin/env python3
"""Fuzz chipcalc's CLI with mutants of valid scenarios, and check its contract.

    python tools/fuzz.py --cases 10000 --seed 1

Each case takes a valid scenario (a shipped one or a small hand-written one),
applies one to four random mutations (values, keys, indentation, truncation,
duplicated lines, stray characters, ...), writes it to a scratch folder and
runs `chipcalc compare -f json` and `chipcalc validate` in-process. The
contract (docs: CLI.md, the hardening issue):

- `compare` exits 0 with one JSON document holding only finite numbers (and
  options that add up), or exits 2 with every stderr line of the form
  `FILE:LINE:COL: ...` or `FILE: ...` (FILE: the mutant or a parent it extends);
- `validate` exits 0 or 1, or 2 only for a file that cannot be read;
- never a traceback, never another exit code, never longer than a few seconds.

Every violating input is written to `--out` (default fuzz-violations/) with a
note of what went wrong. Exits 1 when there was any violation.

tests/test_fuzz.py imports this module: the mutator and the checks exist once.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MUTANT = "mutant.yaml"
CASE_SECONDS = 10.0
"""A case that runs longer than this counts as a hang."""

# Seeds: small hand-written scenarios; the shipped ones are added by `seeds()`.

SMALL = {
    "minimal.yaml": """\
chips:
  h200:
    price: $32k
    tflops: {bf16: 989}
orders:
  - chip: h200
    units: 400k
""",
    "two-chips.yaml": """\
name: two-chips
assumptions:
  lifetime_years: 5
  electricity_usd_per_kwh: 0.08
  pue: 1.3
  levy_pass_through: 50%
  fx:
    CNY: 0.14
chips:
  h200:
    vendor: NVIDIA
    price: $32k
    levy_rate: 25%
    levy_base: 100%
    tflops: {bf16: 989, fp8: 1979}
    utilization: 40%
    power_w: 700
    host_cost: $12k
    memory_gb: 141
    bandwidth_tbps: 4.8
    source: datasheet
    as_of: 2026-01-15
  ascend_910c:
    vendor: Huawei
    platform: cann
    price: ¥200k
    tflops: {bf16: 780}
    utilization: 30%
    power_w: 600
    electricity_usd_per_kwh: 0.40 CNY
    supply_units: 300k
platforms:
  cann:
    migration_cost: 300M
    engineer_months: 600
    cost_per_engineer_month: $20k
orders:
  - name: hyperscalers
    chip: h200
    units: 400k
  - chip: ascend_910c
    budget: ¥1B
""",
    "ranges.yaml": """\
assumptions:
  levy_pass_through: 10% to 40%
  fx: {CNY: 0.14}
chips:
  h200:
    price: {low: 28k, high: 36k}
    levy_rate: {low: 20%, mode: 25%, high: 40%}
    tflops: {bf16: 989}
    utilization: {low: 30%, high: 50%, dist: normal}
    power_w: 600 to 800
  ascend:
    platform: cann
    price: ¥150k to ¥250k
    tflops: {bf16: {low: 700, high: 800, dist: lognormal}}
platforms:
  cann: {migration_cost: 0}
orders:
  - chip: h200
    units: {low: 100k, mode: 400k, high: 700k}
""",
    "anchors.yaml": """\
chips:
  h200: &nvidia
    vendor: NVIDIA
    price: $32k
    levy_rate: 25%
    tflops: {bf16: 989}
  h20:
    <<: *nvidia
    price: $13.5k
    tflops: {bf16: 148}
orders:
  - {chip: h200, budget: 40B}
  - {chip: h20, units: 1.5M}
""",
    "child.yaml": """\
extends: h200-2026.yaml
name: child
assumptions:
  levy_pass_through: 100%
chips:
  h200:
    levy_rate: 30%
""",
}

PARENTS = ("h200-2026.yaml",)
"""Shipped files that scenarios extend: copied, unmutated, beside every mutant."""


def seeds() -> dict[str, str]:
    """Every starting text: the shipped scenarios, then the small ones."""
    texts = {path.name: path.read_text(encoding="utf-8") for path in sorted(SCENARIOS.glob("*.yaml"))}
    texts.update(SMALL)
    return texts


# Values ------------------------------------------------------------------

KEYS = (
    "name", "title", "description", "extends", "assumptions", "chips", "platforms", "orders",
    "precision", "lifetime_years", "electricity_usd_per_kwh", "pue", "levy_pass_through",
    "incumbent_platform", "fx", "CNY", "EUR", "vendor", "platform", "price", "levy_rate", "levy_base",
    "tflops", "bf16", "fp8", "fp16", "utilization", "power_w", "host_cost", "supply_units", "memory_gb",
    "bandwidth_tbps", "source", "as_of", "migration_cost", "engineer_months", "cost_per_engineer_month",
    "chip", "units", "budget", "low", "high", "mode", "dist", "h200", "h20", "cann", "cuda", "<<",
)

SPECIAL_VALUES = (
    "0", "-0", "0.0", "-1", "-5", "1", "2", "0.5", "1.5", "100", "-100k", "1e308", "1e300", "-1e300",
    "1e309", "1e-320", "1e-300", "5e-324", "1e-9", "1e-10", "1e15", "1e16", "1e18", "1e-15",
    "9999999999999999999999", "10T", "1000T", "999T", "0.1e-8", "1_000", "1__0", "_1", "1e3k", "400kk",
    ".nan", ".NaN", ".inf", "-.inf", "+.inf", "nan", "NaN", "inf", "-inf", "Infinity", "'1e309'",
    '"nan"', "nan%", "inf%", "1e309%",
    "0%", "100%", "99.999%", "99.99999999999999999%", "150%", "-5%", "25%", "1e-12%", "1e20%", "%", "5 %",
    "$0", "$-1", "$1e309", "$1e-320", "$32k", "¥200k", "￥1", "200k CNY", "1 EUR", "1 XYZ", "1 usd",
    "$1 CNY", "¥1 USD", "$", "¥", "1 C", "1k cny",
    "28k to 36k", "36k to 28k", "0 to 1", "-1 to 1", "1 to 1", "a to b", "1 to", "1 to 2 to 3",
    "{low: 1, high: 2}", "{low: 2, high: 1}", "{low: 1, mode: 3, high: 2}",
    "{low: 0, high: 1, dist: lognormal}",
    "{low: -1, high: 1, dist: lognormal}", "{low: 1, high: 2, dist: cauchy}", "{low: 1, high: 2, mode: 1.5}",
    "{low: 1, high: 2, mode: 1.5, dist: normal}", "{low: .nan, high: 1}", "{low: 1}", "{high: 1}", "{}",
    "{low: 1e308, high: 1.7e308}", "{low: 1e-320, high: 1}", "{low: 1, high: 2, extra: 3}",
    "[]", "[1, 2]", "~", "null", "true", "false", "yes", "no", "on", "''", '""', "' '",
    "2026-01-15", "2026-13-01", "2026-02-30", "12:30:00", "1:30", "0x10", "0o17", "0b101", "017",
    "!!str 5", "!!float 5", "!!int 5", "!!binary aGk=", "!!set {a}", "!!timestamp 2026-01-15",
    "!!python/object/apply:os.system ['true']", "!custom 1", "&a 5", "*a", "*undefined",
    "|\n  block", ">\n  folded", "'unterminated", '"unterminated', "{", "[", "}", "]", ": x", "- x", "? x",
    "a: b", "#comment", "% x", "@x", "`x`", "\t1", "1\t", "\u00a01", "１２３", "٣", "1\u200b",
    "x" * 300, "é", "🤖", "\\x00",
)

WORDS = ("h200", "h20", "ascend_910c", "cann", "cuda", "rocm", "bf16", "fp8", "int8", "fp4", "tf32",
         "lognormal", "normal", "triangular", "uniform", "nvidia", "", "x", "h2000")


def random_number(rng: random.Random) -> str:
    """A number as a scenario might write it, from sane to absurd."""
    kind = rng.randrange(8)
    if kind == 7:  # positive, of any size a scenario accepts and a little beyond
        return f"{rng.uniform(1, 10):.{rng.randint(1, 17)}g}e{rng.randint(-11, 16)}"
    if kind == 0:
        return str(rng.randint(-10, 10))
    if kind == 1:
        return repr(rng.uniform(-2, 2))
    if kind == 2:
        exponent = rng.randint(-330, 330)
        return f"{rng.choice(['', '-'])}{rng.randint(1, 9)}e{exponent}"
    if kind == 3:
        return f"{rng.uniform(0, 1000):.{rng.randint(0, 3)}f}{rng.choice('kMBT')}"
    if kind == 4:
        return f"{rng.uniform(-50, 200):.{rng.randint(0, 20)}f}%"
    if kind == 5:
        symbol, suffix = rng.choice(["$", "¥", "￥", ""]), rng.choice(["k", "M", "B", ""])
        code = rng.choice(["", " CNY", " USD", " EUR", " XYZ"])
        return f"{symbol}{rng.uniform(0, 500):.1f}{suffix}{code}"
    return str(rng.randint(-10**30, 10**30))


def random_text(rng: random.Random, size: int = 12) -> str:
    alphabet = "abcxyz019 _-.:,#&*!|>%@`'\"{}[]?~\t\\$¥%/\u00e9\u4e2d\U0001F916"
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, size)))


def random_value(rng: random.Random) -> str:
    kind = rng.randrange(10)
    if kind < 4:
        return rng.choice(SPECIAL_VALUES)
    if kind < 8:
        return random_number(rng)
    if kind == 8:
        return rng.choice(WORDS)
    return random_text(rng)


# Mutations: each takes and returns the lines of the text (no line ends) --------

_KEY_LINE = re.compile(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*?):(\s*)(.*)$")


def _key_lines(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if _KEY_LINE.match(line)]


def _value_lines(lines: list[str]) -> list[int]:
    return [i for i in _key_lines(lines) if _KEY_LINE.match(lines[i]).group(4).strip()
            and not _KEY_LINE.match(lines[i]).group(4).lstrip().startswith(("|", ">", "#"))]


def change_value(rng: random.Random, lines: list[str]) -> list[str]:
    """A `key: value` line gets another value (keeping any comment after it)."""
    candidates = _value_lines(lines)
    if not candidates:
        return insert_chars(rng, lines)
    i = rng.choice(candidates)
    indent, key, space, rest = _KEY_LINE.match(lines[i]).groups()
    comment = ""
    if "  #" in rest:
        rest, _, comment = rest.partition("  #")
        comment = "  #" + comment
    value = random_value(rng)
    if "\n" in value:  # a block scalar: indent its body below the key
        head, _, body = value.partition("\n")
        lines[i] = f"{indent}{key}: {head}"
        lines.insert(i + 1, " " * (len(indent) + 2) + body.strip())
        return lines
    lines[i] = f"{indent}{key}:{space or ' '}{value}{comment}"
    return lines


_NUMBER_IN_VALUE = re.compile(r"\d[\d_]*(?:\.\d+)?(?:[eE][+-]?\d+)?")


def rescale_value(rng: random.Random, lines: list[str]) -> list[str]:
    """A number in a value gets another size, keeping its form (`$32k` -> `$3.2e-7k`, `25%` -> `1e-5%`)."""
    candidates = [i for i in _value_lines(lines)
                  if _NUMBER_IN_VALUE.search(_KEY_LINE.match(lines[i]).group(4))]
    if not candidates:
        return change_value(rng, lines)
    i = rng.choice(candidates)
    indent, key, space, rest = _KEY_LINE.match(lines[i]).groups()
    spots = list(_NUMBER_IN_VALUE.finditer(rest))
    spot = rng.choice(spots)
    number = rng.choice([
        "0", "1", f"{rng.uniform(0, 1):.3g}", f"{rng.uniform(1, 10):.3g}e{rng.randint(-12, 17)}",
        f"{rng.uniform(99, 100):.{rng.randint(1, 18)}f}", "1e15", "1e-9", "999999999999999", "0.000000001",
    ])
    lines[i] = f"{indent}{key}:{space}{rest[: spot.start()]}{number}{rest[spot.end():]}"
    return lines


def change_flow_value(rng: random.Random, lines: list[str]) -> list[str]:
    """A value inside a flow mapping (`{bf16: 989}`) gets another value."""
    candidates = [i for i, line in enumerate(lines) if re.search(r"\{[^}]*:\s*[^,}]+", line)]
    if not candidates:
        return change_value(rng, lines)
    i = rng.choice(candidates)
    spots = list(re.finditer(r"(:\s*)([^,{}]+)", lines[i]))
    spot = rng.choice(spots)
    lines[i] = lines[i][: spot.start(2)] + random_value(rng).replace("\n", " ") + lines[i][spot.end(2):]
    return lines


def rename_key(rng: random.Random, lines: list[str]) -> list[str]:
    candidates = _key_lines(lines)
    if not candidates:
        return insert_chars(rng, lines)
    i = rng.choice(candidates)
    indent, key, space, rest = _KEY_LINE.match(lines[i]).groups()
    choice = rng.randrange(4)
    if choice == 0:
        new = rng.choice(KEYS)
    elif choice == 1:  # a typo
        position = rng.randrange(len(key) + 1)
        new = key[:position] + rng.choice("aeiou_-1xZ") + key[position + 1:]
    elif choice == 2:
        new = key.upper() if rng.random() < 0.5 else key + rng.choice(["s", "_", " ", "2"])
    else:
        new = random_text(rng, 8).replace(":", "") or "k"
    lines[i] = f"{indent}{new}:{space}{rest}"
    return lines


def delete_line(rng: random.Random, lines: list[str]) -> list[str]:
    if lines:
        del lines[rng.randrange(len(lines))]
    return lines


def delete_block(rng: random.Random, lines: list[str]) -> list[str]:
    """A key and everything indented below it."""
    candidates = _key_lines(lines)
    if not candidates:
        return delete_line(rng, lines)
    i = rng.choice(candidates)
    end = _block_end(lines, i)
    del lines[i:end]
    return lines


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _block_end(lines: list[str], i: int) -> int:
    end = i + 1
    while end < len(lines) and (not lines[end].strip() or _indent(lines[end]) > _indent(lines[i])):
        end += 1
    return end


def duplicate_line(rng: random.Random, lines: list[str]) -> list[str]:
    if lines:
        i = rng.randrange(len(lines))
        lines.insert(rng.choice([i, i + 1, rng.randrange(len(lines) + 1)]), lines[i])
    return lines


def duplicate_block(rng: random.Random, lines: list[str]) -> list[str]:
    """A key and its block, repeated right after itself: a duplicate key."""
    candidates = _key_lines(lines)
    if not candidates:
        return duplicate_line(rng, lines)
    i = rng.choice(candidates)
    end = _block_end(lines, i)
    lines[end:end] = lines[i:end]
    return lines


def change_indent(rng: random.Random, lines: list[str]) -> list[str]:
    if not lines:
        return lines
    i = rng.randrange(len(lines))
    choice = rng.randrange(4)
    if choice == 0:
        lines[i] = " " * rng.randint(1, 4) + lines[i]
    elif choice == 1:
        lines[i] = lines[i][min(rng.randint(1, 4), _indent(lines[i])):]
    elif choice == 2:
        lines[i] = "\t" + lines[i].lstrip(" ")
    else:  # shift a whole block
        end = _block_end(lines, i)
        delta = rng.choice([-2, 2, 4])
        for j in range(i, end):
            lines[j] = " " * delta + lines[j] if delta > 0 else lines[j][min(-delta, _indent(lines[j])):]
    return lines


def swap_lines(rng: random.Random, lines: list[str]) -> list[str]:
    if len(lines) > 1:
        i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[i], lines[j] = lines[j], lines[i]
    return lines


def insert_chars(rng: random.Random, lines: list[str]) -> list[str]:
    if not lines:
        return [random_text(rng)]
    i = rng.randrange(len(lines))
    position = rng.randint(0, len(lines[i]))
    lines[i] = lines[i][:position] + random_text(rng, 4) + lines[i][position:]
    return lines


def insert_line(rng: random.Random, lines: list[str]) -> list[str]:
    """A new key in a random place: an unknown, a known or a repeated one."""
    i = rng.randint(0, len(lines))
    indent = " " * rng.choice([0, 2, 4, 6])
    lines.insert(i, f"{indent}{rng.choice(KEYS)}: {(random_value(rng).splitlines() or [''])[0]}")
    return lines


EXTENDS = ("h200-2026.yaml", MUTANT, "missing.yaml", ".", "..", "/", "", "[a]", "h200-2026.yaml\x00",
           "../" * 40 + "etc/hostname", "/dev/null", "/dev/zero")
"""Parents a mutant may name: a shipped one, itself, none, a directory, a file that is not a scenario."""


def set_extends(rng: random.Random, lines: list[str]) -> list[str]:
    target = rng.choice(EXTENDS)
    lines.insert(0, f"extends: {json.dumps(target)}" if target else "extends:")
    return lines


LINE_MUTATIONS: tuple[Callable[[random.Random, list[str]], list[str]], ...] = (
    change_value, change_value, change_value, rescale_value, rescale_value, rescale_value, rescale_value,
    change_flow_value, rename_key, delete_line, delete_block,
    duplicate_line, duplicate_block, change_indent, swap_lines, insert_chars, insert_line, set_extends,
)


def mutate(rng: random.Random, text: str) -> bytes:
    """One to four mutations of `text` (mostly one); sometimes truncated or with stray bytes, so bytes."""
    lines = text.split("\n")
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 4))):
        lines = rng.choice(LINE_MUTATIONS)(rng, lines)
    data = "\n".join(lines).encode("utf-8")
    roll = rng.random()
    if roll < 0.08 and data:  # cut off at a random byte, maybe inside a UTF-8 sequence
        data = data[: rng.randrange(len(data))]
    elif roll < 0.10:
        position = rng.randint(0, len(data))
        stray = bytes([rng.choice([0, 0xE9, 0xFF, 0x80, 0x0D, 0x1B, 0x7F])])  # NUL, Latin-1, control
        data = data[:position] + stray + data[position:]
    elif roll < 0.12:
        data = data.replace(b"\n", b"\r\n")
    return data


# Valid scenarios with every number at an edge of what the loader accepts ----------------

EDGES = {
    "positive": ("1e-9", "1e15", "1", "999999999999999", "0.000000001", "1.5e-9", "9.99e14"),
    "not negative": ("0", "1e-9", "1e15", "1"),
    "levy rate": ("0", "1e-9", "0.5", "0.999999999", "0.9999999999999999", "99.9999999%", "1e-7%"),
    "share": ("1e-9", "1", "0.5", "1e-7%", "100%"),  # levy_base, utilization: (0, 1]
    "pass-through": ("0", "1", "1e-9", "0.5", "100%"),
    "pue": ("1", "1e15", "1.000000001"),
}


def edge(rng: random.Random, kind: str, money: bool = False) -> str:
    choices = EDGES[kind]
    if kind == "positive":
        choices += (f"{rng.uniform(1, 10):.3g}e{rng.randint(-9, 14)}",)
    value = rng.choice(choices)
    return f"{value} CNY" if money and rng.random() < 0.3 else value


def extreme_scenario(rng: random.Random) -> str:
    """A scenario the loader accepts (unless money in CNY leaves the range once converted), with every number
    at an edge: the model must still give finite numbers that add up."""
    lines = ["assumptions:", f"  lifetime_years: {edge(rng, 'positive')}",
             f"  electricity_usd_per_kwh: {edge(rng, 'not negative', True)}", f"  pue: {edge(rng, 'pue')}",
             f"  levy_pass_through: {edge(rng, 'pass-through')}", f"  fx: {{CNY: {edge(rng, 'positive')}}}",
             "chips:"]
    count = rng.randint(1, 3)
    for i in range(count):
        lines += [f"  c{i}:", f"    platform: {rng.choice(['cuda', 'cann'])}",
                  f"    price: {edge(rng, 'positive', True)}", f"    levy_rate: {edge(rng, 'levy rate')}",
                  f"    levy_base: {edge(rng, 'share')}", f"    tflops: {{bf16: {edge(rng, 'positive')}}}",
                  f"    utilization: {edge(rng, 'share')}", f"    power_w: {edge(rng, 'not negative')}",
                  f"    host_cost: {edge(rng, 'not negative', True)}"]
        if rng.random() < 0.5:
            lines.append(f"    supply_units: {edge(rng, 'positive')}")
        if rng.random() < 0.5:
            lines.append(f"    electricity_usd_per_kwh: {edge(rng, 'not negative', True)}")
    lines += ["platforms:", "  cann:", f"    migration_cost: {edge(rng, 'not negative', True)}",
              f"    engineer_months: {edge(rng, 'not negative')}",
              f"    cost_per_engineer_month: {edge(rng, 'not negative', True)}", "orders:"]
    for _ in range(rng.randint(1, 2)):
        quantity = rng.choice([f"units: {edge(rng, 'positive')}", f"budget: {edge(rng, 'positive', True)}"])
        lines += [f"  - chip: c{rng.randrange(count)}", f"    {quantity}"]
    return "\n".join(lines) + "\n"


EXTREME = "(extreme values)"


def make_case(rng: random.Random, texts: dict[str, str] | None = None) -> tuple[str, bytes]:
    """(name of the seed, mutant) for one case; one case in ten is a valid scenario at the edges instead."""
    texts = texts or seeds()
    if rng.random() < 0.1:
        return EXTREME, extreme_scenario(rng).encode("utf-8")
    name = rng.choice(sorted(texts))
    return name, mutate(rng, texts[name])


# The contract ---------------------------------------------------------------


@dataclass
class Outcome:
    compare_code: int | None = None
    validate_code: int | None = None
    violations: list[str] = field(default_factory=list)
    seconds: float = 0.0


def prepare(directory: Path) -> None:
    """The scratch folder: the parents mutants may extend."""
    directory.mkdir(parents=True, exist_ok=True)
    for name in PARENTS:
        shutil.copyfile(SCENARIOS / name, directory / name)


def _finite_json(text: str) -> Any:
    def refuse(constant: str) -> Any:
        raise ValueError(f"JSON holds {constant}")

    return json.loads(text, parse_constant=refuse)


def _numbers(value: Any, path: str = ""):
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _numbers(inner, f"{path}.{key}")
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _numbers(inner, f"{path}[{index}]")


MONEY_AND_COUNTS = ("units", "buyer_price_usd", "levy_per_unit_usd", "capex_usd", "levy_usd", "energy_usd",
                    "migration_usd", "tco_usd", "effective_tflops_per_unit", "tflops_per_kusd",
                    "usd_per_effective_pflops")


def check_compare_document(document: Any) -> list[str]:
    """What is wrong with a compare JSON document: non-finite or impossible numbers."""
    problems = []
    for path, number in _numbers(document):
        if not math.isfinite(number):
            problems.append(f"non-finite number at {path}: {number}")
    if problems:
        return problems
    for s, scenario in enumerate(document.get("scenarios", [])):
        for o, order in enumerate(scenario.get("orders", [])):
            where = f"scenarios[{s}].orders[{o}]"
            if not order["units"] > 0 or not order["demand_tflops"] > 0:
                problems.append(f"{where}: units {order['units']}, demand {order['demand_tflops']}: "
                                "not positive")
            tcos = [option["tco_usd"] for option in order["options"]]
            if tcos != sorted(tcos):
                problems.append(f"{where}: options not cheapest first")
            for option in order["options"]:
                at = f"{where}.options[{option['chip']}]"
                for key in MONEY_AND_COUNTS:
                    if option[key] < 0:
                        problems.append(f"{at}.{key} is negative: {option[key]}")
                if not option["units"] > 0 or not option["tco_usd"] > 0:
                    problems.append(f"{at}: units {option['units']}, TCO {option['tco_usd']}: not positive")
                parts = sum(option[key] for key in ("capex_usd", "energy_usd", "facility_usd", "maintenance_usd",
                                                    "operations_usd", "migration_usd"))
                if not math.isclose(parts, option["tco_usd"], rel_tol=1e-6):
                    problems.append(f"{at}: capex + running costs + migration = {parts!r}, "
                                    f"but TCO {option['tco_usd']!r}")
                if option["is_order_chip"] and option["vs_order"] != 0:
                    problems.append(f"{at}: the order's chip has vs_order {option['vs_order']}")
    return problems


def _line_pattern(files: list[str]) -> re.Pattern:
    names = "|".join(re.escape(name) for name in files)
    return re.compile(rf"^(?:{names})(?::\d+:\d+)?: \S")


def _invoke(runner: Any, app: Any, args: list[str]) -> Any:
    return runner.invoke(app, args, catch_exceptions=True)


def _crash(result: Any) -> str | None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        lines = traceback.format_exception(type(result.exception), result.exception,
                                           result.exception.__traceback__)
        return "".join(lines[-6:]).strip()
    if "Traceback" in result.output or "Traceback" in result.stderr:
        return "a traceback in the output"
    return None


class Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Hang()


def check(data: bytes, directory: Path, name: str = MUTANT) -> Outcome:
    """Run compare and validate on `data` written to `directory/name`; the contract's violations."""
    from typer.testing import CliRunner

    from chipcalc.cli import app

    path = directory / name
    path.write_bytes(data)
    label = str(path)
    files = [label] + [os.path.normpath(os.path.join(directory, parent)) for parent in (*PARENTS, *EXTENDS)]
    pattern = _line_pattern(files)
    runner = CliRunner()
    outcome = Outcome()
    start = time.perf_counter()
    timed = hasattr(signal, "setitimer") and signal.getsignal(signal.SIGALRM) in (signal.SIG_DFL, None)
    if timed:
        signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, CASE_SECONDS)
    try:
        result = _invoke(runner, app, ["compare", label, "-f", "json"])
        if isinstance(result.exception, Hang):
            raise result.exception
        outcome.compare_code = result.exit_code
        crash = _crash(result)
        if crash:
            outcome.violations.append(f"compare crashed (exit {result.exit_code}): {crash}")
        elif result.exit_code == 0:
            try:
                document = _finite_json(result.stdout)
            except ValueError as error:
                outcome.violations.append(f"compare printed bad JSON: {error}")
            else:
                outcome.violations += [f"compare: {p}" for p in check_compare_document(document)]
        elif result.exit_code == 2:
            lines = result.stderr.splitlines()
            if not lines:
                outcome.violations.append("compare exit 2 with nothing on stderr")
            bad = [line for line in lines if not pattern.match(line)]
            if bad:
                outcome.violations.append(f"compare stderr lines not FILE[:LINE:COL]: ...: {bad[:3]}")
        else:
            outcome.violations.append(f"compare exit {result.exit_code}: {result.stderr[-500:]}")

        result = _invoke(runner, app, ["validate", label])
        if isinstance(result.exception, Hang):
            raise result.exception
        outcome.validate_code = result.exit_code
        crash = _crash(result)
        if crash:
            outcome.violations.append(f"validate crashed (exit {result.exit_code}): {crash}")
        elif result.exit_code not in (0, 1):  # 2 is for a file that cannot be read: mutants always can
            outcome.violations.append(f"validate exit {result.exit_code}: {result.stderr[-300:]}")
        elif (result.exit_code == 0) != (outcome.compare_code == 0):
            outcome.violations.append(f"validate exit {result.exit_code}, but compare exit "
                                      f"{outcome.compare_code}")
    except Hang:
        outcome.violations.append(f"still running after {CASE_SECONDS:.0f} s")
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
    outcome.seconds = time.perf_counter() - start
    if outcome.seconds > CASE_SECONDS and not any("still running" in v for v in outcome.violations):
        outcome.violations.append(f"took {outcome.seconds:.1f} s")
    return outcome


# The long run ------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="how many mutants to try (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same cases")
    parser.add_argument("--out", type=Path, default=Path("fuzz-violations"),
                        help="folder for the inputs that violate the contract (default fuzz-violations/)")
    parser.add_argument("--progress", type=int, default=500, help="print progress every N cases")
    parser.add_argument("--memory-mb", type=int, default=4096,
                        help="address-space limit, so a runaway case fails with MemoryError (default 4096)")
    args = parser.parse_args(argv)
    try:
        import resource

        limit = args.memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform: run without a limit
        pass

    texts = seeds()
    rng = random.Random(args.seed)
    codes: dict[str, int] = {}
    violations = 0
    slowest = (0.0, -1)
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="chipcalc-fuzz-") as scratch:
        directory = Path(scratch)
        prepare(directory)
        for case in range(1, args.cases + 1):
            seed_name, data = make_case(rng, texts)
            outcome = check(data, directory)
            key = f"exit {outcome.compare_code}"
            codes[key] = codes.get(key, 0) + 1
            slowest = max(slowest, (outcome.seconds, case))
            if outcome.violations:
                violations += 1
                args.out.mkdir(parents=True, exist_ok=True)
                stem = f"case-{args.seed}-{case:06d}"
                (args.out / f"{stem}.yaml").write_bytes(data)
                (args.out / f"{stem}.txt").write_text(
                    f"seed scenario: {seed_name}\nseed {args.seed}, case {case}\n"
                    f"compare exit {outcome.compare_code}, validate exit {outcome.validate_code}\n\n"
                    + "\n".join(outcome.violations) + "\n", encoding="utf-8")
                print(f"case {case} ({seed_name}): {outcome.violations[0][:300]}", file=sys.stderr)
            if args.progress and case % args.progress == 0:
                elapsed = time.perf_counter() - start
                print(f"{case}/{args.cases} cases, {violations} violations, {elapsed:.0f} s", file=sys.stderr)
    elapsed = time.perf_counter() - start
    counts = ", ".join(f"{codes[key]} {key}" for key in sorted(codes))
    print(f"{args.cases} cases: {counts}, {violations} contract violations "
          f"({elapsed:.0f} s; slowest case {slowest[1]}: {slowest[0]:.2f} s)")
    if violations:
        print(f"violating inputs in {args.out}/", file=sys.stderr)
    return 1 if violations else 0


if __name__ == "__main__":
    sys.exit(main())
