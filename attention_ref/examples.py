"""The worked examples, read from one editable TOML file and validated.

The site's sentences, toy embeddings, projection matrices and seeds are data,
not code: `examples.toml` beside this module holds them. A teacher copies that
file, changes it, and points the build at the copy (`--examples FILE` or the
`ATTENTION_EXAMPLES` environment variable); every figure follows.

A malformed file raises `ExampleError` naming the file, the entry and what is
wrong, e.g. ``my.toml: [sentences.animal] word 'dgo' is not in the vocabulary
of language 'walkthrough' (known: animal, because, ...)``.
"""

from __future__ import annotations

import difflib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

DEFAULT_PATH = Path(__file__).with_name("examples.toml")
ENV_VAR = "ATTENTION_EXAMPLES"


class ExampleError(ValueError):
    """A malformed examples file; the message names the file and the entry."""


@dataclass(frozen=True)
class Language:
    """A toy vocabulary: named axes, one vector per word, optional projections."""

    name: str
    axes: tuple[str, ...]
    vocabulary: dict[str, np.ndarray]
    w_q: np.ndarray | None = None  # (d_model, d_k)
    w_k: np.ndarray | None = None  # (d_model, d_k)
    w_v: np.ndarray | None = None  # (d_model, d_v)

    @property
    def d_model(self) -> int:
        return len(self.axes)

    def embed(self, tokens) -> np.ndarray:
        """Stack the vectors of `tokens` (looked up in lower case): `(T, d_model)`."""
        return np.stack([self.vocabulary[t.lower()] for t in tokens])


@dataclass(frozen=True)
class Sentence:
    """A sentence of a language; tokens are its words as written."""

    name: str
    text: str
    tokens: tuple[str, ...]
    language: Language
    focus: str | None = None  # the token whose row the step-by-step pages follow
    toward: str | None = None  # the geometric view's target word

    @property
    def x(self) -> np.ndarray:
        """The embeddings X, one row per token: `(T, d_model)`."""
        return self.language.embed(self.tokens)

    @property
    def focus_index(self) -> int:
        """Position of `focus` (the first token equal to it, ignoring case)."""
        return self.index(self.focus)

    def index(self, word: str) -> int:
        lowered = [t.lower() for t in self.tokens]
        return lowered.index(word.lower())


@dataclass(frozen=True)
class CandidateSpace:
    name: str
    label: str
    w: np.ndarray  # (d, d), applied to row vectors as x W


@dataclass(frozen=True)
class Calculator:
    """The calculator-sized example of `[calculator]`: one query against three keys, d_k = 2."""

    tokens: tuple[str, ...]  # one name per key
    q: np.ndarray  # (1, d_k)
    k: np.ndarray  # (T_k, d_k)
    limit: float  # every entry lies in [-limit, limit]


@dataclass(frozen=True)
class CrossExample:
    """The translation pair of `[cross]`, ready for `cross_attention`.

    `target` is the sentence being written: its tokens give the queries
    (T_q rows). `source` is the sentence being read: its tokens give the keys
    and values (T_k rows). The weights are (T_q, T_k).
    """

    source: Sentence
    target: Sentence
    w_q: np.ndarray  # (d_model of the target's language, d_k)
    w_k: np.ndarray  # (d_model of the source's language, d_k)
    w_v: np.ndarray  # (d_model of the source's language, d_v)

    @property
    def x_q(self) -> np.ndarray:
        """The target's embeddings, which give the queries: `(T_q, d_q)`."""
        return self.target.x

    @property
    def x_kv(self) -> np.ndarray:
        """The source's embeddings, which give the keys and values: `(T_k, d_kv)`."""
        return self.source.x


# The shape and range of the calculator example (the widget that edits it keeps to them too).
CALCULATOR_T_K = 3
CALCULATOR_D_K = 2
CALCULATOR_LIMIT = 5.0


@dataclass(frozen=True)
class Decoding:
    """The generation example of `[decoding]` (docs/generating.md)."""

    sentence: str  # a key of [sentences], replayed one word at a time
    prompt_length: int  # the words before the choice of the next one
    candidates: tuple[str, ...]  # the next words to choose from, words of the sentence's language
    logits: np.ndarray  # (n_candidates,) hand-made scores of the next word
    temperatures: tuple[float, ...]
    n_draws: int
    seed: int
    d_model: int  # the head whose cost per token figure kv-cache-cost counts
    d_k: int
    d_v: int
    max_t: int


DECODING_KEYS = ("sentence", "prompt_length", "candidates", "logits", "temperatures", "n_draws", "seed",
                 "d_model", "d_k", "d_v", "max_t")


@dataclass(frozen=True)
class Examples:
    path: Path
    languages: dict[str, Language]
    sentences: dict[str, Sentence]
    candidate_spaces: dict[str, CandidateSpace]
    scaling: dict = field(default_factory=dict)
    positional: dict = field(default_factory=dict)
    corpus: dict = field(default_factory=dict)  # raw [corpus] table; attention_ref.corpus validates it
    calculator: Calculator | None = None  # [calculator], if the file has it
    decoding: Decoding | None = None  # [decoding], if the file has it
    cross: CrossExample | None = None  # [cross], if the file has it

    def sentence(self, name: str) -> Sentence:
        try:
            return self.sentences[name]
        except KeyError:
            known = ", ".join(sorted(self.sentences))
            raise KeyError(f"no sentence {name!r} in {self.path} (known: {known})") from None


def examples_path(path: str | os.PathLike | None = None) -> Path:
    """The file to read: `path`, else $ATTENTION_EXAMPLES, else the packaged default."""
    if path is not None:
        return Path(path)
    env = os.environ.get(ENV_VAR)
    return Path(env) if env else DEFAULT_PATH


# Top-level tables of an examples file; any other is a typo that would be silently ignored.
SECTIONS = frozenset(
    {"languages", "sentences", "candidate_spaces", "scaling", "positional", "multihead", "corpus", "calculator",
     "cross"}
    | {"decoding"}  # attention while generating (docs/generating.md)
)


def load_examples(path: str | os.PathLike | None = None) -> Examples:
    """Read and validate the examples file (see `examples_path` for which one)."""
    path = examples_path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExampleError(f"{path}: examples file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise ExampleError(f"{path}: not valid TOML: {exc}") from None
    return _Reader(path).examples(raw)


class _Reader:
    """Turns the raw TOML into validated records; every error names file and entry."""

    def __init__(self, path: Path):
        self.path = path

    def fail(self, entry: str, message: str):
        raise ExampleError(f"{self.path}: [{entry}] {message}")

    def table(self, raw: dict, key: str, entry: str, *, required: bool = True) -> dict:
        value = raw.get(key, {} if not required else None)
        if value is None:
            self.fail(entry, f"missing table {key!r}")
        if not isinstance(value, dict):
            self.fail(entry, f"{key!r} must be a table; got {type(value).__name__}")
        return value

    def matrix(self, value, entry: str, key: str, shape: tuple[int | None, int | None]) -> np.ndarray:
        try:
            arr = np.array(value, dtype=np.float64)
        except (TypeError, ValueError):
            self.fail(entry, f"{key} must be a list of rows of numbers; got {value!r}")
        mismatch = arr.ndim != len(shape) or any(
            want is not None and got != want for got, want in zip(arr.shape, shape, strict=True)
        )
        if mismatch:
            want = tuple("n" if s is None else s for s in shape)
            self.fail(entry, f"{key} must have shape {want}; got {arr.shape}")
        if not np.all(np.isfinite(arr)):
            self.fail(entry, f"{key} contains NaN or inf")
        return arr

    def string(self, raw: dict, key: str, entry: str, *, required: bool = True) -> str | None:
        value = raw.get(key)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(entry, f"{key!r} must be a non-empty string; got {value!r}")
        return value

    def examples(self, raw: dict) -> Examples:
        unknown = sorted(set(raw) - SECTIONS)
        if unknown:
            guess = difflib.get_close_matches(unknown[0], SECTIONS, n=1)
            hint = f" (did you mean [{guess[0]}]?)" if guess else ""
            self.fail(unknown[0], f"unknown section{hint}; the sections are {', '.join(sorted(SECTIONS))}")
        languages = {name: self.language(name, t) for name, t in self.table(raw, "languages", "top level").items()}
        sentences = {
            name: self.sentence(name, t, languages) for name, t in self.table(raw, "sentences", "top level").items()
        }
        spaces = {
            name: self.candidate_space(name, t)
            for name, t in self.table(raw, "candidate_spaces", "top level", required=False).items()
        }
        return Examples(
            path=self.path,
            languages=languages,
            sentences=sentences,
            candidate_spaces=spaces,
            scaling=self.scaling(self.table(raw, "scaling", "top level", required=False)),
            positional=dict(self.table(raw, "positional", "top level", required=False)),
            corpus=dict(self.table(raw, "corpus", "top level", required=False)),
            calculator=self.calculator(raw["calculator"]) if "calculator" in raw else None,
            decoding=self.decoding(raw["decoding"], sentences) if "decoding" in raw else None,
            cross=self.cross(raw["cross"], sentences) if "cross" in raw else None,
        )

    def language(self, name: str, raw: dict) -> Language:
        entry = f"languages.{name}"
        if not isinstance(raw, dict):
            self.fail(entry, "must be a table")
        axes = raw.get("axes")
        if not isinstance(axes, list) or not axes or not all(isinstance(a, str) for a in axes):
            self.fail(entry, f"'axes' must be a non-empty list of names; got {axes!r}")
        d = len(axes)
        vocab_raw = self.table(raw, "vocabulary", entry)
        if not vocab_raw:
            self.fail(entry + ".vocabulary", "is empty")
        vocabulary = {}
        for word, vec in vocab_raw.items():
            if word != word.lower():
                self.fail(entry + ".vocabulary", f"word {word!r} must be written in lower case")
            vocabulary[word] = self.matrix(vec, entry + ".vocabulary", word, (d,))
        projections = {}
        for key in ("w_q", "w_k", "w_v"):
            if key in raw:
                projections[key] = self.matrix(raw[key], entry, key, (d, None))
        if "w_q" in projections and "w_k" in projections and projections["w_q"].shape != projections["w_k"].shape:
            q_shape, k_shape = projections["w_q"].shape, projections["w_k"].shape
            self.fail(entry, f"w_q {q_shape} and w_k {k_shape} must have the same d_k")
        return Language(name=name, axes=tuple(axes), vocabulary=vocabulary, **projections)

    def sentence(self, name: str, raw: dict, languages: dict[str, Language]) -> Sentence:
        entry = f"sentences.{name}"
        if not isinstance(raw, dict):
            self.fail(entry, "must be a table")
        text = self.string(raw, "text", entry)
        lang_name = self.string(raw, "language", entry)
        if lang_name not in languages:
            self.fail(entry, f"language {lang_name!r} is not defined (known: {', '.join(sorted(languages))})")
        language = languages[lang_name]
        tokens = tuple(text.split())
        for token in tokens:
            if token.lower() not in language.vocabulary:
                known = ", ".join(sorted(language.vocabulary))
                self.fail(entry, f"word {token!r} is not in the vocabulary of language {lang_name!r} (known: {known})")
        lowered = [t.lower() for t in tokens]
        focus = self.string(raw, "focus", entry, required=False)
        toward = self.string(raw, "toward", entry, required=False)
        for key, word in (("focus", focus), ("toward", toward)):
            if word is not None and word.lower() not in lowered:
                self.fail(entry, f"{key} {word!r} is not a word of the sentence {text!r}")
        return Sentence(name=name, text=text, tokens=tokens, language=language, focus=focus, toward=toward)

    def candidate_space(self, name: str, raw: dict) -> CandidateSpace:
        entry = f"candidate_spaces.{name}"
        label = self.string(raw, "label", entry)
        return CandidateSpace(name=name, label=label, w=self.matrix(raw.get("w"), entry, "w", (2, 2)))

    def calculator(self, raw) -> Calculator:
        entry = "calculator"
        if not isinstance(raw, dict):
            self.fail(entry, "must be a table")
        unknown = sorted(set(raw) - {"tokens", "q", "k"})
        if unknown:
            self.fail(entry, f"unknown keys {unknown} (known: tokens, q, k)")
        for key in ("tokens", "q", "k"):
            if key not in raw:
                self.fail(entry, f"missing {key!r}")
        t_k, d_k, limit = CALCULATOR_T_K, CALCULATOR_D_K, CALCULATOR_LIMIT
        tokens = raw["tokens"]
        if (not isinstance(tokens, list) or len(tokens) != t_k
                or not all(isinstance(t, str) and t.strip() for t in tokens)):
            self.fail(entry, f"'tokens' must be a list of {t_k} non-empty names, one per key; got {tokens!r}")
        if len(set(tokens)) != len(tokens):
            self.fail(entry, f"'tokens' must be {t_k} different names; got {tokens!r}")
        q = self.matrix(raw["q"], entry, "q", (1, d_k))
        k = self.matrix(raw["k"], entry, "k", (t_k, d_k))
        for key, arr in (("q", q), ("k", k)):
            if np.any(np.abs(arr) > limit):
                bad = arr[np.abs(arr) > limit].flat[0]
                self.fail(entry, f"every entry of {key} must lie in [-{limit:g}, {limit:g}] "
                                 f"(so that e^s stays a number a calculator shows); got {bad:g}")
        for arr in (q, k):
            arr.setflags(write=False)
        return Calculator(tokens=tuple(tokens), q=q, k=k, limit=limit)

    def decoding(self, raw, sentences: dict[str, Sentence]) -> Decoding:
        entry = "decoding"
        if not isinstance(raw, dict):
            self.fail(entry, "must be a table")
        unknown = sorted(set(raw) - set(DECODING_KEYS))
        missing = [k for k in DECODING_KEYS if k not in raw]
        if unknown or missing:
            self.fail(entry, f"unknown keys {unknown}, missing keys {missing} (the keys: {', '.join(DECODING_KEYS)})")
        name = raw["sentence"]
        if name not in sentences:
            known = ", ".join(sorted(sentences))
            self.fail(entry, f"sentence {name!r} is not a sentence of [sentences] (known: {known})")
        sentence = sentences[name]
        ints = {}
        for key in ("prompt_length", "n_draws", "seed", "d_model", "d_k", "d_v", "max_t"):
            v = raw[key]
            if isinstance(v, bool) or not isinstance(v, int) or v < (0 if key == "seed" else 1):
                self.fail(entry, f"{key!r} must be a {'non-negative' if key == 'seed' else 'positive'} integer; "
                                 f"got {v!r}")
            ints[key] = v
        if ints["seed"] >= 2**32:
            self.fail(entry, f"'seed' must be below 2^32; got {ints['seed']}")
        if not ints["prompt_length"] < len(sentence.tokens):
            self.fail(entry, f"'prompt_length' must be shorter than the sentence {sentence.text!r} "
                             f"({len(sentence.tokens)} words); got {ints['prompt_length']}")
        cands = raw["candidates"]
        if (not isinstance(cands, list) or len(cands) < 2 or len(set(cands)) != len(cands)
                or not all(isinstance(c, str) for c in cands)):
            self.fail(entry, f"'candidates' must be a list of at least 2 different words; got {cands!r}")
        vocab = sentence.language.vocabulary
        unknown_words = [c for c in cands if c.lower() not in vocab]
        if unknown_words:
            self.fail(entry, f"candidate {unknown_words[0]!r} is not in the vocabulary of language "
                             f"{sentence.language.name!r} (known: {', '.join(sorted(vocab))})")
        logits = self.matrix(raw["logits"], entry, "logits", (len(cands),))
        temps = raw["temperatures"]
        if (not isinstance(temps, list) or not temps
                or not all(isinstance(t, (int, float)) and not isinstance(t, bool) and t > 0 for t in temps)):
            self.fail(entry, f"'temperatures' must be a list of positive numbers; got {temps!r}")
        logits.setflags(write=False)
        return Decoding(sentence=name, candidates=tuple(c.lower() for c in cands), logits=logits,
                        temperatures=tuple(float(t) for t in temps), **ints)

    def cross(self, raw, sentences: dict[str, Sentence]) -> CrossExample:
        entry = "cross"
        if not isinstance(raw, dict):
            self.fail(entry, "must be a table")
        known = ("source", "target", "w_q", "w_k", "w_v")
        unknown = sorted(set(raw) - set(known))
        if unknown:
            self.fail(entry, f"unknown keys {unknown} (known: {', '.join(known)})")
        for key in known:
            if key not in raw:
                self.fail(entry, f"missing {key!r}")
        pair = {}
        for key, role in (("source", "the sentence read, which gives the keys and values"),
                          ("target", "the sentence written, which gives the queries")):
            name = self.string(raw, key, entry)
            if name not in sentences:
                self.fail(entry, f"{key} {name!r} ({role}) is not a sentence of [sentences] "
                                 f"(known: {', '.join(sorted(sentences))})")
            pair[key] = sentences[name]
        d_q, d_kv = pair["target"].language.d_model, pair["source"].language.d_model
        w_q = self.matrix(raw["w_q"], entry, "w_q", (d_q, None))
        w_k = self.matrix(raw["w_k"], entry, "w_k", (d_kv, None))
        w_v = self.matrix(raw["w_v"], entry, "w_v", (d_kv, None))
        if w_q.shape[1] != w_k.shape[1]:
            self.fail(entry, f"w_q {w_q.shape} and w_k {w_k.shape} must have the same d_k (their columns)")
        for arr in (w_q, w_k, w_v):
            arr.setflags(write=False)
        return CrossExample(source=pair["source"], target=pair["target"], w_q=w_q, w_k=w_k, w_v=w_v)

    def scaling(self, raw: dict) -> dict:
        entry = "scaling"
        out = dict(raw)
        for key in ("d_k", "d_k_sweep"):
            values = raw.get(key, [])
            if not isinstance(values, list) or not all(isinstance(v, int) and v > 0 for v in values):
                self.fail(entry, f"{key!r} must be a list of positive integers; got {values!r}")
        for key in ("n_keys", "n_samples", "seed"):
            if key in raw and not (isinstance(raw[key], int) and raw[key] >= 0):
                self.fail(entry, f"{key!r} must be a non-negative integer; got {raw[key]!r}")
        return out


# --------------------------------------------------------------------------- the multi-head example


@dataclass(frozen=True)
class MultiHeadExample:
    """The hand-built multi-head example of `[multihead]`, ready for `multi_head_attention`.

    x is `(T, d_model)` with one named column per entry of `axes`; w_q, w_k, w_v
    and w_o are `(d_model, d_model)`; head h owns the columns
    `h * d_head : (h + 1) * d_head` of w_q, w_k and w_v, and `head_names[h]` /
    `head_titles[h]` name the relation it is built to catch.
    """

    sentence: Sentence
    axes: tuple[str, ...]
    x: np.ndarray  # (T, d_model)
    w_q: np.ndarray  # (d_model, d_model)
    w_k: np.ndarray  # (d_model, d_model)
    w_v: np.ndarray  # (d_model, d_model)
    w_o: np.ndarray  # (d_model, d_model)
    n_heads: int
    head_names: tuple[str, ...]
    head_titles: tuple[str, ...]
    positions_per_turn: float


def multihead_example(examples: Examples) -> MultiHeadExample:
    """Assemble and validate the multi-head example from `[multihead]` of the examples file.

    X's columns, in order: the axes of the sentence's language; `clock_cos`,
    `clock_sin` = (cos iθ, sin iθ) for position i, θ = 360° / positions_per_turn;
    `one`, a constant 1; the axes of `[multihead.features]` (one vector per word);
    then zero columns `spare_1`, `spare_2`, ... up to d_model.

    Each `[[multihead.heads]]` entry fills its d_head-column block of W_Q, W_K,
    W_V: its `q`, `k`, `v` tables give rows by input axis (`noun = [6.0, 0.0]`),
    and `q_clock` / `k_clock` = {gain, turn} add gain * R(turn θ) to the two clock
    rows (first two columns of the block), R turning a row vector by the angle
    turn θ; a query turned by `turn` lines up with the key `turn` positions away.
    `w_o` is "identity" or a `(d_model, d_model)` list of rows.

    Raises:
        ExampleError naming the file and the entry: a missing table, an unknown
        sentence, word or axis, a row or matrix of the wrong shape, a head count
        other than n_heads, or a clock on which the sentence does not fit.
    """
    r = _Reader(examples.path)
    try:
        raw = tomllib.loads(examples.path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ExampleError(f"{examples.path}: cannot read the examples file: {exc}") from None
    entry = "multihead"
    mh = r.table(raw, "multihead", "top level")
    try:
        sentence = examples.sentence(r.string(mh, "sentence", entry))
    except KeyError as exc:
        r.fail(entry, exc.args[0])
    d_model, n_heads = mh.get("d_model"), mh.get("n_heads")
    for key, value in (("d_model", d_model), ("n_heads", n_heads)):
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            r.fail(entry, f"{key!r} must be a positive integer; got {value!r}")
    if d_model % n_heads or d_model // n_heads < 2:
        r.fail(entry, f"n_heads = {n_heads} must split d_model = {d_model} into heads of at least 2 columns")
    d_head = d_model // n_heads
    t = len(sentence.tokens)
    per_turn = mh.get("positions_per_turn")
    if isinstance(per_turn, bool) or not isinstance(per_turn, (int, float)) or not t - 1 < per_turn < float("inf"):
        r.fail(
            entry,
            f"'positions_per_turn' must be a number above T - 1 = {t - 1}, so that the {t} positions "
            f"of {sentence.name!r} fit in less than one turn; got {per_turn!r}",
        )

    features = r.table(mh, "features", entry)
    f_entry = entry + ".features"
    f_axes = features.get("axes")
    if not isinstance(f_axes, list) or not all(isinstance(a, str) for a in f_axes):
        r.fail(f_entry, f"'axes' must be a list of names; got {f_axes!r}")
    vocabulary = r.table(features, "vocabulary", f_entry)
    rows = []
    for token in sentence.tokens:
        if token.lower() not in vocabulary:
            r.fail(f_entry + ".vocabulary", f"word {token!r} of sentence {sentence.name!r} has no features")
        rows.append(r.matrix(vocabulary[token.lower()], f_entry + ".vocabulary", token.lower(), (len(f_axes),)))
    named = [*sentence.language.axes, "clock_cos", "clock_sin", "one", *f_axes]
    if len(set(named)) != len(named):
        r.fail(f_entry, f"axis names must differ from each other and from the language's; got {named}")
    if len(named) > d_model:
        r.fail(entry, f"d_model = {d_model} has no room for the {len(named)} named axes {named}")
    axes = (*named, *(f"spare_{n + 1}" for n in range(d_model - len(named))))
    angle = 2 * np.pi * np.arange(t) / per_turn  # (T,) position i stands at angle i θ
    x = np.concatenate(
        [
            sentence.x,
            np.cos(angle)[:, None],
            np.sin(angle)[:, None],
            np.ones((t, 1)),
            np.reshape(rows, (t, len(f_axes))),
            np.zeros((t, d_model - len(named))),
        ],
        axis=1,
    )

    heads = mh.get("heads")
    if not isinstance(heads, list) or len(heads) != n_heads:
        r.fail(entry, f"needs one [[multihead.heads]] entry per head ({n_heads}); got {len(heads or [])}")
    index = {a: i for i, a in enumerate(axes)}
    clock_rows = [index["clock_cos"], index["clock_sin"]]
    w = {m: np.zeros((d_model, d_model)) for m in "qkv"}
    names: list[str] = []
    titles: list[str] = []
    for h, head in enumerate(heads):
        h_entry = f"multihead.heads[{h}]"
        if not isinstance(head, dict):
            r.fail(h_entry, "must be a table")
        unknown = set(head) - {"name", "title", "q", "k", "v", "q_clock", "k_clock"}
        if unknown:
            r.fail(h_entry, f"unknown keys {sorted(unknown)} (known: name, title, q, k, v, q_clock, k_clock)")
        name, title = r.string(head, "name", h_entry), r.string(head, "title", h_entry)
        if name in names:
            r.fail(h_entry, f"name {name!r} is used by an earlier head")
        first = h * d_head
        for m in "qkv":
            for axis, row in r.table(head, m, h_entry, required=False).items():
                if axis not in index:
                    r.fail(h_entry, f"{m}: unknown input axis {axis!r} (known: {', '.join(axes)})")
                w[m][index[axis], first : first + d_head] += r.matrix(row, h_entry, f"{m}.{axis}", (d_head,))
        for m in "qk":
            clock = r.table(head, f"{m}_clock", h_entry, required=False)
            if not clock:
                continue
            if set(clock) != {"gain", "turn"} or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) and np.isfinite(v) for v in clock.values()
            ):
                r.fail(h_entry, f"{m}_clock must be {{ gain = number, turn = number }}; got {clock!r}")
            phi = clock["turn"] * 2 * np.pi / per_turn
            turn = np.array([[np.cos(phi), np.sin(phi)], [-np.sin(phi), np.cos(phi)]])  # (c, s) @ turn: angle + phi
            w[m][clock_rows, first : first + 2] += clock["gain"] * turn
        names.append(name)
        titles.append(title)
    w_o = mh.get("w_o", "identity")
    w_o = np.eye(d_model) if w_o == "identity" else r.matrix(w_o, entry, "w_o", (d_model, d_model))
    for a in (x, w["q"], w["k"], w["v"], w_o):
        a.setflags(write=False)
    return MultiHeadExample(
        sentence=sentence,
        axes=axes,
        x=x,
        w_q=w["q"],
        w_k=w["k"],
        w_v=w["v"],
        w_o=w_o,
        n_heads=n_heads,
        head_names=tuple(names),
        head_titles=tuple(titles),
        positions_per_turn=float(per_turn),
    )
