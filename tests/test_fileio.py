"""The one atomic write: text or bytes, whole or not at all."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from chipcalc.errors import UsageError
from chipcalc.fileio import write_atomic


def test_writes_text_as_utf8_without_translating_newlines(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    write_atomic(path, "¥1\n")
    assert path.read_bytes() == "¥1\n".encode("utf-8")


def test_writes_bytes_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    write_atomic(path, b"\x89PNG\r\n")
    assert path.read_bytes() == b"\x89PNG\r\n"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "a.txt"
    path.write_text("old", encoding="utf-8")

    def refuse(source: str, destination: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(UsageError, match="cannot write .*a.txt: No space left on device"):
        write_atomic(path, "new")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


def test_a_missing_directory_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="cannot write"):
        write_atomic(tmp_path / "nowhere" / "a.txt", "x")


def test_a_file_that_already_holds_the_content_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    write_atomic(path, "same\n")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = os.stat(path)
    write_atomic(path, "same\n")
    after = os.stat(path)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, 1_000_000_000), "not rewritten"


@pytest.mark.parametrize("old", ["same", "same\n\n", "SAME\n", ""])
def test_a_file_that_differs_even_by_its_length_is_replaced(tmp_path: Path, old: str) -> None:
    path = tmp_path / "a.md"
    path.write_text(old, encoding="utf-8")
    write_atomic(path, "same\n")
    assert path.read_text(encoding="utf-8") == "same\n"


def test_report_rewrites_only_the_reports_that_changed(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from chipcalc.cli import app

    from .conftest import ROOT

    scenarios = []
    for name in ("h200-2026.yaml", "article-check.yaml"):
        scenarios.append(tmp_path / name)
        scenarios[-1].write_text((ROOT / "scenarios" / name).read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "r"

    def report() -> None:
        result = CliRunner().invoke(app, ["report", *map(str, scenarios), "--out", str(out)])
        assert result.exit_code == 0, result.output

    report()
    for path in out.iterdir():
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    edited = re.sub(r"(?m)^title: .*$", "title: Edited", scenarios[0].read_text(encoding="utf-8"), count=1)
    scenarios[0].write_text(edited, encoding="utf-8")
    report()
    touched = {path.name for path in out.iterdir() if path.stat().st_mtime_ns != 1_000_000_000}
    assert touched == {"h200-2026.md", "index.md"}


@pytest.mark.parametrize("spelling", ["same path", "dotted path", "hard link", "linked folder"])
def test_no_output_replaces_an_input_whatever_path_names_it(tmp_path: Path, spelling: str) -> None:
    """An input is known by its file, not its path: `-o` through `./`, another folder's symbolic
    link or a hard link to the scenario is refused, and the scenario is left as it was."""
    from typer.testing import CliRunner

    from chipcalc.cli import app

    scenario = tmp_path / "s.yaml"
    scenario.write_text("chips:\n  a: {price: $10k, tflops: {bf16: 100}}\n", encoding="utf-8")
    before = scenario.read_bytes()
    if spelling == "same path":
        output = scenario
    elif spelling == "dotted path":
        output = tmp_path / "." / "s.yaml"
    elif spelling == "hard link":
        output = tmp_path / "s.json"
        os.link(scenario, output)
    else:
        (tmp_path / "link").symlink_to(tmp_path, target_is_directory=True)
        output = tmp_path / "link" / "s.yaml"
    result = CliRunner().invoke(app, ["chips", str(scenario), "-f", "json", "-o", str(output)])
    assert result.exit_code == 2
    assert result.stderr == (f"error: cannot write {output}: it is one of this command's input files; "
                             "choose another output file\n")
    assert scenario.read_bytes() == before
