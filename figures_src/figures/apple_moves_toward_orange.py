"""Apple moves toward its context: toward Orange in "An Apple And An Orange", toward Phone in "An Apple Phone".

The geometric view of step 5, in the fruit-tech plane of the embeddings page
(Apple, Orange and Phone have nothing on the grammar axis, so the plane shows
their whole vectors). Apple attends to itself and to its context word with
the site's attention: softmax of q . k / sqrt(d_k), queries and keys made by
a candidate map of step 1 (W_Q = W_K = W), values the embeddings themselves
(W_V = identity). Its new vector, the output of attention, is the weighted
mix of the two: a point on the straight line from Apple to the context word,
as far along as the context word's weight (attention_ref.move_toward gives
the same point). Thin arrows: the original space (W = identity), where Apple
keeps most of its attention for itself and moves only a little. Bold arrows:
the learned space of step 1, where Apple moves toward Orange in one sentence
and toward Phone in the other: one word, two meanings, two places.
"""

from __future__ import annotations

import textwrap

import numpy as np

from attention_ref import move_toward, self_attention
from figures_src.kit.claims import claim
from figures_src.kit.formats import fmt

ID = "apple-moves-toward-orange"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it right after step 5 to give the weighted sum a geometric meaning: before showing it, ask students "
    "where Apple will land in each sentence, first with no projections, then with the learned space of step 1. "
    "It answers the belief that a word has one fixed vector: after attention the same word sits in two "
    "different places, and how far it travels depends on the space queries and keys meet in."
)
LANGUAGE = "fruit_tech_3d"
PLANE = ("fruit", "tech")
SENTENCES = ("apple_orange", "apple_phone")
SPACES = ("original", "learned")  # candidate spaces of step 1: no projection, and the learned map


def data(examples) -> dict:
    lang = examples.languages[LANGUAGE]
    cols = [list(lang.axes).index(a) for a in PLANE]
    off = [k for k in range(lang.d_model) if k not in cols]
    moves = {}
    for name in SENTENCES:
        s = examples.sentence(name)
        if s.language.name != LANGUAGE:
            raise ValueError(f"sentence {name!r} must use language {LANGUAGE!r}; it uses {s.language.name!r}")
        i, j = s.focus_index, s.index(s.toward)
        pair = s.x[[i, j]]  # (2, d_model): the word and its context word
        if pair[:, off].any():
            raise ValueError(f"{s.tokens[i]} and {s.tokens[j]} must have nothing off the {'-'.join(PLANE)} plane")
        x = pair[:, cols]  # (2, 2): their whole vectors, in the plane
        by_space = {}
        for sp in SPACES:
            w = examples.candidate_spaces[sp].w  # (2, 2)
            att = self_attention(x, w, w, np.eye(2))  # Q = K = X W, V = X: Apple moves among the embeddings
            share = float(att.weights[0, 1])
            by_space[sp] = {
                "weight_self": float(att.weights[0, 0]),
                "share": share,
                "scores": att.scores[0].tolist(),
                "new": att.output[0].tolist(),  # Apple's context vector
                "move_toward": move_toward(x[0], x[1], share).tolist(),  # the same point, as a share of the way
            }
        moves[name] = {
            "sentence": s.text,
            "word": s.tokens[i],
            "toward": s.tokens[j],
            "start": x[0].tolist(),
            "target": x[1].tolist(),
            "space": by_space,
            # the learned space, the story of the page, flat
            "share": by_space["learned"]["share"],
            "weight_self": by_space["learned"]["weight_self"],
            "new": by_space["learned"]["new"],
        }
    return {
        "language": LANGUAGE,
        "plane": list(PLANE),
        "sentences": list(SENTENCES),
        "spaces": list(SPACES),
        "space_label": {sp: examples.candidate_spaces[sp].label for sp in SPACES},
        "w": {sp: examples.candidate_spaces[sp].w.tolist() for sp in SPACES},
        "d_k": 2,
        "move": moves,
        # flat summaries for the figure's page
        "share": {sp: {n: m["space"][sp]["share"] for n, m in moves.items()} for sp in SPACES},
    }


def _closer(m, sp):
    new, start, target = (np.array(v) for v in (m["space"][sp]["new"], m["start"], m["target"]))
    return float(np.linalg.norm(new - target)) < float(np.linalg.norm(start - target))


@claim("in the learned space Apple moves toward Orange in “An Apple And An Orange”, ending nearer the fruit axis")
def learned_apple_moves_toward_orange(data):
    m = data["move"]["apple_orange"]
    new = m["space"]["learned"]["new"]
    return _closer(m, "learned") and new[0] > new[1]


@claim("in the learned space Apple moves toward Phone in “An Apple Phone”, ending nearer the tech axis")
def learned_apple_moves_toward_phone(data):
    m = data["move"]["apple_phone"]
    new = m["space"]["learned"]["new"]
    return _closer(m, "learned") and new[1] > new[0]


@claim("in the raw space Apple gives Orange less than in the learned space")
def raw_gives_orange_less(data):
    return data["share"]["original"]["apple_orange"] < data["share"]["learned"]["apple_orange"]


@claim("in the raw space Apple gives Phone less than in the learned space")
def raw_gives_phone_less(data):
    return data["share"]["original"]["apple_phone"] < data["share"]["learned"]["apple_phone"]


@claim("in the raw space Apple keeps most of its attention for itself and moves less than half as far as in "
       "the learned space")
def raw_apple_barely_moves(data):
    return all(
        data["move"][n]["space"]["original"]["weight_self"] > 0.5
        and data["share"]["original"][n] < 0.5 * data["share"]["learned"][n]
        for n in data["sentences"])


@claim("Apple's new vector is the point its context word's weight of the way from Apple to that word")
def output_is_move_toward(data):
    return all(np.allclose(m["space"][sp]["new"], m["space"][sp]["move_toward"], rtol=0, atol=1e-12)
               for m in data["move"].values() for sp in data["spaces"])


def labels(data) -> list[str]:
    return [fmt(data["move"][n]["space"][sp]["share"], "pct") for sp in data["spaces"] for n in data["sentences"]]


def alt(data) -> str:
    parts = []
    for n in data["sentences"]:
        m = data["move"][n]
        start = ", ".join(fmt(v, "f2") for v in m["start"])
        bits = []
        for sp in data["spaces"]:
            s = m["space"][sp]
            new = ", ".join(fmt(v, "f2") for v in s["new"])
            bits.append(f"in the {sp} space it gives {m['toward']} {fmt(s['share'], 'pct')} and moves to ({new})")
        parts.append(f"in \"{m['sentence']}\", from ({start}), " + "; ".join(bits))
    return (
        f"Apple, Orange and Phone as points on the {data['plane'][0]} and {data['plane'][1]} axes, with arrows "
        f"from Apple to where attention moves it, thin for the original space and bold for the learned space: "
        + ". ".join(parts) + "."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.kit import mpl, style

    moves = [data["move"][n] for n in data["sentences"]]
    raw, learned = data["spaces"]
    ax_x, ax_y = data["plane"]
    with mpl.themed(theme, ID) as t:
        fig, ax = plt.subplots(figsize=(style.FIG_WIDTH, 4.9))
        start = moves[0]["start"]
        everything = [start] + [m["target"] for m in moves]
        top = max(max(p[0], p[1]) for p in everything)
        ax.set_xlim(-0.25, top * 1.6)
        ax.set_ylim(-0.25, top * 1.2)
        ax.set_aspect("equal")
        ax.grid(True, lw=0.6)
        ax.set_axisbelow(True)
        ax.set_xlabel(f"{ax_x} \u2192", fontsize=11)
        ax.set_ylabel(f"{ax_y} \u2192", fontsize=11)

        word = moves[0]["word"]
        sentence_labels = []
        apple_color = style.token_color(word)
        for m in moves:
            c = style.token_color(m["toward"])
            right = m["target"][0] >= m["target"][1]  # the context word lies toward the fruit axis
            ax.annotate("", xy=m["target"], xytext=(0, 0),
                        arrowprops={"arrowstyle": "-|>", "color": c, "lw": 1.4, "alpha": 0.6, "shrinkA": 0,
                                    "shrinkB": 0, "mutation_scale": 12})
            ax.plot(*m["target"], "o", ms=10, color=c, zorder=4)
            ax.annotate(m["toward"], m["target"], xytext=(10, 0) if right else (0, 10),
                        textcoords="offset points", ha="left" if right else "center",
                        va="center" if right else "bottom", fontsize=11.5)
            # the straight line from Apple to the context word: attention moves Apple along it
            ax.plot([start[0], m["target"][0]], [start[1], m["target"][1]], ls=":", color=c, lw=1.5)
            # bold: the learned space; on top of it, thin and dark, the original space (the same line, less far)
            for sp, lw, ms, ink, z in ((learned, 3.4, 11, c, 3), (raw, 1.5, 7, t["foreground"], 6)):
                s = m["space"][sp]
                ax.annotate("", xy=s["new"], xytext=start,
                            arrowprops={"arrowstyle": "-|>", "color": ink, "lw": lw, "shrinkA": 4, "shrinkB": 3,
                                        "mutation_scale": 10 + lw * 2}, zorder=z)
                ax.plot(*s["new"], "o", ms=ms, mfc=t["background"], mec=apple_color, mew=2 if sp == raw else 2.5,
                        zorder=z + 1)
                # the share beside each arrowhead, on the side away from the other sentence's arrows
                off = (-14, 0) if right else (0, -13)
                share = ax.annotate(fmt(s["share"], "pct"), s["new"], xytext=off, textcoords="offset points",
                            ha="right" if right else "center", va="center" if right else "top",
                            fontsize=10.5 if sp == learned else 9.5,
                            fontweight="bold" if sp == learned else "normal",
                            color=t["foreground"] if sp == learned else t["muted"])
                if sp == raw and right:
                    fruit_raw_share = share
            new = m["space"][learned]["new"]
            sentence_labels.append(ax.annotate(f"{word} in \u201c{m['sentence']}\u201d", new,
                                               xytext=(12, 6) if right else (12, 4), textcoords="offset points",
                                               ha="left", va="bottom", fontsize=9.5))
        ax.plot(*start, "o", ms=12, color=apple_color, zorder=5)
        ax.annotate(word, start, xytext=(10, 6), textcoords="offset points", ha="left", va="bottom",
                    fontsize=12, fontweight="bold")
        key = ax.text(0.99, 0.99,
                f"filled: {word} on its own    hollow: in context\n"
                f"thin: {raw} space (no projection)\n"
                f"bold: {learned} space of step 1\n"
                "number: its context word's weight,\nthe share of the way it moves",
                transform=ax.transAxes, ha="right", va="top", fontsize=9, color=t["muted"], linespacing=1.35)
        mpl.save(fig, out_dir, ID, theme, narrow=lambda f: _narrow(f, ax, key, sentence_labels, fruit_raw_share))


NARROW_TEXT_SCALE = 0.78  # the phone shows the narrow figure about 1.4 px to the point: 9 pt text becomes 9.7 px
NARROW_XLIM = (-0.4, 4.35)  # room on the left for "Phone" above its point, on the right for the longest label
NARROW_SENTENCE_CHARS = 18  # a sentence's label wraps at this many characters


def _narrow(fig, ax, key, sentence_labels, fruit_raw_share) -> None:
    """The phone layout: the key under the plane (in the plane's corner it covered a label), so the plane can
    end nearer its points and be drawn larger; each sentence's label broken into lines so that it stays inside
    the plane; the original space's share toward the fruit a little lower, clear of the other one (the plane
    is smaller than on the desktop, so points sit closer together); all text a little smaller."""
    fig.set_size_inches(3.6, 5.0)
    ax.set_xlim(*NARROW_XLIM)
    for text in ax.texts:
        text.set_fontsize(text.get_fontsize() * NARROW_TEXT_SCALE)
    for label in (ax.xaxis.label, ax.yaxis.label):
        label.set_fontsize(label.get_fontsize() * NARROW_TEXT_SCALE)
    ax.tick_params(labelsize=ax.get_xticklabels()[0].get_fontsize() * NARROW_TEXT_SCALE)
    for label in sentence_labels:
        who, sentence = label.get_text().split(" \u201c", 1)
        label.set_text(who + "\n" + textwrap.fill("\u201c" + sentence, NARROW_SENTENCE_CHARS))
    key.set_text(key.get_text().replace("    ", "\n", 1))
    key.set(x=0.0, y=-0.2, ha="left", va="top")
    fruit_raw_share.xyann = (-14, -1)
    fruit_raw_share.set_va("top")
