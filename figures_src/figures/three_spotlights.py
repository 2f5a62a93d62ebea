"""Three spotlights on the same words: X projected by W_Q, W_K and W_V into queries, keys and values.

Each row of X is one word of "The animal didn't cross the street because it
was too tired", a vector on four readable axes (living, object, action,
grammar). The same X is multiplied by three different matrices: W_Q gives
every word a query (what it looks for), W_K a key (how it can be found) and
W_V a value (what it hands over when found). The matrices sit above the
results in the layout of a hand multiplication: entry (i, j) of Q is row i of
X times column j of W_Q. Blank cells are zero.
"""

from __future__ import annotations

from figures_src.kit.claims import claim, ranked
from figures_src.kit.common import attend, keyed, word_keys
from figures_src.kit.formats import fmt

ID = "three-spotlights"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it for step 1 and have students compute one entry of Q by hand from a row of X and a column of W_Q. "
    'It answers "why three matrices?": the same word looks for (query), offers (key) and hands over (value) '
    "different things."
)
SENTENCE = "animal"
ROLES = ("q", "k", "v")


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    lang = s.language
    i = s.focus_index
    x = s.x  # (T, d_model)
    top = int(att.weights[i].argmax())  # the word the focus attends to most
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "axes": list(lang.axes),
        "x": x.tolist(),
        "w_q": lang.w_q.tolist(),
        "w_k": lang.w_k.tolist(),
        "w_v": lang.w_v.tolist(),
        "q": att.q.tolist(),
        "k": att.k.tolist(),
        "v": att.v.tolist(),
        "T": int(x.shape[0]),
        "d_model": int(x.shape[1]),
        "d_k": int(att.q.shape[-1]),
        "d_v": int(att.v.shape[-1]),
        "x_focus": keyed(lang.axes, x[i]),
        "q_focus": keyed(lang.axes, att.q[i]),
        "k_focus": keyed(lang.axes, att.k[i]),
        # Q and K differ, so the score is not symmetric: focus -> top is not top -> focus
        "top_word": s.tokens[top],
        "score_focus_to_top": float(att.scores[i, top]),
        "score_top_to_focus": float(att.scores[top, i]),
        # the axis each word's query is largest on: what it mostly asks for
        "query_top_axis": {t: lang.axes[int(q.argmax())] for t, q in zip(word_keys(s.tokens), att.q, strict=True)},
        "k_living": keyed(s.tokens, att.k[:, lang.axes.index("living")]),
        "values_are_embeddings": bool((att.v == x).all()),
    }


@claim("the query of “it” is largest on the “living” axis: it asks above all for something alive")
def it_asks_for_something_alive(data):
    q = data["q_focus"]
    return max(q, key=q.get) == "living"


@claim("the key of “animal” is the largest of all keys on the “living” axis")
def animal_key_is_most_living(data):
    return ranked(data["k_living"])[0] == "animal"


@claim("in this toy, every word but “street” has a query largest on “living”: "
       "almost every word asks for something alive")
def almost_every_word_asks_for_the_living(data):
    return [w for w, a in data["query_top_axis"].items() if a != "living"] == ["street"]


@claim("W_V leaves every embedding unchanged: the values are the embeddings")
def values_are_embeddings(data):
    return data["values_are_embeddings"] is True


@claim("the score of “it” against “animal” is larger than that of “animal” against “it”: scores are not symmetric")
def scores_are_not_symmetric(data):
    return data["top_word"] == "animal" and data["score_focus_to_top"] > data["score_top_to_focus"]


def _cells(m) -> list[str]:
    """The numbers drawn for a matrix: every non-zero entry (zeros are left blank)."""
    return [fmt(v, "f2") for row in m for v in row if fmt(v, "f2") != "0.00"]


def labels(data) -> list[str]:
    out = _cells(data["x"])
    for role in ROLES:
        out += _cells(data[f"w_{role}"]) + _cells(data[role])
    return out


def alt(data) -> str:
    f = data["focus"]
    xf = ", ".join(fmt(v, "f2") for v in data["x_focus"].values())
    qf = ", ".join(fmt(v, "f2") for v in data["q_focus"].values())
    kf = ", ".join(fmt(v, "f2") for v in data["k_focus"].values())
    return (
        f"Heat maps of the matrix X ({data['T']} words by {data['d_model']} axes: {', '.join(data['axes'])}) for "
        f"\"{data['sentence']}\" and of its three projections Q = X W_Q, K = X W_K and V = X W_V, each "
        f"({data['T']}, {data['d_k']}), with the {data['d_model']} by {data['d_k']} matrices W_Q, W_K and W_V above "
        f"them. For \"{f}\": x = ({xf}), q = ({qf}), k = ({kf})."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt
    from matplotlib.colors import LinearSegmentedColormap, Normalize, to_hex

    from figures_src.kit import mpl, style

    tokens, axes_names = data["tokens"], data["axes"]
    short = [a[:3] for a in axes_names]  # column labels: liv, obj, act, gra
    t_len, d_model, _d_k = data["T"], data["d_model"], data["d_k"]

    with mpl.themed(theme, ID) as t:
        def heat(ax, m, color, row_labels=None, col_labels=None, title=None):
            cmap = LinearSegmentedColormap.from_list(color, [t["background"], color])
            top = max(max(abs(v) for v in row) for row in m) or 1.0
            norm = Normalize(0.0, top * 1.25)
            ax.imshow([[abs(v) for v in row] for row in m], cmap=cmap, norm=norm, aspect="auto")
            for r, row in enumerate(m):
                for c, v in enumerate(row):
                    text = fmt(v, "f2")
                    if text != "0.00":
                        ax.text(c, r, text, ha="center", va="center", fontsize=10,
                                color=style.text_on(to_hex(cmap(norm(abs(v))))))
            ax.set_xticks(range(len(m[0])), col_labels or [""] * len(m[0]), fontsize=9.5)
            ax.set_yticks(range(len(m)), row_labels or [""] * len(m), fontsize=10)
            ax.xaxis.tick_top()
            ax.tick_params(length=0, pad=2)
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_color(color)
                spine.set_linewidth(1.4)
            ax.set_xticks([c - 0.5 for c in range(1, len(m[0]))], minor=True)
            ax.set_yticks([r - 0.5 for r in range(1, len(m))], minor=True)
            ax.grid(which="minor", color=t["grid"], lw=0.6)
            ax.tick_params(which="minor", length=0)
            if title:
                ax.set_title(title, fontsize=11, pad=20 if col_labels else 6)

        # Two by two, so no row of the figure holds more than eight columns of numbers:
        #   X      | W_Q over Q
        #   W_K    | W_V
        #   over K | over V
        fig = plt.figure(figsize=(style.FIG_WIDTH, 9.4))
        grid = fig.add_gridspec(4, 2, height_ratios=(d_model, t_len, d_model, t_len), hspace=0.42, wspace=0.3,
                                left=0.12, right=0.99, top=0.955, bottom=0.01)
        corner = fig.add_subplot(grid[0, 0])
        corner.axis("off")
        corner.text(0.5, 0.45, "each row of X (a word)\n\u00d7 each column of a W\n= one entry of Q, K or V",
                    ha="center", va="center", fontsize=10, color=t["muted"], transform=corner.transAxes,
                    linespacing=1.6)

        def bold_focus(ax):
            for lab, word in zip(ax.get_yticklabels(), tokens, strict=False):
                if word == data["focus"]:
                    lab.set_fontweight("bold")

        x_ax = fig.add_subplot(grid[1, 0])
        heat(x_ax, data["x"], style.ROLE_COLORS["x"], row_labels=tokens, col_labels=short,
             title=f"X  ({t_len}, {d_model})")
        bold_focus(x_ax)
        column = [(corner, None), (x_ax, "top")]  # the narrow layout's order, top to bottom
        names = {"q": ("W_Q", "Q"), "k": ("W_K", "K"), "v": ("W_V", "V")}
        places = {"q": (0, 1), "k": (2, 0), "v": (2, 1)}  # (row of W, column) in the grid
        for role in ROLES:
            w_name, r_name = names[role]
            row, col = places[role]
            color = style.ROLE_COLORS[role]
            w = data[f"w_{role}"]
            w_ax = fig.add_subplot(grid[row, col])
            heat(w_ax, w, color, row_labels=short, col_labels=[str(j + 1) for j in range(len(w[0]))],
                 title=f"${w_name}$  ({len(w)}, {len(w[0])})")
            r_ax = fig.add_subplot(grid[row + 1, col])
            m = data[role]
            heat(r_ax, m, color, row_labels=tokens,
                 title=f"${r_name} = X{w_name[0]}_{w_name[2]}$  ({t_len}, {len(m[0])})")
            bold_focus(r_ax)
            column += [(w_ax, "top" if role == ROLES[0] else "group"), (r_ax, "side")]
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _column(f, column))


NARROW_WIDTH = 3.42  # inches: with the saved padding, the 358 px a phone gives a figure (100/72 px to the point)
NARROW_ROW = 0.21  # inches a row of numbers takes
NARROW_LABELS = 0.62  # inches left of the matrices for the row labels (the words)
# room above a matrix: its title and column labels ("top"), the same after another W's pair ("group"), its title
NARROW_HEAD = {None: 0.0, "top": 0.56, "group": 0.76, "side": 0.3}


def _column(fig, column) -> None:
    """The phone layout: the note, X, then each W above its product, all in one column as wide as the phone
    allows, each matrix's rows as tall as in the wide figure; phones scroll, so the figure grows tall."""
    note = 0.8  # inches for the three lines of the note
    heights = [note if ax.get_images() == [] else NARROW_ROW * len(ax.get_images()[0].get_array())
               for ax, _ in column]
    total = sum(h + NARROW_HEAD[head] for h, (_, head) in zip(heights, column, strict=True))
    fig.set_size_inches(NARROW_WIDTH, total)
    top = total
    for h, (ax, head) in zip(heights, column, strict=True):
        top -= NARROW_HEAD[head]
        left = 0.0 if head is None else NARROW_LABELS
        ax.tick_params(axis="y", pad=4)  # the words clear the matrix's edge
        ax.set_position((left / NARROW_WIDTH, (top - h) / total, (NARROW_WIDTH - left - 0.05) / NARROW_WIDTH,
                         h / total))
        top -= h
