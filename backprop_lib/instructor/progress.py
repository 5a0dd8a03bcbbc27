"""The progress bar every long-running instructor command shows."""

from __future__ import annotations

import contextlib
import sys

from tqdm.auto import tqdm

__all__ = ["progress_bar"]


@contextlib.contextmanager
def progress_bar(total, description, enabled=True, unit="submission"):
    """A tqdm bar over ``total`` items on stderr, or a silent stand-in when disabled."""
    bar = tqdm(
        total=total,
        desc=description,
        unit=unit,
        disable=not enabled,
        file=sys.stderr,
        dynamic_ncols=True,
        smoothing=0.1,
    )
    try:
        yield bar
    finally:
        bar.close()
