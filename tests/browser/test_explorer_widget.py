"""The in-page widgets over the built site, in Chromium: the attention explorer and the softmax slider.

What these tests prove, against the figure's own published numbers (figures/<id>/<id>.json of the
built site, formatted in Python with the site's formats, and for the slider recomputed with
attention_ref):

- the explorer under attention-matrix-animal (every-word/) and under tiny-model-heads (trained-model/,
  its reference head) draws one button per word, equal to the figure's tokens, starts on the
  figure's focus word, and its bars are that word's row of weights;
- it answers the mouse (hover previews, a click locks, hovering then changes nothing, Unlock
  unlocks), the keyboard (one tab stop; Left/Right/Home/End move the focus and the query; Enter
  locks; the Unlock button) and touch (a tap makes the word the query and locks it);
- each time, its polite live region names the query, the top word and its percentage as the site
  writes it (figures_src.kit.formats.fmt(x, "pct"));
- the slider under softmax-pie-it (steps/softmax/) starts at the figure's weights and, moved by
  keyboard, mouse and touch, shows softmax(scores / divisor) and its entropy as attention_ref
  computes them;
- with JavaScript off the static figure (its two <img>) is there and no widget is;
- no console error and no request to another host on any page visited.

It also measures (and prints, asserting nothing about it) the median time of one hover update of
the explorer over 50 hovers, timed with performance.now() inside the page.
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sitepages import PHONE, figure_data  # noqa: E402  (conftest.py: site_url, browser, visit)

from attention_ref import entropy_bits, softmax  # noqa: E402
from figures_src.kit.formats import fmt  # noqa: E402

pytestmark = pytest.mark.browser

EXPLORERS = {  # figure id -> the page it is on
    "attention-matrix-animal": "every-word/",
    "tiny-model-heads": "trained-model/",
}
SLIDER_FIGURE, SLIDER_PAGE = "softmax-pie-it", "steps/softmax/"
HOVERS = 50


# --------------------------------------------------------------------------- what the explorer should show


def explorer_source(data: dict, fig_id: str) -> tuple[list[str], list[list[float]], int]:
    """The tokens, the rows of weights (one per query) and the first query, from the figure's data."""
    if fig_id == "tiny-model-heads":
        ref = data["reference_head"]
        return data["tokens"], data["attention"][ref["layer"]][ref["head"]], data["query_index"]
    return data["tokens"], data["weights"], data["focus_index"]


def expected_readout(tokens: list[str], row: list[float], q: int) -> str:
    top = int(np.argmax(row))
    return f"{tokens[q]} → {tokens[top]} {fmt(row[top], 'pct')}"


def widget(page, fig_id: str):
    w = page.locator(f'[data-sav-widget][data-figure="{fig_id}"]')
    w.wait_for(state="visible")
    return w


def readout(w) -> str:
    return w.locator(".sav-widget__readout").inner_text().strip()


def bar_texts(w) -> tuple[list[str], list[str]]:
    return (w.locator(".sav-bars__word").all_inner_texts(), w.locator(".sav-bars__pct").all_inner_texts())


def word(w, i: int):
    return w.locator(".sav-explorer__word").nth(i)


def pressed(w) -> list[str]:
    return w.locator(".sav-explorer__word").evaluate_all("bs => bs.map(b => b.getAttribute('aria-pressed'))")


def active_index(page) -> int | None:
    return page.evaluate("() => document.activeElement && document.activeElement.dataset.index !== undefined"
                         " ? Number(document.activeElement.dataset.index) : null")


# --------------------------------------------------------------------------- the explorer


@pytest.mark.parametrize("fig_id", list(EXPLORERS))
def test_explorer_words_bars_and_first_state_are_the_figure_data(visit, built_site, fig_id):
    """One button per token, in order; the first query is the figure's focus word; bars are its row."""
    data = figure_data(built_site, fig_id)
    tokens, rows, start = explorer_source(data, fig_id)
    v = visit(EXPLORERS[fig_id])
    w = widget(v.page, fig_id)
    assert w.locator(".sav-explorer__word").all_inner_texts() == tokens
    assert w.get_by_role("button", name=tokens[start], exact=True).count() >= 1
    words, pcts = bar_texts(w)
    assert [x.removeprefix("▶ ") for x in words] == tokens
    assert pcts == [fmt(x, "pct") for x in rows[start]]
    assert readout(w) == expected_readout(tokens, rows[start], start)
    if fig_id == "attention-matrix-animal":  # the figure's own focus numbers, as the page's prose cites them
        assert readout(w) == f"{data['focus']} → {data['focus_top_word']} {fmt(data['focus_top_weight'], 'pct')}"
    live = w.locator(".sav-widget__readout")
    assert live.get_attribute("aria-live") == "polite"
    # the static figure is still there, before the widget
    assert v.page.locator(f"#fig-{fig_id} img").count() == 2
    assert v.page.evaluate(
        f"() => document.getElementById('fig-{fig_id}').nextElementSibling.dataset.figure") == fig_id


@pytest.mark.parametrize("fig_id", list(EXPLORERS))
def test_explorer_answers_the_mouse(visit, built_site, fig_id):
    tokens, rows, start = explorer_source(figure_data(built_site, fig_id), fig_id)
    v = visit(EXPLORERS[fig_id])
    w = widget(v.page, fig_id)
    seen = set()
    for i in range(len(tokens)):
        word(w, i).hover()
        assert readout(w) == expected_readout(tokens, rows[i], i), f"hover on {tokens[i]!r}"
        assert bar_texts(w)[1] == [fmt(x, "pct") for x in rows[i]]
        seen.add(readout(w))
    assert len(seen) > 1, "the live region never changed"
    # a click locks: hovering another word then changes nothing
    lock, other = start, (start + 1) % len(tokens)
    word(w, lock).click()
    assert pressed(w)[lock] == "true"
    unlock = w.get_by_role("button", name="Unlock")
    assert unlock.is_enabled()
    word(w, other).hover()
    assert readout(w) == expected_readout(tokens, rows[lock], lock)
    unlock.click()
    assert "true" not in pressed(w) and unlock.is_disabled()
    word(w, other).hover()
    assert readout(w) == expected_readout(tokens, rows[other], other)


@pytest.mark.parametrize("fig_id", list(EXPLORERS))
def test_explorer_answers_the_keyboard(visit, built_site, fig_id):
    tokens, rows, start = explorer_source(figure_data(built_site, fig_id), fig_id)
    n = len(tokens)
    v = visit(EXPLORERS[fig_id])
    page = v.page
    w = widget(page, fig_id)
    # Tab from the figure's own link lands on the query word: the word buttons are one tab stop
    page.locator(f"#fig-{fig_id} a.sav-figure__more").focus()
    page.keyboard.press("Tab")
    assert active_index(page) == start
    page.keyboard.press("Tab")
    assert active_index(page) is None, "the words should be one tab stop (roving focus)"
    page.keyboard.press("Shift+Tab")
    assert active_index(page) == start
    page.keyboard.press("ArrowRight")
    assert active_index(page) == (start + 1) % n
    assert readout(w) == expected_readout(tokens, rows[(start + 1) % n], (start + 1) % n)
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    q = (start - 1) % n
    assert active_index(page) == q
    assert readout(w) == expected_readout(tokens, rows[q], q)
    page.keyboard.press("Home")
    assert active_index(page) == 0 and readout(w) == expected_readout(tokens, rows[0], 0)
    page.keyboard.press("End")
    assert active_index(page) == n - 1 and readout(w) == expected_readout(tokens, rows[n - 1], n - 1)
    # Enter locks; the arrows then move the focus but not the query
    page.keyboard.press("Enter")
    assert pressed(w)[n - 1] == "true"
    page.keyboard.press("ArrowRight")
    assert active_index(page) == 0
    assert readout(w) == expected_readout(tokens, rows[n - 1], n - 1)
    # Tab reaches the Unlock button; Enter on it unlocks and gives the focus back to the word
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Unlock"
    page.keyboard.press("Enter")
    assert "true" not in pressed(w)
    assert active_index(page) == n - 1
    page.keyboard.press("ArrowLeft")
    assert readout(w) == expected_readout(tokens, rows[n - 2], n - 2)


@pytest.mark.parametrize("fig_id", list(EXPLORERS))
def test_explorer_answers_touch(visit, built_site, fig_id):
    tokens, rows, start = explorer_source(figure_data(built_site, fig_id), fig_id)
    v = visit(EXPLORERS[fig_id], **PHONE)
    w = widget(v.page, fig_id)
    first = (start + 2) % len(tokens)
    word(w, first).tap()
    assert readout(w) == expected_readout(tokens, rows[first], first)
    assert pressed(w)[first] == "true", "a tap locks the word it makes the query"
    second = (start + 3) % len(tokens)
    word(w, second).tap()  # another tap moves the lock
    assert readout(w) == expected_readout(tokens, rows[second], second)
    assert pressed(w)[second] == "true" and pressed(w).count("true") == 1
    w.get_by_role("button", name="Unlock").tap()
    assert "true" not in pressed(w)
    # nothing at 390 px is wider than the screen
    assert v.page.evaluate("() => document.documentElement.scrollWidth") <= 390


def test_explorer_hover_update_time(visit, built_site, record_property):
    """Measured, not asserted: the median time of one hover update (the handler and the layout it causes)."""
    fig_id = "attention-matrix-animal"
    tokens, rows, _ = explorer_source(figure_data(built_site, fig_id), fig_id)
    v = visit(EXPLORERS[fig_id])
    widget(v.page, fig_id)
    v.page.wait_for_load_state("networkidle")  # measure the widget, not the page still loading
    v.page.wait_for_timeout(500)
    result = v.page.evaluate(
        """async ([figId, hovers]) => {
          const root = document.querySelector(`[data-sav-widget][data-figure="${figId}"]`);
          const buttons = [...root.querySelectorAll(".sav-explorer__word")];
          const live = root.querySelector(".sav-widget__readout");
          const times = [], texts = [];
          for (let k = 0; k < hovers; k++) {
            await new Promise(frame => requestAnimationFrame(frame));  // one hover per frame, as a hand moves
            const b = buttons[(k + 1) % buttons.length];  // a different word each time
            const t0 = performance.now();
            b.dispatchEvent(new PointerEvent("pointerenter", {pointerType: "mouse"}));
            root.getBoundingClientRect();  // the layout the update causes, inside the timing
            times.push(performance.now() - t0);
            texts.push(live.textContent);
          }
          return {times, texts};
        }""",
        [fig_id, HOVERS],
    )
    expected = [expected_readout(tokens, rows[(k + 1) % len(tokens)], (k + 1) % len(tokens)) for k in range(HOVERS)]
    assert result["texts"] == expected
    median = statistics.median(result["times"])
    record_property("hover_update_median_ms", median)
    print(f"\nexplorer hover update: median {median:.3f} ms over {HOVERS} hovers "
          f"(min {min(result['times']):.3f}, max {max(result['times']):.3f})")


# --------------------------------------------------------------------------- the softmax slider


def slider_expected(data: dict, divisor: float) -> tuple[list[str], str]:
    weights = softmax(np.asarray(data["scores"]) / divisor)
    top = int(np.argmax(weights))
    text = (f"{data['focus']} → {data['tokens'][top]} {fmt(float(weights[top]), 'pct')}, "
            f"entropy {fmt(float(entropy_bits(weights)), 'f2')} bits")
    return [fmt(float(x), "pct") for x in weights], text


def slider_divisor(w) -> float:
    return 2 ** float(w.locator("input[type=range]").input_value())


def check_slider(w, data):
    divisor = slider_divisor(w)
    pcts, text = slider_expected(data, divisor)
    assert bar_texts(w)[1] == pcts, f"divided by {divisor}"
    assert text in readout(w)
    return readout(w)


def test_slider_starts_at_the_figure(visit, built_site):
    data = figure_data(built_site, SLIDER_FIGURE)
    v = visit(SLIDER_PAGE)
    w = widget(v.page, SLIDER_FIGURE)
    words, pcts = bar_texts(w)
    assert [x.removeprefix("▶ ") for x in words] == data["tokens"]
    assert pcts == [fmt(x, "pct") for x in data["weights"]]
    sqrt_dk = data["scores"][1] / data["scaled"][1]
    assert math.isclose(slider_divisor(w), sqrt_dk)
    assert f"{data['top_word']} {fmt(data['top_weight'], 'pct')}" in readout(w)
    check_slider(w, data)
    slider = w.get_by_role("slider")
    assert slider.count() == 1 and "divide" in (slider.get_attribute("aria-valuetext") or "")
    assert "divided by" in w.inner_text()  # the widget says what the slider divides
    assert w.locator(".sav-widget__readout").get_attribute("aria-live") == "polite"


def test_slider_answers_keyboard_mouse_and_touch(visit, built_site):
    data = figure_data(built_site, SLIDER_FIGURE)
    v = visit(SLIDER_PAGE)
    w = widget(v.page, SLIDER_FIGURE)
    start = readout(w)
    slider = w.locator("input[type=range]")
    slider.focus()
    v.page.keyboard.press("ArrowLeft")
    sharper = check_slider(w, data)
    assert sharper != start
    v.page.keyboard.press("End")
    flat = check_slider(w, data)
    assert flat != sharper
    # mouse: a click near the left end of the track
    box = slider.bounding_box()
    v.page.mouse.click(box["x"] + 3, box["y"] + box["height"] / 2)
    assert check_slider(w, data) != flat
    w.get_by_role("button", name="Back to", exact=False).click()
    assert readout(w) == start

    t = visit(SLIDER_PAGE, **PHONE)
    tw = widget(t.page, SLIDER_FIGURE)
    tslider = tw.locator("input[type=range]")
    tslider.scroll_into_view_if_needed()
    tbox = tslider.bounding_box()
    t.page.touchscreen.tap(tbox["x"] + tbox["width"] - 3, tbox["y"] + tbox["height"] / 2)
    assert check_slider(tw, data) != start
    assert t.page.evaluate("() => document.documentElement.scrollWidth") <= 390


# --------------------------------------------------------------------------- without JavaScript


@pytest.mark.parametrize("fig_id,path", [*EXPLORERS.items(), (SLIDER_FIGURE, SLIDER_PAGE)])
def test_without_javascript_the_figure_stays_and_no_widget(visit, fig_id, path):
    v = visit(path, java_script_enabled=False)
    assert v.page.locator(f"#fig-{fig_id} img").count() == 2
    assert v.page.locator(f"#fig-{fig_id} img").first.get_attribute("alt")
    assert v.page.locator("[data-sav-widget]").count() == 0
