"""The tiny model's corpus (attention_ref.corpus): held out means held out, labels follow the rule, and it is data.

Labels are checked against `referent_of`, which reads the referent off a
sentence's words (an animal adjective after "it" -> its animal, a place
adjective -> its place), not against the generator's own bookkeeping.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from attention_ref import load_examples
from attention_ref.corpus import (
    PAD,
    corpus_config,
    corpus_hash,
    corpus_text,
    generate_corpus,
    parse_sentence,
    referent_of,
    tokenize,
)
from attention_ref.examples import DEFAULT_PATH, ExampleError

CORPUS = generate_corpus()
CONFIG = CORPUS.config
RAW = load_examples().corpus


def nouns_in(text: str) -> tuple[str, str]:
    words = tokenize(text)
    return next(w for w in words if w in CONFIG.animals), next(w for w in words if w in CONFIG.places)


# --------------------------------------------------------------------------- what the issue asks of the data


def test_corpus_is_large_and_varied_enough():
    assert len(CONFIG.animals) >= 15 and len(CONFIG.places) >= 15
    assert len(CONFIG.animal_adjectives) >= 8 and len(CONFIG.place_adjectives) >= 8
    assert len(CONFIG.lists["verb"]) >= 4
    assert len(CONFIG.templates) > 1
    assert len(CORPUS.heldout_pairs) == CONFIG.n_heldout_pairs == 40


def test_heldout_pairs_never_appear_in_training():
    held = set(CORPUS.heldout_pairs)
    assert not [e.text for e in CORPUS.train if nouns_in(e.text) in held]


def test_heldout_sentences_use_only_heldout_pairs_both_sides():
    held = set(CORPUS.heldout_pairs)
    assert all(nouns_in(e.text) in held for e in CORPUS.heldout)
    for pair in held:
        sides = [e.side for e in CORPUS.heldout if (e.animal, e.place) == pair]
        assert sides.count("animal") == sides.count("place") == CONFIG.heldout_per_pair // 2


def test_every_noun_is_trained_on():
    seen = {w for e in CORPUS.train for w in nouns_in(e.text)}
    assert seen == set(CONFIG.nouns)
    assert {e.referent for e in CORPUS.train} == set(CONFIG.nouns)


def test_showcase_pair_is_held_out_and_showcase_sentences_parse():
    assert ("animal", "street") in CORPUS.heldout_pairs
    tired, wide = CONFIG.showcase
    assert tired == "The animal didn't cross the street because it was too tired"
    assert parse_sentence(tired, CONFIG).referent == referent_of(tired, CONFIG) == "animal"
    assert parse_sentence(wide, CONFIG).referent == referent_of(wide, CONFIG) == "street"


def test_every_sentence_label_follows_the_rule():
    for e in CORPUS.train + CORPUS.heldout:
        assert referent_of(e.text, CONFIG) == e.referent, e
        assert parse_sentence(e.text, CONFIG) == e, e


def test_word_position_alone_cannot_answer():
    # the referent is the first of the two nouns about half the time, and templates put either noun first
    first = [
        tokenize(e.text).index(e.referent) == min(tokenize(e.text).index(n) for n in nouns_in(e.text))
        for e in CORPUS.train
    ]
    assert 0.45 < sum(first) / len(first) < 0.55
    animal_first = {t.index("{animal}") < t.index("{place}") for t in CONFIG.templates}
    assert animal_first == {True, False}
    for t in range(len(CONFIG.templates)):  # each template shows both sides
        assert {e.side for e in CORPUS.train if e.template == t} == {"animal", "place"}


def test_query_comes_before_the_clue():
    for e in CORPUS.train[:500]:
        words = tokenize(e.text)
        assert words.index("it") < words.index(e.adjective)


def test_vocabulary_starts_with_pad_and_covers_every_sentence():
    vocab = CORPUS.vocabulary
    assert vocab[0] == PAD and list(vocab[1:]) == sorted(vocab[1:])
    assert "didn't" in vocab
    assert {w for e in CORPUS.train + CORPUS.heldout for w in tokenize(e.text)} <= set(vocab)


def test_tokenize_lowercases_strips_punctuation_keeps_didnt():
    assert tokenize("The animal didn't cross, the STREET.") == ("the", "animal", "didn't", "cross", "the", "street")


# --------------------------------------------------------------------------- determinism and the hash


def test_generation_is_deterministic():
    again = generate_corpus(load_examples())
    assert again.train == CORPUS.train and again.heldout == CORPUS.heldout
    assert corpus_hash(again) == corpus_hash(CORPUS) == corpus_hash()


def test_corpus_hash_is_sha256_of_the_text():
    import hashlib

    assert corpus_hash(CORPUS.train) == hashlib.sha256(corpus_text(CORPUS.train).encode()).hexdigest()
    assert corpus_text(CORPUS.train[:1]) == f"{CORPUS.train[0].text}\t{CORPUS.train[0].referent}\n"


def test_another_seed_gives_another_corpus():
    other = generate_corpus({**RAW, "seed": RAW["seed"] + 1})
    assert corpus_hash(other) != corpus_hash(CORPUS)


def test_order_of_lists_table_does_not_matter():
    reordered = {**RAW, "lists": dict(reversed(list(RAW["lists"].items())))}
    assert corpus_hash(generate_corpus(reordered)) == corpus_hash(CORPUS)


# --------------------------------------------------------------------------- bad sections


def broken(**changes) -> dict:
    raw = copy.deepcopy(RAW)
    for key, value in changes.items():
        if value is None:
            raw.pop(key)
        else:
            raw[key] = value
    return raw


BAD = {
    "no-templates": (broken(templates=None), r"\[corpus.templates\] must be a non-empty list"),
    "template-without-adj": (
        broken(templates=["the {animal} didn't {verb} the {place} because it was"]),
        r"\[corpus.templates\[0\]\] .* must contain \{adj\} exactly once",
    ),
    "it-after-the-clue": (
        broken(templates=["the {animal} didn't {verb} the {place} because too {adj} it was"]),
        r"\[corpus.templates\[0\]\] .* must contain 'it' once, before \{adj\}",
    ),
    "unknown-slot": (
        broken(templates=["the {animal} didn't {jump} the {place} because it was too {adj}"]),
        r"\[corpus.templates\[0\]\] .* slot \{jump\} is not a list of corpus.lists",
    ),
    "noun-in-both-lists": (
        broken(places=[*RAW["places"], "dog"]),
        r"\[corpus.places\] word 'dog' is also in corpus.animals",
    ),
    "adjective-on-both-sides": (
        broken(place_adjectives=[*RAW["place_adjectives"], "tired"]),
        r"\[corpus.place_adjectives\] word 'tired' is also in corpus.animal_adjectives",
    ),
    "upper-case-word": (broken(animals=["Dog", "cat"]), r"\[corpus.animals\] word 'Dog' must be one lower-case word"),
    "too-many-heldout-pairs": (broken(n_heldout_pairs=1000), r"\[corpus.n_heldout_pairs\] 1000 is too many"),
    "heldout-include-not-a-pair": (
        broken(heldout_include=[["street", "animal"]]),
        r"\[corpus.heldout_include\] \['street', 'animal'\] is not an \[animal, place\] pair",
    ),
    "showcase-fits-no-template": (
        broken(showcase=["the animal crossed the street because it was tired"]),
        r"\[corpus.showcase\] .* is not a sentence any of corpus.templates can make",
    ),
    "negative-seed": (broken(seed=-1), r"\[corpus.seed\] must be an integer >= 0"),
    "unknown-key": (broken(n_trian=5), r"\[corpus.n_trian\] unknown key"),
    "empty-section": ({}, r"\[corpus\] missing"),
}


@pytest.mark.parametrize("raw, message", BAD.values(), ids=BAD.keys())
def test_bad_corpus_section_names_file_and_entry(raw, message):
    with pytest.raises(ExampleError, match=r"^my\.toml: " + message):
        corpus_config(raw, path="my.toml")


def test_bad_corpus_in_a_file_names_that_file(tmp_path: Path):
    text = DEFAULT_PATH.read_text(encoding="utf-8").replace('"hungry", ', '"hungry", "Hungry", ', 1)
    path = tmp_path / "teacher.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ExampleError, match=r"teacher\.toml: \[corpus.animal_adjectives\] word 'Hungry'"):
        generate_corpus(load_examples(path))


def test_misspelt_corpus_section_is_caught(tmp_path: Path):
    path = tmp_path / "typo.toml"
    path.write_text(DEFAULT_PATH.read_text(encoding="utf-8").replace("[corpus]", "[corpsu]", 1), encoding="utf-8")
    with pytest.raises(ExampleError, match=r"did you mean \[corpus\]"):
        load_examples(path)
