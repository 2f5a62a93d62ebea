"""Shared drawing helpers for the figure modules (not a figure: the registry skips `_*` modules).

`heatmap` and `annotate` follow matplotlib's gallery example
`image_annotated_heatmap.py`: one draws a labelled matrix and returns its
image, the other writes a formatted number in each cell and returns the
strings it drew, so a figure's `labels()` can promise exactly what is on
screen. `matrix_block` draws a matrix as a grid of cells at a given place, for
the shape diagrams. All numbers are formatted with `figures_src.kit.formats.fmt`.
Call these inside `render()` only (they import matplotlib).
"""

from __future__ import annotations

from figures_src.kit import style
from figures_src.kit.formats import fmt


def heatmap(
    data,
    row_labels,
    col_labels,
    ax,
    *,
    theme: dict,
    cmap=None,
    vmin=0.0,
    vmax=1.0,
    xlabel: str | None = None,
    ylabel: str | None = None,
    top_labels: bool = False,
    label_size: float = 10,
    rotation: float = 50,
    show_rows: bool = True,
    show_cols: bool = True,
):
    """Draw `data` (rows x cols) as a heatmap on `ax` with word labels; returns the AxesImage.

    Rows are queries and columns are keys wherever the site shows attention.
    `cmap` defaults to the theme's sequential map; `vmin`/`vmax` fix the scale
    (weights: 0 to 1) so that equal colours mean equal numbers in every figure.
    """
    import numpy as np

    arr = np.asarray(data, dtype=float)
    im = ax.imshow(arr, cmap=cmap or theme["cmap"], vmin=vmin, vmax=vmax, aspect="equal", interpolation="nearest")
    ax.set_xticks(range(arr.shape[1]), labels=col_labels if show_cols else [""] * arr.shape[1])
    ax.set_yticks(range(arr.shape[0]), labels=row_labels if show_rows else [""] * arr.shape[0])
    ax.tick_params(axis="both", labelsize=label_size, length=0, pad=3)
    if top_labels:
        ax.tick_params(top=True, bottom=False, labeltop=True, labelbottom=False)
        ax.xaxis.set_label_position("top")
    if show_cols:
        for lab in ax.get_xticklabels():
            lab.set_rotation(rotation)
            lab.set_ha("left" if top_labels else "right")
            lab.set_rotation_mode("anchor")
    for spine in ax.spines.values():
        spine.set_visible(False)
    # thin gaps between the cells, in the background colour
    ax.set_xticks(np.arange(arr.shape[1] + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(arr.shape[0] + 1) - 0.5, minor=True)
    ax.grid(which="minor", color=theme["background"], linestyle="-", linewidth=1.2)
    ax.grid(which="major", visible=False)
    ax.tick_params(which="minor", length=0)
    if xlabel:
        ax.set_xlabel(xlabel, fontsize=10, color=theme["muted"])
    if ylabel:
        ax.set_ylabel(ylabel, fontsize=10, color=theme["muted"])
    return im


def cell_text_color(im, value: float) -> str:
    """Black or white, whichever reads better on the colour of `value` in `im`."""
    r, g, b, _ = im.cmap(im.norm(value))
    return style.text_on(f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}")


def annotate(im, data, style_name: str = "pct0", *, fontsize: float = 9, skip=None, bold=None) -> list[str]:
    """Write each cell's number, formatted with fmt(style_name), in a colour that reads on the cell.

    `skip(i, j, value)` -> True leaves a cell blank; `bold(i, j, value)` -> True
    sets it in bold. Returns the strings drawn, row by row.
    """
    drawn = []
    for i, row in enumerate(data):
        for j, v in enumerate(row):
            if skip is not None and skip(i, j, v):
                continue
            text = fmt(v, style_name)
            weight = "bold" if bold is not None and bold(i, j, v) else "normal"
            im.axes.text(
                j, i, text, ha="center", va="center", fontsize=fontsize, color=cell_text_color(im, v), fontweight=weight
            )
            drawn.append(text)
    return drawn


def outline_cells(ax, cells, color: str, linewidth: float = 2.0) -> None:
    """Draw a rectangle around each (row, col) or ((row0, col0), (row1, col1)) block of cells."""
    from matplotlib.patches import Rectangle

    for cell in cells:
        (r0, c0), (r1, c1) = cell if isinstance(cell[0], tuple) else (cell, cell)
        ax.add_patch(
            Rectangle(
                (c0 - 0.5, r0 - 0.5),
                c1 - c0 + 1,
                r1 - r0 + 1,
                fill=False,
                edgecolor=color,
                linewidth=linewidth,
                zorder=5,
            )
        )


def matrix_block(
    ax,
    x0: float,
    y0: float,
    rows: int,
    cols: int,
    *,
    cell: float,
    theme: dict,
    color: str,
    values=None,
    cmap=None,
    vmin=0.0,
    vmax=1.0,
    bands=None,
    alpha: float = 0.28,
    grid: bool = True,
):
    """Draw a rows x cols matrix as cells whose top left corner is (x0, y0), in data units (y grows upward).

    Filled with `values` through `cmap` when given, else with `color` at
    `alpha`; `bands` = [(first_col, n_cols, colour), ...] tints groups of
    columns (the heads of multi-head attention). Returns (x0, y0, width, height).
    """
    import numpy as np
    from matplotlib.patches import Rectangle

    w, h = cols * cell, rows * cell
    if values is not None:
        arr = np.asarray(values, dtype=float)
        ax.imshow(
            arr,
            cmap=cmap or theme["cmap"],
            vmin=vmin,
            vmax=vmax,
            extent=(x0, x0 + w, y0 - h, y0),
            interpolation="nearest",
            aspect="auto",
            zorder=1,
        )
    elif bands:
        for first, n, band_color in bands:
            ax.add_patch(
                Rectangle(
                    (x0 + first * cell, y0 - h),
                    n * cell,
                    h,
                    facecolor=band_color,
                    alpha=alpha,
                    edgecolor="none",
                    zorder=1,
                )
            )
    else:
        ax.add_patch(Rectangle((x0, y0 - h), w, h, facecolor=color, alpha=alpha, edgecolor="none", zorder=1))
    if grid:
        lw = 0.4 if max(rows, cols) > 8 else 0.6
        for r in range(1, rows):
            ax.plot([x0, x0 + w], [y0 - r * cell] * 2, color=theme["background"], lw=lw, alpha=0.9, zorder=2)
        for c in range(1, cols):
            ax.plot([x0 + c * cell] * 2, [y0, y0 - h], color=theme["background"], lw=lw, alpha=0.9, zorder=2)
    ax.add_patch(Rectangle((x0, y0 - h), w, h, fill=False, edgecolor=color, linewidth=1.4, zorder=3))
    return x0, y0, w, h
