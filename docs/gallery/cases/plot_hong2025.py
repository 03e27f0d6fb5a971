"""
Hong et al. 2025: SCC antigen on tamoxifen, then letrozole
==========================================================

Results timed ``after`` letrozole, one nine months before tamoxifen (a negative
time), and the untimed peak and nadir drawn as ranges.
"""

import textwrap

import plotting

case = plotting.example_case("hong2025")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and each result's source sentence (the
# ``date_reasoning`` column says how its date was worked out).
print(textwrap.fill(case.reference, 88))
case.measurements[["date_text", "marker", "value_text", "unit", "source"]]
