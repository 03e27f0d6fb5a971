"""
A cohort aligned at its first treatment
=======================================

Every patient on one clock from the first TACE, as percent of the last result
before it, with the median and its interquartile range where at least five
patients contribute, and below it how many do. Synthetic patients (a fixed seed).
"""

import plotting

cohort = plotting.cohort_from_frames(**plotting.synthetic_cohort(60, seed=7))
fig = plotting.plot_aligned_cohort(cohort, marker="AFP", anchor="tace", percent=True)
