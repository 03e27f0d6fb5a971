"""Text is measured under the style it will be drawn in."""

from __future__ import annotations

from conftest import YU2020
from PIL import Image

from plotting import house_style, plot_case, read_case


def test_a_style_change_in_the_session_is_measured_anew(tmp_path):
    # matplotlib keeps a text's size per renderer, not per setting: measured
    # once with hinting off, a label kept that size for the rest of the session,
    # and Fig. 4 drawn after such a figure came out 3 px shorter than the command
    # line draws it.
    from plotting.cli import main
    from plotting.drawing import measure

    labels = ["Bone metastasis 60 Gy/24 fx", "#1 #2 #3", "PIVKA-II ULN 40 mAU/mL"]
    with house_style():
        hinted = measure.measure_texts(labels, dpi=300)
    with house_style({"text.hinting": "none"}):
        unhinted = measure.measure_texts(labels, dpi=300)
    assert unhinted != hinted
    with house_style():
        assert measure.measure_texts(labels, dpi=300) == hinted
    case = read_case(YU2020)
    plot_case(case, rc={"text.hinting": "none"})
    assert (
        main(["render", str(YU2020), "-o", str(tmp_path / "f"), "--format", "png"]) == 0
    )
    with Image.open(tmp_path / "f.png") as png:
        after = png.size
    measure._SIZE_CACHE.clear()
    measure._SCRATCH.clear()
    assert (
        main(["render", str(YU2020), "-o", str(tmp_path / "g"), "--format", "png"]) == 0
    )
    with Image.open(tmp_path / "g.png") as png:
        assert after == png.size
