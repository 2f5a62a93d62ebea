"""The shared style: one colour per word, no two words of a sentence alike, readable text on colours."""

from __future__ import annotations

import pytest

from attention_ref import load_examples
from figures_src.kit import style

EXAMPLES = load_examples()


@pytest.mark.parametrize("name", sorted(EXAMPLES.sentences))
def test_no_two_words_of_a_sentence_share_a_colour(name):
    assert style.check_distinct(EXAMPLES.sentence(name).tokens) == []


@pytest.mark.parametrize("language", ["fruit_tech_3d"])
def test_no_two_words_of_a_scatter_share_a_colour(language):
    assert style.check_distinct(list(EXAMPLES.languages[language].vocabulary)) == []


def test_a_word_has_one_colour_whatever_its_case():
    assert style.token_color("The") == style.token_color("the")
    assert style.token_color("Zebra") == style.token_color("zebra")  # a word outside the fixed table


def test_check_distinct_reports_a_clash():
    assert style.check_distinct(["cat", "animal"]) == [("cat", "animal")]  # both "#0072B2"


@pytest.mark.parametrize("color, ink", [("#ffffff", "#000000"), ("#000000", "#ffffff"), ("#0072B2", "#ffffff"),
                                        ("#F0E442", "#000000")])
def test_text_on_picks_the_readable_ink(color, ink):
    assert style.text_on(color) == ink
