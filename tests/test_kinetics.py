"""Kinetics and response: verified against known rates and the reference examples."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from artists import lines_with_gid, outside_figure, overlapping_texts

from plotting import plot_case
from plotting.cli import main
from plotting.computing.crossings import uln_crossings
from plotting.computing.kinetics import KineticsError, fit_kinetics
from plotting.computing.kinetics_windows import kinetics_table, treatment_window
from plotting.computing.response import Criterion, assess_response


def series(dates, values, marker="AFP", censor=None, unit="ng/mL"):
    return pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "marker": marker,
            "value": np.asarray(values, dtype=float),
            "unit": unit,
            "censor": censor or [""] * len(values),
        }
    )


@pytest.mark.parametrize("half_life", [5.5, 30.0, 412.25])
def test_synthetic_exponential_decay_gives_its_half_life(half_life):
    days = np.array([0, 3, 10, 17, 31, 60])
    values = 2000.0 * np.exp(-math.log(2) / half_life * days)
    dates = pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D")
    fit = fit_kinetics(
        series(dates, values), marker="AFP", start="2020-01-01", end="2020-03-01"
    )
    assert fit.half_life_days == pytest.approx(half_life, rel=1e-9)
    assert fit.doubling_time_days is None
    assert fit.r_squared == pytest.approx(1.0, rel=1e-12)
    assert len(fit.values) == 6 and not fit.apparent


@pytest.mark.parametrize("doubling", [45.0, 1506.5])
def test_synthetic_exponential_rise_gives_its_doubling_time(doubling):
    days = np.array([0, 100, 250, 400])
    values = 3.0 * 2 ** (days / doubling)
    dates = pd.Timestamp("2009-01-01") + pd.to_timedelta(days, unit="D")
    fit = fit_kinetics(
        series(dates, values, marker="PSA"),
        marker="PSA",
        start="2009-01-01",
        end="2010-12-31",
    )
    assert fit.doubling_time_days == pytest.approx(doubling, rel=1e-9)
    assert fit.half_life_days is None


def test_psa_doubling_time_example_from_markers_md():
    fit = fit_kinetics(
        series(["2009-01-01", "2010-05-01"], [4.0, 5.0], marker="PSA"),
        marker="PSA",
        start="2009-01-01",
        end="2010-05-01",
    )
    assert fit.doubling_time_days == pytest.approx(485 * math.log(2) / math.log(1.25))
    assert round(fit.doubling_time_days, 1) == 1506.5
    assert round(fit.doubling_time_months, 1) == 49.5
    assert fit.apparent and fit.describe() == "DT 49.5 mo"


def test_fig4_apparent_half_lives_after_bone_radiotherapy(yu2020):
    """AFP and PIVKA-II from the pelvic pain (~2012-08-01) to 3 months after the
    bone radiotherapy (~2013-02-08): both dates approximate, 191 days apart."""
    afp = fit_kinetics(
        yu2020.measurements, marker="AFP", start="2012-08-01", end="2013-02-08"
    )
    pivka = fit_kinetics(
        yu2020.measurements, marker="PIVKA-II", start="2012-08-01", end="2013-02-08"
    )
    assert afp.values == (187.8, 2.3) and pivka.values == (5658.0, 17.0)
    assert afp.half_life_days == pytest.approx(
        191 * math.log(2) / math.log(187.8 / 2.3)
    )
    assert pivka.half_life_days == pytest.approx(
        191 * math.log(2) / math.log(5658 / 17)
    )
    assert round(afp.half_life_days, 1) == 30.1
    assert round(pivka.half_life_days, 1) == 22.8


def test_censored_results_are_left_out_and_counted():
    data = series(
        ["2020-01-01", "2020-02-01", "2020-03-01", "2020-04-01"],
        [800, 100, 12.5, 2.0],
        censor=["", "", "", "<"],
    )
    fit = fit_kinetics(data, marker="AFP", start="2020-01-01", end="2020-04-30")
    assert fit.values == (800.0, 100.0, 12.5)
    assert fit.censored_left_out == 1


@pytest.mark.parametrize(
    ("data", "start", "end", "message"),
    [
        (
            series(["2020-01-01"], [10]),
            "2020-01-01",
            "2020-06-01",
            "AFP 2020-01-01 to 2020-06-01: measured results on one day only; a rate "
            "needs results on two days or more",
        ),
        (
            series(["2020-01-01", "2020-02-01"], [5, 2], censor=["<", "<"]),
            "2019-12-01",
            "2020-06-01",
            "AFP 2019-12-01 to 2020-06-01: all 2 results are censored; a rate needs "
            "measured values",
        ),
        (
            series(["2020-01-01", "2020-02-01"], [5, 2]),
            "2020-03-01",
            "2020-03-01",
            "AFP 2020-03-01 to 2020-03-01: the window has no length; give an end after "
            "its start",
        ),
        (
            series(["2020-01-01", "2020-02-01"], [5, 2]),
            "2021-01-01",
            "2021-06-01",
            "AFP 2021-01-01 to 2021-06-01: no results in the window",
        ),
        (
            series(
                ["2020-01-01", "2020-01-01", "2020-02-01"],
                [5, 4, 2],
                censor=["", "", "<"],
            ),
            "2019-12-01",
            "2020-06-01",
            "AFP 2019-12-01 to 2020-06-01: measured results on one day only "
            "(1 censored left out); a rate needs results on two days or more",
        ),
    ],
)
def test_windows_without_a_rate_say_why(data, start, end, message):
    with pytest.raises(KineticsError) as info:
        fit_kinetics(data, marker="AFP", start=start, end=end)
    assert str(info.value) == message


def test_treatment_window_runs_from_baseline_to_the_nadir(yu2020):
    """After the bone radiotherapy AFP falls 187.8 -> 2.3 (2013-02-08) -> 2.0
    (2014-10-01): 2.3 is within 25% of the lowest result, so the fall ends there,
    not at the next treatment (2014-11-02)."""
    window = treatment_window(
        yu2020.measurements,
        yu2020.treatments,
        "Bone RT",
        marker="AFP",
        until=yu2020.last_follow_up,
    )
    assert window == (
        pd.Timestamp("2012-08-01"),
        pd.Timestamp("2013-02-08"),
        "fall",
    )
    assert window.phase == "fall"
    # One result after the lung SBRT: nothing tells a fall from a rise.
    assert treatment_window(
        yu2020.measurements,
        yu2020.treatments,
        "Lung SBRT",
        marker="AFP",
        until=yu2020.last_follow_up,
    ) == (pd.Timestamp("2014-10-01"), pd.Timestamp("2019-08-27"), "")
    # The referral result is years before TACE #5: too old to be its baseline.
    start, _, _ = treatment_window(
        yu2020.measurements, yu2020.treatments, "#5", marker="AFP"
    )
    assert start == pd.Timestamp("2011-12-01")


def test_response_criteria_from_markers_md(yu2020):
    m, t = yu2020.measurements, yu2020.treatments
    strict = assess_response(m, t, "Bone RT", marker="AFP", criterion="afp-50")
    assert (strict.verdict, strict.reason) == ("not evaluable", "baseline below 200")
    loose = assess_response(m, t, "Bone RT", marker="AFP", criterion="afp-20")
    assert loose.verdict == "response"
    assert (loose.baseline, loose.nadir) == (187.8, 2.3)
    assert loose.percent_change == pytest.approx((2.3 - 187.8) / 187.8 * 100)
    assert (
        loose.days_to_nadir
        == (pd.Timestamp("2013-02-08") - pd.Timestamp("2012-10-08")).days
    )
    dcp = assess_response(m, t, "Bone RT", marker="PIVKA-II", criterion="dcp-50")
    assert dcp.verdict == "response"
    with pytest.raises(
        KineticsError, match="criterion afp-50 is for AFP, not PIVKA-II"
    ):
        assess_response(m, t, "Bone RT", marker="PIVKA-II", criterion="afp-50")
    with pytest.raises(KineticsError, match="no single treatment labelled 'Brain RT'"):
        assess_response(m, t, "Brain RT", marker="AFP", criterion="afp-20")


def test_criterion_is_all_parameters():
    data = series(
        ["2020-01-01", "2020-01-20", "2020-03-01", "2020-09-01"], [400, 300, 250, 50]
    )
    treatments = pd.DataFrame(
        {
            "kind": ["tace"],
            "label": ["#1"],
            "lane": ["TACE"],
            "start": pd.to_datetime(["2020-01-05"]),
            "end": pd.to_datetime([None]),
        }
    )
    within_90 = Criterion("custom", 30.0, window_days=(1, 90))
    result = assess_response(data, treatments, "#1", marker="AFP", criterion=within_90)
    assert (result.nadir, result.verdict) == (250.0, "response")
    strict = Criterion("custom", 50.0, window_days=(1, 90))
    assert (
        assess_response(data, treatments, "#1", marker="AFP", criterion=strict).verdict
        == "no response"
    )
    rise = Criterion("rise", 25.0, direction="increase", window_days=(1, 90))
    assert (
        assess_response(data, treatments, "#1", marker="AFP", criterion=rise).verdict
        == "no response"
    )
    censored = series(["2020-01-01", "2020-02-01"], [400, 300], censor=["", "<"])
    result = assess_response(censored, treatments, "#1", marker="AFP", criterion=strict)
    assert (result.verdict, result.nadir_censored) == ("indeterminate", True)


def test_uln_crossing_is_interpolated_on_the_log_scale(yu2020):
    (afp,) = uln_crossings(yu2020.measurements, marker="AFP", uln=7.0, max_gap_days=365)
    share = math.log(187.8 / 7) / math.log(187.8 / 2.3)
    expected = pd.Timestamp("2012-08-01") + pd.Timedelta(days=share * 191)
    assert abs(afp - expected) < pd.Timedelta(seconds=1)
    assert (
        uln_crossings(yu2020.measurements, marker="AFP", uln=7.0, max_gap_days=100)
        == []
    )


def test_kinetics_table_has_a_row_per_marker_and_window(yu2020):
    table = kinetics_table(yu2020)
    assert len(table) == 2 * len(yu2020.treatments)
    bone = table[table["window"].str.startswith("after Bone RT")].set_index("marker")
    assert bone.loc["AFP", "window"] == "after Bone RT: 2012-08-01 to 2013-02-08"
    assert bone.loc["AFP", "points"] == 2
    assert bone.loc["AFP", "half_life_days"] == 30.0
    assert bone.loc["AFP", "note"] == (
        "apparent (two points); dates approximate (about a month); to the nadir"
    )
    first = table.iloc[0]
    assert pd.isna(first["half_life_days"]) and first["note"]


def test_kinetics_command_prints_markdown_and_writes_csv(tmp_path, capsys, yu2020):
    csv = tmp_path / "k.csv"
    assert (
        main(
            [
                "kinetics",
                str(yu2020.path),
                "--between",
                "2012-08-01",
                "2013-02-08",
                "--csv",
                str(csv),
                "--response",
                "Bone RT",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("| marker | window | points |")
    # Both dates are approximate (inferred to about a month): whole days.
    assert out[2] == (
        "| AFP | 2012-08-01 to 2013-02-08 | 2 | 0 | 30 | 1 |  "
        "|  | 1 | apparent (two points); dates approximate (about a month) |"
    )
    written = pd.read_csv(csv)
    assert written["half_life_days"].tolist() == [30.0, 23.0]
    assert written["half_life_months"].tolist() == [1.0, 0.7]
    assert written["date_precision"].tolist() == ["approximate", "approximate"]
    assert any("| AFP | Bone RT | afp-20 |" in line for line in out)
    assert any("| PIVKA-II | Bone RT | dcp-50 |" in line for line in out)
    assert main(["kinetics", str(yu2020.path), "--criterion", "best"]) == 2


def test_annotations_are_off_by_default(yu2020):
    fig = plot_case(yu2020)
    assert lines_with_gid(fig.axes[0], "kinetics-fit") == []
    assert not [t for t in fig.axes[0].texts if t.get_gid() == "percent-change"]


@pytest.mark.mpl_image_compare(filename="fig4_kinetics_annotated.png")
def test_fig4_with_kinetics_response_and_uln_crossings(yu2020):
    fig = plot_case(
        yu2020,
        kinetics=[("2012-08-01", "2013-02-08")],
        response=["Bone RT"],
        uln_crossings=True,
    )
    trend = fig.axes[0]
    fits = lines_with_gid(trend, "kinetics-fit:")
    assert [line.get_gid() for line in fits] == [
        "kinetics-fit:AFP",
        "kinetics-fit:PIVKA-II",
    ]
    assert list(fits[0].get_ydata()) == pytest.approx([187.8, 2.3])
    texts = {t.get_gid(): [] for t in trend.texts}
    for t in trend.texts:
        texts[t.get_gid()].append(t.get_text())
    assert texts["kinetics-label"] == ["AFP t½ ≈30 d", "PIVKA-II t½ ≈23 d"]
    assert texts["percent-change"] == [
        "\u221298.8% vs baseline\nafter Bone RT",
        "\u221299.7% vs baseline\nafter Bone RT",
    ]
    crossings = lines_with_gid(trend, "uln-crossing")
    assert [list(line.get_ydata()) for line in crossings] == [[7.0], [40.0]]
    legend = [t.get_text() for t in trend.get_legend().get_texts()]
    assert "AFP falls below ULN" in legend and "PIVKA-II falls below ULN" in legend
    assert overlapping_texts(fig) == []
    assert outside_figure(fig) == []
    return fig


# figures/ holds what the pinned stack renders.
@pytest.mark.pinned_stack
def test_committed_annotated_figure_matches_the_makefile_command(tmp_path):
    from conftest import ROOT
    from matplotlib.testing.compare import compare_images

    stem = tmp_path / "fig4_kinetics"
    assert (
        main(
            [
                "render",
                str(ROOT / "data" / "yu2020"),
                "-o",
                str(stem),
                "--format",
                "png",
                "--kinetics",
                "2012-08-01:2013-02-08",
                "--response",
                "Bone RT",
                "--uln-crossing",
            ]
        )
        == 0
    )
    committed = ROOT / "figures" / "fig4_kinetics.png"
    assert compare_images(str(committed), f"{stem}.png", tol=2) is None


def test_percent_changes_keep_the_digits_that_tell_them_from_100():
    from plotting.drawing.annotations import percent_text

    assert percent_text(-98.775) == "-98.8%"
    assert percent_text(-99.991) == "-99.99%"
    assert percent_text(-100.0) == "-100.0%"


def test_response_for_markers_without_a_criterion_is_a_usage_error(write_case, capsys):
    folder = write_case(
        "date,marker,value,unit\n2010-03-01,PSA,8,ng/mL\n2010-06-01,PSA,0.1,ng/mL\n",
        treatments="kind,start,label\nresection,2010-04-01,RP\n",
    )
    assert main(["kinetics", str(folder), "--response", "RP"]) == 2
    err = capsys.readouterr().err
    assert "--response: no response criterion is defined for PSA" in err
    assert "afp-50 (AFP)" in err
