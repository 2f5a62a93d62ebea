"""The same cases as test_attention_js.py, in node instead of Chromium: a fast check without a browser.

attention.js is one ES module with no dependencies and no DOM, so node (v20 here) imports it
from its file. One `node --input-type=module` process runs every golden, generated and bad-input
case; the assertions and the tolerance are the browser test's (jsharness.py). Skipped where node
is not installed; the browser test is the one that proves what readers' browsers do.
"""

from __future__ import annotations

import jsharness
import pytest

CASES = jsharness.all_cases()
BAD = {f"bad/{b.name}": b for b in jsharness.BAD_INPUT}


@pytest.fixture(scope="module")
def node(run_in_node):
    return jsharness.run_all(run_in_node)


def test_module_exports_exactly_the_api(node):
    assert node[0] == jsharness.API


@pytest.mark.parametrize("case_id", [i for i in CASES if not i.startswith("bad/")])
def test_case_matches_attention_ref(node, case_id):
    jsharness.assert_matches_reference(node[1][case_id], CASES[case_id])


def test_calls_leave_their_arguments_unchanged(node):
    jsharness.assert_arguments_unchanged(node[1])


@pytest.mark.parametrize("case_id", list(BAD))
def test_bad_input_throws_an_error_naming_the_argument(node, case_id):
    jsharness.assert_refused(node[1][case_id], BAD[case_id])
