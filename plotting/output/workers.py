"""Worker processes for a batch that end with it, started as safely as can be."""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import select
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path


@contextlib.contextmanager
def worker_pool(jobs: int):
    """Yield a pool of ``jobs`` worker processes that end with this process.

    An interrupted or terminated batch stops its workers at once instead of
    waiting for the patients queued; the workers ignore Ctrl-C, which a terminal
    sends to them too, so only the parent reports it; and a worker whose parent
    is killed ends (on Linux) instead of rendering and writing on its own.
    """
    before = set(multiprocessing.active_children())
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=_worker_context(),
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    except BaseException:
        for worker in set(multiprocessing.active_children()) - before:
            worker.terminate()
        # Returns at once, the workers being gone; waiting for the pool's own
        # thread keeps it from racing the interpreter's exit.
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()


def _worker_context():
    """Start workers from a fork server where that is safe, else as Python would.

    Forked from this process, a worker would hold a copy of the whole cohort and
    of this process's threads; the fork server is a fresh interpreter that has
    imported only the drawing code, so each worker starts small and quickly. But
    a worker started that way imports the caller's ``__main__`` again, which
    reruns a script without an ``if __name__ == "__main__":`` guard: the fork
    server is used only from the command line, a notebook or ``python -c``.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods() or not (
        _main_reimports_safely()
    ):
        return None
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(
        ["plotting.output.batch", "plotting.drawing.case_figure"]
    )
    return context


def _main_reimports_safely() -> bool:
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    if path is None:  # a notebook, the interpreter's prompt, python -c
        return True
    spec = getattr(main, "__spec__", None)
    # python -m plotting, or the guarded marker-trends script pip writes.
    return (spec is not None and spec.name.startswith("plotting.")) or Path(
        path
    ).stem == "marker-trends"


def _start_worker(batch: int) -> None:
    # The command line turns SIGTERM into an exception; a worker must simply end,
    # and leave Ctrl-C, which the terminal sends it too, to the parent.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from .canvas import release_large_buffers

    release_large_buffers()
    threading.Thread(target=_end_with, args=(batch,), daemon=True).start()


def _end_with(batch: int) -> None:
    """End this worker as soon as the batch's process ``batch`` has ended.

    The fork server that started the worker outlives a killed batch (its workers
    hold its pipe open), so the worker watches the batch process itself.
    """
    try:
        handle = os.pidfd_open(batch)
    except (AttributeError, OSError):
        # No pidfd (before Linux 5.3, macOS): look twice a second.
        while _exists(batch):
            time.sleep(0.5)
    else:
        select.select([handle], [], [])
    os._exit(1)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True
