"""Specimens: one marker in two specimens is two series, never joined, fitted or
limited as one, and the legend names them (issue 17, item 4).

The real case behind it: de novo neuroendocrine prostate cancer with CEA in serum
falling from 1296.5 to 23 ng/mL and CEA in urine after prostatic massage from 137
to 2.4 ng/mL over four months, PSA 0.47 ng/mL in serum.
"""

from __future__ import annotations

import pandas as pd
import pytest

from plotting import CaseDataError, case_from_frames, read_case
from plotting.core.specimens import (
    SPECIMENS,
    canonical_specimen,
    covers,
    is_reference_specimen,
    series_name,
    unknown_specimen,
)

# -- The vocabulary -----------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "specimen"),
    [
        ("serum", "serum"),
        ("Serum", "serum"),
        ("Ser", "serum"),
        ("SER", "serum"),
        ("Plas", "plasma"),
        ("EDTA plasma", "plasma"),
        ("Ser/Plas", "serum or plasma"),
        ("ser / plas", "serum or plasma"),
        ("Serum or Plasma", "serum or plasma"),
        ("Urine ", "urine"),
        ("URINE", "urine"),
        ("  urine  ", "urine"),
        ("U", "urine"),
        ("UR", "urine"),
        ("CSF", "CSF"),
        ("cerebrospinal fluid", "CSF"),
        ("Plr fld", "pleural fluid"),
        ("pleural  fluid", "pleural fluid"),
        ("ascites", "peritoneal fluid"),
        ("Periton fld", "peritoneal fluid"),
        ("blood", "whole blood"),
        ("122575003", "urine"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_specimens_are_read_as_labs_write_them(written, specimen):
    assert canonical_specimen(written) == specimen


@pytest.mark.parametrize(
    "written", ["saliva", "urine, after prostatic massage", "Urin", "sputum", "S"]
)
def test_other_texts_are_no_specimen(written):
    assert canonical_specimen(written) is None


def test_an_unknown_specimen_is_refused_with_the_nearest_known_one():
    known = ", ".join(SPECIMENS)
    assert unknown_specimen("Urin") == (
        f"unknown specimen; did you mean 'urine'? write one of {known}, or leave it "
        "empty"
    )
    # Nothing is near saliva: no guess, the list.
    assert unknown_specimen("saliva") == (
        f"unknown specimen; write one of {known}, or leave it empty"
    )
    # A detail after a comma is never read as part of the specimen.
    assert unknown_specimen("urine, after prostatic massage") == (
        "a specimen followed by a detail; write the specimen alone (urine) and the "
        "detail (after prostatic massage) in a column of its own, such as "
        "specimen_detail"
    )


def test_the_registry_limits_apply_to_serum_plasma_and_a_specimen_not_stated():
    reference = [name for name in SPECIMENS if is_reference_specimen(name)]
    assert reference == ["serum", "plasma", "serum or plasma"]
    assert is_reference_specimen("")
    assert covers("serum or plasma", "serum") and covers("urine", "urine")
    assert not covers("serum", "serum or plasma") and not covers("serum", "urine")
    assert series_name("CEA", "urine") == "CEA, urine"
    assert series_name("CEA", "") == "CEA, specimen not stated"


# -- Reading ------------------------------------------------------------------

TODAY = "2025-01-01"
TOML = """
[time]
origin = "2020-01-01"
last_follow_up = "2020-06-30"
"""
# The real case: CEA in serum and in urine after prostatic massage, PSA in serum.
TWO_SPECIMENS = (
    "date,marker,value,unit,specimen\n"
    "2020-01-10,CEA,1296.5,ng/mL,Serum\n"
    "2020-01-10,CEA,137,ng/mL,Urine \n"
    "2020-01-10,PSA,0.47,ng/mL,Ser/Plas\n"
    "2020-03-05,CEA,180,ng/mL,SERUM\n"
    "2020-03-05,CEA,20,ng/mL,URINE\n"
    "2020-05-12,CEA,23,ng/mL,serum\n"
    "2020-05-12,CEA,2.4,ng/mL,U\n"
)


def test_each_result_keeps_its_specimen_as_written_and_by_name(write_case):
    case = read_case(write_case(TWO_SPECIMENS, toml=TOML), today=TODAY)
    m = case.measurements
    assert m["specimen"].tolist() == [
        "serum",
        "urine",
        "serum or plasma",
        "serum",
        "urine",
        "serum",
        "urine",
    ]
    assert m["specimen_text"].tolist()[:3] == ["Serum", "Urine", "Ser/Plas"]
    # The registry's serum limit stays with CEA: it has serum results.
    assert case.markers["CEA"].uln == 5.0


@pytest.mark.parametrize("header", ["specimen", "Sample type", "Material", "SPECIMEN"])
def test_a_specimen_column_is_read_under_the_names_lab_systems_give_it(
    write_case, header
):
    text = TWO_SPECIMENS.replace(",specimen\n", f",{header}\n", 1)
    case = read_case(write_case(text, toml=TOML), today=TODAY)
    assert set(case.measurements["specimen"]) == {"serum", "urine", "serum or plasma"}


def test_an_unknown_specimen_is_refused_with_file_row_and_column(write_case):
    folder = write_case(
        "date,marker,value,unit,Specimen\n"
        "2020-01-10,CEA,1296.5,ng/mL,serum\n"
        "2020-02-10,CEA,137,ng/mL,saliva\n"
        "2020-03-10,CEA,20,ng/mL,Urin\n"
        '2020-04-10,CEA,2.4,ng/mL,"urine, after prostatic massage"\n',
        toml=TOML,
    )
    with pytest.raises(CaseDataError) as info:
        read_case(folder, today=TODAY)
    where = str(folder / "measurements.csv")
    lines = str(info.value).splitlines()
    assert lines[0] == (
        f"{where}, row 3, column \"Specimen\": 'saliva': unknown specimen; write one "
        "of serum, plasma, serum or plasma, whole blood, urine, CSF, pleural fluid, "
        "peritoneal fluid, or leave it empty"
    )
    assert lines[1].startswith(
        f"{where}, row 4, column \"Specimen\": 'Urin': unknown specimen; did you "
        "mean 'urine'?"
    )
    assert lines[2] == (
        f"{where}, row 5, column \"Specimen\": 'urine, after prostatic massage': a "
        "specimen followed by a detail; write the specimen alone (urine) and the "
        "detail (after prostatic massage) in a column of its own, such as "
        "specimen_detail"
    )


def test_two_columns_that_say_the_specimen_are_refused(write_case):
    folder = write_case(
        "date,marker,value,unit,specimen,material\n2020-01-10,CEA,5,ng/mL,serum,Serum\n",
        toml=TOML,
    )
    with pytest.raises(CaseDataError, match="both 'specimen' and 'material' say"):
        read_case(folder, today=TODAY)


def test_a_specimen_column_left_blank_reads_as_no_column(write_case, yu2020):
    rows = yu2020.measurements
    blank = rows.assign(specimen="")[["date_text", "marker_text", "value_text"]]
    text = "date,marker,value,unit,specimen\n" + "".join(
        f"{d},{m},{v},ng/mL,\n" for d, m, v in blank.head(3).to_numpy()
    )
    bare = "date,marker,value,unit\n" + "".join(
        f"{d},{m},{v},ng/mL\n" for d, m, v in blank.head(3).to_numpy()
    )
    toml = '[time]\norigin = "2006-08"\nlast_follow_up = "2019-08-27"\n'
    with_column = read_case(write_case(text, toml=toml), today=TODAY)
    without = read_case(write_case(bare, toml=toml), today=TODAY)
    pd.testing.assert_frame_equal(
        with_column.measurements.drop(columns="specimen_text"),
        without.measurements.drop(columns="specimen_text"),
    )
    assert set(with_column.measurements["specimen"]) == {""}


def test_one_value_on_one_day_in_two_specimens_is_no_duplicate(write_case):
    folder = write_case(
        "date,marker,value,unit,specimen\n"
        "2020-01-10,CEA,20,ng/mL,serum\n"
        "2020-01-10,CEA,20,ng/mL,urine\n"
        "2020-01-10,CEA,20,ng/mL,Urine\n",
        toml=TOML,
    )
    with pytest.raises(CaseDataError) as info:
        read_case(folder, today=TODAY)
    (problem,) = info.value.problems
    assert (problem.row, problem.message) == (
        4,
        "the same result as row 3 (date, marker, value and unit); delete one of "
        "the two rows",
    )


def test_each_specimen_of_a_marker_may_have_its_own_unit(write_case):
    folder = write_case(
        "date,marker,value,unit,specimen\n"
        "2020-01-10,AFP,12,ng/mL,serum\n"
        "2020-01-10,AFP,3,IU/mL,pleural fluid\n"
        "2020-02-10,AFP,4,IU/mL,pleural fluid\n",
        toml=TOML,
    )
    case = read_case(folder, today=TODAY)
    assert case.markers["AFP"].unit == "ng/mL" and case.markers["AFP"].uln == 7.0
    mixed = write_case(
        "date,marker,value,unit,specimen\n"
        "2020-01-10,AFP,3,IU/mL,pleural fluid\n"
        "2020-02-10,AFP,4,ng/mL,pleural fluid\n",
        toml=TOML,
    )
    with pytest.raises(CaseDataError, match=r"row 3, column \"unit\": 'ng/mL': AFP "):
        read_case(mixed, today=TODAY)
    with pytest.raises(CaseDataError) as info:
        read_case(mixed, today=TODAY)
    assert "AFP in pleural fluid is in IU/mL in row 2; one marker must use one " in str(
        info.value
    )
    assert "unit in each specimen" in str(info.value)


def test_a_marker_measured_only_in_urine_gets_no_serum_limit(write_case):
    urine = "date,marker,value,unit,specimen\n2020-01-10,CEA,137,ng/mL,urine\n"
    case = read_case(write_case(urine, toml=TOML), today=TODAY)
    assert case.markers["CEA"].uln is None
    limited = TOML + "[markers.CEA]\nuln = 3\n"
    with pytest.raises(CaseDataError) as info:
        read_case(write_case(urine, toml=limited), today=TODAY)
    assert str(info.value).endswith(
        "[markers.CEA] uln: CEA is measured only in urine here, and limits are of "
        "serum or plasma (docs/markers.md); leave uln out"
    )
    # uln = false asks for no limit, which is what it gets.
    none = TOML + "[markers.CEA]\nuln = false\n"
    assert (
        read_case(write_case(urine, toml=none), today=TODAY).markers["CEA"].uln is None
    )


def test_frames_and_parquet_carry_the_specimen_as_files_do(tmp_path):
    results = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-10", "2020-01-10", "2020-05-12"]),
            "marker": "CEA",
            "value": [1296.5, 137, 23],
            "unit": "ng/mL",
            "Sample Type": ["Serum", "Urine", None],
        }
    )
    case = case_from_frames(results, origin="2020-01-01", last_follow_up="2020-06-30")
    assert case.measurements["specimen"].tolist() == ["serum", "urine", ""]
    results.loc[1, "Sample Type"] = "saliva"
    with pytest.raises(CaseDataError) as info:
        case_from_frames(results, origin="2020-01-01", last_follow_up="2020-06-30")
    assert str(info.value).startswith(
        "measurements (DataFrame), row 1, column \"Sample Type\": 'saliva': unknown "
        "specimen"
    )
    pytest.importorskip("pyarrow")
    folder = tmp_path / "parquet"
    folder.mkdir()
    (folder / "case.toml").write_text(TOML)
    results.loc[1, "Sample Type"] = "URINE"
    results.to_parquet(folder / "measurements.parquet")
    read = read_case(folder, today=TODAY)
    assert read.measurements["specimen"].tolist() == ["serum", "urine", ""]


def test_a_workbook_carries_the_specimen(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    folder = tmp_path / "xlsx"
    folder.mkdir()
    (folder / "case.toml").write_text(TOML)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "measurements"
    sheet.append(["date", "marker", "value", "unit", "Specimen"])
    sheet.append(["2020-01-10", "CEA", 1296.5, "ng/mL", "Ser"])
    sheet.append(["2020-01-10", "CEA", 137, "ng/mL", "Urine "])
    sheet.append(["2020-02-10", "CEA", 20, "ng/mL", "sputum"])
    book.save(folder / "measurements.xlsx")
    with pytest.raises(CaseDataError) as info:
        read_case(folder, today=TODAY)
    (problem,) = info.value.problems
    assert (problem.row, problem.column, problem.text) == (4, "Specimen", "sputum")
