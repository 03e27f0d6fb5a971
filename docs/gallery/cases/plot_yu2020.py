"""
Yu et al. 2020: AFP and PIVKA-II over 13 years of HCC
=====================================================

Fig. 4 of Yu, Jung, Yoon, J Liver Cancer 2020;20:90-97, rebuilt from the paper's
text: resection, five TACE sessions and three radiotherapy courses on the track;
results dated only to the month, or inferred from the text, are open symbols.
"""

import textwrap

import plotting

case = plotting.example_case("yu2020")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and for each result the sentence it
# comes from and how its date was worked out.
print(textwrap.fill(case.reference, 88), end="\n\n")
for result in case.measurements.itertuples():
    print(f"{result.date_text}: {result.marker} {result.value_text} {result.unit}")
    print(textwrap.indent(textwrap.fill(f"source: {result.source}", 84), "    "))
    print(textwrap.indent(textwrap.fill(f"date: {result.date_reasoning}", 84), "    "))
