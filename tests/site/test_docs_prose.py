"""The prose of docs/ never types a number about the examples: it pulls it from a figure's data.

A decimal (0.35) or a percentage (35%) outside code, math, HTML tags, link
targets and macros is a hand-typed number, and fails this test with its page
and text. Whole numbers ("five steps", "Step 3", "2017") are allowed; so are
any number on ALLOWED, each with its reason.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from prose_numbers import hand_typed

DOCS = Path(__file__).resolve().parents[2] / "docs"

PAGES = sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_has_no_hand_typed_numbers(page):
    found = hand_typed(page.read_text(encoding="utf-8"))
    assert not found, f"{page.relative_to(DOCS)}: hand-typed numbers {found}; use {{{{ value(id, key, fmt) }}}}"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("it gives 32.2% of its attention", ["32.2%"]),
        ("a weight of 0.35 here", ["0.35"]),
        ("in `0.35` code and $0.35$ math and {{ value('a', 'b', 'pct') }}", []),
        ("```\nx = 0.5\n```\nStep 3 of 5 in 2017", []),
        ('<img alt="0.25" src="a.svg"> and [link](page-0.5.md)', []),
    ],
)
def test_scanner_finds_exactly_the_prose_numbers(text, expected):
    assert hand_typed(text) == expected


# The colour words the prose uses, by the hex colour they name. A new colour in figures_src/style.py for a
# role or a named word fails the test below until the prose (and this table) say what it is called.
COLOUR_WORDS = {"#E69F00": "amber", "#56B4E9": "sky blue", "#009E73": "green", "#D55E00": "vermilion",
                "#0072B2": "blue"}


def test_the_colours_the_home_page_names_are_the_colours_the_figures_draw():
    from figures_src.kit import style

    text = re.sub(r"\s+", " ", (DOCS / "index.md").read_text(encoding="utf-8"))
    roles = re.search(r"queries are ([a-z ]+), keys ([a-z ]+) and values ([a-z ]+),", text)
    assert roles, "the home page no longer names the colours of queries, keys and values"
    assert roles.groups() == tuple(COLOUR_WORDS.get(style.ROLE_COLORS[r].upper()) for r in "qkv")
    for word in ("it", "animal"):
        named = re.search(rf'"{word}"(?: is always drawn)? in the same ([a-z ]+?)(?: and \"|,| so)', text)
        assert named, f"the home page no longer names the colour of {word!r}"
        assert named[1] == COLOUR_WORDS.get(style.token_color(word).upper()), word
