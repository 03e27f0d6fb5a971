"""
Changing doses of one therapy
=============================

Courses of one drug that follow each other day to day are one therapy: one bar, a
tick at each change, each dose under its own segment: its number alone when the
segment is short (the 8 here), or listed in the label when even that does not
fit. The data here are made up.
"""

import pandas as pd

import plotting

results = pd.DataFrame(
    {
        "date": pd.to_datetime(
            ["2019-01-10", "2019-03-01", "2019-05-20", "2019-08-15", "2019-12-02"]
        ),
        "marker": "AFP",
        "value": [5210.0, 1830.0, 410.0, 95.0, 12.5],
        "unit": "ng/mL",
    }
)
treatments = pd.DataFrame(
    {
        "kind": "targeted therapy",
        "start": pd.to_datetime(["2019-01-15", "2019-06-01", "2019-06-20"]),
        "end": pd.to_datetime(["2019-05-31", "2019-06-20", "2020-03-31"]),
        "label": "Lenvatinib",
        "dose": ["12 mg/d", "8 mg/d", "4 mg/d"],
    }
)
case = plotting.case_from_frames(
    results, treatments, origin="2018-12", last_follow_up="2020-04-15"
)
fig = plotting.plot_case(case, preset="1.5")
