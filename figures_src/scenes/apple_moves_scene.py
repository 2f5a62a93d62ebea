"""Animation: Apple glides toward Orange in "An Apple And An Orange", then toward Phone in "An Apple Phone".

The geometric view of attention. In a toy embedding with a fruit axis and a
tech axis (and a grammar axis for "an" and "and", on which Apple, Orange and
Phone have nothing, so this flat view shows their whole vectors), "Apple"
sits halfway between Orange and Phone. In each sentence Apple attends to
itself and to its context word with the site's attention, softmax of
q . k / sqrt(d_k), its queries and keys made by the learned space of step 1
(W_Q = W_K = W) and its values the embeddings themselves (W_V = identity). Its
new vector, the output of attention, is the weighted mix of the two,
(1 - share) Apple + share Orange (attention_ref.move_toward gives the same
point): a point on the straight line from Apple to the context word, as far
along as the context word's share. With no projection at all Apple would keep
most of its attention and move much less. The same word lands on the fruit
side in one sentence and on the tech side in the other.
"""

from __future__ import annotations

import numpy as np

from attention_ref import self_attention
from figures_src.kit.formats import fmt

ID = "apple-moves-scene"
KIND = "manim"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Play it after step 5 and pause before Apple moves: ask students to predict where it lands in each "
    'sentence. It shows the weighted sum as motion along a straight line, so "attention mixes vectors" '
    "becomes something they can see."
)
SENTENCES = ("apple_orange", "apple_phone")
SPACE, RAW = "learned", "original"  # candidate spaces of step 1: the one Apple moves in, and no projection


def data(examples) -> dict:
    first = examples.sentence(SENTENCES[0])
    lang = first.language
    plane = [0, 1]  # the first two axes (fruit, tech) make the flat view
    off = [k for k in range(lang.d_model) if k not in plane]
    w, w_raw = examples.candidate_spaces[SPACE].w, examples.candidate_spaces[RAW].w  # (2, 2) each
    moves = []
    for name in SENTENCES:
        s = examples.sentence(name)
        i, j = s.focus_index, s.index(s.toward)
        pair = s.x[[i, j]]  # (2, d): the word and its context word
        if pair[:, off].any():
            raise ValueError(f"{s.tokens[i]} and {s.tokens[j]} must have nothing off the plane of the first two axes")
        x = pair[:, plane]  # (2, 2): their whole vectors
        att = self_attention(x, w, w, np.eye(2))  # Q = K = X W, V = X
        raw = self_attention(x, w_raw, w_raw, np.eye(2))
        weights = att.weights[0]  # (2,): its weights on itself and on the context word
        moves.append({
            "sentence": s.text,
            "focus": s.tokens[i],
            "toward": s.tokens[j],
            "weights": weights.tolist(),  # [on itself, on the context word]
            "share": float(weights[1]),
            "raw_share": float(raw.weights[0, 1]),  # the same, with no projection
            "start": x[0].tolist(),
            "target": x[1].tolist(),
            "moved": att.output[0].tolist(),
        })
    landmarks = sorted({m["toward"].lower() for m in moves} | {first.focus.lower()})
    return {
        "space": SPACE,
        "axes": [lang.axes[a] for a in plane],
        "points": {w: lang.vocabulary[w][plane].tolist() for w in landmarks},
        "moves": moves,
    }


def point_label(p) -> str:
    return f"({fmt(p[0], 'f2')}, {fmt(p[1], 'f2')})"


def labels(data) -> list[str]:
    out = []
    for m in data["moves"]:
        out += [fmt(w, "pct") for w in m["weights"]]
        out += [point_label(m["start"]), point_label(m["moved"])]
    return list(dict.fromkeys(out))


def alt(data) -> str:
    parts = "; ".join(
        f"in \"{m['sentence']}\" {m['focus']} gives {m['toward']} {fmt(m['share'], 'pct')} of its attention and moves "
        f"that share of the way from {point_label(m['start'])} to {point_label(m['moved'])}"
        for m in data["moves"])
    return (f"Animation on a plane with a {data['axes'][0]} axis and a {data['axes'][1]} axis: {parts}. "
            f"The same word lands in two different places.")


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn
    import numpy as np

    from figures_src.kit import style
    from figures_src.kit.pieces import FG, MUTED, chip, text, word_color
    from figures_src.kit.scene import CaptionedScene, Fade

    axes, points, moves = data["axes"], data["points"], data["moves"]
    ORIGIN_AT, UNIT = np.array([-5.6, -2.35, 0]), 1.45
    reach = max(max(p) for p in points.values()) + 0.6

    def at(p):
        return ORIGIN_AT + UNIT * np.array([p[0], p[1], 0])

    def dot(word, p, color=None, radius=0.1):
        c = color or style.token_color(word)
        return mn.Dot(at(p), radius=radius, color=c)

    class AppleMoves(CaptionedScene):
        def construct(self):
            self.between_two_meanings()
            for k in range(len(moves)):
                self.in_context(k)

        def between_two_meanings(self):
            first = moves[0]
            self.chapter(f"{first['focus']} between two meanings")
            self.say(f"On a {axes[0]} axis and a {axes[1]} axis, “{first['focus']}” sits between "
                     f"{' and '.join(m['toward'] for m in moves)}.")
            x_axis = mn.Arrow(at([0, 0]), at([reach, 0]), buff=0, stroke_width=3, color=MUTED, tip_length=0.2)
            y_axis = mn.Arrow(at([0, 0]), at([0, reach]), buff=0, stroke_width=3, color=MUTED, tip_length=0.2)
            x_name = text(axes[0], 22, color=MUTED).next_to(x_axis.get_end(), mn.DOWN, buff=0.15)
            y_name = text(axes[1], 22, color=MUTED).next_to(y_axis.get_end(), mn.RIGHT, buff=0.15)
            self.marks = {}
            for word, p in points.items():
                name = word.capitalize()
                d = dot(word, p)
                tag = text(name, 24, color=word_color(word)).next_to(d, mn.UR, buff=0.08)
                self.marks[word] = (d, tag)
            self.play(mn.Create(x_axis), mn.Create(y_axis), Fade(x_name), Fade(y_name), run_time=1.0)
            self.play(*(Fade(mn.VGroup(*m)) for m in self.marks.values()), run_time=0.8)
            self.say("Which meaning it takes depends on the words around it.")

        def in_context(self, k):
            m = moves[k]
            focus, toward, share = m["focus"], m["toward"], fmt(m["share"], "pct")
            side, other = (0, 1) if m["target"][0] >= m["target"][1] else (1, 0)
            self.chapter(f"Next to {toward}")
            if k == 0:
                self.say(f"In “{m['sentence']}”, {focus} attends to itself and to {toward}.")
            else:
                self.say(f"In “{m['sentence']}”, {toward} takes {share}, and {focus} moves toward {toward} instead.")
                self.play(*(Fade(x, out=True) for x in self.panel), run_time=0.5)
            sentence = text(f"“{m['sentence']}”", 24).move_to([3.2, 2.75, 0])
            chips = mn.VGroup(chip(focus, 22), chip(toward, 22)).arrange(mn.RIGHT, buff=0.5).move_to([3.9, 1.95, 0])
            shares = mn.VGroup(*(text(fmt(w, "pct"), 20).next_to(c, mn.DOWN, buff=0.2)
                                 for c, w in zip(chips, m["weights"], strict=True)))
            row_name = text(f"{focus}'s attention:", 20, color=MUTED).next_to(mn.VGroup(chips, shares), mn.LEFT,
                                                                                buff=0.3)
            self.play(Fade(sentence), Fade(chips), run_time=0.6)
            if k == 0:
                self.say(f"With queries and keys in the learned space, softmax of q·k/√d_k gives {toward} "
                         f"{share} of its attention,")
            self.play(Fade(shares), Fade(row_name), run_time=0.6)
            ring = mn.SurroundingRectangle(shares[1], color=style.token_color(toward), buff=0.08)
            if k == 0:
                self.say(f"so {focus} moves {share} of the way toward {toward}: more {axes[side]}, less {axes[other]}.")
            path = mn.DashedLine(at(m["start"]), at(m["target"]), color=MUTED, dash_length=0.12)
            mover = dot(focus, m["start"], color=FG, radius=0.09)
            self.play(mn.Create(ring), mn.Create(path), Fade(mover), run_time=0.8)
            self.play(mover.animate.move_to(at(m["moved"])), run_time=1.5)
            arrow = mn.Arrow(at(m["start"]), at(m["moved"]), buff=0.1, stroke_width=4, tip_length=0.18,
                             color=style.token_color(toward))
            where = mn.VGroup(
                text(f"{focus} alone", 20, color=MUTED), text(point_label(m["start"]), 20),
                text(f"{focus} next to {toward}", 20, color=word_color(toward)), text(point_label(m["moved"]), 20),
            ).arrange_in_grid(rows=2, cols=2, buff=(0.3, 0.18), col_alignments="lr").move_to([3.6, 0.25, 0])
            self.play(mn.GrowArrow(arrow), Fade(where), run_time=0.8)
            self.panel = [sentence, chips, shares, row_name, ring, where]
            if k + 1 == len(moves):
                self.say(f"The same word lands in two places: its context decides what {focus} means.")

    return AppleMoves


def render(data, out_dir, theme, quality) -> None:
    from figures_src.kit.scene import render_themed

    render_themed(scene, data, out_dir, ID, quality, theme)
