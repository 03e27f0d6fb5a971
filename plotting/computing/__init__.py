"""Computing: what a figure shows, worked out before drawing (pandas and numpy).

Gaps in a series, rows and label layout on the treatment track, kinetics, response
and cohort alignment; every result is a DataFrame or a frozen value, tested without
rendering.
"""
