"""attention_ref: the reference implementation behind every number on the site.

Pure numpy. Tokens are row vectors: X is `(T, d_model)`, Q = X W_Q.

    >>> import numpy as np
    >>> from attention_ref import scaled_dot_product_attention
    >>> att = scaled_dot_product_attention(np.eye(2), np.eye(2), np.eye(2))
    >>> att.weights.sum(axis=-1)
    array([1., 1.])
"""

from .attention import (
    Attention,
    CrossAttention,
    SelfAttention,
    causal_mask,
    cross_attention,
    scaled_dot_product_attention,
    self_attention,
)
from .corpus import Corpus, CorpusConfig, corpus_config, corpus_hash, generate_corpus
from .decoding import (
    DecodeStep,
    DecodingCost,
    KVCache,
    decode,
    decode_step,
    decoding_cost,
    sample_index,
    sample_tokens,
    softmax_with_temperature,
    uniform_draws,
)
from .examples import ExampleError, Examples, Language, Sentence, load_examples
from .experiments import dot_product_spread, entropy_bits, random_dot_products, softmax_gradient, softmax_saturation
from .geometry import contextualize, move_toward
from .multihead import MultiHeadAttention, multi_head_attention
from .positional import sinusoidal_positional_encoding
from .residual import add_residual
from .similarity import cosine_similarity, dot_similarity, scaled_dot_similarity
from .softmax import softmax, softmax_jacobian
from .tiny_model import TinyForward, TinyModel, load_tiny_model

__version__ = "0.1.0"

__all__ = [
    "Attention",
    "Corpus",
    "CrossAttention",
    "CorpusConfig",
    "DecodeStep",
    "DecodingCost",
    "ExampleError",
    "Examples",
    "KVCache",
    "Language",
    "MultiHeadAttention",
    "SelfAttention",
    "Sentence",
    "TinyForward",
    "TinyModel",
    "add_residual",
    "causal_mask",
    "contextualize",
    "corpus_config",
    "corpus_hash",
    "cosine_similarity",
    "decode",
    "decode_step",
    "decoding_cost",
    "cross_attention",
    "dot_product_spread",
    "dot_similarity",
    "entropy_bits",
    "generate_corpus",
    "load_examples",
    "load_tiny_model",
    "move_toward",
    "multi_head_attention",
    "random_dot_products",
    "sample_index",
    "sample_tokens",
    "scaled_dot_product_attention",
    "scaled_dot_similarity",
    "self_attention",
    "sinusoidal_positional_encoding",
    "softmax",
    "softmax_gradient",
    "softmax_jacobian",
    "softmax_saturation",
    "softmax_with_temperature",
    "uniform_draws",
]
