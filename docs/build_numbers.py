"""Numbers the documentation shows, computed when the site is built.

Sizes of the files a render writes, and the kinetics of Fig. 4, are measured
here on the published cases, so no page carries a number typed by hand that a
change to the package would leave wrong. Each table is written as a Markdown
file under ``docs/_generated/`` (not committed) that the pages include.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

import plotting

PRESETS = ("single", "1.5", "double")
BY = "\N{MULTIPLICATION SIGN}"
FORMATS = ("png", "pdf", "svg", "tiff")


def write(folder: Path) -> None:
    """Write every generated table into ``folder``."""
    folder.mkdir(exist_ok=True)
    (folder / "preset_sizes.md").write_text(preset_sizes(), encoding="utf-8")
    (folder / "fig4_kinetics.md").write_text(fig4_kinetics(), encoding="utf-8")


def preset_sizes() -> str:
    """Fig. 4 rendered at each preset: pixels, PDF page and file sizes."""
    case = plotting.example_case("yu2020")
    rows = [
        "| preset | PNG and TIFF at 300 dpi | PDF page "
        "| sizes (PNG / PDF / SVG / TIFF) |",
        "|---|---|---|---|",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        for preset in PRESETS:
            fig = plotting.plot_case(case, preset=preset)
            stem = Path(tmp) / f"fig4_{preset.replace('.', '_')}"
            plotting.save_figure(fig, stem, formats=FORMATS)
            with Image.open(stem.with_suffix(".png")) as png:
                width_px, height_px = png.size
            width_mm, height_mm = _pdf_page_mm(stem.with_suffix(".pdf"))
            kib = " / ".join(
                f"{stem.with_suffix('.' + f).stat().st_size / 1024:.0f}"
                for f in FORMATS
            )
            rows.append(
                f"| {preset} | {width_px} {BY} {height_px} px "
                f"| {width_mm:.1f} {BY} {height_mm:.1f} mm | {kib} KiB |"
            )
    return "\n".join(rows) + "\n"


def _pdf_page_mm(path: Path) -> tuple[float, float]:
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", path.read_bytes())
    if box is None:
        raise RuntimeError(f"{path}: no MediaBox")
    return tuple(float(points) / 72 * 25.4 for points in box.groups())  # type: ignore[return-value]


def fig4_kinetics() -> str:
    """The command line's kinetics table for Fig. 4 after the bone radiotherapy."""
    command = [
        "marker-trends",
        "kinetics",
        "data/yu2020",
        "--between",
        "2012-08-01",
        "2013-02-08",
        "--response",
        "Bone RT",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "plotting",
                "example",
                "yu2020",
                f"{tmp}/data/yu2020",
            ],
            check=True,
            capture_output=True,
        )
        shown = subprocess.run(
            [sys.executable, "-m", "plotting", *command[1:]],
            check=True,
            capture_output=True,
            text=True,
            cwd=tmp,
        ).stdout
    return (
        "```sh\n"
        + " ".join(_quoted(c) for c in command)
        + "\n```\n\nprints (when this page was built):\n\n"
        + shown
    )


def substitutions() -> dict[str, str]:
    """Numbers the pages write inline, as MyST substitutions."""
    case = plotting.example_case("yu2020")
    found = {}
    for marker, key in (("AFP", "afp"), ("PIVKA-II", "pivka")):
        fit = plotting.fit_kinetics(
            case.measurements, marker=marker, start="2012-08-01", end="2013-02-08"
        )
        found[f"{key}_half_life_days"] = f"{fit.half_life_days:.0f}"
    return found


def _quoted(word: str) -> str:
    return f'"{word}"' if " " in word else word
