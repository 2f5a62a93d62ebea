"""Text sizes in matplotlib's SVGs (kit/svgtext.py) and the narrow variant kit/mpl.save writes for phones."""

from __future__ import annotations

import pytest

from figures_src.kit import mpl, svgtext


def _figure(fontsize: float, width: float = 7.2, label: str = "a label"):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, 3))
    ax.text(0.1, 0.5, label, fontsize=fontsize)
    ax.text(0.1, 0.2, "$d_k$", fontsize=10)  # a subscript is drawn at 70 % of the size
    ax.set_xticks([])
    ax.set_yticks([])
    return fig


def _svg(fig) -> bytes:
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="svg")
    return buf.getvalue()


def test_glyph_sizes_are_the_font_sizes_drawn_subscripts_included():
    with mpl.themed("light", "t"):
        sizes = svgtext.glyph_sizes(_svg(_figure(12)))
    assert sorted({round(s, 3) for s in sizes}) == [7.0, 10.0, 12.0]


def test_the_smallest_text_on_screen_scales_with_the_shown_width():
    with mpl.themed("light", "t"):
        svg = _svg(_figure(12))
    w = svgtext.viewbox_width(svg)
    assert svgtext.smallest_text_px(svg, w) == pytest.approx(7.0)
    assert svgtext.smallest_text_px(svg, w / 2) == pytest.approx(3.5)


def test_bad_svg_is_refused_with_a_clear_error():
    with pytest.raises(svgtext.SvgTextError, match="not an SVG"):
        svgtext.glyph_sizes(b"<svg")
    with pytest.raises(svgtext.SvgTextError, match="viewBox"):
        svgtext.viewbox_width(b'<svg xmlns="http://www.w3.org/2000/svg"/>')


def _phone_px(path) -> float:
    svg = path.read_bytes()
    return svgtext.smallest_text_px(svg, svgtext.shown_width(svg, svgtext.PHONE_CONTENT_PX))


def test_small_text_gets_a_narrow_variant_readable_on_a_phone_and_the_same_bytes_twice(tmp_path):
    outs = []
    for k in range(2):
        out = tmp_path / str(k)
        out.mkdir()
        with mpl.themed("light", "small"):
            paths = mpl.save(_figure(9), out, "small", "light", formats=("svg",))
        outs.append(out)
        assert [p.name for p in paths] == ["small.light.svg", "small.light.narrow.svg"]
    wide, narrow = outs[0] / "small.light.svg", outs[0] / "small.light.narrow.svg"
    assert _phone_px(wide) < svgtext.MIN_TEXT_PX
    assert _phone_px(narrow) >= svgtext.MIN_TEXT_PX
    assert narrow.read_bytes() == (outs[1] / "small.light.narrow.svg").read_bytes()  # deterministic
    # the page switches to it below the width where the wide one's text would be under 9 px
    below = svgtext.narrow_below_px(wide.read_bytes())
    assert svgtext.PHONE_WIDTH_PX < below < svgtext.TABLET_PX
    wide_svg = wide.read_bytes()
    at = svgtext.shown_width(wide_svg, below - svgtext.PAGE_MARGINS_PX)
    assert svgtext.smallest_text_px(wide_svg, at) >= svgtext.MIN_TEXT_PX - 0.05


def test_large_text_needs_no_narrow_variant(tmp_path):
    with mpl.themed("light", "big"):
        paths = mpl.save(_figure(20, width=3.0), tmp_path, "big", "light", formats=("svg",))
    assert [p.name for p in paths] == ["big.light.svg"]
    assert _phone_px(tmp_path / "big.light.svg") >= svgtext.MIN_TEXT_PX


def test_a_module_s_own_narrow_layout_is_applied_before_the_text_is_checked(tmp_path):
    seen = []

    def relayout(fig):
        seen.append(fig.get_size_inches()[0])
        fig.set_size_inches(3.5, 4)

    with mpl.themed("light", "own"):
        paths = mpl.save(_figure(20, width=3.0), tmp_path, "own", "light", formats=("svg",), narrow=relayout)
    assert seen == [3.0]
    assert [p.name for p in paths] == ["own.light.svg", "own.light.narrow.svg"]
    assert svgtext.css_size((tmp_path / "own.light.narrow.svg").read_bytes())[1] > 300  # 4 in tall, then trimmed


def test_text_that_cannot_be_made_readable_is_an_error_naming_the_figure(tmp_path):
    long = "a very long line of text that spans far more than the width of any phone screen " * 4
    with mpl.themed("light", "hopeless"), pytest.raises(mpl.FigureTextError, match="hopeless"):
        fig = _figure(3, label=long)
        mpl.MAX_TEXT_SCALE, old = 1.2, mpl.MAX_TEXT_SCALE
        try:
            mpl.save(fig, tmp_path, "hopeless", "light", formats=("svg",))
        finally:
            mpl.MAX_TEXT_SCALE = old
