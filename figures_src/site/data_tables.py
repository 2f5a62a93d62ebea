"""A figure's data() as the tables of its page, labelled by the words the reader sees.

The keys of data() stay as they are (the prose macros and the snapshots use
them: `the_2`, `didnt`); only what the page shows changes:

- a key that names a token of the figure's sentence (its `tokens`, or
  `words`, as kit.common.word_keys makes them) is shown as the token:
  `didnt` as "didn't", `the_2` as "the (2nd)";
- the numbers given per word (dicts keyed by the words, lists as long as the
  sentence) share one table, a row per word and a column per key;
- other dicts of numbers with the same keys share one table likewise;
- a matrix (a list of lists, or a dict of dicts keyed by words) is a grid,
  its rows and columns labelled by words where they are the sentence's;
- a dict of anything else is shown part by part, as `key.part`.

Every table sits in a wrapper that scrolls sideways on its own, with a shadow
on the side there is more to see (docs/assets/site.css), so a wide table never
widens the page. The HTML is written here, not as Markdown tables, so the
wrapper and the headers are the page's own.
"""

from __future__ import annotations

import html
import re

from ..kit.common import word_keys
from ..kit.formats import fmt

ORDINALS = {2: "2nd", 3: "3rd"}
REPEAT = re.compile(r"^(?P<word>.+)_(?P<n>[0-9]+)$")


def word_labels(data: dict) -> dict[str, str]:
    """{word key: the token as shown} for the figure's sentence: "the_2" -> "the (2nd)", "didnt" -> "didn't"."""
    tokens = data.get("tokens", data.get("words"))
    if not (isinstance(tokens, list) and tokens and all(isinstance(t, str) for t in tokens)):
        return {}
    labels = {}
    for key, token in zip(word_keys(tokens), tokens, strict=True):
        m = REPEAT.match(key)
        labels[key] = f"{token} ({_ordinal(int(m.group('n')))})" if m else token
    return labels


def _ordinal(n: int) -> str:
    return ORDINALS.get(n, f"{n}th")


def label(key: str, labels: dict[str, str]) -> str:
    """How a key is shown: its word, or for a key of a repeated word outside the sentence "word (2nd)"."""
    if key in labels:
        return labels[key]
    m = REPEAT.match(key)
    return f"{m.group('word')} ({_ordinal(int(m.group('n')))})" if m else key


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _cell(x) -> str:
    if _is_number(x):
        return fmt(x, "f3") if isinstance(x, float) else str(x)
    if isinstance(x, list) and all(isinstance(v, (str, int, float)) for v in x):
        return html.escape(", ".join(_cell(v) if _is_number(v) else str(v) for v in x)) or "none"
    return html.escape(str(x))


def _simple(x) -> bool:
    """A value that fits in one cell: a number, a string, a short list of them."""
    return isinstance(x, (str, int, float)) or (
        isinstance(x, list) and len(x) <= 4 and all(isinstance(v, (str, int, float)) for v in x))


def _matrix(v) -> bool:
    return isinstance(v, list) and v and all(isinstance(r, list) and r and all(map(_is_number, r)) for r in v)


def _table(caption: str, head: list[str], rows: list[tuple[str, list[str]]], note: str = "") -> str:
    """An HTML table in its scroll wrapper: a header row, then rows each led by a header cell."""
    ths = "".join(f'<th scope="col">{h}</th>' for h in head)
    body = "".join(f'<tr><th scope="row">{name}</th>' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
                   for name, cells in rows)
    note_html = f" <small>{note}</small>" if note else ""
    name = html.escape(caption, quote=True)
    return (f'<div class="sav-data" role="region" tabindex="0" aria-label="{name}" data-columns="{len(head)}">'
            f"<table><caption>{html.escape(caption)}{note_html}</caption><thead><tr>{ths}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def data_tables(data: dict) -> str:
    """The data as HTML tables (module docstring); "_This figure shows no numbers._" if it has none."""
    labels = word_labels(data)
    n_words = len(labels)
    scalars: list[tuple[str, list[str]]] = []
    per_word: dict[str, dict] = {}  # key -> {word key: value}
    groups: dict[tuple, dict[str, dict]] = {}  # the keys of a dict -> {data key: that dict}
    blocks: list[str] = []

    def visit(name: str, v) -> None:
        if _is_number(v) or isinstance(v, str):
            scalars.append((f"<code>{html.escape(name)}</code>", [_cell(v)]))
        elif isinstance(v, list) and v and all(isinstance(x, str) for x in v):
            scalars.append((f"<code>{html.escape(name)}</code>", [html.escape(", ".join(v))]))
        elif isinstance(v, dict) and v and set(v) <= set(labels) and all(_simple(x) for x in v.values()):
            per_word[name] = v
        elif isinstance(v, list) and n_words and len(v) == n_words and all(_simple(x) for x in v) \
                and any(_is_number(x) for x in v):
            per_word[name] = dict(zip(labels, v, strict=True))
        elif isinstance(v, dict) and v and all(_is_number(x) for x in v.values()):
            groups.setdefault(tuple(v), {})[name] = v
        elif _matrix(v):
            blocks.append(_grid(name, v, list(labels.values()) if len(v) == n_words else None,
                                list(labels.values()) if all(len(r) == n_words for r in v) else None))
        elif isinstance(v, dict) and v and set(v) <= set(labels) and all(
                isinstance(r, dict) and r and set(r) <= set(labels) and all(map(_is_number, r.values()))
                for r in v.values()):
            order = [k for k in labels if k in v]  # the sentence's order, not the JSON's alphabetical one
            cols = [k for k in labels if any(k in r for r in v.values())]
            rows = [[v[k].get(c, "") for c in cols] for k in order]
            blocks.append(_grid(name, rows, [label(k, labels) for k in order], [label(k, labels) for k in cols]))
        elif isinstance(v, dict) and v:
            for k, x in v.items():
                visit(f"{name}.{k}", x)
        elif isinstance(v, list) and v and all(_is_number(x) for x in v):
            blocks.append(_table(name, [html.escape(name), *(str(i) for i in range(1, len(v) + 1))],
                                 [("value", [_cell(x) for x in v])], f"({len(v)} numbers, by position)"))

    for key, v in data.items():
        visit(key, v)
    if not any(True for _ in _numbers_in(data)):
        return "_This figure shows no numbers._"
    out = []
    if scalars:
        out.append(_table("The figure's single values", ["key", "value"], scalars))
    if per_word:
        words = [k for k in labels if any(k in col for col in per_word.values())]
        head = ["word", *(f"<code>{html.escape(k)}</code>" for k in per_word)]
        rows = [(html.escape(label(w, labels)), [_cell(col[w]) if w in col else "–" for col in per_word.values()])
                for w in words]
        out.append(_table("Per word of the sentence", head, rows))
    for keys, members in groups.items():
        head = ["part", *(f"<code>{html.escape(k)}</code>" for k in members)]
        rows = [(html.escape(label(k, labels)), [_cell(m[k]) for m in members.values()]) for k in keys]
        out.append(_table(", ".join(members), head, rows))
    out += blocks
    return "\n\n".join(out)


def _numbers_in(v):
    if _is_number(v):
        yield v
    elif isinstance(v, dict):
        for x in v.values():
            yield from _numbers_in(x)
    elif isinstance(v, list):
        for x in v:
            yield from _numbers_in(x)


def _grid(name: str, rows: list[list], row_labels: list[str] | None, col_labels: list[str] | None) -> str:
    """A matrix as a grid: a header cell per column and per row, words where the caller has them."""
    width = max(len(r) for r in rows)
    cols = col_labels or [str(j) for j in range(1, width + 1)]
    names = row_labels or [str(i) for i in range(1, len(rows) + 1)]
    body = [(html.escape(n), [_cell(x) if x != "" else "–" for x in r]) for n, r in zip(names, rows, strict=True)]
    corner = "row \\ column"
    return _table(f"{name} ({len(rows)} × {width})", [corner, *(html.escape(c) for c in cols)], body)
