"""Times relative to an origin ("3 months after TARE"): read, checked, drawn and
reported without any calendar date."""

from __future__ import annotations

import re
import subprocess
import warnings

import pandas as pd
import pytest
from conftest import ROOT

import plotting
from plotting import CaseDataError, InputError, plot_case, read_case
from plotting.cli import main
from plotting.computing.kinetics import KineticsError
from plotting.computing.timeline import since_ticks
from plotting.core.dates import (
    DAYS_PER_MONTH,
    RELATIVE_ORIGIN,
    relative_position,
    relative_value,
)

MATSUKI = ROOT / "tests" / "cases" / "matsuki2020_relative"
TOML = """
[time]
relative = "{unit}"
origin_label = "TARE"
origin = 0
last_follow_up = {last}
"""
# A calendar year anywhere in an output means the invented anchor leaked.
YEAR = re.compile(r"\b(19|20)\d\d\b")


def _toml(unit="months", last=12, extra=""):
    return TOML.format(unit=unit, last=last) + extra


def _months(series, unit="months"):
    return [relative_value(v, unit) for v in series]


def _problems(err):
    return [
        (p.file.rsplit("/", 1)[-1], p.row, p.column, p.message) for p in err.problems
    ]


def _labels(axis):
    return [t.get_text() for t in axis.get_ticklabels()]


def test_published_case_reads_in_months_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        case = read_case(MATSUKI)
    assert case.time_unit == "months"
    assert case.origin == RELATIVE_ORIGIN
    assert relative_value(case.last_follow_up, "months") == 13
    m = case.measurements
    assert _months(m["date"]) == [0, 0, 12, 12]
    assert list(m["value"]) == [220, 44550, 1.9, 26]
    assert list(m["date_precision"]) == ["month", "month", "approximate", "approximate"]
    assert _months(case.treatments["start"]) == [0, 13]
    assert _months(case.events["date"]) == [0, 3, 5, 12, 13]


def test_published_case_draws_months_since_the_origin_only():
    case = read_case(MATSUKI)
    fig = plot_case(case)
    track = fig.axes[1]
    assert track.get_xlabel() == (
        "Months since start of lenvatinib (diagnosis of unresectable HCC)"
    )
    ticks = _labels(track.xaxis)
    assert ticks == [str(n) for n in range(14)]
    # Tick positions are the months themselves (day numbers since the anchor).
    assert list(track.get_xticks()) == pytest.approx(
        [n * DAYS_PER_MONTH for n in range(14)]
    )
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    texts += [ax.get_xlabel() for ax in fig.axes] + ticks
    assert not [t for t in texts if YEAR.search(t)]
    afp = next(
        line for line in fig.axes[0].lines if line.get_gid() != "reference-limit"
    )
    assert afp.get_xdata()[0] == pytest.approx(0.0)


@pytest.mark.parametrize("preset", ["single", "1.5", "double"])
def test_month_ticks_at_every_preset(preset):
    case = read_case(MATSUKI)
    track = plot_case(case, preset=preset).axes[1]
    values = [int(t) for t in _labels(track.xaxis)]
    step = values[1] - values[0]
    assert step in (1, 2, 3, 6)
    assert values[0] == 0 and values[-1] >= 12
    assert track.get_xlabel().startswith("Months since ")


def cli(capsys, *argv):
    """Run the command line in this process (as ``python -m plotting`` does, without
    the second of start-up a subprocess costs); return status, stdout, stderr."""
    status = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(argv, status, captured.out, captured.err)


def test_render_and_check_show_no_calendar(tmp_path, capsys):
    out = cli(capsys, "render", MATSUKI, "-o", tmp_path / "x", "--format", "svg")
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    svg = (tmp_path / "x.svg").read_text()
    visible = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    assert "1970" not in visible and "1971" not in visible
    check = cli(capsys, "check", MATSUKI)
    assert "AFP: 2 results in ng/mL, month 0 to month 12" in check.stdout
    assert "follow-up: month 0 to month 13 (months since start of" in check.stdout
    assert not YEAR.search(check.stdout.replace(str(MATSUKI), ""))


def test_kinetics_tables_and_csv_count_months(tmp_path, capsys):
    csv = tmp_path / "k.csv"
    out = cli(
        capsys,
        "kinetics",
        MATSUKI,
        "--between",
        "0",
        "12",
        "--csv",
        csv,
        "--response",
        "lenvatinib",
        "--criterion",
        "afp-20",
    )
    assert out.returncode == 0, out.stderr
    # Month counts: whole days, as honest kinetics round month-precision dates.
    assert "| AFP | month 0 to month 12 | 2 | 0 | 53 | 1.8 |" in out.stdout
    assert "baseline month" in out.stdout and "nadir month" in out.stdout
    table = pd.read_csv(csv)
    assert list(table[["start_month", "end_month"]].iloc[0]) == [0.0, 12.0]
    assert not YEAR.search(out.stdout + csv.read_text())


def test_cli_refuses_dates_and_calendar_axes_for_relative_case(tmp_path, capsys):
    def run(*args):
        return cli(capsys, *args)

    target = str(tmp_path / "x")
    dated = run("kinetics", str(MATSUKI), "--between", "2020-01-01", "2020-05-01")
    assert dated.returncode == 2
    assert "--between 2020-01-01: a calendar date, but this case counts months" in (
        dated.stderr
    )
    axis = run("render", str(MATSUKI), "-o", target, "--time-axis", "calendar")
    assert axis.returncode == 2 and "leave --time-axis out" in axis.stderr
    window = run("render", str(MATSUKI), "-o", target, "--from", "20")
    assert window.returncode == 2
    assert "the case runs from month 0 to month 13" in window.stderr
    zoom = run(
        "render",
        str(MATSUKI),
        "-o",
        target,
        "--format",
        "png",
        "--from",
        "-1",
        "--to",
        "6",
    )
    assert zoom.returncode == 0, zoom.stderr


@pytest.mark.parametrize(
    ("unit", "times", "last", "tick_unit"),
    [
        ("days", ["-7", "0", "14", "45.5"], 60, "Days"),
        ("weeks", ["-1", "0", "2", "10"], 12, "Weeks"),
        ("years", ["-1.5", "0", "2", "9"], 10, "Years"),
        ("months", ["-2", "0", "1.5", "7"], 8, "Months"),
    ],
)
def test_units_negative_and_fractional_times(write_case, unit, times, last, tick_unit):
    rows = "".join(
        f"{t},AFP,{v},ng/mL\n" for t, v in zip(times, (90, 80, 40, 9), strict=True)
    )
    folder = write_case(
        "date,marker,value,unit\n" + rows,
        treatments=f"kind,start,end\ntare,0,\nsorafenib,{times[2]},ongoing\n",
        toml=_toml(unit, last),
    )
    case = read_case(folder)
    assert _months(case.measurements["date"], unit) == [float(t) for t in times]
    sorafenib = case.treatments.iloc[1]
    assert relative_value(sorafenib["end"], unit) == last  # ongoing: to follow-up
    precision = {"days": "day", "weeks": "day", "months": "month", "years": "year"}
    assert set(case.measurements["date_precision"]) == {precision[unit]}
    track = plot_case(case).axes[1]
    assert track.get_xlabel() == f"{tick_unit} since TARE"
    assert "0" in _labels(track.xaxis)
    assert any(label.startswith("-") for label in _labels(track.xaxis))


def test_month_column_means_months(write_case):
    folder = write_case(
        "Month,marker,value,unit\n0,AFP,200,ng/mL\n3,AFP,20,ng/mL\n",
        toml='[time]\norigin_label = "TARE"\nlast_follow_up = 6\n',
    )
    case = read_case(folder)
    assert case.time_unit == "months"
    assert _months(case.measurements["date"]) == [0, 3]


def test_month_column_with_a_calendar_origin_is_refused(write_case):
    folder = write_case(
        "month,marker,value,unit\n0,AFP,200,ng/mL\n3,AFP,20,ng/mL\n",
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    messages = " ".join(p.message for p in err.value.problems)
    assert "[time] origin '2010-01-01' is a calendar date, but the tables' month" in (
        messages
    )
    assert "write origin = 0 or delete it" in messages


def test_column_unit_must_agree_with_relative(write_case):
    folder = write_case(
        "weeks,marker,value,unit\n0,AFP,200,ng/mL\n",
        events="month,label\n0,TARE\n",
        toml=_toml(),
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    found = _problems(err.value)
    assert found[0][:3] == ("measurements.csv", None, "weeks")
    assert 'counts weeks, but [time] relative = "months"' in found[0][3]
    assert len(found) == 1


def test_date_column_beside_month_column_is_refused(write_case):
    folder = write_case("date,month,marker,value,unit\n0,0,AFP,2,ng/mL\n", toml=_toml())
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert _problems(err.value)[0][:3] == ("measurements.csv", 1, "month")


def test_calendar_date_in_relative_case_names_file_row_column(write_case):
    folder = write_case(
        "date,marker,value,unit\n0,AFP,200,ng/mL\n2020-01-05,AFP,20,ng/mL\n",
        treatments="kind,start,end\ntare,0,05/01/2020\n",
        toml=_toml(),
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    found = _problems(err.value)
    assert found[0][:3] == ("measurements.csv", 3, "date")
    assert found[0][3].startswith("a calendar date, but this case counts months")
    assert found[1][:3] == ("treatments.csv", 2, "end")


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("2006", "2006 months is more than 120 years from the origin"),
        ("3 months", "not a number of months"),
        ("1,500", "ambiguous"),
        ("", "empty; write the months since the origin"),
    ],
)
def test_relative_cells_a_tired_clinician_writes(write_case, cell, message):
    folder = write_case(
        f'date,marker,value,unit\n"{cell}",AFP,200,ng/mL\n', toml=_toml()
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert message in err.value.problems[0].message


def test_day_precision_claimed_for_months_is_refused(write_case):
    folder = write_case(
        "date,marker,value,unit,date_precision\n3,AFP,200,ng/mL,day\n", toml=_toml()
    )
    with pytest.raises(CaseDataError) as err:
        read_case(folder)
    assert "a time in months is known only to the month, not the day" in (
        err.value.problems[0].message
    )


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('axis = "calendar"\n', "[time] axis does not apply"),
        ('axis = "since-diagnosis"\n', "[time] axis does not apply"),
        ('date_order = "DMY"\n', "[time] date_order is for calendar dates"),
    ],
)
def test_calendar_settings_are_refused(write_case, extra, message):
    folder = write_case(
        "date,marker,value,unit\n0,AFP,2,ng/mL\n", toml=_toml(extra=extra)
    )
    with pytest.raises(CaseDataError, match=re.escape(message)):
        read_case(folder)


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        (
            '[time]\nrelative = "months"\norigin_label = "x"\norigin = "2020-01-05"\n'
            "last_follow_up = 3\n",
            "[time] origin '2020-01-05' is a calendar date",
        ),
        (
            '[time]\nrelative = "months"\norigin_label = "x"\norigin = 2\n'
            "last_follow_up = 3\n",
            "[time] origin 2 is not 0",
        ),
        (
            '[time]\nrelative = "fortnights"\norigin_label = "x"\nlast_follow_up = 3\n',
            "[time] relative must be one of",
        ),
        (
            '[time]\nrelative = "months"\nlast_follow_up = 3\n',
            '[time] needs origin_label = "..."',
        ),
        ("[time]\norigin = 0\nlast_follow_up = 3\n", 'write relative = "months"'),
    ],
)
def test_time_settings_are_checked(write_case, toml, message):
    folder = write_case("date,marker,value,unit\n0,AFP,2,ng/mL\n", toml=toml)
    with pytest.raises(CaseDataError, match=re.escape(message)):
        read_case(folder)


def test_calendar_case_with_numbers_in_date_says_how_to_count_months(write_case):
    with pytest.raises(CaseDataError) as err:
        read_case(write_case("date,marker,value,unit\n3,AFP,2,ng/mL\n"))
    assert 'write relative = "months"' in err.value.problems[0].message


def test_figure_options_place_relative_windows():
    case = read_case(MATSUKI)
    track = plot_case(case, start=-1, end=6).axes[1]
    assert _labels(track.xaxis)[0] == "-1" and _labels(track.xaxis)[-1] == "6"
    with pytest.raises(InputError, match="is a date, but this case counts months"):
        plot_case(case, start=pd.Timestamp("2020-01-01"))
    with pytest.raises(InputError, match="needs calendar dates"):
        plot_case(case, time_axis="both")
    with pytest.raises(InputError, match="a number, but this case has calendar"):
        plot_case(read_case(ROOT / "data" / "yu2020"), start=3)


def test_too_long_origin_label_is_refused(write_case):
    label = "start of lenvatinib " * 8
    toml = _toml().replace('"TARE"', f'"{label}"')
    case = read_case(write_case("date,marker,value,unit\n0,AFP,2,ng/mL\n", toml=toml))
    with pytest.raises(InputError, match="shorten origin_label"):
        plot_case(case, preset="single")


def test_case_from_frames_with_a_month_column():
    results = pd.DataFrame(
        {
            "month": [-1, 0, 1.5],
            "marker": "AFP",
            "value": [300, 250, 40],
            "unit": "ng/mL",
        }
    )
    case = plotting.case_from_frames(
        results, origin=0, last_follow_up=6, time={"origin_label": "TARE"}
    )
    assert case.time_unit == "months"
    assert _months(case.measurements["date"]) == [-1, 0, 1.5]
    with pytest.raises(CaseDataError, match="is a calendar date"):
        plotting.case_from_frames(
            results, origin="2020-01-01", last_follow_up=6, time={"origin_label": "x"}
        )


def test_tidy_cohort_with_month_column_is_refused_clearly(tmp_path):
    (tmp_path / "measurements.csv").write_text(
        "patient_id,month,marker,value,unit\np1,0,AFP,20,ng/mL\n"
    )
    with pytest.raises(CaseDataError, match="read from case folders only"):
        plotting.read_cohort(tmp_path)


def test_folder_cohort_of_relative_cases(tmp_path):
    folder = tmp_path / "cohort" / "p1"
    folder.mkdir(parents=True)
    (folder / "case.toml").write_text(_toml())
    (folder / "measurements.csv").write_text("month,marker,value,unit\n0,AFP,2,ng/mL\n")
    cohort = plotting.read_cohort(tmp_path / "cohort")
    assert cohort.cases["p1"].time_unit == "months"


@pytest.mark.parametrize(
    ("span_years", "width_in", "unit", "expected"),
    [
        (7 / 12, 6.0, None, ("months", 1)),
        (7 / 12, 2.6, None, ("months", 1)),
        (2.5, 2.6, None, ("months", 6)),
        (2.5, 6.0, None, ("months", 2)),
        (13, 6.0, None, ("years", 1)),
        (13, 2.6, None, ("years", 2)),
        (60 / 365.25, 6.0, "days", ("days", 5)),
        (1.0, 6.0, "years", ("months", 1)),
    ],
)
def test_since_ticks_pick_months_on_short_spans(span_years, width_in, unit, expected):
    assert since_ticks(span_years * 365.25, width_in, 0.3, unit=unit) == expected


def test_since_diagnosis_axis_of_a_short_calendar_course_ticks_months(write_case):
    folder = write_case(
        "date,marker,value,unit\n2010-01-10,AFP,200,ng/mL\n2010-06-01,AFP,20,ng/mL\n",
        toml='[time]\norigin = "2010-01-01"\nlast_follow_up = "2010-07-31"\n'
        'axis = "since-diagnosis"\norigin_label = "TARE"\n',
    )
    track = plot_case(read_case(folder)).axes[1]
    assert track.get_xlabel() == "Months since TARE"
    assert _labels(track.xaxis)[:3] == ["0", "1", "2"]


def test_treatment_windows_of_a_relative_case_are_named_in_months(capsys):
    # Every treatment by default: the three lenvatinib courses share a label, so
    # they are named by their order; no window shows the hidden calendar anchor.
    from plotting.cli import main

    published = ROOT / "data" / "matsuki2020"
    assert main(["kinetics", str(published)]) == 0
    out = capsys.readouterr().out
    assert "after row 1 (lenvatinib): month 0 to month" in out.casefold()
    assert "after conversion hepatectomy: month 13 to month 13" in out.casefold()
    assert not YEAR.search(out)
    assert main(["kinetics", str(published), "--after", "lenvatinib"]) == 2
    err = capsys.readouterr().err
    assert "treatments are labelled 'lenvatinib' (treatments 1, 2" in err
    assert "name one by that number" in err


def test_poor_fits_and_empty_windows_name_months_not_the_hidden_anchor(
    write_case, capsys
):
    from plotting.cli import main

    rows = "".join(
        f"{t},AFP,{v},ng/mL\n" for t, v in ((0, 900), (2, 30), (4, 200), (6, 1500))
    )
    folder = write_case(
        "date,marker,value,unit\n" + rows,
        treatments="kind,start,end\ntare,0,\n",
        toml=_toml("months", 8),
    )
    assert main(["kinetics", str(folder), "--between", "0", "6"]) == 0
    out = capsys.readouterr().out
    assert "poor fit: R² " in out and "falls to month 2, then rises" in out
    assert "; times known to the month |" in out
    with pytest.warns(UserWarning) as caught:
        plot_case(read_case(folder), kinetics=[(0, 6)])
    message = str(caught[0].message)
    assert message.startswith("AFP month 0 to month 6: poor fit (")
    assert "falls to month 2, then rises" in message
    assert not YEAR.search(out + message)
    with pytest.raises(KineticsError, match=r"^AFP month 7 to month 8: no results"):
        plotting.fit_kinetics(
            read_case(folder).measurements,
            marker="AFP",
            start=relative_position(7, "months"),
            end=relative_position(8, "months"),
            time_unit="months",
        )


@pytest.mark.parametrize("unit", ["Months", "month", "mo"])
def test_fit_kinetics_refuses_a_time_unit_it_does_not_know(unit):
    case = read_case(MATSUKI)
    with pytest.raises(ValueError, match=r"time_unit must be None or one of .*months"):
        plotting.fit_kinetics(
            case.measurements,
            marker="AFP",
            start=relative_position(0, "months"),
            end=relative_position(12, "months"),
            time_unit=unit,
        )
