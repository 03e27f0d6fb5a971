"""Render one figure per patient of a cohort, reusing one Figure per worker."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import math
import multiprocessing
import os
import re
import select
import signal
import sys
import threading
import time
from collections import Counter
from concurrent.futures import (
    FIRST_COMPLETED,
    ProcessPoolExecutor,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from pathlib import Path

from ..drawing.options import FigureOptions
from ..drawing.style import house_style
from ..reading.errors import InputError
from .export import save_figure
from .png import write_png

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Names Windows reserves for devices, whatever the extension.
_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}
MAX_NAME = 80


def safe_filenames(patient_ids) -> dict[str, str]:
    """Map patient ids to file names that are safe, distinct and stable.

    Characters other than letters, digits, ``.``, ``_`` and ``-`` become ``_``,
    leading dots are dropped (no ``..``, no hidden files), and any name that changed,
    is reserved, or would clash with another (also on case-insensitive file
    systems) gets the first 8 hex digits of the SHA-1 of the original id, so the
    same id always gets the same name.
    """
    ids = list(dict.fromkeys(str(pid) for pid in patient_ids))
    base = {
        pid: _UNSAFE.sub("_", pid).lstrip(".").strip()[:MAX_NAME] or "patient"
        for pid in ids
    }
    counts = Counter(name.casefold() for name in base.values())
    names = {}
    for pid, name in base.items():
        if (
            name != pid
            or counts[name.casefold()] > 1
            or name.split(".")[0].upper() in _RESERVED
        ):
            digest = hashlib.sha1(pid.encode("utf-8")).hexdigest()[:8]
            name = f"{name}-{digest}"
        names[pid] = name
    return names


@dataclass
class BatchReport:
    """What a batch wrote, by patient, and why the failed patients failed."""

    written: dict[str, list[Path]] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)


def render_cohort(
    cohort,
    out_dir,
    *,
    formats=("png",),
    dpi=300,
    jobs=1,
    executor=None,
    workers=None,
    chunk_size=None,
    progress=None,
    options=None,
):
    """Render each patient's figure into ``out_dir``, in parallel if asked.

    Each worker reuses one Figure and its Axes across its patients (see
    :class:`plotting.figure.CaseFrame`); the images are those ``plot_case`` draws.

    Parameters
    ----------
    cohort : Cohort
        As :func:`plotting.cohort.read_cohort` returns. Patients are read one at a
        time in the workers; those whose data are bad are reported as failed.
    out_dir : str or Path
        Output folder; file names come from :func:`safe_filenames`.
    formats : sequence of str
        File formats.
    dpi : int
        Raster resolution.
    jobs : int
        Worker processes when no ``executor`` is given (1: this process).
    executor : concurrent.futures.Executor, optional
        Any executor, for example ``dask.distributed.Client(...).get_executor()``;
        it is used as given and not shut down. Its workers write the files into
        ``out_dir`` on their own file system: on a cluster of several machines,
        a folder all of them share.
    workers : int, optional
        How many tasks the executor runs at once, which sizes the chunks. By
        default ``jobs``, or with an executor this machine's CPU count (an
        executor does not say); for a Dask cluster pass
        ``sum(client.nthreads().values())``.
    chunk_size : int, optional
        Patients per task. By default an eighth of each worker's share, between
        1 and 25, so that workers finish together and each draws many patients
        on its Figure. At most two tasks per worker wait at a time, so patients
        are copied for other processes only shortly before they are drawn.
    progress : bool, optional
        Show a progress bar; by default only when stderr is a terminal.
    options : FigureOptions, optional
        The figure options, as :func:`plotting.plot_case` takes them.

    Returns
    -------
    BatchReport
    """
    options = FigureOptions() if options is None else options
    if not isinstance(options, FigureOptions):
        raise TypeError(
            f"options must be a FigureOptions, not {type(options).__name__}"
        )
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    report = BatchReport()
    names = safe_filenames(cohort.sources)
    if workers is None:
        workers = max(jobs, 1) if executor is None else os.cpu_count() or 1
    elif not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a whole number above 0, not {workers!r}")
    # Small chunks keep workers evenly loaded to the end; each keeps its Figure.
    size = chunk_size or max(1, min(25, math.ceil(len(cohort) / (workers * 8))))
    chunks = _chunks(cohort, names, size, executor is not None or jobs > 1)
    show = sys.stderr.isatty() if progress is None else progress
    bar = _progress_bar(len(cohort), show)
    args = (out_dir, tuple(formats), dpi, options)
    try:
        if executor is None and jobs <= 1:
            for chunk in chunks:
                _collect(report, render_chunk(chunk, *args), bar)
        elif executor is not None:
            _run(executor, chunks, args, report, bar, 2 * workers)
        else:
            with worker_pool(jobs) as pool:
                _run(pool, chunks, args, report, bar, 2 * workers)
    finally:
        if bar is not None:
            bar.close()
    return report


def _chunks(cohort, names, size, detach):
    """Yield lists of ``(patient_id, source, file_name)``, ``size`` at a time.

    For another process a patient is detached (only its own rows), as its chunk
    is submitted rather than all at the start.
    """
    ids = list(cohort.sources)
    for start in range(0, len(ids), size):
        chunk = []
        for pid in ids[start : start + size]:
            source = cohort.source(pid)
            chunk.append((pid, source.detached() if detach else source, names[pid]))
        yield chunk


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
        ["plotting.app.batch", "plotting.drawing.case_figure"]
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


def _run(executor, chunks, args, report, bar, waiting):
    """Submit chunks, at most ``waiting`` at a time, and collect their results."""
    running = set()
    while True:
        for chunk in itertools.islice(chunks, waiting - len(running)):
            running.add(executor.submit(render_chunk, chunk, *args))
        if not running:
            return
        done, running = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            _collect(report, future.result(), bar)


def _collect(report, results, bar):
    for pid, paths, error in results:
        if error is None:
            report.written[pid] = paths
        else:
            report.failed[pid] = error
    if bar is not None:
        bar.update(len(results))


def _progress_bar(total, show):
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="patient", file=sys.stderr)


_FRAMES: dict = {}


_ENCODERS: dict = {}


def _worker_encoder():
    """Return this worker's single background thread for PNG encoding."""
    # Keyed by process too: a forked worker inherits the dicts, not the threads.
    key = (os.getpid(), threading.get_ident())
    if key not in _ENCODERS:
        _ENCODERS[key] = ThreadPoolExecutor(max_workers=1)
    return _ENCODERS[key]


def _worker_frame(rc=None):
    """Return this worker's reused frame, kept across chunks, and its buffers.

    One per thread: a thread executor must not draw two patients on one Figure.
    The frame is made under the style its patients are drawn with, as
    ``plot_case`` makes its own: tick labels and axis titles take their font and
    antialiasing when they are made, not when they are drawn. A different ``rc``
    gets a new frame.
    """
    from ..drawing.case_figure import CaseFrame
    from .canvas import BufferPool, ReusingCanvas

    key = (os.getpid(), threading.get_ident())
    style = repr(sorted((rc or {}).items()))
    kept = _FRAMES.get(key)
    if kept is None or kept[0] != style:
        with house_style(rc):
            frame = CaseFrame.new(pyplot=False)
        ReusingCanvas(frame.fig)
        # The pixels drawn, and those waiting to be encoded.
        pool = BufferPool(PENDING_ENCODES + 1) if kept is None else kept[2]
        _FRAMES[key] = kept = (style, frame, pool)
    return kept[1:]


PENDING_ENCODES = 2


def _encode(pixels, target, dpi, pool):
    try:
        return write_png(pixels, target, dpi=dpi)
    finally:
        pool.give_back(pixels)


def render_chunk(items, out_dir, formats, dpi, options):
    """Render ``(patient_id, source, file_name)`` items on one reused Figure.

    PNG files are encoded on a background thread while the next patient is drawn
    (encoding releases the GIL); at most ``PENDING_ENCODES`` wait at a time.
    Threads of one process draw one at a time: matplotlib's settings are global,
    and a figure drawn while another thread's style is in force differs.
    """
    from ..drawing.case_figure import draw_case
    from .canvas import rasterise

    results, pending = {}, []
    encoder = _worker_encoder()
    others = [fmt for fmt in formats if fmt != "png"]
    for pid, source, name in items:
        try:
            case = source.load()
            with _DRAWING:
                frame, pool = _worker_frame(options.rc)
                with house_style(options.rc):
                    frame.reset()
                    draw_case(frame, case, options)
                paths = save_figure(frame.fig, out_dir / name, formats=others, dpi=dpi)
                if "png" in formats:
                    pixels = rasterise(frame.fig, dpi, pool)
            if "png" in formats:
                target = out_dir / f"{name}.png"
                future = encoder.submit(_encode, pixels, target, dpi, pool)
                pending.append((pid, future))
        except InputError as err:
            results[pid] = (pid, [], str(err))
        else:
            results[pid] = (pid, paths, None)
        while len(pending) > PENDING_ENCODES or (pending and pid == items[-1][0]):
            done_pid, future = pending.pop(0)
            results[done_pid][1].insert(formats.index("png"), future.result())
    return [results[pid] for pid, _, _ in items]


# Held while a thread sets matplotlib's settings and draws (see render_chunk).
_DRAWING = threading.RLock()
