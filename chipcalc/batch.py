"""Many files at once, one process per core: `report` and `validate` over a repository's scenarios.

Each file is read, checked and (for `report`) costed and rendered on its own, so the files are
shared out among worker processes and the results come back in the order the files were given:
the output is byte for byte what one process writes. The workers are forked from the running
command (nothing is imported again) by the standard library's process pool, and hand back only
light values (text, problems), never the model's objects, which cost more to send than to build.

Forking is used where it is the platform's own way to start processes (Linux); elsewhere, and
for a few files, the work runs in this process.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable, Sequence
from typing import TypeVar

from .errors import ChipcalcError

Item = TypeVar("Item")
Result = TypeVar("Result")

FILES_PER_PROCESS = 16
"""The fewest files worth a process: below it, starting one (about 20 ms with the pool's import)
costs more than its share of the work saves (0.5-3 ms a file)."""


def processes(jobs: int | None, files: int) -> int:
    """How many processes share `files` files: `jobs` when given (1: this process alone), else one per
    core this process may use, and never so many that one gets fewer than FILES_PER_PROCESS files."""
    if jobs is None:
        jobs = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if not sys.platform.startswith("linux"):
        return 1
    return max(1, min(jobs, files // FILES_PER_PROCESS))


def map_files(work: Callable[[Item], Result], items: Sequence[Item], jobs: int | None = None) -> list[Result]:
    """`[work(item) for item in items]`, shared among `processes(jobs, len(items))` processes.

    `work` must be a module's function (or a functools.partial of one) and return values that
    pickle cheaply. A worker that dies (the out-of-memory killer) is a ChipcalcError, not a hang.
    """
    count = processes(jobs, len(items))
    if count < 2:
        return [work(item) for item in items]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    # Frozen, what the command built so far is left out of the workers' collections, which would
    # otherwise write to every object's header and so copy the pages they share with this process.
    # It stays frozen, as the CLI's imports are: a command's process is short-lived, and unfreezing
    # hands it all back to the collector (a full pass over it cost 10% of a 300-file report).
    gc.freeze()
    chunk = max(1, len(items) // (count * 4))  # a few chunks each, so a slow file delays little
    pool = ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("fork"),
                               initializer=_worker_started, initargs=(os.getpid(),))
    try:
        return list(pool.map(work, items, chunksize=chunk))
    except BrokenProcessPool:
        raise ChipcalcError("a worker process died before it finished (out of memory?); rerun with "
                            "--jobs 1 to work in one process") from None
    finally:  # after Ctrl-C, only the chunks being worked on are finished
        pool.shutdown(cancel_futures=True)


PR_SET_PDEATHSIG = 1
"""Linux's prctl(2) option: the signal a process gets when the process that started it dies."""


def _worker_started(command: int) -> None:
    """Ctrl-C interrupts the command, which stops the workers: they do not each report it. However the
    command ends (killed, or timed out by CI's SIGTERM), its workers end with it: left running, they
    would wait for work forever, holding the command's output pipes open."""
    import ctypes

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != command:  # it died before prctl took effect
        os._exit(1)
