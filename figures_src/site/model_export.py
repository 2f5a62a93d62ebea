"""The trained tiny model as the browser reads it: one JSON index and one binary of float32 weights.

    export_tiny_model()  ->  {"assets/models/tiny-model.json": b"...", "assets/models/tiny-model.f32": b"..."}

The JSON holds what is not a weight (the vocabulary, the nouns, the query word,
the reference head, the configuration: n_layers, n_heads, d_model, d_head,
d_mlp, eps) and an index of the binary: for every weight array its name (the
name in attention_ref/model/tiny.npz), its shape and its byte offset. The
binary is every weight array, row-major, as little-endian float32, one after
the other in the index's order (each offset is a multiple of 4, so the browser
can view it as a Float32Array without copying).

The weights are float32 in tiny.npz; attention_ref holds them as float64, which
is exact, so converting back to float32 loses nothing: the browser gets the very
numbers numpy computes from. docs/assets/javascripts/tiny-model.js reads these
files; tests/browser/test_tiny_model_js.py checks its forward pass against
attention_ref's.

Pure: no file is written, nothing depends on the clock or the machine, and the
same model gives the same bytes (keys in a fixed order, compact separators).
"""

from __future__ import annotations

import json

import numpy as np

from attention_ref.tiny_model import LAYER_KEYS, TinyModel, load_tiny_model

JSON_PATH = "assets/models/tiny-model.json"
WEIGHTS_PATH = "assets/models/tiny-model.f32"
FORMAT = "tiny-model/1"


def weight_arrays(model: TinyModel) -> list[tuple[str, np.ndarray]]:
    """(name, array) for every weight, in tiny.npz's names and order: tok_emb, each layer's, ln_f, head."""
    arrays = [("tok_emb", model.tok_emb)]
    for i, layer in enumerate(model.layers):
        arrays += [(f"layers.{i}.{key}", getattr(layer, key.replace(".", "_"))) for key in LAYER_KEYS]
    arrays += [
        ("ln_f.weight", model.ln_f_weight),
        ("ln_f.bias", model.ln_f_bias),
        ("head.w", model.head_w),
        ("head.b", model.head_b),
    ]
    return arrays


def export_tiny_model(model: TinyModel | None = None) -> dict[str, bytes]:
    """The files the browser needs, by site path (see the module docstring).

    Args:
        model: a loaded `TinyModel`; None = the committed one (attention_ref/model/).

    Returns:
        {JSON_PATH: the index as UTF-8 JSON, WEIGHTS_PATH: the float32 weights}.

    Raises:
        ValueError: a weight is not exactly a float32 number (float32 is all the
            browser gets, so the export refuses to round silently).
    """
    model = load_tiny_model() if model is None else model
    index, chunks, offset = [], [], 0
    for name, array in weight_arrays(model):
        f32 = np.ascontiguousarray(array, dtype="<f4")
        if not np.array_equal(f32.astype(np.float64), array):
            raise ValueError(f"model: weight {name!r} is not exactly float32; the browser's copy would differ")
        index.append({"name": name, "shape": list(f32.shape), "offset": offset})
        chunks.append(f32.tobytes(order="C"))
        offset += f32.nbytes
    manifest = model.manifest
    reference = manifest.get("reference_head", {})
    doc = {
        "format": FORMAT,
        "what": "The trained tiny transformer of the page 'A model that learned it', for tiny-model.js.",
        "weights_file": WEIGHTS_PATH.rsplit("/", 1)[1],
        "dtype": "float32, little-endian, row-major",
        "byte_length": offset,
        "config": {
            "n_layers": model.n_layers,
            "n_heads": model.n_heads,
            "d_model": model.d_model,
            "d_head": model.d_head,
            "d_mlp": int(model.layers[0].mlp_b_in.shape[0]) if model.layers else 0,
            "eps": model.layer_norm_eps,
        },
        "query": model.query,
        "reference_head": {"layer": int(reference.get("layer", 0)), "head": int(reference.get("head", 0))},
        "vocabulary": list(model.vocabulary),
        "nouns": list(model.nouns),
        "source": {"weights_sha256": manifest.get("weights_sha256"), "n_parameters": model.n_parameters},
        "arrays": index,
    }
    text = json.dumps(doc, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n"
    return {JSON_PATH: text.encode("utf-8"), WEIGHTS_PATH: b"".join(chunks)}
