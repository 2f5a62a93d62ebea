"""attention.js in Chromium gives attention_ref's numbers, and refuses bad input by name.

The module is served on 127.0.0.1 and imported into an empty page of Debian's Chromium (see
conftest.py); every case runs in one page.evaluate, and the tests then read the results:

- each committed golden case (tests/golden/attention_js_cases.json: softmax with -Infinity,
  fully masked rows and scores up to 1e308; attention with masks, causal, T_q != T_k, T = 1,
  batch dimensions, a custom scale, magnitudes from 1e-100 to 1e100; multi-head with 1 to 3
  heads; positional encoding; entropy; the helpers) matches attention_ref;
- so does each of the generated cases (random shapes, masks, batch dimensions, options and
  magnitudes from a fixed seed), computed live with attention_ref;
- each bad input throws an Error of the right class whose message names the argument and the
  shapes (the message is part of the contract, so it is matched with a regex);
- no call modifies its arguments (a widget passes its figure's data straight in);
- the module exports exactly its API, asks no other host for anything and logs no error.

The tolerance (relative 1e-9, plus 1e-12 of the array's largest magnitude for entries near
zero) is explained in jsharness.py: both sides are float64 and follow the same steps.
"""

from __future__ import annotations

import jsharness
import pytest

pytestmark = pytest.mark.browser

CASES = jsharness.all_cases()
BAD = {f"bad/{b.name}": b for b in jsharness.BAD_INPUT}


@pytest.fixture(scope="module")
def chromium(js_page):
    exports, results = jsharness.run_all(js_page.run)
    return exports, results, js_page


def test_module_exports_exactly_the_api(chromium):
    exports, _, _ = chromium
    assert exports == jsharness.API


@pytest.mark.parametrize("case_id", [i for i in CASES if i.startswith("golden/")])
def test_golden_case_matches_attention_ref(chromium, case_id):
    jsharness.assert_matches_reference(chromium[1][case_id], CASES[case_id])


@pytest.mark.parametrize("case_id", [i for i in CASES if i.startswith("random/")])
def test_generated_case_matches_attention_ref(chromium, case_id):
    jsharness.assert_matches_reference(chromium[1][case_id], CASES[case_id])


def test_calls_leave_their_arguments_unchanged(chromium):
    jsharness.assert_arguments_unchanged(chromium[1])


@pytest.mark.parametrize("case_id", list(BAD))
def test_bad_input_throws_an_error_naming_the_argument(chromium, case_id):
    jsharness.assert_refused(chromium[1][case_id], BAD[case_id])


def test_module_asks_no_other_host_and_logs_no_error(chromium):
    _, _, page = chromium
    assert page.foreign_requests == []
    assert page.console_errors == []


def test_typed_array_rows_give_the_same_plain_arrays(js_page):
    """A widget may hold its vectors in Float64Arrays: the results are the same, as plain Arrays."""
    same, plain = js_page.page.evaluate(
        """async (url) => {
          const A = await import(url);
          const rows = [[0.5, -1, 2], [1, 0.25, 0], [-0.75, 1, 1]];
          const typed = rows.map((r) => Float64Array.from(r));
          const a = A.scaledDotProductAttention(rows, rows, rows, { causal: true });
          const b = A.scaledDotProductAttention(typed, typed, typed, { causal: true });
          const isPlain = (x) => !Array.isArray(x) ? typeof x === "number" : x.every(isPlain);
          return [JSON.stringify(a) === JSON.stringify(b), isPlain(b.output) && isPlain(A.softmax(typed))];
        }""",
        js_page.module_url,
    )
    assert same, "Float64Array rows gave other numbers than plain arrays"
    assert plain, "a result holds a typed array"
