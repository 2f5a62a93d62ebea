"""Small helpers shared by the figure modules' data(): no math here, only bookkeeping."""

from __future__ import annotations

from attention_ref import Examples, SelfAttention, self_attention


def word_keys(tokens) -> list[str]:
    """A unique key per token for `value()` lookups: lower case, repeats numbered.

    ("An", "Apple", "And", "An", "Orange") -> ["an", "apple", "and", "an_2", "orange"]
    """
    seen: dict[str, int] = {}
    keys = []
    for t in tokens:
        w = t.lower().replace("'", "")
        seen[w] = seen.get(w, 0) + 1
        keys.append(w if seen[w] == 1 else f"{w}_{seen[w]}")
    return keys


def keyed(tokens, values) -> dict:
    """{word key: value} in sentence order (see `word_keys`)."""
    return dict(zip(word_keys(tokens), (float(v) for v in values), strict=True))


def attend(examples: Examples, sentence: str) -> tuple:
    """(sentence, SelfAttention) for a sentence of the examples, with its language's projections."""
    s = examples.sentence(sentence)
    lang = s.language
    if lang.w_q is None or lang.w_k is None or lang.w_v is None:
        raise ValueError(f"language {lang.name!r} of sentence {sentence!r} has no w_q, w_k, w_v in {examples.path}")
    att: SelfAttention = self_attention(s.x, lang.w_q, lang.w_k, lang.w_v)
    return s, att
