"""The golden cases of attention.js cannot go stale, and the module stays pure math.

No browser needed. The committed tests/golden/attention_js_cases.json must be what
tests/golden/make_js_golden.py makes now from attention_ref: the same cases with the same inputs
bit for bit, and the same expected values to 1e-12 relative (not byte for byte: numpy's BLAS may
round a dot product differently on another machine, and that must not fail the test). Each bad
input that attention_ref also checks must be refused by attention_ref too, with the matching
class (TypeError for a TypeError, ValueError for a RangeError), so the JavaScript checks mirror
the reference instead of inventing their own rules.
"""

from __future__ import annotations

import re

import jsharness
import pytest

STALE_RTOL = 1e-12  # the same numpy on another machine: only the last bits of a BLAS dot product may move
STALE_FLOOR = 1e-14
REGENERATE = "regenerate with `python tests/golden/make_js_golden.py` and review the diff"


def test_committed_golden_cases_are_what_the_script_makes_now():
    committed = jsharness.committed_cases()
    fresh = jsharness.decode(jsharness.golden.render())["cases"]
    assert [c["name"] for c in committed] == [c["name"] for c in fresh], REGENERATE
    for old, new in zip(committed, fresh, strict=True):
        inputs = ("fn", "args", "options")
        assert jsharness.encode({k: old.get(k) for k in inputs}) == jsharness.encode(
            {k: new.get(k) for k in inputs}
        ), f"{old['name']}: the inputs changed; {REGENERATE}"
        problems = jsharness.mismatches(old["expected"], new["expected"], rtol=STALE_RTOL, floor=STALE_FLOOR)
        assert not problems, f"{old['name']}: attention_ref's answer changed; {REGENERATE}\n" + "\n".join(problems)


def test_golden_cases_cover_every_function_but_shape():
    covered = {c["fn"] for c in jsharness.committed_cases()}
    assert covered == set(jsharness.API) - {"shape"}  # shape is exercised by every call's checks


@pytest.mark.parametrize("bad", [b for b in jsharness.BAD_INPUT if b.py], ids=lambda b: b.name)
def test_attention_ref_refuses_the_same_bad_input_with_the_matching_class(bad):
    expected = {"TypeError": TypeError, "RangeError": ValueError}[bad.error]
    with pytest.raises((TypeError, ValueError)) as info:
        jsharness.reference(bad.fn, bad.args, bad.options)
    assert isinstance(info.value, expected), f"attention_ref raised {info.type.__name__}: {info.value}"


def test_module_imports_nothing_and_touches_no_page():
    source = jsharness.MODULE.read_text(encoding="utf-8")
    code = re.sub(r"//[^\n]*|/\*.*?\*/", "", source, flags=re.S)  # the comments may say "no DOM"
    forbidden = {
        "an import": r"^\s*import\b|\bimport\s*\(|\brequire\s*\(",
        "the DOM": r"\b(document|window|globalThis|navigator|localStorage)\b",
        "the network": r"\b(fetch|XMLHttpRequest|WebSocket)\b|https?://",
    }
    found = {what: re.findall(pattern, code, flags=re.M) for what, pattern in forbidden.items()}
    assert not any(found.values()), {what: hits for what, hits in found.items() if hits}
