"""Render one figure per patient of a cohort, reusing one Figure per worker."""

from __future__ import annotations

import hashlib
import itertools
import math
import os
import re
import sys
import threading
from collections import Counter
from concurrent.futures import (
    FIRST_COMPLETED,
    ThreadPoolExecutor,
    wait,
)
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import InputError
from ..drawing.options import FigureOptions
from ..drawing.style import house_style
from .atomic import clear_stale
from .export import save_figure
from .png import write_png
from .workers import worker_pool

if TYPE_CHECKING:
    from collections.abc import Sequence
    from concurrent.futures import Executor

    from ..core.cohort import Cohort
    from ..core.types import PathLike

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
    # index.html, written with the "html" format.
    index: Path | None = None
    # A failed patient's files of the formats asked for, left by an earlier run:
    # drawn from data that is now refused, and not replaced.
    stale: dict[str, list[Path]] = field(default_factory=dict)


def render_cohort(
    cohort: Cohort,
    out_dir: PathLike,
    *,
    formats: Sequence[str] = ("png",),
    dpi: int = 300,
    jobs: int = 1,
    executor: Executor | None = None,
    workers: int | None = None,
    chunk_size: int | None = None,
    progress: bool | None = None,
    options: FigureOptions | None = None,
) -> BatchReport:
    """Render each patient's figure into ``out_dir``, in parallel if asked.

    Each worker reuses one Figure and its Axes across its patients (see
    ``plotting.drawing.case_figure.CaseFrame``); the images are those
    ``plot_case`` draws.

    Parameters
    ----------
    cohort : Cohort
        As :func:`plotting.read_cohort` returns. Patients are read
        one at a time in the workers; those whose data are bad are reported as
        failed.
    out_dir : str or Path
        Output folder; file names come from ``safe_filenames``.
    formats : sequence of str
        File formats. With ``"html"`` each patient's page says where each value
        comes from, and ``index.html`` links every patient's page and lists the
        problems of those that could not be drawn (``BatchReport.index``).
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
        The files written, the patients that failed with their problems, the index
        page when ``html`` was asked for, and (``stale``) a failed patient's
        files an earlier run left in ``out_dir``: never replaced, never deleted.
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
            try:
                with worker_pool(jobs) as pool:
                    _run(pool, chunks, args, report, bar, 2 * workers)
            except BaseException:
                # The workers, stopped and gone, may have been writing.
                clear_stale(out_dir, "")
                raise
    finally:
        if bar is not None:
            bar.close()
    for pid in report.failed:
        left = [out_dir / f"{names[pid]}.{fmt}" for fmt in formats]
        left = [path for path in left if path.exists()]
        if left:
            report.stale[pid] = left
    if "html" in formats:
        report.index = write_index(out_dir, cohort.sources, names, report)
    return report


INDEX_NAME = "index.html"


def write_index(out_dir, patient_ids, names, report, *, title="Patients") -> Path:
    """Write ``index.html``: every patient, a link to their page, their problems.

    Patients are listed in the cohort's order; one whose data could not be
    drawn is listed with the problems found and no link.

    Returns
    -------
    Path
        The index written.
    """
    from .export import write_text
    from .html import index_page

    patients = []
    for pid in patient_ids:
        page = f"{names[pid]}.html"
        written = any(path.name == page for path in report.written.get(pid, ()))
        patients.append(
            (str(pid), page if written else None, report.failed.get(pid, ""))
        )
    return write_text(Path(out_dir) / INDEX_NAME, index_page(title, patients))


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
    from .mpl_accel import forget_text_renderers

    results, pending = {}, []
    encoder = _worker_encoder()
    others = [fmt for fmt in formats if fmt != "png"]
    for pid, source, name in items:
        try:
            case = source.load()
            with _DRAWING:
                frame, pool = _worker_frame(options.rc)
                with house_style(options.rc):
                    forget_text_renderers(frame.fig)
                    frame.reset()
                    draw_case(frame, case, options)
                paths = save_figure(
                    frame.fig, out_dir / name, formats=others, dpi=dpi, case=case
                )
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
