"""Every word at once: the attention matrix of the "animal" sentence, one row per word that looks.

Row i holds the attention weights of word i, the query, over every word of
the sentence, the keys (columns): the softmax of its scaled scores, exactly
the numbers of the five-step walk-through for "it", now for all eleven words
together. Every row adds up to 100%. The outlined row is "it". A dark column
is a word that many words look at: the projections make the words of this
toy language look for a living thing, and "animal" is the most living word.
"""

from __future__ import annotations

from figures_src.kit.claims import claim, ranked
from figures_src.kit.common import attend, keyed, word_keys
from figures_src.kit.formats import fmt

ID = "attention-matrix-animal"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Show it after the one-word walk-through, to go from one query to all of them: ask which row belongs to "
    '"it" and why the "animal" column is dark. Then compare a cell with its mirror image to correct the '
    "common belief that attention is symmetric (i looking at j does not mean j looks at i)."
)
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    w = att.weights  # (T, T)
    keys = word_keys(s.tokens)
    i = s.focus_index
    column_mean = w.mean(axis=0)  # (T,) how much attention each word receives on average
    most_read = int(column_mean.argmax())
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "focus_index": i,
        "T": int(w.shape[0]),
        "weights": w.tolist(),
        "weight": {q: keyed(s.tokens, row) for q, row in zip(keys, w, strict=False)},
        "row_sum": keyed(s.tokens, w.sum(axis=1)),
        "self_weight": keyed(s.tokens, w.diagonal()),
        "column_mean": keyed(s.tokens, column_mean),
        "most_read_word": s.tokens[most_read],
        "most_read_mean": float(column_mean[most_read]),
        "top_word": {q: s.tokens[int(row.argmax())] for q, row in zip(keys, w, strict=False)},
        "focus_top_word": s.tokens[int(w[i].argmax())],
        "focus_top_weight": float(w[i].max()),
        "n_rows_top_animal": sum(1 for row in w if s.tokens[int(row.argmax())] == "animal"),
    }


@claim("“animal” is the word read most: its column has the largest average weight")
def animal_is_read_most(data):
    return data["most_read_word"] == "animal"


@claim("every row but that of “street” gives “animal” its largest weight")
def animal_tops_every_row_but_street(data):
    return [q for q, t in data["top_word"].items() if t != "animal"] == ["street"]


@claim("“street” looks most at itself")
def street_looks_at_itself(data):
    return data["top_word"]["street"] == "street"


@claim("“animal” gives itself more attention than “it” gives “animal”")
def animal_reads_itself_more_than_it_does(data):
    return data["weight"]["animal"]["animal"] > data["weight"]["it"]["animal"]


@claim("“The” gives “animal” almost as large a share as “it” does (over four fifths of it)")
def the_reads_animal_almost_as_much_as_it(data):
    return data["weight"]["the"]["animal"] > 0.8 * data["weight"]["it"]["animal"]


@claim("the rows of “The”, “the” and “because” are identical")
def article_rows_are_identical(data):
    w = data["weight"]
    return w["the"] == w["the_2"] == w["because"]


@claim("“tired” is the second word of the row of “it”, not the first")
def tired_is_second_for_it(data):
    return ranked(data["weight"]["it"])[:2] == ["animal", "tired"]


def labels(data) -> list[str]:
    return [fmt(v, "pct0") for row in data["weights"] for v in row]


def alt(data) -> str:
    toks = data["tokens"]
    i = data["focus_index"]
    focus_row = ", ".join(f"{t} {fmt(v, 'pct0')}" for t, v in zip(toks, data["weights"][i], strict=False))
    return (
        f'A {data["T"]} by {data["T"]} grid of attention weights for "{data["sentence"]}": one row per word '
        f"(the query), one column per word it looks at (the key), each cell a percentage and each row adding up "
        f'to 100%. The column of "{data["most_read_word"]}" is the darkest: on average a word gives it '
        f'{fmt(data["most_read_mean"], "pct0")} of its attention. The outlined row of "{data["focus"]}": '
        f"{focus_row}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.figures._heatmap import annotate, heatmap, outline_cells
    from figures_src.kit import mpl, style

    toks, w, i = data["tokens"], data["weights"], data["focus_index"]
    t_len = len(toks)
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 6.9))
        im = heatmap(
            w,
            toks,
            toks,
            ax,
            theme=t,
            label_size=11,
            top_labels=True,
            rotation=45,
            ylabel="query: the word that looks",
            xlabel="key: the word it looks at",
        )
        annotate(im, w, "pct0", fontsize=9.5, bold=lambda r, c, v: r == i)
        outline_cells(ax, [((i, 0), (i, t_len - 1))], t["highlight"], linewidth=2.2)
        for lab in ax.get_yticklabels():
            if lab.get_text() == toks[i]:
                lab.set_fontweight("bold")
        mpl.save(fig, out_dir, ID, theme)
