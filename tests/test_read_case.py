"""read_case: checked tables, and errors that name file, row and column."""

from __future__ import annotations

import pandas as pd
import pytest

from plotting import CaseDataError, read_case

GOOD = """
date,marker,value,unit
2010-03-01,AFP,120,ng/mL
2010-06-01,AFP,12.5,ng/mL
"""


def problems_of(folder):
    with pytest.raises(CaseDataError) as info:
        read_case(folder)
    return [str(p) for p in info.value.problems], info.value


def test_minimal_case_reads(write_case):
    case = read_case(write_case(GOOD))
    assert list(case.measurements["value"]) == [120.0, 12.5]
    assert list(case.measurements["date_precision"]) == ["day", "day"]
    assert case.treatments.empty and case.events.empty
    assert list(case.markers) == ["AFP"]


def test_accepts_the_case_toml_path_too(write_case):
    folder = write_case(GOOD)
    assert len(read_case(folder / "case.toml").measurements) == 2


def test_marker_aliases_map_to_canonical_names(write_case):
    case = read_case(
        write_case("""
        date,marker,value,unit
        2010-03-01,alpha-fetoprotein,120,ng/mL
        2010-03-01,DCP,50,mAU/mL
    """)
    )
    assert set(case.measurements["marker"]) == {"AFP", "PIVKA-II"}


def test_rows_in_any_order_are_sorted_by_date(write_case):
    case = read_case(
        write_case("""
        date,marker,value,unit
        2011-03-01,AFP,3,ng/mL
        2010-03-01,AFP,120,ng/mL
    """)
    )
    assert list(case.measurements["row"]) == [3, 2]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("2010-13-01,AFP,5,ng/mL", "row 2, column \"date\": '2010-13-01': no such day"),
        (
            "spring 2010,AFP,5,ng/mL",
            "row 2, column \"date\": 'spring 2010': not a date; write it as YYYY-MM-DD",
        ),
        (
            "2010-03-01,AFP,-5,ng/mL",
            "row 2, column \"value\": '-5': negative: no assay reports",
        ),
        (
            "2010-03-01,AFP,<0,ng/mL",
            "row 2, column \"value\": '<0': below 0 is no detection limit",
        ),
        (
            "2010-03-01,AFP,high,ng/mL",
            "row 2, column \"value\": 'high': not a positive number",
        ),
        (
            "2010-03-01,AFB,5,ng/mL",
            "row 2, column \"marker\": 'AFB': unknown marker; use one of AFP, PIVKA-II",
        ),
        (
            "2010-03-01,AFP,5,mg/dL",
            "row 2, column \"unit\": 'mg/dL': not a unit of AFP; "
            "write one of ng/mL, IU/mL",
        ),
        (
            "2016-03-01,AFP,5,ng/mL",
            "row 2, column \"date\": '2016-03-01': after the last follow-up",
        ),
        (
            "2009-03-01,AFP,5,ng/mL",
            "row 2, column \"date\": '2009-03-01': before the time origin",
        ),
    ],
)
def test_bad_cell_names_file_row_column_and_fix(write_case, line, expected):
    folder = write_case(f"date,marker,value,unit\n{line}\n")
    messages, _ = problems_of(folder)
    assert len(messages) == 1
    assert messages[0].startswith(str(folder / "measurements.csv"))
    assert expected in messages[0]


def test_every_problem_is_reported_at_once(write_case):
    folder = write_case("""
        date,marker,value,unit
        2010-03-01,AFP,abc,ng/mL
        2010-04-01,AFP,5,ng/mL
        2010-05-xx,AFP,5,ng/mL
        2010-06-01,XYZ,5,ng/mL
    """)
    _messages, error = problems_of(folder)
    assert [p.row for p in error.problems] == [2, 4, 5]
    assert [p.column for p in error.problems] == ["value", "date", "marker"]
    assert str(error).count("\n") == 2


def test_missing_column_is_named(write_case):
    messages, error = problems_of(write_case("date,marker,value\n2010-03-01,AFP,5\n"))
    assert error.problems[0].column == "unit"
    assert error.problems[0].row == 1
    assert "missing; add this column to the header" in messages[0]


def test_one_marker_in_two_units_is_refused(write_case):
    messages, error = problems_of(
        write_case("""
        date,marker,value,unit
        2010-03-01,PIVKA-II,5000,mAU/mL
        2010-04-01,PIVKA-II,3,ng/mL
    """)
    )
    assert error.problems[0].row == 3
    assert "PIVKA-II is in mAU/mL in row 2; one marker must use one unit" in messages[0]


def test_month_date_cannot_claim_day_precision(write_case):
    messages, error = problems_of(
        write_case("""
        date,date_precision,marker,value,unit
        2010-03,day,AFP,5,ng/mL
    """)
    )
    assert error.problems[0].column == "date_precision"
    assert "only known to the month" in messages[0]


def test_course_ending_before_it_starts(write_case):
    messages, error = problems_of(
        write_case(
            GOOD,
            treatments="""
        kind,start,end,label
        radiotherapy,2010-05-01,2010-04-01,Liver RT
    """,
        )
    )
    assert (error.problems[0].row, error.problems[0].column) == (2, "end")
    assert "ends before it starts" in messages[0]


def test_unknown_treatment_kind_is_drawn_neutral_with_a_warning(write_case):
    folder = write_case(GOOD, treatments="kind,start\nacupuncture,2010-05-01\n")
    with pytest.warns(UserWarning, match="'acupuncture' has no style of its own"):
        case = read_case(folder)
    assert list(case.treatments["lane"]) == ["acupuncture"]


def test_missing_files_and_bad_toml(write_case, tmp_path):
    folder = write_case(GOOD, toml="[time\n")
    messages, _ = problems_of(folder)
    assert "case.toml: not valid TOML" in messages[0]
    (folder / "measurements.csv").unlink()
    (folder / "case.toml").write_text('[time]\norigin = "2010-01"\n')
    messages, _ = problems_of(folder)
    assert any("[time] needs last_follow_up" in m for m in messages)
    assert any("measurements.csv: missing" in m for m in messages)


def test_case_overrides_a_limit_and_adds_a_marker(write_case):
    case = read_case(
        write_case(
            """
        date,marker,value,unit
        2010-03-01,AFP,5,ng/mL
        2010-03-01,Ferritin,300,ng/mL
        """,
            toml="""
        [time]
        origin = "2010"
        last_follow_up = "2014-12-31"
        [markers.AFP]
        uln = 10
        [markers.Ferritin]
        unit = "ng/mL"
        uln = 336
        axis = "right"
        """,
        )
    )
    assert case.markers["AFP"].uln == 10
    assert case.markers["Ferritin"].uln == 336
    assert case.axes == {"AFP": "left", "Ferritin": "right"}
    assert case.origin == pd.Timestamp("2010-01-01")


@pytest.mark.parametrize(
    ("value", "flag", "sign"),
    [("<0.2", "", "<"), ("0.1", "<", "<"), (">75000", "", ">"), ("50", ">=", ">")],
)
def test_an_equals_sign_beside_a_censored_result_is_refused(
    write_case, value, flag, sign
):
    # "=" says the value is exact; read as censored, it was a guess.
    folder = write_case(
        "date,marker,value,qualifier,flag,unit\n"
        f"2011-02-01,AFP,{value},=,{flag},ng/mL\n"
        "2011-03-01,AFP,5,=,H,ng/mL\n"
    )
    with pytest.raises(CaseDataError) as refused:
        read_case(folder)
    (problem,) = refused.value.problems
    assert (problem.row, problem.column, problem.text) == (2, "qualifier", "=")
    assert problem.message == (
        f"says = (an exact value) but the result is censored ({sign}); keep one sign"
    )


def test_an_equals_sign_beside_an_exact_result_is_read_as_written(write_case):
    folder = write_case(
        "date,marker,value,qualifier,unit\n2011-02-01,AFP,5,=,ng/mL\n"
        "2011-03-01,AFP,<2,,ng/mL\n"
    )
    case = read_case(folder)
    assert list(case.measurements["censor"]) == ["", "<"]
    assert list(case.measurements["value"]) == [5.0, 2.0]
