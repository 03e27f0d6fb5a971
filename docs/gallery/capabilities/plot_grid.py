"""
Small multiples of a case series
================================

One panel per patient on shared axes, in years since diagnosis, for a case series
of a dozen patients. Synthetic patients (a fixed seed).
"""

import plotting

cohort = plotting.cohort_from_frames(**plotting.synthetic_cohort(12, seed=3))
fig = plotting.plot_small_multiples(cohort, marker="PIVKA-II", ncols=4)
