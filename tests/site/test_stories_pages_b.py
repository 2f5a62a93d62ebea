"""The stories that pages 9-12 tell hold in the data their figures draw.

Each test reads a figure's data() (through JSON, as the build stores it) and
checks one claim the prose makes: that each hand-built head catches its
relation, that word order is invisible without positions and visible with
them, that masks give blocked keys exactly zero weight, and that "sat" draws
most from "cat" and "mat". Each would fail if the examples file or the math
changed the story. Also: the multi-head loader rejects malformed entries
with an error that names the file and the entry.

Tolerances: "identical" means equal to 1e-12 (the same float operations in
another order); "exactly zero" means == 0.0, since a masked weight is
exp(-inf) = 0 in floating point, not a small number.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from attention_ref import ExampleError, load_examples
from attention_ref.examples import DEFAULT_PATH, multihead_example
from figures_src.kit.common import word_keys

SAME = 1e-12


@pytest.fixture(scope="module")
def examples():
    return load_examples(DEFAULT_PATH)


def figure_data(module: str, examples) -> dict:
    """data() of figures_src/figures/<module>.py, round-tripped through JSON like the build does."""
    mod = importlib.import_module(f"figures_src.figures.{module}")
    return json.loads(json.dumps(mod.data(examples), sort_keys=True))


# --------------------------------------------------------------------------- multi-head: one relation per head


@pytest.fixture(scope="module")
def heads(examples):
    d = figure_data("multi_head_grid", examples)
    return d["tokens"], {name: np.asarray(h["weights"]) for name, h in d["heads"].items()}


def _rows(tokens, words):
    lowered = [t.lower() for t in tokens]
    return [i for i, t in enumerate(lowered) if t in words]


def expected_keys(name: str, tokens) -> dict[int, set[int]]:
    """For each row where the relation applies: the key positions it must pick (the argmax)."""
    t = len(tokens)
    idx = {w: i for i, w in reversed(list(enumerate(t.lower() for t in tokens)))}  # first occurrence
    if name == "previous":
        return {i: {i - 1} for i in range(1, t)}
    if name == "next":
        return {i: {i + 1} for i in range(t - 1)}
    if name == "self":
        return {i: {i} for i in range(t)}
    if name == "coreference":
        return {idx["it"]: {idx["animal"]}}
    if name == "verb_nouns":
        return {i: {idx["animal"], idx["street"]} for i in _rows(tokens, {"didn't", "cross", "was"})}
    if name == "noun_verb":
        return {i: {idx["cross"]} for i in _rows(tokens, {"animal", "street"})}
    if name == "first":
        return {i: {0} for i in range(t)}
    raise KeyError(name)


@pytest.mark.parametrize("name", ["previous", "next", "self", "coreference", "verb_nouns", "noun_verb", "first"])
def test_each_multi_head_head_puts_its_largest_weight_on_its_relation(heads, name):
    tokens, weights = heads
    w = weights[name]
    expected = expected_keys(name, tokens)
    assert expected, f"head {name}: no row to check"
    for i, keys in expected.items():
        row = w[i]
        top = row.max()
        winners = set(np.flatnonzero(np.isclose(row, top, rtol=0, atol=SAME)).tolist())
        assert winners <= keys, (
            f"head {name}, row {tokens[i]!r}: largest weight {top:.3f} on "
            f"{[tokens[j] for j in sorted(winners)]}, expected {[tokens[j] for j in sorted(keys)]}"
        )


@pytest.mark.parametrize("name", ["previous", "next", "self", "coreference", "noun_verb", "first"])
def test_single_target_heads_give_their_target_most_of_the_attention(heads, name):
    """The page says "almost all" / most: more than half of each applicable row goes to the target."""
    tokens, weights = heads
    for i, keys in expected_keys(name, tokens).items():
        (j,) = keys
        assert weights[name][i, j] > 0.5, (
            f"head {name}: {tokens[i]!r} gives {tokens[j]!r} only {weights[name][i, j]:.3f}"
        )


def test_verb_head_gives_most_of_each_verb_row_to_the_two_nouns(heads):
    tokens, weights = heads
    for i, keys in expected_keys("verb_nouns", tokens).items():
        share = weights["verb_nouns"][i, sorted(keys)].sum()
        assert share > 0.5, f"{tokens[i]!r} gives its nouns only {share:.3f}"


def test_broad_head_gives_every_word_the_same_weight(heads):
    tokens, weights = heads
    w = weights["broad"]
    np.testing.assert_allclose(w, np.full_like(w, 1.0 / len(tokens)), rtol=0, atol=SAME)


def test_coreference_head_is_idle_for_words_that_are_not_pronouns(heads):
    """Every row but the pronoun's has a zero query, so its weights are even."""
    tokens, weights = heads
    it = [t.lower() for t in tokens].index("it")
    others = np.delete(weights["coreference"], it, axis=0)
    np.testing.assert_allclose(others, 1.0 / len(tokens), rtol=0, atol=SAME)


# --------------------------------------------------------------------------- word order


def test_without_positions_every_word_has_the_same_output_in_both_sentences(examples):
    d = figure_data("permutation_dog_man", examples)
    a, b = (s["output_by_word"] for s in d["sentences"])
    assert set(a) == set(b) == {"dog", "bites", "man"}
    for word in a:
        np.testing.assert_allclose(a[word], b[word], rtol=0, atol=SAME, err_msg=f"output of {word!r}")
    assert d["same_output_per_word"] is True


def test_without_positions_dog_has_the_same_weights_and_output_in_both_sentences(examples):
    d = figure_data("positions_change_weights", examples)
    a, b = (s["without"] for s in d["sentences"])
    for word in ("dog", "bites", "man"):
        assert abs(a["weights"][word] - b["weights"][word]) <= SAME
    np.testing.assert_allclose(list(a["output"].values()), list(b["output"].values()), rtol=0, atol=SAME)


def test_with_positions_dog_attends_differently_and_outputs_differently(examples):
    d = figure_data("positions_change_weights", examples)
    a, b = (s["with"] for s in d["sentences"])
    weight_gap = max(abs(a["weights"][w] - b["weights"][w]) for w in ("dog", "bites", "man"))
    output_gap = max(abs(a["output"][x] - b["output"][x]) for x in a["output"])
    assert weight_gap > 0.01, f"positions barely change the weights of 'dog' (largest change {weight_gap:.4f})"
    assert output_gap > 0.01, f"positions barely change the output of 'dog' (largest change {output_gap:.4f})"
    assert d["same_with_positions"] is False and d["same_without_positions"] is True


# --------------------------------------------------------------------------- masks


def test_causal_weights_are_exactly_zero_above_the_diagonal(examples):
    d = figure_data("causal_mask", examples)
    w = np.asarray(d["weights"])
    upper = np.triu_indices_from(w, k=1)
    assert np.all(w[upper] == 0.0), f"largest weight above the diagonal: {w[upper].max()}"
    assert np.all(w[np.tril_indices_from(w)] > 0), "an allowed pair got zero weight"
    np.testing.assert_allclose(w.sum(axis=1), 1.0, rtol=0, atol=SAME)
    mask = np.asarray(d["mask"])
    assert np.array_equal(mask, np.tril(np.ones_like(mask, dtype=bool))), "the mask is not the lower triangle"


def test_causal_mask_leaves_the_last_row_unchanged_and_rescales_the_others(examples):
    """The prose: the last word sees everything; visible words keep their proportions."""
    d = figure_data("causal_mask", examples)
    keys = word_keys(d["tokens"])
    last = keys[-1]
    for k in keys:
        assert abs(d["weight"][last][k] - d["unmasked_weight"][last][k]) <= SAME
    sat = d["weight"]["sat"]
    before = d["unmasked_weight"]["sat"]
    ratios = [sat[k] / before[k] for k in keys[: keys.index("sat") + 1]]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-12)


def test_padding_mask_gives_pad_columns_exactly_zero_weight(examples):
    d = figure_data("padding_mask", examples)
    n = d["n_real"]
    w = np.asarray(d["weights_masked"])
    assert d["n_pad"] > 0
    assert np.all(w[:, n:] == 0.0), f"a pad got weight {w[:, n:].max()}"
    np.testing.assert_allclose(w.sum(axis=1), 1.0, rtol=0, atol=SAME)


def test_without_a_padding_mask_the_pads_take_attention(examples):
    d = figure_data("padding_mask", examples)
    shares = d["pad_share_unmasked"].values()
    assert min(shares) > 0.05, "the pads should visibly take a share of every real word's attention"


def test_padding_mask_makes_the_batch_give_the_weights_of_the_sentence_alone(examples):
    d = figure_data("padding_mask", examples)
    assert d["same_as_alone"] is True and d["long_unchanged"] is True
    for q, row in d["weight_alone"].items():
        for k, v in row.items():
            assert abs(d["weight_masked"][q][k] - v) <= SAME, f"{q} -> {k}"


# --------------------------------------------------------------------------- information flow


def test_sat_gives_its_two_largest_weights_to_cat_and_mat(examples):
    d = figure_data("information_flow_cat", examples)
    tokens = d["tokens"]
    i = d["focus_index"]
    assert tokens[i] == "sat"
    row = np.asarray(d["weights"][i])
    cat, mat = row[tokens.index("cat")], row[tokens.index("mat")]
    rest = np.delete(row, [tokens.index("cat"), tokens.index("mat")])
    assert min(cat, mat) > rest.max() + 1e-6, (
        f"'sat' gives cat {cat:.3f} and mat {mat:.3f}, but {rest.max():.3f} to another word"
    )
    assert row[tokens.index("cat")] > row[i] and row[tokens.index("mat")] > row[i], "'sat' keeps more for itself"
    assert d["focus_top_two_others"] == ["cat", "mat"]


# --------------------------------------------------------------------------- the multi-head loader


def _broken_copy(tmp_path: Path, old: str, new: str) -> Path:
    text = DEFAULT_PATH.read_text(encoding="utf-8")
    assert old in text, f"the examples file no longer contains {old!r}"
    path = tmp_path / "broken.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "entry", "message"),
    [
        (
            "q = { pronoun = [8.0, 0.0] }",
            "q = { pronoun = [8.0, 0.0, 1.0] }",
            "multihead.heads[3]",
            r"q\.pronoun must have shape \(2,\); got \(3,\)",
        ),
        (
            "k = { living = [1.0, 0.0] }",
            "k = { alive = [1.0, 0.0] }",
            "multihead.heads[3]",
            r"unknown input axis 'alive'",
        ),
        ("n_heads = 8 ", "n_heads = 4 ", "multihead", r"one \[\[multihead.heads\]\] entry per head \(4\); got 8"),
        (
            "it       = [1.0, 0.0, 0.0]",
            "it       = [1.0, 0.0]",
            "multihead.features.vocabulary",
            r"it must have shape \(3,\); got \(2,\)",
        ),
        ("positions_per_turn = 13", "positions_per_turn = 5", "multihead", r"positions_per_turn"),
    ],
    ids=["row-length", "unknown-axis", "head-count", "feature-length", "clock-too-small"],
)
def test_multihead_loader_names_the_file_and_entry_of_a_malformed_example(tmp_path, old, new, entry, message):
    path = _broken_copy(tmp_path, old, new)
    with pytest.raises(ExampleError, match=re.escape(f"{path}: [{entry}]") + ".*" + message):
        multihead_example(load_examples(path))


def test_multihead_loader_builds_square_projections_and_the_documented_columns(examples):
    ex = multihead_example(examples)
    d_model = ex.x.shape[1]
    assert ex.x.shape == (len(ex.sentence.tokens), d_model)
    for w in (ex.w_q, ex.w_k, ex.w_v, ex.w_o):
        assert w.shape == (d_model, d_model)
    assert ex.axes[: len(ex.sentence.language.axes)] == ex.sentence.language.axes
    assert {"clock_cos", "clock_sin", "one"} <= set(ex.axes)
    assert len(ex.head_names) == ex.n_heads == len(set(ex.head_names))
