"""
Hong et al. 2025: SCC antigen on tamoxifen, then letrozole
==========================================================

Results timed ``after`` letrozole, one nine months before tamoxifen (a negative
time), and the untimed peak and nadir drawn as ranges.
"""

import textwrap

import plotting

case = plotting.example_case("hong2025")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and for each result the sentence it
# comes from and how its date was worked out.
print(textwrap.fill(case.reference, 88), end="\n\n")
for result in case.measurements.itertuples():
    print(f"{result.date_text}: {result.marker} {result.value_text} {result.unit}")
    print(textwrap.indent(textwrap.fill(f"source: {result.source}", 84), "    "))
    print(textwrap.indent(textwrap.fill(f"date: {result.date_reasoning}", 84), "    "))
