"""report and validate share many files among processes (chipcalc.batch): the same bytes, the same
messages and exit codes as one process, and the same refusals."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from chipcalc import batch
from chipcalc.cli import app
from chipcalc.errors import ChipcalcError

from .conftest import ROOT

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def scenarios(folder: Path, count: int) -> list[str]:
    """`count` valid scenarios b000, b001, ... (the shipped h200-2026 and article-check in turn, each
    with its own name and an order a little larger than the last), enough for several processes."""
    models = [(ROOT / "scenarios" / name).read_text(encoding="utf-8") for name in ("h200-2026.yaml",
                                                                                   "article-check.yaml")]
    paths = []
    for index in range(count):
        text = re.sub(r"(?m)^name: .*$", f"name: b{index:03d}", models[index % 2], count=1)
        text = re.sub(r"(?m)^(\s+units: )(\d+)k$", lambda m: f"{m[1]}{int(m[2]) + index}k", text)
        path = folder / f"b{index:03d}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


@pytest.mark.parametrize(("jobs", "files", "expected"), [
    (1, 300, 1),  # asked for one
    (4, 31, 1),  # too few files for a second process
    (4, 32, 2),
    (4, 300, 4),
    (64, 100, 6),  # never fewer than FILES_PER_PROCESS files each
])
@linux_only
def test_how_many_processes(jobs: int, files: int, expected: int) -> None:
    assert batch.FILES_PER_PROCESS == 16
    assert batch.processes(jobs, files) == expected


def test_by_default_one_process_per_core_this_process_may_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1, 2}, raising=False)
    assert batch.processes(None, 1000) == 3


def test_elsewhere_than_linux_the_work_stays_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "platform", "darwin")
    assert batch.processes(8, 1000) == 1


def _twice(number: int) -> int:
    return 2 * number


def _dies_at_five(number: int) -> int:
    if number == 5:
        os._exit(1)  # as the out-of-memory killer would end it
    return number


@linux_only
def test_results_come_back_in_order() -> None:
    assert batch.map_files(_twice, list(range(100)), jobs=2) == [2 * n for n in range(100)]


@linux_only
def test_a_worker_that_dies_is_an_error_not_a_hang() -> None:
    with pytest.raises(ChipcalcError, match="a worker process died.*--jobs 1"):
        batch.map_files(_dies_at_five, list(range(64)), jobs=2)


@linux_only
@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_report_in_two_processes_writes_the_bytes_of_one(tmp_path: Path, fmt: str) -> None:
    files = scenarios(tmp_path, 40)
    for jobs in ("1", "2"):
        result = run("report", *files, "--out", str(tmp_path / jobs), "-f", fmt, "--jobs", jobs)
        assert (result.exit_code, result.stderr) == (0, f"wrote 41 reports to {tmp_path / jobs}\n")
    one, two = (sorted((tmp_path / jobs).iterdir()) for jobs in ("1", "2"))
    assert [p.name for p in one] == [p.name for p in two]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(one, two))


@linux_only
def test_validate_in_two_processes_says_what_one_says(tmp_path: Path) -> None:
    files = scenarios(tmp_path, 40)
    for broken in (files[3], files[37]):  # one in each process's share
        path = Path(broken)
        path.write_text(path.read_text(encoding="utf-8").replace("price: $", "price: -$", 1), encoding="utf-8")
    one, two = (run("validate", *files, "--jobs", jobs) for jobs in ("1", "2"))
    assert (two.exit_code, two.stdout, two.stderr) == (one.exit_code, one.stdout, one.stderr)
    assert one.exit_code == 1 and one.stderr == "2 of 40 scenarios invalid\n"
    assert [line.split(":")[0] for line in one.stdout.splitlines()] == [files[3], files[37]]


@linux_only
@pytest.mark.parametrize("command", ["validate", "report"])
def test_an_unreadable_file_among_many_stops_either_way(tmp_path: Path, command: str) -> None:
    files = scenarios(tmp_path, 40)
    files[20] = str(tmp_path / "missing.yaml")
    out = ["--out", str(tmp_path / "out")] if command == "report" else []
    one, two = (run(command, *files, *out, "--jobs", jobs) for jobs in ("1", "2"))
    assert (two.exit_code, two.stderr) == (one.exit_code, one.stderr) == (2, f"{files[20]}: no such file\n")
    assert not (tmp_path / "out").exists()


@linux_only
def test_two_files_of_one_name_in_different_processes(tmp_path: Path) -> None:
    files = scenarios(tmp_path, 40)
    Path(files[39]).write_text(Path(files[0]).read_text(encoding="utf-8"), encoding="utf-8")  # also b000
    one, two = (run("report", *files, "--out", str(tmp_path / "out"), "--jobs", jobs) for jobs in ("1", "2"))
    assert (two.exit_code, two.stderr) == (one.exit_code, one.stderr)
    assert one.exit_code == 2 and "two scenarios are named 'b000'" in one.stderr


@linux_only
def test_a_file_a_worker_read_is_not_replaced(tmp_path: Path) -> None:
    """Inputs are remembered across processes: the last scenario, read by a worker only, is the file
    its own report would replace."""
    files = scenarios(tmp_path, 40)
    out = tmp_path / "out"
    out.mkdir()
    inside = out / "b039.md"
    inside.write_text(Path(files[39]).read_text(encoding="utf-8"), encoding="utf-8")
    files[39] = str(inside)
    before = inside.read_bytes()
    result = run("report", *files, "--out", str(out), "--jobs", "2")
    assert result.exit_code == 2
    assert result.stderr.endswith(f"cannot write {inside}: it is one of this command's input files; choose "
                                  "another output file\n"), result.stderr
    assert inside.read_bytes() == before


def test_jobs_must_be_a_positive_count() -> None:
    result = run("validate", "--jobs", "0")
    assert result.exit_code == 2 and "--jobs" in result.stderr


WORKER_HARNESS = """\
import sys, time
import chipcalc.render.reports as reports
def stuck(result, fmt):
    sys.stderr.write("WORKING\\n"); sys.stderr.flush()
    time.sleep(60)
reports.scenario_report = stuck
sys.argv = ["chipcalc", *sys.argv[1:]]
from chipcalc.cli import main
main()
"""
"""Runs `report` with workers that get stuck, so that the command is killed while they work."""


@linux_only
@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGKILL"])
def test_workers_end_with_a_killed_command(tmp_path: Path, signal_name: str) -> None:
    """Regression: after `kill` (or CI's timeout) the workers waited for work forever, holding the
    command's output pipes open, so whatever read them hung too."""
    import signal
    import subprocess
    import time

    files = scenarios(tmp_path, 40)
    process = subprocess.Popen([sys.executable, "-c", WORKER_HARNESS, "report", *files, "--out",
                                str(tmp_path / "out"), "--jobs", "2"], stderr=subprocess.PIPE,
                               start_new_session=True)
    try:
        assert process.stderr.readline() == b"WORKING\n"
        os.kill(process.pid, getattr(signal, signal_name))
        process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.killpg(process.pid, 0)  # anyone left in the command's process group?
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            pytest.fail("workers outlived the command")
    finally:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.stderr.close()
