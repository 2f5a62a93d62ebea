"""The widgets of generating/ in Chromium: the step button (widgets/decode-steps.js) and the
temperature slider (widgets/temperature.js), against their figures' JSON and attention_ref.

The step button is pressed, by mouse and by keyboard: each press shows the keys the new word
reads (cached or new) with the weights attention_ref's `decode` gives; after the prompt, Greedy
writes the hand-made scores' top word and Sample writes the word `sample_index` picks with
mulberry32's first draw for the seed shown (changed here to other seeds: the same seed always
gives the same word). The slider, moved by the keyboard, redraws softmax(logits / temperature).
Without JavaScript the figures stay and no widget appears; no console error, no other host.
"""

from __future__ import annotations

import numpy as np
import pytest
from site_pages import PHONE, bar_texts, figure_data, readout, scroll_width, widget

from attention_ref import decode, decode_step, sample_index, softmax_with_temperature, uniform_draws
from figures_src.kit.formats import fmt

pytestmark = pytest.mark.browser

PAGE = "generating/"
STEPS, TEMPERATURE = "generation-steps", "decoding-temperature"
SEEDS = (16, 36, 6)  # draw three different words (checked below)


def expected_steps(data):
    return decode(np.asarray(data["x"]), np.asarray(data["w_q"]), np.asarray(data["w_k"]), np.asarray(data["w_v"]))


def chosen_step(data, index):
    """The step of the chosen next word: its vector against the prompt's cache."""
    prompt = expected_steps(data)[data["prompt_length"] - 1]
    vec = np.asarray(data["next"]["vectors"][index])
    return decode_step(vec, np.asarray(data["w_q"]), np.asarray(data["w_k"]), np.asarray(data["w_v"]), prompt.cache)


def test_step_button_reads_the_cached_keys_and_greedy_writes_the_top_word(visit, built_site):
    data = figure_data(built_site, STEPS)
    v = visit(PAGE)
    w = widget(v.page, STEPS, "decode-steps")
    step = w.get_by_role("button", name="Next step")
    assert w.locator(".sav-bars__row").count() == 0 and "nothing yet" in w.inner_text()
    steps = expected_steps(data)
    for t in range(data["prompt_length"]):
        step.click()
        words, pcts = bar_texts(w)
        keys = data["tokens"][: t + 1]
        assert words == [f"{k} (cached)" for k in keys[:-1]] + [f"{keys[-1]} (new)"]
        assert pcts == [fmt(float(x), "pct") for x in steps[t].weights]
        assert f"reads {t + 1} keys, {t} from the cache" in readout(w)
        assert w.locator(".sav-widget__readout").get_attribute("aria-live") == "polite"
    assert w.get_by_role("button", name="Greedy").get_attribute("aria-pressed") == "true"
    step.click()  # the choice: greedy takes the top word of the hand-made scores
    greedy = data["next"]["candidates"].index(data["next"]["greedy"])
    words, pcts = bar_texts(w)
    assert words[-1] == f"{data['next']['greedy']} (new)"
    assert pcts == [fmt(float(x), "pct") for x in chosen_step(data, greedy).weights]
    assert "greedy takes the most likely word" in readout(w)
    assert w.get_by_role("button", name="The example stops here").is_disabled()
    v.clean()


@pytest.mark.parametrize("seed", SEEDS)
def test_sample_draws_the_word_the_seed_gives(visit, built_site, seed):
    data = figure_data(built_site, STEPS)
    p = softmax_with_temperature(np.asarray(data["next"]["logits"]), 1.0)
    u = float(uniform_draws(seed, 1)[0])
    index = sample_index(p, u)
    v = visit(PAGE)
    w = widget(v.page, STEPS, "decode-steps")
    w.get_by_role("button", name="Sample").click()
    seed_box = w.get_by_label("Seed")
    seed_box.fill(str(seed))
    # by keyboard: focus the step button and press Enter once per step
    w.get_by_role("button", name="Next step").focus()
    for _ in range(data["prompt_length"] + 1):
        v.page.keyboard.press("Enter")
    words, pcts = bar_texts(w)
    assert words[-1] == f"{data['next']['candidates'][index]} (new)"
    assert pcts == [fmt(float(x), "pct") for x in chosen_step(data, index).weights]
    assert f"seed {seed} draws u = {u:.3f}" in readout(w)
    first = readout(w)
    w.get_by_role("button", name="Start over").click()
    assert w.locator(".sav-bars__row").count() == 0
    for _ in range(data["prompt_length"] + 1):
        w.get_by_role("button", name="Next step").click()
    assert readout(w) == first  # the same seed draws the same word again
    v.clean()


def test_the_seeds_tried_draw_more_than_one_word(built_site):
    """The seeds of the sampling test draw three different words, so it can tell them (and greedy) apart."""
    data = figure_data(built_site, STEPS)
    p = softmax_with_temperature(np.asarray(data["next"]["logits"]), 1.0)
    picks = {sample_index(p, float(uniform_draws(s, 1)[0])) for s in SEEDS}
    assert len(picks) == len(SEEDS)


def test_temperature_slider_redraws_the_distribution(visit, built_site):
    data = figure_data(built_site, TEMPERATURE)
    v = visit(PAGE)
    w = widget(v.page, TEMPERATURE, "temperature")
    slider = w.locator("input[type=range]")

    def check():
        t = 2 ** float(slider.input_value())
        p = softmax_with_temperature(np.asarray(data["logits"]), t)
        words, pcts = bar_texts(w)
        assert words == data["candidates"]
        assert pcts == [fmt(float(x), "pct") for x in p], f"temperature {t}"
        assert readout(w).startswith(f"Temperature {fmt(t, 'f2')}: {data['greedy']} {fmt(float(p.max()), 'pct')}")
        return t, readout(w)

    t1, start = check()
    assert t1 == 1.0
    assert [fmt(x, "pct") for x in data["probabilities"]["1"]] == bar_texts(w)[1]
    slider.focus()
    v.page.keyboard.press("ArrowLeft")
    t_low, low = check()
    assert t_low < 1 and low != start
    v.page.keyboard.press("End")
    t_high, high = check()
    assert t_high > 1 and high != low
    w.get_by_role("button", name="Back to temperature 1").click()
    assert check()[1] == start
    v.clean()


def test_phone_width_and_no_script(visit):
    t = visit(PAGE, **PHONE)
    widget(t.page, STEPS, "decode-steps")
    widget(t.page, TEMPERATURE, "temperature")
    assert scroll_width(t.page) <= 390
    t.clean()
    v = visit(PAGE, java_script_enabled=False)
    for fig in (STEPS, TEMPERATURE, "kv-cache-cost", "kv-cache-step"):
        assert v.page.locator(f"#fig-{fig} img").count() == 2
    assert v.page.locator("[data-sav-widget]").count() == 0
