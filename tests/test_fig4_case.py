"""The Fig. 4 case data: every result the paper's text gives, and nothing else."""

from __future__ import annotations

import pandas as pd
import pytest

RESULTS = [
    ("AFP", 2160.0, "ng/mL", "2006-08", "month"),
    ("AFP", 187.8, "ng/mL", "2012-08-01", "approximate"),
    ("PIVKA-II", 5658.0, "mAU/mL", "2012-08-01", "approximate"),
    ("AFP", 2.3, "ng/mL", "2013-02-08", "approximate"),
    ("PIVKA-II", 17.0, "mAU/mL", "2013-02-08", "approximate"),
    ("AFP", 2.0, "ng/mL", "2014-10-01", "approximate"),
    ("PIVKA-II", 19.0, "mAU/mL", "2014-10-01", "approximate"),
]


def test_every_result_in_the_text_is_present_with_its_unit(yu2020):
    m = yu2020.measurements
    found = sorted(
        zip(
            m["marker"],
            m["value"],
            m["unit"],
            m["date_text"],
            m["date_precision"],
            strict=True,
        )
    )
    assert found == sorted(RESULTS)


def test_each_result_keeps_its_source_sentence_and_date_reasoning(yu2020):
    m = yu2020.measurements
    assert m["source"].str.len().min() > 40
    assert m["date_reasoning"].str.len().min() > 20
    referral = m[m["value"] == 2160.0].iloc[0]
    assert "2,160 ng/mL" in referral["source"]
    assert "5,658 mAU/mL" in m[m["value"] == 5658.0].iloc[0]["source"]


def test_month_only_date_is_drawn_mid_month_not_on_the_first(yu2020):
    referral = yu2020.measurements.iloc[0]
    assert referral["date"] == pd.Timestamp("2006-08-16")
    assert referral["date_precision"] == "month"


def test_treatments_match_the_text(yu2020):
    t = yu2020.treatments
    resection = t[t["kind"] == "resection"].iloc[0]
    assert resection["start"] == pd.Timestamp("2006-10-23")
    assert resection["date_precision"] == "day"
    tace = t[t["kind"] == "tace"]
    assert list(tace["label"]) == ["#1", "#2", "#3", "#4", "#5"]
    rt = yu2020.treatments[t["lane"] == "RT"]
    doses = list(zip(rt["target"], rt["dose_gy"], rt["fractions"], strict=True))
    assert doses == [
        ("Liver, segment 3 (recurrent HCC)", 30.0, 12),
        ("Right iliac bone", 60.0, 24),
        ("Right middle lobe", 60.0, 4),
    ]
    assert list(rt["technique"]) == [
        "Respiratory-gated 3D-CRT",
        "3D-CRT",
        "SBRT (VMAT)",
    ]
    liver_rt = rt.iloc[0]
    before = tace[tace["start"] < liver_rt["start"]]
    after = tace[tace["start"] > liver_rt["end"]]
    assert (len(before), len(after)) == (2, 3)


def test_dates_resolved_consistently_with_the_captions(yu2020):
    """Fig. 1-3 captions count years from each radiotherapy to the last follow-up."""
    rt = yu2020.treatments[yu2020.treatments["lane"] == "RT"].set_index("label")
    last = yu2020.last_follow_up
    years = {k: (last - v).days / 365.25 for k, v in rt["end"].items()}
    assert years["Liver RT"] == pytest.approx(8.4, abs=0.05)
    assert years["Bone RT"] == pytest.approx(6.8, abs=0.05)
    # The text's order (nodule found, then SBRT) wins over the rounded "5 years".
    assert years["Lung SBRT"] == pytest.approx(4.8, abs=0.05)
    assert "Conflict" in rt.loc["Lung SBRT", "date_reasoning"]
    pain = yu2020.measurements[yu2020.measurements["value"] == 187.8].iloc[0]
    months = (pain["date"] - rt.loc["Liver RT", "end"]).days / (365.25 / 12)
    assert months == pytest.approx(16, abs=0.5)


def test_events_frame_the_story(yu2020):
    labels = list(yu2020.events["label"])
    assert labels[0] == "Diagnosis"
    assert labels[-1] == "Last follow-up"
    assert yu2020.events["date"].iloc[-1] == pd.Timestamp("2019-08-27")
    assert any("refused" in label for label in labels)
    assert {"Bone metastasis", "Lung metastasis", "11-cm recurrence"} <= set(labels)


def test_metadata(yu2020):
    assert yu2020.origin == pd.Timestamp("2006-08-01")
    assert yu2020.last_follow_up == pd.Timestamp("2019-08-27")
    assert list(yu2020.markers) == ["AFP", "PIVKA-II"]
    assert yu2020.markers["AFP"].uln == 7.0
    assert yu2020.markers["PIVKA-II"].uln == 40.0
    assert yu2020.caption.startswith("Summary of treatments")
