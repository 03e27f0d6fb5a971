"""
Composing with your own matplotlib
==================================

The axes-level functions follow seaborn's contract: data first, keyword-only
options, ``ax=None``, they return the Axes and touch nothing else, so they mix with
your own panels.
"""

import matplotlib.pyplot as plt

import plotting

case = plotting.example_case("yu2020")
with plotting.house_style():
    fig, (left, right) = plt.subplots(1, 2, figsize=(6.85, 2.6), layout="constrained")
    for ax, name in ((left, "AFP"), (right, "PIVKA-II")):
        marker = case.markers[name]  # the registry's limit, as the case applies it
        plotting.plot_marker_trend(case.measurements, marker=name, ax=ax)
        plotting.add_reference_limit(
            marker.uln, ax=ax, label=f"ULN {marker.uln:g} {marker.unit}"
        )
        plotting.shade_courses(case.treatments, ax=ax)
        ax.set_title(f"{name} ({marker.unit})", loc="left")
