"""The benchmark's generated inputs: deterministic scenario files, so every run measures the same work.

Each file stands alone (no `extends:`), so chipcalc and the floor app read
exactly the same bytes. tests/test_bench.py checks that `chipcalc validate`
accepts what these functions write.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ("h200-2026.yaml", "h20-2025.yaml", "article-check.yaml")
"""The shipped scenarios that stand alone, the models for the batch files (about 3-9 KB each)."""


def batch_files(folder: Path, count: int) -> list[Path]:
    """`count` scenario files in `folder`, copies of the shipped ones with their own names and varied values.

    File i is model i % 3 with name b000, b001, ..., each levy rate raised by
    i % 5 points and each order's units or budget scaled by 1 + (i % 10) / 100,
    so no two files give the same results.
    """
    models = [(ROOT / "scenarios" / name).read_text(encoding="utf-8") for name in SHIPPED]
    files = []
    for index in range(count):
        path = folder / f"b{index:03d}.yaml"
        path.write_text(_varied(models[index % len(models)], index), encoding="utf-8")
        files.append(path)
    return files


SMALL = """\
name: s{index:03d}
title: Small scenario {index}
chips:
  h200:
    price: ${price}k
    levy_rate: {levy}%
    tflops: {{bf16: 989}}
    source: datasheet
  h20:
    price: $13k
    tflops: {{bf16: 148}}
orders:
  - name: buyers
    chip: h200
    units: {units}k
"""
"""The smallest useful scenario (0.3 KB): two chips, one order, every other key left to its default."""


def small_files(folder: Path, count: int) -> list[Path]:
    """`count` small scenario files s000, s001, ... in `folder`, each with its own price, levy and units."""
    files = []
    for index in range(count):
        path = folder / f"s{index:03d}.yaml"
        path.write_text(SMALL.format(index=index, price=30 + index % 5, levy=15 + index % 10,
                                     units=100 + index), encoding="utf-8")
        files.append(path)
    return files


def _varied(model: str, index: int) -> str:
    """Batch file `index`'s text: the model renamed, its levy rates and quantities moved."""
    points, scale = index % 5, 1 + (index % 10) / 100
    text = re.sub(r"(?m)^name: .*$", f"name: b{index:03d}", model, count=1)
    text = re.sub(r"levy_rate: (\d+)%", lambda m: f"levy_rate: {int(m[1]) + points}%", text)
    return re.sub(r"(?<!\w)(units|budget): (\$?)(\d+)([kMB])\b",
                  lambda m: f"{m[1]}: {m[2]}{round(int(m[3]) * scale)}{m[4]}", text)


def scaling_scenario(path: Path, chips: int, orders: int, platforms: int = 3, rules: bool = False) -> Path:
    """A scenario with `chips` chips on `platforms` software platforms (CUDA, the incumbent, and
    others with a migration cost) and `orders` orders, written to `path`; with `rules`, a `mix:`
    section too: a 30% quota on the chips off CUDA, a 10% cap on the second chip, a power limit.

    Values vary with the chip's and order's index, within the ranges real chips
    span (SCENARIO.md), so options are neither all equal nor all alike.
    """
    lines = ["name: " + path.stem, f"title: {chips} chips on {platforms} platforms, {orders} orders", "",
             "assumptions:", "  lifetime_years: 5", "  pue: 1.3", "  levy_pass_through: 20%",
             "  electricity_usd_per_kwh: 0.08", "", "chips:"]
    for index in range(chips):
        lines += [f"  c{index:03d}:",
                  f"    platform: {_platform(index, platforms)}",
                  f"    price: ${10 + index % 23}k",
                  f"    levy_rate: {5 * (index % 6)}%",
                  f"    tflops: {{bf16: {150 + 37 * (index % 25)}}}",
                  f"    utilization: {25 + index % 20}%",
                  f"    power_w: {900 + 10 * (index % 50)}",
                  f"    host_cost: ${1 + index % 10}k"]
        if _platform(index, platforms) != "cuda":  # domestic supply is limited, as in the shipped scenarios
            lines.append(f"    supply_units: {20 + index % 30}k")
    lines += ["", "platforms:"] if platforms > 1 else []
    for number in range(1, platforms):
        lines += [f"  p{number}:", f"    migration_cost: ${50 * number}M",
                  f"    engineer_months: {1000 * number}",
                  "    cost_per_engineer_month: $15k"]
    lines += ["", "orders:"]
    for index in range(orders):
        lines += [f"  - name: o{index:05d}", f"    chip: c{index % chips:03d}",
                  f"    units: {10 + index % 90}k"]
    if rules:
        domestic = ", ".join(f"c{index:03d}" for index in range(chips)
                             if _platform(index, platforms) != "cuda")
        lines += ["", "mix:", "  power_limit_mw: 400", "  rules:",
                  "    - name: quota", f"      chips: [{domestic}]", "      min_share: 30%",
                  "    - name: cap", "      chips: [c001]", "      max_share: 10%"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _platform(index: int, platforms: int) -> str:
    """Chip `index`'s platform: cuda, p1, p2, ... in turn."""
    number = index % platforms
    return "cuda" if number == 0 else f"p{number}"
