"""An adversary's tests of specimens on the case-folder path (issue 17, item 4).

What a lab system, a spreadsheet or a tired clinician writes in a specimen
column, and what the package must then do: read it as the truth, or refuse it
with file, row, column and cell, exit 2 on the command line and no traceback.
Two specimens of one marker must never be joined, fitted or limited as one.

Each test states the correct behaviour. A test marked ``xfail(strict=True)``
shows a bug of the branch that the suite keeps visible: when it is fixed the
test passes, and the strict mark makes the suite fail until it is removed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from artists import outside_figure
from test_figure import assert_legible

import plotting
from plotting import CaseDataError, InputError, case_from_frames, plot_case, read_case
from plotting.cli import main
from plotting.computing.kinetics import fit_kinetics
from plotting.computing.series import SeriesError
from plotting.drawing.small_multiples import plot_small_multiples

TODAY = "2025-01-01"
TOML = '[time]\norigin = "2020-01-01"\nlast_follow_up = "2020-06-30"\n'
HEADER = "date,marker,value,unit,specimen\n"
# The real case of the branch: CEA in serum and in urine on the same days.
SERUM_AND_URINE = (
    "2020-01-10,CEA,1296.5,ng/mL,{serum}\n"
    "2020-01-10,CEA,137,ng/mL,{urine}\n"
    "2020-03-05,CEA,180,ng/mL,{serum}\n"
    "2020-03-05,CEA,20,ng/mL,{urine}\n"
    "2020-05-12,CEA,23,ng/mL,{serum}\n"
    "2020-05-12,CEA,2.4,ng/mL,{urine}\n"
)


def _read(write_case, text, **kwargs):
    return read_case(
        write_case(text, toml=kwargs.pop("toml", TOML), **kwargs), today=TODAY
    )


def _trend_lines(ax):
    """Return gid -> y data of the trend lines (one per joined run of a series)."""
    found = {}
    for line in ax.get_lines():
        gid = line.get_gid() or ""
        if gid.startswith("trend-line:"):
            found.setdefault(gid, []).append([float(y) for y in line.get_ydata()])
    return found


def _refused(capsys, argv):
    """Run the CLI; return its stderr after asserting exit 2 and no traceback."""
    assert main([str(a) for a in argv]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err


# -- Spellings: read as the truth ---------------------------------------------


@pytest.mark.parametrize(
    ("written", "specimen"),
    [
        (" serum ", "serum"),
        ("SERUM", "serum"),
        ("Ser", "serum"),
        ("Serum\u00a0", "serum"),  # a no-break space pasted from a web page
        ("spot urine", "urine"),
        ("Random Urine", "urine"),
        ("cerebrospinal fluid", "CSF"),
        ("pleural", "pleural fluid"),
        ("Pleural effusion", "pleural fluid"),
        ("ascites", "peritoneal fluid"),
        ("serum/plasma", "serum or plasma"),
        ("Plasma / Serum", "serum or plasma"),
    ],
)
def test_a_spelling_labs_use_is_read_as_its_specimen(write_case, written, specimen):
    case = _read(write_case, HEADER + f"2020-01-10,CEA,5,ng/mL,{written}\n")
    assert case.measurements["specimen"].tolist() == [specimen]
    # What was written is kept beside it, for the reader to check.
    assert case.measurements["specimen_text"].tolist() == [written.strip()]


# -- Spellings: refused, with file, row, column, cell --------------------------


@pytest.mark.parametrize(
    ("written", "hint"),
    [
        # "S" could be serum, sputum, stool or swab: never guessed.
        ("S", "write one of serum, plasma"),
        # A 24-hour collection is not a spot urine: not silently urine.
        ("Urine (24h)", "write one of serum, plasma"),
        ("urin", "did you mean 'urine'?"),
        ("Sérum", "did you mean 'serum'?"),
        ("EDTA-Plasma", "did you mean 'plasma'?"),
        # Invisible characters a spreadsheet leaves behind.
        ("\ufeffserum", "did you mean 'serum'?"),
        ("serum\u200b", "did you mean 'serum'?"),
        ("N/A", "or leave it empty"),
        ("nan", "or leave it empty"),
    ],
)
def test_an_unknown_specimen_is_refused_where_it_is(write_case, capsys, written, hint):
    folder = write_case(
        HEADER
        + "2020-01-05,CEA,4,ng/mL,serum\n"
        + f"2020-01-10,CEA,5,ng/mL,{written}\n",
        toml=TOML,
    )
    with pytest.raises(CaseDataError) as caught:
        read_case(folder, today=TODAY)
    message = str(caught.value)
    assert f'{folder / "measurements.csv"}, row 3, column "specimen"' in message
    assert repr(written) in message and hint in message
    err = _refused(capsys, ["check", folder])
    assert "row 3" in err and "unknown specimen" in err


def test_a_specimen_with_a_detail_says_where_the_detail_goes(write_case):
    folder = write_case(HEADER + '2020-01-10,CEA,5,ng/mL,"urine, random"\n', toml=TOML)
    with pytest.raises(CaseDataError, match="row 2") as caught:
        read_case(folder, today=TODAY)
    assert "write the specimen alone (urine)" in str(caught.value)
    assert "specimen_detail" in str(caught.value)


# -- One series, two series ----------------------------------------------------


def test_a_blank_cell_beside_serum_is_a_series_of_its_own_and_named(write_case):
    """The branch's decision: not stated is not serum. Honest, as long as the
    figure says so: both series named, never one line."""
    case = _read(
        write_case,
        HEADER
        + "2020-01-10,CEA,100,ng/mL,serum\n2020-02-10,CEA,80,ng/mL,\n"
        + "2020-03-10,CEA,60,ng/mL,serum\n2020-04-10,CEA,40,ng/mL,\n",
    )
    fig = plot_case(case)
    lines = _trend_lines(fig.axes[0])
    assert lines == {
        "trend-line:CEA": [[80.0, 40.0]],
        "trend-line:CEA[serum]": [[100.0, 60.0]],
    }
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend[:2] == ["CEA, specimen not stated (ng/mL)", "CEA, serum (ng/mL)"]


def test_serum_and_plasma_are_never_joined_without_a_word(write_case):
    case = _read(
        write_case,
        HEADER
        + "2020-01-10,CEA,100,ng/mL,serum\n2020-02-10,CEA,80,ng/mL,plasma\n"
        + "2020-03-10,CEA,60,ng/mL,serum\n2020-04-10,CEA,40,ng/mL,EDTA plasma\n",
    )
    lines = _trend_lines(plot_case(case).axes[0])
    assert lines == {
        "trend-line:CEA[serum]": [[100.0, 60.0]],
        "trend-line:CEA[plasma]": [[80.0, 40.0]],
    }


def test_one_result_a_day_in_each_specimen_is_no_duplicate(write_case):
    case = _read(
        write_case,
        HEADER + "2020-01-10,CEA,5,ng/mL,serum\n2020-01-10,CEA,5,ng/mL,urine\n",
    )
    assert case.measurements["specimen"].tolist() == ["serum", "urine"]


def test_the_same_result_twice_in_one_specimen_is_a_duplicate(write_case, capsys):
    # URINE and U are one specimen: the spelling does not make two results.
    folder = write_case(
        HEADER + "2020-01-10,CEA,5,ng/mL,URINE\n2020-01-10,CEA,5,ng/mL,UR\n", toml=TOML
    )
    err = _refused(capsys, ["check", folder])
    assert "row 3" in err and "the same result as row 2" in err


def test_a_censored_urine_result_stays_censored_in_its_own_series(write_case):
    case = _read(
        write_case,
        HEADER
        + "2020-01-10,CEA,<0.5,ng/mL,urine\n2020-02-10,CEA,3,ng/mL,urine\n"
        + "2020-03-10,CEA,3,ng/mL,serum\n",
    )
    urine = case.measurements[case.measurements["specimen"] == "urine"]
    assert urine["censor"].tolist() == ["<", ""]
    assert urine["value"].tolist() == [0.5, 3.0]


def test_a_zero_in_a_urine_series_is_read_as_anywhere(write_case):
    # A literal 0 is read as papers print it, whatever the specimen.
    case = _read(
        write_case,
        HEADER + "2020-01-10,CEA,0,ng/mL,urine\n2020-02-10,CEA,3,ng/mL,urine\n",
    )
    assert case.measurements["value"].tolist() == [0.0, 3.0]
    assert case.measurements["specimen"].tolist() == ["urine", "urine"]


def test_a_unit_spelling_of_one_series_is_one_unit(write_case):
    # ug/L is ng/mL: one urine series, no refusal.
    case = _read(
        write_case,
        HEADER + "2020-01-10,CEA,5,ug/L,urine\n2020-02-10,CEA,6,ng/mL,urine\n",
    )
    assert case.measurements["unit"].tolist() == ["ng/mL", "ng/mL"]


# -- Limits are of serum -------------------------------------------------------


def test_a_urine_only_marker_with_a_case_uln_is_refused_by_the_cli(write_case, capsys):
    folder = write_case(
        HEADER + "2020-01-10,CEA,50,ng/mL,urine\n2020-02-10,CEA,3,ng/mL,urine\n",
        toml=TOML + "\n[markers.CEA]\nuln = 3.0\n",
    )
    err = _refused(capsys, ["render", folder, "-o", folder.parent / "out" / "fig"])
    assert "case.toml" in err and "[markers.CEA] uln" in err and "leave uln out" in err
    assert not (folder.parent / "out").exists()


def test_a_urine_series_gets_no_uln_crossing(write_case):
    case = _read(
        write_case, HEADER + SERUM_AND_URINE.format(serum="serum", urine="urine")
    )
    fig = plot_case(case, uln_crossings=True)
    crossings = [
        a.get_gid()
        for a in fig.axes[0].get_children()
        if "crossing" in (a.get_gid() or "")
    ]
    # The urine line crosses 5 ng/mL too; only serum's crossing is marked, and
    # serum never falls below 5 here (23 ng/mL at the end): none at all.
    assert crossings == []


def test_phoenix_takes_its_nadir_from_serum_never_from_urine(write_case):
    case = _read(
        write_case,
        HEADER
        + "2020-01-05,PSA,8,ng/mL,serum\n2020-02-05,PSA,1.0,ng/mL,serum\n"
        + "2020-02-05,PSA,0.05,ng/mL,urine\n2020-03-05,PSA,0.8,ng/mL,serum\n"
        + "2020-03-06,PSA,0.01,ng/mL,urine\n2020-05-12,PSA,3.5,ng/mL,serum\n",
        treatments="kind,start,end,label\nradiotherapy,2020-01-10,2020-01-30,EBRT\n",
        toml=TOML + '\n[markers.PSA]\nthresholds = ["phoenix"]\n',
    )
    labels = [t.get_text() for t in plot_case(case).axes[0].texts]
    assert any("nadir 0.8 + 2 = 2.8 ng/mL" in label for label in labels)


# -- Kinetics and responses: one series each ------------------------------------


@pytest.fixture
def two_specimens(write_case):
    return write_case(
        HEADER
        + "2020-01-05,AFP,1000,ng/mL,serum\n2020-01-05,AFP,900,ng/mL,ascites\n"
        + "2020-02-05,AFP,400,ng/mL,serum\n2020-02-20,AFP,800,ng/mL,ascites\n"
        + "2020-03-05,AFP,180,ng/mL,serum\n2020-05-12,AFP,5,ng/mL,serum\n"
        + "2020-05-12,AFP,100,ng/mL,ascites\n",
        treatments="kind,start,end,label\ntace,2020-01-06,,TACE\n",
        toml=TOML,
    )


def test_a_half_life_is_asked_of_one_series(two_specimens):
    case = read_case(two_specimens, today=TODAY)
    with pytest.raises(SeriesError, match="serum and peritoneal fluid"):
        fit_kinetics(
            case.measurements, marker="AFP", start="2020-01-01", end="2020-06-01"
        )
    assert issubclass(SeriesError, InputError)
    serum = fit_kinetics(
        case.measurements,
        marker="AFP",
        start="2020-01-01",
        end="2020-06-01",
        specimen="serum",
    )
    assert len(serum.values) == 4


def test_the_kinetics_csv_has_a_row_per_specimen_with_its_own_points(
    two_specimens, tmp_path, capsys
):
    csv = tmp_path / "k.csv"
    argv = ["kinetics", two_specimens, "--between", "2020-01-01", "2020-06-01"]
    assert main([str(a) for a in [*argv, "--csv", csv]]) == 0
    table = pd.read_csv(csv, keep_default_na=False)
    assert table[["specimen", "points"]].values.tolist() == [
        ["serum", 4],
        ["peritoneal fluid", 3],
    ]
    shown = capsys.readouterr().out
    assert "| AFP, serum |" in shown and "| AFP, peritoneal fluid |" in shown


def test_a_serum_criterion_gives_an_ascites_series_no_verdict(two_specimens, capsys):
    assert main(["kinetics", str(two_specimens), "--response", "TACE"]) == 0
    rows = [r for r in capsys.readouterr().out.splitlines() if "afp-20" in r]
    assert len(rows) == 2
    assert "| response |" in rows[0] and "AFP, serum" in rows[0]
    assert "not evaluable" in rows[1] and "not peritoneal fluid" in rows[1]


# -- Cohorts ---------------------------------------------------------------------


@pytest.fixture
def cohort_folder(tmp_path):
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
    (folder / "treatments.csv").write_text(
        "patient_id,kind,start\na,chemotherapy,2020-01-15\nb,chemotherapy,2020-01-15\n"
    )
    return folder


def test_aligned_refuses_to_pool_two_specimens(cohort_folder, tmp_path, capsys):
    out = tmp_path / "out" / "aligned"
    argv = [
        "aligned",
        cohort_folder,
        "-o",
        out,
        "--marker",
        "CEA",
        "--anchor",
        "chemotherapy",
    ]
    err = _refused(capsys, argv)
    assert "'serum', 'urine'" in err and "--specimen" in err
    assert not out.parent.exists()


@pytest.mark.parametrize("command", ["aligned", "grid"])
def test_a_specimen_no_patient_has_is_refused(command, cohort_folder, tmp_path, capsys):
    out = tmp_path / "out" / command
    argv = [command, cohort_folder, "-o", out, "--marker", "CEA", "--specimen", "CSF"]
    if command == "aligned":
        argv += ["--anchor", "chemotherapy"]
    err = _refused(capsys, argv)
    assert "CSF" in err
    assert not out.with_suffix(".png").exists()


def test_the_grid_label_with_a_specimen_fits_the_figure(cohort_folder):
    cohort = plotting.read_cohort(cohort_folder, today=TODAY)
    fig = plot_small_multiples(cohort, marker="CEA", specimen="urine")
    assert fig.get_supylabel() == "CEA, urine (ng/mL, log scale)"
    assert outside_figure(fig) == []


# -- Frames and workbooks --------------------------------------------------------


@pytest.mark.parametrize("empty", [np.nan, None, pd.NA])
def test_a_missing_cell_in_a_frame_is_not_stated(empty):
    frame = pd.DataFrame(
        {
            "date": ["2020-01-10", "2020-02-10"],
            "marker": "CEA",
            "value": [5.0, 6.0],
            "unit": "ng/mL",
            "specimen": ["serum", empty],
        }
    )
    case = case_from_frames(
        frame, origin="2020-01-01", last_follow_up="2020-06-30", today=TODAY
    )
    assert case.measurements["specimen"].tolist() == ["serum", ""]


def test_snomed_codes_a_workbook_stores_as_numbers_are_read(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "case.toml").write_text(TOML)
    pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-01-10", "2020-02-10", "2020-03-10"]),
            "marker": "CEA",
            "value": [5.0, 6.0, 7.0],
            "unit": "ng/mL",
            # A blank cell makes the column float: 119364003.0 must stay serum.
            "specimen": [119364003, None, 122575003],
        }
    ).to_excel(folder / "measurements.xlsx", index=False)
    case = read_case(folder, today=TODAY)
    assert case.measurements["specimen"].tolist() == ["serum", "", "urine"]


# -- Tables where a specimen means nothing ----------------------------------------


def test_a_specimen_column_on_treatments_or_events_changes_nothing(write_case):
    """A specimen says what a result was measured in; on a treatment or an
    event it means nothing and is kept aside like any other extra column."""
    text = HEADER + SERUM_AND_URINE.format(serum="serum", urine="urine")
    plain = _read(write_case, text)
    folder = write_case(
        text,
        treatments="kind,start,end,label,specimen\nchemotherapy,2020-01-15,,EP,urine\n",
        events="date,label,specimen\n2020-02-01,CT,urine\n",
        toml=TOML,
    )
    marked = read_case(folder, today=TODAY)
    pd.testing.assert_frame_equal(plain.measurements, marked.measurements)
    assert marked.treatments["kind"].tolist() == ["chemotherapy"]


# -- Drawing: look at it --------------------------------------------------------


def test_a_long_name_in_two_specimens_keeps_a_legible_legend(write_case):
    case = _read(
        write_case,
        HEADER
        + "2020-01-10,Chromogranin A,900,ng/mL,serum\n"
        + "2020-01-10,Chromogranin A,300,ng/mL,peritoneal fluid\n"
        + "2020-03-05,Chromogranin A,400,ng/mL,serum\n"
        + "2020-03-05,Chromogranin A,250,ng/mL,peritoneal fluid\n"
        + "2020-01-10,CA 19-9,80,U/mL,pleural fluid\n"
        + "2020-03-05,CA 19-9,60,U/mL,pleural fluid\n",
    )
    fig = plot_case(case, preset="single")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    # Registry order (CA 19-9 first), then specimens.toml order.
    assert legend == [
        "CA 19-9, pleural fluid (U/mL)",
        "Chromogranin A, serum (ng/mL)",
        "Chromogranin A, peritoneal fluid (ng/mL)",
    ]
    assert_legible(fig)


# -- Bugs: a specimen that is silently not read -----------------------------------


@pytest.mark.parametrize(
    "column", ["sample", "SpecimenType", "Specimen.type", "Specimen source", "system"]
)
def test_specimen_words_under_another_header_are_never_joined(write_case, column):
    text = f"date,marker,value,unit,{column}\n" + SERUM_AND_URINE.format(
        serum="serum", urine="urine"
    )
    folder = write_case(text, toml=TOML)
    try:
        case = read_case(folder, today=TODAY)
    except CaseDataError as refused:
        # Refusing, naming the column and what to call it, is as good.
        assert repr(column) in str(refused) or f'"{column}"' in str(refused)
        assert "specimen" in str(refused)
        return
    assert set(case.measurements["specimen"]) == {"serum", "urine"}


def test_a_marker_name_and_a_specimen_that_disagree_are_refused(write_case):
    folder = write_case(HEADER + '2020-01-10,"CEA, serum",5,ng/mL,urine\n', toml=TOML)
    with pytest.raises(CaseDataError, match="row 2"):
        read_case(folder, today=TODAY)


def test_a_marker_name_that_states_serum_is_a_serum_result(write_case):
    case = _read(
        write_case,
        HEADER + '2020-01-10,"CEA, serum",5,ng/mL,\n2020-02-10,CEA,6,ng/mL,serum\n',
    )
    assert case.measurements["specimen"].tolist() == ["serum", "serum"]


@pytest.mark.parametrize(
    ("written", "specimen"),
    [
        ("CEA (urine)", "urine"),
        ("Urine CEA", "urine"),
        ("CEA, urine", "urine"),
        ("CEA (pleural fluid)", "pleural fluid"),
        ("CSF CEA", "CSF"),
    ],
)
def test_a_marker_written_with_its_specimen_is_that_series(
    write_case, written, specimen
):
    case = _read(
        write_case,
        f'date,marker,value,unit\n2020-01-10,"{written}",5,ng/mL\n'
        "2020-02-10,CEA,6,ng/mL\n",
    )
    assert case.measurements["marker"].tolist() == ["CEA", "CEA"]
    assert case.measurements["specimen"].tolist() == [specimen, ""]


# -- Bugs: what check and the axis say --------------------------------------------


def test_check_names_each_series_with_its_own_unit(write_case, capsys):
    folder = write_case(
        HEADER
        + "2020-01-10,AFP,500,ng/mL,serum\n2020-03-10,AFP,100,ng/mL,serum\n"
        + "2020-02-10,AFP,60,IU/mL,ascites\n2020-03-10,AFP,70,IU/mL,ascites\n",
        toml=TOML,
    )
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "AFP, serum: 2 results in ng/mL" in out
    assert "AFP, peritoneal fluid: 2 results in IU/mL" in out


def test_the_axis_claims_serum_only_over_serum(write_case):
    case = _read(
        write_case,
        HEADER + "2020-01-10,CEA,100,ng/mL,plasma\n2020-02-10,CEA,80,ng/mL,plasma\n",
    )
    assert plot_case(case).axes[0].get_ylabel() == "Plasma level (log scale)"


def test_a_zoomed_figure_names_a_series_one_way(write_case):
    case = _read(
        write_case,
        HEADER
        + "2020-01-05,CEA,1296.5,ng/mL,serum\n2020-03-05,CEA,180,ng/mL,serum\n"
        + "2020-05-12,CEA,2,ng/mL,serum\n2020-05-20,CEA,137,ng/mL,urine\n"
        + "2020-06-20,CEA,20,ng/mL,urine\n",
        treatments="kind,start,end,label\nchemotherapy,2020-01-06,2020-04-01,Chemo\n",
    )
    fig = plot_case(case, response=["Chemo"], start="2020-01-01", end="2020-05-15")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    change = next(
        t.get_text() for t in fig.axes[0].texts if "vs baseline" in t.get_text()
    )
    named = change.split(":")[0]
    assert legend[0].startswith(f"{named} (")
