"""The Python examples of the README and the docs' pages run as written."""

from __future__ import annotations

import matplotlib.pyplot as plt
from conftest import ROOT
from doc_pages import code_blocks


def test_python_examples_of_the_pages_run(monkeypatch):
    blocks = code_blocks("python")
    pages = {block.page.name for block in blocks}
    assert len(blocks) >= 12 and {"README.md", "kinetics.md", "cohorts.md"} <= pages
    monkeypatch.chdir(ROOT)
    results: dict = {}
    for block in blocks:
        namespace: dict = {}
        exec(compile(block.text, block.where, "exec"), namespace)
        if "plot_" in block.text:
            assert plt.get_fignums(), f"{block.where}: an example that plots draws"
        plt.close("all")
        results.update(namespace)
    assert round(results["fit"].half_life_days, 1) == 30.1
    assert len(results["report"].written) == 20 and not results["report"].failed
