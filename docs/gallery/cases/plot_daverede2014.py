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
# Where the values come from: the paper, and for each result the sentence it
# comes from and how its date was worked out.
print(textwrap.fill(case.reference, 88), end="\n\n")
for result in case.measurements.itertuples():
    print(f"{result.date_text}: {result.marker} {result.value_text} {result.unit}")
    print(textwrap.indent(textwrap.fill(f"source: {result.source}", 84), "    "))
    print(textwrap.indent(textwrap.fill(f"date: {result.date_reasoning}", 84), "    "))
