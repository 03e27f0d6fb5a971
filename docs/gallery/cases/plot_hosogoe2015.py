"""
Hosogoe et al. 2015: PSA over 18 years after prostatectomy
==========================================================

Hormone therapy running on, salvage EBRT, then salvage LDR brachytherapy; no
screening limit (``uln = false``) but the 0.2 ng/mL recurrence threshold, and
dotted links across the years without results.
"""

import textwrap

import plotting

case = plotting.example_case("hosogoe2015")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and each result's source sentence (the
# ``date_reasoning`` column says how its date was worked out).
print(textwrap.fill(case.reference, 88))
case.measurements[["date_text", "marker", "value_text", "unit", "source"]]
