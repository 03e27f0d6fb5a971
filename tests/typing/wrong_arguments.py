"""Mistakes a type checker must catch in a user's code: every line marked
``# error`` must be reported by mypy, and no other (tests/test_typing.py)."""

from __future__ import annotations

import plotting
from plotting import plot_case, read_case

case = read_case("data/yu2020")
plot_case(case, preset=3)  # error
plot_case(case, presets="single")  # error
plot_case(case, markers=["AFP"], show_events="yes")  # error
plot_case("data/yu2020")  # error
plot_case(case, None, None)  # error
read_case(42)  # error
plotting.plot_cases(case)  # error
plotting.save_figure(case, "fig4")  # error
plotting.render_cohort(case, "build")  # error
