"""The README's Python examples run as written."""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
from conftest import ROOT


def test_readme_python_examples_run(monkeypatch):
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.DOTALL)
    assert len(blocks) >= 3
    monkeypatch.chdir(ROOT)
    results: dict = {}
    for block in blocks:
        namespace: dict = {}
        exec(compile(block, "README.md", "exec"), namespace)
        if "plot_" in block:
            assert plt.get_fignums(), "an example that plots draws a figure"
        plt.close("all")
        results.update(namespace)
    assert round(results["fit"].half_life_days, 1) == 30.1
    assert len(results["report"].written) == 20 and not results["report"].failed
