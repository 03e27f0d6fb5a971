"""
Times relative to an event
==========================

Papers often give only "3 months after TARE". Written as numbers of months, the
times stay months: the axis counts from the event, and no calendar date is
invented anywhere. A month count is known to the month, so its symbols are open.
The data here are made up.
"""

import pandas as pd

import plotting

results = pd.DataFrame(
    {
        "month": [-1, 0, 1.5, 3, 6, 9],
        "marker": "AFP",
        "value": [310.0, 220.0, 40.0, 12.0, 4.1, 3.2],
        "unit": "ng/mL",
    }
)
treatments = pd.DataFrame(
    {"kind": "radioembolization", "start": [0], "end": [None], "label": ["TARE"]}
)
case = plotting.case_from_frames(
    results, treatments, origin=0, last_follow_up=10, time={"origin_label": "TARE"}
)
fig = plotting.plot_case(case, preset="single")
