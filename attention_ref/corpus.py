"""The tiny model's corpus: sentences where only the words after "it" say what "it" is.

Generated, never typed: the `[corpus]` section of the examples file holds the
nouns, adjectives, verbs and templates, and `generate_corpus` draws the
sentences from them with one explicit seed, so the same file gives the same
corpus, byte for byte, on every machine.

    the {animal} didn't {verb} the {place} because it was too {adj}

With an animal adjective ("tired") "it" is the animal; with a place adjective
("wide") it is the place. Some templates put the place first ("the {place} was
not {verbed} by the {animal} because ..."), and every sentence draws its side
at random, so neither "the first noun" nor "the second noun" is ever the
answer more than about half the time: the model has to read the adjective.

Held out: `n_heldout_pairs` animal-place pairs (always including
`heldout_include`, e.g. the showcase pair animal-street) never occur together
in a training sentence; the held-out sentences use only those pairs. Every
noun still appears in training with other partners, so held-out accuracy
measures whether the model learned the rule rather than the pairs.

    >>> from attention_ref.corpus import generate_corpus, referent_of
    >>> corpus = generate_corpus()
    >>> referent_of("the animal didn't cross the street because it was too wide", corpus.config)
    'street'

Pure Python and numpy; no torch.
"""

from __future__ import annotations

import hashlib
import re
import string
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .examples import ExampleError, Examples, load_examples

PAD = "<pad>"  # vocabulary entry 0: fills short sentences in a training batch; never a word of a sentence
REQUIRED_SLOTS = ("animal", "place", "adj")


@dataclass(frozen=True)
class CorpusConfig:
    """The validated `[corpus]` section of an examples file.

    Fields:
        path: the examples file it came from (for error messages), or None.
        seed: the seed of every random draw of the corpus.
        animals, places: the two kinds of noun; together, in this order, the
            classes the tiny model chooses from (`nouns`).
        animal_adjectives: "it was too {adj}" means the animal.
        place_adjectives: ... means the place.
        lists: the other slots of the templates, by name (e.g. "verb").
        templates: sentences with {animal}, {place}, {adj} and other {slots}.
        n_train: number of training sentences.
        n_heldout_pairs, heldout_per_pair, heldout_include: the held-out pairs.
        query: the word whose referent is asked for ("it").
        showcase: sentences the site shows; each one some template can make.
    """

    path: Path | None
    seed: int
    animals: tuple[str, ...]
    places: tuple[str, ...]
    animal_adjectives: tuple[str, ...]
    place_adjectives: tuple[str, ...]
    lists: dict[str, tuple[str, ...]]
    templates: tuple[str, ...]
    n_train: int
    n_heldout_pairs: int
    heldout_per_pair: int
    heldout_include: tuple[tuple[str, str], ...]
    query: str
    showcase: tuple[str, ...]

    @property
    def nouns(self) -> tuple[str, ...]:
        """The referent classes, animals first: the tiny model's output axis."""
        return self.animals + self.places

    @property
    def vocabulary(self) -> tuple[str, ...]:
        """Every word any template can make, sorted, after `PAD` at index 0."""
        words = set(self.nouns) | set(self.animal_adjectives) | set(self.place_adjectives)
        for values in self.lists.values():
            words |= set(values)
        for template in self.templates:
            words |= {w for w in template.split() if not w.startswith("{")}
        return (PAD, *sorted(words))


@dataclass(frozen=True)
class Example:
    """One sentence of the corpus and the word "it" refers to.

    Fields:
        text: the sentence, lower case, words separated by single spaces.
        referent: the noun "it" refers to (`animal` or `place`).
        animal, place, adjective: the words drawn for the slots.
        side: "animal" or "place", the kind of the referent.
        template: index into `CorpusConfig.templates`.
    """

    text: str
    referent: str
    animal: str
    place: str
    adjective: str
    side: str
    template: int


@dataclass(frozen=True)
class Corpus:
    """The generated corpus: training and held-out sentences.

    Fields:
        config: the `CorpusConfig` it was drawn from.
        train: `n_train` sentences, none using a held-out pair.
        heldout: `n_heldout_pairs * heldout_per_pair` sentences, only held-out pairs.
        heldout_pairs: the held-out (animal, place) pairs, sorted.
    """

    config: CorpusConfig
    train: tuple[Example, ...]
    heldout: tuple[Example, ...]
    heldout_pairs: tuple[tuple[str, str], ...]

    @property
    def vocabulary(self) -> tuple[str, ...]:
        return self.config.vocabulary

    @property
    def nouns(self) -> tuple[str, ...]:
        return self.config.nouns


# --------------------------------------------------------------------------- reading [corpus]


def corpus_config(source: Examples | Mapping | None = None, *, path: str | Path | None = None) -> CorpusConfig:
    """Validate the `[corpus]` section and return it as a `CorpusConfig`.

    Args:
        source: an `Examples` (its `corpus` table and path are used), the raw
            `[corpus]` table as a dict, or None for the packaged examples file.
        path: names the file in error messages when `source` is a dict.

    Raises:
        ExampleError naming the file and the entry (e.g. ``[corpus.templates]``)
        when a key is missing or of the wrong type, a word is not a single
        lower-case word, word lists overlap, a template lacks a slot or the
        query, held-out settings are impossible, or a showcase sentence fits
        no template.
    """
    if source is None:
        source = load_examples()
    if isinstance(source, Examples):
        raw, file = source.corpus, source.path
    elif isinstance(source, Mapping):
        raw, file = source, Path(path) if path is not None else None
    else:
        raise TypeError(f"source must be an Examples, a dict or None; got {type(source).__name__}")
    return _CorpusReader(file).config(dict(raw))


class _CorpusReader:
    def __init__(self, path: Path | None):
        self.path = path

    def fail(self, entry: str, message: str):
        where = self.path if self.path is not None else "examples"
        raise ExampleError(f"{where}: [{entry}] {message}")

    def integer(self, raw: dict, key: str, *, minimum: int) -> int:
        value = raw.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.fail(f"corpus.{key}", f"must be an integer >= {minimum}; got {value!r}")
        return value

    def words(self, value, entry: str, *, min_len: int = 1) -> tuple[str, ...]:
        if not isinstance(value, list) or len(value) < min_len:
            self.fail(entry, f"must be a list of at least {min_len} word(s); got {value!r}")
        for word in value:
            if not isinstance(word, str) or not word or word != word.lower() or not re.fullmatch(r"[a-z']+", word):
                self.fail(entry, f"word {word!r} must be one lower-case word (letters and apostrophes only)")
        if len(set(value)) != len(value):
            dupes = sorted({w for w in value if value.count(w) > 1})
            self.fail(entry, f"lists a word twice: {', '.join(dupes)}")
        return tuple(value)

    def config(self, raw: dict) -> CorpusConfig:
        if not raw:
            self.fail("corpus", "missing: the examples file has no [corpus] section")
        known = {
            "seed",
            "n_train",
            "n_heldout_pairs",
            "heldout_per_pair",
            "heldout_include",
            "query",
            "showcase",
            "animals",
            "places",
            "animal_adjectives",
            "place_adjectives",
            "templates",
            "lists",
        }
        unknown = sorted(set(raw) - known)
        if unknown:
            self.fail(f"corpus.{unknown[0]}", f"unknown key (known: {', '.join(sorted(known))})")
        seed = self.integer(raw, "seed", minimum=0)
        n_train = self.integer(raw, "n_train", minimum=1)
        n_pairs = self.integer(raw, "n_heldout_pairs", minimum=1)
        per_pair = self.integer(raw, "heldout_per_pair", minimum=2)
        animals = self.words(raw.get("animals"), "corpus.animals", min_len=2)
        places = self.words(raw.get("places"), "corpus.places", min_len=2)
        adj_a = self.words(raw.get("animal_adjectives"), "corpus.animal_adjectives")
        adj_p = self.words(raw.get("place_adjectives"), "corpus.place_adjectives")
        query = raw.get("query", "it")
        if not isinstance(query, str) or not re.fullmatch(r"[a-z']+", query):
            self.fail("corpus.query", f"must be one lower-case word; got {query!r}")

        lists_raw = raw.get("lists", {})
        if not isinstance(lists_raw, dict):
            self.fail("corpus.lists", f"must be a table of word lists; got {type(lists_raw).__name__}")
        lists = {}
        for name, values in lists_raw.items():
            if name in REQUIRED_SLOTS:
                self.fail(f"corpus.lists.{name}", f"{{{name}}} is filled from corpus.{name}s or the adjectives")
            lists[name] = self.words(values, f"corpus.lists.{name}")

        # A noun or an adjective must be recognisable from the word alone: no other list or template has it.
        owner: dict[str, str] = {}
        kinds = {"animals": animals, "places": places, "animal_adjectives": adj_a, "place_adjectives": adj_p}
        for kind, values in [*kinds.items(), *((f"lists.{n}", v) for n, v in lists.items())]:
            for word in values:
                if word in owner:
                    self.fail(f"corpus.{kind}", f"word {word!r} is also in corpus.{owner[word]}")
                if kind in kinds:
                    owner[word] = kind
        if query in owner:
            self.fail("corpus.query", f"{query!r} is also in corpus.{owner[query]}")

        templates = raw.get("templates")
        if not isinstance(templates, list) or not templates:
            self.fail("corpus.templates", f"must be a non-empty list of sentences; got {templates!r}")
        for i, template in enumerate(templates):
            self.template(i, template, lists, query, owner)

        include_raw = raw.get("heldout_include", [])
        if not isinstance(include_raw, list):
            self.fail("corpus.heldout_include", f"must be a list of [animal, place] pairs; got {include_raw!r}")
        include = []
        for pair in include_raw:
            ok = isinstance(pair, list) and len(pair) == 2 and pair[0] in animals and pair[1] in places
            if not ok:
                self.fail("corpus.heldout_include", f"{pair!r} is not an [animal, place] pair of corpus.animals/places")
            include.append((pair[0], pair[1]))
        if len(set(include)) > n_pairs:
            n = len(set(include))
            self.fail("corpus.heldout_include", f"holds {n} pairs, more than n_heldout_pairs = {n_pairs}")
        # Every noun keeps training partners: at most half of an animal's places are held out, and vice versa.
        limit = min(len(animals) * (len(places) // 2), len(places) * (len(animals) // 2))
        if n_pairs > limit:
            self.fail(
                "corpus.n_heldout_pairs",
                f"{n_pairs} is too many for {len(animals)} animals x {len(places)} places (at most {limit}, "
                "so that at most half of each noun's partners are held out)",
            )

        config = CorpusConfig(
            path=self.path,
            seed=seed,
            animals=animals,
            places=places,
            animal_adjectives=adj_a,
            place_adjectives=adj_p,
            lists=lists,
            templates=tuple(templates),
            n_train=n_train,
            n_heldout_pairs=n_pairs,
            heldout_per_pair=per_pair,
            heldout_include=tuple(dict.fromkeys(include)),
            query=query,
            showcase=(),
        )
        showcase = raw.get("showcase", [])
        if not isinstance(showcase, list) or not all(isinstance(s, str) for s in showcase):
            self.fail("corpus.showcase", f"must be a list of sentences; got {showcase!r}")
        for text in showcase:
            if parse_sentence(text, config) is None:
                self.fail("corpus.showcase", f"{text!r} is not a sentence any of corpus.templates can make")
        return CorpusConfig(**{**vars(config), "showcase": tuple(showcase)})

    def template(self, i: int, template, lists: dict, query: str, owner: dict) -> None:
        entry = f"corpus.templates[{i}]"
        if not isinstance(template, str) or not template.strip():
            self.fail(entry, f"must be a non-empty string; got {template!r}")
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(template) if f is not None]
        except ValueError as exc:
            self.fail(entry, f"{template!r} is not a valid template: {exc}")
        for slot in REQUIRED_SLOTS:
            if fields.count(slot) != 1:
                self.fail(entry, f"{template!r} must contain {{{slot}}} exactly once; found {fields.count(slot)}")
        for slot in fields:
            if slot not in REQUIRED_SLOTS and slot not in lists:
                known = ", ".join(sorted(lists)) or "none"
                self.fail(entry, f"{template!r}: slot {{{slot}}} is not a list of corpus.lists (known: {known})")
        words = template.split()
        if " ".join(words) != template:
            self.fail(entry, f"{template!r}: separate words by single spaces, no leading or trailing space")
        for w in words:
            if not (w.startswith("{") and w.endswith("}")) and not re.fullmatch(r"[a-z']+", w):
                self.fail(entry, f"{template!r}: {w!r} must be a lower-case word or a whole {{slot}}")
            if w in owner:
                self.fail(entry, f"{template!r}: fixed word {w!r} is also in corpus.{owner[w]}")
        if words.count(query) != 1 or words.index(query) > words.index("{adj}"):
            self.fail(entry, f"{template!r} must contain {query!r} once, before {{adj}} (the clue comes after it)")


# --------------------------------------------------------------------------- generating


def generate_corpus(source: Examples | Mapping | CorpusConfig | None = None) -> Corpus:
    """Draw the training and held-out sentences from the `[corpus]` section.

    Deterministic: one `np.random.default_rng(config.seed)` makes every draw,
    in a fixed order (held-out pairs, then training sentences, then held-out
    sentences). Training sentences are drawn uniformly over training pairs,
    templates, sides (animal or place, probability 1/2 each) and words;
    held-out sentences alternate the side, so each held-out pair has
    `heldout_per_pair / 2` sentences of each side (rounded).

    Args:
        source: a `CorpusConfig`, or anything `corpus_config` accepts.

    Returns:
        `Corpus` with `train`, `heldout` and `heldout_pairs`.
    """
    config = source if isinstance(source, CorpusConfig) else corpus_config(source)
    rng = np.random.default_rng(config.seed)
    pairs = [(a, p) for a in config.animals for p in config.places]
    heldout = _draw_heldout_pairs(config, pairs, rng)
    held = set(heldout)
    train_pairs = [pair for pair in pairs if pair not in held]
    train = tuple(
        _draw_sentence(config, train_pairs[rng.integers(len(train_pairs))], bool(rng.integers(2)), rng)
        for _ in range(config.n_train)
    )
    heldout_sentences = tuple(
        _draw_sentence(config, pair, j % 2 == 0, rng) for pair in heldout for j in range(config.heldout_per_pair)
    )
    return Corpus(config=config, train=train, heldout=heldout_sentences, heldout_pairs=heldout)


def _draw_heldout_pairs(config: CorpusConfig, pairs: list, rng: np.random.Generator) -> tuple[tuple[str, str], ...]:
    chosen = list(config.heldout_include)
    partners: dict[str, int] = {}  # held-out partners per noun
    for a, p in chosen:
        partners[a] = partners.get(a, 0) + 1
        partners[p] = partners.get(p, 0) + 1
    for i in rng.permutation(len(pairs)):
        if len(chosen) == config.n_heldout_pairs:
            break
        a, p = pairs[i]
        # keep every noun's training partners: at most half of an animal's places are held out, and vice versa
        full = partners.get(a, 0) >= len(config.places) // 2 or partners.get(p, 0) >= len(config.animals) // 2
        if (a, p) in chosen or full:
            continue
        chosen.append((a, p))
        partners[a] = partners.get(a, 0) + 1
        partners[p] = partners.get(p, 0) + 1
    if len(chosen) < config.n_heldout_pairs:
        raise ExampleError(
            f"{config.path or 'examples'}: [corpus.n_heldout_pairs] could draw only {len(chosen)} of "
            f"{config.n_heldout_pairs} held-out pairs while keeping half of each noun's partners for training"
        )
    return tuple(sorted(chosen))


def _draw_sentence(config: CorpusConfig, pair: tuple[str, str], animal_side: bool, rng) -> Example:
    animal, place = pair
    t = int(rng.integers(len(config.templates)))
    adjectives = config.animal_adjectives if animal_side else config.place_adjectives
    adjective = adjectives[rng.integers(len(adjectives))]
    fill = {"animal": animal, "place": place, "adj": adjective}
    for name in sorted(config.lists):  # sorted: the draws do not depend on the order of the TOML table
        values = config.lists[name]
        fill[name] = values[rng.integers(len(values))]
    text = config.templates[t].format(**fill)
    return Example(
        text=text,
        referent=animal if animal_side else place,
        animal=animal,
        place=place,
        adjective=adjective,
        side="animal" if animal_side else "place",
        template=t,
    )


# --------------------------------------------------------------------------- reading a sentence back


def tokenize(text: str) -> tuple[str, ...]:
    """The tokenization of the tiny model (and of the browser): lower case, split on whitespace,
    and strip the punctuation `.,!?;:"` from both ends of each word ("didn't" stays one word)."""
    words = (w.strip('.,!?;:"') for w in text.lower().split())
    return tuple(w for w in words if w)


def parse_sentence(text: str, config: CorpusConfig) -> Example | None:
    """The `Example` a template makes of `text`, or None if no template makes it.

    Matches word by word: fixed words equal, {animal} an animal, {place} a
    place, {adj} an adjective of either side, {slot} a word of that list.
    """
    words = tokenize(text)
    for t, template in enumerate(config.templates):
        parts = template.split()
        if len(parts) != len(words):
            continue
        fill = {}
        for part, word in zip(parts, words, strict=True):
            slot = part[1:-1] if part.startswith("{") else None
            allowed = {
                "animal": config.animals,
                "place": config.places,
                "adj": config.animal_adjectives + config.place_adjectives,
            }.get(slot, config.lists.get(slot, ()))
            if (slot is None and part != word) or (slot is not None and word not in allowed):
                break
            if slot is not None:
                fill[slot] = word
        else:
            animal_side = fill["adj"] in config.animal_adjectives
            return Example(
                text=" ".join(words),
                referent=fill["animal"] if animal_side else fill["place"],
                animal=fill["animal"],
                place=fill["place"],
                adjective=fill["adj"],
                side="animal" if animal_side else "place",
                template=t,
            )
    return None


def referent_of(text: str, config: CorpusConfig) -> str:
    """The noun "it" refers to in `text`, by the corpus' rule (read off the words, not the generator).

    The rule: an animal adjective after the query word means the animal of
    the sentence, a place adjective means its place.

    Raises:
        ValueError naming `text` when it does not hold exactly one animal, one
        place and one adjective after the query word.
    """
    words = tokenize(text)
    found = {
        "animal": [w for w in words if w in config.animals],
        "place": [w for w in words if w in config.places],
    }
    after = words[words.index(config.query) + 1 :] if config.query in words else ()
    adjectives = [w for w in after if w in config.animal_adjectives or w in config.place_adjectives]
    if len(found["animal"]) != 1 or len(found["place"]) != 1 or len(adjectives) != 1:
        raise ValueError(
            f"text must hold one animal, one place and, after {config.query!r}, one adjective; "
            f"got animals {found['animal']}, places {found['place']}, adjectives {adjectives} in {text!r}"
        )
    return found["animal"][0] if adjectives[0] in config.animal_adjectives else found["place"][0]


def corpus_text(examples: Iterable[Example]) -> str:
    """The corpus as text: one line per sentence, `sentence<TAB>referent`, each line ending in a newline."""
    return "".join(f"{e.text}\t{e.referent}\n" for e in examples)


def corpus_hash(examples: Iterable[Example] | Corpus | None = None) -> str:
    """sha256 (hex) of `corpus_text(examples)`; of the training sentences when given a `Corpus`.

    With no argument: the hash of the training corpus of the packaged examples
    file, the number the tiny model's manifest records as `corpus_sha256`.
    """
    if examples is None:
        examples = generate_corpus()
    if isinstance(examples, Corpus):
        examples = examples.train
    return hashlib.sha256(corpus_text(examples).encode("utf-8")).hexdigest()
