"""The JSON Schema accepts exactly the scenario files `chipcalc validate` accepts, but for the checks
the README lists as validate-only: shipped scenarios pass it, broken ones fail it, and so does a corpus.

The corpus is small variations of one valid scenario, generated from the specs: every key of every
section with values at and around its bounds, written as numbers and as text (suffixes, percent,
currencies), null, empty, of the wrong kind, and unknown keys; then uncertain ranges, cross-references
and `extends`. Each file is checked by `chipcalc validate` and by check-jsonschema (both regex dialects).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from chipcalc.cli import app
from chipcalc.scenario import Assumptions, Chip, Mix, MixRule, Order, Platform
from chipcalc.spec import Kind, Spec, specs
from chipcalc.schema import scenario_schema

from .conftest import ROOT, SCENARIOS

INVALID = ROOT / "tests" / "invalid"


@pytest.fixture(scope="module")
def schema_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "scenario.schema.json"
    result = CliRunner().invoke(app, ["schema", "-o", str(path)])
    assert result.exit_code == 0, result.output
    return path


def check(schema_file: Path, *files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema_file),
                           *map(str, files)], check=False, capture_output=True, text=True)


def test_schema_command_prints_draft_2020_12() -> None:
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert document == scenario_schema()


def test_shipped_scenarios_pass_the_schema(schema_file: Path) -> None:
    result = check(schema_file, *sorted(SCENARIOS.glob("*.yaml")), ROOT / "chipcalc" / "default.yaml")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(("name", "complaint"), [
    ("unknown-key.yaml", "'utilisation' was unexpected"),
    ("bad-precision.yaml", "'bf61' is not one of"),
    ("units-and-budget.yaml", "is valid under each of"),
    ("missing-price.yaml", "'price' is a required property"),
    ("zero-tflops.yaml", "chips.h200.tflops.bf16"),
    ("range-unknown-dist.yaml", "chips.h200.price"),
])
def test_broken_scenarios_fail_the_schema(schema_file: Path, name: str, complaint: str) -> None:
    result = check(schema_file, INVALID / name)
    assert result.returncode == 1
    assert complaint in result.stdout


def test_every_key_of_the_format_is_in_the_schema() -> None:
    chip = scenario_schema()["$defs"]["scenario"]["properties"]["chips"]["patternProperties"]
    properties = next(iter(chip.values()))["anyOf"][0]["properties"]  # or null: no chip
    assert {"price", "levy_rate", "levy_base", "tflops", "utilization", "power_w", "host_cost",
            "electricity_usd_per_kwh", "supply_units", "source", "as_of"} <= set(properties)


# A corpus of variations, checked by both --------------------------------------------------

BASE: dict[str, Any] = {
    "assumptions": {"fx": {"CNY": 0.139}},
    "chips": {"a": {"price": "30k", "tflops": {"bf16": 989}}},
    "platforms": {"p": {"migration_cost": "1M"}},
    "orders": [{"chip": "a", "units": "400k"}],
    "mix": {"rules": [{"chips": ["a"], "min_share": 0, "max_share": "100%"}]},  # every share valid
}
SECTIONS = {Assumptions: ("assumptions",), Chip: ("chips", "a"), Platform: ("platforms", "p"),
            Order: ("orders", 0), Mix: ("mix",), MixRule: ("mix", "rules", 0)}

GAPS = {
    # what the schema cannot check -> how the README's schema section names it
    "scaled": "written with an exponent or a suffix",
    "size": "between 1e-9 and 1e15",
    "order": "low is below its high",
    "currency": "exchange rate",
    "reference": "an order's chip",
    "platform": "a chip's platform",
    "names": "order names must be unique",
    "shares": "a mix rule gives `min_share` or `max_share`",
    "extends": "`extends`",
}
REFERENCES = {(Chip, "platform"): "platform", (Order, "chip"): "reference", (MixRule, "chips"): "reference"}
"""Text keys that name another entry: the schema cannot check that it exists."""
STRICTER = {"date": "YYYY-MM-DD"}
"""What the loader accepts and the schema refuses -> how the README names it."""


@dataclass(frozen=True)
class Case:
    name: str
    tree: Any
    gap: str | None = None
    """A key of GAPS (the schema may accept what validate refuses) or STRICTER."""


def bound_values(spec: Spec) -> Iterator[tuple[Any, str | None]]:
    """Values at and around the bounds of a numeric spec, written every way the loader reads."""
    bounds = [b for b in (spec.low, spec.high) if b is not None]
    nonzero_bound = any(bounds)
    for point in sorted({p for b in bounds for p in (b - 0.01, b, b + 0.01)} | {5.0}):
        text = f"{point:.10g}"
        yield point, None
        yield text, None
        if spec.kind == Kind.RATE:
            yield f"{point * 100:.10g}%", None
        elif spec.kind == Kind.MONEY:
            yield from ((form, None) for form in (f"${text}", f"{text} cny", f"¥{text} USD"))
        else:
            yield f"{text.replace('.', '_.', 1)}", None
        if point > 0:  # the same value with a suffix or an exponent: only sign checks apply to those
            yield f"{point / 1000:.10g}k", "scaled" if nonzero_bound else None
            yield f"{point * 100:.10g}e-2", "scaled" if nonzero_bound else None
    for text in ("-0", "+0.0", "-5k", "-$5", "0_0.5", ".5", "abc", "", "5%%"):
        yield text, None
    yield "1e400", "size"
    yield "5 k", "scaled" if nonzero_bound else None
    yield "5 EUR", "currency" if spec.kind in (Kind.MONEY, Kind.SHARE_OR_MONEY) else None
    yield "0.00000000001", "size" if spec.violation(1e-11) is None else None
    yield "2000T", "size"
    for value in (1e-10, 2e15, float("nan"), True, []):
        yield value, None


def range_values(spec: Spec) -> Iterator[tuple[Any, str | None]]:
    # a bare levy base is a share (SCENARIO.md), so its range ends are shares too
    low, high = (0.2, 0.6) if spec.kind in (Kind.RATE, Kind.SHARE_OR_MONEY) else (2.0, 6.0)
    yield {"low": low, "high": high}, None
    yield {"low": high, "high": low}, "order"
    yield f"{high:g} to {low:g}", "order"
    yield f"{low:g} to {high:g}", None
    yield f"0 to {high:g}", None
    yield {"low": 0, "high": high, "dist": "lognormal"}, None
    yield {"low": low, "mode": (low + high) / 2, "high": high}, None
    yield {"low": low, "mode": high + (high - low) / 2, "high": high}, "order"
    yield {"low": low, "mode": -1, "high": high}, None
    yield {"low": low, "mode": (low + high) / 2, "high": high, "dist": "uniform"}, None
    yield {"low": low, "high": 150}, None
    yield {"low": low}, None
    yield {"low": low, "high": high, "dist": "poisson"}, None
    yield {}, None
    # an empty key of a range is one not written
    yield {"low": low, "high": high, "mode": None, "dist": None}, None
    yield {"low": low, "mode": (low + high) / 2, "high": high, "dist": None}, None
    yield {"low": low, "high": None}, None


def other_values(spec: Spec, reference: str | None) -> Iterator[tuple[Any, str | None]]:
    """Values of the other kinds; `reference` is the gap of text that must name another entry."""
    if spec.kind == Kind.DATE:
        yield from ((v, None) for v in ("2026-01-15", "2026-02-30", "2026-13-01", "15/01/2026", 2026))
        yield "20260115", "date"
    elif spec.kind == Kind.CHOICE:
        yield from ((v, None) for v in (*spec.choices, "bf61", 16))
    elif spec.kind == Kind.KEYS:
        yield from ((v, None) for v in (["a"], ["a", "a"], [], "a", [5], ["a b"], [["a"]], {"a": 1}))
        yield ["b"], reference
    elif spec.kind == Kind.NUMBERS:
        name = spec.choices[0] if spec.choices else "EUR"
        yield from ((v, None) for v in ({name: 5}, {name: "5k"}, {name: -1}, {name: "0"}, {"bad": 5},
                                        {name: None}, {name: {"low": 1, "high": 2}}, {}, 5))
    else:
        yield from ((v, reference) for v in ("x", 5, 2.5, "tab\there"))
        yield from ((v, None) for v in (True, ["x"], {"a": 1}, "bell\x07"))


def with_value(path: tuple, key: str, value: Any, base: dict = BASE) -> dict:
    tree = json.loads(json.dumps(base))
    node = tree
    for step in path:
        node = node[step]
    if key in Order.EXACTLY_ONE_OF and path == SECTIONS[Order]:
        for other in Order.EXACTLY_ONE_OF:
            node.pop(other, None)
    node[key] = value
    return tree


def corpus() -> list[Case]:
    cases = [Case("base", BASE)]
    for cls, path in SECTIONS.items():
        where = ".".join(map(str, path))
        cases.append(Case(f"{where}.unknown", with_value(path, "utilisation", 1)))
        for key, (_, spec) in specs(cls).items():
            reference = REFERENCES.get((cls, key))
            values = [*bound_values(spec), *range_values(spec)] if spec.numeric else list(
                other_values(spec, reference))
            values.append((None, None))
            if spec.kind == Kind.MONEY:  # with no exchange rates at all, every amount must be USD
                bare = {**BASE, "assumptions": {}}
                cases += [Case(f"{where}.{key}={v!r} no fx", with_value(path, key, v, bare))
                          for v in ("¥5", "5 EUR", "5 usd", {"low": "¥1", "high": 2})]
            cases += [Case(f"{where}.{key}={value!r}", with_value(path, key, value), gap)
                      for value, gap in values]
    return cases + section_cases() + reference_cases()


def section_cases() -> list[Case]:
    chip = BASE["chips"]["a"]
    cases = [Case(f"{key}={value!r}", {**BASE, key: value})
             for key in ("assumptions", "chips", "platforms", "orders", "mix") for value in (None, {}, [], 5)]
    cases += [Case(f"chips.a.-{key}", {**BASE, "chips": {"a": {k: v for k, v in chip.items() if k != key}}})
              for key in chip]
    cases += [
        Case("chips.a=null", {**BASE, "chips": {"a": None}}),
        Case("chips.b c", {**BASE, "chips": {"b c": chip}}),
        Case("orders[0].-chip", {**BASE, "orders": [{"units": 5}]}),
        Case("orders[0] units and budget", {**BASE, "orders": [{"chip": "a", "units": 5, "budget": 5}]}),
        Case("orders[0] units and budget null", {**BASE, "orders": [{"chip": "a", "units": 5, "budget": None}]}),
        Case("orders[0] neither", {**BASE, "orders": [{"chip": "a"}]}),
        # An empty value is a key not given, everywhere: in a pair, in a keyed section, in a mapping
        Case("orders[0] units null, budget", {**BASE, "orders": [{"chip": "a", "units": None, "budget": 5}]}),
        Case("orders[0] both null", {**BASE, "orders": [{"chip": "a", "units": None, "budget": None}]}),
        Case("chips.b=null beside a", {**BASE, "chips": {"a": chip, "b": None}}),
        Case("chips.b c=null", {**BASE, "chips": {"a": chip, "b c": None}}),
        Case("platforms.p=null", {**BASE, "platforms": {"p": None}}),
        Case("platforms.p=null, a chip on p", {**BASE, "platforms": {"p": None, "q": BASE["platforms"]["p"]},
                                                "chips": {"a": {**chip, "platform": "p"}}}, "platform"),
        Case("tflops.fp8=null", with_value(("chips", "a"), "tflops", {"bf16": 989, "fp8": None})),
        Case("tflops.bf16=null", with_value(("chips", "a"), "tflops", {"bf16": None, "fp8": 1979})),
        Case("fx.CNY=null, a yuan price", with_value(("assumptions",), "fx", {"CNY": None},
                                                      with_value(("chips", "a"), "price", "¥5k"))),
        Case("fx.CNY=null, a dollar price", with_value(("assumptions",), "fx", {"CNY": None})),
        Case("precision fp8 without fp8", with_value(("assumptions",), "precision", "fp8")),
        Case("precision fp8 with fp8", with_value(("chips", "a"), "tflops", {"fp8": 1979}, with_value(
            ("assumptions",), "precision", "fp8"))),
        Case("tflops without bf16", with_value(("chips", "a"), "tflops", {"fp8": 1979})),
        Case("top level list", [BASE]),
        Case("top level text", "chips"),
    ]
    return cases


def reference_cases() -> list[Case]:
    order = BASE["orders"][0]
    return [
        Case("order names an unknown chip", {**BASE, "orders": [{**order, "chip": "b"}]}, "reference"),
        Case("chip on an unknown platform", with_value(("chips", "a"), "platform", "rocm"), "platform"),
        Case("chip on a known platform", with_value(("chips", "a"), "platform", "p")),
        Case("two orders of one name", {**BASE, "orders": [{**order, "name": "x"}, {**order, "name": "x"}]},
             "names"),
        Case("money in a currency fx lacks", with_value(("chips", "a"), "price", "5 GBP"), "currency"),
        Case("a mix rule with neither share", {**BASE, "mix": {"rules": [{"chips": ["a"]}]}}, "shares"),
        Case("a mix rule's min_share above its max_share",
             {**BASE, "mix": {"rules": [{"chips": ["a"], "min_share": "60%", "max_share": "50%"}]}}, "shares"),
        Case("two mix rules of one name", {**BASE, "mix": {"rules": [
            {"name": "x", "chips": ["a"], "max_share": 1}, {"name": "x", "chips": ["a"], "max_share": 1}]}},
             "names"),
        Case("extends a partial chip", {"extends": "parent.yaml", "chips": {"a": {"levy_rate": "10%"}}}),
        Case("extends with no chips", {"extends": "parent.yaml", "chips": {}}),
        Case("extends, out of range", {"extends": "parent.yaml", "chips": {"a": {"levy_rate": "100%"}}}),
        Case("extends, required key null", {"extends": "parent.yaml", "chips": {"a": {"price": None}}}),
        Case("extends, optional key null", {"extends": "parent.yaml", "chips": {"a": {"power_w": None}}}),
        Case("extends, yen with the parent's rate", {"extends": "parent.yaml", "chips": {"a": {"price": "¥5k"}}}),
        Case("extends, a new chip without price", {"extends": "parent.yaml", "chips": {"b": {"levy_rate": 0}}},
             "extends"),
        Case("extends a missing file", {"extends": "missing.yaml"}, "extends"),
        Case("extends blank", {"extends": " ", "chips": BASE["chips"]}),
        Case("extends null", {"extends": None, "chips": BASE["chips"]}),
        Case("extends a number", {"extends": 5, "chips": BASE["chips"]}),
    ]


CASES = corpus()


class _Quoting(yaml.SafeDumper):
    """Writes every string quoted: `1e-2` unquoted is text to chipcalc's YAML 1.1 and a number to
    check-jsonschema's YAML 1.2, and the corpus is about how text is read, not YAML versions."""


_Quoting.add_representer(str, lambda dumper, text: dumper.represent_scalar("tag:yaml.org,2002:str", text,
                                                                           style='"'))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    (folder / "parent.yaml").write_text(yaml.dump(BASE, Dumper=_Quoting, allow_unicode=True), encoding="utf-8")
    for index, case in enumerate(CASES):
        text = yaml.dump(case.tree, Dumper=_Quoting, allow_unicode=True)
        (folder / f"{index:04d}.yaml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def validate_refuses(folder: Path) -> set[str]:
    """The corpus files `chipcalc validate` refuses: those its problems (FILE:LINE:COL: ...) name."""
    files = sorted(str(path) for path in folder.glob("[0-9]*.yaml"))
    result = CliRunner().invoke(app, ["validate", *files])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code == 1, result.output
    return {Path(line.split(":", 1)[0]).name for line in result.output.splitlines() if line.startswith(str(folder))}


@pytest.fixture(scope="module", params=["default", "python"])
def schema_refuses(request: pytest.FixtureRequest, folder: Path, tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """The corpus files check-jsonschema refuses, with ECMAScript (its default) or Python regexes."""
    schema = tmp_path_factory.mktemp("schema") / "scenario.schema.json"
    assert CliRunner().invoke(app, ["schema", "-o", str(schema)]).exit_code == 0
    files = sorted(str(path) for path in folder.glob("[0-9]*.yaml"))
    result = subprocess.run([sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), "-o", "json",
                             "--regex-variant", request.param, *files], check=False, capture_output=True, text=True)
    report = json.loads(result.stdout)
    assert not report["parse_errors"]
    return {Path(error["filename"]).name for error in report["errors"]}


@pytest.mark.parametrize("index", range(len(CASES)), ids=[case.name for case in CASES])
def test_schema_and_validate_agree(index: int, validate_refuses: set[str], schema_refuses: set[str]) -> None:
    case = CASES[index]
    name = f"{index:04d}.yaml"
    refused = name in validate_refuses
    if case.gap in STRICTER:
        assert not refused and name in schema_refuses
    elif case.gap:
        assert name not in schema_refuses, f"the schema now checks {case.gap}: drop it from GAPS and the README"
    else:
        assert (name in schema_refuses) == refused, (
            f"validate {'refuses' if refused else 'accepts'} it, the schema does not: {case.tree!r}")


def test_every_gap_is_real_and_in_the_readme(validate_refuses: set[str]) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = " ".join(readme[readme.index("### `chipcalc schema`"):readme.index("### In CI and pre-commit")].split())
    for gap, phrase in {**GAPS, **STRICTER}.items():
        assert phrase in section, f"the README's schema section does not say {phrase!r}"
        if gap in GAPS:
            refused = [i for i, case in enumerate(CASES) if case.gap == gap and f"{i:04d}.yaml" in validate_refuses]
            assert refused, f"no case shows that validate checks {gap}"


def test_the_corpus_has_the_issues_examples() -> None:
    trees = [json.dumps(case.tree, ensure_ascii=False) for case in CASES]
    for example in ('"utilization": "101%"', '"levy_rate": "100%"', '"price": "-5k"', '"units": "0"',
                    '"power_w": null', '"tflops": {}', '"6 to 2"', '"mode": -1', 'EUR"'):
        assert any(example in tree for tree in trees), example
