"""A column's own results settle the decimal mark of a number that reads two ways.

``5,658`` beside ``187.8`` is 5658 (issue #17, item 8), said in a note; both marks
in one column, or none, keep it refused; a declared mark always wins; a
workbook's numeric cells show no mark of the author's.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from plotting import CaseDataError, read_case
from plotting.cli import main
from plotting.reading.cohort import read_cohort
from plotting.reading.frames import case_from_frames
from plotting.reading.importers import read_lab_export
from plotting.reading.tables.cells import (
    ColumnMark,
    MarkEvidence,
    cell_mark,
    column_mark,
    reads_two_ways,
)

TOML = '[time]\norigin = "2015-01"\nlast_follow_up = "2017-12-31"\n'
TODAY = "2025-01-01"


@pytest.mark.parametrize(
    ("text", "mark"),
    [
        ("187.8", "."),
        ("2.3", "."),
        ("0.05", "."),
        ("<0.160", "."),  # a leading 0 starts no group of thousands
        ("1,250.5", "."),
        ("1,250,000", "."),  # only a thousands separator repeats
        ("1234.567", "."),
        ("2,3", ","),
        ("0,160", ","),
        ("1.250,5", ","),
        ("1.250.000", ","),
        ("12 345,5", ","),
        ("> 60,5", ","),
        ("2,160", None),  # the cell in question
        ("2.160", None),
        ("2160", None),
        ("<2", None),
        ("", None),
        ("n/a", None),
        ("1,2,3", None),  # no number
        ("1.250.5", None),
    ],
)
def test_a_cell_shows_the_mark_it_can_only_be_read_with(text, mark):
    assert cell_mark(text) == mark


def test_a_column_with_one_mark_shown_settles_it_with_the_first_cell_showing_it():
    shown = column_mark([2, 3, 4, 5], ["5,658", "2160", "187.8", "2.3"])
    assert shown == ColumnMark(point=MarkEvidence(".", 4, "187.8"))
    assert shown.mark == "." and shown.evidence.row == 4 and not shown.mixed
    comma = column_mark([2, 3], ["2.160", "0,5"])
    assert comma.mark == "," and comma.evidence == MarkEvidence(",", 3, "0,5")


def test_both_marks_or_none_settle_nothing():
    mixed = column_mark([2, 3, 4], ["187.8", "5,658", "2,3"])
    assert mixed.mixed and mixed.mark is None and mixed.evidence is None
    assert mixed.point.row == 2 and mixed.comma.row == 4
    assert column_mark([2, 3], ["5,658", "2160"]) == ColumnMark()
    assert column_mark([], []).mark is None


def test_only_a_number_with_one_mark_and_three_digits_reads_two_ways():
    assert reads_two_ways("2,160") and reads_two_ways("<2.160")
    assert not any(map(reads_two_ways, ["2160", "187.8", "0,160", "1,250.5", "x"]))


def _case(folder, values, toml=TOML, treatments=None):
    folder.mkdir(exist_ok=True)
    (folder / "case.toml").write_text(toml)
    rows = [
        f'2015-0{month},AFP,"{value}",ng/mL' for month, value in enumerate(values, 2)
    ]
    (folder / "measurements.csv").write_text(
        "date,marker,value,unit\n" + "\n".join(rows) + "\n"
    )
    if treatments:
        (folder / "treatments.csv").write_text(treatments)
    return folder


def test_a_point_shown_by_the_column_reads_5658_and_says_so(tmp_path):
    case = read_case(_case(tmp_path, ["187.8", "5,658", "2.3"]), today=TODAY)
    assert case.measurements["value"].tolist() == [187.8, 5658.0, 2.3]
    assert case.notes == [
        f"{tmp_path / 'measurements.csv'}, column value: row 3 '5,658' read as 5658 "
        "(the column's other results, e.g. row 2 '187.8', use a decimal point)"
    ]


def test_a_comma_shown_by_the_column_reads_2160_as_2_16(tmp_path):
    case = read_case(_case(tmp_path, ["2,160", "0,5", "2.160", "7"]), today=TODAY)
    assert case.measurements["value"].tolist() == [2.16, 0.5, 2160.0, 7.0]
    assert case.notes == [
        f"{tmp_path / 'measurements.csv'}, column value: row 2 '2,160' read as 2.16, "
        "row 4 '2.160' read as 2160 (the column's other results, e.g. row 3 '0,5', "
        "use a decimal comma)"
    ]


def test_the_check_command_prints_the_note(tmp_path, capsys):
    folder = _case(tmp_path / "case", ["187.8", "2,160"])
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "  note: " in out and "row 3 '2,160' read as 2160" in out


def test_a_declared_mark_wins_over_the_column_and_adds_no_note(tmp_path):
    toml = TOML + '[files]\ndecimal = ","\n'
    case = read_case(_case(tmp_path, ["187.8", "5,658"], toml), today=TODAY)
    # 187.8 is a decimal whatever is declared; 5,658 is read by the declaration.
    assert case.measurements["value"].tolist() == [187.8, 5.658]
    assert case.notes == []


def test_the_check_command_refuses_a_column_of_both_marks_naming_each(tmp_path, capsys):
    folder = _case(tmp_path / "case", ["187.8", "2,3", "2,160"])
    assert main(["check", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "row 4, column \"value\": '2,160': ambiguous" in err
    assert "a decimal point in row 2 ('187.8') and a decimal comma in row 3" in err


def test_a_column_of_both_marks_without_a_number_that_reads_two_ways_is_read(
    tmp_path,
):
    # Each number means one value: nothing is in doubt, so nothing is refused.
    case = read_case(_case(tmp_path, ["187.8", "2,3"]), today=TODAY)
    assert case.measurements["value"].tolist() == [187.8, 2.3]


def test_numeric_workbook_cells_show_no_mark(tmp_path):
    (tmp_path / "case.toml").write_text(TOML)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["date", "marker", "value", "unit"])
    sheet.append(["2015-02-01", "AFP", 187.8, "ng/mL"])  # a number, shown 187,8 in
    sheet.append(["2015-03-01", "AFP", "5,658", "ng/mL"])  # a German Excel
    book.save(tmp_path / "measurements.xlsx")
    with pytest.raises(CaseDataError) as info:
        read_case(tmp_path, today=TODAY)
    assert [(p.row, p.text) for p in info.value.problems] == [(3, "5,658")]
    assert info.value.problems[0].message.endswith("under [files] in case.toml")
    sheet["C2"] = "187.8"  # the same as text the author typed shows the point
    book.save(tmp_path / "measurements.xlsx")
    case = read_case(tmp_path, today=TODAY)
    assert case.measurements["value"].tolist() == [187.8, 5658.0]


def test_numbers_of_a_dataframe_show_no_mark_but_its_text_does():
    frame = pd.DataFrame(
        {
            "date": ["2015-02-01", "2015-03-01"],
            "marker": ["AFP", "AFP"],
            "value": [187.8, "5,658"],
            "unit": ["ng/mL", "ng/mL"],
        }
    )
    kwargs = {"origin": "2015-01", "last_follow_up": "2017-12-31", "today": TODAY}
    with pytest.raises(CaseDataError, match="ambiguous: 5,658"):
        case_from_frames(frame, **kwargs)
    frame.loc[0, "value"] = "187.8"
    assert case_from_frames(frame, **kwargs).measurements["value"].tolist() == [
        187.8,
        5658.0,
    ]


def test_doses_are_read_with_the_mark_their_column_shows(tmp_path):
    treatments = (
        "kind,start,end,dose_gy,fractions\n"
        'radiotherapy,2015-02-01,2015-03-01,"1,800",10\n'
        'radiotherapy,2015-04-01,2015-05-01,"2,5",1\n'
    )
    case = read_case(_case(tmp_path, ["7"], treatments=treatments), today=TODAY)
    assert case.treatments["dose_gy"].tolist() == [1.8, 2.5]
    assert case.notes == [
        f"{tmp_path / 'treatments.csv'}, column dose_gy: row 2 '1,800' read as 1.8 "
        "(the column's other numbers, e.g. row 3 '2,5', use a decimal comma)"
    ]


def test_each_patient_of_a_cohort_shows_its_own_mark(tmp_path):
    (tmp_path / "cohort.toml").write_text("")
    (tmp_path / "measurements.csv").write_text(
        "patient_id,date,marker,value,unit\n"
        "A,2015-02-01,AFP,187.8,ng/mL\n"
        'A,2015-03-01,AFP,"5,658",ng/mL\n'
        'B,2015-02-01,AFP,"5,658",ng/mL\n'  # B shows no mark: refused
        "B,2015-03-01,AFP,12,ng/mL\n"
        'C,2015-02-01,AFP,"0,5",ng/mL\n'
        'C,2015-03-01,AFP,"5,658",ng/mL\n'
    )
    cohort = read_cohort(tmp_path, today=TODAY)
    assert cohort.cases["A"].measurements["value"].tolist() == [187.8, 5658.0]
    assert cohort.cases["C"].measurements["value"].tolist() == [0.5, 5.658]
    assert "row 7 '5,658' read as 5.658" in cohort.cases["C"].notes[0]
    assert "ambiguous: 5,658" in str(cohort.problems["B"])


LAB = {
    "patient": "PatientID",
    "marker": "TestName",
    "value": "Result",
    "unit": "Units",
    "date": "CollectionDate",
}


def _export(tmp_path, *values):
    path = tmp_path / "export.csv"
    rows = [f'P1,AFP,"{value}",ng/mL,2020-0{n}-01' for n, value in enumerate(values, 1)]
    path.write_text(
        "PatientID,TestName,Result,Units,CollectionDate\n" + "\n".join(rows)
    )
    return path


def test_a_lab_export_reads_with_the_mark_its_column_shows(tmp_path):
    result = read_lab_export(_export(tmp_path, "0,5", "2,160"), LAB, today=TODAY)
    assert list(result.problems) == []
    assert result.decimal == ","  # the folder written declares it
    assert result.notes[0] == (
        "export.csv, column Result: row 3 '2,160' read as 2.16 (the column's other "
        "results, e.g. row 2 '0,5', use a decimal comma)"
    )
    declared = read_lab_export(
        _export(tmp_path, "0,5", "2,160"), LAB, decimal=".", today=TODAY
    )
    assert declared.decimal == "." and not any("read as" in n for n in declared.notes)


def test_a_lab_export_of_both_marks_or_none_is_refused(tmp_path):
    mixed = read_lab_export(_export(tmp_path, "0,5", "1.5", "2,160"), LAB, today=TODAY)
    assert [str(p) for p in mixed.problems] == [
        "export.csv, row 4, column \"Result\": '2,160': ambiguous: 2,160 is 2160 "
        "with a thousands separator or 2.16 with a decimal comma; the column's "
        "other results show both marks, a decimal point in row 3 ('1.5') and a "
        "decimal comma in row 2 ('0,5'); write the column with one decimal mark, "
        'or give the decimal mark, decimal "." or "," (--decimal on the command '
        "line)"
    ]
    none = read_lab_export(_export(tmp_path, "12", "2,160"), LAB, today=TODAY)
    assert [p.message for p in none.problems] == [
        "ambiguous: 2,160 is 2160 with a thousands separator or 2.16 with a decimal "
        'comma; give the decimal mark, decimal "." or "," (--decimal on the command '
        "line)"
    ]
    assert none.decimal is None
