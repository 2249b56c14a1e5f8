"""The one atomic write: text or bytes, whole or not at all."""

from __future__ import annotations

import os
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
