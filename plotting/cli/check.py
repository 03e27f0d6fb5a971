"""``marker-trends check``: validate a case and summarise it."""

from __future__ import annotations

from ..computing.gaps import reported_zeros
from ..computing.series import series_label, specimens_of
from ..core.dates import format_time
from . import parser as shared
from .common import load_case

EXAMPLES = (
    "marker-trends check data/yu2020",
    "marker-trends check data/mycase/case.toml",
)


def add_parser(subparsers):
    """Add ``check``."""
    shared.add_command(
        subparsers,
        "check",
        summary="validate a case and summarise it",
        examples=EXAMPLES,
        parents=[shared.case_argument()],
        run=run,
    )


def run(args) -> int:
    """Print the case's summary; a bad case raises CaseDataError (exit status 2).

    The case is also laid out and drawn, off screen and never saved, as
    ``render`` draws it: a threshold in a unit that cannot be converted, a
    Phoenix line without its radiotherapy, a label too long for the track are
    refused here as they would be there.
    """
    case = load_case(args.case)
    draw_as_render_would(case)
    print(summary(case))
    return 0


def draw_as_render_would(case) -> None:
    """Draw ``case`` with render's default options on a bare Figure, then drop it."""
    from ..drawing.case_figure import CaseFrame, draw_case
    from ..drawing.options import FigureOptions
    from ..drawing.style import house_style

    with house_style():
        frame = CaseFrame.new(pyplot=False)
        draw_case(frame, case, FigureOptions())
        frame.fig.canvas.draw()


def summary(case) -> str:
    """Return what a case holds: results by marker (how many censored, how many
    reported as 0), treatments by lane, follow-up."""
    m = case.measurements

    def when(first, last) -> str:
        unit = case.time_unit
        return f"{format_time(first, unit)} to {format_time(last, unit)}"

    lines = [
        f"{case.path}: {len(m)} results, {len(case.treatments)} treatments, "
        f"{len(case.events)} events"
    ]
    # One line per series: a marker in two specimens is two, each in its unit.
    for (marker, specimen), rows in m.groupby(["marker", specimens_of(m)], sort=False):
        name = series_label(m, marker, specimen)
        censored = (rows["censor"] != "").sum()
        zeros = reported_zeros(rows).sum()
        ranged = rows["latest"].notna().sum()
        extras = [
            *([f"{censored} censored"] if censored else []),
            *([f"{zeros} reported as 0, drawn at the axis floor"] if zeros else []),
            *([f"{ranged} timed only as a range"] if ranged else []),
        ]
        extra = f" ({'; '.join(extras)})" if extras else ""
        lines.append(
            f"  {name}: {len(rows)} results{extra} in {rows['unit'].iloc[0]}, "
            + when(rows["date"].min(), rows["date"].max())
        )
    for lane, rows in case.treatments.groupby("lane", sort=False):
        unknown = rows["start_unknown"].sum()
        extra = f" ({unknown} with no start given)" if unknown else ""
        starts = rows["start"].dropna()
        span = f", {when(starts.min(), starts.max())}" if len(starts) else ""
        lines.append(f"  {lane}: {len(rows)} treatments{extra}{span}")
    if case.time_unit == "order":
        last = format_time(case.last_follow_up, "order")
        lines.append(f"  order only (no times given): {last} is the last")
    else:
        since = (
            f" ({case.time_unit} since {case.origin_label})" if case.time_unit else ""
        )
        lines.append(f"  follow-up: {when(case.origin, case.last_follow_up)}{since}")
    lines += [f"  note: {note}" for note in case.notes]
    return "\n".join(lines)
