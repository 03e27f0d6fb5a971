"""
Stenman 2002: hCG for seven months before choriocarcinoma
=========================================================

Low-level hCG near the paper's own 3 iu/L limit; "two weeks later" after a date
known to the month is a range, not a point.
"""

import textwrap

import plotting

case = plotting.example_case("stenman2002")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and for each result the sentence it
# comes from and how its date was worked out.
print(textwrap.fill(case.reference, 88), end="\n\n")
for result in case.measurements.itertuples():
    print(f"{result.date_text}: {result.marker} {result.value_text} {result.unit}")
    print(textwrap.indent(textwrap.fill(f"source: {result.source}", 84), "    "))
    print(textwrap.indent(textwrap.fill(f"date: {result.date_reasoning}", 84), "    "))
