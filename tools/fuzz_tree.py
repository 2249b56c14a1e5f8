#!/usr/bin/env python3
"""Fuzz chipcalc with mutants of the parsed YAML tree of valid scenarios, on every command.

    python tools/fuzz_tree.py --cases 2000 --seed 1        # the long run (about 1 s a case)
    python tools/fuzz_tree.py --cases 300 --seed 2 --all    # every command on every case

tools/fuzz.py mutates the text; this one parses a seed scenario and mutates the tree: the type of a
value, YAML tags (core tags with values they cannot take, Python tags), keys (unknown, near misses,
Unicode, bidirectional and zero-width characters), anchors, aliases and merge keys (shared, undefined,
self-referencing, bombs), nesting depth, injection payloads in every text field (newlines, ESC,
U+202E, `=cmd`, `../../x`, code fences, workflow commands) and `extends` targets (absolute paths,
FIFOs, devices, files that are not YAML, a secret outside the work area, cycles). The tree is written
back as YAML and every command is run on it in-process (validate and compare on every case, the
others in turn, or all with --all). The contract (CLI.md "Output", "Exit codes", "Files chipcalc reads
and writes"; issue 13), checked on each run:

- no traceback; exit 0/1 for validate, 0/1/2 for `report --check`, 0/2 for every other command;
- on exit 2 (and validate's 1), every message line is `FILE:LINE:COL: ...` for a scenario file,
  `FILE: ...` for a file that cannot be read, or `error: ...` for a usage mistake;
- no file written outside its place (`out/` for report, `outputs/` for -o, `plot.svg`);
- no secret echoed: a canary file outside the work area, which `extends` targets, never shows;
- no control, bidirectional or zero-width character in stdout or stderr, no forged line (a line
  that only a newline inside a one-line field could start, outside Markdown code fences);
- no CSV text cell that a spreadsheet would run as a formula;
- at most CASE_SECONDS (tools/fuzz.py) for a case.

Violating inputs go to --out (default fuzz-tree-violations/) with a note. Exits 1 on any violation.
tests/test_fuzz_tree.py runs a small derandomised sample in CI. The per-command checks are in
tools/fuzz_contract.py (shared with tests/test_security.py), the YAML writer in tools/yaml_tree.py.
"""

from __future__ import annotations

import argparse
import copy
import datetime
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import fuzz  # (tools/fuzz.py: seeds, random values, the crash check)
from fuzz_contract import CANARY, check_output
from yaml_tree import Anchored, Raw, scalar, to_text

# Where a mutation can land ---------------------------------------------------------------------

def places(tree: Any, path: tuple = ()) -> list[tuple]:
    """Every path (a tuple of keys and indexes) to a node in the tree, the root excluded."""
    found = []
    items = tree.items() if isinstance(tree, dict) else enumerate(tree) if isinstance(tree, list) else ()
    for key, value in items:
        found.append(path + (key,))
        found += places(value, path + (key,))
    return found


def parent_of(tree: Any, path: tuple) -> Any:
    for key in path[:-1]:
        tree = tree[key]
    return tree


TAGS = ("!!float", "!!float .", "!!int -", "!!int _", "!!bool maybe", "!!timestamp x", "!!float 1e999",
        "!!int 0x", "!!null x", "!!str", "!!binary ***", "!!set {a: 1}", "!!omap [a: 1]", "!!merge x",
        "!!value", "!custom 1", "!!python/name:os.system", "!!python/object/apply:os.getcwd []",
        "{bf16: !!int -}", "{bf16: !!float .}", "[!!bool maybe]", "!!timestamp 2026-99-99")

PAYLOADS = ("x\n::error file=a.yaml,line=1::forged", "x\n::add-mask::forged", "\x1b[2J\x1b]0;forged\x07",
            "a\u202eforged", "a\u200b", "\u2066x\u2069", "=HYPERLINK(\"http://forged\")", "+cmd|' /C calc'!A0",
            "-2+3", "@SUM(1)", "\t=1", "\r=1", "../../forged", "../../../../forged", "sub/forged", "index",
            "..", ".", "x" * 300, "é" * 140, "```\n# forged heading\n```", "~~~\n# forged\n", "| forged | cell |",
            "<script>forged</script>", "a\x00b", "line\u2028forged", "x\r\nforged", "\\x1b",
            "# forged", "[forged](javascript:x)", "*forged*", "\ufeffbom")

KEY_NOISE = ("\u202e", "\u200b", "é", "Ｋ", "_", "s", "-", " ", "\x1b[31m", "\n", ":", "\u0301")


def mutate_type(rng: random.Random, tree: Any, path: tuple) -> None:
    parent_of(tree, path)[path[-1]] = rng.choice([
        None, True, 0, -1, 10**400 if rng.random() < 0.2 else 2**64, 1e308, float("nan"), float("inf"), "",
        "text", [], {}, [1, 2], {"low": 1}, {"a": {"b": 1}}, datetime.date(2026, 1, 15), Raw(fuzz.random_value(rng)
                                                                                           .split("\n")[0]
                                                                                           or "x")])


def mutate_tag(rng: random.Random, tree: Any, path: tuple) -> None:
    parent_of(tree, path)[path[-1]] = Raw(rng.choice(TAGS))


def mutate_key(rng: random.Random, tree: Any, path: tuple) -> None:
    parent = parent_of(tree, path)
    if not isinstance(parent, dict):
        return mutate_type(rng, tree, path)
    key = str(path[-1])
    choice = rng.randrange(4)
    if choice == 0:
        new = rng.choice(fuzz.KEYS) + rng.choice(["", "s", "_usd", "2"])
    elif choice == 1:  # a near miss: one character changed
        spot = rng.randrange(len(key) + 1)
        new = key[:spot] + rng.choice("aeiou_-") + key[spot + 1:]
    else:
        spot = rng.randrange(len(key) + 1)
        new = key[:spot] + rng.choice(KEY_NOISE) + key[spot:]
    parent[new] = parent.pop(path[-1])


def mutate_payload(rng: random.Random, tree: Any, path: tuple) -> None:
    """An injection payload in a text field: one already there, or one a scenario may have."""
    text_fields = [p for p in places(tree) if isinstance(parent_of(tree, p)[p[-1]], str)]
    if isinstance(tree, dict) and rng.random() < 0.4:
        field_name = rng.choice(["name", "title", "description"])
        tree[field_name] = rng.choice(PAYLOADS)
        return
    if not text_fields:
        return mutate_type(rng, tree, path)
    target = rng.choice(text_fields)
    payload = rng.choice(PAYLOADS)
    parent_of(tree, target)[target[-1]] = payload if rng.random() < 0.7 else parent_of(tree, target)[target[-1]] \
        + payload


def mutate_alias(rng: random.Random, tree: Any, path: tuple) -> None:
    """Anchors and aliases: a shared subtree, a merge key, an undefined or self-referencing alias, a bomb."""
    parent = parent_of(tree, path)
    choice = rng.randrange(5)
    if choice == 0:
        others = [p for p in places(tree) if p != path and isinstance(parent_of(tree, p)[p[-1]], (dict, list))
                  and p[: len(path)] != path and path[: len(p)] != p]
        if others:
            source = rng.choice(others)
            holder = parent_of(tree, source)
            holder[source[-1]] = Anchored("a", holder[source[-1]])
            parent[path[-1]] = Raw("*a")
            return
    if choice == 1 and isinstance(parent, dict):
        parent[path[-1]] = Raw(rng.choice(["*undefined", "*", "&", "&a *a"]))
        return
    if choice == 2:
        parent[path[-1]] = Anchored("self", {"x": Raw("*self")})
        return
    if choice == 3:
        width = rng.randint(2, 12)
        parent[path[-1]] = Raw("[" + ", ".join(["x"] * width) + "]")
        return
    parent[path[-1]] = {"<<": Raw(rng.choice(["*undefined", "[1, 2]", "5", "{price: -1}"])), "price": 1}


def mutate_depth(rng: random.Random, tree: Any, path: tuple) -> None:
    depth = rng.choice([10, 60, 300, 1200, 5000])
    node: Any = rng.choice([1, "x", "$32k"])
    opener, closer = rng.choice([("[", "]"), ("{a: ", "}")])
    parent_of(tree, path)[path[-1]] = Raw(opener * depth + scalar(node) + closer * depth) if depth > 100 \
        else _nested(depth, node)


def _nested(depth: int, leaf: Any) -> Any:
    for _ in range(depth):
        leaf = {"k": leaf} if depth % 2 else [leaf]
    return leaf


def mutate_extends(rng: random.Random, tree: Any, path: tuple, area: Path | None = None) -> None:
    if not isinstance(tree, dict):
        return
    targets = ["/etc/passwd", "/etc/hostname", "/proc/self/maps", "/dev/null", "/dev/zero", "/dev/stdin",
               "/dev/urandom", "fifo.yaml", "parent.txt", ".env", "link.yaml", "mutant.yaml", "cycle-a.yaml",
               "../outside/secret.yaml", "../../outside/secret.yaml", "outputs", "missing.yaml", "h200-2026.yaml",
               "~/.netrc", "", "\x1b[31m.yaml", "a\u202e.yaml"]
    if area is not None:
        targets.append(str(area / "outside" / "secret.yaml"))
    tree["extends"] = rng.choice(targets)


def mutate_delete(rng: random.Random, tree: Any, path: tuple) -> None:
    parent = parent_of(tree, path)
    del parent[path[-1]]


def mutate_grow(rng: random.Random, tree: Any, path: tuple) -> None:
    """Many of something: orders, chips (cheaply, through one anchor)."""
    if isinstance(tree, dict) and isinstance(tree.get("chips"), dict) and tree["chips"]:
        key = next(iter(tree["chips"]))
        tree["chips"][key] = Anchored("chip", tree["chips"][key])
        for i in range(rng.choice([10, 100, 400])):
            tree["chips"][f"c{i}"] = Raw("*chip")
        orders = tree.get("orders")
        if isinstance(orders, list) and orders:
            tree["orders"] = [copy.deepcopy(orders[0]) for _ in range(rng.choice([2, 20, 40]))]
    else:
        mutate_type(rng, tree, path)


MUTATIONS = (mutate_type, mutate_type, mutate_tag, mutate_tag, mutate_key, mutate_key, mutate_payload,
             mutate_payload, mutate_payload, mutate_alias, mutate_depth, mutate_extends, mutate_extends,
             mutate_delete, mutate_grow)


def make_case(rng: random.Random, trees: dict[str, Any], area: Path | None = None) -> tuple[str, str]:
    """(seed name, mutant text): one to three tree mutations of a parsed seed. Two cases in five get
    injection payloads only, which mostly leave the scenario valid: the payloads must then get through
    every renderer without reaching the output raw."""
    name = rng.choice(sorted(trees))
    tree = copy.deepcopy(trees[name])
    payloads_only = rng.random() < 0.4
    for _ in range(rng.choice((1, 1, 2, 3))):
        spots = places(tree)
        if not spots:
            break
        path = rng.choice(spots)
        mutation = mutate_payload if payloads_only else rng.choice(MUTATIONS)
        try:
            if mutation is mutate_extends:
                mutate_extends(rng, tree, path, area)
            else:
                mutation(rng, tree, path)
        except (KeyError, IndexError, TypeError):  # a path made stale by an earlier mutation
            continue
    return name, to_text(tree)


def seed_trees() -> dict[str, Any]:
    import yaml

    return {name: yaml.safe_load(text) for name, text in fuzz.seeds().items()}


# The work area: where a case may read and write ------------------------------------------------

def prepare(area: Path) -> Path:
    """area/outside/ holds the secrets; area/l1/l2/work/ (the current directory while a case runs) holds
    the mutant, its allowed parents and the traps `extends` may name. Returns the work directory, deep
    enough that `../../../../x` from its out/ still lands inside `area`, where it is seen."""
    work = area / "l1" / "l2" / "work"
    fuzz.prepare(work)
    (area / "outside").mkdir(exist_ok=True)
    (area / "outside" / "secret.yaml").write_text(f"{CANARY} is the whole file\n", encoding="utf-8")
    (area / "l1" / "l2" / "outside").symlink_to(area / "outside")
    (work / "parent.txt").write_text(fuzz.SMALL["minimal.yaml"], encoding="utf-8")
    (work / ".env").write_text(f"TOKEN={CANARY}\n", encoding="utf-8")
    (work / "link.yaml").symlink_to(area / "outside" / "secret.yaml")
    (work / "cycle-a.yaml").write_text("extends: cycle-b.yaml\n", encoding="utf-8")
    (work / "cycle-b.yaml").write_text("extends: cycle-a.yaml\n", encoding="utf-8")
    (work / "seed.yaml").write_text(fuzz.SMALL["two-chips.yaml"], encoding="utf-8")
    (work / "outputs").mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(work / "fifo.yaml")
    return work


ALLOWED = ("out", "outputs", "plot.svg")
"""What a case may create in the work directory; anything else new under the area is a violation."""


def snapshot(area: Path) -> set[str]:
    return {str(path.relative_to(area)) for path in area.rglob("*")}


# Commands ------------------------------------------------------------------------------------------

EXPLAINED = ("tco_usd", "spend_usd", "demand_tflops", "vendor_net_usd", "buyer_price_usd", "breakeven.levy_rate")


def commands(case: int, rng: random.Random, every: bool) -> list[list[str]]:
    """validate and compare (in one of the four formats) on every case; the others in turn, or all."""
    m = fuzz.MUTANT
    fmt = ("table", "json", "csv", "markdown")[case % 4]
    others = [
        ["chips", m, "-f", "csv"], ["levy", m, "-f", "markdown"], ["breakeven", m],
        ["sweep", m, "--vary", "assumptions.levy_pass_through=0%:100%:25%", "-f", "csv"],
        ["sensitivity", m, "-f", "table"], ["simulate", m, "-n", "200", "-f", "csv"],
        ["diff", "seed.yaml", m, "-f", "markdown"], ["report", m, "--out", "out"],
        ["report", m, "--out", "out", "--check"],
        ["explain", m, rng.choice(EXPLAINED), *(["--chip", "h20"] if rng.random() < 0.5 else [])],
        ["compare", m, "-o", "outputs/result.csv"], ["chips", m, "-f", "json"],
    ]
    chosen = others if every else [others[(case * 3 + i) % len(others)] for i in range(3)]
    return [["validate", m], ["compare", m, "-f", fmt], *chosen]


def label(args: list[str]) -> str:
    """A command as the summary counts it: `compare csv`, `report --check`, `breakeven`."""
    extra = [args[args.index("-f") + 1]] if "-f" in args else []
    extra += [option for option in ("--check", "-o", "--chip") if option in args]
    return " ".join([args[0], *extra])


# The contract ----------------------------------------------------------------------------------------

@dataclass
class Outcome:
    codes: dict[str, int | None] = field(default_factory=dict)
    violations: list[tuple[str, str]] = field(default_factory=list)
    """(kind, what went wrong)"""
    seconds: float = 0.0


def run_command(runner: Any, app: Any, args: list[str], work: Path) -> tuple[int | None, list[tuple[str, str]]]:
    result = runner.invoke(app, args, catch_exceptions=True)
    if isinstance(result.exception, fuzz.Hang):
        raise result.exception
    crash = fuzz._crash(result)
    if crash:
        last = crash.splitlines()[-1]  # the exception and its message
        return result.exit_code, [("traceback", f"{' '.join(args[:1] + args[2:])}: {last}")]
    found = check_output(args, result.stdout, result.stderr, result.exit_code)
    written = [work / "outputs" / "result.csv"] if "-o" in args else []
    written += sorted((work / "out").glob("*")) if args[0] == "report" and (work / "out").is_dir() else []
    for path in written:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            found += [(kind, f"{path.name}: {what}") for kind, what in
                      check_output(["markdown" if path.suffix == ".md" else "csv", *args], text, "", 0)
                      if kind in ("secret", "control", "forged line", "csv formula")]
    return result.exit_code, found


def check_case(text: str, work: Path, area: Path, case: int, rng: random.Random, every: bool = False) -> Outcome:
    """Run the case's commands on `text` as work/mutant.yaml; the contract's violations."""
    from typer.testing import CliRunner

    from chipcalc.cli import app

    (work / fuzz.MUTANT).write_text(text, encoding="utf-8")
    before = snapshot(area)
    runner, outcome = CliRunner(), Outcome()
    start = time.perf_counter()
    timed = hasattr(signal, "setitimer")
    if timed:
        signal.signal(signal.SIGALRM, fuzz._alarm)
        signal.setitimer(signal.ITIMER_REAL, fuzz.CASE_SECONDS)
    here = os.getcwd()
    os.chdir(work)
    try:
        for args in commands(case, rng, every):
            code, found = run_command(runner, app, args, work)
            outcome.codes[label(args)] = code
            outcome.violations += found
    except fuzz.Hang:
        outcome.violations.append(("hang", f"still running after {fuzz.CASE_SECONDS:.0f} s"))
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, signal.SIG_DFL)
        os.chdir(here)
    outcome.seconds = time.perf_counter() - start
    created = snapshot(area) - before
    outside = sorted(p for p in created if not p.startswith(tuple(f"l1/l2/work/{a}" for a in ALLOWED)))
    if outside:
        outcome.violations.append(("file outside its place", f"wrote {outside[:3]}"))
    clean(area, work, created)
    return outcome


def clean(area: Path, work: Path, created: set[str]) -> None:
    """Remove what the case wrote, so the next case starts from the same area."""
    for relative in sorted(created, key=len, reverse=True):
        path = area / relative
        if path.is_symlink() or path.is_file():
            path.unlink()
        elif path.is_dir() and path != work / "outputs":
            shutil.rmtree(path, ignore_errors=True)


# The long run ---------------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=1000, help="how many mutants to try (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed; the same seed gives the same cases")
    parser.add_argument("--all", action="store_true", help="run every command on every case (slower)")
    parser.add_argument("--out", type=Path, default=Path("fuzz-tree-violations"),
                        help="folder for the inputs that violate the contract (default fuzz-tree-violations/)")
    parser.add_argument("--progress", type=int, default=100, help="print progress every N cases")
    parser.add_argument("--memory-mb", type=int, default=4096, help="address-space limit (default 4096)")
    args = parser.parse_args(argv)
    try:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (args.memory_mb * 2**20,) * 2)
    except (ImportError, ValueError, OSError):
        pass
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)  # `extends: /dev/stdin` reads this process's stdin: never a terminal's
    trees = seed_trees()
    rng = random.Random(args.seed)
    codes: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    violating = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="chipcalc-fuzz-tree-") as scratch:
        area = Path(scratch)
        work = prepare(area)
        for case in range(1, args.cases + 1):
            seed_name, text = make_case(rng, trees, area)
            outcome = check_case(text, work, area, case, rng, args.all)
            codes.update(f"{command} {code}" for command, code in outcome.codes.items())
            if outcome.violations:
                violating += 1
                kinds.update({kind for kind, _ in outcome.violations})
                args.out.mkdir(parents=True, exist_ok=True)
                stem = f"case-{args.seed}-{case:06d}"
                (args.out / f"{stem}.yaml").write_text(text, encoding="utf-8")
                (args.out / f"{stem}.txt").write_text(
                    f"seed scenario: {seed_name}\nseed {args.seed}, case {case}\n\n"
                    + "\n".join(f"[{kind}] {what}" for kind, what in outcome.violations) + "\n", encoding="utf-8")
            if args.progress and case % args.progress == 0:
                print(f"{case}/{args.cases} cases, {violating} violating, {time.perf_counter() - start:.0f} s",
                      file=sys.stderr)
    elapsed = time.perf_counter() - start
    print(f"{args.cases} cases in {elapsed:.0f} s; {violating} with violations")
    print("violations by kind (cases): " + (", ".join(f"{k} {n}" for k, n in kinds.most_common()) or "none"))
    print("exit codes: " + ", ".join(f"{key}: {n}" for key, n in sorted(codes.items())))
    return 1 if violating else 0


if __name__ == "__main__":
    sys.exit(main())
