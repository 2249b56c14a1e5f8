"""chipcalc's benchmarks: every figure a ratio against a baseline measured in the same run.

    python bench/run.py            # the full run (a few minutes)
    python bench/run.py --quick    # a smoke run: few repeats, small sizes

Runs are interleaved (baseline, chipcalc, baseline, ...) so that a noisy
machine slows both alike; the table shows medians, with min and max. Memory
is the peak resident set size of the child process (os.wait4).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable
CHIPCALC = [PYTHON, "-m", "chipcalc"]
FLOOR = [PYTHON, str(BENCH / "floor_app.py")]
SCENARIO = str(ROOT / "scenarios" / "h200-2026.yaml")
SIMULATE_SCENARIO = str(BENCH / "scenarios" / "simulate.yaml")


# As users run it: with bytecode caches (some shells here set PYTHONDONTWRITEBYTECODE), no colour.
ENVIRONMENT = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}


def timed(command: list[str], cwd: Path = ROOT) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in MiB of one run of `command` (which must succeed)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               env=ENVIRONMENT)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{process.stderr.read().decode()}")
    return elapsed, usage.ru_maxrss // 1024


def compare(name: str, baseline: list[str], subject: list[str], repeats: int, target: str) -> dict:
    """Interleaved runs of both commands; the ratio of medians."""
    base_times, subject_times, peaks = [], [], []
    timed(baseline), timed(subject)  # warm the file cache and write bytecode
    for _ in range(repeats):
        base_times.append(timed(baseline)[0])
        elapsed, peak = timed(subject)
        subject_times.append(elapsed)
        peaks.append(peak)
    return {
        "name": name,
        "baseline": statistics.median(base_times),
        "subject": statistics.median(subject_times),
        "min": min(subject_times),
        "max": max(subject_times),
        "ratio": statistics.median(subject_times) / statistics.median(base_times),
        "target": target,
        "peak_mib": max(peaks),
    }


def batch_files(folder: Path, count: int) -> list[str]:
    """`count` scenario files: children of a shared parent, and standalone copies, varied."""
    shutil.copy(ROOT / "scenarios" / "h200-2026.yaml", folder / "base.yaml")
    files = []
    for index in range(count):
        path = folder / f"s{index:03d}.yaml"
        if index % 2:
            text = (f"extends: base.yaml\nname: s{index:03d}\nchips:\n  h200:\n"
                    f"    levy_rate: {10 + index % 20}%\n")
        else:
            text = (ROOT / "scenarios" / "h200-2026.yaml").read_text(encoding="utf-8").replace(
                "name: h200-2026", f"name: s{index:03d}").replace("units: 400k", f"units: {100 + index}k")
        path.write_text(text, encoding="utf-8")
        files.append(str(path))
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run: few repeats, small sizes")
    options = parser.parse_args()
    repeats = 3 if options.quick else 15
    samples = 100_000 if options.quick else 1_000_000
    memory_samples = 1_000_000 if options.quick else 10_000_000
    grid = "0.1" if options.quick else "0.001"
    count = 30 if options.quick else 300
    rows = []
    rows.append(compare("compare -f json (start-up)", [*FLOOR, SCENARIO, "-f", "json"],
                        [*CHIPCALC, "compare", SCENARIO, "-f", "json"], repeats, "<= 1.25"))
    rows.append(compare("compare, table (start-up)", [*FLOOR, SCENARIO, "-f", "table"],
                        [*CHIPCALC, "compare", SCENARIO], repeats, "<= 1.25"))
    rows.append(compare("--version", [*FLOOR, SCENARIO, "-f", "json"], [*CHIPCALC, "--version"], repeats,
                        "<= 1.25"))
    rows.append(compare("--help", [*FLOOR, SCENARIO, "-f", "json"], [*CHIPCALC, "--help"], repeats,
                        "<= 1.25"))
    with tempfile.TemporaryDirectory() as folder:
        files = batch_files(Path(folder), count)
        out = str(Path(folder) / "reports")
        rows.append(compare(f"report, {count} files", [*FLOOR, *files, "-f", "json"],
                            [*CHIPCALC, "report", *files, "--out", out], max(repeats // 3, 2), "<= 3"))
        rows.append(compare(f"validate, {count} files", [*FLOOR, *files, "-f", "json"],
                            [*CHIPCALC, "validate", *files], max(repeats // 3, 2), "<= 3"))
    reference = [PYTHON, str(BENCH / "numpy_reference.py"), "--samples", str(samples)]
    rows.append(compare(f"simulate --samples {samples:,}", reference,
                        [*CHIPCALC, "simulate", SIMULATE_SCENARIO, "--samples", str(samples), "-f", "json"],
                        max(repeats // 3, 2), "<= 1.5"))
    size = "1000 x 1000" if not options.quick else "11 x 11"
    sweep = [*CHIPCALC, "sweep", SCENARIO, "--vary", f"chips.h200.levy_rate=0:0.999:{grid}",
             "--vary", f"assumptions.levy_pass_through=0:1:{grid}", "--metric", "cheapest"]
    rows.append(compare(f"sweep {size}, table", reference, sweep, max(repeats // 3, 2), "about 1"))
    rows.append(compare(f"sweep {size}, every point as JSON", reference, [*sweep, "-f", "json"],
                        max(repeats // 5, 1), "(output-bound)"))
    _, peak = timed([*CHIPCALC, "simulate", SIMULATE_SCENARIO, "--samples", str(memory_samples),
                     "-f", "json"])
    report(rows, memory_samples, peak)


def report(rows: list[dict], memory_samples: int, peak: int) -> None:
    from importlib.metadata import version

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.system()} {platform.release()}; typer {version('typer')}, numpy {version('numpy')}")
    print()
    header = f"{'benchmark':<30} {'baseline s':>10} {'chipcalc s':>10} {'min':>7} {'max':>7} {'ratio':>6}"
    print(f"{header}  target")
    for row in rows:
        print(f"{row['name']:<30} {row['baseline']:>10.3f} {row['subject']:>10.3f} {row['min']:>7.3f} "
              f"{row['max']:>7.3f} {row['ratio']:>6.2f}  {row['target']}")
    print()
    print(f"simulate --samples {memory_samples:,}: peak memory {peak} MiB")
    print("baselines: start-up and batch against bench/floor_app.py (Typer + PyYAML + json.dumps, the same "
          "arguments); simulate and sweep against bench/numpy_reference.py (the formulas by hand in numpy)")


if __name__ == "__main__":
    sys.exit(main())
