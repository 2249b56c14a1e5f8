"""The command line: options, consoles, the error boundary. No arithmetic here.

Each command loads scenarios, calls the model once, hands the result to a view and prints what
the renderer built. The package:

    group.py    the root Typer app (--version, --debug) and the group that builds only the
                command that runs, from COMMANDS (command -> module)
    common.py   what commands share: the error boundary, loading, output (emit), option types
    tables.py   compare, chips, levy, mix, validate, schema
    whatif.py   breakeven, sweep, sensitivity, simulate, cashflow
    reports.py  report, diff, explain

Importing this package imports no Typer: `main` answers `chipcalc --version` before it does, and
`app` (the root Typer app, for tests and `typer.testing.CliRunner`) is loaded on first use.
"""

import gc
import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main"]


def main() -> None:
    """The console script: run the app, and leave quietly when a pipe closes early."""
    if sys.argv[1:] == ["--version"]:
        # Answered before Typer and click are imported (most of the start-up of any other run);
        # the root app's eager --version gives the same line wherever else it is written.
        from .. import __version__

        print(f"chipcalc {__version__}")
        return
    # The collector, paced for a run that lasts a second and keeps nearly all it builds (parsed
    # scenarios, results, documents) until it exits: at Python's default pace (a young-generation
    # pass every 700 allocations, survivors scanned again as they age) it spent 230 ms of a
    # 300-file `report` rescanning live objects. A pass every 50,000 allocations scans each new
    # object about once (50 ms), and freezing what the imports built keeps Typer's and click's
    # objects out of every scan. Reference cycles are still collected, only less often.
    gc.set_threshold(50_000, 20, 100)
    # chipcalc's arrays are elementwise (sweeps, simulations) or tiny (a mix's few rows), never a
    # BLAS product worth a second core, yet importing numpy starts OpenBLAS's thread pool, which
    # costs 60-70 ms of CPU on two cores. One thread unless the user asks for more.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from .group import app

    gc.freeze()
    from ..process import run

    run(app)  # output errors are exit 2, never a truncation; a pipe's reader leaving early is not


def __getattr__(name: str) -> "typer.Typer":
    """`chipcalc.cli.app`, imported (with Typer) only when asked for."""
    if name == "app":
        from .group import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
