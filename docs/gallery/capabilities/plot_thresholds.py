"""
Thresholds beside, or instead of, the reference limit
=====================================================

After radical prostatectomy the PSA level that matters is 0.2 ng/mL, not the
screening limit of 4.0: Hosogoe et al.'s case declares ``uln = false`` and the
AUA's biochemical-recurrence threshold in its ``case.toml``. From Python, the
same keys replace a case's limits for one figure.
"""

import plotting

psa = plotting.example_case("hosogoe2015")
fig = plotting.plot_case(psa, preset="1.5")

# %%
# Fig. 4 with a threshold of one's own beside AFP's upper reference limit:
case = plotting.example_case("yu2020")
fig = plotting.plot_case(
    case,
    markers=["AFP"],
    limits={"AFP": {"thresholds": [{"value": 20, "label": "AFP 20 ng/mL"}]}},
)
