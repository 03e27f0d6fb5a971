"""Drawing: matplotlib artists from tables and computed layouts.

style and presets, axes-level functions (trend, track, annotations), then the
figure-level functions that own a Figure (case_figure, aligned_figure,
small_multiples).
"""
