"""Draw many figures in one process without a new raster for each.

A batch worker draws hundreds of patients on one Figure. Matplotlib's Agg canvas
keeps one renderer and builds a new one whenever the size or dpi changes; a
figure laid out at its own dpi and rasterised at 300 dpi therefore got a new
10 MB renderer twice per patient, and the texts drawn with the old one kept it
alive in reference cycles until a full garbage collection. Here renderers are
kept by size and reused, and the pixels handed to the PNG encoder live in a small
pool of reused buffers.

glibc's allocator also raises its mmap threshold each time such a buffer is
freed, after which buffers of a few MB (Pillow's, zlib's) come from the heap and
are not given back: a process still grew by about 10 MiB per hundred patients.
``release_large_buffers`` fixes the threshold, as Dask advises for its workers.
"""

from __future__ import annotations

import ctypes
import sys
import threading
from collections import OrderedDict

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from .mpl_accel import release_is_supported, renderer_class, ticks_computed_once
from .png import empty_rows, pixels_of

# M_MMAP_THRESHOLD in <malloc.h>; allocations from 1 MiB up are mapped apart.
_MMAP_THRESHOLD, _LARGE = -3, 1 << 20
# The figure's own dpi (for measuring) and the output's, for the two or three
# heights patients' treatment lanes give.
KEPT_RENDERERS = 4


class ReusingCanvas(FigureCanvasAgg):
    """An Agg canvas that keeps its last few renderers, by size and dpi.

    ``draw`` clears the renderer it reuses, so the pixels are the same as with a
    new one. The renderers keep glyph bitmaps across figures where that gives
    matplotlib's own pixels (:mod:`plotting.output.mpl_accel`).
    """

    def __init__(self, figure=None):
        super().__init__(figure)
        self.kept_renderers = OrderedDict()

    def get_renderer(self):
        if not release_is_supported():
            # Other releases size their renderers in their own way (3.8 to 3.10
            # with the figure's fractional pixels, which moves text); theirs is
            # made as they make it, and only the last one is kept.
            return super().get_renderer()
        width, height = self.get_width_height(physical=True)
        key = (width, height, self.figure.dpi)
        kept = self.kept_renderers
        if key not in kept:
            kept[key] = renderer_class()(width, height, self.figure.dpi)
            while len(kept) > KEPT_RENDERERS:
                kept.popitem(last=False)
        kept.move_to_end(key)
        self.renderer = kept[key]
        return self.renderer


class BufferPool:
    """Reusable buffers of PNG rows for figures waiting to be encoded.

    ``take`` copies a canvas's pixels into a free buffer of the right size (a new
    one only when none is free), laid out as :func:`plotting.output.png.empty_rows`;
    ``give_back`` returns it once encoded. At most ``size`` buffers are kept.
    """

    def __init__(self, size: int):
        self.size = size
        self._free: list[np.ndarray] = []
        self._lock = threading.Lock()

    def take(self, pixels) -> np.ndarray:
        source = np.asarray(pixels)
        height, width = source.shape[:2]
        with self._lock:
            for index, rows in enumerate(self._free):
                if rows.shape == (height, 1 + 4 * width):
                    target = self._free.pop(index)
                    break
            else:
                target = empty_rows(height, width)
        np.copyto(pixels_of(target), source)
        return target

    def give_back(self, rows: np.ndarray) -> None:
        with self._lock:
            self._free.append(rows)
            del self._free[: -self.size]


def rasterise(fig, dpi: int, pool: BufferPool) -> np.ndarray:
    """Draw ``fig`` at ``dpi`` and return its RGBA pixels as pooled PNG rows.

    The pixels are those ``savefig(..., dpi=dpi)`` writes to a PNG.
    """
    original = fig.dpi
    try:
        fig.set_dpi(dpi)
        with ticks_computed_once(fig):
            fig.canvas.draw()
        return pool.take(fig.canvas.buffer_rgba())
    finally:
        fig.set_dpi(original)


def release_large_buffers() -> bool:
    """Have this process give large freed buffers back to the system at once.

    Only on Linux with glibc (elsewhere nothing is changed and False returned).
    It affects the whole process, so it is called in batch worker processes and
    by ``marker-trends batch``, not by ``render_cohort`` in a caller's process.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_MMAP_THRESHOLD, _LARGE))
