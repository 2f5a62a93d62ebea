"""tiny-model.js in Chromium gives attention_ref's tiny model, sentence by sentence; model_export is exact.

figures_src/site/model_export.py writes the weights for the browser; the test writes its files to
a temporary folder beside a copy of docs/assets/javascripts (attention.js and tiny-model.js),
serves that folder on 127.0.0.1 and opens it in a new context of conftest.py's Chromium.
Every request the page makes is routed; anything not for that server is aborted and recorded.

What is checked, against `attention_ref.tiny_model.load_tiny_model().forward`:

- the seed sentence, its "wide" counterfactual, held-out corpus sentences (both sides, several
  templates), and sentences of other lengths (one word, two, a long one; capitals and
  punctuation): tokens, query index, prediction exactly; attention (n_layers, n_heads, T, T),
  logits, probabilities and probability to RTOL plus ATOL;
- an unknown word throws an Error naming the word with attention_ref's very message (the
  nearest known words are difflib.get_close_matches'); so does a sentence without "it", with
  "it" twice, with no words; the suggestions alone are compared with difflib over many
  misspellings;
- the export: the same bytes twice, an index that covers every array of tiny.npz with its
  shape, and a binary that holds those arrays bit for bit.

The tolerance, and why: both sides start from the same float32 weights (the export checks
that float32 loses nothing; JavaScript reads them into float64 exactly) and compute in float64
with the same formulas. They differ only in the order of additions (numpy's pairwise sums and
BLAS' blocked dot products against the module's index-order sums, over at most d_mlp = 128
terms) and in the last bit of exp, sin and cos. Measured over these 20 sentences (Chromium and
node agree): the largest absolute difference is 5e-15 (a logit), the largest relative one 1e-14
on the attention weights and probabilities (weights as small as 1e-6 included) and 5e-13 on a
logit near zero (its rounding is relative to the terms that cancelled, not to the result).
RTOL = 1e-9 plus ATOL = 1e-12 leaves three orders of magnitude above that, and
test_largest_difference_is_far_below_the_tolerance keeps the measurement honest (< RTOL / 100);
any real mistake (a wrong epsilon, a missing residual, a head split on the wrong axis, float32
arithmetic) moves values by 1e-7 or more.
"""

from __future__ import annotations

import difflib
import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import numpy as np
import pytest

from attention_ref import corpus_config, generate_corpus
from attention_ref.tiny_model import DEFAULT_DIR, WEIGHTS_FILE, load_tiny_model
from figures_src.site.model_export import JSON_PATH, WEIGHTS_PATH, export_tiny_model

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
JS_DIR = ROOT / "docs" / "assets" / "javascripts"
RTOL = 1e-9
ATOL = 1e-12
N_HELDOUT = 12  # held-out corpus sentences, spread over the 400


def sentences() -> list[str]:
    config = corpus_config()
    seed, wide = config.showcase[:2]
    heldout = generate_corpus(config).heldout
    step = len(heldout) // N_HELDOUT
    picked = [ex.text for ex in heldout[::step][:N_HELDOUT]]
    other_lengths = [
        "it",
        "animal it",
        "it was too wide",
        "The DOG didn't cross the river, because it was too TIRED!",
        "the street the animal because it was too tired the river the dog didn't cross the street",
        '"The fox didn\'t cross the canyon because it was too deep."',
    ]
    return [seed, wide, *picked, *other_lengths]


SENTENCES = sentences()
UNKNOWN = [
    ("The anmal didn't cross the street because it was too tired", "anmal"),
    ("The elephnt didn't cross the street because it was too tired", "elephnt"),
    ("The animal didn't cross the motorway because it was too wide", "motorway"),
    ("The animal didn't cross the street because it was too huge", "huge"),
    ("The cat wasn't crossing the road because it was too busy", "wasn't"),
]
NO_IT = [
    "The animal didn't cross the street because the street was too wide",
    "it it was too tired",
    "",
    " .,!? ",
]
MISSPELLINGS = """
    anmal animl strret stret tird tierd wid wiide dogg elefant hors rivr becuse becase didnt dont crss
    brige forrest cros xyz it's a th theee wasnt tooo tigre lamb high ways deeep croossed
""".split()


# ----------------------------------------------------------------------------- the page


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {".js": "text/javascript", ".json": "application/json", "": "application/octet-stream"}

    def do_GET(self):  # noqa: N802 (the name http.server calls)
        if self.path == "/":
            body = b"<!doctype html><html lang='en'><title>tiny-model.js</title></html>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The exported files at /assets/models/, the modules at /assets/javascripts/, on 127.0.0.1."""
    root = tmp_path_factory.mktemp("tiny-model-site")
    shutil.copytree(JS_DIR, root / "assets" / "javascripts")
    for path, data in export_tiny_model().items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


# Runs in the page: load the model once, then each sentence; results (or errors) as JSON text.
RUN_JS = """
async ([origin, sentences, misspellings]) => {
  const M = await import(origin + "/assets/javascripts/tiny-model.js");
  const model = await M.loadTinyModel(origin + "/assets/models/");
  const runs = sentences.map((s) => {
    try {
      return { value: M.forward(model, s) };
    } catch (e) {
      return { error: { type: e?.constructor?.name, isError: e instanceof Error, message: String(e?.message),
                        word: e?.word ?? null, suggestions: e?.suggestions ?? null } };
    }
  });
  const near = misspellings.map((w) => M.closeMatches(w, model.known));
  return JSON.stringify({ exports: Object.keys(M).sort(), runs, near, known: model.known.length });
}
"""


@pytest.fixture(scope="module")
def chromium(served, js_page):
    """Run every sentence in a new page of conftest's Chromium (one Playwright per session: a second
    sync_playwright() inside the first's event loop is refused)."""
    foreign, errors = [], []
    every = SENTENCES + [s for s, _ in UNKNOWN] + NO_IT
    context = js_page.page.context.browser.new_context()
    try:
        page = context.new_page()

        def route(r):
            if r.request.url.startswith(served + "/"):
                r.continue_()
            else:
                foreign.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("console", lambda m: m.type == "error" and errors.append(m.text))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(served + "/")
        out = json.loads(page.evaluate(RUN_JS, [served, every, MISSPELLINGS]))
    finally:
        context.close()
    out["by_sentence"] = dict(zip(every, out["runs"], strict=True))
    out["foreign"], out["errors"] = foreign, errors
    return out


@functools.cache
def reference(sentence: str):
    return load_tiny_model().forward(sentence)


def _value(chromium, sentence):
    result = chromium["by_sentence"][sentence]
    assert "error" not in result, f"tiny-model.js threw on {sentence!r}: {result['error']}"
    return result["value"]


def relative_difference(actual, expected) -> float:
    """max |a - e| / (|e| + ATOL / RTOL): below RTOL exactly when every entry is within RTOL |e| + ATOL."""
    a, e = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert a.shape == e.shape, f"shape {a.shape}, expected {e.shape}"
    return float(np.max(np.abs(a - e) / (np.abs(e) + ATOL / RTOL)))


# ----------------------------------------------------------------------------- the tests


def test_module_exports_its_api(chromium):
    api = "SentenceError closeMatches forward loadTinyModel modelFromFiles splitWords tokenize"
    assert chromium["exports"] == api.split()


@pytest.mark.parametrize("sentence", SENTENCES)
def test_words_and_prediction_are_attention_refs(chromium, sentence):
    js, ref = _value(chromium, sentence), reference(sentence)
    assert js["tokens"] == list(ref.tokens)
    assert js["ids"] == ref.ids.tolist()
    assert js["queryIndex"] == ref.query_index
    assert js["nouns"] == list(ref.nouns)
    assert js["prediction"] == ref.prediction


@pytest.mark.parametrize("sentence", SENTENCES)
def test_numbers_match_attention_ref(chromium, sentence):
    js, ref = _value(chromium, sentence), reference(sentence)
    assert np.shape(js["attention"]) == ref.attention.shape
    for field, expected in [
        ("attention", ref.attention),
        ("logits", ref.logits),
        ("probabilities", ref.probabilities),
        ("probability", ref.probability),
    ]:
        diff = relative_difference(js[field], expected)
        assert diff <= RTOL, f"{field} of {sentence!r}: {diff:.3g} of rtol {RTOL:g} + atol {ATOL:g}"


def test_largest_difference_is_far_below_the_tolerance(chromium):
    """The measurement the tolerance rests on (see the module docstring): float64 on both sides."""
    worst = max(
        relative_difference(_value(chromium, s)[f], getattr(reference(s), r))
        for s in SENTENCES
        for f, r in [("attention", "attention"), ("logits", "logits"), ("probabilities", "probabilities")]
    )
    print(f"largest relative difference: {worst:.3g}")
    assert worst < RTOL / 100, f"largest relative difference {worst:.3g}"


def test_sentences_cover_the_seed_its_counterfactual_and_other_lengths():
    config = corpus_config()
    assert SENTENCES[:2] == list(config.showcase[:2])
    assert reference(SENTENCES[0]).prediction != reference(SENTENCES[1]).prediction
    lengths = {len(reference(s).tokens) for s in SENTENCES}
    assert min(lengths) == 1 and max(lengths) > 12 and len(lengths) >= 5, lengths


def _python_error(sentence: str) -> str:
    with pytest.raises(ValueError) as info:
        load_tiny_model().forward(sentence)
    return str(info.value)


@pytest.mark.parametrize(("sentence", "word"), UNKNOWN, ids=[w for _, w in UNKNOWN])
def test_unknown_word_throws_attention_refs_message(chromium, sentence, word):
    error = chromium["by_sentence"][sentence].get("error")
    assert error, f"tiny-model.js accepted {sentence!r}"
    assert error["isError"] and error["type"] == "SentenceError"
    assert f"unknown word {word!r}" in error["message"] or f'unknown word "{word}"' in error["message"]
    assert error["message"] == _python_error(sentence)
    assert error["word"] == word
    model = load_tiny_model()
    assert error["suggestions"] == difflib.get_close_matches(word, sorted(set(model.vocabulary) - {"<pad>"}), 3, 0.6)


@pytest.mark.parametrize("sentence", NO_IT)
def test_sentence_without_exactly_one_it_throws_naming_the_problem(chromium, sentence):
    error = chromium["by_sentence"][sentence].get("error")
    assert error, f"tiny-model.js accepted {sentence!r}"
    assert error["isError"] and error["type"] == "SentenceError"
    assert error["message"] == _python_error(sentence)
    assert "'it' exactly once" in error["message"] or "no words" in error["message"]


def test_suggestions_are_difflibs(chromium):
    known = sorted(set(load_tiny_model().vocabulary) - {"<pad>"})
    expected = [difflib.get_close_matches(w, known, 3, 0.6) for w in MISSPELLINGS]
    assert chromium["known"] == len(known)
    assert dict(zip(MISSPELLINGS, chromium["near"], strict=True)) == dict(zip(MISSPELLINGS, expected, strict=True))


def test_page_asks_no_other_host_and_logs_no_error(chromium):
    assert chromium["foreign"] == []
    assert chromium["errors"] == []


# ----------------------------------------------------------------------------- the export


def test_export_gives_the_same_bytes_twice():
    first, second = export_tiny_model(), export_tiny_model(load_tiny_model(DEFAULT_DIR))  # cached, freshly read
    assert sorted(first) == sorted([JSON_PATH, WEIGHTS_PATH])
    assert first == second


def test_export_index_covers_every_array_of_the_npz_bit_for_bit():
    files = export_tiny_model()
    index = json.loads(files[JSON_PATH])
    binary = files[WEIGHTS_PATH]
    with np.load(DEFAULT_DIR / WEIGHTS_FILE, allow_pickle=False) as z:
        npz = {k: z[k] for k in z.files}
    weights = {k: a for k, a in npz.items() if a.dtype.kind == "f"}
    by_name = {a["name"]: a for a in index["arrays"]}
    assert len(by_name) == len(index["arrays"]), "an array is listed twice"
    assert set(by_name) == set(weights)
    assert index["vocabulary"] == npz["vocabulary"].tolist()
    assert index["nouns"] == npz["nouns"].tolist()
    end = 0
    for entry in index["arrays"]:  # contiguous, in order, each exactly the npz array
        assert entry["offset"] == end, entry["name"]
        expected = weights[entry["name"]]
        assert entry["shape"] == list(expected.shape)
        stored = np.frombuffer(binary, dtype="<f4", count=expected.size, offset=entry["offset"])
        assert np.array_equal(stored.reshape(expected.shape), expected), entry["name"]
        end += expected.size * 4
    assert end == len(binary) == index["byte_length"]


def test_export_config_is_the_models():
    model = load_tiny_model()
    index = json.loads(export_tiny_model(model)[JSON_PATH])
    assert index["config"] == {
        "n_layers": model.n_layers,
        "n_heads": model.n_heads,
        "d_model": model.d_model,
        "d_head": model.d_head,
        "d_mlp": model.layers[0].mlp_b_in.shape[0],
        "eps": model.layer_norm_eps,
    }
    assert index["query"] == model.query == "it"
    assert index["reference_head"] == model.manifest["reference_head"]
