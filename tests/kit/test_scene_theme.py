"""The scenes' theme switch: the site renders them dark, the slides ask for light; nothing else changes.

`kit.pieces.use_theme` sets the palette scenes are made with; the build renders
a scene in the light theme only when asked (`scene_themes`, for the deck and the
pack), never in the site's full build.
"""

from __future__ import annotations

import pytest

from figures_src.build import registry, themes_for
from figures_src.build.run import build
from figures_src.kit import pieces, style


@pytest.fixture
def restore_theme():
    yield
    pieces.use_theme(style.VIDEO_THEME)


@pytest.mark.parametrize("name", sorted(style.THEMES))
def test_use_theme_takes_every_colour_from_that_palette(name, restore_theme):
    pieces.use_theme(name)
    palette = style.THEMES[name]
    assert (pieces.FG, pieces.MUTED, pieces.BG, pieces.GRID, pieces.HIGHLIGHT) == (
        palette["foreground"], palette["muted"], palette["background"], palette["grid"], palette["highlight"])
    assert pieces.palette() == palette
    assert pieces.text("x").get_color().to_hex().lower() == palette["foreground"].lower()


@pytest.mark.parametrize("name", sorted(style.THEMES))
def test_every_word_colour_is_readable_as_text_on_either_background(name, restore_theme):
    pieces.use_theme(name)
    bg = style.luminance(pieces.BG)
    for color in (*style.TOKEN_PALETTE, *style.ROLE_COLORS.values()):
        lum = style.luminance(pieces.readable(color))
        assert (max(lum, bg) + 0.05) / (min(lum, bg) + 0.05) >= 4.5, (name, color, pieces.readable(color))


def test_the_dark_theme_keeps_the_colours_the_site_had():
    # the readable shade on the dark background mixes toward white, as before the switch existed
    assert pieces.THEME == style.VIDEO_THEME == "dark"
    assert pieces.readable("#0072B2") == "#4c9cc9" and pieces.readable("#E69F00") == "#e69f00"


def test_an_unknown_theme_is_named(restore_theme):
    with pytest.raises(ValueError, match="'sepia'"):
        pieces.use_theme("sepia")
    assert pieces.THEME == style.VIDEO_THEME  # unchanged


def test_the_site_build_renders_scenes_dark_and_only_the_slides_ask_for_light():
    scenes = [f for f in registry.discover().values() if f.kind == "manim"]
    assert scenes
    for fig in scenes:
        assert themes_for(fig) == (style.VIDEO_THEME,)
        assert themes_for(fig, ("light",)) == ("light",)
    figure = next(f for f in registry.discover().values() if f.kind == "matplotlib")
    assert themes_for(figure, ("light",)) == style.MATPLOTLIB_THEMES  # figures have both anyway


def test_a_light_scene_build_must_name_its_figures_and_real_themes(tmp_path):
    with pytest.raises(ValueError, match="must name its figures"):
        build(None, scene_themes=("light",), cache=tmp_path, progress=False)
    with pytest.raises(ValueError, match="sepia"):
        build(["softmax-scene"], scene_themes=("sepia",), cache=tmp_path, progress=False)
