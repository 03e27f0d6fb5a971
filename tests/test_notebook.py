"""The example notebook runs top to bottom and shows its figures inline."""

from __future__ import annotations

import nbformat
from conftest import ROOT
from nbclient import NotebookClient

NOTEBOOK = ROOT / "examples" / "fig4.ipynb"


def test_notebook_is_stored_without_outputs():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and not cell.execution_count for cell in code)


def test_notebook_executes_and_shows_two_figures():
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    NotebookClient(
        notebook,
        timeout=300,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    ).execute()
    images = [
        output
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
        if "image/png" in output.get("data", {})
    ]
    assert len(images) == 2
    table = notebook.cells[3].outputs[0]["data"]["text/plain"]
    assert "2160.0" in table and "month" in table


def _images_per_cell(sources):
    """Run one notebook of these cells; the images each cell shows."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(source) for source in sources]
    NotebookClient(notebook, timeout=300, kernel_name="python3").execute()
    return [
        [output for output in cell.outputs if "image/png" in output.get("data", {})]
        for cell in notebook.cells
    ]


def test_a_figure_is_shown_once_however_a_cell_ends():
    # Plain matplotlib shows a pyplot Figure twice when it is a cell's last line
    # (the result, then pyplot at the cell's end); the package's figures once.
    shown = _images_per_cell(
        [
            "import matplotlib.pyplot as plt\nimport plotting\n"
            f"case = plotting.read_case({str(ROOT / 'data' / 'yu2020')!r})\n"
            "frames = plotting.synthetic_cohort(6, seed=1)\n"
            "cohort = plotting.cohort_from_frames(**frames)",
            "plotting.plot_case(case)",
            "fig = plotting.plot_case(case)",
            "fig",
            "plotting.plot_case(case)\nplotting.plot_case(case, markers=['AFP'])",
            "plotting.plot_small_multiples(cohort, marker='AFP')",
            "plotting.plot_aligned_cohort(cohort, marker='AFP', min_patients=2)",
            "%config InlineBackend.figure_format = 'retina'\nplotting.plot_case(case)",
            "figure = plt.figure()\nfigure.add_subplot()\nfigure",
        ]
    )
    assert [len(images) for images in shown] == [0, 1, 1, 1, 2, 1, 1, 1, 2]
    retina = shown[7][0]
    # Retina: twice the pixels, shown at the figure's size in points.
    assert retina["metadata"]["image/png"]["width"] > 0
