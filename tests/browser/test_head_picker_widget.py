"""The head picker of multi-head/ (widgets/head-picker.js under figure multi-head-grid), in Chromium.

What these tests prove, against the figure's own published numbers (figures/multi-head-grid/
multi-head-grid.json of the built site), formatted as the site formats them (fmt(x, "pct")):

- one button per head, named by the head's title in the figure's data and in its order, and one
  button per word, the figure's tokens; it starts on the first head and the figure's focus word,
  and its bars (pct.js's barList) are that head's row of weights for that word;
- choosing a head by mouse, keyboard (one tab stop per row of buttons, ← → Home End, Enter) or touch
  shows that head's row; making another word the query (hover, focus, tap) shows its row;
- the polite live region names the head, the query, its top word and that weight;
- with JavaScript off the static figure stays and no widget appears;
- no console error and no request to another host.
"""

from __future__ import annotations

import numpy as np
import pytest
from site_pages import PHONE, bar_texts, figure_data, readout, scroll_width, widget

from figures_src.kit.formats import fmt

pytestmark = pytest.mark.browser

FIGURE, PAGE, KIND = "multi-head-grid", "multi-head/", "head-picker"


def heads(data) -> list[tuple[str, list[list[float]]]]:
    return [(data["heads"][n]["title"], data["heads"][n]["weights"]) for n in data["head_names"]]


def expected(data, h: int, q: int) -> tuple[list[str], str]:
    title, rows = heads(data)[h]
    row = rows[q]
    top = int(np.argmax(row))
    tokens = data["tokens"]
    return [fmt(x, "pct") for x in row], f"{title}: {tokens[q]} → {tokens[top]} {fmt(row[top], 'pct')}"


def check(w, data, h: int, q: int):
    pcts, text = expected(data, h, q)
    assert bar_texts(w)[1] == pcts, f"head {h}, query {q}"
    assert readout(w) == text
    assert pressed(w, "sav-heads__head") == [j == h for j in range(len(data["head_names"]))]
    assert pressed(w, "sav-explorer__word") == [j == q for j in range(len(data["tokens"]))]


def pressed(w, cls: str) -> list[bool]:
    return w.locator(f"button.{cls}").evaluate_all("bs => bs.map(b => b.getAttribute('aria-pressed') === 'true')")


def head_button(w, h: int):
    return w.locator("button.sav-heads__head").nth(h)


def word_button(w, q: int):
    return w.locator("button.sav-explorer__word").nth(q)


def active(page) -> tuple[str, int] | None:
    return page.evaluate("""() => { const a = document.activeElement;
      return a && a.dataset.index !== undefined ? [a.className.split(' ')[0], Number(a.dataset.index)] : null; }""")


def test_buttons_and_first_state_are_the_figure_data(visit, built_site):
    data = figure_data(built_site, FIGURE)
    v = visit(PAGE)
    w = widget(v.page, FIGURE, KIND)
    assert w.locator("button.sav-heads__head").all_inner_texts() == [t for t, _ in heads(data)]
    assert w.locator("button.sav-explorer__word").all_inner_texts() == data["tokens"]
    assert bar_texts(w)[0] == data["tokens"]
    assert data["tokens"][data["focus_index"]] == data["focus"]
    check(w, data, 0, data["focus_index"])
    assert w.locator(".sav-widget__readout").get_attribute("aria-live") == "polite"
    assert v.page.locator(f"#fig-{FIGURE} img").count() == 2
    after = v.page.evaluate(f"() => document.getElementById('fig-{FIGURE}').nextElementSibling.dataset.savWidget")
    assert after == KIND


def test_head_picker_answers_the_mouse(visit, built_site):
    data = figure_data(built_site, FIGURE)
    v = visit(PAGE)
    w = widget(v.page, FIGURE, KIND)
    q = data["focus_index"]
    seen = set()
    for h in range(len(data["head_names"])):
        head_button(w, h).click()
        check(w, data, h, q)
        seen.add(readout(w))
    assert len(seen) == len(data["head_names"]), "each head reads differently"
    last = len(data["head_names"]) - 1
    word_button(w, 1).hover()
    check(w, data, last, 1)
    word_button(w, 0).click()
    check(w, data, last, 0)


def test_head_picker_answers_the_keyboard(visit, built_site):
    data = figure_data(built_site, FIGURE)
    n_heads, q = len(data["head_names"]), data["focus_index"]
    v = visit(PAGE)
    page = v.page
    w = widget(page, FIGURE, KIND)
    page.locator(f"#fig-{FIGURE} a.sav-figure__more").focus()
    page.keyboard.press("Tab")
    assert active(page) == ["sav-heads__head", 0]
    page.keyboard.press("ArrowRight")
    assert active(page) == ["sav-heads__head", 1]
    check(w, data, 0, q)  # moving the focus does not choose
    page.keyboard.press("Enter")
    check(w, data, 1, q)
    page.keyboard.press("End")
    page.keyboard.press("Space")
    check(w, data, n_heads - 1, q)
    page.keyboard.press("ArrowRight")  # wraps to the first
    assert active(page) == ["sav-heads__head", 0]
    # one tab stop per row: the next Tab lands on the query word
    page.keyboard.press("Tab")
    assert active(page) == ["sav-explorer__word", q]
    page.keyboard.press("ArrowLeft")
    check(w, data, n_heads - 1, q - 1)
    page.keyboard.press("Home")
    check(w, data, n_heads - 1, 0)
    page.keyboard.press("Shift+Tab")
    assert active(page) == ["sav-heads__head", 0]


def test_head_picker_answers_touch(visit, built_site):
    data = figure_data(built_site, FIGURE)
    v = visit(PAGE, **PHONE)
    w = widget(v.page, FIGURE, KIND)
    head_button(w, 3).tap()
    check(w, data, 3, data["focus_index"])
    word_button(w, 2).tap()
    check(w, data, 3, 2)
    assert scroll_width(v.page) <= 390


def test_without_javascript_the_figure_stays_and_no_widget(visit):
    v = visit(PAGE, java_script_enabled=False)
    assert v.page.locator(f"#fig-{FIGURE} img").count() == 2
    assert v.page.locator(f"#fig-{FIGURE} img").first.get_attribute("alt")
    assert v.page.locator("[data-sav-widget]").count() == 0
