"""
Blood 2013: M-protein and free light chains, order only
=======================================================

The abstract gives only the order of the results (``relative = "order"``): the
axis is positions, every pair is joined by a dotted link (spacing is not time).
"""

import textwrap

import plotting

case = plotting.example_case("blood2013myeloma")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and each result's source sentence (the
# ``date_reasoning`` column says how its date was worked out).
print(textwrap.fill(case.reference, 88))
case.measurements[["date_text", "marker", "value_text", "unit", "source"]]
