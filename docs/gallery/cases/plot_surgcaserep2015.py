"""
Surg Case Rep 2015: CEA and CA 19-9 over six cycles
===================================================

Times in treatment cycles of a length the paper does not state
(``relative = "cycles"``): the axis is in cycles and no rate is computed.
"""

import textwrap

import plotting

case = plotting.example_case("surgcaserep2015")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and each result's source sentence (the
# ``date_reasoning`` column says how its date was worked out).
print(textwrap.fill(case.reference, 88))
case.measurements[["date_text", "marker", "value_text", "unit", "source"]]
