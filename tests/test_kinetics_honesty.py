"""Kinetics that say what they cannot support: poor fits, imprecise dates, nadirs."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from artists import lines_with_gid, outside_figure, overlapping_texts

from plotting import plot_case
from plotting.cli import main
from plotting.computing.kinetics import fit_kinetics, rounded_rates
from plotting.computing.kinetics_windows import kinetics_table, treatment_window
from plotting.drawing.annotations import add_kinetics_fit


def series(dates, values, *, precision=None, censor=None, marker="AFP"):
    return pd.DataFrame(
        {
            "date": pd.to_datetime(dates),
            "marker": marker,
            "value": np.asarray(values, dtype=float),
            "unit": "ng/mL",
            "censor": censor or [""] * len(values),
            "date_precision": precision or ["day"] * len(values),
        }
    )


def fit(data, start="2020-01-01", end="2021-12-31", **kwargs):
    return fit_kinetics(data, marker="AFP", start=start, end=end, **kwargs)


# --- poor fits -------------------------------------------------------------------


def test_fall_then_relapse_is_a_poor_fit_that_names_its_turn():
    relapse = fit(
        series(
            ["2020-01-01", "2020-02-01", "2020-03-01", "2020-09-01", "2021-03-01"],
            [1000, 100, 12, 40, 400],
        )
    )
    assert relapse.direction_change == "falls to 2020-03-01, then rises"
    assert relapse.poor_fit
    assert relapse.poor_fit_reason.startswith(f"R² {relapse.r_squared:.2f} below 0.8")
    assert relapse.poor_fit_reason.endswith("falls to 2020-03-01, then rises")


def test_rise_then_fall_is_a_change_of_direction_even_with_a_good_r_squared():
    # A long steady rise with one late fall: R² stays high, the turn does not hide.
    days = np.arange(0, 200, 20)
    values = [*(5 * 2 ** (days[:-1] / 30)), 5 * 2 ** (days[-2] / 30) / 2]
    dates = pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D")
    peak = fit(series(dates, values))
    assert peak.r_squared > 0.8
    assert peak.direction_change == f"rises to {dates[-2]:%Y-%m-%d}, then falls"
    assert peak.poor_fit


@pytest.mark.parametrize(
    "values",
    [
        [1000, 100, 10, 11, 2],  # a 10% blip on the way down is noise
        [1000, 100, 10, 12.4, 12.0],  # a plateau 24% above the nadir
        [800, 800, 800],  # flat
    ],
)
def test_changes_within_measurement_noise_are_not_turns(values):
    dates = pd.date_range("2020-01-01", periods=len(values), freq="30D")
    assert fit(series(dates, values)).direction_change == ""


def test_a_rise_just_beyond_noise_is_a_turn_and_the_threshold_is_a_parameter():
    dates = pd.date_range("2020-01-01", periods=3, freq="30D")
    data = series(dates, [1000, 10, 12.6])
    assert fit(data).direction_change == f"falls to {dates[1]:%Y-%m-%d}, then rises"
    assert fit(data, turn_percent=30).direction_change == ""


def test_results_on_one_day_count_as_one_point_of_the_series():
    # 100 and 50 on one day are a duplicate draw, not a fall and a rise.
    data = series(
        ["2020-01-01", "2020-02-01", "2020-02-01", "2020-03-01"], [400, 100, 50, 20]
    )
    assert fit(data).direction_change == ""


def test_good_fits_are_not_poor():
    days = np.array([0, 10, 25, 40])
    dates = pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D")
    good = fit(series(dates, 900 * np.exp(-days / 20) * [1, 1.1, 0.95, 1.05]))
    assert good.r_squared > 0.8 and not good.poor_fit and good.poor_fit_reason == ""


def test_the_table_marks_poor_fits(yu2020):
    table = kinetics_table(yu2020, windows=[("2012-08-01", "2014-11-02")])
    afp = table.set_index("marker").loc["AFP"]
    assert bool(afp["poor_fit"])
    assert afp["note"] == (
        "poor fit: R² 0.50 below 0.8; dates approximate (about a month)"
    )


# --- poor fits on the figure -------------------------------------------------------


POOR_WINDOW = ("2012-08-01", "2014-11-02")


def test_poor_fits_are_left_off_the_figure_with_a_warning(yu2020):
    with pytest.warns(UserWarning) as caught:
        fig = plot_case(yu2020, kinetics=[POOR_WINDOW])
    messages = [str(w.message) for w in caught]
    assert messages[0].startswith(
        "AFP 2012-08-01 to 2014-11-02: poor fit (R² 0.50 below 0.8, n=3); its rate "
        "is not drawn. Draw it anyway with --show-poor-fits"
    )
    assert messages[1].startswith("PIVKA-II 2012-08-01 to 2014-11-02: poor fit")
    trend = fig.axes[0]
    assert lines_with_gid(trend, "kinetics-fit") == []
    assert not [t for t in trend.texts if t.get_gid() == "kinetics-label"]


def test_poor_fits_are_drawn_when_asked_and_say_so(yu2020):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot_case(yu2020, kinetics=[POOR_WINDOW], show_poor_fits=True)
    trend = fig.axes[0]
    assert len(lines_with_gid(trend, "kinetics-fit")) == 2
    labels = [t.get_text() for t in trend.texts if t.get_gid() == "kinetics-label"]
    assert labels == [
        "AFP t½ ≈5 mo (R² 0.50, n=3, poor fit)",
        "PIVKA-II t½ ≈4 mo (R² 0.46, n=3, poor fit)",
    ]
    assert overlapping_texts(fig) == [] and outside_figure(fig) == []


def test_a_default_window_is_no_longer_a_poor_fit(yu2020):
    """The same treatment without a window: cut at the nadir, a clean fall."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plot_case(yu2020, kinetics=["Bone RT"])
    (afp, _) = lines_with_gid(fig.axes[0], "kinetics-fit")
    assert list(afp.get_ydata()) == pytest.approx([187.8, 2.3])


def test_the_axes_function_refuses_a_poor_fit_unless_asked():
    import matplotlib.pyplot as plt

    relapse = fit(
        series(["2020-01-01", "2020-03-01", "2020-09-01"], [1000, 12, 400]),
    )
    fig, ax = plt.subplots()
    with pytest.warns(UserWarning, match="falls to 2020-03-01, then rises"):
        assert add_kinetics_fit(relapse, ax=ax) is ax
    assert len(ax.get_lines()) == 0 and len(ax.texts) == 0
    add_kinetics_fit(relapse, ax=ax, show_poor_fit=True)
    assert ax.texts[0].get_text().endswith("poor fit)")
    plt.close(fig)


def test_render_prints_the_warning_and_still_writes(tmp_path, capsys, yu2020):
    stem = tmp_path / "fig"
    args = ["render", str(yu2020.path), "-o", str(stem), "--format", "png"]
    assert main([*args, "--kinetics", "2012-08-01:2014-11-02"]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(
        "marker-trends: warning: AFP 2012-08-01 to 2014-11-02: poor fit (R² 0.50"
    )
    assert (tmp_path / "fig.png").exists()
    assert main([*args, "--kinetics", "2012-08-01:2014-11-02", "--show-poor-fits"]) == 0
    assert "poor fit" not in capsys.readouterr().err


# --- rounding to the dates' precision ---------------------------------------------


def test_rates_from_day_dates_keep_their_digits():
    data = series(["2020-01-01", "2020-02-01"], [800, 100])
    day = fit(data)
    assert rounded_rates(day)["half_life_days"] == day.half_life_days
    assert day.describe() == "t½ 10 d" and day.precision_note == ""


@pytest.mark.parametrize(
    ("precision", "note"),
    [
        ("month", "dates known to the month"),
        ("approximate", "dates approximate (about a month)"),
    ],
)
def test_one_month_date_rounds_rates_to_whole_days(precision, note):
    data = series(
        ["2020-01-16", "2020-02-01", "2020-02-20"],
        [800, 160, 21],
        precision=[precision, "day", "day"],
    )
    month = fit(data)
    rates = rounded_rates(month)
    assert month.date_precision == precision and month.precision_note == note
    assert rates["half_life_days"] == round(month.half_life_days)
    assert rates["half_life_days"] == float(int(rates["half_life_days"]))
    assert rates["half_life_months"] == round(month.half_life_months, 1)
    assert month.describe() == f"t½ ≈{month.half_life_days:.0f} d"


def test_long_rates_from_month_dates_are_whole_months():
    data = series(
        ["2009-01-16", "2010-05-16"], [4.0, 5.0], precision=["month", "month"]
    )
    slow = fit(data, start="2009-01-01", end="2010-06-01")
    rates = rounded_rates(slow)
    assert rates["doubling_time_days"] == round(slow.doubling_time_days)
    assert rates["doubling_time_months"] == round(slow.doubling_time_months)
    assert slow.describe() == f"DT ≈{slow.doubling_time_months:.0f} mo"


def test_year_dates_give_tens_of_days_and_whole_months():
    data = series(["2010-07-02", "2012-07-01"], [40, 5], precision=["year", "day"])
    coarse = fit(data, start="2010-01-01", end="2012-12-31")
    rates = rounded_rates(coarse)
    assert rates["half_life_days"] % 10 == 0
    assert rates["half_life_months"] == round(coarse.half_life_months)
    assert coarse.precision_note == "dates known to the year"
    assert coarse.describe().startswith("t½ ≈") and coarse.describe().endswith(" mo")


def test_no_three_decimals_from_month_dates_in_table_or_csv(tmp_path, capsys, yu2020):
    csv = tmp_path / "k.csv"
    args = ["kinetics", str(yu2020.path), "--csv", str(csv)]
    assert main([*args, "--between", "2012-08-01", "2014-11-02"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[2] == (
        "| AFP | 2012-08-01 to 2014-11-02 | 3 | 0 | 157 | 5 |  |  | 0.499 | poor fit: "
        "R² 0.50 below 0.8; dates approximate (about a month) |"
    )
    written = pd.read_csv(csv)
    for column in ("half_life_days", "half_life_months"):
        assert (written[column] == written[column].round()).all()
    assert written["poor_fit"].tolist() == [True, True]


def test_annotation_of_a_month_date_fit_is_marked_approximate():
    import matplotlib.pyplot as plt

    month = fit(
        series(["2020-01-16", "2020-03-10"], [900, 15], precision=["month", "day"])
    )
    fig, ax = plt.subplots()
    ax.set_yscale("log")
    add_kinetics_fit(month, ax=ax)
    assert ax.texts[0].get_text() == f"AFP t½ ≈{month.half_life_days:.0f} d"
    plt.close(fig)


# --- default windows ---------------------------------------------------------------


def _case_with(write_case, read, csv):
    folder = write_case(
        csv,
        treatments="kind,start,label\nchemotherapy,2012-01-10,C1\n"
        "chemotherapy,2013-06-01,C2\n",
    )
    return read(folder)


@pytest.fixture
def read():
    from plotting import read_case

    return read_case


def test_default_window_ends_at_the_nadir_of_a_fall(write_case, read):
    case = _case_with(
        write_case,
        read,
        "date,marker,value,unit\n2012-01-05,AFP,2000,ng/mL\n2012-02-05,AFP,400,ng/mL\n"
        "2012-03-05,AFP,60,ng/mL\n2012-04-05,AFP,50,ng/mL\n2012-08-05,AFP,300,ng/mL\n"
        "2013-01-05,AFP,3000,ng/mL\n",
    )
    window = treatment_window(
        case.measurements, case.treatments, "C1", marker="AFP", until="2013-12-31"
    )
    # 60 is within 25% of the lowest result (50): the fall ends at 2012-03-05.
    assert window == (pd.Timestamp("2012-01-05"), pd.Timestamp("2012-03-05"), "fall")
    row = kinetics_table(case, windows=["C1"]).iloc[0]
    assert row["window"] == "after C1: 2012-01-05 to 2012-03-05"
    assert row["note"] == "to the nadir"
    assert row["r_squared"] > 0.99
    # The whole span to the next treatment mixes fall and relapse: poor fit.
    whole = kinetics_table(case, windows=[("2012-01-05", "2013-05-31")]).iloc[0]
    assert whole["note"].startswith("poor fit: R²")
    assert "falls to 2012-04-05, then rises" in whole["note"]


def test_default_window_starts_at_the_nadir_of_a_rise(write_case, read):
    case = _case_with(
        write_case,
        read,
        "date,marker,value,unit\n2012-01-05,PSA,0.5,ng/mL\n2012-03-05,PSA,0.4,ng/mL\n"
        "2012-07-05,PSA,1.6,ng/mL\n2013-01-05,PSA,6.4,ng/mL\n",
    )
    window = treatment_window(
        case.measurements, case.treatments, "C1", marker="PSA", until="2013-12-31"
    )
    assert window == (pd.Timestamp("2012-03-05"), pd.Timestamp("2013-05-31"), "rise")
    row = kinetics_table(case, windows=["C1"]).iloc[0]
    assert row["note"] == "from the nadir"
    assert row["doubling_time_days"] == pytest.approx(
        math.log(2) / (math.log(6.4 / 0.4) / 306), rel=0.05
    )


def test_a_censored_nadir_ends_the_fall_at_its_limit(write_case, read):
    case = _case_with(
        write_case,
        read,
        "date,marker,value,unit\n2012-01-05,AFP,800,ng/mL\n2012-02-05,AFP,90,ng/mL\n"
        "2012-03-05,AFP,<2,ng/mL\n2012-05-05,AFP,<2,ng/mL\n2012-09-05,AFP,200,ng/mL\n",
    )
    start, end, phase = treatment_window(
        case.measurements, case.treatments, "C1", marker="AFP"
    )
    assert (start, end, phase) == (
        pd.Timestamp("2012-01-05"),
        pd.Timestamp("2012-03-05"),
        "fall",
    )
    row = kinetics_table(case, windows=["C1"]).iloc[0]
    assert (row["points"], row["censored_left_out"]) == (2, 1)


def test_explicit_windows_are_kept_as_given(yu2020):
    table = kinetics_table(yu2020, windows=[POOR_WINDOW])
    assert table["start"].tolist() == [pd.Timestamp("2012-08-01")] * 2
    assert table["end"].tolist() == [pd.Timestamp("2014-11-02")] * 2
    assert table["points"].tolist() == [3, 3]
