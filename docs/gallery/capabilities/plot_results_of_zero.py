"""
Results reported as 0
=====================

``PSA 0 ng/mL`` after prostatectomy is an exact result a log axis has no place for.
It stands on the axis floor as a half disc, named once in the legend, never
dropped and never moved to a made-up small value; no line runs down to it.
The data here are made up.
"""

import pandas as pd

import plotting

results = pd.DataFrame(
    {
        "date": pd.to_datetime(
            ["2015-01-20", "2015-04-14", "2016-09-06", "2017-03-14", "2017-09-20"]
        ),
        "marker": "PSA",
        "value": ["12.1", "0", "<0.01", "0.09", "0.31"],
        "unit": "ng/mL",
    }
)
treatments = pd.DataFrame(
    {
        "kind": "surgery",
        "start": pd.to_datetime(["2015-02-03"]),
        "end": [pd.NaT],
        "label": ["Radical prostatectomy"],
    }
)
# After prostatectomy the screening limit means nothing: the recurrence threshold.
psa = {"uln": False, "thresholds": ["psa-bcr-prostatectomy"]}
case = plotting.case_from_frames(
    results,
    treatments,
    origin="2014-12",
    last_follow_up="2017-12-01",
    markers={"PSA": psa},
)
fig = plotting.plot_case(case, preset="single")
