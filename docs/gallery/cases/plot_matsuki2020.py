"""
Matsuki et al. 2020: AFP and DCP on lenvatinib, in months
=========================================================

Times are months after the start of lenvatinib only (``relative = "months"``):
no calendar date is invented. Dose changes are one bar with a tick at each change;
the untimed low results are ranges across months 5 to 13, not points.
"""

import textwrap

import plotting

case = plotting.example_case("matsuki2020")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and each result's source sentence (the
# ``date_reasoning`` column says how its date was worked out).
print(textwrap.fill(case.reference, 88))
case.measurements[["date_text", "marker", "value_text", "unit", "source"]]
