"""
CEA in serum and in urine: two series, never joined
===================================================

A de novo neuroendocrine prostate cancer with CEA measured in two specimens: each
is its own series, with its own symbol and legend entry. No limit is drawn: the
paper states none, and the registry's 5 ng/mL would be a serum limit only
(``uln = false`` in its ``case.toml``).
"""

import textwrap

import plotting

case = plotting.example_case("nepc_cea_olaparib")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and for each result the sentence it
# comes from and how its date was worked out.
print(textwrap.fill(case.reference, 88), end="\n\n")
for result in case.measurements.itertuples():
    print(f"{result.date_text}: {result.marker} {result.value_text} {result.unit}")
    print(textwrap.indent(textwrap.fill(f"source: {result.source}", 84), "    "))
    print(textwrap.indent(textwrap.fill(f"date: {result.date_reasoning}", 84), "    "))
