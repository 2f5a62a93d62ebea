"""The d_k slider on steps/scaling/ (widgets/dk-slider.js under figure softmax-entropy-dk), in Chromium.

The figure's data carries the running example's row of "it" (`example`: its raw and scaled scores,
its weights, d_k). Proved here against that data and attention_ref, formatted as the site does:
the slider starts at the example's weights (the scores divided by √d_k), and moved by keyboard or
touch its bars are softmax(scores / divisor) and its polite live region reads that entropy;
one step down from √d_k is dividing by one, the raw scores, and the widget says so. Without
JavaScript the figure stays and no widget appears.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from site_pages import PHONE, bar_texts, figure_data, readout, widget

from attention_ref import entropy_bits, softmax
from figures_src.kit.formats import fmt

pytestmark = pytest.mark.browser

FIGURE, PAGE, KIND = "softmax-entropy-dk", "steps/scaling/", "dk-slider"


def check(w, example: dict) -> str:
    divisor = 2 ** float(w.locator("input[type=range]").input_value())
    weights = softmax(np.asarray(example["scores"]) / divisor)
    assert bar_texts(w)[1] == [fmt(float(x), "pct") for x in weights], f"divided by {divisor}"
    assert f"entropy {fmt(float(entropy_bits(weights)), 'f2')} bits" in readout(w)
    return readout(w)


def test_slider_starts_at_the_example_and_reads_the_entropy(visit, built_site):
    example = figure_data(built_site, FIGURE)["example"]
    v = visit(PAGE)
    w = widget(v.page, FIGURE, KIND)
    words, pcts = bar_texts(w)
    assert words == example["tokens"]
    assert pcts == [fmt(x, "pct") for x in example["weights"]]
    divisor = 2 ** float(w.locator("input[type=range]").input_value())
    assert math.isclose(divisor, math.sqrt(example["d_k"]))
    start = check(w, example)
    assert w.locator(".sav-widget__readout").get_attribute("aria-live") == "polite"
    slider = w.locator("input[type=range]")
    slider.focus()
    steps_to_one = round(math.log2(math.sqrt(example["d_k"])) / float(slider.get_attribute("step")))
    for _ in range(steps_to_one):
        v.page.keyboard.press("ArrowLeft")
    raw = check(w, example)
    assert raw != start and "raw scores" in w.inner_text() and "raw scores" in slider.get_attribute("aria-valuetext")
    v.page.keyboard.press("End")
    assert check(w, example) != raw

    t = visit(PAGE, **PHONE)
    tw = widget(t.page, FIGURE, KIND)
    box = tw.locator("input[type=range]")
    box.scroll_into_view_if_needed()
    b = box.bounding_box()
    t.page.touchscreen.tap(b["x"] + 3, b["y"] + b["height"] / 2)
    assert check(tw, example) != start


def test_without_javascript_the_figure_stays_and_no_widget(visit):
    v = visit(PAGE, java_script_enabled=False)
    assert v.page.locator(f"#fig-{FIGURE} img").count() == 2
    assert v.page.locator("[data-sav-widget]").count() == 0
