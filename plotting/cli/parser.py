"""The parser: the option groups commands share, each defined once, and their types.

Each command module adds its own subparser with :func:`add_command`, passing the
shared groups below as argparse ``parents``. A group is built afresh for every
command, so one command's defaults never leak into another's.
"""

from __future__ import annotations

import argparse
import re
import sys

from ..core.case import TIME_AXES
from ..core.dates import parse_date
from ..core.errors import InputError
from ..core.specimens import canonical_specimen, unknown_specimen
from ..drawing.journals import JOURNAL_PRESETS
from ..output.export import CASE_FORMATS, FORMATS
from ..reading.settings.figure_choices import (
    LEGEND_POSITIONS,
    check_marker_style,
    check_panel,
)

PROG = "marker-trends"
EXIT_STATUS = """\
exit status: 0 success; 2 a mistake in the command or the data (the message says
  what to change); 1 an unexpected error (rerun with --debug for the traceback);
  130 interrupted (Ctrl-C); 143 terminated (SIGTERM)"""
DEBUG_HELP = "show the traceback of unexpected errors (default: off)"
MIN_DPI, MAX_DPI = 10, 2400


class HelpFormatter(
    argparse.RawDescriptionHelpFormatter, argparse.ArgumentDefaultsHelpFormatter
):
    """Keep the examples' line breaks and show every option's default."""

    def _get_help_string(self, action):
        text = action.help or ""
        default = action.default
        if "(default" in text or not action.option_strings or action.required:
            return text
        if default is None or default == argparse.SUPPRESS:
            return text
        if default is False:
            shown = "off"
        elif isinstance(default, list | tuple):
            shown = " ".join(str(value) for value in default)
        else:
            shown = str(default)
        return f"{text} (default: {shown.replace('%', '%%')})"


class Parser(argparse.ArgumentParser):
    """An argparse parser with this command line's help layout and error line."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: {message}\n")


class VersionAction(argparse.Action):
    """``--version``: print the installed release and exit.

    Looked up only when asked: importlib.metadata reads the installed
    distributions, which every other command would pay for at start-up.
    """

    def __init__(self, option_strings, dest=argparse.SUPPRESS, **kwargs):
        kwargs.setdefault("help", "show program's version number and exit")
        super().__init__(
            option_strings, dest=dest, default=argparse.SUPPRESS, nargs=0, **kwargs
        )

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import version

        print(version("marker-trends"))
        parser.exit()


def epilog(examples) -> str:
    """Return a help epilog: the examples, one a line, then the exit status."""
    lines = "\n".join(f"  {example}" for example in examples)
    return f"examples:\n{lines}\n\n{EXIT_STATUS}\n"


def build_parser(commands) -> Parser:
    """Return the parser of ``marker-trends`` with one subcommand per module.

    Each module of ``commands`` has ``EXAMPLES`` (the first is shown in the
    top-level help) and ``add_parser(subparsers)``, which sets ``run``.
    """
    parser = Parser(
        prog=PROG,
        description="Draw tumor-marker trend figures with treatment tracks.",
        epilog=epilog(command.EXAMPLES[0] for command in commands),
    )
    parser.add_argument("--version", action=VersionAction)
    parser.add_argument("--debug", action="store_true", help=DEBUG_HELP)
    subparsers = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )
    for command in commands:
        command.add_parser(subparsers)
    return parser


def add_command(subparsers, name, *, summary, examples, parents, run):
    """Add a command with its examples, the shared ``parents`` and ``--debug``."""
    debug = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: the command's default must not overwrite ``marker-trends --debug``.
    debug.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help=DEBUG_HELP
    )
    command = subparsers.add_parser(
        name,
        help=summary,
        description=summary[0].upper() + summary[1:] + ".",
        epilog=epilog(examples),
        parents=[*parents, debug],
    )
    command.set_defaults(run=run)
    return command


def integer(low: int, high: int | None = None):
    """Return an argparse type: an integer from ``low`` to ``high`` (or no limit)."""
    allowed = (
        f"an integer from {low} to {high}"
        if high is not None
        else f"an integer of {low} or more"
    )

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or value < low or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"give {allowed}, not {text!r}")
        return value

    return parse


def date(text: str):
    """Read a date as written in the data (the first day of a month or year)."""
    try:
        return parse_date(text)[1]
    except ValueError as err:
        raise argparse.ArgumentTypeError(f"{text!r}: {err}") from None


def time(text: str) -> str:
    """Check a time as written: a date, or a number of units since the origin.

    Which one the case takes is known only once it is read
    (:func:`plotting.core.dates.time_position` places it); the text is kept.
    """
    text = text.strip()
    if re.fullmatch(r"[+\-\u2212]?\d+(\.\d+)?", text):
        return text.replace("\u2212", "-")
    date(text)
    return text


def window(text: str):
    """Read a kinetics window: ``START:END`` times, or a treatment label."""
    start, colon, end = text.replace("\u2212", "-").partition(":")
    if not colon:
        return text
    start, end = time(start), time(end)
    numbers = [re.fullmatch(r"[+\-]?\d+(\.\d+)?", t) for t in (start, end)]
    # Dates, or numbers of one unit: either way their order is known already.
    if all(numbers) and float(end) <= float(start):
        raise argparse.ArgumentTypeError(f"{text!r}: END must be after START")
    if not any(numbers) and date(end) <= date(start):
        raise argparse.ArgumentTypeError(f"{text!r}: END must be after START")
    return start, end


# A window of relative times that starts before the origin, such as -1:6.
_NEGATIVE_WINDOW = re.compile(r"^-\d+(\.\d+)?:")


def protect_negative_windows(argv: list[str]) -> list[str]:
    """Return ``argv`` with each ``-1:6`` window written with a minus sign (U+2212).

    argparse takes a token starting with ``-`` for an option unless it is a plain
    number, so ``--kinetics -1:6`` was refused ("expected one argument") and only
    ``--kinetics=-1:6`` worked. Only the values of ``--kinetics`` are rewritten (a
    title such as "-3:6 months" is kept as written), and :func:`window` reads
    U+2212 as the minus it is.
    """
    protected, in_windows = [], False
    for token in argv:
        if in_windows and _NEGATIVE_WINDOW.match(token):
            token = "\u2212" + token[1:]
        elif token.startswith("-") and not _NEGATIVE_WINDOW.match(token):
            in_windows = token == "--kinetics"
        protected.append(token)
    return protected


def _parent() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(add_help=False)


def case_argument() -> argparse.ArgumentParser:
    """The ``case`` positional: a case folder."""
    parent = _parent()
    parent.add_argument(
        "case", help="case folder (holding case.toml), or its case.toml"
    )
    return parent


def cohort_argument() -> argparse.ArgumentParser:
    """The ``cohort`` positional: a folder of case folders or of tidy tables."""
    parent = _parent()
    parent.add_argument(
        "cohort",
        help="folder of case folders, or of tidy tables with a patient_id column",
    )
    return parent


def output_stem() -> argparse.ArgumentParser:
    """``-o``: one figure's path; an extension of a ``--format`` is taken off."""
    parent = _parent()
    parent.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="PATH",
        help="output path without extension, e.g. figures/fig4; figures/fig4.png "
        "means the same if png is among the --format asked for (required)",
    )
    parent.add_argument("--force", action="store_true", help=FORCE_HELP)
    return parent


FORCE_HELP = "write into a folder that holds case or cohort data"


def force_option() -> argparse.ArgumentParser:
    """``--force``: write into a folder that holds a case's or cohort's data."""
    parent = _parent()
    parent.add_argument("--force", action="store_true", help=FORCE_HELP)
    return parent


def figure_files(formats, *, case_pages: bool = False) -> argparse.ArgumentParser:
    """``--format``, ``--preset`` and ``--dpi``: what files a figure is saved as.

    ``case_pages``: the command draws one case per figure, so it may also write
    ``html``, the page that says where each value comes from.
    """
    parent = _parent()
    choices = [f for f in FORMATS if case_pages or f not in CASE_FORMATS]
    parent.add_argument(
        "--format",
        nargs="+",
        default=list(formats),
        choices=choices,
        help="formats",
    )
    parent.add_argument(
        "--preset",
        choices=list(JOURNAL_PRESETS),
        default="double",
        help="journal width: single 89 mm, 1.5 140 mm, double 174 mm",
    )
    parent.add_argument(
        "--dpi",
        type=integer(MIN_DPI, MAX_DPI),
        help=f"raster resolution of PNG and TIFF, {MIN_DPI} to {MAX_DPI} "
        "(default: the preset's, 300)",
    )
    return parent


def markers_option() -> argparse.ArgumentParser:
    """``--markers``: which markers, in order."""
    parent = _parent()
    parent.add_argument(
        "--markers",
        nargs="+",
        metavar="MARKER",
        help="markers, in order (default: every marker of the data)",
    )
    return parent


def time_axis_option() -> argparse.ArgumentParser:
    """``--time-axis``: calendar years, time since the origin, or both."""
    parent = _parent()
    parent.add_argument(
        "--time-axis",
        choices=TIME_AXES,
        help="calendar years, time since the origin (months or years, by span), "
        "or both (default: the case's [time] axis, else calendar; a case of "
        "relative times is always drawn in time since its origin)",
    )
    return parent


def marker_option() -> argparse.ArgumentParser:
    """``--marker``: the one marker a cohort figure draws."""
    parent = _parent()
    parent.add_argument(
        "--marker", required=True, help="the marker to draw, e.g. AFP (required)"
    )
    parent.add_argument(
        "--specimen",
        type=specimen,
        help="the specimen drawn when the patients' results of the marker are in "
        "several, e.g. serum or urine; '' for results whose specimen is not stated "
        "(default: the one specimen they are in)",
    )
    return parent


def specimen(text: str) -> str:
    """Read ``--specimen`` as the specimen vocabulary spells it (``U``: urine)."""
    found = canonical_specimen(text)
    if found is None:
        raise argparse.ArgumentTypeError(f"{text!r}: {unknown_specimen(text)}")
    return found


def marker_style(text: str) -> tuple[str, dict]:
    """Read ``MARKER:key=value,...``: a marker's color, symbol and line style."""
    marker, colon, pairs = text.partition(":")
    example = "AFP:color=#d62728,symbol=s,linestyle=--"
    if not colon or not marker.strip() or not pairs.strip():
        raise argparse.ArgumentTypeError(
            f"{text!r}: write MARKER:key=value,..., e.g. {example}"
        )
    style = {}
    for pair in pairs.split(","):
        key, equals, value = pair.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise argparse.ArgumentTypeError(
                f"{text!r}: {pair!r} is not key=value; e.g. {example}"
            )
        style[key.strip()] = value.strip()
    try:
        return marker.strip(), check_marker_style(style)
    except InputError as err:
        raise argparse.ArgumentTypeError(f"{text!r}: {err}") from None


def panel(text: str) -> str:
    """Read a panel letter."""
    try:
        return check_panel(text)
    except InputError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def figure_look() -> argparse.ArgumentParser:
    """``--style``, ``--legend``, ``--panel``, ``--shade``: how a case figure looks."""
    parent = _parent()
    parent.add_argument(
        "--style",
        action="extend",
        nargs="+",
        type=marker_style,
        metavar="MARKER:KEY=VALUE,...",
        help="a marker's color (#d62728, navy, tab:red), symbol (o s D d < > p h H "
        "8 * P X) and linestyle (- -- -.), e.g. AFP:color=#d62728,symbol=s; "
        "one for each marker (default: case.toml's [markers.X], else the house "
        "style)",
    )
    parent.add_argument(
        "--legend",
        choices=LEGEND_POSITIONS,
        help="where the legend goes (default: case.toml's [figure] legend, else above)",
    )
    parent.add_argument(
        "--panel",
        type=panel,
        help="panel letter drawn bold at the top left, e.g. A (default: none)",
    )
    parent.add_argument(
        "--shade",
        nargs="*",
        metavar="KIND",
        help="shade these courses across the trend panel: treatment kinds, lanes or "
        "labels, 'all', or nothing for none (default: case.toml's [figure] shade, "
        "else the RT lane)",
    )
    return parent


def rgb_option() -> argparse.ArgumentParser:
    """``--rgb``: raster files without an alpha channel."""
    parent = _parent()
    parent.add_argument(
        "--rgb",
        action="store_true",
        help="write PNG and TIFF as RGB, without alpha (some journals refuse RGBA)",
    )
    return parent
