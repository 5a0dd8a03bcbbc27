"""Fast redraws for the explorers: paint the still parts of a figure once, then only what moves.

Most of a matplotlib redraw goes to axes, ticks, labels and legends, which
rarely change. A :class:`BlitRenderer` renders them once per *layout* (any
hashable key that changes exactly when they must be redrawn, such as the axis
limits), keeps that background, and for every new frame restores it and draws
only the figure's dynamic artists on top.
"""

from __future__ import annotations

import io

import numpy as np
import PIL.Image

__all__ = ["BlitRenderer"]


class BlitRenderer:
    """PNG frames of ``figure``, redrawing only ``dynamic`` artists over cached backgrounds.

    Parameters
    ----------
    figure : matplotlib.figure.Figure
        A figure with an Agg canvas.
    dynamic : sequence of matplotlib.artist.Artist
        The artists that change between frames, drawn in this order (last on top).
    keep : int
        How many layouts' backgrounds to keep (least recently used dropped first).
    """

    def __init__(self, figure, dynamic, keep=12):
        self.figure = figure
        self.dynamic = list(dynamic)
        self.keep = keep
        self._backgrounds = {}

    def png(self, layout=None):
        """The current frame as PNG bytes, for the still parts described by ``layout``."""
        canvas = self.figure.canvas
        background = self._backgrounds.pop(layout, None)
        if background is None:
            for artist in self.dynamic:
                artist.set_animated(True)
            canvas.draw()
            background = canvas.copy_from_bbox(self.figure.bbox)
            if len(self._backgrounds) >= self.keep:
                self._backgrounds.pop(next(iter(self._backgrounds)))
        else:
            canvas.restore_region(background)
        self._backgrounds[layout] = background  # the most recently used last
        for artist in self.dynamic:
            artist.axes.draw_artist(artist)
        buffer = io.BytesIO()
        rgb = np.asarray(canvas.buffer_rgba())[..., :3]
        PIL.Image.fromarray(rgb).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()
