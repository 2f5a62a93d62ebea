"""The trained tiny transformer, in numpy: load the committed weights, run a sentence, keep every step.

The model (trained by training/train_tiny.py; how and why in training/README.md):

    x_0   = tok_emb[ids] + PE                      # (T, d), PE = sinusoidal_positional_encoding(T, d)
    for each layer l:                              # pre-norm blocks, no causal mask: "it" sees the words after it
        a   = multi_head_attention(LN_1(x), W_Q, W_K, W_V, W_O)   # (T, d), no biases
        x  += a
        x  += relu(LN_2(x) W_in + b_in) W_out + b_out              # (T, d_mlp) -> (T, d)
    h     = LN_f(x)[i_it]                          # (d,) the final hidden state at "it"
    logits = h W_head + b_head                     # (n_nouns,) one score per animal and place

`softmax(logits)` over the corpus' nouns names what "it" refers to. A
classifier over nouns (rather than a pointer over positions) means the
noun's identity can reach the position of "it" only through attention, so
the heads that do it can be read: on the seed sentence one head of layer 1
looks from "it" at "animal" when the sentence ends in "tired" and at "street"
when it ends in "wide" (the numbers: training/README.md).

Tokenization (the browser does the same): lower case, split on whitespace,
strip `.,!?;:"` from both ends of each word; "didn't" is one word. A word the
model has never seen raises a ValueError naming it and the nearest known
words.

    >>> from attention_ref.tiny_model import load_tiny_model
    >>> model = load_tiny_model()
    >>> run = model.forward("The animal didn't cross the street because it was too wide")
    >>> run.prediction
    'street'
    >>> run.attention.shape == (model.n_layers, model.n_heads, 11, 11)
    True

Weights are stored in float32 (attention_ref/model/tiny.npz); this forward
pass computes in float64, like the rest of attention_ref.
"""

from __future__ import annotations

import difflib
import functools
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .attention import _frozen
from .corpus import PAD, tokenize
from .multihead import MultiHeadAttention, multi_head_attention
from .positional import sinusoidal_positional_encoding
from .softmax import softmax

DEFAULT_DIR = Path(__file__).with_name("model")
WEIGHTS_FILE = "tiny.npz"
MANIFEST_FILE = "manifest.json"
LAYER_KEYS = (
    "ln_1.weight",
    "ln_1.bias",
    "w_q",
    "w_k",
    "w_v",
    "w_o",
    "ln_2.weight",
    "ln_2.bias",
    "mlp.w_in",
    "mlp.b_in",
    "mlp.w_out",
    "mlp.b_out",
)


@dataclass(frozen=True)
class TinyLayer:
    """The weights of one pre-norm block (float64, read-only; row vectors: Q = X W_Q).

    Shapes: ln_1_weight, ln_1_bias, ln_2_weight, ln_2_bias `(d,)`; w_q, w_k,
    w_v, w_o `(d, d)` (head h owns columns h*d_head:(h+1)*d_head of w_q, w_k,
    w_v); mlp_w_in `(d, d_mlp)`, mlp_b_in `(d_mlp,)`, mlp_w_out `(d_mlp, d)`,
    mlp_b_out `(d,)`.
    """

    ln_1_weight: np.ndarray
    ln_1_bias: np.ndarray
    w_q: np.ndarray
    w_k: np.ndarray
    w_v: np.ndarray
    w_o: np.ndarray
    ln_2_weight: np.ndarray
    ln_2_bias: np.ndarray
    mlp_w_in: np.ndarray
    mlp_b_in: np.ndarray
    mlp_w_out: np.ndarray
    mlp_b_out: np.ndarray


@dataclass(frozen=True, kw_only=True)
class TinyLayerSteps:
    """Every step of one block for one sentence.

    Fields:
        x:         `(T, d)` the block's input (the residual stream).
        ln_1:      `(T, d)` LayerNorm_1(x), the input of the attention.
        attention: `MultiHeadAttention` of ln_1: per head q, k, v `(T, d_head)`,
                   scores and weights `(T, T)`; concat and output `(T, d)`.
        mid:       `(T, d)` x + attention.output.
        ln_2:      `(T, d)` LayerNorm_2(mid), the input of the MLP.
        mlp_hidden: `(T, d_mlp)` relu(ln_2 W_in + b_in).
        mlp_out:   `(T, d)` mlp_hidden W_out + b_out.
        output:    `(T, d)` mid + mlp_out, the next block's x.
    """

    x: np.ndarray
    ln_1: np.ndarray
    attention: MultiHeadAttention
    mid: np.ndarray
    ln_2: np.ndarray
    mlp_hidden: np.ndarray
    mlp_out: np.ndarray
    output: np.ndarray


@dataclass(frozen=True, kw_only=True)
class TinyForward:
    """Every step of the tiny model on one sentence, as read-only arrays.

    Fields:
        tokens:      the words, as tokenized (lower case).
        ids:         `(T,)` int, their rows of tok_emb.
        query_index: position of the query word ("it") in `tokens`.
        embeddings:  `(T, d)` tok_emb[ids].
        positions:   `(T, d)` sinusoidal_positional_encoding(T, d).
        layers:      one `TinyLayerSteps` per block.
        attention:   `(n_layers, n_heads, T, T)` every head's weights; row i = query token i.
        hidden:      `(n_layers + 1, T, d)` the residual stream: embeddings + positions, then each block's output.
        final:       `(T, d)` LayerNorm_f of the last hidden state.
        nouns:       the classes of `logits` (animals, then places).
        logits:      `(n_nouns,)` final[query_index] W_head + b_head.
        probabilities: `(n_nouns,)` softmax(logits).
        prediction:  the noun with the largest probability: what the model says "it" is.
        probability: its probability.
    """

    tokens: tuple[str, ...]
    ids: np.ndarray
    query_index: int
    embeddings: np.ndarray
    positions: np.ndarray
    layers: tuple[TinyLayerSteps, ...]
    attention: np.ndarray
    hidden: np.ndarray
    final: np.ndarray
    nouns: tuple[str, ...]
    logits: np.ndarray
    probabilities: np.ndarray
    prediction: str
    probability: float

    @property
    def query_attention(self) -> np.ndarray:
        """`(n_layers, n_heads, T)`: how much the query word ("it") attends to each token, per layer and head."""
        return self.attention[:, :, self.query_index, :]

    def attention_to(self, word: str, *, layer: int, head: int) -> float:
        """The weight from the query word to `word` (its first occurrence) in one head."""
        if word.lower() not in self.tokens:
            raise ValueError(f"word {word!r} is not in the sentence {' '.join(self.tokens)!r}")
        return float(self.attention[layer, head, self.query_index, self.tokens.index(word.lower())])


@dataclass(frozen=True)
class TinyModel:
    """The trained tiny transformer: vocabulary, weights (float64, read-only) and manifest.

    Fields:
        vocabulary: `(V,)` words; a word's index is its row of `tok_emb`; index 0 is `<pad>`.
        nouns:      `(n_nouns,)` the referent classes, columns of `head_w`.
        query:      the word whose referent the model names ("it").
        n_heads:    heads per layer; d_head = d_model / n_heads.
        tok_emb:    `(V, d)` token embeddings.
        layers:     one `TinyLayer` per block.
        ln_f_weight, ln_f_bias: `(d,)` the final LayerNorm.
        head_w:     `(d, n_nouns)`, head_b `(n_nouns,)`: the referent classifier.
        layer_norm_eps: the LayerNorms' epsilon (1e-5).
        manifest:   manifest.json: how the weights were made (seed, corpus hash, versions, accuracy).
        path:       the weights file.
    """

    vocabulary: tuple[str, ...]
    nouns: tuple[str, ...]
    query: str
    n_heads: int
    tok_emb: np.ndarray
    layers: tuple[TinyLayer, ...]
    ln_f_weight: np.ndarray
    ln_f_bias: np.ndarray
    head_w: np.ndarray
    head_b: np.ndarray
    layer_norm_eps: float
    manifest: dict
    path: Path

    @property
    def d_model(self) -> int:
        return self.tok_emb.shape[1]

    @property
    def n_layers(self) -> int:
        return len(self.layers)

    @property
    def d_head(self) -> int:
        return self.d_model // self.n_heads

    @property
    def n_parameters(self) -> int:
        arrays = [self.tok_emb, self.ln_f_weight, self.ln_f_bias, self.head_w, self.head_b]
        arrays += [a for layer in self.layers for a in vars(layer).values()]
        return int(sum(a.size for a in arrays))

    def tokenize(self, sentence: str | Sequence[str]) -> tuple[str, ...]:
        """The words of `sentence` (see the module docstring), each checked against the vocabulary.

        Raises:
            TypeError: `sentence` is not a string or a sequence of strings.
            ValueError: it has no words, or a word the model does not know
                (naming the word and the nearest known words).
        """
        if isinstance(sentence, str):
            tokens = tokenize(sentence)
        elif isinstance(sentence, Sequence) and all(isinstance(w, str) for w in sentence):
            tokens = tokenize(" ".join(sentence))
        else:
            raise TypeError(f"sentence must be a string or a sequence of words; got {type(sentence).__name__}")
        if not tokens:
            raise ValueError(f"sentence has no words; got {sentence!r}")
        known = set(self.vocabulary) - {PAD}
        for word in tokens:
            if word not in known:
                near = difflib.get_close_matches(word, sorted(known), n=3, cutoff=0.6)
                hint = f"nearest known words: {', '.join(near)}" if near else "no known word is close"
                raise ValueError(f"sentence: unknown word {word!r} (the tiny model knows {len(known)} words); {hint}")
        return tokens

    def forward(self, sentence: str | Sequence[str]) -> TinyForward:
        """Run the model on one sentence; every intermediate step is a field of the result.

        Args:
            sentence: a string ("The animal didn't cross the street because it
                was too tired") or its words; it must contain the query word
                ("it") exactly once.

        Returns:
            `TinyForward` (shapes there), with T = the number of words.

        Raises:
            TypeError, ValueError: as `tokenize`, and a ValueError when the
                query word is missing or appears more than once.
        """
        tokens = self.tokenize(sentence)
        if tokens.count(self.query) != 1:
            raise ValueError(
                f"sentence must contain {self.query!r} exactly once (the model names its referent); "
                f"found {tokens.count(self.query)} in {' '.join(tokens)!r}"
            )
        return _forward(self, tokens)


def _forward(model: TinyModel, tokens: tuple[str, ...]) -> TinyForward:
    index = {w: i for i, w in enumerate(model.vocabulary)}
    ids = np.array([index[w] for w in tokens])  # (T,)
    t, i_q = len(tokens), tokens.index(model.query)
    embeddings = model.tok_emb[ids]  # (T, d)
    positions = sinusoidal_positional_encoding(t, model.d_model)  # (T, d)
    x = embeddings + positions  # (T, d)
    hidden, steps = [x], []
    for layer in model.layers:
        ln_1 = _layer_norm(x, layer.ln_1_weight, layer.ln_1_bias, model.layer_norm_eps)  # (T, d)
        att = multi_head_attention(ln_1, layer.w_q, layer.w_k, layer.w_v, layer.w_o, n_heads=model.n_heads)
        mid = x + att.output  # (T, d)
        ln_2 = _layer_norm(mid, layer.ln_2_weight, layer.ln_2_bias, model.layer_norm_eps)  # (T, d)
        mlp_hidden = np.maximum(ln_2 @ layer.mlp_w_in + layer.mlp_b_in, 0.0)  # (T, d) x (d, d_mlp) -> (T, d_mlp)
        mlp_out = mlp_hidden @ layer.mlp_w_out + layer.mlp_b_out  # (T, d_mlp) x (d_mlp, d) -> (T, d)
        out = mid + mlp_out  # (T, d)
        steps.append(
            TinyLayerSteps(
                x=_frozen(x),
                ln_1=_frozen(ln_1),
                attention=att,
                mid=_frozen(mid),
                ln_2=_frozen(ln_2),
                mlp_hidden=_frozen(mlp_hidden),
                mlp_out=_frozen(mlp_out),
                output=_frozen(out),
            )
        )
        x = out
        hidden.append(x)
    final = _layer_norm(x, model.ln_f_weight, model.ln_f_bias, model.layer_norm_eps)  # (T, d)
    logits = final[i_q] @ model.head_w + model.head_b  # (d,) x (d, n_nouns) -> (n_nouns,)
    probabilities = softmax(logits)  # (n_nouns,)
    best = int(np.argmax(probabilities))
    ids.setflags(write=False)
    return TinyForward(
        tokens=tokens,
        ids=ids,
        query_index=i_q,
        embeddings=_frozen(embeddings),
        positions=_frozen(positions),
        layers=tuple(steps),
        attention=_frozen(np.stack([s.attention.weights for s in steps])),  # (n_layers, n_heads, T, T)
        hidden=_frozen(np.stack(hidden)),  # (n_layers + 1, T, d)
        final=_frozen(final),
        nouns=model.nouns,
        logits=_frozen(logits),
        probabilities=_frozen(probabilities),
        prediction=model.nouns[best],
        probability=float(probabilities[best]),
    )


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    """(x - mean) / sqrt(var + eps) * weight + bias over the last axis (biased variance, as torch)."""
    mean = x.mean(axis=-1, keepdims=True)  # (T, 1)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)  # (T, 1)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


# --------------------------------------------------------------------------- loading


def load_tiny_model(path: str | Path | None = None) -> TinyModel:
    """Load the tiny model: `tiny.npz` and the `manifest.json` beside it.

    Args:
        path: the weights file, or the folder holding tiny.npz and
            manifest.json; None = the committed model in attention_ref/model/.

    Returns:
        `TinyModel` with float64 read-only weights.

    Raises:
        FileNotFoundError: no weights file or no manifest there.
        ValueError: naming the file and the array when an array is missing or
            its shape does not fit the others.
    """
    if path is None:
        return _default_model()
    return _load(Path(path))


@functools.cache
def _default_model() -> TinyModel:
    return _load(DEFAULT_DIR)


def _load(path: Path) -> TinyModel:
    weights = path / WEIGHTS_FILE if path.is_dir() else path
    manifest_path = weights.with_name(MANIFEST_FILE)
    for p in (weights, manifest_path):
        if not p.is_file():
            raise FileNotFoundError(
                f"path: no {p.name} at {p} (the tiny model needs {WEIGHTS_FILE} and {MANIFEST_FILE})"
            )
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    with np.load(weights, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}

    def get(key: str, shape: tuple[int, ...]) -> np.ndarray:
        if key not in arrays:
            raise ValueError(f"{weights}: array {key!r} is missing")
        a = np.array(arrays[key], dtype=np.float64)
        if a.shape != shape:
            raise ValueError(f"{weights}: array {key!r} must have shape {shape}; got {a.shape}")
        a.setflags(write=False)
        return a

    for key in ("vocabulary", "nouns", "tok_emb", "head.b"):
        if key not in arrays:
            raise ValueError(f"{weights}: array {key!r} is missing")
    vocabulary = tuple(str(w) for w in arrays["vocabulary"])
    nouns = tuple(str(w) for w in arrays["nouns"])
    v, d = arrays["tok_emb"].shape
    n_nouns = len(nouns)
    n_layers = len({k.split(".")[1] for k in arrays if k.startswith("layers.")})
    if "layers.0.mlp.b_in" not in arrays:
        raise ValueError(f"{weights}: array 'layers.0.mlp.b_in' is missing")
    d_mlp = arrays["layers.0.mlp.b_in"].shape[0]
    if v != len(vocabulary):
        raise ValueError(f"{weights}: tok_emb has {v} rows but the vocabulary {len(vocabulary)} words")
    shapes = {
        "ln_1.weight": (d,),
        "ln_1.bias": (d,),
        "w_q": (d, d),
        "w_k": (d, d),
        "w_v": (d, d),
        "w_o": (d, d),
        "ln_2.weight": (d,),
        "ln_2.bias": (d,),
        "mlp.w_in": (d, d_mlp),
        "mlp.b_in": (d_mlp,),
        "mlp.w_out": (d_mlp, d),
        "mlp.b_out": (d,),
    }
    layers = tuple(
        TinyLayer(**{key.replace(".", "_"): get(f"layers.{i}.{key}", shapes[key]) for key in LAYER_KEYS})
        for i in range(n_layers)
    )
    model_info = manifest.get("model", {})
    n_heads = model_info.get("n_heads")
    if not isinstance(n_heads, int) or n_heads <= 0 or d % n_heads:
        raise ValueError(f"{manifest_path}: model.n_heads must be a positive int dividing d_model = {d}; got {n_heads}")
    return TinyModel(
        vocabulary=vocabulary,
        nouns=nouns,
        query=model_info.get("query", "it"),
        n_heads=n_heads,
        tok_emb=get("tok_emb", (v, d)),
        layers=layers,
        ln_f_weight=get("ln_f.weight", (d,)),
        ln_f_bias=get("ln_f.bias", (d,)),
        head_w=get("head.w", (d, n_nouns)),
        head_b=get("head.b", (n_nouns,)),
        layer_norm_eps=float(model_info.get("layer_norm_eps", 1e-5)),
        manifest=manifest,
        path=weights,
    )
