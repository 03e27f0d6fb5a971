"""What several commands do: read the inputs, check what was asked, write outputs.

Every mistake a user can fix raises :class:`UsageError` with a message that names
the option or path and says what to do; the command line exits with status 2.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sys
import warnings
from pathlib import Path

from ..computing.kinetics import KineticsError, find_treatment
from ..core.dates import time_position
from ..core.errors import CaseDataError, InputError
from ..drawing.journals import JOURNAL_PRESETS
from ..drawing.options import FigureOptions
from ..drawing.style import house_style
from ..output.export import save_figure
from ..reading.case import read_case
from ..reading.cohort import read_cohort
from ..reading.settings.case_toml import TABLE_NAMES

# What ``-o`` may end with, and the format each extension means.
EXTENSIONS = {
    "png": "png",
    "pdf": "pdf",
    "svg": "svg",
    "tiff": "tiff",
    "tif": "tiff",
    "html": "html",
}
_UNWRITABLE = (errno.EACCES, errno.EPERM, errno.EROFS)


class UsageError(Exception):
    """A mistake in the command: exit status 2, its message and no traceback."""


def say(message: str) -> None:
    """Print a message on stderr, after the program's name."""
    print(f"marker-trends: {message}", file=sys.stderr)


def listing(names, limit: int = 12) -> str:
    """Return names comma-separated, the first ``limit`` of them."""
    names = list(names)
    shown = ", ".join(names[:limit])
    return shown + (f" and {len(names) - limit} more" if len(names) > limit else "")


def _must_exist(path, what: str) -> None:
    if not Path(path).exists():
        raise UsageError(f"{path}: no such {what}; check the path")


def load_case(path):
    """Read a case folder, printing its warnings as one line each."""
    _must_exist(path, "case folder")
    return _warned(read_case, path)


def load_cohort(path):
    """Read a cohort folder, printing its warnings as one line each."""
    _must_exist(path, "cohort folder")
    return _warned(read_cohort, path)


def _warned(read, path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        read = read(path)
    for warning in caught:
        say(f"warning: {warning.message}")
    return read


def readable_cases(cohort, path) -> dict:
    """Read every patient of a cohort; raise a UsageError if none can be."""
    if not cohort.cases:
        what = "could be read" if cohort.problems else "was found"
        raise UsageError(
            f"{path}: no patient {what}; 'marker-trends batch {path} -o FOLDER' "
            "lists each patient's problems"
        )
    return cohort.cases


def report_left_out(cohort) -> None:
    """Name on stderr each patient left out of a cohort figure for bad data."""
    for pid in sorted(cohort.problems):
        say(
            f"patient {pid!r} left out: bad data (see 'marker-trends batch' for the "
            "details)"
        )


def figure_options(**options) -> FigureOptions:
    """Return the figure options asked for; a value it refuses is a UsageError."""
    try:
        return FigureOptions(**options)
    except InputError as err:
        raise UsageError(str(err)) from None


def resolution(args) -> int:
    """Return ``--dpi``, or the preset's resolution."""
    return args.dpi if args.dpi is not None else JOURNAL_PRESETS[args.preset].dpi


def output_stem(path: str, formats, *, force: bool = False) -> Path:
    """Return the stem that ``-o`` names: ``figures/fig4.png`` is ``figures/fig4``.

    Raises
    ------
    UsageError
        If the extension is not among ``formats``, the path is a folder, or the
        folder it goes into cannot be written.
    """
    stem = Path(path)
    extension = stem.suffix[1:].lower()
    if extension in EXTENSIONS:
        if EXTENSIONS[extension] not in formats:
            raise UsageError(
                f"-o {path}: .{extension} is not among the formats asked for "
                f"({' '.join(formats)}); add --format {EXTENSIONS[extension]}, "
                "or give the path without an extension"
            )
        stem = stem.with_suffix("")
    if path.endswith(("/", os.sep)) or stem.is_dir():
        raise UsageError(
            f"-o {path}: is a folder; give a file path without extension, "
            f"e.g. {stem / 'figure'}"
        )
    for fmt in formats:
        target = stem.with_name(f"{stem.name}.{fmt}")
        if target.is_dir():
            raise UsageError(
                f"-o {path}: {target} is a folder; choose another file name"
            )
    _check_writable(stem.parent, f"-o {path}")
    _refuse_data_folder(stem.parent, f"-o {path}", force)
    return stem


def output_folder(path: str, option: str, *, force: bool = False) -> Path:
    """Return the folder ``option`` names, checking it can be made and written."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise UsageError(
            f"{option} {path}: is a file; give a folder (it is made if missing)"
        )
    _check_writable(folder, f"{option} {path}")
    _refuse_data_folder(folder, f"{option} {path}", force)
    return folder


def output_file(path: str, option: str, *, force: bool = False) -> Path:
    """Return the file ``option`` names, checking its folder can be written."""
    target = Path(path)
    if path.endswith(("/", os.sep)) or target.is_dir():
        raise UsageError(f"{option} {path}: is a folder; give a file name")
    _check_writable(target.parent, f"{option} {path}")
    _refuse_data_folder(target.parent, f"{option} {path}", force)
    return target


def _check_writable(folder: Path, named: str) -> None:
    existing = folder
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir():
        raise UsageError(
            f"{named}: {existing} is a file, not a folder; choose another path"
        )
    if not os.access(existing, os.W_OK):
        raise UsageError(
            f"{named}: the folder {existing} is read-only; choose a folder you can "
            "write to"
        )


def _refuse_data_folder(folder: Path, named: str, force: bool) -> None:
    """Refuse to write among a case's or cohort's files unless forced."""
    if force or not folder.is_dir():
        return
    held = sorted(
        p.name
        for p in folder.iterdir()
        if p.name in ("case.toml", "cohort.toml")
        or (p.stem in TABLE_NAMES and p.suffix.casefold() in (".csv", ".xlsx"))
    )
    if held:
        raise UsageError(
            f"{named}: {folder} holds case or cohort data ({listing(held)}); write "
            "the output elsewhere, or add --force to write beside them"
        )


@contextlib.contextmanager
def writing(named: str, folder):
    """Turn a refused write into folder into a UsageError that names the option."""
    try:
        yield
    except OSError as err:
        if err.errno not in _UNWRITABLE:
            raise
        raise UsageError(
            f"{named}: cannot write into {folder} ({err.strerror}); choose a folder "
            "you can write to"
        ) from None


def bare_figure(rc: dict | None = None):
    """Return an empty Figure on an Agg canvas, made in the house style.

    A command saves its figure and drops it, so it needs no pyplot Figure: pyplot
    (and its import, a tenth of a render) is left out. The Figure takes the
    house style's rcParams as ``plot_case`` would give a pyplot one.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with house_style(rc):
        fig = Figure()
    FigureCanvasAgg(fig)
    return fig


def save(fig, stem: Path, args, *, case=None) -> None:
    """Save a figure in each ``--format`` next to ``stem``; print the paths.

    With the ``case`` drawn, the SVG says where each value comes from and
    ``html`` can be written.
    """
    try:
        with writing(f"-o {args.output}", stem.parent):
            paths = save_figure(
                fig,
                stem,
                formats=args.format,
                dpi=resolution(args),
                rgb=getattr(args, "rgb", False),
                case=case,
            )
    finally:
        # Figures of pyplot are closed; a bare one has no pyplot to leave.
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close(fig)
    for path in paths:
        print(path)


def check_markers(asked, present, *, option: str, where: str) -> None:
    """Raise a UsageError naming the markers asked for that are not ``present``."""
    unknown = [asked] if isinstance(asked, str) else list(asked)
    unknown = [m for m in unknown if m not in present]
    if unknown:
        named = f"{unknown[0]!r} is" if isinstance(asked, str) else f"{unknown} are"
        raise UsageError(
            f"{option} {named} not in this {where}; it has {listing(present)}"
        )


def check_cohort_markers(cohort, asked, *, option: str) -> None:
    """Check that each marker asked for is in some patient of a cohort.

    Patients are read only until every marker is found: the first, usually.
    """
    wanted = [asked] if isinstance(asked, str) else list(asked)
    present: dict = {}
    for pid in cohort.sources:
        try:
            case = cohort.source(pid).load()
        except CaseDataError:
            continue
        present.update(dict.fromkeys(case.markers))
        if all(m in present for m in wanted):
            return
    check_markers(asked, list(present), option=option, where="cohort")


def case_time(case, text, option: str, *, end: bool = False):
    """Place a time given on the command line: a date, or for a case of relative
    times a number of its unit since the origin. A month or a year as the ``end``
    of a window is its last day (:func:`plotting.core.dates.time_position`)."""
    try:
        return time_position(text, case.time_unit, end=end)
    except ValueError as err:
        raise UsageError(f"{option} {text}: {err}") from None


def case_window(case, pair, option: str):
    """Place a ``START END`` window; raise a UsageError unless END is later."""
    start = case_time(case, pair[0], option)
    end = case_time(case, pair[1], option, end=True)
    if end <= start:
        raise UsageError(f"{option} {pair[0]} {pair[1]}: END must be after START")
    return start, end


def refuse_unknown_treatments(case, names, *, option: str) -> None:
    """Raise a UsageError for a treatment label that names no single treatment."""
    for name in names or ():
        try:
            find_treatment(case.treatments, name)
        except KineticsError as err:
            raise UsageError(f"{option} {name!r}: {err}") from None
