"""Three spotlights: the words' matrix X projected by W_Q, W_K and W_V into queries, keys and values, shapes shown.

Step 1 of the walk-through, for the whole sentence at once. X holds one row
per word of "The animal didn't cross the street because it was too tired"
(T rows, d_model columns). Three learned matrices shine on the same X like
three spotlights and cast three different shadows: Q = X W_Q (what each word
looks for), K = X W_K (what it offers) and V = X W_V (what it hands over).
Each shadow has one row per word again, with d_k (or d_v) columns; the row of
"it" is followed through all four.
"""

from __future__ import annotations

from figures_src.kit.common import attend
from figures_src.kit.formats import fmt

ID = "spotlights-scene"
KIND = "manim"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Play it for step 1 to show the whole sentence projected at once: ask students to name the shape of each "
    "of X, Q, K and V before it appears, and what one row of each stands for. It answers the question of "
    "where queries, keys and values come from: one X, three learned matrices."
)
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    lang = s.language
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.focus,
        "focus_index": s.focus_index,
        "x": s.x.tolist(),  # (T, d_model)
        "q": att.q.tolist(),  # (T, d_k)
        "k": att.k.tolist(),  # (T, d_k)
        "v": att.v.tolist(),  # (T, d_v)
        "shapes": {
            "x": list(s.x.shape),
            "w_q": list(lang.w_q.shape),
            "w_k": list(lang.w_k.shape),
            "w_v": list(lang.w_v.shape),
            "q": list(att.q.shape),
            "k": list(att.k.shape),
            "v": list(att.v.shape),
        },
    }


def shape(dims) -> str:
    return " × ".join(fmt(d, "int") for d in dims)


def labels(data) -> list[str]:
    out = [fmt(v, "f2") for m in "xqkv" for row in data[m] for v in row if v != 0]  # a zero is drawn as a dot
    out += [shape(dims) for dims in data["shapes"].values()]
    return list(dict.fromkeys(out))


def alt(data) -> str:
    sh, i = data["shapes"], data["focus_index"]

    def row(m):
        return ", ".join(fmt(v, "f2") for v in data[m][i])

    return (
        f"Animation: the matrix X of \"{data['sentence']}\" ({shape(sh['x'])}: one row per word) is lit by three "
        f"spotlights, W_Q, W_K and W_V ({shape(sh['w_q'])} each), which cast three matrices: Q ({shape(sh['q'])}), "
        f"K ({shape(sh['k'])}) and V ({shape(sh['v'])}). The row of \"{data['focus']}\": x = ({row('x')}), "
        f"q = ({row('q')}), k = ({row('k')}), v = ({row('v')})."
    )


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn
    import numpy as np

    from figures_src.kit import pieces, style
    from figures_src.kit.pieces import MUTED, sub, text, word_color
    from figures_src.kit.scene import CaptionedScene, Fade

    tokens, i, sh = data["tokens"], data["focus_index"], data["shapes"]
    role = style.ROLE_COLORS
    highlight = pieces.palette()["highlight"]
    CELL_W, CELL_H, SIZE = 0.68, 0.36, 18
    TOP = 1.75  # y of the first row
    centers = {"x": -4.37, "q": -1.15, "k": 2.07, "v": 5.29}
    sym = {"x": ("T × d", "model"), "q": ("T × d", "k"), "k": ("T × d", "k"), "v": ("T × d", "v")}

    def entry(v, x, y):
        """A number, or a faint dot for an exact zero (most entries here), so the others stand out."""
        if v == 0:
            return mn.Dot([x, y, 0], radius=0.03, color=MUTED)
        return text(fmt(v, "f2"), SIZE).move_to([x, y, 0])

    def matrix(rows, color, cx):
        """Numbers in a grid (no cell fills: the colour is the frame), column c at cx + (c - (d-1)/2) CELL_W."""
        d = len(rows[0])
        nums = mn.VGroup(*(mn.VGroup(*(entry(v, cx + (c - (d - 1) / 2) * CELL_W, TOP - r * CELL_H)
                                       for c, v in enumerate(row)))
                           for r, row in enumerate(rows)))
        frame = mn.RoundedRectangle(corner_radius=0.1, width=d * CELL_W + 0.2, height=len(rows) * CELL_H + 0.16,
                                    stroke_color=color, stroke_width=2.5, fill_color=color, fill_opacity=0.08)
        frame.move_to(nums.get_center())
        group = mn.VGroup(frame, nums)
        group.frame, group.rows = frame, nums
        return group

    class Spotlights(CaptionedScene):
        def construct(self):
            self.the_words_matrix()
            self.three_spotlights()
            self.one_row_three_roles()

        def the_words_matrix(self):
            self.chapter("X: one row per word")
            self.say("Stack the embeddings of the words, one row each, and you get the matrix X.")
            self.heading("Three spotlights on X")
            self.x = matrix(data["x"], role["x"], centers["x"])
            self.names = mn.VGroup(*(text(t, 18, color=word_color(t))
                                     .next_to(self.x.rows[r], mn.LEFT, buff=0.3) for r, t in enumerate(tokens)))
            self.x_shape = self.shape_tag("x", "X")
            self.play(Fade(self.names), Fade(self.x), run_time=1.2)
            self.play(Fade(self.x_shape), run_time=0.6)
            self.say(f"Here {shape(sh['x'])}: T words of d_model numbers each. A dot is a zero.")

        def three_spotlights(self):
            self.chapter("Three spotlights, three shadows")
            self.say("Three learned matrices shine on the same X like three spotlights.")
            self.shadows = {}
            for r, name in (("q", "Q"), ("k", "K"), ("v", "V")):
                lamp_at = np.array([centers[r], 3.05, 0])
                lamp = mn.Polygon(lamp_at + [-0.35, 0.22, 0], lamp_at + [0.35, 0.22, 0], lamp_at + [0.16, -0.18, 0],
                                  lamp_at + [-0.16, -0.18, 0], fill_color=role[r], fill_opacity=1, stroke_width=0)
                w_name = mn.VGroup(sub("W", name, 24, color=role[r]), text(shape(sh[f"w_{r}"]), 18, color=MUTED))
                w_name.arrange(mn.RIGHT, buff=0.15).next_to(lamp, mn.LEFT, buff=0.15)
                beam = mn.Polygon(lamp_at + [0, -0.18, 0], self.x.frame.get_corner(mn.UR),
                                  self.x.frame.get_corner(mn.DR), fill_color=role[r], fill_opacity=0.16, stroke_width=0)
                shadow = matrix(data[r], role[r], centers[r])
                tag = self.shape_tag(r, name)
                if r == "q":
                    self.say("W_Q casts the queries Q: what each word looks for.")
                elif r == "k":
                    self.say("W_K casts the keys K: what each word offers.")
                else:
                    self.say("W_V casts the values V: what each word hands over.")
                self.play(Fade(lamp), Fade(w_name), run_time=0.5)
                self.add_foreground_mobjects(self.x)
                self.play(Fade(beam), run_time=0.6)
                self.play(mn.TransformFromCopy(self.x, shadow), run_time=1.2)
                self.remove_foreground_mobjects(self.x)
                self.play(Fade(beam, out=True), Fade(tag), run_time=0.5)
                self.shadows[r] = shadow

        def one_row_three_roles(self):
            self.chapter(f"The row of “{data['focus']}”")
            self.say(f"Follow one row: the word “{data['focus']}” now has a query, a key and a value.")
            boxes = mn.VGroup(mn.SurroundingRectangle(mn.VGroup(self.names[i], self.x.rows[i]), color=highlight,
                                                      buff=0.06),
                              *(mn.SurroundingRectangle(self.shadows[r].rows[i], color=highlight, buff=0.06)
                                for r in "qkv"))
            self.play(mn.Create(boxes), run_time=1.0)
            self.say("One row per word in all four: each row of Q, K and V belongs to one word of X.")

        def shape_tag(self, key, name):
            """"Q: 11 × 4  T × d_k" under the matrix."""
            bottom = TOP - (len(data[key]) - 1) * CELL_H - 0.45
            tag = mn.VGroup(text(f"{name}:", 20, color=role[key]), text(shape(sh[key]), 20),
                            sub(*sym[key], 18, color=MUTED)).arrange(mn.RIGHT, buff=0.12)
            return tag.move_to([centers[key], bottom, 0], aligned_edge=mn.UP)

    return Spotlights


def render(data, out_dir, theme, quality) -> None:
    from figures_src.kit.scene import render_themed

    render_themed(scene, data, out_dir, ID, quality, theme)
