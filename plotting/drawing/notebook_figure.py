"""A Figure that Jupyter shows once, whether it is assigned or a cell's last line."""

from __future__ import annotations

from matplotlib.figure import Figure


class NotebookFigure(Figure):
    """A matplotlib Figure that a notebook cell shows exactly once.

    A pyplot Figure written as a cell's last line is shown twice in Jupyter: once
    as the cell's result, then again by pyplot, which shows every figure still
    open when the cell ends. This Figure, once shown as an image, is closed in
    pyplot, so ``plot_case(case)`` and ``fig = plot_case(case)`` each show one
    figure, in the notebook's configured formats (``retina`` included). Where no
    image format is configured for figures (an interactive backend such as
    ipympl), it is left open to that backend.
    """

    def _ipython_display_(self) -> None:
        from IPython import get_ipython
        from IPython.display import publish_display_data

        shell = get_ipython()
        if shell is None:
            return
        data, metadata = _formatted(shell, self)
        if not set(data) - {"text/plain"} and _inline_backend_is_selected():
            # Before matplotlib 3.10, matplotlib-inline configures its image
            # formatters only after the first cell that makes a figure has ended,
            # so that cell would show nothing and the next one this figure too.
            # Configuring now is what it would do then (it does so only once).
            from matplotlib_inline.backend_inline import configure_inline_support

            configure_inline_support(shell, "inline")
            data, metadata = _formatted(shell, self)
        publish_display_data(data, metadata)
        if set(data) - {"text/plain"} and self.canvas.manager is not None:
            import matplotlib.pyplot as plt

            plt.close(self)


def _formatted(shell, figure) -> tuple[dict[str, object], dict[str, object]]:
    """The figure in every format the shell's display formatters give, with metadata."""
    data: dict[str, object] = {}
    metadata: dict[str, object] = {}
    for mime, formatter in shell.display_formatter.formatters.items():
        shown = formatter(figure)
        if isinstance(shown, tuple):
            shown, metadata[mime] = shown
        if shown is not None:
            data[mime] = shown
    return data, metadata


def _inline_backend_is_selected() -> bool:
    import sys

    import matplotlib

    # Only a backend already in use counts: asking matplotlib would select one.
    return "matplotlib_inline.backend_inline" in sys.modules and matplotlib.rcParams[
        "backend"
    ] in ("inline", "module://matplotlib_inline.backend_inline")
