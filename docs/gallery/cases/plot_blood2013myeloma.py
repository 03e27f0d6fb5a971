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
# Where the values come from: the paper, and for each result the sentence it
# comes from and how its date was worked out.
print(textwrap.fill(case.reference, 88), end="\n\n")
for result in case.measurements.itertuples():
    print(f"{result.date_text}: {result.marker} {result.value_text} {result.unit}")
    print(textwrap.indent(textwrap.fill(f"source: {result.source}", 84), "    "))
    print(textwrap.indent(textwrap.fill(f"date: {result.date_reasoning}", 84), "    "))
