"""The mask toggles of masking/ (widgets/mask-toggle.js under figure padding-mask), in Chromium.

What these tests prove, against the figure's own published numbers (figures/padding-mask/padding-mask.json
of the built site) and attention_ref, every number compared as the site formats it
(figures_src.kit.formats.fmt(x, "pct")), so that JavaScript's float64 and numpy's may differ in
the last bits without a tolerance to choose:

- the table's column headers are the padded row's tokens (pads included) and its row headers the
  real words; the first state (padding on, causal off) is the figure's `weights_masked`, with the pad
  columns saying "masked";
- each of the four states the two toggle buttons give equals
  attention_ref.scaled_dot_product_attention(q, k, v, mask=..., causal=...) on the figure's q, k, v;
  padding off is the figure's `weights_unmasked`, and with both masks on the real words' block is
  the causal-mask figure's `weights` (the same sentence alone, with the causal mask);
- the buttons say their state in text and in aria-pressed; they answer the mouse, the keyboard
  (Tab, Space, Enter) and touch; the polite live region reads how many words (and pads) the focus
  word may attend to and its top word;
- with JavaScript off the static figure stays and no widget appears;
- no console error and no request to another host.
"""

from __future__ import annotations

import numpy as np
import pytest
from site_pages import PHONE, figure_data, readout, scroll_width, widget

from attention_ref import scaled_dot_product_attention
from figures_src.kit.formats import fmt

pytestmark = pytest.mark.browser

FIGURE, PAGE, KIND = "padding-mask", "masking/", "mask-toggle"
PAD = "<pad>"
STATES = [(False, True), (True, True), (False, False), (True, False)]  # (causal, padding)


def ids(state):
    return f"causal-{'on' if state[0] else 'off'}-padding-{'on' if state[1] else 'off'}"


def reference(data: dict, causal: bool, padding: bool):
    """attention_ref on the figure's padded row: the real words' rows of weights and of the mask."""
    valid = np.asarray(data["valid"][data["short"]], dtype=bool)
    mask = valid[None, :] if padding else None
    att = scaled_dot_product_attention(np.asarray(data["q"]), np.asarray(data["k"]), np.asarray(data["v"]),
                                       mask=mask, causal=causal)
    n = data["n_real"]
    allowed = att.mask[:n] if att.mask is not None else np.ones((n, data["length"]), dtype=bool)
    return att.weights[:n], allowed


def cells_of(weights, allowed) -> list[list[str]]:
    return [[fmt(float(w), "pct") if a else "masked" for w, a in zip(row, arow, strict=True)]
            for row, arow in zip(weights, allowed, strict=True)]


def expected_readout(data: dict, causal: bool, padding: bool) -> str:
    weights, allowed = reference(data, causal, padding)
    tokens, i = data["tokens"][data["short"]], data["focus_index"]
    words = sum(1 for a, t in zip(allowed[i], tokens, strict=True) if a and t != PAD)
    pads = sum(1 for a, t in zip(allowed[i], tokens, strict=True) if a and t == PAD)
    top = int(np.argmax(weights[i]))
    what = f"{words} word{'' if words == 1 else 's'}" + (f" and {pads} pad{'' if pads == 1 else 's'}" if pads else "")
    on = {True: "on", False: "off"}
    return (f"causal {on[causal]}, padding {on[padding]}: “{data['focus']}” may attend to {what}; "
            f"most to “{tokens[top]}” {fmt(float(weights[i][top]), 'pct')}")


def table_cells(w) -> list[list[str]]:
    return w.locator("tbody tr").evaluate_all(
        "rows => rows.map(r => [...r.querySelectorAll('td')].map(td => td.textContent))")


def state_of(w) -> tuple[bool, bool]:
    pressed = {b.get_attribute("data-mask"): b.get_attribute("aria-pressed")
               for b in w.locator("button.sav-mask__toggle").all()}
    return pressed["causal"] == "true", pressed["padding"] == "true"


def button(w, name: str):
    return w.get_by_role("button", name=name, exact=False)


def check_state(w, data, causal, padding):
    assert state_of(w) == (causal, padding)
    for name, on in (("causal", causal), ("padding", padding)):
        assert button(w, name).inner_text().split() == [name, "on" if on else "off"]
    assert table_cells(w) == cells_of(*reference(data, causal, padding)), ids((causal, padding))
    assert readout(w) == expected_readout(data, causal, padding)


def test_headers_and_first_state_are_the_figure_data(visit, built_site):
    data = figure_data(built_site, FIGURE)
    v = visit(PAGE)
    w = widget(v.page, FIGURE, KIND)
    tokens, n = data["tokens"][data["short"]], data["n_real"]
    assert w.locator("thead th").all_inner_texts()[1:] == tokens
    assert [x.strip() for x in w.locator("tbody th").all_inner_texts()] == tokens[:n]
    assert state_of(w) == (False, True)  # padding on, causal off: the figure's right panel
    blocked = [[c >= n for c in range(data["length"])] for _ in range(n)]
    figure_cells = [["masked" if b else fmt(x, "pct") for x, b in zip(row, brow, strict=True)]
                    for row, brow in zip(data["weights_masked"], blocked, strict=True)]
    assert table_cells(w) == figure_cells
    check_state(w, data, False, True)
    assert w.locator(".sav-widget__readout").get_attribute("aria-live") == "polite"
    # the static figure is still there, and the widget follows it
    assert v.page.locator(f"#fig-{FIGURE} img").count() == 2
    after = v.page.evaluate(f"() => document.getElementById('fig-{FIGURE}').nextElementSibling.dataset.savWidget")
    assert after == KIND


def test_every_state_equals_attention_ref_mouse(visit, built_site):
    """Clicking through the four states; each table is attention_ref's weights on the figure's q, k, v."""
    data = figure_data(built_site, FIGURE)
    causal_fig = figure_data(built_site, "causal-mask")
    v = visit(PAGE)
    w = widget(v.page, FIGURE, KIND)
    n = data["n_real"]
    button(w, "causal").click()
    check_state(w, data, True, True)
    # both masks: the real words' block is the causal-mask figure (the sentence alone, causal)
    assert [row[:n] for row in table_cells(w)] == cells_of(
        np.asarray(causal_fig["weights"]), np.asarray(causal_fig["mask"], dtype=bool))
    button(w, "padding").click()
    check_state(w, data, True, False)
    button(w, "causal").click()
    check_state(w, data, False, False)
    assert table_cells(w) == [[fmt(x, "pct") for x in row] for row in data["weights_unmasked"]]
    button(w, "padding").click()
    check_state(w, data, False, True)


def test_toggles_answer_the_keyboard(visit, built_site):
    data = figure_data(built_site, FIGURE)
    v = visit(PAGE)
    page = v.page
    w = widget(page, FIGURE, KIND)
    page.locator(f"#fig-{FIGURE} a.sav-figure__more").focus()
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.mask") == "causal"
    page.keyboard.press("Space")
    check_state(w, data, True, True)
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.dataset.mask") == "padding"
    page.keyboard.press("Enter")
    check_state(w, data, True, False)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    check_state(w, data, False, False)
    # the table scrolls on a narrow screen: it is the next tab stop, so the keyboard can scroll it
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.classList.contains('sav-mask__scroll')")


def test_toggles_answer_touch(visit, built_site):
    data = figure_data(built_site, FIGURE)
    v = visit(PAGE, **PHONE)
    w = widget(v.page, FIGURE, KIND)
    button(w, "causal").tap()
    check_state(w, data, True, True)
    button(w, "padding").tap()
    check_state(w, data, True, False)
    assert scroll_width(v.page) <= 390  # the table scrolls in its box, the page does not


@pytest.mark.parametrize("state", STATES, ids=ids)
def test_live_region_reads_the_focus_row(visit, built_site, state):
    data = figure_data(built_site, FIGURE)
    v = visit(PAGE)
    w = widget(v.page, FIGURE, KIND)
    for name, want in zip(("causal", "padding"), state, strict=True):
        if dict(zip(("causal", "padding"), state_of(w), strict=True))[name] != want:
            button(w, name).click()
    assert readout(w) == expected_readout(data, *state)


def test_without_javascript_the_figure_stays_and_no_widget(visit):
    v = visit(PAGE, java_script_enabled=False)
    assert v.page.locator(f"#fig-{FIGURE} img").count() == 2
    assert v.page.locator(f"#fig-{FIGURE} img").first.get_attribute("alt")
    assert v.page.locator("[data-sav-widget]").count() == 0
