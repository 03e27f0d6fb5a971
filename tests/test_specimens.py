"""Specimens: one marker in two specimens is two series, never joined, fitted or
limited as one, and the legend names them (issue 17, item 4).

The real case behind it: de novo neuroendocrine prostate cancer with CEA in serum
falling from 1296.5 to 23 ng/mL and CEA in urine after prostatic massage from 137
to 2.4 ng/mL over four months, PSA 0.47 ng/mL in serum.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from test_figure import assert_legible

import plotting
from plotting import (
    CaseDataError,
    InputError,
    case_from_frames,
    cohort_from_frames,
    plot_case,
    plot_marker_trend,
    read_case,
)
from plotting.cli import main
from plotting.computing.alignment import align_cohort
from plotting.computing.crossings import uln_crossings
from plotting.computing.kinetics import KineticsError, fit_kinetics
from plotting.computing.kinetics_windows import kinetics_table, treatment_window
from plotting.computing.limit_values import marker_limits
from plotting.computing.response import assess_response, response_table
from plotting.computing.series import SeriesError
from plotting.core.specimens import (
    SPECIMENS,
    canonical_specimen,
    covers,
    is_reference_specimen,
    series_name,
    unknown_specimen,
)
from plotting.drawing.case_annotations import PERCENT_CHANGE, case_limits
from plotting.drawing.small_multiples import plot_small_multiples

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
        ("UR", "urine"),
        ("CSF", "CSF"),
        ("cerebrospinal fluid", "CSF"),
        ("Plr fld", "pleural fluid"),
        ("pleural  fluid", "pleural fluid"),
        ("ascites", "peritoneal fluid"),
        ("Periton fld", "peritoneal fluid"),
        ("WB", "whole blood"),
        ("122575003", "urine"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_specimens_are_read_as_labs_write_them(written, specimen):
    assert canonical_specimen(written) == specimen


@pytest.mark.parametrize(
    "written",
    ["saliva", "urine, after prostatic massage", "Urin", "sputum", "S", "U", "blood"],
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
    "2020-05-12,CEA,2.4,ng/mL,UR\n"
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


# -- Computing: nothing spans two specimens ------------------------------------


@pytest.fixture
def nepc(write_case):
    """The real case's results, with a treatment to respond to."""
    return read_case(
        write_case(
            TWO_SPECIMENS,
            treatments="kind,start,end,label\nchemotherapy,2020-01-15,2020-04-30,EP\n",
            toml=TOML,
        ),
        today=TODAY,
    )


def _slope(dates, values):
    days = (pd.to_datetime(dates) - pd.Timestamp(dates[0])).days.to_numpy()
    return np.polyfit(days, np.log(values), 1)[0]


def test_a_fit_is_of_one_specimen_and_never_spans_two(nepc):
    m = nepc.measurements
    with pytest.raises(SeriesError) as info:
        fit_kinetics(m, marker="CEA", start="2020-01-01", end="2020-06-30")
    assert str(info.value) == (
        "CEA has results in serum and urine: series of their own, never drawn or "
        "fitted as one; choose one with specimen= (one of 'serum', 'urine'; '' for "
        "results whose specimen is not stated)"
    )
    serum = fit_kinetics(
        m, marker="CEA", start="2020-01-01", end="2020-06-30", specimen="serum"
    )
    urine = fit_kinetics(
        m, marker="CEA", start="2020-01-01", end="2020-06-30", specimen="urine"
    )
    assert serum.values == (1296.5, 180.0, 23.0) and urine.values == (137, 20, 2.4)
    dates = ["2020-01-10", "2020-03-05", "2020-05-12"]
    assert serum.slope_per_day == pytest.approx(_slope(dates, [1296.5, 180, 23]))
    assert urine.slope_per_day == pytest.approx(_slope(dates, [137, 20, 2.4]))
    assert (serum.name, urine.name) == ("CEA, serum", "CEA, urine")
    assert urine.window == "CEA, urine 2020-01-01 to 2020-06-30"
    # PSA is in one specimen: no specimen needed, and its name is PSA alone.
    with pytest.raises(KineticsError, match=r"^PSA 2020-01-01 to 2020-06-30: measured"):
        fit_kinetics(m, marker="PSA", start="2020-01-01", end="2020-06-30")


def test_a_treatment_window_is_cut_at_the_nadir_of_its_own_series(nepc):
    for specimen in ("serum", "urine"):
        window = treatment_window(
            nepc.measurements,
            nepc.treatments,
            "EP",
            marker="CEA",
            until=nepc.last_follow_up,
            specimen=specimen,
        )
        assert window == (
            pd.Timestamp("2020-01-10"),
            pd.Timestamp("2020-05-12"),
            "fall",
        )


def test_the_kinetics_table_has_a_row_per_specimen_and_window(nepc):
    table = kinetics_table(nepc, windows=[("2020-01-01", "2020-06-30")])
    assert table[["marker", "specimen"]].values.tolist() == [
        ["CEA", "serum"],
        ["CEA", "urine"],
        ["PSA", "serum or plasma"],
    ]
    assert table["points"].tolist()[:2] == [3, 3]
    serum, urine = table.iloc[0], table.iloc[1]
    assert serum["half_life_days"] == pytest.approx(
        np.log(2)
        / -_slope(["2020-01-10", "2020-03-05", "2020-05-12"], [1296.5, 180, 23])
    )
    assert urine["half_life_days"] != serum["half_life_days"]
    assert table.iloc[2]["note"] == (
        "measured results on one day only; a rate needs results on two days or more"
    )


def test_kinetics_between_two_dates_of_a_two_specimen_marker(nepc, capsys, tmp_path):
    csv = tmp_path / "rates.csv"
    args = ["kinetics", str(nepc.path), "--markers", "CEA", "--between"]
    assert main([*args, "2020-01-10", "2020-05-12", "--csv", str(csv)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert [line.split(" | ")[0] for line in out[2:]] == [
        "| CEA, serum",
        "| CEA, urine",
    ]
    assert [line.split(" | ")[2] for line in out[2:]] == ["3", "3"]
    written = pd.read_csv(csv)
    assert written[["marker", "specimen"]].values.tolist() == [
        ["CEA", "serum"],
        ["CEA", "urine"],
    ]


def test_a_response_is_of_one_specimen_and_serum_criteria_stay_serum(nepc):
    m, t = nepc.measurements, nepc.treatments
    with pytest.raises(SeriesError):
        assess_response(m, t, "EP", marker="CEA", criterion=PERCENT_CHANGE)
    serum, urine = (
        assess_response(m, t, "EP", marker="CEA", criterion=PERCENT_CHANGE, specimen=s)
        for s in ("serum", "urine")
    )
    assert (serum.baseline, serum.nadir) == (1296.5, 23.0)
    assert (urine.baseline, urine.nadir) == (137.0, 2.4)
    assert (serum.series, urine.series) == ("CEA, serum", "CEA, urine")
    # A criterion set in serum or plasma says nothing of pleural fluid.
    afp = pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-10", "2020-03-05"]),
            "marker": "AFP",
            "value": [400.0, 20.0],
            "unit": "ng/mL",
            "censor": "",
            "specimen": "pleural fluid",
        }
    )
    verdict = assess_response(
        afp, t, "EP", marker="AFP", criterion="afp-20", specimen="pleural fluid"
    )
    assert (verdict.verdict, verdict.reason) == (
        "not evaluable",
        "afp-20 is set in serum or plasma, not pleural fluid",
    )
    table = response_table([serum, urine, verdict])
    assert table[["marker", "specimen"]].values.tolist() == [
        ["CEA", "serum"],
        ["CEA", "urine"],
        ["AFP", "pleural fluid"],
    ]


def test_uln_crossings_follow_one_series(nepc):
    m = nepc.measurements
    with pytest.raises(SeriesError):
        uln_crossings(m, marker="CEA", uln=5.0, max_gap_days=365)
    # The urine CEA falls below 5 ng/mL; the serum CEA never does.
    assert (
        uln_crossings(m, marker="CEA", uln=5.0, max_gap_days=365, specimen="serum")
        == []
    )
    (urine,) = uln_crossings(
        m, marker="CEA", uln=5.0, max_gap_days=365, specimen="urine"
    )
    assert pd.Timestamp("2020-03-05") < urine < pd.Timestamp("2020-05-12")


def test_limit_labels_say_which_specimen_they_are_of(nepc, write_case):
    (uln,) = marker_limits(nepc.markers["CEA"], nepc.measurements, nepc.treatments)
    assert (uln.value, uln.label) == (5.0, "CEA ULN 5 ng/mL (serum)")
    (psa,) = marker_limits(nepc.markers["PSA"], nepc.measurements, nepc.treatments)
    assert psa.label == "PSA ULN 4 ng/mL"
    urine = read_case(
        write_case(
            "date,marker,value,unit,specimen\n2020-01-10,CEA,137,ng/mL,urine\n",
            toml=TOML,
        ),
        today=TODAY,
    )
    assert case_limits(urine, ("CEA",), None) == ()
    with pytest.raises(InputError, match="limits of CEA: it is measured only in urine"):
        case_limits(urine, ("CEA",), {"CEA": {"uln": 3.0}})


def test_a_cohort_aligns_one_specimen(tmp_path):
    results = pd.DataFrame(
        {
            "patient_id": ["a", "a", "a", "b", "b"],
            "date": [
                "2020-01-10",
                "2020-03-05",
                "2020-01-10",
                "2020-01-10",
                "2020-03-05",
            ],
            "marker": "CEA",
            "value": [1296.5, 180, 137, 40, 12],
            "unit": "ng/mL",
            "specimen": ["serum", "serum", "urine", "serum", "serum"],
        }
    )
    treatments = pd.DataFrame(
        {"patient_id": ["a", "b"], "kind": "chemotherapy", "start": "2020-01-15"}
    )
    cohort = cohort_from_frames(results, treatments, today=TODAY)
    with pytest.raises(SeriesError, match="more than one specimen across the patients"):
        align_cohort(cohort, marker="CEA", anchor="chemotherapy")
    serum = align_cohort(cohort, marker="CEA", anchor="chemotherapy", specimen="serum")
    assert serum["value"].tolist() == [1296.5, 180.0, 40.0, 12.0]
    urine = align_cohort(cohort, marker="CEA", anchor="chemotherapy", specimen="urine")
    assert urine["value"].tolist() == [137.0]
    assert urine.attrs["left_out"] == {"b": "no CEA results in urine"}


# -- Drawing: two lines, named, told apart without color -----------------------


def _series_lines(ax, kind="trend-line"):
    return {
        gid: [line for line in ax.get_lines() if line.get_gid() == gid]
        for gid in dict.fromkeys(
            line.get_gid()
            for line in ax.get_lines()
            if (line.get_gid() or "").startswith(f"{kind}:")
        )
    }


def test_two_specimens_are_two_lines_named_in_the_legend(nepc):
    fig = plot_case(nepc)
    trend = fig.axes[0]
    lines = _series_lines(trend)
    assert list(lines) == ["trend-line:CEA[serum]", "trend-line:CEA[urine]"]
    (serum,), (urine,) = lines.values()
    assert list(serum.get_ydata()) == [1296.5, 180.0, 23.0]
    assert list(urine.get_ydata()) == [137.0, 20.0, 2.4]
    # One color (one marker, one axis); another symbol and dash for the urine.
    assert serum.get_color() == urine.get_color()
    assert serum.get_linestyle() != urine.get_linestyle()
    points = {
        line.get_gid(): line.get_marker()
        for line in trend.get_lines()
        if (line.get_gid() or "").startswith("trend-points:")
    }
    assert (
        points["trend-points:CEA[serum]:exact"]
        != (points["trend-points:CEA[urine]:exact"])
    )
    texts = [t.get_text() for t in trend.get_legend().get_texts()]
    assert texts[:3] == ["CEA, serum (ng/mL)", "CEA, urine (ng/mL)", "PSA (ng/mL)"]
    # The ULN of serum says so; the axis no longer claims serum for all.
    labels = [t.get_text() for t in trend.texts if t.get_gid().endswith("-label")]
    assert "CEA ULN 5 ng/mL (serum)" in labels
    assert trend.get_ylabel() == "Level (log scale)"
    assert_legible(fig)


def test_a_gap_is_linked_within_a_series_never_across(write_case):
    folder = write_case(
        "date,marker,value,unit,specimen\n"
        "2010-01-10,CEA,40,ng/mL,serum\n"
        "2011-06-10,CEA,30,ng/mL,serum\n"
        "2010-03-10,CEA,8,ng/mL,urine\n"
        "2010-05-10,CEA,6,ng/mL,urine\n",
        toml='[time]\norigin = "2010-01-01"\nlast_follow_up = "2011-12-31"\n',
    )
    fig = plot_case(read_case(folder, today=TODAY))
    links = _series_lines(fig.axes[0], "gap-link")
    assert list(links) == ["gap-link:CEA[serum]"]
    (link,) = links["gap-link:CEA[serum]"]
    assert list(link.get_ydata()) == [40.0, 30.0]
    assert list(_series_lines(fig.axes[0])) == ["trend-line:CEA[urine]"]


def test_a_marker_in_one_specimen_keeps_its_label(write_case):
    text = (
        "date,marker,value,unit,specimen\n"
        "2020-01-10,CEA,1296.5,ng/mL,Serum\n"
        "2020-05-12,CEA,23,ng/mL,serum\n"
        "2020-01-10,PSA,0.47,ng/mL,Ser/Plas\n"
    )
    fig = plot_case(read_case(write_case(text, toml=TOML), today=TODAY))
    trend = fig.axes[0]
    legend = [t.get_text() for t in trend.get_legend().get_texts()]
    assert legend[:2] == ["CEA (ng/mL)", "PSA (ng/mL)"]
    assert trend.get_ylabel() == "Serum or plasma level (log scale)"
    urine = "date,marker,value,unit,specimen\n2020-01-10,CEA,137,ng/mL,urine\n"
    urine += "2020-03-05,CEA,20,ng/mL,urine\n"
    fig = plot_case(read_case(write_case(urine, toml=TOML), today=TODAY))
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    # Urine alone is still urine, and gets no serum ULN.
    assert legend == ["CEA, urine (ng/mL)"]
    assert not [t for t in fig.axes[0].texts if "ULN" in t.get_text()]


def test_an_entirely_blank_specimen_column_draws_todays_figure(write_case):
    bare = "date,marker,value,unit\n2020-01-10,CEA,40,ng/mL\n2020-03-05,CEA,8,ng/mL\n"
    blank = bare.replace("unit\n", "unit,specimen\n").replace("mL\n", "mL,\n")
    figures = []
    for text in (bare, blank):
        fig = plot_case(read_case(write_case(text, toml=TOML), today=TODAY))
        figures.append(_png(fig))
    assert figures[0] == figures[1]


def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=72, metadata={"Software": None})
    return buffer.getvalue()


def test_the_axes_level_function_refuses_to_join_two_specimens(nepc):
    _fig, ax = plt.subplots()
    with pytest.raises(SeriesError, match="CEA has results in serum and urine"):
        plot_marker_trend(nepc.measurements, marker="CEA", ax=ax)
    assert not ax.lines
    plot_marker_trend(nepc.measurements, marker="CEA", specimen="urine", ax=ax)
    assert [line.get_label() for line in ax.get_lines()][-1] == "CEA, urine (ng/mL)"


def test_kinetics_and_percent_change_labels_name_the_series(nepc):
    fig = plot_case(nepc, kinetics=["EP"], response=["EP"])
    texts = [t.get_text() for t in fig.axes[0].texts]
    fits = [t for t in texts if "t½" in t]
    assert [t.split(" t½")[0] for t in fits] == ["CEA, serum", "CEA, urine"]
    changes = [t for t in texts if "vs baseline" in t]
    assert [t.split(":")[0] for t in changes] == ["CEA, serum", "CEA, urine"]
    assert_legible(fig)


def test_cohort_figures_draw_one_specimen_named_on_the_command_line(tmp_path, capsys):
    folder = tmp_path / "cohort"
    folder.mkdir()
    (folder / "measurements.csv").write_text(
        "patient_id,date,marker,value,unit,specimen\n"
        "a,2020-01-10,CEA,1296.5,ng/mL,serum\n"
        "a,2020-03-05,CEA,180,ng/mL,serum\n"
        "a,2020-01-10,CEA,137,ng/mL,urine\n"
        "a,2020-03-05,CEA,20,ng/mL,urine\n"
        "b,2020-01-12,CEA,40,ng/mL,serum\n"
        "b,2020-03-01,CEA,12,ng/mL,serum\n"
    )
    out = tmp_path / "out"
    grid = ["grid", str(folder), "-o", str(out / "grid"), "--marker", "CEA"]
    assert main(grid) == 2
    assert "choose one (--specimen on the command line" in capsys.readouterr().err
    assert main([*grid, "--specimen", "URINE"]) == 0
    assert (out / "grid.png").exists()
    assert main([*grid, "--specimen", "saliva"]) == 2
    assert "'saliva': unknown specimen" in capsys.readouterr().err
    cohort = plotting.read_cohort(folder, today=TODAY)
    fig = plot_small_multiples(cohort, marker="CEA", specimen="urine")
    assert fig.get_supylabel() == "CEA, urine (ng/mL, log scale)"
    assert [len(_series_lines(ax)) for ax in fig.axes[:2]] == [1, 0]
    # The serum ULN is never drawn over urine panels.
    assert not [
        line for line in fig.axes[0].get_lines() if line.get_gid() == "reference-limit"
    ]


@pytest.mark.mpl_image_compare(filename="specimens_two_series_of_one_marker.png")
def test_one_marker_in_serum_and_urine_is_drawn_as_two_series(nepc):
    fig = plot_case(nepc, width_mm=89, trend_height_in=1.8)
    assert len(_series_lines(fig.axes[0])) == 2
    assert_legible(fig)
    return fig
