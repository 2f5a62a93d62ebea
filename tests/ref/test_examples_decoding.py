"""The [decoding] section of the examples file (docs/generating.md): it loads, and a broken copy is named."""

from __future__ import annotations

import pytest
from test_examples_file import MINIMAL, write

from attention_ref import ExampleError, load_examples

DECODING = """
[decoding]
sentence = "animal"
prompt_length = 3
candidates = ["mat", "cat"]
logits = [1.0, 0.5]
temperatures = [0.5, 1.0]
n_draws = 100
seed = 7
d_model = 8
d_k = 4
d_v = 4
max_t = 16
"""


def test_decoding_section_loads(tmp_path):
    dec = load_examples(write(tmp_path, MINIMAL + DECODING)).decoding
    assert dec.candidates == ("mat", "cat") and dec.logits.shape == (2,) and not dec.logits.flags.writeable
    assert dec.temperatures == (0.5, 1.0) and dec.prompt_length == 3 and dec.seed == 7
    assert load_examples(write(tmp_path, MINIMAL)).decoding is None  # the section is optional


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('sentence = "animal"', 'sentence = "dog"', r"\[decoding\] sentence 'dog' is not a sentence of \[sentences\]"),
        ('["mat", "cat"]', '["mat", "dgo"]', r"candidate 'dgo' is not in the vocabulary of language 'toy'"),
        ("logits = [1.0, 0.5]", "logits = [1.0]", r"\[decoding\] logits must have shape \(2,\); got \(1,\)"),
        ("prompt_length = 3", "prompt_length = 4", r"'prompt_length' must be shorter than the sentence"),
        ("seed = 7", "seed = -1", r"'seed' must be a non-negative integer"),
        ("d_k = 4", "d_k = 0", r"'d_k' must be a positive integer"),
        ("temperatures = [0.5, 1.0]", "temperatures = [0.0]", r"'temperatures' must be a list of positive numbers"),
        ("max_t = 16", "max_len = 16", r"unknown keys \['max_len'\], missing keys \['max_t'\]"),
    ],
)
def test_broken_decoding_section_is_named(tmp_path, old, new, message):
    text = MINIMAL + DECODING.replace(old, new)
    assert text != MINIMAL + DECODING
    with pytest.raises(ExampleError, match=message):
        load_examples(write(tmp_path, text))
