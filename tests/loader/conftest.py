"""Fixtures of the loader's tests: the repository as working directory, and a family of scenarios
(parent.yaml <- child.yaml <- grandchild.yaml) in a temporary one."""

from __future__ import annotations

import pytest

from .common import PARENT, REPO, write


@pytest.fixture
def in_repo(monkeypatch):
    """Run from the repository root, so files are labelled tests/invalid/x.yaml."""
    monkeypatch.chdir(REPO)


@pytest.fixture
def family(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write(tmp_path, "parent.yaml", PARENT)
    write(tmp_path, "child.yaml", """\
        extends: parent.yaml
        assumptions:
          levy_pass_through: 50%
        chips:
          h200:
            tflops: {fp8: 2000}
            utilization: 40%
        orders:
          - chip: ascend
            units: 100k
        """)
    write(tmp_path, "grandchild.yaml", """\
        extends: child.yaml
        name: grandchild-name
        chips:
          ascend:
            price: ¥250k
        """)
    return tmp_path
