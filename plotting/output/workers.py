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
    waiting for the patients queued, and waits until they have ended: only then
    does it report the signal, and only then, as it exits, does Python remove the
    semaphores and the folder the workers start from. The workers ignore Ctrl-C,
    which a terminal sends to them too, so only the parent reports it; and a
    worker whose parent is killed ends (on Linux) instead of rendering and
    writing on its own.
    """
    before = set(multiprocessing.active_children())
    context = _worker_context()
    if context is not None:
        _start_fork_server()
    pool = _WorkerPool(
        max_workers=jobs,
        mp_context=context,
        initializer=_start_worker,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
        pool.shutdown()
    except BaseException:
        # A second signal waits until the workers are gone.
        with signals_held():
            workers = set(multiprocessing.active_children()) - before
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.join()
            # Returns at once, the workers being gone; waiting for the pool's own
            # thread keeps it from racing the interpreter's exit.
            pool.shutdown(cancel_futures=True)
        raise


class _WorkerPool(ProcessPoolExecutor):
    """A process pool whose workers are started whole or not at all.

    ``submit`` starts a worker when it needs one: it sends the worker what it
    needs and waits for the fork server to say the worker's process id. A signal
    in between left a worker this process knew nothing of, which then read
    half of what it was sent (EOFError) or the semaphores this process removes
    as it exits (FileNotFoundError), and printed a traceback after the command's
    last line. The signal is held until ``submit`` returns.
    """

    def submit(self, fn, /, *args, **kwargs):
        with signals_held():
            return super().submit(fn, *args, **kwargs)


_HELD = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def signals_held():
    """Hold SIGINT and SIGTERM while the block runs, then act on them as before.

    A signal that came meanwhile is handled when the block ends, by the handler
    in force before it (the command line's raises an exception). Outside the
    main thread, where Python runs no signal handler, this does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    holder = os.getpid()
    held: list[int] = []

    def hold(signum, frame):
        if os.getpid() != holder:
            # A worker forked meanwhile, before its own handlers: Ctrl-C is
            # the batch's to report, SIGTERM ends it.
            if signum == signal.SIGTERM:
                os._exit(128 + signum)
            return
        held.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in _HELD}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for signum in dict.fromkeys(held):
            _handle(signum, previous[signum])


def _handle(signum: int, handler) -> None:
    if callable(handler):
        handler(signum, None)
    elif handler != signal.SIG_IGN:
        signal.raise_signal(signum)


def _start_fork_server() -> None:
    """Start the fork server, if not yet running, deaf to Ctrl-C.

    It inherits SIGINT blocked, and so do the workers it forks, until each sets
    its own handlers: else a Ctrl-C while it imports the drawing code, or while a
    worker starts, prints their KeyboardInterrupt. A Ctrl-C sent to this process
    meanwhile is not lost: it waits, blocked, and is handled after.
    """
    from multiprocessing import forkserver, resource_tracker

    # Started first: starting it unblocks SIGINT, which it ignores on its own.
    resource_tracker.ensure_running()
    blocked = hasattr(signal, "pthread_sigmask")
    if blocked:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        forkserver.ensure_running()
    finally:
        if blocked:
            signal.pthread_sigmask(signal.SIG_SETMASK, previous)


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
