"""
Fig. 4 at the three journal widths
==================================

``preset`` sets the width (89, 140 or 174 mm); the height follows from the content.
Text keeps its size at print scale (at least 6.5 pt): a narrower figure gets wider
tick steps, more legend rows and more label rows instead of smaller text.
"""

import plotting

case = plotting.example_case("yu2020")
for preset in ("single", "1.5", "double"):
    fig = plotting.plot_case(case, preset=preset)
    width, height = fig.get_size_inches() * 25.4
    print(f"{preset:>6}: {width:.0f} mm wide, {height:.1f} mm high")
