"""
Matsuki et al. 2020: AFP and DCP on lenvatinib, in months
=========================================================

Times are months after the start of lenvatinib only (``relative = "months"``):
no calendar date is invented. Dose changes are one bar with a tick at each change;
the untimed low results are ranges across months 5 to 13, not points.
"""

import textwrap

import plotting

case = plotting.example_case("matsuki2020")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and for each result the sentence it
# comes from and how its date was worked out.
print(textwrap.fill(case.reference, 88), end="\n\n")
for result in case.measurements.itertuples():
    print(f"{result.date_text}: {result.marker} {result.value_text} {result.unit}")
    print(textwrap.indent(textwrap.fill(f"source: {result.source}", 84), "    "))
    print(textwrap.indent(textwrap.fill(f"date: {result.date_reasoning}", 84), "    "))
