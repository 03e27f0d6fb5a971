"""Issue 21, round 3: signs, month-wide windows, unreadable settings, valid input.

Each class is one rule: one sign parser for every relative time (cells,
case.toml, command-line windows), windows that name a month or a year cover all
of it, and numbers typed in a DataFrame read as themselves whatever the declared
decimal mark.
"""

from __future__ import annotations

import decimal
import os
import textwrap

import numpy as np
import pandas as pd
import pytest
from artists import plotted_points
from conftest import YU2020

from plotting import CaseDataError, case_from_frames, read_case
from plotting.cli import main
from plotting.core.dates import (
    parse_date,
    parse_relative,
    relative_value,
    time_position,
)

RELATIVE_TOML = """
[time]
relative = "months"
origin = 0
origin_label = "start of therapy"
last_follow_up = "{last}"
"""


def months_case(tmp_path, rows, *, last="24"):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "case.toml").write_text(textwrap.dedent(RELATIVE_TOML.format(last=last)))
    lines = ["date,marker,value,unit", *(f"{t},AFP,{v},ng/mL" for t, v in rows)]
    (folder / "measurements.csv").write_text("\n".join(lines) + "\n")
    return folder


def months(case):
    return [relative_value(d, "months") for d in case.measurements["date"]]


# --- Signs -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("+1", 1.0), ("+0.5", 0.5), ("-1", -1.0), ("\u22122", -2.0), ("+1,5", 1.5)],
)
def test_one_sign_rule_for_every_relative_time(text, value):
    assert parse_relative(text, "months") == value


def test_a_plus_sign_in_a_cell_and_in_case_toml_is_after_the_origin(tmp_path):
    case = read_case(
        months_case(tmp_path, [("+1", 10), ("-2", 20), ("+6", 5)], last="+24")
    )
    assert sorted(months(case)) == [-2.0, 1.0, 6.0]
    assert relative_value(case.last_follow_up, "months") == 24.0


def test_plus_and_minus_windows_on_the_command_line(tmp_path, capsys):
    folder = str(months_case(tmp_path, [("-2", 40), ("1", 20), ("6", 5), ("9", 4)]))
    tables = []
    for between in (["+1", "6"], ["1", "6"], ["-2", "+6"], ["\u22122", "6"]):
        assert main(["kinetics", folder, "--between", *between]) == 0
        tables.append(capsys.readouterr().out.splitlines()[-1])
    assert tables[0] == tables[1] and "month 1 to month 6" in tables[0]
    assert "month -2 to month 6" in tables[2] and tables[3] == tables[2]
    # argparse took -1:6 for an option; only --kinetics=-2:6 used to work.
    for argv in (["--kinetics", "-2:6"], ["--kinetics=-2:6"], ["--kinetics", "-2:+6"]):
        out = tmp_path / f"f{len(tables)}"
        tables.append(out)
        assert main(["render", folder, "-o", str(out), "--format", "svg", *argv]) == 0
    assert main(["render", folder, "-o", str(tmp_path / "g"), "--from", "+1"]) == 0
    capsys.readouterr()


def test_a_window_that_still_ends_first_is_refused_with_its_signs(tmp_path, capsys):
    folder = str(months_case(tmp_path, [("-2", 40), ("1", 20), ("6", 5)]))
    status = main(["kinetics", folder, "--between", "+6", "-1"])
    err = capsys.readouterr().err
    assert status == 2 and "END must be after START" in err


@pytest.mark.parametrize("text", ["2011.5", "2011.05", "2011.10", "2011.12"])
def test_a_dotted_year_and_month_may_be_a_decimal_year_and_is_refused(text):
    with pytest.raises(ValueError, match="reads as a decimal year"):
        parse_date(text)


@pytest.mark.parametrize("text", ["2011.0", "2011.13"])
def test_a_dotted_year_that_is_no_month_says_to_write_the_year(text):
    with pytest.raises(ValueError, match="write the year as 2011"):
        parse_date(text)


def test_dotted_days_and_other_month_forms_still_read():
    assert parse_date("2011.05.03")[2] == "day"
    assert parse_date("2011-5")[1] == pd.Timestamp("2011-05-01")
    assert parse_date("2011/05")[2] == "month"


def test_a_decimal_year_in_a_date_cell_names_the_cell(write_case):
    folder = write_case("date,marker,value,unit\n2016.5,AFP,5,ng/mL\n")
    with pytest.raises(CaseDataError) as info:
        read_case(folder)
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.text) == (2, "date", "2016.5")
    assert "decimal year" in problem.message


# --- Windows named to the month or the year ----------------------------------


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2013-02", "2013-02-01", "2013-02-28"),
        ("2012", "2012-01-01", "2012-12-31"),
        ("2012-02", "2012-02-01", "2012-02-29"),
        ("2013-02-08", "2013-02-08", "2013-02-08"),
    ],
)
def test_a_month_or_a_year_names_all_of_it(text, start, end):
    assert time_position(text, None) == pd.Timestamp(start)
    assert time_position(text, None, end=True) == pd.Timestamp(end)


def test_a_window_to_a_month_holds_the_results_of_that_month(capsys):
    # The Makefile's window ends on the result of 2013-02-08; a month says the same.
    assert main(["kinetics", str(YU2020), "--between", "2012-08-01", "2013-02-08"]) == 0
    by_day = capsys.readouterr().out.splitlines()[-2:]
    assert main(["kinetics", str(YU2020), "--between", "2012-08", "2013-02"]) == 0
    by_month = capsys.readouterr().out.splitlines()[-2:]
    assert [r.split("|")[3:7] for r in by_month] == [r.split("|")[3:7] for r in by_day]
    assert "2012-08-01 to 2013-02-28" in by_month[0]


def test_to_a_month_keeps_its_results_and_an_empty_window_is_refused(tmp_path, capsys):
    from plotting import plot_case

    case = read_case(YU2020)
    fig = plot_case(case, start="2013-01", end="2013-02")
    dates = {day.normalize() for day, _ in plotted_points(fig.axes[0], "AFP")}
    assert pd.Timestamp("2013-02-08") in dates
    status = main(
        [
            "render",
            str(YU2020),
            "-o",
            str(tmp_path / "f"),
            "--from",
            "2015-12-01",
            "--to",
            "2015-12",
        ]
    )
    err = capsys.readouterr().err
    assert status == 2 and "no results between 2015-12-01 and 2015-12-31" in err
    assert not list(tmp_path.iterdir())


# --- Files -------------------------------------------------------------------


def test_an_unreadable_case_toml_is_a_located_problem(write_case, monkeypatch):
    folder = write_case("date,marker,value,unit\n2015-02-01,AFP,5,ng/mL\n")
    real = type(folder).read_text

    def refuse(path, *args, **kwargs):
        if path.name == "case.toml":
            raise PermissionError(13, os.strerror(13))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(type(folder), "read_text", refuse)
    with pytest.raises(CaseDataError) as info:
        read_case(folder)
    messages = [p.message for p in info.value.problems]
    assert "cannot be read (Permission denied)" in messages[0]
    assert info.value.problems[0].file == str(folder / "case.toml")


def test_an_unreadable_workbook_is_a_located_problem(tmp_path, monkeypatch):
    import openpyxl

    folder = tmp_path / "case"
    folder.mkdir()
    book = openpyxl.Workbook()
    book.active.title = "measurements"
    book.active.append(["date", "marker", "value", "unit"])
    book.save(folder / "measurements.xlsx")
    (folder / "case.toml").write_text(
        '[time]\norigin = "2015"\nlast_follow_up = "2016"\n'
    )
    real = type(folder).open

    def refuse(path, *args, **kwargs):
        if path.suffix == ".xlsx":
            raise PermissionError(13, os.strerror(13))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(type(folder), "open", refuse)
    with pytest.raises(CaseDataError, match="cannot be read"):
        read_case(folder)


# --- Valid input that was refused ---------------------------------------------


def test_numbers_typed_in_a_frame_read_as_themselves_under_a_decimal_comma():
    results = pd.DataFrame(
        {
            "month": [0.0, 1.5, 3.25],
            "marker": "AFP",
            "value": [10.0, 20.5, 5.0],
            "unit": "ng/mL",
        }
    )
    case = case_from_frames(
        results,
        origin=0,
        last_follow_up=6,
        time={"origin_label": "surgery"},
        files={"decimal": ","},
    )
    assert months(case) == [0.0, 1.5, 3.25]
    assert case.measurements["value"].tolist() == [10.0, 20.5, 5.0]


def test_decimal_values_and_an_integer_year_as_origin():
    results = pd.DataFrame(
        {
            "date": ["2006-03-01", "2007-01-02"],
            "marker": "AFP",
            "value": [decimal.Decimal("10.5"), decimal.Decimal("3")],
            "unit": "ng/mL",
        }
    )
    case = case_from_frames(results, origin=2006, last_follow_up="2008-01-01")
    assert case.origin == pd.Timestamp("2006-01-01")
    assert case.measurements["value"].tolist() == [10.5, 3.0]


# --- Limits and thresholds in another unit, or where nothing is drawn -------------

CALENDAR_TOML = '[time]\norigin = "2015-01"\nlast_follow_up = "2016-01-01"\n'


def calendar_case(tmp_path, markers_toml, rows, *, name="case"):
    folder = tmp_path / name
    folder.mkdir()
    (folder / "case.toml").write_text(CALENDAR_TOML + textwrap.dedent(markers_toml))
    lines = ["date,marker,value,unit", *rows]
    (folder / "measurements.csv").write_text("\n".join(lines) + "\n")
    return folder


@pytest.mark.parametrize(
    ("markers_toml", "rows", "said"),
    [
        (
            '[markers.AFP]\nunit = "IU/mL"\nuln = 5.8\n',
            ["2015-02-01,AFP,10,ng/mL", "2015-05-01,AFP,20,ng/mL"],
            '[markers.AFP] uln = 5.8 is in IU/mL (unit = "IU/mL"), but the AFP '
            "results are in ng/mL",
        ),
        (
            "[markers.PIVKA-II]\nuln = 40\n",
            ["2015-02-01,PIVKA-II,10,ng/mL"],
            "[markers.PIVKA-II] uln = 40 is in mAU/mL (no unit, so the registry's "
            "mAU/mL), but the PIVKA-II results are in ng/mL",
        ),
        (
            '[markers.AFP]\nunit = "ng/mL"\nuln = 7\n',
            ["2015-02-01,AFP,10,IU/mL"],
            '[markers.AFP] uln = 7 is in ng/mL (unit = "ng/mL"), but the AFP '
            "results are in IU/mL",
        ),
    ],
)
def test_a_limit_in_another_unit_than_the_results_is_refused(
    tmp_path, capsys, markers_toml, rows, said
):
    folder = calendar_case(tmp_path, markers_toml, rows)
    with pytest.raises(CaseDataError) as info:
        read_case(folder)
    (problem,) = info.value.problems
    assert problem.file == str(folder / "case.toml")
    assert problem.message.startswith(said)
    for command in (["check"], ["render", "-o", str(tmp_path / "f")]):
        assert main([command[0], str(folder), *command[1:]]) == 2
        assert said in capsys.readouterr().err
    assert not (tmp_path / "f.png").exists()


def test_a_limit_written_in_the_results_unit_is_drawn_in_it(tmp_path):
    from plotting import plot_case

    folder = calendar_case(
        tmp_path,
        '[markers.AFP]\nunit = "IU/mL"\nuln = 5.8\n',
        ["2015-02-01,AFP,10,IU/mL", "2015-05-01,AFP,20,IU/mL"],
    )
    fig = plot_case(read_case(folder))
    labels = [t.get_text() for t in fig.axes[0].texts if "ULN" in t.get_text()]
    assert labels == ["AFP ULN 5.8 IU/mL"]


@pytest.mark.parametrize(
    "markers_toml",
    [
        "[markers.AFP]\nuln = 1e-30\n",
        "[markers.AFP]\nuln = 1e12\n",
        "[markers.AFP]\nthresholds = [{ value = 1e-30 }]\n",
        '[markers.AFP]\nthresholds = [{ value = 5e9, label = "huge" }]\n',
    ],
)
def test_a_limit_no_assay_reports_is_refused(tmp_path, markers_toml):
    folder = calendar_case(tmp_path, markers_toml, ["2015-02-01,AFP,10,ng/mL"])
    with pytest.raises(CaseDataError) as info:
        read_case(folder)
    (problem,) = info.value.problems
    assert "outside what any assay reports (1e-06 to 100,000,000)" in problem.message


def test_limits_asked_for_in_python_are_checked_like_the_case_toml(yu2020_case):
    from plotting import InputError, plot_case

    with pytest.raises(InputError, match="outside what any assay reports"):
        plot_case(yu2020_case, limits={"AFP": {"uln": 1e-30}})
    with pytest.raises(InputError) as info:
        plot_case(yu2020_case, limits={"CEA": {"uln": 5}})
    assert str(info.value) == (
        "limits are given for 'CEA', but the figure draws 'AFP', 'PIVKA-II'; give "
        "limits for those, or add the marker to markers"
    )
    with pytest.raises(InputError, match="limits are given for 'PIVKA-II'"):
        plot_case(yu2020_case, markers=["AFP"], limits={"PIVKA-II": {"uln": False}})


@pytest.fixture
def yu2020_case():
    return read_case(YU2020)


def test_a_declared_marker_without_results_draws_no_limit_alone(tmp_path):
    from plotting import plot_case

    folder = calendar_case(
        tmp_path,
        '[markers.AFP]\naxis = "left"\n[markers.CEA]\nuln = 5\n',
        ["2015-02-01,AFP,10,ng/mL", "2015-05-01,AFP,20,ng/mL"],
    )
    case = read_case(folder)
    assert list(case.markers) == ["AFP"]
    fig = plot_case(case)
    assert not [t for t in fig.axes[0].texts if "CEA" in t.get_text()]
    assert not [line for line in fig.axes[0].lines if "CEA" in (line.get_gid() or "")]


def test_check_refuses_what_render_refuses(tmp_path, capsys):
    folder = calendar_case(
        tmp_path,
        '[markers.PSA]\nthresholds = ["phoenix"]\n',
        ["2015-02-01,PSA,10,ng/mL", "2015-05-01,PSA,2,ng/mL"],
    )
    errors = []
    for command in (["check"], ["render", "-o", str(tmp_path / "f")]):
        assert main([command[0], str(folder), *command[1:]]) == 2
        errors.append(capsys.readouterr().err)
    assert errors[0] == errors[1]
    assert "Phoenix (nadir + 2 ng/mL) is defined after radiotherapy" in errors[0]


def test_a_relative_case_is_told_in_its_own_time(tmp_path, capsys):
    folder = months_case(tmp_path, [])
    (folder / "case.toml").write_text(
        textwrap.dedent(RELATIVE_TOML.format(last="24"))
        + '[markers.PSA]\nthresholds = ["phoenix"]\n'
    )
    (folder / "treatments.csv").write_text(
        "kind,start,end,label\nradiotherapy,3,4,RT\nresection,5,,Surgery\n"
    )
    (folder / "measurements.csv").write_text(
        "date,marker,value,unit\n0,PSA,8,ng/mL\n2,PSA,1,ng/mL\n6,PSA,3,ng/mL\n"
    )
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    # No PSA between the radiotherapy and the surgery: the days it names are the
    # case's months, never the calendar day relative times are placed on.
    assert "no PSA result after RT (month 4) and before month 5" in err
    assert "1970" not in err


def test_an_assay_dependent_threshold_conversion_needs_the_case_factor(tmp_path):
    folder = calendar_case(
        tmp_path,
        '[markers.AFP]\nthresholds = [{ value = 16, unit = "IU/mL" }]\n',
        ["2015-02-01,AFP,100,ng/mL", "2015-05-01,AFP,10,ng/mL"],
    )
    from plotting import InputError, plot_case

    with pytest.raises(InputError) as info:
        plot_case(read_case(folder))
    assert str(info.value) == (
        "[markers.AFP] threshold '16' is in IU/mL but AFP is drawn in ng/mL, and the "
        "conversion depends on the assay; add factor = 1.21 (1 IU/mL = 1.21 ng/mL, "
        "the usual) or your assay's under [markers.AFP], or write the threshold in "
        "ng/mL"
    )


# --- Attacks on the fixes above (issue 21, item 3) ----------------------------


def test_a_course_ending_before_a_start_with_three_decimals_is_refused(tmp_path):
    folder = months_case(tmp_path, [("-2", 300), ("1", 150), ("6", 20)])
    (folder / "case.toml").write_text(
        (folder / "case.toml").read_text() + '[files]\ndecimal = "."\n'
    )
    (folder / "treatments.csv").write_text("kind,start,end,label\ntace,2.125,1.5,T\n")
    with pytest.raises(CaseDataError) as info:
        read_case(folder)
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.text) == (2, "end", "1.5")
    assert problem.message.startswith("the course ends before it starts")


def test_the_python_kinetics_windows_follow_the_same_rules():
    import plotting

    yu = read_case(YU2020)
    table = plotting.kinetics_table(yu, windows=[("2012-08", "2013-02")])
    assert set(table["window"]) == {"2012-08-01 to 2013-02-28"}
    fit = plotting.fit_kinetics(
        yu.measurements, marker="AFP", start="2012-08", end="2013-02"
    )
    assert round(fit.half_life_days, 1) == 30.1
    matsuki = read_case(YU2020.parent / "matsuki2020")
    table = plotting.kinetics_table(matsuki, windows=[(0, 12), ("0", "+12")])
    assert list(table["window"].unique()) == ["month 0 to month 12"]
    # The low results lie somewhere in months 5 to 13: no rate from month 0.
    assert table["points"].isna().all()
    assert table["note"].str.contains("1 timed only as a range left out").all()


@pytest.mark.parametrize(
    "end", [np.datetime64("2013-02"), pd.Period("2013-02", "M"), "Feb 2013"]
)
def test_a_month_given_as_a_numpy_or_pandas_period_is_all_of_it(end):
    from plotting import plot_case

    fig = plot_case(read_case(YU2020), start="2012-08", end=end)
    days = {day.normalize() for day, _ in plotted_points(fig.axes[0], "AFP")}
    assert pd.Timestamp("2013-02-08") in days


@pytest.mark.parametrize(
    ("start", "message"),
    [
        (True, "True is not a time"),
        (pd.Timestamp("2012-08-01", tz="UTC"), "has a time zone"),
    ],
)
def test_times_that_are_not_dates_are_refused_not_a_traceback(start, message):
    from plotting import InputError, plot_case

    with pytest.raises(InputError, match=message):
        plot_case(read_case(YU2020), start=start)


def test_a_year_as_a_window_is_the_whole_year():
    from plotting import plot_case

    fig = plot_case(read_case(YU2020), start="2013", end="2013")
    days = {day.normalize() for day, _ in plotted_points(fig.axes[0], "AFP")}
    assert pd.Timestamp("2013-02-08") in days


def test_a_limit_label_wider_than_the_panel_is_refused(tmp_path, capsys):
    label = "Biochemical recurrence after radical prostatectomy per AUA guideline"
    folder = calendar_case(
        tmp_path,
        f'[markers.PSA]\nthresholds = [{{value = 0.2, label = "{label}"}}]\n',
        ["2015-02-01,PSA,3,ng/mL", "2015-08-01,PSA,0.5,ng/mL"],
    )
    out = tmp_path / "f"
    assert main(["render", str(folder), "-o", str(out), "--preset", "single"]) == 2
    err = capsys.readouterr().err
    assert f"the PSA threshold label {label!r} is" in err
    assert "shorten the label" in err and not out.with_suffix(".png").exists()
    assert main(["render", str(folder), "-o", str(out)]) == 0


def test_a_workbook_without_worksheets_is_a_problem(tmp_path):
    import zipfile

    import openpyxl

    folder = tmp_path / "case"
    folder.mkdir()
    book = openpyxl.Workbook()
    book.active.title = "measurements"
    book.save(tmp_path / "full.xlsx")
    with (
        zipfile.ZipFile(tmp_path / "full.xlsx") as source,
        zipfile.ZipFile(folder / "measurements.xlsx", "w") as target,
    ):
        for item in source.infolist():
            if "worksheets/sheet1.xml" not in item.filename:
                target.writestr(item, source.read(item.filename))
    (folder / "case.toml").write_text(CALENDAR_TOML)
    with pytest.raises(CaseDataError, match="holds no worksheet"):
        read_case(folder)


@pytest.mark.parametrize("name", ["case.toml", "measurements.csv"])
def test_a_named_pipe_is_refused_instead_of_waiting_forever(tmp_path, name):
    folder = calendar_case(tmp_path, "", ["2015-02-01,AFP,3,ng/mL"])
    (folder / name).unlink()
    os.mkfifo(folder / name)
    with pytest.raises(CaseDataError) as info:
        read_case(folder)
    assert any(
        p.file == str(folder / name) and p.message.startswith("is a named pipe")
        for p in info.value.problems
    )


def test_one_marker_given_twice_in_limits_is_refused():
    from plotting import InputError, plot_case

    with pytest.raises(InputError, match="AFP is given twice"):
        plot_case(read_case(YU2020), limits={"AFP": {"uln": 20}, "afp": {"uln": 30}})


def test_a_title_that_starts_like_a_window_is_kept_as_written(tmp_path):
    folder = str(months_case(tmp_path, [("-2", 40), ("1", 20), ("6", 5)]))
    out = tmp_path / "f"
    title = "-3:6 months around TARE"
    argv = ["render", folder, "-o", str(out), "--format", "svg", "--title", title]
    assert main([*argv, "--kinetics", "-2:6"]) == 0
    assert title in out.with_suffix(".svg").read_text()


def test_typed_toml_numbers_are_read_as_typed(tmp_path):
    folder = months_case(tmp_path, [("0", 40), ("6", 5)], last="12")
    text = (folder / "case.toml").read_text().replace('"12"', "12.125")
    (folder / "case.toml").write_text(text)
    assert relative_value(read_case(folder).last_follow_up, "months") == 12.125
    calendar = calendar_case(tmp_path, "", ["2015-02-01,AFP,3,ng/mL"], name="cal")
    (calendar / "case.toml").write_text(
        '[time]\norigin = "2015-01"\nlast_follow_up = 2016.10\n'
    )
    with pytest.raises(CaseDataError) as info:
        read_case(calendar)
    assert "reads as a decimal year; write the date in quotes" in str(info.value)
