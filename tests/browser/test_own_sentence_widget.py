"""The "Try your own sentence" widget of docs/trained-model.md, in the built site, in Chromium.

The site is the `built_site` fixture's (tests/conftest.py), served on 127.0.0.1; every request is
routed and anything for another host is aborted and recorded. The widget needs the model files
at assets/models/ (figures_src/site/model_export.py, written by the site build); without them
every test here skips, saying so.

Checked, in both palettes and at a desktop and a phone width:

- nothing of the model is fetched before the first submit (the page stays light);
- the field is prefilled with the seed sentence; submitting (Enter in the field, like a
  keyboard user) shows attention_ref's prediction and probability, formatted as the site's
  `pct`, and one bar per word with its word and the reference head's weight from "it";
- an unknown word puts attention_ref's message (the word and the nearest known words) in
  the polite live region and hides the old bars; a sentence without "it" names that;
- the vocabulary opens in its <details> and lists every word the model knows;
- no console error and no request to another host.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from attention_ref import corpus_config
from attention_ref.tiny_model import load_tiny_model

pytestmark = pytest.mark.browser

PAGE = "trained-model/"
MODEL_JSON = Path("assets/models/tiny-model.json")
WIDTHS = {"desktop": 1280, "phone": 390}
WIDE = corpus_config().showcase[1]
UNKNOWN = "The anmal didn't cross the street because it was too tired"


def pct(x: float) -> str:
    return f"{100 * x:.1f}%"  # figures_src/kit/formats.py's "pct"


@pytest.fixture(scope="module")
def site_url(site_url, built_site):
    """conftest.py's server of the built site, without the trailing '/' (the paths here start with one)."""
    if not (built_site / MODEL_JSON).is_file():
        pytest.skip(f"the built site has no {MODEL_JSON} (the site build writes it: figures_src/site/model_export.py)")
    return site_url.rstrip("/")


def open_page(browser, site_url, *, width: int, scheme: str):
    phone = width < 600
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, is_mobile=phone, has_touch=phone
    )
    page = context.new_page()
    seen = {"foreign": [], "errors": [], "requests": []}

    def route(r):
        if r.request.url.startswith(site_url + "/"):
            seen["requests"].append(r.request.url)
            r.continue_()
        else:
            seen["foreign"].append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and seen["errors"].append(m.text))
    page.on("pageerror", lambda e: seen["errors"].append(str(e)))
    page.goto(f"{site_url}/{PAGE}")
    page.wait_for_load_state("load")
    return context, page, seen


def run_sentence(page, sentence: str | None = None) -> None:
    field = page.locator("#own-sentence-input")
    if sentence is not None:
        field.fill(sentence)
    field.press("Enter")  # the keyboard's way; a tap on the button submits the same form
    page.wait_for_function(
        "() => !/Running|loads when/.test(document.getElementById('own-sentence-status').textContent)"
    )


def bars(page) -> list[tuple[str, str]]:
    items = page.locator("#own-sentence-result li")
    return [
        (
            items.nth(i).locator(".sav-own-sentence__word").inner_text(),
            items.nth(i).locator(".sav-own-sentence__pct").inner_text(),
        )
        for i in range(items.count())
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", list(WIDTHS))
def test_seed_sentence_shows_attention_refs_prediction_and_bars(browser, site_url, kind, scheme):
    context, page, seen = open_page(browser, site_url, width=WIDTHS[kind], scheme=scheme)
    try:
        assert not any("/assets/models/" in u or "tiny-model.js" in u for u in seen["requests"]), (
            "the model was fetched before the first submit"
        )
        seed = corpus_config().showcase[0]
        assert page.locator("label[for=own-sentence-input]").inner_text().strip(), "the field has no label"
        assert page.locator("#own-sentence-input").input_value() == seed
        run_sentence(page)
        model = load_tiny_model()
        ref = model.forward(seed)
        layer, head = model.manifest["reference_head"]["layer"], model.manifest["reference_head"]["head"]
        row = ref.attention[layer, head, ref.query_index]
        answer = page.locator(".sav-own-sentence__answer").inner_text()
        assert ref.prediction in answer and pct(ref.probability) in answer, answer
        assert bars(page) == [(w, pct(x)) for w, x in zip(ref.tokens, row, strict=True)]
        status = page.locator("#own-sentence-status")
        assert status.get_attribute("aria-live") == "polite"
        assert ref.prediction in status.inner_text()
        overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"the page scrolls sideways by {overflow} px at {WIDTHS[kind]} px"
        assert seen["foreign"] == [] and seen["errors"] == []
    finally:
        context.close()


def test_another_sentence_then_an_unknown_word_then_no_it(browser, site_url):
    context, page, seen = open_page(browser, site_url, width=WIDTHS["desktop"], scheme="light")
    try:
        run_sentence(page, WIDE)
        ref = load_tiny_model().forward(WIDE)
        assert ref.prediction in page.locator(".sav-own-sentence__answer").inner_text()
        assert len(bars(page)) == len(ref.tokens)

        run_sentence(page, UNKNOWN)
        with pytest.raises(ValueError) as info:
            load_tiny_model().forward(UNKNOWN)
        status = page.locator("#own-sentence-status").inner_text()
        assert status == str(info.value)
        assert "'anmal'" in status and "nearest known words: animal" in status
        assert page.locator("#own-sentence-result").is_hidden()

        run_sentence(page, "The animal didn't cross the street")
        assert "'it' exactly once" in page.locator("#own-sentence-status").inner_text()
        assert seen["foreign"] == [] and seen["errors"] == []
    finally:
        context.close()


def test_vocabulary_lists_every_known_word(browser, site_url):
    context, page, seen = open_page(browser, site_url, width=WIDTHS["desktop"], scheme="light")
    try:
        page.locator("#own-sentence-words summary").click()
        page.wait_for_function("() => document.getElementById('own-sentence-words').dataset.filled === 'yes'")
        text = page.locator("#own-sentence-vocabulary").inner_text()
        listed = {w.strip(" .") for line in text.splitlines() if ":" in line for w in line.split(":", 1)[1].split(",")}
        assert listed == set(load_tiny_model().vocabulary) - {"<pad>"}
        assert seen["foreign"] == [] and seen["errors"] == []
    finally:
        context.close()
