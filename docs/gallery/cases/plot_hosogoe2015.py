"""
Hosogoe et al. 2015: PSA over 18 years from diagnosis
=====================================================

Hormone therapy running on, salvage EBRT, then salvage LDR brachytherapy; no
screening limit (``uln = false``) but the 0.2 ng/mL recurrence threshold, and
dotted links across the years without results.
"""

import textwrap

import plotting

case = plotting.example_case("hosogoe2015")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and for each result the sentence it
# comes from and how its date was worked out.
print(textwrap.fill(case.reference, 88), end="\n\n")
for result in case.measurements.itertuples():
    print(f"{result.date_text}: {result.marker} {result.value_text} {result.unit}")
    print(textwrap.indent(textwrap.fill(f"source: {result.source}", 84), "    "))
    print(textwrap.indent(textwrap.fill(f"date: {result.date_reasoning}", 84), "    "))
