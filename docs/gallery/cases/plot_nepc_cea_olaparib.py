"""
CEA in serum and in urine: two series, never joined
===================================================

A de novo neuroendocrine prostate cancer with CEA measured in two specimens: each
is its own series, with its own symbol and legend entry, and the serum limit
applies to serum only.
"""

import textwrap

import plotting

case = plotting.example_case("nepc_cea_olaparib")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and each result's source sentence (the
# ``date_reasoning`` column says how its date was worked out).
print(textwrap.fill(case.reference, 88))
case.measurements[["date_text", "marker", "value_text", "unit", "source"]]
