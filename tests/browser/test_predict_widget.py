"""Predict, then reveal, on the five step pages of the built site, in Chromium.

What these tests prove, against each figure's published numbers (figures/<id>/<id>.json of the
built site, read in Python with the page's own data-key and formatted with the site's fmt):

- every step page has exactly one question block, followed by its "why" sentence, which cites a
  claim (the ✓ link); with scripts the choices are buttons, one per word of the figure's tokens
  for a "top" question, grows / shrinks / stays for a "direction" one;
- before a pick neither the answer nor the why sentence is on screen;
- a pick by mouse (click), keyboard (Tab and Enter or Space) or touch (tap) reveals the answer
  computed from the figure's data (the largest value's word and its number; or the direction and
  the two numbers), marks the pick (aria-pressed) and the answer (✓, "(the answer)"), shows the
  why sentence, and the polite live region says "You picked X; ... Y (32.2%)." exactly;
- "Just show the answer" reveals without a pick;
- without JavaScript the answer is in the page, in the block's <details>, and the why sentence is shown;
- no console error and no request to another host on any page visited.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from site_pages import PHONE, figure_data  # conftest.py: site_url, browser, visit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from figures_src.kit.common import word_keys  # noqa: E402
from figures_src.kit.formats import fmt  # noqa: E402
from figures_src.kit.jsonable import lookup  # noqa: E402

pytestmark = pytest.mark.browser

PAGES = ["steps/qkv/", "steps/scores/", "steps/scaling/", "steps/softmax/", "steps/weighted-sum/"]
DIRECTIONS = ["grows", "shrinks", "stays"]
BLOCK = ".sav-predict[data-figure]"


def spec_of(page) -> dict:
    """The block's data-* attributes, as the page wrote them."""
    return page.locator(BLOCK).evaluate("b => ({...b.dataset})")


def expected(site: Path, spec: dict) -> dict:
    """The choices, the right ones, the reveal and the verdict for each pick, from the figure's data."""
    data = figure_data(site, spec["figure"])
    style = spec.get("format", "pct")
    says = spec.get("says", "")
    if spec["question"] == "top":
        words = lookup(data, spec.get("words", "tokens"))
        values = lookup(data, spec["key"])
        if isinstance(values, dict):  # a {word key: value} table (keyed); the published JSON sorts its keys
            values = [values[k] for k in word_keys(words)]
        best = max(values)
        right = [j for j, v in enumerate(values) if v == best]
        named = " and ".join(f"“{words[j]}”" for j in right)
        return {"choices": words, "right": right, "reveal": f"The answer: {named}, {fmt(best, style)}.",
                "tail": f"; {says} {named} ({fmt(best, style)}).", "numbers": [fmt(best, style)]}
    before, after = (fmt(lookup(data, spec[k]), style) for k in ("key", "after"))
    raw_b, raw_a = lookup(data, spec["key"]), lookup(data, spec["after"])
    direction = "stays" if before == after else "grows" if raw_a > raw_b else "shrinks"
    change = f"stays at {after}" if direction == "stays" else f"{direction}, from {before} to {after}"
    return {"choices": DIRECTIONS, "right": [DIRECTIONS.index(direction)], "reveal": f"The answer: it {change}.",
            "tail": f"; {says} {change}.", "numbers": [before, after]}


def ready(page):
    block = page.locator(BLOCK)
    block.locator("[data-sav-widget=predict]").wait_for(state="visible")
    return block


def choices(block):
    return block.locator(".sav-predict__choice")


def live_text(block) -> str:
    return block.locator(".sav-predict__live").text_content().strip()


def reveal_text(block) -> str:
    return " ".join(block.locator(".sav-predict__reveal").inner_text().split())


def why(page):
    return page.locator(f"{BLOCK} + p.sav-predict__why")


def wrong_choice(exp: dict) -> int:
    return next(j for j in range(len(exp["choices"])) if j not in exp["right"])


def check_revealed(page, block, exp: dict, picked: int | None) -> None:
    verdict = ("You did not pick" if picked is None else f"You picked “{exp['choices'][picked]}”") + exp["tail"]
    assert live_text(block) == verdict
    lead = "" if picked is None else "Right. " if picked in exp["right"] else "Not this time. "
    assert reveal_text(block) == (lead + exp["reveal"]).strip()
    pressed = choices(block).evaluate_all("bs => bs.map(b => b.getAttribute('aria-pressed'))")
    assert pressed == ["true" if j == picked else "false" for j in range(len(exp["choices"]))]
    for j in exp["right"]:
        assert "(the answer)" in choices(block).nth(j).text_content()
        assert "✓" in choices(block).nth(j).inner_text()
    assert why(page).is_visible()


@pytest.mark.parametrize("path", PAGES)
def test_one_block_per_page_with_choices_from_the_figure_and_nothing_revealed(visit, built_site, path):
    v = visit(path)
    assert v.page.locator(BLOCK).count() == 1
    block = ready(v.page)
    exp = expected(built_site, spec_of(v.page))
    assert [t.strip() for t in choices(block).all_inner_texts()] == exp["choices"]
    assert choices(block).evaluate_all("bs => bs.every(b => b.tagName === 'BUTTON' && b.type === 'button')")
    # nothing of the answer on screen before a pick
    assert not block.locator("details.sav-predict__answer").is_visible()
    assert not block.locator(".sav-predict__reveal").is_visible()
    assert not why(v.page).is_visible()
    live = block.locator(".sav-predict__live")
    assert live.get_attribute("aria-live") == "polite" and live_text(block) == ""
    # the why sentence cites a claim the build checked
    assert why(v.page).locator("a.sav-claim").count() >= 1


@pytest.mark.parametrize("path", PAGES)
def test_a_click_reveals_the_answer_computed_from_the_figure_data(visit, built_site, path):
    v = visit(path)
    block = ready(v.page)
    exp = expected(built_site, spec_of(v.page))
    wrong = wrong_choice(exp)
    choices(block).nth(wrong).click()
    check_revealed(v.page, block, exp, wrong)
    right = exp["right"][0]
    choices(block).nth(right).click()  # another pick after the reveal: the verdict follows it
    check_revealed(v.page, block, exp, right)
    print(f"\n{path}: {live_text(block)}")


@pytest.mark.parametrize("path", ["steps/softmax/", "steps/scaling/"])
def test_the_keyboard_picks_with_tab_and_enter_or_space(visit, built_site, path):
    v = visit(path)
    page = v.page
    block = ready(page)
    exp = expected(built_site, spec_of(page))
    choices(block).first.focus()
    page.keyboard.press("Tab")  # every choice is a tab stop, in order
    assert page.evaluate("() => document.activeElement.dataset.index") == "1"
    page.keyboard.press("Enter")
    check_revealed(page, block, exp, 1)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Space")
    check_revealed(page, block, exp, 0)


def test_just_show_the_answer_reveals_without_a_pick_and_keeps_the_focus_in_the_widget(visit, built_site):
    v = visit("steps/weighted-sum/")
    block = ready(v.page)
    exp = expected(built_site, spec_of(v.page))
    show = block.get_by_role("button", name="Just show the answer")
    show.focus()
    v.page.keyboard.press("Enter")
    check_revealed(v.page, block, exp, None)
    assert not show.is_visible()
    assert v.page.evaluate("() => document.activeElement.dataset.index") == str(exp["right"][0])


@pytest.mark.parametrize("path", ["steps/qkv/", "steps/weighted-sum/"])
def test_a_tap_picks_on_a_phone(visit, built_site, path):
    v = visit(path, **PHONE)
    block = ready(v.page)
    exp = expected(built_site, spec_of(v.page))
    choices(block).nth(exp["right"][0]).tap()
    check_revealed(v.page, block, exp, exp["right"][0])
    assert v.page.evaluate("() => document.documentElement.scrollWidth") <= 390


@pytest.mark.parametrize("path", PAGES)
def test_without_javascript_the_answer_and_the_why_are_in_the_page(visit, built_site, path):
    v = visit(path, java_script_enabled=False)
    block = v.page.locator(BLOCK)
    assert block.count() == 1 and v.page.locator("[data-sav-widget]").count() == 0
    exp = expected(built_site, spec_of(v.page))
    details = block.locator("details.sav-predict__answer")
    details.locator("summary").click()
    text = details.inner_text()
    for number in exp["numbers"]:
        assert number in text, f"{number!r} not in the static answer {text!r}"
    if spec_of(v.page)["question"] == "top":
        named = [exp["choices"][j] for j in exp["right"]]
        assert all(f"“{w}”" in text for w in named)
    else:
        assert f"It {DIRECTIONS[exp['right'][0]]}" in text
    assert why(v.page).is_visible()
