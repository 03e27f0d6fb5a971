"""Real lab exports: Excel, semicolons, decimal commas, censored results, units."""

from __future__ import annotations

from pathlib import Path

import matplotlib.dates as mdates
import pandas as pd
import pytest
from artists import lines_with_gid, plotted_points
from test_figure import assert_legible

from plotting import plot_case, read_case
from plotting.core.dates import parse_date
from plotting.core.units import canonical_unit
from plotting.drawing.case_layout import wrap_notes
from plotting.drawing.measure import widest
from plotting.drawing.style import ANNOTATION_SIZE
from plotting.reading.tables.cells import parse_result

CASES = Path(__file__).parent / "cases"


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("2160", ".", (2160.0, "")),
        ("2,160", ".", (2160.0, "")),
        ("187.8", ".", (187.8, "")),
        ("<2.0", ".", (2.0, "<")),
        ("< 0.03", ".", (0.03, "<")),
        (">60000", ".", (60000.0, ">")),
        (">60,000", ".", (60000.0, ">")),
        ("≤5", ".", (5.0, "<")),
        ("2,3", ",", (2.3, "")),
        ("2.160,5", ",", (2160.5, "")),
        ("<2,0", ",", (2.0, "<")),
        ("1.5", ",", (1.5, "")),
    ],
)
def test_result_cells_as_labs_print_them(text, decimal, expected):
    assert parse_result(text, decimal=decimal) == expected


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("ng/ml", "ng/mL"),
        ("µg/L", "ng/mL"),
        ("μg/L", "ng/mL"),
        ("kIU/L", "IU/mL"),
        ("kU/L", "U/mL"),
        ("mAU/ml", "mAU/mL"),
        (" ng / mL ", "ng/mL"),
        ("mg/dL", None),
    ],
)
def test_unit_aliases(text, unit):
    assert canonical_unit(text) == unit


@pytest.mark.parametrize(
    ("text", "position", "precision"),
    [
        ("2006-08-15", "2006-08-15", "day"),
        ("2006-08", "2006-08-16", "month"),
        ("1997", "1997-07-02", "year"),
        ("Aug 2006", "2006-08-16", "month"),
        ("15 Aug 2006", "2006-08-15", "day"),
        ("Aug 15, 2006", "2006-08-15", "day"),
        ("15-Aug-2006", "2006-08-15", "day"),
        ("2006.08.15", "2006-08-15", "day"),
        ("2006/08/15", "2006-08-15", "day"),
        ("13/04/2011", "2011-04-13", "day"),
        ("2011-03-04 00:00:00", "2011-03-04", "day"),
    ],
)
def test_dates_as_authors_write_them(text, position, precision):
    parsed, _, written = parse_date(text)
    assert (parsed, written) == (pd.Timestamp(position), precision)


def test_day_month_order_from_the_case():
    assert parse_date("03/04/2011", order="DMY")[0] == pd.Timestamp("2011-04-03")
    assert parse_date("03/04/2011", order="MDY")[0] == pd.Timestamp("2011-03-04")


def test_excel_export_with_title_row_aliases_and_month_formatted_cell():
    case = read_case(CASES / "excel_export")
    m = case.measurements
    assert list(m["row"]) == [4, 5, 6, 7]
    assert list(m["marker"]) == ["AFP", "AFP", "PIVKA-II", "AFP"]
    assert list(m["marker_text"]) == ["alpha-fetoprotein", "AFP", "DCP", "AFP"]
    assert list(m["value"]) == [1250.5, 2.0, 75000.0, 15.0]
    assert list(m["censor"]) == ["", "<", ">", ""]
    assert list(m["unit"]) == ["ng/mL", "ng/mL", "mAU/mL", "ng/mL"]
    assert list(m["unit_text"]) == ["ng/ml", "µg/L", "mAU/ml", "ng/mL"]
    # The cell holds 2015-06-01 but is formatted "mmm yyyy": only the month is known.
    assert (m["date_text"].iloc[3], m["date_precision"].iloc[3]) == ("2015-06", "month")
    assert m["Comment"].iloc[0] == "at diagnosis", "unknown columns are kept"


def test_semicolon_export_with_bom_decimal_commas_and_conversion():
    case = read_case(CASES / "semicolon_export")
    m = case.measurements.set_index("row")
    assert m.loc[2, "value"] == 1250.5
    assert (m.loc[3, "value"], m.loc[3, "original_value"]) == (300 * 1.21, 300.0)
    assert (m.loc[3, "unit"], m.loc[3, "converted_from"]) == ("ng/mL", "IU/mL")
    assert (m.loc[4, "value"], m.loc[4, "censor"]) == (2.0, "<")
    assert m.loc[6, "date"] == pd.Timestamp("2015-02-14")
    assert [m.loc[7, "value"], m.loc[8, "value"]] == [200.0, 180.0], "same day: both"
    assert case.notes == [
        "AFP: 1 result converted from IU/mL to ng/mL with 1 IU/mL = 1.21 ng/mL"
    ]
    assert case.treatments["end"].iloc[1] == pd.Timestamp("2015-04-05")


def test_conversion_factor_is_the_cases_to_set(write_case):
    case = read_case(
        write_case(
            "date,marker,value,unit\n2015-02-01,AFP,100,IU/mL\n2015-03-01,AFP,50,ng/mL\n",
            toml='[time]\norigin = "2015"\nlast_follow_up = "2016-01-01"\n'
            '[markers.AFP]\nconvert_to = "ng/mL"\nfactor = 1.28\n',
        )
    )
    assert list(case.measurements["value"]) == [128.0, 50.0]
    assert "1 IU/mL = 1.28 ng/mL" in case.notes[0]


def test_a_marker_kept_in_iu_has_no_ng_limit_drawn(write_case):
    case = read_case(write_case("date,marker,value,unit\n2011-02-01,AFP,100,kIU/L\n"))
    assert (case.markers["AFP"].unit, case.markers["AFP"].uln) == ("IU/mL", None)


def test_prior_history_may_precede_the_origin_and_widens_the_axis(write_case):
    case = read_case(
        write_case(
            "date,marker,value,unit,prior_history\n"
            "2008-05-01,AFP,40,ng/mL,yes\n2010-03-01,AFP,12,ng/mL,\n"
        )
    )
    assert list(case.measurements["prior_history"]) == [True, False]
    fig = plot_case(case)
    assert fig.axes[1].get_xlim()[0] < mdates.date2num(pd.Timestamp("2008-05-01"))


def test_a_note_too_long_for_a_narrow_figure_is_broken_between_words():
    fig = plot_case(read_case(CASES / "semicolon_export"), preset="single")
    fig.canvas.draw()
    notes = sorted(
        (t for t in fig.texts if t.get_gid() == "figure-note"),
        key=lambda t: -t.get_position()[1],
    )
    assert [t.get_text() for t in notes] == [
        "Note: AFP: 1 result converted from IU/mL to ng/mL with",
        "1 IU/mL = 1.21 ng/mL.",
    ]
    assert_legible(fig)
    # The lines below the axis labels, one above the other.
    (top, bottom) = [t.get_window_extent() for t in notes]
    assert bottom.y1 <= top.y0 + 1
    assert top.y1 < fig.axes[1].get_tightbbox().y0


def test_wrap_notes_keeps_numbers_with_their_units_and_words_whole():
    note = (
        "Note: AFP: 1 result converted from IU/mL to ng/mL with 1 IU/mL = 1.21 ng/mL."
    )
    assert wrap_notes([note], width_in=10, dpi=100) == (note,)
    lines = wrap_notes([note], width_in=1.0, dpi=100)
    assert " ".join(lines) == note
    assert "1 IU/mL = 1.21 ng/mL." in lines
    assert "Note: AFP: 1 result" in lines
    assert all(
        widest([line], dpi=100, size=ANNOTATION_SIZE) <= 1.0
        for line in lines
        if " " in line and "=" not in line
    )
    assert wrap_notes(
        ["Note: a Pneumonoultramicroscopic word"], width_in=0.3, dpi=100
    ) == (
        "Note:",
        "a",
        "Pneumonoultramicroscopic",
        "word",
    )
    assert wrap_notes(["Note: one.", "Note: two."], width_in=5, dpi=100) == (
        "Note: one.",
        "Note: two.",
    )


@pytest.mark.mpl_image_compare(filename="censored_converted_same_day.png")
def test_censored_results_point_to_the_unknown_side():
    case = read_case(CASES / "semicolon_export")
    fig = plot_case(case, width_mm=120, trend_height_in=2.0)
    trend = fig.axes[0]
    (below,) = lines_with_gid(trend, "trend-points:AFP:exact:<")
    (above,) = lines_with_gid(trend, "trend-points:PIVKA-II:exact:>")
    assert (below.get_marker(), list(below.get_ydata())) == ("v", [2.0])
    assert (above.get_marker(), list(above.get_ydata())) == ("^", [75000.0])
    for line in lines_with_gid(trend, "trend-line:"):
        assert 2.0 not in line.get_ydata() and 75000.0 not in line.get_ydata()
    pivka = [v for _, v in plotted_points(trend, "PIVKA-II")]
    assert sorted(pivka) == [180.0, 200.0, 75000.0]
    legend = [t.get_text() for t in trend.get_legend().get_texts()]
    assert "Below detection limit (drawn at the limit)" in legend
    assert "Above quantification limit (drawn at the limit)" in legend
    notes = [t.get_text() for t in fig.texts if t.get_gid() == "figure-note"]
    assert notes == [
        "Note: AFP: 1 result converted from IU/mL to ng/mL with 1 IU/mL = 1.21 ng/mL."
    ]
    assert_legible(fig)
    return fig
