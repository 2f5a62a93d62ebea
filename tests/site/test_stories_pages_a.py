"""The stories pages 1-8 tell hold in their figures' data.

Each page makes a claim about its figures ("it" attends most to "animal", the
spread of dot products grows like sqrt(d_k), the learned space tells the two
Apples apart, ...). These tests check each claim on the numbers the figures
actually draw, and where a figure computed something with attention_ref they
recompute it here with plain numpy, so a wrong call in a figure fails too.
Tolerances: 1e-12 for recomputed arithmetic (a few float64 roundings);
statistical bounds are justified where they are used.
"""

from __future__ import annotations

import importlib
import math

import numpy as np
import pytest

from attention_ref import load_examples
from attention_ref.examples import DEFAULT_PATH

EXACT = 1e-12


@pytest.fixture(scope="module")
def examples():
    return load_examples(DEFAULT_PATH)


def figure_data(module: str, examples) -> dict:
    return importlib.import_module(f"figures_src.figures.{module}").data(examples)


def np_softmax(s: np.ndarray) -> np.ndarray:
    e = np.exp(s - s.max())
    return e / e.sum()


def np_cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


# --------------------------------------------------------------------------- home, why attention


def test_it_gives_animal_the_largest_slice_of_the_pie(examples):
    d = figure_data("softmax_pie_it", examples)
    assert d["focus"] == "it"
    others = [w for k, w in d["weight"].items() if k != "animal"]
    assert d["weight"]["animal"] > max(others)
    assert d["top_word"] == "animal"


def test_overview_arcs_show_the_same_weights_as_the_pie(examples):
    arcs, pie = figure_data("overview_it_arcs", examples), figure_data("softmax_pie_it", examples)
    np.testing.assert_allclose(arcs["weights"], pie["weights"], rtol=0, atol=EXACT)
    assert abs(sum(arcs["weights"]) - 1) < EXACT
    assert arcs["top_word"] == "animal"


def test_rnn_needs_one_step_per_word_between_animal_and_it_attention_one(examples):
    d = figure_data("rnn_vs_attention", examples)
    tokens = d["tokens"]
    start, end = tokens.index("animal"), tokens.index("it")
    assert d["rnn_steps"] == end - start > 1
    assert d["attention_steps"] == 1


# --------------------------------------------------------------------------- embeddings


def test_apple_sits_between_the_fruit_words_and_the_tech_words(examples):
    d = figure_data("embedding_space_2d", examples)
    angle = {w: math.atan2(v["tech"], v["fruit"]) for w, v in d["vector"].items()}
    fruit = [angle[w] for w in ("orange", "banana", "cherry")]
    tech = [angle[w] for w in ("android", "microsoft", "phone")]
    assert max(fruit) < angle["apple"] < min(tech)


def test_orange_dot_phone_is_zero_and_apple_dot_orange_is_not(examples):
    d = figure_data("dot_product_worked", examples)
    ao, op = d["pair"]["apple_orange"], d["pair"]["orange_phone"]
    assert op["dot"] == 0.0 and op["cosine"] == 0.0 and all(t == 0.0 for t in op["terms"])
    assert ao["dot"] > 0
    for p in (ao, op):  # the terms drawn are the axis-by-axis products, and they add up to the dot product
        a, b = np.array(p["a_vector"]), np.array(p["b_vector"])
        np.testing.assert_allclose(p["terms"], a * b, rtol=0, atol=EXACT)
        assert abs(sum(p["terms"]) - p["dot"]) < EXACT
        assert abs(p["dot"] - a @ b) < EXACT
        assert abs(p["scaled"] - a @ b / math.sqrt(len(a))) < EXACT


def test_similarity_table_is_the_cosine_of_every_pair(examples):
    d = figure_data("similarity_table_3d", examples)
    x = np.array(d["vectors"])
    expected = [[np_cosine(a, b) for b in x] for a in x]
    np.testing.assert_allclose(d["cosine"], expected, rtol=0, atol=EXACT)
    assert d["cos"]["apple"]["orange"] == pytest.approx(d["cos"]["apple"]["phone"], abs=EXACT)  # Apple undecided


@pytest.mark.parametrize(
    "module, context", [("similarity_apple_orange", "Orange"), ("similarity_apple_phone", "Phone")]
)
def test_in_each_sentence_apple_is_most_like_its_context_word(module, context, examples):
    d = figure_data(module, examples)
    assert d["most_like"] == context
    row = d["cosine"][d["focus_index"]]
    others = [v for j, v in enumerate(row) if j != d["focus_index"]]
    assert d["most_like_cosine"] == max(others)


# --------------------------------------------------------------------------- step 1


def test_q_k_v_are_x_times_the_three_matrices(examples):
    d = figure_data("three_spotlights", examples)
    x = np.array(d["x"])
    for role in ("q", "k", "v"):
        np.testing.assert_allclose(d[role], x @ np.array(d[f"w_{role}"]), rtol=0, atol=EXACT)
    assert (d["T"], d["d_model"]) == x.shape
    # queries and keys differ, so "it" -> "animal" is not "animal" -> "it"
    assert d["score_focus_to_top"] > d["score_top_to_focus"]


def test_learned_space_separates_the_two_apples_more_than_the_original(examples):
    d = figure_data("candidate_spaces", examples)
    sp = d["space"]
    sep = {name: sp[name]["separation_cosine"] for name in ("learned", "original", "squashed")}
    assert sep["learned"] < sep["original"] < sep["squashed"]
    assert sp["squashed"]["separation_cosine"] > 0.999  # the squashed space cannot tell them apart
    assert sp["learned"]["separation_cosine"] < 0.5
    for name in ("apple_orange", "apple_phone"):
        assert sp["learned"]["contexts"][name]["weight_toward"] > sp["original"]["contexts"][name]["weight_toward"]


def test_candidate_space_points_and_contexts_recomputed_with_numpy(examples):
    d = figure_data("candidate_spaces", examples)
    lang = examples.languages[d["language"]]
    cols = [lang.axes.index(a) for a in d["plane"]]
    x_all = np.array([lang.vocabulary[w] for w in d["words"]])
    assert not np.delete(x_all, cols, axis=1).any()  # the words lie in the plane: nothing is dropped
    x_all = x_all[:, cols]
    for name, sp in d["space"].items():
        w = np.array(sp["w"])
        np.testing.assert_allclose(sp["points"], x_all @ w, rtol=0, atol=EXACT)
        for ctx in sp["contexts"].values():
            xw = np.array([lang.vocabulary[word][cols] for word in ctx["words"]]) @ w  # (2, 2): Q = K = V
            weights = np_softmax(xw[0] @ xw.T / math.sqrt(xw.shape[1]))
            assert abs(ctx["weight_toward"] - weights[1]) < EXACT, name
            np.testing.assert_allclose(ctx["point"], weights @ xw, rtol=0, atol=EXACT)


# --------------------------------------------------------------------------- step 2


def test_scores_of_it_are_its_query_dot_every_key(examples):
    d = figure_data("scores_bar_it", examples)
    s = examples.sentence("animal")
    lang = s.language
    x = s.x
    q_it = x[s.focus_index] @ lang.w_q
    np.testing.assert_allclose(d["scores"], (x @ lang.w_k) @ q_it, rtol=0, atol=EXACT)
    assert d["top_word"] == "animal"
    assert d["n_zero"] == sum(1 for v in d["scores"] if v == 0)
    assert abs(d["scaled"]["animal"] - d["score"]["animal"] / math.sqrt(d["d_k"])) < EXACT


# --------------------------------------------------------------------------- step 3


def test_spread_of_dot_products_grows_like_sqrt_dk(examples):
    d = figure_data("dot_product_spread", examples)
    n = d["n_samples"]
    measured = [s["measured"] for s in d["sizes"]]
    assert measured == sorted(measured) and len(set(measured)) == len(measured)
    for s in d["sizes"]:
        # The sample sd of n dot products has relative standard error about sqrt((1 + 3 / d_k) / (2 n)),
        # at most 3.5% for d_k >= 4 and n = 1000; 5 standard errors bound a real failure.
        se = math.sqrt((1 + 3 / s["d_k"]) / (2 * n))
        assert abs(s["measured"] / math.sqrt(s["d_k"]) - 1) < 5 * se, s
        assert s["sqrt_dk"] == pytest.approx(math.sqrt(s["d_k"]), abs=EXACT)
    for s in d["sizes"]:  # the histograms count every sample
        assert sum(d["spread"][str(s["d_k"])]["counts"]) == n


def test_unscaled_entropy_falls_while_scaled_stays_near_its_maximum(examples):
    d = figure_data("softmax_entropy_dk", examples)
    unscaled, scaled = d["entropy_unscaled"], d["entropy_scaled"]
    assert d["max_entropy"] == pytest.approx(math.log2(d["n_keys"]), abs=EXACT)
    assert all(a > b for a, b in zip(unscaled, unscaled[1:], strict=False)), unscaled
    assert unscaled[-1] < 0.1 * d["max_entropy"]
    # scaled: level within 0.2 bits (see tests/properties.py for why), and above 80% of the maximum
    assert max(scaled) - min(scaled) < 0.2
    assert min(scaled) > 0.8 * d["max_entropy"] and max(scaled) <= d["max_entropy"]
    assert d["at_last"]["max_weight_unscaled"] > 0.9 > 0.5 > d["at_last"]["max_weight_scaled"]


# --------------------------------------------------------------------------- step 4


def test_softmax_turns_a_zero_similarity_into_a_positive_weight(examples):
    d = figure_data("softmax_zero_positive", examples)
    assert d["zero_similarity"] == 0.0
    assert d["zero_weight"] > 0.0
    np.testing.assert_allclose(d["weights"], np_softmax(np.array(d["similarities"])), rtol=0, atol=EXACT)
    assert abs(sum(d["weights"]) - 1) < EXACT


# --------------------------------------------------------------------------- step 5


def test_context_vector_is_the_weighted_sum_of_the_values(examples):
    d = figure_data("flashlight_values", examples)
    np.testing.assert_allclose(d["output"], np.array(d["weights"]) @ np.array(d["v"]), rtol=0, atol=EXACT)
    # "it" takes in "animal": more on the living axis than it had alone, less on grammar
    assert d["context"]["living"] > d["x_focus"]["living"]
    assert d["context"]["grammar"] < d["x_focus"]["grammar"]


@pytest.mark.parametrize("name, axis", [("apple_orange", 0), ("apple_phone", 1)])
def test_apple_moves_toward_its_context_word_by_its_weight(name, axis, examples):
    d = figure_data("apple_moves_toward_orange", examples)
    m = d["move"][name]
    start, target = np.array(m["start"]), np.array(m["target"])
    # the same vectors as the embeddings page's plane and the similarity tables
    plane = figure_data("embedding_space_2d", examples)["vector"]
    assert list(start) == [plane["apple"]["fruit"], plane["apple"]["tech"]]
    vocab = examples.languages["fruit_tech_3d"].vocabulary
    assert list(target) + [0.0] == list(vocab[m["toward"].lower()])
    for sp in ("original", "learned"):
        s = m["space"][sp]
        w = examples.candidate_spaces[sp].w
        # the site's attention, by hand: softmax of q . k / sqrt(d_k) with Q = K = X W, values the embeddings
        q = np.stack([start, target]) @ w
        weights = np_softmax(q[0] @ q.T / math.sqrt(q.shape[1]))
        assert abs(s["share"] - weights[1]) < EXACT, sp
        new = np.array(s["new"])
        np.testing.assert_allclose(new, weights[0] * start + weights[1] * target, rtol=0, atol=EXACT)
        assert np.linalg.norm(new - target) < np.linalg.norm(start - target)
    # the same weights as step 1's candidate spaces
    cs = figure_data("candidate_spaces", examples)["space"]
    for sp in ("original", "learned"):
        assert abs(cs[sp]["contexts"][name]["weight_toward"] - m["space"][sp]["share"]) < EXACT
    # learned: toward fruit (axis 0) with Orange, toward tech (axis 1) with Phone; raw: less than half as far
    new = np.array(m["space"]["learned"]["new"])
    assert new[axis] > start[axis] and new[axis] > new[1 - axis]
    assert m["space"]["original"]["share"] < 0.5 * m["space"]["learned"]["share"]
