"""The registry enforces the rules a newcomer relies on to find a figure's module from its id."""

from __future__ import annotations

import pytest

from figures_src.build import registry


def test_every_module_of_the_site_is_named_after_its_id():
    for fig in registry.discover().values():
        assert fig.source_path.stem == fig.id.replace("-", "_")
        assert (fig.kind == "manim") == fig.id.endswith("-scene") == (fig.source_path.parent.name == "scenes")


def test_a_module_named_otherwise_than_its_id_is_refused(figures):
    path = figures.add("fig-one")
    path.rename(path.with_name("other_name.py"))
    found, errors = registry.scan()
    assert "fig-one" not in found
    assert any("fig_one.py, not other_name.py" in e for e in errors), errors


@pytest.mark.parametrize("fig_id", ["fig-scene"])
def test_a_figure_whose_id_says_scene_must_be_a_scene(figures, fig_id):
    figures.add(fig_id)  # KIND matplotlib, in a package that is not scenes/
    found, errors = registry.scan()
    assert fig_id not in found
    assert any("-scene" in e and fig_id in e for e in errors), errors


def test_an_unknown_id_names_the_known_ones(figures):
    figures.add("fig-one")
    with pytest.raises(KeyError, match="unknown figure id.*nope.*known: fig-one"):
        registry.scan(["nope"])
