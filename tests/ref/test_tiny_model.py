"""The trained tiny model: attention_ref's numpy forward pass against PyTorch, and the manifest against the files.

tests/golden/tiny_model.npz holds PyTorch's forward pass (training/train_tiny.py's
own TinyEncoder, float64) on the committed weights, written by
tests/golden/make_tiny_golden.py; the ordinary run needs no torch. The tests
marked `torch` run live where torch is installed and skip cleanly elsewhere;
the retraining test is also `slow` (about 15 s of training on one core).
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from attention_ref import generate_corpus, load_tiny_model
from attention_ref.corpus import corpus_hash, parse_sentence
from attention_ref.tiny_model import DEFAULT_DIR

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden" / "tiny_model.npz"
MODEL = load_tiny_model()
MANIFEST = json.loads((DEFAULT_DIR / "manifest.json").read_text(encoding="utf-8"))
CORPUS = generate_corpus()
TIRED, WIDE = CORPUS.config.showcase

# Golden tolerances. Both sides compute in float64 from the same float32 weights (exact in
# float64), so they differ only in the order of roundings: ~1e-16 relative per operation,
# over two blocks of LayerNorm, attention and MLP (observed: 7e-16 at most). rtol 1e-10 leaves
# room for that and still fails on any real difference (a wrong LayerNorm epsilon, head split,
# scale or position encoding shows up at 1e-6 and above). atol 1e-12 for weights near zero.
RTOL = 1e-10
ATOL = 1e-12
# Live float32 torch (how the model was trained and evaluated) against float64 numpy: float32
# carries ~7 significant digits. Measured over the 400 held-out sentences: attention weights
# differ by at most 5.6e-7, logits (|logit| <= 13) by at most 2.4e-6; the bounds leave at least 15x room.
ATOL_F32 = {"attention": 1e-5, "logits": 1e-4}


def load_golden() -> list[dict[str, np.ndarray]]:
    with np.load(GOLDEN, allow_pickle=False) as z:
        return [
            {"sentence": str(s), **{k.split("__")[1]: z[k] for k in z.files if k.startswith(f"c{i}__")}}
            for i, s in enumerate(z["cases"])
        ]


GOLDEN_CASES = load_golden()


# --------------------------------------------------------------------------- against PyTorch (golden)


@pytest.mark.parametrize("case", GOLDEN_CASES, ids=[c["sentence"] for c in GOLDEN_CASES])
def test_forward_matches_torch_golden(case):
    run = MODEL.forward(case["sentence"])
    np.testing.assert_array_equal(run.ids, case["ids"])  # the same tokenization
    np.testing.assert_allclose(run.attention, case["attention"], rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(run.logits, case["logits"], rtol=RTOL, atol=ATOL)


def test_golden_covers_the_showcase_and_heldout_pairs():
    parsed = [parse_sentence(c["sentence"], CORPUS.config) for c in GOLDEN_CASES]
    assert TIRED.lower() in [p.text for p in parsed] and WIDE.lower() in [p.text for p in parsed]
    heldout = [p for p in parsed if (p.animal, p.place) in CORPUS.heldout_pairs]
    assert len(heldout) >= 4 and {p.side for p in heldout} == {"animal", "place"}


# --------------------------------------------------------------------------- the forward pass itself


@pytest.mark.parametrize("sentence", [TIRED, WIDE, CORPUS.heldout[3].text])
def test_attention_rows_sum_to_one(sentence):
    run = MODEL.forward(sentence)
    t = len(run.tokens)
    assert run.attention.shape == (MODEL.n_layers, MODEL.n_heads, t, t)
    np.testing.assert_allclose(run.attention.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
    assert (run.attention >= 0).all()


def test_every_step_has_its_shape():
    run = MODEL.forward(TIRED)
    t, d = 11, MODEL.d_model
    assert run.tokens[run.query_index] == "it" and run.ids.shape == (t,)
    assert run.embeddings.shape == run.positions.shape == run.final.shape == (t, d)
    assert run.hidden.shape == (MODEL.n_layers + 1, t, d)
    np.testing.assert_array_equal(run.hidden[0], run.embeddings + run.positions)
    for i, layer in enumerate(run.layers):
        np.testing.assert_array_equal(layer.output, run.hidden[i + 1])
        assert layer.mlp_hidden.shape == (t, MODEL.layers[i].mlp_b_in.shape[0])
        assert len(layer.attention.heads) == MODEL.n_heads
    assert run.logits.shape == run.probabilities.shape == (len(MODEL.nouns),)
    assert run.query_attention.shape == (MODEL.n_layers, MODEL.n_heads, t)
    assert not run.attention.flags.writeable


def test_seed_sentence_is_the_animal_and_wide_is_the_street():
    tired, wide = MODEL.forward(TIRED), MODEL.forward(WIDE)
    assert tired.prediction == "animal" and tired.probability > 0.9
    assert wide.prediction == "street" and wide.probability > 0.9


def test_reference_head_flips_between_animal_and_street():
    layer, head = MANIFEST["reference_head"]["layer"], MANIFEST["reference_head"]["head"]
    tired, wide = MODEL.forward(TIRED), MODEL.forward(WIDE)
    assert tired.attention_to("animal", layer=layer, head=head) > 0.9
    assert tired.attention_to("street", layer=layer, head=head) < 0.05
    assert wide.attention_to("street", layer=layer, head=head) > 0.9
    assert wide.attention_to("animal", layer=layer, head=head) < 0.05


def test_punctuation_and_case_do_not_matter():
    a, b = MODEL.forward(TIRED), MODEL.forward(TIRED.upper() + ".")
    np.testing.assert_array_equal(a.logits, b.logits)
    np.testing.assert_array_equal(MODEL.forward(TIRED.split()).logits, a.logits)


def test_unknown_word_names_it_and_the_nearest_known_words():
    with pytest.raises(ValueError, match=r"^sentence: unknown word 'tierd' .*; nearest known words: tired"):
        MODEL.forward("the animal didn't cross the street because it was too tierd")
    with pytest.raises(ValueError, match=r"unknown word 'xylophone' .*no known word is close"):
        MODEL.forward("the xylophone didn't cross the street because it was too wide")
    with pytest.raises(ValueError, match=r"unknown word '<pad>'"):
        MODEL.forward("<pad> it")


@pytest.mark.parametrize(
    "sentence, error, message",
    [
        ("the animal didn't cross the street", ValueError, r"^sentence must contain 'it' exactly once .*; found 0"),
        (
            "it was too tired because it was too wide",
            ValueError,
            r"^sentence must contain 'it' exactly once .*; found 2",
        ),
        ("  . ", ValueError, r"sentence has no words"),
        (42, TypeError, r"sentence must be a string or a sequence of words; got int"),
    ],
)
def test_bad_sentence_raises_naming_the_argument(sentence, error, message):
    with pytest.raises(error, match=message):
        MODEL.forward(sentence)


def test_missing_weights_file_is_named(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match=r"no tiny\.npz"):
        load_tiny_model(tmp_path)


# --------------------------------------------------------------------------- the manifest against the files


def test_manifest_matches_the_weights():
    weights = DEFAULT_DIR / "tiny.npz"
    assert weights.stat().st_size < 1_000_000
    assert hashlib.sha256(weights.read_bytes()).hexdigest() == MANIFEST["weights_sha256"]
    assert MODEL.n_parameters == MANIFEST["n_parameters"]
    assert 20_000 <= MODEL.n_parameters <= 40_000
    assert list(MODEL.vocabulary) == MANIFEST["vocabulary"] and list(MODEL.nouns) == MANIFEST["nouns"]
    model = MANIFEST["model"]
    assert (model["n_layers"], model["n_heads"], model["d_model"]) == (MODEL.n_layers, MODEL.n_heads, MODEL.d_model)
    assert set(MANIFEST["versions"]) >= {"torch", "numpy", "python"} and MANIFEST["versions"]["torch"].startswith(
        "2.13.0"
    )
    assert MANIFEST["command"].startswith("python training/train_tiny.py")


def test_manifest_matches_the_corpus_of_the_examples_file():
    assert MANIFEST["corpus"]["sha256"] == corpus_hash(CORPUS.train)
    assert MANIFEST["corpus"]["heldout_sha256"] == corpus_hash(CORPUS.heldout)
    assert [tuple(p) for p in MANIFEST["corpus"]["heldout_pairs"]] == list(CORPUS.heldout_pairs)
    assert list(MODEL.vocabulary) == list(CORPUS.vocabulary) and list(MODEL.nouns) == list(CORPUS.nouns)


def test_heldout_accuracy_recomputed_in_numpy_equals_the_manifest():
    correct = sum(MODEL.forward(e.text).prediction == e.referent for e in CORPUS.heldout)
    assert len(CORPUS.heldout) == MANIFEST["corpus"]["n_heldout"]
    assert abs(correct - MANIFEST["results"]["heldout_correct"]) <= 1  # float32 torch vs float64 numpy on a near tie


def test_manifest_head_report_recomputed_in_numpy():
    runs = [(e, MODEL.forward(e.text)) for e in CORPUS.heldout]
    for key, report in MANIFEST["heads_on_heldout"].items():
        layer, head = (int(w) for w in key.split()[1::2])
        for side, other in (("animal", "place"), ("place", "animal")):
            got = [r.attention_to(getattr(e, side), layer=layer, head=head) for e, r in runs if e.side == side]
            assert np.mean(got) == pytest.approx(report[f"{side}_side"]["to_referent"], abs=1e-5)
            got = [r.attention_to(getattr(e, other), layer=layer, head=head) for e, r in runs if e.side == side]
            assert np.mean(got) == pytest.approx(report[f"{side}_side"]["to_other"], abs=1e-5)


# --------------------------------------------------------------------------- live against PyTorch


def torch_model(dtype_name: str):
    torch = pytest.importorskip("torch")
    sys.path.insert(0, str(ROOT / "training"))
    from train_tiny import model_from_arrays

    with np.load(DEFAULT_DIR / "tiny.npz", allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    return torch, model_from_arrays(arrays, n_heads=MODEL.n_heads, dtype=getattr(torch, dtype_name)).eval()


@pytest.mark.torch
@pytest.mark.parametrize("dtype_name", ["float64", "float32"])
def test_forward_matches_torch_live(dtype_name):
    torch, model = torch_model(dtype_name)
    atol = {"attention": ATOL, "logits": ATOL} if dtype_name == "float64" else ATOL_F32
    rtol = RTOL if dtype_name == "float64" else 0
    for e in CORPUS.heldout[::8] + CORPUS.train[:25]:
        run = MODEL.forward(e.text)
        with torch.no_grad():
            logits, att = model(torch.from_numpy(run.ids[None].copy()), torch.tensor([run.query_index]))
        np.testing.assert_allclose(run.attention, att[:, 0].double().numpy(), rtol=rtol, atol=atol["attention"])
        np.testing.assert_allclose(run.logits, logits[0].double().numpy(), rtol=rtol, atol=atol["logits"])


@pytest.mark.torch
@pytest.mark.slow
def test_retraining_reproduces_the_committed_weights(tmp_path: Path):
    pytest.importorskip("torch")
    cmd = [sys.executable, "training/train_tiny.py", f"--out_dir={tmp_path}"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-3000:]
    new = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    if new["weights_sha256"] != MANIFEST["weights_sha256"]:
        with np.load(tmp_path / "tiny.npz") as a, np.load(DEFAULT_DIR / "tiny.npz") as b:
            diff = max(
                float(np.abs(a[k].astype(float) - b[k].astype(float)).max()) for k in b.files if b[k].dtype.kind == "f"
            )
        pytest.fail(
            f"retrained weights differ from the committed ones (max |difference| {diff:.3g}); "
            f"versions then {MANIFEST['versions']}, now {new['versions']}"
        )
    for key in ("n_parameters", "corpus", "vocabulary", "nouns", "reference_head"):
        assert new[key] == MANIFEST[key], key
    assert new["results"]["heldout_correct"] == MANIFEST["results"]["heldout_correct"]
