"""
Yu et al. 2020: AFP and PIVKA-II over 13 years of HCC
=====================================================

Fig. 4 of Yu, Jung, Yoon, J Liver Cancer 2020;20:90-97, rebuilt from the paper's
text: resection, five TACE sessions and three radiotherapy courses on the track,
dates known to the month drawn as open symbols.
"""

import textwrap

import plotting

case = plotting.example_case("yu2020")
fig = plotting.plot_case(case)

# %%
# Where the values come from: the paper, and each result's source sentence (the
# ``date_reasoning`` column says how its date was worked out).
print(textwrap.fill(case.reference, 88))
case.measurements[["date_text", "marker", "value_text", "unit", "source"]]
