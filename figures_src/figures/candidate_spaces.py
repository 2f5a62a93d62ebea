"""The same words in three linear maps of the space: only a good map tells the fruit Apple from the company Apple.

The fruit and tech words of the toy embedding (the fruit-tech plane they lie
in, as on the embeddings page) are sent through three
candidate matrices W (row vectors, x W), as W_Q and W_K send words into the
space where queries meet keys. In each space Apple attends, by scaled
dot-product attention with W_Q = W_K = W_V = W, once to "Orange" (as in "An
Apple And An Orange") and once to "Phone" (as in "An Apple Phone"); the two
arrows end at the two context vectors Apple gets. In the squashed space every
word points the same way, Apple keeps nearly all its attention for itself, and
the two Apples end up in the same place. In the learned space the fruit and
tech words are pulled apart, Apple gives more weight to its context word, and
the two Apples point in clearly different directions. Their cosine similarity
(1 = same direction) measures how well each space tells them apart.
"""

from __future__ import annotations

from attention_ref import cosine_similarity, self_attention
from figures_src.kit.claims import claim
from figures_src.kit.formats import fmt

ID = "candidate-spaces"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it at step 1 when students ask why W_Q, W_K and W_V have to be learned: the same attention in three "
    "different spaces tells the two Apples apart clearly, barely or not at all. Ask which space training "
    "should end up in, and why the squashed one fails."
)
LANGUAGE = "fruit_tech_3d"
PLANE = ("fruit", "tech")  # the candidate maps act on these two coordinates
SENTENCES = ("apple_orange", "apple_phone")  # Apple with its context word, the fruit and the company


def plane_words(lang) -> tuple[list[str], list[int]]:
    """The words with nothing off the plane, and the plane's columns: their plane coordinates are their vectors."""
    cols = [list(lang.axes).index(a) for a in PLANE]
    off = [k for k in range(lang.d_model) if k not in cols]
    return [w for w, v in lang.vocabulary.items() if not v[off].any()], cols


def data(examples) -> dict:
    lang = examples.languages[LANGUAGE]
    words, cols = plane_words(lang)
    x_all = lang.embed(words)[:, cols]  # (n_words, 2)
    spaces = {}
    for name, cs in examples.candidate_spaces.items():
        w = cs.w  # (2, 2)
        points = self_attention(x_all, w, w, w).q  # X W: where each word lands in this space
        contexts = {}
        for sname in SENTENCES:
            s = examples.sentence(sname)
            pair = [s.focus.lower(), s.toward.lower()]
            if not set(pair) <= set(words):
                plane = "-".join(PLANE)
                raise ValueError(f"{pair} must lie in the {plane} plane of {LANGUAGE} (nothing on other axes)")
            att = self_attention(lang.embed(pair)[:, cols], w, w, w)  # Q = K = V = X W
            contexts[sname] = {
                "words": pair,
                "weight_self": float(att.weights[0, 0]),
                "weight_toward": float(att.weights[0, 1]),
                "point": att.output[0].tolist(),  # Apple's context vector, in this space
            }
        a, b = (contexts[n]["point"] for n in SENTENCES)
        spaces[name] = {
            "label": cs.label,
            "w": w.tolist(),
            "points": points.tolist(),
            "contexts": contexts,
            "separation_cosine": float(cosine_similarity(a, b)[0, 0]),
        }
    first = examples.sentence(SENTENCES[0])
    return {
        "language": LANGUAGE,
        "plane": list(PLANE),
        "words": words,
        "focus": first.focus.lower(),
        "towards": [examples.sentence(n).toward.lower() for n in SENTENCES],
        "sentences": {n: examples.sentence(n).text for n in SENTENCES},
        "space_names": list(spaces),
        "space": spaces,
        # flat summaries, one number per space (shown as tables on the figure's page)
        "separation_cosine": {n: sp["separation_cosine"] for n, sp in spaces.items()},
        **{f"weight_to_{examples.sentence(n).toward.lower()}": {m: sp["contexts"][n]["weight_toward"]
                                                                for m, sp in spaces.items()} for n in SENTENCES},
    }



def _toward(data, space):
    return [data["space"][space]["contexts"][n]["weight_toward"] for n in data["sentences"]]


@claim("in the original space Apple keeps most of its attention for itself, in both sentences")
def original_apple_keeps_most(data):
    return all(data["space"]["original"]["contexts"][n]["weight_self"] > 0.5 for n in data["sentences"])


@claim("in the learned space Apple gives its context word more than in the original space, in both sentences")
def learned_gives_context_more(data):
    return all(a > b for a, b in zip(_toward(data, "learned"), _toward(data, "original"), strict=True))


@claim("in the squashed space Apple gives its context word even less than in the original space")
def squashed_gives_context_less(data):
    return all(a < b for a, b in zip(_toward(data, "squashed"), _toward(data, "original"), strict=True))


@claim("in the original space the two Apples point almost the same way")
def original_apples_close(data):
    return data["separation_cosine"]["original"] > 0.9


@claim("in the squashed space the two Apples cannot be told apart")
def squashed_apples_same(data):
    return data["separation_cosine"]["squashed"] > 0.999


@claim("the learned space tells the two Apples apart best: their cosine is the lowest of the three spaces")
def learned_separates_best(data):
    c = data["separation_cosine"]
    return c["learned"] < c["original"] < c["squashed"]


def labels(data) -> list[str]:
    out = []
    for name in data["space_names"]:
        sp = data["space"][name]
        out += [fmt(v, "f1") for row in sp["w"] for v in row]
        out += [fmt(sp["contexts"][n]["weight_toward"], "pct") for n in data["sentences"]]
        out.append(fmt(sp["separation_cosine"], "f2"))
    return out


def alt(data) -> str:
    parts = []
    for name in data["space_names"]:
        sp = data["space"][name]
        w = "; ".join(", ".join(fmt(v, "f1") for v in row) for row in sp["w"])
        ws = ", ".join(
            f"{fmt(sp['contexts'][n]['weight_toward'], 'pct')} to {sp['contexts'][n]['words'][1]}"
            for n in data["sentences"]
        )
        parts.append(
            f"{sp['label']} (W rows {w}): Apple gives {ws}; cosine between its two context vectors "
            f"{fmt(sp['separation_cosine'], 'f2')}"
        )
    return (
        "Three scatter plots of the fruit and tech words after three linear maps, each with two arrows from Apple "
        "to where it lands with the context of Orange and of Phone. " + ". ".join(parts) + "."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    words, names = data["words"], data["space_names"]
    focus, towards = data["focus"], data["towards"]
    named = {focus, *towards}
    with mpl.themed(theme, ID) as t:
        fig = plt.figure(figsize=(style.FIG_WIDTH, 4.3))
        panels = [fig.add_subplot(1, len(names), k + 1) for k in range(len(names))]
        # one scale for all panels, so a map that squashes the words really looks squashed
        every = [p for name in names for p in data["space"][name]["points"]] + [[0.0, 0.0]]
        lo_x, hi_x = min(p[0] for p in every), max(p[0] for p in every)
        lo_y, hi_y = min(p[1] for p in every), max(p[1] for p in every)
        pad = 0.17 * max(hi_x - lo_x, hi_y - lo_y)
        offsets = {focus: ((0, 8), "center", "bottom"), towards[0]: ((0, -8), "center", "top"),
                   towards[1]: ((-8, 0), "right", "center")}
        width, gap = 0.29, (1 - 3 * 0.29) / 3
        for k, (ax, name) in enumerate(zip(panels, names, strict=True)):
            ax.set_position((gap / 2 + k * (width + gap), 0.34, width, 0.5))
            sp = data["space"][name]
            pts = sp["points"]
            ax.set_xlim(lo_x - pad, hi_x + pad)
            ax.set_ylim(lo_y - pad, hi_y + pad)
            ax.set_aspect("equal")
            ax.axhline(0, color=t["grid"], lw=0.8, zorder=0)
            ax.axvline(0, color=t["grid"], lw=0.8, zorder=0)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(True)
                spine.set_color(t["grid"])
            for word, (x, y) in zip(words, pts, strict=True):
                big = word in named
                ax.plot([x], [y], "o", ms=8 if big else 5, color=style.token_color(word), zorder=3)
                if big:
                    offset, ha, va = offsets[word]
                    if word == focus:  # above and to the side away from the panel's nearer edge, clear of both arrows
                        right_side = x < lo_x + 0.85 * (hi_x - lo_x)
                        offset, ha, va = ((7, 5), "left", "bottom") if right_side else ((-7, 5), "right", "bottom")
                    ax.annotate(word.capitalize(), (x, y), xytext=offset, textcoords="offset points", ha=ha, va=va,
                                fontsize=9.5, fontweight="bold" if word == focus else "normal")
            apple = pts[words.index(focus)]
            for sname, toward in zip(data["sentences"], towards, strict=True):
                point = sp["contexts"][sname]["point"]
                ax.annotate("", xy=point, xytext=apple,
                            arrowprops={"arrowstyle": "-|>", "color": style.token_color(toward), "lw": 2,
                                        "mutation_scale": 11, "shrinkA": 0, "shrinkB": 0})
            ax.set_title(name, fontsize=11.5, pad=22)
            w = sp["w"]
            # W written row by row, each number its own text (as labels() lists them)
            pieces = ["W = [", fmt(w[0][0], "f1"), "  ", fmt(w[0][1], "f1"), " ; ", fmt(w[1][0], "f1"), "  ",
                      fmt(w[1][1], "f1"), "]"]
            prev = ax.text(0.06, 1.015, pieces[0], transform=ax.transAxes, ha="left", va="bottom", fontsize=9,
                           color=t["muted"])
            for piece in pieces[1:]:
                prev = ax.annotate(piece, xy=(1, 0), xycoords=prev, ha="left", va="bottom", fontsize=9,
                                   color=t["muted"])
            lines = [(f"weight to {toward.capitalize()}: ", fmt(sp["contexts"][n]["weight_toward"], "pct"))
                     for n, toward in zip(data["sentences"], towards, strict=True)]
            lines.append(("the two Apples' cosine: ", fmt(sp["separation_cosine"], "f2")))
            for r, (words_text, number) in enumerate(lines):
                y = -0.06 - 0.11 * r
                ax.text(0.74, y, words_text, transform=ax.transAxes, ha="right", va="top", fontsize=9,
                        color=t["muted"])
                ax.text(0.74, y, number, transform=ax.transAxes, ha="left", va="top", fontsize=9,
                        fontweight="bold" if r == len(lines) - 1 else "normal")
        handles = [plt.Line2D([], [], color=style.token_color(tw), lw=2, marker=">", ms=6) for tw in towards]
        fig.legend(handles, [f"Apple in \u201c{txt}\u201d" for txt in data["sentences"].values()], loc="lower center",
                   ncol=2, frameon=False, fontsize=9.5, bbox_to_anchor=(0.5, 0.0))
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _stacked(f, panels))


def _stacked(fig, panels) -> None:
    """The narrow layout: the three panels one above the other, each as large as in the wide one, the legend
    in one column."""
    block, foot, below = 3.3, 0.9, 0.85  # inches: one panel with its title and numbers, the legend, the numbers
    width, (panel_w, panel_h) = 4.2, (0.29 * 7.2, 0.5 * 4.3)
    height = block * len(panels) + foot
    fig.set_size_inches(width, height)
    for k, ax in enumerate(panels):
        bottom = foot + block * (len(panels) - 1 - k) + below
        ax.set_position(((width - panel_w) / 2 / width, bottom / height, panel_w / width, panel_h / height))
    for legend in fig.legends:
        legend.set_ncols(1)
