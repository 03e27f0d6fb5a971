"""
Daverede et al. 2014: PSA after docetaxel
=========================================

A course whose start the paper does not give (an arrow from the left edge), weeks
and months on one axis, and an ambiguous "4 months later" as a range holding both
readings.
"""

import textwrap

import plotting

case = plotting.example_case("daverede2014")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and each result's source sentence (the
# ``date_reasoning`` column says how its date was worked out).
print(textwrap.fill(case.reference, 88))
case.measurements[["date_text", "marker", "value_text", "unit", "source"]]
