"""The softmax calculator under figure softmax-calculator (steps/softmax/ of the built site), in Chromium.

What these tests prove:

- its first state is the figure's data: the inputs hold the figure's q and K, the table's keys are
  the figure's tokens, and every intermediate (q · k, "q · k / √2 = s", e^s, the sum and each
  "e^s / sum = weight") is the string the figure draws (figures_src.kit.formats.fmt of the
  published JSON, as softmax_calculator.labels() and render() write them);
- an edit by keyboard (typing, and the arrow keys of a number input), by mouse and by touch updates
  every value to what attention_ref.scaled_dot_product_attention gives for the edited inputs
  (e^s = exp(scaled), the sum, each division), compared as formatted strings; the edit includes an
  exact tie (0.625, written "0.62" as Python rounds it) and negative numbers (a real minus);
- an empty or non-numeric field, or one out of range, shows a message naming that field, marks it
  aria-invalid, and the polite live region speaks the message; a valid entry clears it;
- the live region reads the weights; "Back to the figure's numbers" restores the first state;
- without JavaScript the static table (the figure's two <img>) is there and no widget;
- no console error and no request to another host.

It also measures (and prints, asserting nothing) the median time of one update over 40 inputs.
"""

from __future__ import annotations

import math
import statistics
import sys
from pathlib import Path

import numpy as np
import pytest
from site_pages import PHONE, figure_data  # conftest.py: site_url, browser, visit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from attention_ref import scaled_dot_product_attention  # noqa: E402
from figures_src.kit.formats import fmt  # noqa: E402

pytestmark = pytest.mark.browser

FIGURE, PAGE = "softmax-calculator", "steps/softmax/"
WIDGET = f'[data-sav-widget="calculator"][data-figure="{FIGURE}"]'
UPDATES = 40


def table_from(tokens, scores, scaled, exp, total, weights, d_k: int) -> dict:
    """The table's strings, as the figure draws them."""
    root = f"√{d_k}"
    rows = [
        [t, fmt(s, "f2"), f"{fmt(s, 'f2')} / {root} = {fmt(c, 'f2')}", fmt(e, "f2"),
         f"{fmt(e, 'f2')} / {fmt(total, 'f2')} = {fmt(w, 'pct')}"]
        for t, s, c, e, w in zip(tokens, scores, scaled, exp, weights, strict=True)
    ]
    return {"rows": rows, "sum": fmt(total, "f2"), "bars": [fmt(w, "pct") for w in weights]}


def figure_table(data: dict) -> dict:
    return table_from(data["tokens"], data["scores"], data["scaled"], data["exp"], data["exp_sum"],
                      data["weights"], data["d_k"])


def reference_table(tokens, q, k) -> dict:
    """attention_ref's numbers for query q (d_k,) and keys k (3, d_k), e^s and the sum as the figure takes them."""
    att = scaled_dot_product_attention(np.array([q], dtype=float), np.array(k, dtype=float), np.eye(len(k)))
    exp = [math.exp(s) for s in att.scaled[0]]
    return table_from(tokens, att.scores[0], att.scaled[0], exp, math.fsum(exp), att.weights[0], len(q))


def shown(w) -> dict:
    rows = w.locator("tbody tr").evaluate_all(
        "trs => trs.map(tr => [...tr.cells].map(c => c.textContent.replace(/\\u00a0/g, ' ').replace(/^▶ /, '')"
        ".trim()))")
    return {"rows": rows, "sum": w.locator(".sav-calc__sum").text_content().strip(),
            "bars": w.locator(".sav-bars__pct").all_inner_texts()}


def inputs(w):
    return w.locator("input[type=number]")


def input_values(w) -> tuple[list[float], list[list[float]]]:
    vals = [float(x) for x in inputs(w).evaluate_all("xs => xs.map(x => x.value)")]
    return vals[:2], [vals[2:4], vals[4:6], vals[6:8]]


def live(w) -> str:
    return w.locator(".sav-widget__readout").text_content().strip()


def expected_live(tokens, table) -> str:
    return "Weights: " + ", ".join(f"{t} {p}" for t, p in zip(tokens, table["bars"], strict=True)) + \
        f"; the exponentials add up to {table['sum']}."


def widget(page):
    w = page.locator(WIDGET)
    w.wait_for(state="visible")
    return w


def test_first_state_is_the_figure_data(visit, built_site):
    data = figure_data(built_site, FIGURE)
    v = visit(PAGE)
    w = widget(v.page)
    q, k = input_values(w)
    assert q == data["q"] and k == data["k"]
    assert shown(w) == figure_table(data)
    assert [r[0] for r in shown(w)["rows"]] == data["tokens"]
    labels = [label.strip() for label in w.locator("label").all_inner_texts()]
    assert labels == ["q₁", "q₂"] + ["k₁", "k₂"] * 3
    assert w.locator("legend").all_inner_texts() == ["the query q"] + [f"the key of “{t}”" for t in data["tokens"]]
    assert live(w) == expected_live(data["tokens"], figure_table(data))
    assert w.locator(".sav-widget__readout").get_attribute("aria-live") == "polite"
    assert w.get_by_role("button", name="Back to the figure’s numbers").is_disabled()
    # the static figure stays, before the widget
    assert v.page.locator(f"#fig-{FIGURE} img").count() == 2
    assert v.page.evaluate(f"() => document.getElementById('fig-{FIGURE}').nextElementSibling.dataset.savWidget") \
        == "calculator"


def test_typed_edits_update_every_value_to_attention_refs(visit, built_site):
    data = figure_data(built_site, FIGURE)
    tokens = data["tokens"]
    v = visit(PAGE)
    w = widget(v.page)
    new = ["0.5", "-1.5", "2", "0.25", "-1", "1", "0.5", "-0.5"]  # cat: 0.5*2 - 1.5*0.25 = 0.625, an exact tie
    for field, text in zip(inputs(w).all(), new, strict=True):
        field.fill(text)  # one input event per field, as typing ends
    q, k = [float(x) for x in new[:2]], [[float(x) for x in new[i:i + 2]] for i in (2, 4, 6)]
    ref = reference_table(tokens, q, k)
    assert ref["rows"][0][1] == "0.62", "the tie is rounded to even, as Python writes it"
    assert any("−" in cell for row in ref["rows"] for cell in row), "the edit has negative scores"
    assert shown(w) == ref
    assert live(w) == expected_live(tokens, ref)
    w.get_by_role("button", name="Back to the figure’s numbers").click()
    assert shown(w) == figure_table(data)


def test_arrow_keys_mouse_and_touch_edit_too(visit, built_site):
    data = figure_data(built_site, FIGURE)
    tokens = data["tokens"]
    v = visit(PAGE)
    page = v.page
    w = widget(page)
    inputs(w).first.focus()
    page.keyboard.press("Tab")  # q₂
    assert page.evaluate("() => document.activeElement.dataset.name") == "q, entry 2"
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    q, k = input_values(w)
    assert q[1] == pytest.approx(2.2)
    assert shown(w) == reference_table(tokens, q, k)
    # mouse: click into k₁ of "mat", select it, type
    field = inputs(w).nth(6)
    field.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("-3")
    q, k = input_values(w)
    assert k[2][0] == -3.0
    assert shown(w) == reference_table(tokens, q, k)
    assert live(w) == expected_live(tokens, reference_table(tokens, q, k))

    t = visit(PAGE, **PHONE)
    tw = widget(t.page)
    tfield = inputs(tw).nth(3)  # k₂ of "cat"
    tfield.scroll_into_view_if_needed()
    tfield.tap()
    t.page.keyboard.press("Control+A")
    t.page.keyboard.type("4.5")
    q, k = input_values(tw)
    assert k[0][1] == 4.5
    assert shown(tw) == reference_table(tokens, q, k)
    assert t.page.evaluate("() => document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize(
    "field, text, says",
    [
        (0, "", "q, entry 1 is empty"),
        (5, "", "k of “sat”, entry 2 is empty"),
        (7, "9", "k of “mat”, entry 2 must lie between −5 and 5"),
    ],
    ids=["empty-q", "empty-key", "out-of-range"],
)
def test_invalid_input_names_the_field(visit, built_site, field, text, says):
    data = figure_data(built_site, FIGURE)
    v = visit(PAGE)
    w = widget(v.page)
    target = inputs(w).nth(field)
    target.fill(text)
    error = w.locator(".sav-calc__error")
    assert error.is_visible() and error.inner_text().startswith(says)
    assert target.get_attribute("aria-invalid") == "true"
    assert live(w) == error.text_content().strip()
    assert shown(w) == figure_table(data), "the table keeps the last valid numbers"
    target.fill(str(data["q"][0]) if field == 0 else "1")
    assert not error.is_visible() and target.get_attribute("aria-invalid") is None
    q, k = input_values(w)
    assert shown(w) == reference_table(data["tokens"], q, k)


def test_a_letter_typed_into_a_field_is_reported_too(visit):
    """A number input keeps no letters: what it holds is then empty, and that is what the message says."""
    v = visit(PAGE)
    w = widget(v.page)
    target = inputs(w).nth(2)
    target.click()
    v.page.keyboard.press("Control+A")
    v.page.keyboard.type("e")  # "e" alone is not a number: the input reports an empty value
    assert w.locator(".sav-calc__error").inner_text().startswith("k of “cat”, entry 1 is empty")


def test_without_javascript_the_static_table_stays_and_no_widget(visit):
    v = visit(PAGE, java_script_enabled=False)
    assert v.page.locator(f"#fig-{FIGURE} img").count() == 2
    assert v.page.locator(f"#fig-{FIGURE} img").first.get_attribute("alt")
    assert v.page.locator(WIDGET).count() == 0


def test_update_time(visit, built_site, record_property):
    """Measured, not asserted: the median time of one update (input event, recomputation, layout)."""
    v = visit(PAGE)
    widget(v.page)
    v.page.wait_for_load_state("networkidle")
    times = v.page.evaluate(
        """async ([sel, n]) => {
          const root = document.querySelector(sel);
          const field = root.querySelectorAll("input[type=number]")[1];
          const times = [];
          for (let i = 0; i < n; i++) {
            await new Promise(frame => requestAnimationFrame(frame));
            field.value = String((i % 20) / 4 - 2.5);
            const t0 = performance.now();
            field.dispatchEvent(new Event("input", {bubbles: true}));
            root.getBoundingClientRect();
            times.push(performance.now() - t0);
          }
          return times;
        }""",
        [WIDGET, UPDATES],
    )
    median = statistics.median(times)
    record_property("calculator_update_median_ms", median)
    print(f"\ncalculator update: median {median:.3f} ms over {UPDATES} inputs "
          f"(min {min(times):.3f}, max {max(times):.3f})")
