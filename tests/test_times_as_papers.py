"""Times as papers give them: per-row units, times after a named event, results
known only as a range, cycles of unstated length, order only, unknown starts."""

from __future__ import annotations

import matplotlib.dates as mdates
import pandas as pd
import pytest
from artists import lines_with_gid, overlapping_texts, plotted_points

from plotting import CaseDataError, InputError, plot_case, read_case
from plotting.cli import main
from plotting.computing.kinetics import KineticsError, fit_kinetics
from plotting.computing.kinetics_windows import kinetics_table
from plotting.core.dates import DAYS_PER_MONTH, RELATIVE_ORIGIN, relative_value

MONTHS = """
[time]
relative = "months"
origin_label = "tamoxifen start"
last_follow_up = 69
"""


def _toml(unit="months", extra="", last="last_follow_up = 69"):
    return f'[time]\nrelative = "{unit}"\norigin_label = "start"\n{last}\n{extra}'


def _problems(err):
    return [(p.file.rsplit("/", 1)[-1], p.row, p.column, p.text) for p in err.problems]


def _messages(err):
    return " | ".join(p.message for p in err.problems)


def _months(series):
    return [round(relative_value(v, "months"), 4) for v in series]


# --- a row's own time unit -----------------------------------------------------


def test_a_row_in_weeks_converts_exactly_in_a_case_of_months(write_case):
    folder = write_case(
        "date,time_unit,marker,value,unit\n"
        "0,,CEA,10,ng/mL\n"
        "3,weeks,CEA,8,ng/mL\n"
        "2,years,CEA,4,ng/mL\n",
        toml=MONTHS,
    )
    case = read_case(folder)
    days = (case.measurements["date"] - RELATIVE_ORIGIN).dt.total_seconds() / 86400
    assert list(days) == pytest.approx([0, 21, 2 * 365.25])
    # A week count is known to the day; a year count only to the year.
    assert list(case.measurements["date_precision"]) == ["month", "day", "year"]


def test_row_units_that_cannot_convert_are_refused_with_the_cell(write_case):
    folder = write_case(
        "date,time_unit,marker,value,unit\n"
        "0,,CEA,10,ng/mL\n"
        "5,cycles,CEA,8,ng/mL\n"
        "1,fortnights,CEA,4,ng/mL\n",
        toml=MONTHS,
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert _problems(err.value) == [
        ("measurements.csv", 3, "time_unit", "cycles"),
        ("measurements.csv", 4, "time_unit", "fortnights"),
    ]
    assert "cycle_days" in _messages(err.value)


def test_cycles_of_a_stated_length_convert_to_days(write_case):
    folder = write_case(
        "date,time_unit,marker,value,unit\n0,,CEA,10,ng/mL\n5,cycles,CEA,8,ng/mL\n",
        toml=MONTHS + "cycle_days = 21\n",
    )
    case = read_case(folder)
    assert case.measurements["date"].iloc[1] == RELATIVE_ORIGIN + pd.Timedelta(days=105)


def test_time_unit_in_a_calendar_case_is_refused(write_case):
    folder = write_case(
        "date,time_unit,marker,value,unit\n2011-01-05,weeks,CEA,10,ng/mL\n"
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert _problems(err.value) == [("measurements.csv", 2, "time_unit", "weeks")]
    assert "calendar case" in _messages(err.value)


def test_cycle_days_out_of_place_or_implausible_is_refused(write_case):
    rows = "date,marker,value,unit\n0,CEA,10,ng/mL\n1,CEA,8,ng/mL\n"
    for toml, words in (
        (_toml("cycles", "cycle_days = 21"), 'relative = "days"'),
        (_toml("order", "cycle_days = 21", last=""), "an order has no times"),
        (MONTHS + "cycle_days = 0\n", "from 1 to 366"),
        (MONTHS + 'cycle_days = "21"\n', "from 1 to 366"),
        (
            '[time]\norigin = "2010-01-01"\nlast_follow_up = "2011-01-01"\n'
            "cycle_days = 21\n",
            "calendar case",
        ),
    ):
        folder = write_case(rows, toml=toml)
        with pytest.raises(CaseDataError) as err:
            read_case(folder)
        assert words in _messages(err.value), toml


# --- after: times counted from a named moment -----------------------------------

ANCHORED_EVENTS = """\
date,label,after,time_unit,date_precision
0,Recurrence,,,
3,Switch to letrozole,Recurrence,weeks,
-9,Diagnosis,recurrence,,
"""


def test_after_counts_from_events_and_treatment_starts_through_chains(write_case):
    folder = write_case(
        "date,after,time_unit,marker,value,unit\n"
        "0,Diagnosis,,SCC antigen,1.2,ng/mL\n"
        "15,Letrozole,,SCC antigen,2.1,ng/mL\n"
        "-1,switch to  LETROZOLE,weeks,SCC antigen,5.5,ng/mL\n",
        treatments="kind,start,end,label,after\n"
        "hormone therapy,0,0,Letrozole-free run-in,\n"
        "hormone therapy,0,ongoing,Letrozole,Switch to letrozole\n",
        events=ANCHORED_EVENTS,
        toml=MONTHS,
    )
    case = read_case(folder)
    switch = 21 / DAYS_PER_MONTH
    assert _months(case.measurements["date"]) == pytest.approx(
        [-9, switch - 7 / DAYS_PER_MONTH, 15 + switch], abs=1e-4
    )
    letrozole = case.treatments.set_index("label").loc["Letrozole"]
    assert relative_value(letrozole["start"], "months") == pytest.approx(switch)
    # Ongoing runs to the last follow-up, not to 69 months after the anchor.
    assert relative_value(letrozole["end"], "months") == 69
    # Weeks after a month-precision anchor are known to the month.
    assert list(case.measurements["date_precision"]) == ["month", "month", "month"]


def test_after_naming_nothing_two_rows_or_a_circle_is_refused(write_case):
    folder = write_case(
        "date,after,marker,value,unit\n"
        "1,Remission,CEA,10,ng/mL\n"
        "1,CT,CEA,8,ng/mL\n"
        "1,A,CEA,6,ng/mL\n",
        events="date,label,after\n0,CT,\n2,CT,\n1,A,B\n1,B,A\n",
        toml=MONTHS,
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    problems = err.value.problems
    by_row = {(p.file.rsplit("/", 1)[-1], p.row): p.message for p in problems}
    assert "names no event or treatment" in by_row[("measurements.csv", 2)]
    assert "'CT'" in by_row[("measurements.csv", 2)]
    assert "names two rows" in by_row[("measurements.csv", 3)]
    assert "circle" in " ".join(by_row.values())
    assert all(p.column == "after" for p in problems)


def test_after_in_a_calendar_case_is_refused(write_case):
    folder = write_case(
        "date,after,marker,value,unit\n2011-01-05,Diagnosis,CEA,10,ng/mL\n",
        events="date,label\n2010-06-01,Diagnosis\n",
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert _problems(err.value) == [("measurements.csv", 2, "after", "Diagnosis")]


def test_after_a_treatment_with_no_start_is_refused(write_case):
    folder = write_case(
        "date,after,marker,value,unit\n4,Docetaxel,PSA,276,ng/mL\n",
        treatments="kind,start,end,label\nchemotherapy,unknown,0,Docetaxel\n",
        toml=MONTHS,
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert "its start is not known" in _messages(err.value)


def test_a_time_after_an_anchor_past_follow_up_is_refused(write_case):
    folder = write_case(
        "date,after,marker,value,unit\n60,Recurrence,CEA,10,ng/mL\n",
        events="date,label\n20,Recurrence\n",
        toml=MONTHS,
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert "after the last follow-up" in _messages(err.value)


# --- latest: a result known only to lie in a window -----------------------------

RANGED = (
    "date,after,latest,marker,value,unit\n"
    "-9,,,SCC antigen,1.2,ng/mL\n"
    "43,,,SCC antigen,3.5,ng/mL\n"
    "44,,,SCC antigen,5.5,ng/mL\n"
    "0,Letrozole,15,SCC antigen,6.9,ng/mL\n"
    "15,Letrozole,,SCC antigen,2.1,ng/mL\n"
    "16,Letrozole,,SCC antigen,2.4,ng/mL\n"
)
LETROZOLE = "kind,start,end,label\nhormone therapy,44,ongoing,Letrozole\n"


def test_a_range_is_drawn_as_a_capped_bar_never_a_point_nor_joined(write_case):
    case = read_case(write_case(RANGED, treatments=LETROZOLE, toml=MONTHS))
    ranged = case.measurements[case.measurements["latest"].notna()]
    assert _months(ranged["date"]) == [44]
    assert _months(ranged["latest"]) == [59]
    fig = plot_case(case)
    trend = fig.axes[0]
    bars = lines_with_gid(trend, "trend-range:SCC antigen")
    assert len(bars) == 1
    xs = [
        relative_value(mdates.num2date(x).replace(tzinfo=None), "months")
        for x in bars[0].get_xdata()
    ]
    assert xs == pytest.approx([44, 59], abs=1e-4)
    assert list(bars[0].get_ydata()) == [6.9, 6.9]
    assert bars[0].get_marker() == "|"
    # Not a point, and no line or link runs into or out of it.
    assert 6.9 not in [value for _, value in plotted_points(trend, "SCC antigen")]
    for line in lines_with_gid(trend, "trend-line") + lines_with_gid(trend, "gap-link"):
        assert 6.9 not in list(line.get_ydata())
    # The results on either side are not joined across it either.
    joined = [tuple(line.get_ydata()) for line in lines_with_gid(trend, "trend-line")]
    assert (5.5, 2.1) not in joined
    texts = [t.get_text() for t in trend.get_legend().get_texts()]
    assert "Capped bar: time known only as a range" in texts
    # No "no results reported" note inside a window where a result may lie.
    notes = [t for t in trend.texts if t.get_gid() == "gap-note"]
    for note in notes:
        month = relative_value(
            mdates.num2date(note.get_position()[0]).replace(tzinfo=None), "months"
        )
        assert not 44 < month < 59
    assert overlapping_texts(fig) == []


def test_kinetics_leave_a_range_out_and_say_so(write_case):
    case = read_case(write_case(RANGED, treatments=LETROZOLE, toml=MONTHS))
    fit = fit_kinetics(
        case.measurements, marker="SCC antigen", start=40, end=61, time_unit="months"
    )
    assert fit.ranged_left_out == 1
    assert 6.9 not in fit.values
    table = kinetics_table(case, windows=[(40, 61)])
    assert "1 timed only as a range left out" in table["note"].iloc[0]
    with pytest.raises(KineticsError, match="known only as a range"):
        fit_kinetics(
            case.measurements.iloc[[3]],
            marker="SCC antigen",
            start=40,
            end=61,
            time_unit="months",
        )


def test_a_calendar_range_spans_whole_months_and_must_end_after_it_starts(
    write_case,
):
    folder = write_case(
        "date,latest,marker,value,unit\n"
        "2011-04,2011-05,CEA,30,ng/mL\n"
        "2011-06-10,,CEA,60,ng/mL\n"
        "2011-08-01,2011-07-01,CEA,50,ng/mL\n",
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert _problems(err.value) == [("measurements.csv", 4, "latest", "2011-07-01")]
    folder = write_case(
        "date,latest,marker,value,unit\n"
        "2011-04,2011-05,CEA,30,ng/mL\n"
        "2011-06-10,,CEA,60,ng/mL\n"
    )
    row = read_case(folder).measurements.iloc[0]
    assert (row["date"], row["latest"]) == (
        pd.Timestamp("2011-04-01"),
        pd.Timestamp("2011-05-31"),
    )


# --- cycles of unstated length, and order only ----------------------------------


def test_a_case_in_cycles_draws_cycles_and_refuses_rates(write_case):
    folder = write_case(
        "date,marker,value,unit\n0,CEA,1096.3,ng/mL\n6,CEA,7.6,ng/mL\n",
        treatments="kind,start,end,label\nchemotherapy,0,5,FOLFOX + bevacizumab\n",
        toml=_toml("cycles", last="last_follow_up = 6"),
    )
    case = read_case(folder)
    fig = plot_case(case)
    track = fig.axes[-1]
    assert track.get_xlabel() == "Cycles since start"
    ticks = [t.get_text() for t in track.get_xticklabels() if t.get_text()]
    assert ticks[0] == "0" and ticks[-1] == "6"
    with pytest.raises(KineticsError, match="cycles of a length the source"):
        kinetics_table(case)
    with pytest.raises(KineticsError):
        plot_case(case, kinetics=["FOLFOX + bevacizumab"])
    # The weeks of a case in cycles of unknown length cannot be placed.
    folder = write_case(
        "date,time_unit,marker,value,unit\n0,,CEA,10,ng/mL\n2,weeks,CEA,8,ng/mL\n",
        toml=_toml("cycles", last="last_follow_up = 6"),
    )
    with pytest.raises(CaseDataError, match="no length in days"):
        read_case(folder)


ORDER = """\
date,marker,value,unit
1,M-protein,14.4,g/L
1,kappa FLC,1320,mg/L
3,kappa FLC,460,mg/L
4,kappa FLC,15194,mg/L
"""


def test_an_order_only_case_says_so_and_never_joins_by_time(write_case):
    folder = write_case(
        ORDER,
        treatments="kind,start,end,label\nchemotherapy,2,3,CTD\n",
        toml='[time]\nrelative = "order"\norigin_label = "presentation"\n',
    )
    case = read_case(folder)
    assert relative_value(case.last_follow_up, "order") == 4
    fig = plot_case(case)
    track = fig.axes[-1]
    assert track.get_xlabel() == "Order in the source (no times given)"
    ticks = [t.get_text() for t in track.get_xticklabels() if t.get_text()]
    assert ticks == ["1", "2", "3", "4"]
    trend = fig.axes[0]
    # Every pair of results is a dotted link, never a solid line.
    assert lines_with_gid(trend, "trend-line") == []
    assert len(lines_with_gid(trend, "gap-link:kappa FLC")) == 2
    texts = (
        [t.get_text() for t in fig.legends[0].get_texts()]
        if fig.legends
        else [t.get_text() for t in trend.get_legend().get_texts()]
    )
    assert "Dotted: order only (spacing is not time)" in texts
    assert not [t for t in trend.texts if t.get_gid() == "gap-note"]
    with pytest.raises(KineticsError, match="order positions"):
        kinetics_table(case)


def test_order_cli_kinetics_exits_2_and_check_says_order_only(write_case, capsys):
    folder = write_case(
        ORDER, toml='[time]\nrelative = "order"\norigin_label = "presentation"\n'
    )
    # In this process, as `python -m plotting` runs it, without a subprocess.
    status = main(["kinetics", str(folder)])
    err = capsys.readouterr().err
    assert status == 2, err
    assert "order positions" in err and "Traceback" not in err
    status = main(["check", str(folder)])
    done = capsys.readouterr()
    assert status == 0, done.err
    assert "order only (no times given): position 4 is the last" in done.out


def test_max_gap_days_in_an_order_case_is_refused(write_case):
    folder = write_case(
        ORDER,
        toml='[time]\nrelative = "order"\norigin_label = "p"\nmax_gap_days = 30\n',
    )
    with pytest.raises(CaseDataError, match="max_gap_days does not apply"):
        read_case(folder)


# --- a course whose start is not given ------------------------------------------


def test_an_unknown_start_is_drawn_from_the_left_edge_with_an_arrow(write_case):
    folder = write_case(
        "date,time_unit,marker,value,unit\n4,weeks,PSA,276,ng/mL\n18,,PSA,0.14,ng/mL\n",
        treatments="kind,start,end,label\nchemotherapy,unknown,0,Docetaxel\n",
        toml='[time]\nrelative = "months"\norigin_label = "last docetaxel dose"\n'
        "last_follow_up = 18\n",
    )
    case = read_case(folder)
    row = case.treatments.iloc[0]
    assert bool(row["start_unknown"]) and pd.isna(row["start"])
    assert row["date_precision"] == "approximate"
    fig = plot_case(case)
    track = fig.axes[-1]
    arrows = lines_with_gid(track, "start-unknown:")
    assert len(arrows) == 1
    left = track.get_xlim()[0]
    # The bar reaches back past the data's first time, from the left edge.
    bar = next(p for p in track.patches if (p.get_gid() or "").startswith("course:"))
    assert bar.get_x() < mdates.date2num(RELATIVE_ORIGIN)
    assert bar.get_x() >= left
    assert arrows[0].get_xdata()[0] == pytest.approx(bar.get_x())
    texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "Left arrow: start of treatment not given" in texts
    assert overlapping_texts(fig) == []


def test_an_unknown_start_needs_an_end(write_case):
    folder = write_case(
        "date,marker,value,unit\n1,PSA,276,ng/mL\n",
        treatments="kind,start,end,label\nchemotherapy,unknown,,Docetaxel\n"
        "hormone therapy,Unknown,ongoing,ADT\n",
        toml=MONTHS,
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert [(p.row, p.column) for p in err.value.problems] == [(2, "end"), (3, "end")]


def test_order_positions_are_whole_numbers_from_one(write_case):
    folder = write_case(
        "date,marker,value,unit\n1.5,CEA,10,ng/mL\n0,CEA,5,ng/mL\n-1,CEA,3,ng/mL\n",
        toml='[time]\nrelative = "order"\norigin_label = "p"\n',
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert [(p.row, p.column, p.text) for p in err.value.problems] == [
        (2, "date", "1.5"),
        (3, "date", "0"),
        (4, "date", "-1"),
    ]
    assert "whole number from 1" in _messages(err.value)


def test_a_range_ending_after_the_last_follow_up_is_refused(write_case):
    folder = write_case(
        "date,latest,marker,value,unit\n20,70,CEA,10,ng/mL\n", toml=MONTHS
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert _problems(err.value) == [("measurements.csv", 2, "latest", "70")]
    assert "after the last follow-up" in _messages(err.value)


def test_a_refused_figure_is_not_left_open_in_pyplot(write_case):
    import matplotlib.pyplot as plt

    case = read_case(write_case(RANGED, treatments=LETROZOLE, toml=MONTHS))
    plt.close("all")
    with pytest.raises(InputError, match="no results between month 70"):
        plot_case(case, start=70, end=80)
    assert plt.get_fignums() == []
