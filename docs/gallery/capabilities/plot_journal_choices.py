"""
Choices journals ask for
========================

Colors, symbols and line styles per marker, the legend's place, a panel letter and
which courses are shaded. The same keys can live in ``case.toml``; keywords win.
"""

import plotting

case = plotting.example_case("yu2020")
fig = plotting.plot_case(
    case,
    marker_styles={"AFP": {"color": "#d62728", "symbol": "s", "linestyle": "--"}},
    legend="below",
    panel="A",
    shade=["RT"],
)
