"""Each matplotlib figure draws the numbers its labels() promise, and says them in its alt text.

Every matplotlib figure is rendered (draft, both themes) in one build into the
session's throwaway cache (hence `slow`) and each SVG read back: with svg.fonttype=path matplotlib draws glyphs as paths
and keeps each text object's string in an XML comment beside them, so the
comments (with any <title> and <text> elements) are what the figure shows.
Manim scenes are checked in tests/scenes.py.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from real_figures import ids_of_kind, real_figures  # noqa: E402

from attention_ref import load_examples  # noqa: E402
from attention_ref.examples import DEFAULT_PATH  # noqa: E402

MATPLOTLIB_IDS = ids_of_kind("matplotlib")
COMMENT = re.compile(r"<!--(.*?)-->", re.S)
ELEMENT = re.compile(r"<(title|text)\b[^>]*>(.*?)</\1>", re.S)


def svg_texts(svg: str) -> list[str]:
    """The strings an SVG shows: matplotlib's text comments, and <title>/<text> elements."""
    texts = [_unescape_comment(m.group(1).strip()) for m in COMMENT.finditer(svg)]
    texts += [html.unescape(re.sub(r"<[^>]+>", "", m.group(2))).strip() for m in ELEMENT.finditer(svg)]
    return [t for t in texts if t]


def _unescape_comment(text: str) -> str:
    # matplotlib escapes &, <, > in a comment and writes "--" as "- -" (XML forbids "--" there)
    return html.unescape(text.replace("- -", "--"))


def shows(label: str, texts: list[str]) -> bool:
    """`label` is one of the texts, or a whole word of one ("32.2%" in "animal 32.2%", not "2.2%" in "32.2%")."""
    pattern = re.compile(r"(?<![\w.])" + re.escape(label) + r"(?![\w])")
    return any(label == t or pattern.search(t) for t in texts)


def test_shows_matches_whole_numbers_only():
    assert shows("32.2%", ["animal 32.2%"])
    assert shows("−0.50", ["−0.50"])
    assert not shows("2.2%", ["32.2%"])
    assert not shows("0.5", ["10.5"])
    assert not shows("1.0", ["1.05"])


def test_svg_texts_reads_matplotlib_comments_and_elements():
    svg = ('<svg><title>t &amp; u</title><!-- a - -b --><g><!-- 5&lt;6 --></g>'
           '<text x="1">7 <tspan>8</tspan></text></svg>')
    assert svg_texts(svg) == ["a --b", "5<6", "t & u", "7 8"]


@pytest.fixture(scope="module")
def examples():
    return load_examples(DEFAULT_PATH)


@pytest.mark.slow
@pytest.mark.parametrize("fig_id", MATPLOTLIB_IDS)
def test_figure_draws_every_label_and_has_alt_text(fig_id, real_matplotlib):
    report = real_matplotlib
    assert fig_id in report.figures, f"{fig_id} was not built: {report.errors()}"
    failed = [r.error for r in report.failed if r.id == fig_id]
    assert not failed, f"{fig_id} failed to render: {failed}"
    fig = real_figures()[fig_id]
    data = report.figures[fig_id]["data"]
    labels = fig.labels(data)
    alt = report.figures[fig_id]["alt"]

    assert isinstance(alt, str) and alt.strip(), f"{fig_id}: alt(data) is empty"
    svgs = [Path(f) for r in report.results if r.id == fig_id for f in r.files if f.endswith(".svg")]
    names = sorted(p.name for p in svgs)
    wide = [f"{fig_id}.dark.svg", f"{fig_id}.light.svg"]
    narrow = [f"{fig_id}.dark.narrow.svg", f"{fig_id}.light.narrow.svg"]
    # Both themes, wide; and the phone's narrow variant in both themes or in neither (kit/mpl.py's save).
    assert names in (wide, sorted(wide + narrow)), names
    for svg in svgs:
        texts = svg_texts(svg.read_text(encoding="utf-8"))
        missing = [label for label in labels if not shows(label, texts)]
        assert not missing, f"{svg.name} does not draw {missing}; it draws {sorted(set(texts))}"


@pytest.mark.parametrize("fig_id", MATPLOTLIB_IDS)
def test_alt_text_and_labels_are_strings(fig_id, examples):
    """Cheap (no render): alt(data) is a non-empty sentence and labels(data) non-empty strings."""
    fig = real_figures()[fig_id]
    data = fig.data(examples)
    alt = fig.alt(data)
    assert isinstance(alt, str) and alt.strip(), f"{fig_id}: alt(data) is empty"
    labels = fig.labels(data)
    assert all(isinstance(s, str) and s.strip() for s in labels), f"{fig_id}: labels {labels!r}"
