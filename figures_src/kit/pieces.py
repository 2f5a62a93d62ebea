"""Drawing pieces shared by the scenes: text, formulas, token chips, vectors, grids, pies.

Layout rules every scene follows (tests/kit/test_scenes.py checks them at the end
of every chapter): text is at least MIN_FONT at the default frame (readable
at 480p), no two texts overlap, and nothing is drawn below CAPTION_BAND,
where the player shows the captions.
"""

from __future__ import annotations

import manim as mn
import numpy as np

from . import style

MIN_FONT = 18
CAPTION_BAND = -3.0

# The palette the scenes draw with: the video theme (dark) on the site, the light theme for slides.
# `use_theme` switches it before a scene's class is made; scenes read these names when they are made
# (`from figures_src.kit.pieces import FG`), so every colour of one render comes from one palette.
THEME = style.VIDEO_THEME
FG = MUTED = BG = GRID = HIGHLIGHT = ""


def use_theme(name: str) -> None:
    """Draw every scene made from now on in the site palette `name` ("dark" or "light")."""
    global THEME, FG, MUTED, BG, GRID, HIGHLIGHT
    palette = style.theme(name)  # ValueError naming an unknown theme
    THEME = name
    FG, MUTED, BG = palette["foreground"], palette["muted"], palette["background"]
    GRID, HIGHLIGHT = palette["grid"], palette["highlight"]


def palette() -> dict:
    """The site palette the scenes now draw with (see `use_theme`)."""
    return style.theme(THEME)


use_theme(style.VIDEO_THEME)


def text(s: str, size: float = 28, color: str | None = None, weight=mn.NORMAL, **kw) -> mn.Text:
    """A Text in the site's font, in the foreground colour of the current theme by default."""
    return _light(mn.Text(s, font=style.FONT_FAMILY, font_size=size, color=color or FG, weight=weight, **kw))


def _light(m):
    """Drop the parsed SVG path each glyph keeps after its points are made: every copy an animation makes
    (FadeIn, Transform, .animate) would deep-copy it, and the points are all that is drawn."""
    for part in m.get_family():
        if getattr(part, "path_obj", None) is not None:
            part.path_obj = None
    return m


def math(tex: str, size: float = 34, color: str | None = None) -> mn.MathTex:
    """A formula (LaTeX, about 2 s each: use few, and never for data numbers)."""
    return _light(mn.MathTex(tex, font_size=size, color=color or FG))


def chip(word: str, size: float = 22, height: float = 0.46) -> mn.VGroup:
    """A token: the word on a rounded tag in the word's colour."""
    c = style.token_color(word)
    label = text(word, size)
    box = mn.RoundedRectangle(corner_radius=0.08, width=label.width + 0.24, height=height, stroke_color=c,
                              stroke_width=2.5, fill_color=c, fill_opacity=0.22)
    label.move_to(box)
    group = mn.VGroup(box, label)
    group.box, group.label = box, label
    return group


def slots(n: int, left: float, right: float) -> list[float]:
    """n evenly spaced x positions, the first at `left`, the last at `right`."""
    if n == 1:
        return [(left + right) / 2]
    return [left + (right - left) * j / (n - 1) for j in range(n)]


def vector(strings, color: str, *, vertical: bool = True, size: float = 20, step: float | None = None,
           pad: float = 0.12, fill_opacity: float = 0.12) -> mn.VGroup:
    """A vector drawn as its entries in a rounded box; `.nums` are the Texts, `.box` the frame.

    `strings` are already formatted (figures_src.kit.formats.fmt), so what is drawn
    is exactly what labels() lists.
    """
    nums = mn.VGroup(*(text(s, size) for s in strings))
    if vertical:
        step = step or 0.38
        for i, n in enumerate(nums):
            n.move_to([0, -i * step, 0])
        w, h = max(n.width for n in nums) + 2 * pad, step * (len(nums) - 1) + 0.24 + 2 * pad
    else:
        step = step or 0.78
        for i, n in enumerate(nums):
            n.move_to([i * step, 0, 0])
        w, h = step * (len(nums) - 1) + max(n.width for n in nums) + 2 * pad, 0.24 + 2 * pad
    box = mn.RoundedRectangle(corner_radius=0.08, width=w, height=h, stroke_color=color, stroke_width=2.5,
                              fill_color=color, fill_opacity=fill_opacity).move_to(nums.get_center())
    group = mn.VGroup(box, nums)
    group.box, group.nums = box, nums
    return group


def heat_color(value: float, vmax: float) -> str:
    """The theme's sequential colour map at value / vmax (kept off the end nearest the background)."""
    import matplotlib
    from matplotlib.colors import to_hex

    cmap = matplotlib.colormaps[palette()["cmap"]]
    return to_hex(cmap(0.12 + 0.83 * float(value) / float(vmax)))


def grid(strings, values, *, cell_w: float, cell_h: float, vmax: float, size: float = 18) -> mn.VGroup:
    """A matrix as coloured cells with their numbers; `.cells[i][j]`, `.nums[i][j]`."""
    cells, nums = mn.VGroup(), mn.VGroup()
    for i, (srow, vrow) in enumerate(zip(strings, values, strict=True)):
        crow, nrow = mn.VGroup(), mn.VGroup()
        for j, (s, v) in enumerate(zip(srow, vrow, strict=True)):
            fill = heat_color(v, vmax)
            cell = mn.Rectangle(width=cell_w, height=cell_h, stroke_color=BG, stroke_width=1.5, fill_color=fill,
                                fill_opacity=1.0).move_to([j * cell_w, -i * cell_h, 0])
            crow.add(cell)
            nrow.add(text(s, size, color=style.text_on(fill)).move_to(cell))
        cells.add(crow)
        nums.add(nrow)
    group = mn.VGroup(cells, nums)
    group.cells, group.nums = cells, nums
    return group


def pie(weights, colors, *, radius: float = 2.0, inner: float = 0.9) -> mn.VGroup:
    """Slices clockwise from twelve o'clock, centred at the origin; `.mids` holds each slice's mid angle."""
    group = mn.VGroup()
    angle, mids = mn.PI / 2, []
    for w, c in zip(weights, colors, strict=True):
        sweep = -float(w) * mn.TAU
        group.add(mn.AnnularSector(inner_radius=inner, outer_radius=radius, angle=sweep, start_angle=angle,
                                   fill_color=c, fill_opacity=1.0, stroke_width=2, stroke_color=BG))
        mids.append(angle + sweep / 2)
        angle += sweep
    group.mids = mids
    return group


def spread(wanted: list[float], gap: float, lo: float, hi: float) -> list[float]:
    """Positions as close as possible to `wanted` (any order), at least `gap` apart, within [lo, hi]."""
    order = sorted(range(len(wanted)), key=lambda i: wanted[i])
    ys = [min(max(wanted[i], lo), hi) for i in order]
    for k in range(1, len(ys)):  # push up from the bottom
        ys[k] = max(ys[k], ys[k - 1] + gap)
    if ys and ys[-1] > hi:  # then down from the top
        ys[-1] = hi
        for k in range(len(ys) - 2, -1, -1):
            ys[k] = min(ys[k], ys[k + 1] - gap)
    out = [0.0] * len(wanted)
    for k, i in enumerate(order):
        out[i] = ys[k]
    return out


def pie_labels(slices: mn.VGroup, strings, *, size: float = 20, gap: float = 0.36, reach: float = 0.45,
               lo: float | None = None, hi: float | None = None) -> mn.VGroup:
    """Labels beside a `pie()` (already placed): right of the pie for slices on the right, left for the
    others, spread vertically so that none overlap, each tied to its slice by a thin leader line."""
    center = slices.get_center()
    radius = slices.width / 2
    lo = center[1] - radius - 0.4 if lo is None else lo
    hi = center[1] + radius + 0.4 if hi is None else hi
    sides = {+1: [], -1: []}
    for j, mid in enumerate(slices.mids):
        sides[+1 if np.cos(mid) >= 0 else -1].append(j)
    by_slice, leaders = {}, mn.VGroup()
    for side, idx in sides.items():
        wanted = [center[1] + (radius + reach) * np.sin(slices.mids[j]) for j in idx]
        ys = spread(wanted, gap, lo, hi)
        for j, y in zip(idx, ys, strict=True):
            mid = slices.mids[j]
            edge = center + radius * np.array([np.cos(mid), np.sin(mid), 0])
            x = center[0] + side * (radius + reach)
            label = text(strings[j], size)
            label.move_to([x, y, 0], aligned_edge=mn.LEFT if side > 0 else mn.RIGHT)
            elbow = np.array([x - side * 0.12, y, 0])
            leaders.add(mn.VMobject(stroke_color=MUTED, stroke_width=1.5).set_points_as_corners([edge, elbow]))
            by_slice[j] = label
    labels = mn.VGroup(*(by_slice[j] for j in range(len(strings))))  # labels[j] belongs to slice j
    group = mn.VGroup(leaders, labels)
    group.labels, group.leaders = labels, leaders
    return group


def spaced(widths, *, min_width: float, gap: float, center: float = 0.0) -> list[float]:
    """Centres for items of these widths side by side, each given at least `min_width`, `gap` apart."""
    slots_ = [max(w, min_width) for w in widths]
    total = sum(slots_) + gap * (len(slots_) - 1)
    x, out = center - total / 2, []
    for s in slots_:
        out.append(x + s / 2)
        x += s + gap
    return out


def sub(name: str, index: str, size: float = 24, color: str | None = None) -> mn.MarkupText:
    """A name with a subscript, such as W_Q, in the site's font (no LaTeX)."""
    fg = color or FG
    return _light(mn.MarkupText(f"{name}<sub>{index}</sub>", font=style.FONT_FAMILY, font_size=size, color=fg))


def lit(vec: mn.VGroup, brightness: float, fill: float = 0.12) -> mn.Animation:
    """Animate a `vector()` to `brightness` (0..1): its numbers and frame at that opacity, its fill fainter."""
    return mn.AnimationGroup(vec.nums.animate.set_opacity(brightness),
                             vec.box.animate.set_stroke(opacity=brightness).set_fill(opacity=fill * brightness))


def attention_table(tokens, strings, values, *, cell_w: float = 0.98, cell_h: float = 0.4, size: float = 18,
                    name_size: float = 20) -> mn.VGroup:
    """An attention matrix: `grid()` with the query words down the left and the key words across the top.

    The key words alternate between two lines, so long neighbours never touch.
    `.table` (with `.cells`, `.nums`), `.row_names`, `.col_names`.
    """
    vmax = max(max(r) for r in values)
    table = grid(strings, values, cell_w=cell_w, cell_h=cell_h, vmax=vmax, size=size)
    rows = mn.VGroup(*(text(t, name_size, color=word_color(t)).next_to(table.cells[r][0], mn.LEFT, buff=0.15)
                       for r, t in enumerate(tokens)))
    cols = mn.VGroup(*(text(t, name_size, color=word_color(t))
                       .next_to(table.cells[0][c], mn.UP, buff=0.1 + (0.34 if c % 2 else 0))
                       for c, t in enumerate(tokens)))
    group = mn.VGroup(table, rows, cols)
    group.table, group.row_names, group.col_names = table, rows, cols
    return group


def readable(color: str, min_ratio: float = 4.5) -> str:
    """`color`, moved toward the foreground just enough for text on the background (WCAG contrast >= min_ratio).

    Some token colours (the blue of "animal", the green of "because") are
    too dark for text on the dark theme, others (the yellow of "cross") too
    light on the light one; the shade keeps their hue. On the dark theme it
    mixes toward white, on the light one toward black.
    """
    bg = style.luminance(BG)
    target = 255 if bg < 0.5 else 0
    r, g, b = (int(color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    for step in range(11):
        t = step / 10
        mixed = "#{:02x}{:02x}{:02x}".format(*(round(c + (target - c) * t) for c in (r, g, b)))
        lum = style.luminance(mixed)
        if (max(lum, bg) + 0.05) / (min(lum, bg) + 0.05) >= min_ratio:
            return mixed
    return "#ffffff" if target else "#000000"


def word_color(word: str) -> str:
    """The colour for writing `word` as text: its token colour, made readable on the video background."""
    return readable(style.token_color(word))
