"""Write tests/golden/tiny_model.npz: PyTorch's forward pass of the committed tiny model.

Run from the repository root in the training environment (it needs torch; the
ordinary test run only reads the .npz written here):

    .venv-train/bin/python tests/golden/make_tiny_golden.py

The torch model is training/train_tiny.py's own `TinyEncoder`, loaded with the
committed weights (attention_ref/model/tiny.npz) and run in float64, so
tests/ref/test_tiny_model.py can hold attention_ref's float64 numpy forward
pass to float64 rounding (the float32 weights are exact in float64). This
script does not import attention_ref.tiny_model: tokens are looked up by
plain `text.lower().split()` in the vocabulary stored in the weights file.

Sentences: the showcase pair ("... too tired" / "... too wide"), the same
pair in a place-first template, and held-out sentences (pairs never seen in
training) of every template, both sides. Layout: `cases` is a 1-D array of
the sentences; case i's arrays are `c{i}__attention` (n_layers, n_heads, T, T),
`c{i}__logits` (n_nouns,) and `c{i}__ids` (T,).
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import numpy as np
import torch

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "training"))
sys.path.insert(0, str(ROOT))

from train_tiny import model_from_arrays  # noqa: E402

from attention_ref.corpus import corpus_config  # noqa: E402

WEIGHTS = ROOT / "attention_ref" / "model" / "tiny.npz"
OUT = Path(__file__).resolve().parent / "tiny_model.npz"
N_HEADS = 2  # as in attention_ref/model/manifest.json; checked below
SENTENCES = [
    "the animal didn't cross the street because it was too tired",
    "the animal didn't cross the street because it was too wide",
    "the street was not crossed by the animal because it was too tired",
    "the street was not crossed by the animal because it was too wide",
    # held-out pairs (never together in training), every template, both sides
    "the bear would not climb the canyon as it was so exhausted",
    "the canyon stopped the bear since it was very steep",
    "the animal didn't leave the lake because it was too slippery",
    "the park was not visited by the animal because it was too noisy",
    "the animal would not explore the highway as it was so hungry",
    "the highway delayed the animal since it was very sleepy",
]


def main() -> None:
    manifest = json.loads((WEIGHTS.with_name("manifest.json")).read_text())
    assert manifest["model"]["n_heads"] == N_HEADS, manifest["model"]
    pairs = {tuple(p) for p in manifest["corpus"]["heldout_pairs"]}
    with np.load(WEIGHTS, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    vocabulary = [str(w) for w in arrays["vocabulary"]]
    nouns = [str(w) for w in arrays["nouns"]]
    config = corpus_config()
    for s in SENTENCES[4:]:
        words = s.split()
        pair = (next(w for w in words if w in config.animals), next(w for w in words if w in config.places))
        assert pair in pairs, f"{s!r}: {pair} is not a held-out pair"
    torch.use_deterministic_algorithms(True)
    model = model_from_arrays(arrays, n_heads=N_HEADS, dtype=torch.float64).eval()
    out = {"cases": np.array(SENTENCES)}
    with torch.no_grad():
        for i, s in enumerate(SENTENCES):
            words = s.lower().split()
            ids = torch.tensor([[vocabulary.index(w) for w in words]])
            logits, att = model(ids, torch.tensor([words.index("it")]))
            out[f"c{i}__ids"] = ids[0].numpy()
            out[f"c{i}__logits"] = logits[0].numpy()  # (n_nouns,)
            out[f"c{i}__attention"] = att[:, 0].numpy()  # (n_layers, n_heads, T, T)
            print(f"{s!r} -> {nouns[int(logits.argmax())]}")
    with zipfile.ZipFile(OUT, "w") as zf:  # fixed timestamps: the same numbers give the same bytes
        for key, value in out.items():
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w") as member:
                np.lib.format.write_array(member, value, allow_pickle=False)
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes), torch {torch.__version__}")


if __name__ == "__main__":
    main()
