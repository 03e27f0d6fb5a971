"""
Half-lives and response after a treatment
=========================================

Each rate is a least-squares fit of ln(value) against days over a window, with its
points, its R² and its window. Given a treatment's label, the window runs from the
last result before it to the nadir of the fall that follows. Fig. 4's dates are
inferred from the text (approximate), so its rates are whole days and marked so.
"""

import plotting

case = plotting.example_case("yu2020")
fig = plotting.plot_case(
    case, kinetics=["Bone RT"], response=["Bone RT"], uln_crossings=True
)

# %%
# The same numbers as a table, one row per marker and window:
plotting.kinetics_table(case)

# %%
# A window that spans a fall and a rise is a poor fit, and says why:
fit = plotting.fit_kinetics(
    case.measurements, marker="AFP", start="2012-08-01", end="2014-11-02"
)
print(fit.poor_fit, fit.poor_fit_reason)
