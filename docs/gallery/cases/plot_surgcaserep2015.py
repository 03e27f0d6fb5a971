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
# Where the values come from: the paper, and for each result the sentence it
# comes from and how its date was worked out.
print(textwrap.fill(case.reference, 88), end="\n\n")
for result in case.measurements.itertuples():
    print(f"{result.date_text}: {result.marker} {result.value_text} {result.unit}")
    print(textwrap.indent(textwrap.fill(f"source: {result.source}", 84), "    "))
    print(textwrap.indent(textwrap.fill(f"date: {result.date_reasoning}", 84), "    "))
