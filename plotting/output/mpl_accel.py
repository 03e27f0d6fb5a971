"""Faster batch rasterising through matplotlib internals, where it was checked.

This is the one module of the package that may use matplotlib's private names
(``tests/test_architecture.py`` holds it as the only allowed one). Everything it
offers has a plain path that gives the same pixels: other modules ask it for a
renderer class, a block in which ticks are computed once, and a way to let go of
old renderers, and never need to know whether the fast path is on.

Two fast paths, each used only with the matplotlib releases it was checked with
(:data:`SUPPORTED`) and, for the glyphs, only after a self-check in the process
(:func:`text_cache_is_exact`):

- **Kept glyphs.** A batch draws the same tick labels, axis titles and legend
  texts on every patient's figure; at 300 dpi, laying out those strings and
  rendering their glyphs with FreeType is about a fifth of a figure's time.
  Matplotlib 3.11 draws text glyph by glyph, each placed at 1/64 of a pixel: a
  glyph's bitmap depends on the font, size, dpi, angle, hinting and the
  position's fraction of a pixel, and moving it by whole pixels moves its bitmap
  by as many. :class:`CachingRendererAgg` keeps string layouts and glyph bitmaps
  by exactly those keys and draws the kept bitmap where matplotlib would draw a
  new one.
- **Ticks computed once a draw.** Matplotlib computes an axis's ticks again
  whenever an Axes sharing it places its axis label: the trend and track Axes,
  which share x, computed their date ticks (with dateutil's rrule) three times
  each per draw. Nothing moves the view during a draw, so the first result is
  reused, about a tenth of the rasterising time.

On any other release (3.8 to 3.10 among them, whose text drawing differs) the
imports below may fail or the self-check may disagree; then matplotlib's own
``RendererAgg`` and tick computation run, and the batch is slower, never
different.
"""

from __future__ import annotations

import contextlib
import functools
import math
import threading

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import RendererAgg

try:  # Names of the releases in SUPPORTED; older ones lack some.
    from matplotlib.backends.backend_agg import get_hinting_flag
    from matplotlib.ft2font import RenderMode
except ImportError:  # pragma: no cover - depends on the installed matplotlib
    get_hinting_flag = RenderMode = None

SUPPORTED = ("3.11.",)
# Bitmaps of a few hundred bytes each: a few MB at most.
KEPT_GLYPHS = 8192
KEPT_LAYOUTS = 2048


def release_is_supported() -> bool:
    """Whether the installed matplotlib is one the fast paths were checked with."""
    return mpl.__version__.startswith(SUPPORTED) and RenderMode is not None


def renderer_class() -> type:
    """The Agg renderer class a batch canvas should make: kept glyphs or plain."""
    return CachingRendererAgg if text_cache_is_exact() else RendererAgg


@contextlib.contextmanager
def ticks_computed_once(fig):
    """Within the block (one draw), compute each axis's ticks only once.

    The same ticks and pixels as without it (tested); with other releases than
    :data:`SUPPORTED` the block changes nothing.
    """
    if not release_is_supported():
        yield
        return
    axes = [axis for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)]
    for axis in axes:
        axis._update_ticks = functools.cache(axis._update_ticks)
    try:
        yield
    finally:
        for axis in axes:
            del axis._update_ticks


def forget_text_renderers(fig) -> None:
    """Let every text of ``fig`` drop the renderer it was last drawn with.

    A drawn text keeps its renderer, and removed texts live on in reference
    cycles until a full garbage collection; as figure heights change from
    patient to patient, each would keep a 10 MB raster (at 300 dpi) alive. Texts
    drawn again get their renderer back, so the pixels do not change. Any
    release: where a text keeps no renderer there is nothing to drop.
    """
    for text in _texts(fig, []):
        if getattr(text, "_renderer", None) is not None:
            text._renderer = None


def _texts(artist, found: list) -> list:
    """Return every Text under ``artist``, the ticks an axis keeps unused too.

    ``Figure.findobj`` asks each axis's locator for its ticks (a third of a
    batch's reset); an axis's tick lists are read as they stand instead.
    """
    from matplotlib.axis import Axis
    from matplotlib.text import Text

    if isinstance(artist, Text):
        found.append(artist)
    if isinstance(artist, Axis):
        children = [
            artist.label,
            artist.offsetText,
            *artist.majorTicks,
            *artist.minorTicks,
        ]
    else:
        children = artist.get_children()
    for child in children:
        _texts(child, found)
    return found


class CachingRendererAgg(RendererAgg):
    """``RendererAgg`` drawing plain text from kept layouts and glyph bitmaps.

    The caches are shared by all renderers of a thread (renderers come and go
    with figure sizes; glyphs do not depend on them) and emptied when full; fonts
    are per thread in matplotlib too. Math text is drawn by matplotlib as usual.
    Made only by :func:`renderer_class`, after :func:`text_cache_is_exact`.
    """

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        if ismath:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        font = self._prepare_font(prop)
        flags = get_hinting_flag()
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        size = prop.get_size_in_points()
        glyphs = _layout(font, s, size, self.dpi, flags, features, language)
        self._draw_kept_glyphs(gc, x, y, angle, size, flags, glyphs)
        return None

    def _draw_kept_glyphs(self, gc, x, y, angle, size, flags, glyphs):
        # As RendererAgg._draw_text_glyphs_and_boxes, but a glyph's bitmap is
        # rendered only the first time it is met at a position's pixel fraction.
        cos = math.cos(math.radians(angle))
        sin = math.sin(math.radians(angle))
        antialiased = bool(gc.get_antialiased())
        height = self.height
        kept_glyphs = _kept().glyphs
        for ft_object, glyph_index, dx, dy in glyphs:  # dy is upwards.
            # The glyph's origin in FreeType's 26.6 units; its y is upwards.
            origin_x = round(0x40 * (x + dx * cos - dy * sin))
            origin_y = round(0x40 * (height - y + dx * sin + dy * cos))
            key = (
                ft_object,
                size,
                self.dpi,
                glyph_index,
                angle,
                origin_x & 0x3F,
                origin_y & 0x3F,
                flags,
                antialiased,
            )
            kept = kept_glyphs.get(key)
            if kept is None:
                kept = _render(ft_object, size, self.dpi, key, cos, sin, flags)
                if len(kept_glyphs) >= KEPT_GLYPHS:
                    kept_glyphs.clear()
                kept_glyphs[key] = kept
            buffer, left, top = kept
            self._renderer.draw_text_image(
                buffer,
                left + (origin_x >> 6),
                int(height) - (top + (origin_y >> 6)) + buffer.shape[0],
                0,
                gc,
            )


_THREAD = threading.local()


def _kept():
    if not hasattr(_THREAD, "glyphs"):
        _THREAD.glyphs, _THREAD.layouts = {}, {}
    return _THREAD


def _layout(font, s, size, dpi, flags, features, language):
    layouts = _kept().layouts
    key = (font, s, size, dpi, flags, features, language)
    glyphs = layouts.get(key)
    if glyphs is None:
        items = font._layout(s, flags=flags, features=features, language=language)
        glyphs = tuple(
            (item.ft_object, item.glyph_index, item.x, item.y) for item in items
        )
        if len(layouts) >= KEPT_LAYOUTS:
            layouts.clear()
        layouts[key] = glyphs
    return glyphs


def _render(ft_object, size, dpi, key, cos, sin, flags):
    """Render a glyph at its origin's pixel fraction; keep it by ``key``."""
    fraction_x, fraction_y, antialiased = key[5], key[6], key[8]
    ft_object.set_size(size, dpi)
    ft_object._set_transform(
        (0x10000 * np.array([[cos, -sin], [sin, cos]])).round().astype(int),
        [fraction_x, fraction_y],
    )
    bitmap = ft_object._render_glyph(
        key[3], flags, RenderMode.NORMAL if antialiased else RenderMode.MONO
    )
    buffer = np.array(bitmap.buffer, dtype=np.uint8, copy=True)
    if not antialiased:
        buffer *= 0xFF
    return buffer, bitmap.left, bitmap.top


@functools.cache
def text_cache_is_exact() -> bool:
    """Whether kept glyphs give matplotlib's own pixels here (checked once)."""
    if not release_is_supported():
        return False
    from matplotlib.font_manager import FontProperties

    try:
        pixels = []
        for candidate in (RendererAgg, CachingRendererAgg):
            renderer = candidate(400, 200, 300)
            gc = renderer.new_gc()
            for index, angle in enumerate((0, 90, 0, 33)):
                # Moved by whole pixels, the second draws kept glyphs.
                for repeat in range(2):
                    renderer.draw_text(
                        gc,
                        7.3 + 61.77 * index + 3 * repeat,
                        120.6 - 50 * repeat,
                        "AFP 0.1-10⁴ ng/mL Jan",
                        FontProperties(size=4 + index),
                        angle,
                    )
            gc.restore()
            pixels.append(np.asarray(renderer.buffer_rgba()).copy())
    except (AttributeError, TypeError, ValueError):
        return False
    return bool(pixels[0].any()) and np.array_equal(*pixels)
