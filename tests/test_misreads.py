"""Inputs that were once read wrong without a word: each now reads as the lab
meant it, or is refused naming the cell."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from openpyxl.chart import LineChart

from plotting import CaseDataError, read_case

TOML = '[time]\norigin = "2015-01"\nlast_follow_up = "2017-12-31"\n'


def _workbook(folder, rows, *, formats=None, hidden_column=None):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "measurements"
    for row in rows:
        sheet.append(row)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    if hidden_column:
        sheet.column_dimensions[hidden_column].hidden = True
    book.save(folder / "measurements.xlsx")
    (folder / "case.toml").write_text(TOML)
    return folder


@pytest.mark.parametrize(
    "number_format",
    ['"<"0.0', "\\<0.0", "<0.0", '"<"0.0" ng/mL"', '"<"0.0"*"', '"≤ "0.00'],
)
def test_a_sign_shown_by_any_number_format_is_censoring(tmp_path, number_format):
    header = ["date", "marker", "value", "unit"]
    rows = [header, ["2015-02-01", "AFP", 0.5, "ng/mL"]]
    case = read_case(_workbook(tmp_path, rows, formats={"C2": number_format}))
    assert case.measurements[["value", "censor"]].values.tolist() == [[0.5, "<"]]


def test_a_date_cell_formatted_as_a_year_is_a_year(tmp_path):
    rows = [
        ["date", "marker", "value", "unit"],
        [dt.date(2016, 3, 9), "AFP", 5, "ng/mL"],
    ]
    case = read_case(_workbook(tmp_path, rows, formats={"A2": "yyyy"}))
    assert case.measurements["date_precision"].tolist() == ["year"]
    assert str(case.measurements["date"].iloc[0].date()) == "2016-07-01"


def test_a_hidden_column_is_refused(tmp_path):
    rows = [
        ["date", "marker", "value", "unit", "qualifier"],
        ["2015-02-01", "AFP", 2, "ng/mL", "<"],
    ]
    with pytest.raises(CaseDataError) as info:
        read_case(_workbook(tmp_path, rows, hidden_column="E"))
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.text) == (1, "E", "qualifier")
    assert problem.message.startswith("in a hidden column; unhide the column")


def test_a_chart_sheet_named_in_case_toml_is_refused(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["date", "marker", "value", "unit"])
    book.create_chartsheet("Chart").add_chart(LineChart())
    book.save(tmp_path / "measurements.xlsx")
    (tmp_path / "case.toml").write_text(
        TOML + '[files]\nmeasurements_sheet = "Chart"\n'
    )
    with pytest.raises(CaseDataError, match="is a chart, not a table"):
        read_case(tmp_path)


@pytest.mark.parametrize(
    ("decimal", "cells", "values"),
    [
        (".", ["0,160", "0.050"], [0.16, 0.05]),
        (",", ["0,160", "0.050"], [0.16, 0.05]),
        (",", ["2,160", "2.160"], [2.16, 2160.0]),
        (".", ["2,160", "2.160"], [2160.0, 2.16]),
    ],
)
def test_the_declared_decimal_mark_settles_only_what_is_ambiguous(
    write_case, decimal, cells, values
):
    rows = "".join(f"2015-0{n + 2}-01;AFP;{c};ng/mL\n" for n, c in enumerate(cells))
    toml = TOML + f'[files]\ndecimal = "{decimal}"\n'
    case = read_case(write_case("date;marker;value;unit\n" + rows, toml=toml))
    assert case.measurements["value"].tolist() == values


def test_case_toml_that_is_a_folder_is_a_problem(tmp_path):
    (tmp_path / "case.toml").mkdir()
    (tmp_path / "measurements.csv").write_text("date,marker,value,unit\n")
    with pytest.raises(CaseDataError, match=r"case\.toml: a folder, not a file"):
        read_case(tmp_path)


def test_a_title_row_with_commas_does_not_decide_the_separator(write_case):
    folder = write_case(
        "Tumour markers, ward 3, printed 05.01.2012\n"
        "date;marker;value;unit\n2010-03-01;AFP;2,5;ng/mL\n2010-06-01;AFP;1.234,5;ng/mL\n"
    )
    assert read_case(folder).measurements["value"].tolist() == [2.5, 1234.5]


def test_labels_are_drawn_as_written_never_as_mathematics(write_case):
    from plotting import plot_case

    folder = write_case(
        "date,marker,value,unit\n2010-03-01,AFP,5,ng/mL\n",
        treatments="kind,start,label\ntace,2010-04-01,$\\dose$\nrfa,2010-05-01,"
        "$1200 + $300\n",
    )
    fig = plot_case(read_case(folder))
    fig.canvas.draw()
    labels = [t.get_text() for t in fig.axes[1].texts if t.get_gid() == "track-label"]
    assert labels == ["\\$\\dose\\$", "\\$1200 + \\$300"]


def test_labels_no_font_can_draw_are_refused_naming_them(write_case):
    from plotting import InputError, plot_case

    folder = write_case(
        "date,marker,value,unit\n2010-03-01,AFP,5,ng/mL\n",
        treatments="kind,start,label\ntace,2010-04-01,治療 1\n",
    )
    with pytest.raises(InputError, match="the track label '治療 1' has characters"):
        plot_case(read_case(folder))


def test_a_label_too_long_for_the_track_is_refused_naming_it(write_case):
    from plotting import InputError, plot_case

    label = "A very long label without a single space " * 6
    folder = write_case(
        "date,marker,value,unit\n2010-03-01,AFP,5,ng/mL\n",
        treatments=f"kind,start,label\ntace,2010-04-01,{label}\n",
    )
    with pytest.raises(InputError, match="the TACE labels do not fit on the track"):
        plot_case(read_case(folder), preset="single")


def test_cohort_rows_without_a_patient_id_are_problems(tmp_path):
    from plotting import read_cohort

    (tmp_path / "measurements.csv").write_text(
        "patient_id,date,marker,value,unit\nP1,2015-02-01,AFP,5,ng/mL\n"
        " ,2015-03-01,AFP,6,ng/mL\n"
    )
    with pytest.raises(CaseDataError) as info:
        read_cohort(tmp_path, today="2025-01-01")
    (problem,) = info.value.problems
    assert (problem.row, problem.column) == (3, "patient_id")
    assert problem.message == "empty; write the patient id, or delete the row"


def test_a_dangling_treatments_link_is_a_problem_not_no_treatments(write_case):
    folder = write_case("date,marker,value,unit\n2015-02-01,AFP,5,ng/mL\n")
    (folder / "treatments.csv").symlink_to(folder / "gone.csv")
    with pytest.raises(CaseDataError, match="a link to a file that does not exist"):
        read_case(folder)


def test_dates_inside_a_month_precision_period_are_consistent(write_case):
    toml = '[time]\norigin = "2015-01"\nlast_follow_up = "2016-08"\n'
    folder = write_case(
        "date,marker,value,unit\n2016-08-28,AFP,5,ng/mL\n",
        treatments="kind,start,end\nradiotherapy,2016-03,2016-03-10\n",
        toml=toml,
    )
    case = read_case(folder, today="2025-01-01")
    assert str(case.measurements["date"].iloc[0].date()) == "2016-08-28"
    course = case.treatments.iloc[0]
    assert (str(course.start.date()), str(course.end.date())) == (
        "2016-03-01",
        "2016-03-10",
    )
