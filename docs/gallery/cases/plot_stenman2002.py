"""
Stenman 2002: hCG for seven months before choriocarcinoma
=========================================================

Low-level hCG near the paper's own 3 iu/L limit; "two weeks later" after a date
known to the month is a range, not a point.
"""

import textwrap

import plotting

case = plotting.example_case("stenman2002")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and each result's source sentence (the
# ``date_reasoning`` column says how its date was worked out).
print(textwrap.fill(case.reference, 88))
case.measurements[["date_text", "marker", "value_text", "unit", "source"]]
