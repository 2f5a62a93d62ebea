"""Each figure's page (its tables of numbers) and the gallery (figures_src.site.pages, .data_tables)."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from figures_src.site import assemble
from figures_src.site.data_tables import data_tables, word_labels
from figures_src.site.embed import SiteFigure
from figures_src.site.pages import GALLERY_REST, gallery_page

ANIMAL = ["The", "animal", "didn't", "cross", "the", "street"]
KEYS = ["the", "animal", "didnt", "cross", "the_2", "street"]


class _Tables(HTMLParser):
    """Each <table> as {caption, rows: [[cell text]]}, and whether it sits in a .sav-data scroll wrapper."""

    def __init__(self):
        super().__init__()
        self.tables, self.wrapped, self._cell, self._in_caption = [], [], None, False
        self._wrap_depth = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and "sav-data" in (a.get("class") or "").split():
            self._wrap_depth += 1
        if tag == "table":
            self.tables.append({"caption": "", "rows": []})
            self.wrapped.append(self._wrap_depth > 0 and a.get("class") is None)
        elif tag == "tr":
            self.tables[-1]["rows"].append([])
        elif tag in ("td", "th"):
            self._cell = ""
        elif tag == "caption":
            self._in_caption = True

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1]["rows"][-1].append(html.unescape(self._cell).strip())
            self._cell = None
        elif tag == "caption":
            self._in_caption = False
        elif tag == "div" and self._wrap_depth:
            self._wrap_depth -= 1

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        elif self._in_caption:
            self.tables[-1]["caption"] += data


def tables(out: str) -> list[dict]:
    p = _Tables()
    p.feed(out)
    assert all(p.wrapped), "every table sits in its own scroll wrapper (.sav-data)"
    return p.tables


def test_word_keys_are_shown_as_the_words_of_the_sentence():
    assert word_labels({"tokens": ANIMAL}) == dict(zip(KEYS, ["The", "animal", "didn't", "cross", "the (2nd)",
                                                              "street"], strict=True))


def test_numbers_per_word_share_one_table_labelled_by_words_never_by_keys():
    data = {"tokens": ANIMAL, "score": dict(zip(KEYS, [0.0, 3.645, 0.0, 0.0, 0.0, 0.45], strict=True)),
            "scaled": [0.0, 1.8225, 0.0, 0.0, 0.0, 0.225]}
    out = data_tables(data)
    [scalars, per_word] = tables(out)
    assert per_word["caption"] == "Per word of the sentence"
    assert per_word["rows"][0] == ["word", "score", "scaled"]
    assert [r[0] for r in per_word["rows"][1:]] == ["The", "animal", "didn't", "cross", "the (2nd)", "street"]
    assert per_word["rows"][2] == ["animal", "3.645", "1.823"]
    assert "the_2" not in out and "didnt" not in out  # keys never reach the page
    assert scalars["rows"][1][1] == "The, animal, didn't, cross, the, street"  # the tokens, as a value


def test_a_matrix_over_the_sentence_is_a_grid_with_row_and_column_words():
    w = [[0.5, 0.5, 0.0, 0.0, 0.0, 0.0]] * 6
    out = data_tables({"tokens": ANIMAL, "weights": w})
    [_, grid] = tables(out)
    assert grid["caption"] == "weights (6 × 6)"
    assert grid["rows"][0] == ["row \\ column", *["The", "animal", "didn't", "cross", "the (2nd)", "street"]]
    assert [r[0] for r in grid["rows"][1:]] == ["The", "animal", "didn't", "cross", "the (2nd)", "street"]
    assert grid["rows"][1][1:3] == ["0.500", "0.500"]
    assert "0.500, 0.500" not in out  # not a flat list


def test_a_dict_of_dicts_over_the_words_is_a_grid_too():
    weight = {"animal": {"the": 0.5, "animal": 0.5}, "the": {"the": 0.25, "animal": 0.75},
              "the_2": {"the": 1.0, "animal": 0.0}}  # as the JSON has them: alphabetical
    [grid] = tables(data_tables({"tokens": ["The", "animal", "the"], "weight": weight}))[1:]
    assert grid["rows"] == [["row \\ column", "The", "animal"], ["The", "0.250", "0.750"],
                            ["animal", "0.500", "0.500"], ["the (2nd)", "1.000", "0.000"]]  # in sentence order


def test_a_matrix_without_words_is_numbered_and_no_header_cell_is_empty():
    [grid] = tables(data_tables({"weights": [[0.25, 0.75], [1.0, 0.0], [0.5, 0.5]]}))
    assert grid["rows"] == [["row \\ column", "1", "2"], ["1", "0.250", "0.750"], ["2", "1.000", "0.000"],
                            ["3", "0.500", "0.500"]]


def test_scalars_share_one_table_and_dicts_with_the_same_keys_share_another():
    out = data_tables({"d_k": 4, "scale": 0.5, "focus": "it <b>", "q": {"living": 1.8, "object": 0.3},
                       "k": {"living": 2.0, "object": 0.0}})
    scalars, parts = tables(out)
    assert scalars["rows"] == [["key", "value"], ["d_k", "4"], ["scale", "0.500"], ["focus", "it <b>"]]
    assert "it &lt;b&gt;" in out  # escaped
    assert parts["rows"] == [["part", "q", "k"], ["living", "1.800", "2.000"], ["object", "0.300", "0.000"]]
    assert all(cell for t in (scalars, parts) for r in t["rows"] for cell in r)  # no empty cell anywhere


def test_nested_dicts_are_shown_part_by_part():
    out = data_tables({"tokens": ["a", "b"], "heads": {"broad": {"peak": {"a": 0.5, "b": 0.5}}}})
    [_, per_word] = tables(out)
    assert per_word["rows"][0] == ["word", "heads.broad.peak"]


def test_a_wide_table_scrolls_in_a_labelled_focusable_region():
    out = data_tables({"tokens": [f"w{i}" for i in range(11)], "weights": [[0.1] * 11] * 11})
    wrapper = re.findall(r'<div class="sav-data"[^>]*>', out)
    assert len(wrapper) == 2
    assert all('role="region"' in w and 'tabindex="0"' in w and "aria-label=" in w for w in wrapper)
    assert 'data-columns="12"' in out


def test_a_figure_without_numbers_says_so():
    assert data_tables({"tokens": ["The", "cat"]}) == "_This figure shows no numbers._"


# --------------------------------------------------------------------------- the gallery


def _fig(fig_id: str, kind: str = "matplotlib", caption: str | None = None) -> SiteFigure:
    return SiteFigure(fig_id, kind, caption or f"Caption of {fig_id}", "", "alt", {})


def test_the_gallery_is_in_reading_order_grouped_by_page_and_marks_stills_and_animations():
    figures = {f.id: f for f in (_fig("a-still"), _fig("b-scene", "manim"), _fig("c-still"), _fig("z-orphan"))}
    nav = [("index.md", "Home"), ("steps/one.md", "Step one"), ("two.md", "Two")]
    texts = {"index.md": "no figure here", "steps/one.md": '{{ figure("c-still") }} text {{ figure("b-scene") }}',
             "two.md": '{{ figure("a-still") }} and again {{ figure("c-still") }}'}
    page = gallery_page(figures, assemble.reading_order(nav, texts))
    heads = re.findall(r"^## (.+)$", page, re.M)
    assert heads == ["Step one", "Two", GALLERY_REST]
    order = re.findall(r'href="([a-z-]+)/"', page)
    assert order == ["c-still", "b-scene", "a-still", "z-orphan"]  # each once, where it first appears
    items = re.findall(r'<a class="sav-gallery__item sav-gallery__item--(\w+)" href="([a-z-]+)/">.*?'
                       r'sav-gallery__badge[^>]*>([^<]+)<', page)
    assert [(kind, fid, badge) for kind, fid, badge in items] == [
        ("still", "c-still", "Still"), ("animation", "b-scene", "▶ Animation"), ("still", "a-still", "Still"),
        ("still", "z-orphan", "Still")]


def test_nav_pages_flattens_mkdocs_nav_in_reading_order():
    nav = [{"Home": "index.md"}, {"The steps": [{"Step 1": "steps/a.md"}, "steps/b.md"]}, {"Last": "z.md"}]
    assert assemble.nav_pages(nav) == [("index.md", "Home"), ("steps/a.md", "Step 1"), ("steps/b.md", "steps/b.md"),
                                       ("z.md", "Last")]


def test_no_still_and_animation_share_a_caption():
    from figures_src.build import registry

    figures = registry.discover()
    by_caption: dict[str, list[str]] = {}
    for f in figures.values():
        by_caption.setdefault(f.caption, []).append(f.id)
    assert not {c: ids for c, ids in by_caption.items() if len(ids) > 1}
