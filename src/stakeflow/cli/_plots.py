"""Writing plotly figures for the commands: self-contained HTML, or a static image via kaleido."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..io.atomic import atomic_path
from ..scenario.errors import InputError

PLOT_SUFFIXES = (".html", ".png", ".svg", ".pdf")


def check_plot_path(path: Path) -> Path:
    """``path`` if its suffix names a format a figure can be written in."""
    if path.suffix.lower() not in PLOT_SUFFIXES:
        raise InputError(f"cannot write a plot to {path}: use a name ending in {', '.join(PLOT_SUFFIXES)}")
    return path


def figure_writer(fig: Any, path: Path) -> Callable[[Path], None]:
    """A function writing ``fig`` to a given file in the format ``path``'s suffix names (HTML works offline)."""
    suffix = check_plot_path(path).suffix.lower()

    def write(tmp: Path) -> None:
        if suffix == ".html":
            fig.write_html(tmp, include_plotlyjs=True, full_html=True)
            return
        try:
            fig.write_image(tmp, format=suffix[1:], width=1100, height=650, scale=2)
        except Exception as exc:  # kaleido needs a Chromium; say so instead of a traceback
            raise InputError(
                f"cannot write {path}: static images need Chromium for kaleido "
                f"(install it, e.g. `apt-get install chromium`), or use .html ({type(exc).__name__}: {exc})"
            ) from None

    return write


def write_figure(fig: Any, path: Path) -> None:
    """Write ``fig`` to ``path`` whole or not at all; the suffix chooses the format."""
    write = figure_writer(fig, path)
    with atomic_path(path) as tmp:
        write(tmp)
