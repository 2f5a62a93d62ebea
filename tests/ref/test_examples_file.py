"""The worked examples file: it loads, its stories hold in the numbers, and a broken copy is reported well."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

import attention_ref
from attention_ref import ExampleError, cosine_similarity, dot_similarity, load_examples, self_attention
from attention_ref.examples import DEFAULT_PATH, ENV_VAR


@pytest.fixture
def packaged(monkeypatch):
    """The packaged examples, whatever $ATTENTION_EXAMPLES says on this machine."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    return load_examples()


def test_packaged_examples_file_loads(packaged):
    assert packaged.path == DEFAULT_PATH == Path(attention_ref.__file__).with_name("examples.toml")
    assert {"animal", "cat", "cat_tired", "apple_orange"} <= set(packaged.sentences)
    for sentence in packaged.sentences.values():
        x = sentence.x
        assert x.shape == (len(sentence.tokens), sentence.language.d_model) and x.dtype == np.float64
        if sentence.focus is not None:
            assert sentence.tokens[sentence.focus_index].lower() == sentence.focus.lower()
    walk = packaged.languages["walkthrough"]
    assert walk.w_q.shape == walk.w_k.shape == (4, 4) and walk.w_v.shape[0] == 4


def focus_weights(examples, name: str) -> tuple[tuple[str, ...], np.ndarray, int]:
    """The sentence's tokens, its focus token's row of attention weights, and the focus index."""
    s = examples.sentence(name)
    lang = s.language
    att = self_attention(s.x, lang.w_q, lang.w_k, lang.w_v)
    return tuple(t.lower() for t in s.tokens), att.weights[s.focus_index], s.focus_index


def test_in_animal_it_attends_most_to_animal(packaged):
    tokens, w, focus = focus_weights(packaged, "animal")
    assert tokens[focus] == "it"
    assert tokens[int(np.argmax(w))] == "animal"  # not itself, not "tired", not "the"


def test_in_cat_sat_gives_its_two_largest_weights_besides_itself_to_cat_and_mat(packaged):
    tokens, w, focus = focus_weights(packaged, "cat")
    assert tokens[focus] == "sat"
    others = [i for i in np.argsort(-w, kind="stable") if i != focus]
    assert {tokens[others[0]], tokens[others[1]]} == {"cat", "mat"}


def test_in_cat_tired_it_attends_most_to_cat(packaged):
    tokens, w, focus = focus_weights(packaged, "cat_tired")
    assert tokens[focus] == "it"
    assert tokens[int(np.argmax(w))] == "cat"


def test_apple_is_closer_to_orange_than_to_and(packaged):
    vocab = packaged.languages["fruit_tech_3d"].vocabulary
    apple_orange = cosine_similarity(vocab["apple"], vocab["orange"])[0, 0]
    apple_and = cosine_similarity(vocab["apple"], vocab["and"])[0, 0]
    assert apple_orange > apple_and


def test_orange_and_phone_are_orthogonal(packaged):
    vocab = packaged.languages["fruit_tech_3d"].vocabulary
    assert dot_similarity(vocab["orange"], vocab["phone"])[0, 0] == 0.0


# --------------------------------------------------------------------------
# a malformed copy of the file


MINIMAL = """\
[languages.toy]
axes = ["living", "object"]
w_q = [[1.0, 0.0], [0.0, 1.0]]
w_k = [[1.0, 0.0], [0.0, 1.0]]
w_v = [[1.0, 0.0], [0.0, 1.0]]
[languages.toy.vocabulary]
cat = [1.0, 0.0]
mat = [0.0, 1.0]
the = [0.1, 0.1]

[sentences.animal]
text = "The cat the mat"
language = "toy"
focus = "cat"

[candidate_spaces.learned]
label = "a learned space"
w = [[1.6, -0.6], [-0.6, 1.6]]
"""


CALCULATOR = """
[calculator]
tokens = ["cat", "sat", "mat"]
q = [[1.0, 2.0]]
k = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]
"""


CROSS = """
[sentences.short]
text = "cat mat"
language = "toy"

[cross]
source = "animal"
target = "short"
w_q = [[1.0, 0.0], [0.0, 1.0]]
w_k = [[1.0, 0.0], [0.0, 1.0]]
w_v = [[1.0], [0.0]]
"""


def write(tmp_path: Path, text: str, name: str = "my-examples.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_minimal_file_loads(tmp_path):
    # the broken variants below differ from this valid file in one place each
    ex = load_examples(write(tmp_path, MINIMAL))
    assert ex.sentence("animal").tokens == ("The", "cat", "the", "mat")


def test_calculator_section_loads_as_arrays_of_its_shapes(tmp_path):
    calc = load_examples(write(tmp_path, MINIMAL + CALCULATOR)).calculator
    assert calc.tokens == ("cat", "sat", "mat")
    assert calc.q.shape == (1, 2) and calc.k.shape == (3, 2) and calc.limit == 5.0
    assert load_examples(write(tmp_path, MINIMAL)).calculator is None  # the section is optional


def test_cross_section_loads_the_pair_and_its_projections(tmp_path):
    pair = load_examples(write(tmp_path, MINIMAL + CROSS)).cross
    assert pair.source.name == "animal" and pair.target.name == "short"
    assert pair.x_q.shape == (2, 2) and pair.x_kv.shape == (4, 2)  # queries from the target, keys from the source
    assert pair.w_q.shape == pair.w_k.shape == (2, 2) and pair.w_v.shape == (2, 1)
    assert not pair.w_v.flags.writeable
    assert load_examples(write(tmp_path, MINIMAL)).cross is None  # the section is optional


def test_packaged_calculator_example_has_three_keys_and_d_k_two(packaged):
    calc = packaged.calculator
    assert calc is not None and calc.q.shape == (1, 2) and calc.k.shape == (3, 2)


BROKEN = [
    pytest.param(MINIMAL + "\n[sentences.cat\n", r"not valid TOML", id="bad-toml-syntax"),
    pytest.param(
        MINIMAL.replace('"The cat the mat"', '"The dgo the mat"'),
        r"\[sentences\.animal\] word 'dgo' is not in the vocabulary of language 'toy' \(known: cat, mat, the\)",
        id="unknown-word-in-sentence",
    ),
    pytest.param(
        MINIMAL.replace("cat = [1.0, 0.0]", "cat = [1.0, 0.0, 0.5]"),
        r"\[languages\.toy\.vocabulary\] cat must have shape \(2,\); got \(3,\)",
        id="wrong-vector-length",
    ),
    pytest.param(
        MINIMAL.replace('language = "toy"', 'language = "walkthru"'),
        r"\[sentences\.animal\] language 'walkthru' is not defined \(known: toy\)",
        id="unknown-language",
    ),
    pytest.param(
        MINIMAL.replace('focus = "cat"', 'focus = "dog"'),
        r"\[sentences\.animal\] focus 'dog' is not a word of the sentence 'The cat the mat'",
        id="focus-not-in-sentence",
    ),
    pytest.param(
        MINIMAL.replace("mat = [0.0, 1.0]", "Mat = [0.0, 1.0]"),
        r"\[languages\.toy\.vocabulary\] word 'Mat' must be written in lower case",
        id="upper-case-vocabulary-word",
    ),
    pytest.param(
        MINIMAL.replace("w_k = [[1.0, 0.0], [0.0, 1.0]]", "w_k = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]"),
        r"\[languages\.toy\] w_k must have shape .*; got \(3, 2\)",
        id="projection-with-wrong-shape",
    ),
    pytest.param(
        MINIMAL.replace("w = [[1.6, -0.6], [-0.6, 1.6]]", "w = [[1.6, -0.6, 0.0], [-0.6, 1.6, 0.0]]"),
        r"\[candidate_spaces\.learned\] w must have shape \(2, 2\); got \(2, 3\)",
        id="candidate-space-with-wrong-shape",
    ),
    pytest.param(
        MINIMAL + "\n[multihaed]\nn_heads = 2\n",
        r"\[multihaed\] unknown section \(did you mean \[multihead\]\?\); "
        r"the sections are calculator, candidate_spaces, ",
        id="misspelt-section",
    ),
    pytest.param(
        MINIMAL + CALCULATOR.replace("q = [[1.0, 2.0]]", "q = [1.0, 2.0]"),
        r"\[calculator\] q must have shape \(1, 2\); got \(2,\)",
        id="calculator-query-not-one-row",
    ),
    pytest.param(
        MINIMAL + CALCULATOR.replace(", [1.0, 1.0]]", "]"),
        r"\[calculator\] k must have shape \(3, 2\); got \(2, 2\)",
        id="calculator-two-keys",
    ),
    pytest.param(
        MINIMAL + CALCULATOR.replace("[0.0, 1.0], [1.0, 1.0]]", "[0.0, 1.0], [1.0, 7.5]]"),
        r"\[calculator\] every entry of k must lie in \[-5, 5\] .*; got 7\.5",
        id="calculator-entry-too-large",
    ),
    pytest.param(
        MINIMAL + CALCULATOR.replace('tokens = ["cat", "sat", "mat"]', 'tokens = ["cat", "sat"]'),
        r"\[calculator\] 'tokens' must be a list of 3 non-empty names, one per key; got \['cat', 'sat'\]",
        id="calculator-too-few-names",
    ),
    pytest.param(
        MINIMAL + CALCULATOR.replace('k = [', 'keys = ['),
        r"\[calculator\] unknown keys \['keys'\] \(known: tokens, q, k\)",
        id="calculator-misspelt-key",
    ),
    pytest.param(
        MINIMAL + CROSS.replace('source = "animal"', 'source = "animl"'),
        r"\[cross\] source 'animl' \(the sentence read, which gives the keys and values\) is not a sentence of "
        r"\[sentences\] \(known: animal, short\)",
        id="cross-unknown-source",
    ),
    pytest.param(
        MINIMAL + CROSS.replace('w_v = [[1.0], [0.0]]\n', ''),
        r"\[cross\] missing 'w_v'",
        id="cross-missing-w_v",
    ),
    pytest.param(
        MINIMAL + CROSS.replace("w_k = [[1.0, 0.0], [0.0, 1.0]]", "w_k = [[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]"),
        r"\[cross\] w_k must have shape \(2, 'n'\); got \(3, 2\)",
        id="cross-w_k-rows-not-the-source-d_model",
    ),
    pytest.param(
        MINIMAL + CROSS.replace("w_k = [[1.0, 0.0], [0.0, 1.0]]", "w_k = [[1.0], [0.0]]"),
        r"\[cross\] w_q \(2, 2\) and w_k \(2, 1\) must have the same d_k",
        id="cross-w_q-w_k-disagree-on-d_k",
    ),
    pytest.param(
        MINIMAL + CROSS.replace("target = ", "targte = "),
        r"\[cross\] unknown keys \['targte'\] \(known: source, target, w_q, w_k, w_v\)",
        id="cross-misspelt-key",
    ),
    pytest.param(
        "cross = 3\n" + MINIMAL,
        r"\[cross\] must be a table",
        id="cross-not-a-table",
    ),
]


@pytest.mark.parametrize(("text", "message"), BROKEN)
def test_malformed_examples_file_raises_example_error_naming_file_and_entry(tmp_path, text, message):
    assert text != MINIMAL
    path = write(tmp_path, text)
    with pytest.raises(ExampleError, match=re.escape(str(path)) + r": .*" + message):
        load_examples(path)


def test_missing_examples_file_raises_example_error_naming_it(tmp_path):
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ExampleError, match=re.escape(str(path)) + ": examples file not found"):
        load_examples(path)


def test_example_error_is_a_value_error():
    assert issubclass(ExampleError, ValueError)  # callers catching ValueError keep working


def test_environment_variable_selects_another_examples_file(tmp_path, monkeypatch):
    path = write(tmp_path, MINIMAL)
    monkeypatch.setenv(ENV_VAR, str(path))
    ex = load_examples()
    assert ex.path == path and set(ex.sentences) == {"animal"} and set(ex.languages) == {"toy"}
    # and an explicit path still wins over the variable
    assert load_examples(DEFAULT_PATH).path == DEFAULT_PATH


def test_environment_variable_pointing_at_a_broken_file_is_reported(tmp_path, monkeypatch):
    path = write(tmp_path, MINIMAL.replace('focus = "cat"', 'focus = "dog"'))
    monkeypatch.setenv(ENV_VAR, str(path))
    with pytest.raises(ExampleError, match=re.escape(str(path))):
        load_examples()
