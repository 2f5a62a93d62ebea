"""A flashlight over the values: each value lit as brightly as its weight, then added up into the new vector of "it".

Step 5 of the walk-through. Every word of "The animal didn't cross the street
because it was too tired" hands over a value vector (V = X W_V). The word "it"
sweeps a flashlight over them: the beam on each value is as bright as the
weight "it" gives that word (its opacity is the weight divided by the largest
weight, and the weight is printed under it). The lit values, each multiplied
by its weight and added up, make the new vector of "it", its context vector,
in which the value of "animal" counts most.
"""

from __future__ import annotations

import numpy as np

from figures_src.kit.claims import claim
from figures_src.kit.common import attend
from figures_src.kit.formats import fmt

ID = "flashlight-scene"
KIND = "manim"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    'Play it for step 5 and pause before the sum: ask which value will dominate the new vector of "it". It '
    "shows that the output is a weighted blend of every value, not a copy of the value of the top word."
)
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    i = s.focus_index
    w = att.weights[i]  # (T,)
    order = [int(j) for j in np.argsort(-w, kind="stable")]
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        # The values live on the embedding's named axes only when W_V is the identity (as in the default examples).
        "axes": list(s.language.axes) if _is_identity(s.language.w_v) else [],
        "values": att.v.tolist(),  # (T, d_v)
        "weights": w.tolist(),
        "brightness": (w / w.max()).tolist(),  # opacity of the beam and of each value
        "output": att.output[i].tolist(),  # (d_v,) the weighted sum
        "top": order[0],
        "second": order[1],
        "lowest": order[-1],
    }


# What the captions say about the numbers, checked on every build (captions cannot cite, so the claims
# are stated here, one per caption that says what the numbers show).


@claim("“animal” gets the full beam of “it”, and “tired” the next brightest")
def animal_full_beam_tired_next(data):
    t, b = data["tokens"], data["brightness"]
    return t[data["top"]] == "animal" and b[data["top"]] == 1.0 and t[data["second"]] == "tired" and all(
        v < b[data["second"]] for j, v in enumerate(b) if j not in (data["top"], data["second"]))


@claim("most words get only a glimmer: more than half of them get under a quarter of the full beam")
def most_words_a_glimmer(data):
    return 2 * sum(b < 0.25 for b in data["brightness"]) > len(data["brightness"])


@claim("in the new vector of “it” the value of “animal” counts most, every other value less than half as much, "
       "and none is left out")
def animal_counts_most_none_left_out(data):
    w, top = data["weights"], data["top"]
    others = [v for j, v in enumerate(w) if j != top]
    return data["tokens"][top] == "animal" and max(others) < w[top] / 2 and min(w) > 0


def _is_identity(w) -> bool:
    return w.shape[0] == w.shape[1] and bool(np.array_equal(w, np.eye(w.shape[0])))


def labels(data) -> list[str]:
    out = [fmt(v, "f2") for row in data["values"] for v in row]
    out += [fmt(w, "pct") for w in data["weights"]]
    out += [fmt(v, "f2") for v in data["output"]]
    return list(dict.fromkeys(out))


def alt(data) -> str:
    t, w = data["tokens"], data["weights"]
    return (
        f"Animation: the value vectors of \"{data['sentence']}\" stand in a row; a flashlight held by "
        f"\"{data['focus']}\" lights each one as brightly as its weight: \"{t[data['top']]}\" "
        f"{fmt(w[data['top']], 'pct')}, \"{t[data['second']]}\" {fmt(w[data['second']], 'pct')}, down to "
        f"{fmt(w[data['lowest']], 'pct')}. Added up, the weighted values make the new vector of \"{data['focus']}\": "
        f"({', '.join(fmt(v, 'f2') for v in data['output'])})."
    )


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn

    from figures_src.kit import style
    from figures_src.kit.pieces import FG, MUTED, chip, lit, math, spaced, text, vector, word_color
    from figures_src.kit.scene import CaptionedScene, Fade

    tokens, axes, focus = data["tokens"], data["axes"], data["focus"]
    top, second = data["top"], data["second"]
    v_color, out_color = style.ROLE_COLORS["v"], style.ROLE_COLORS["output"]
    n = len(tokens)
    widths = [chip(t).width for t in tokens]
    row_width = sum(max(w, 0.92) for w in widths) + 0.07 * (n - 1)
    xs = spaced(widths, min_width=0.92, gap=0.07, center=-5.5 + row_width / 2)
    CHIP_Y, COL_TOP, STEP, WEIGHT_Y = 2.55, 1.8, 0.38, 0.05
    DARK = 0.1  # the values before the beam reaches them
    torch_at = np.array([xs[0] + 0.6, -2.15, 0])
    tip = torch_at + [0, 0.5, 0]

    def beam(j, brightness):
        return mn.Polygon(tip, [xs[j] - 0.36, WEIGHT_Y + 0.22, 0], [xs[j] + 0.36, WEIGHT_Y + 0.22, 0],
                          fill_color="#fff3b0", fill_opacity=0.32 * brightness, stroke_width=0)

    class Flashlight(CaptionedScene):
        def construct(self):
            self.the_values()
            self.the_beam()
            self.the_blend()

        def the_values(self):
            self.chapter("The values")
            self.say("Every word hands over a value vector: what it gives to whoever attends to it.")
            title = text(f"What “{focus}” takes in", 30).to_edge(mn.UP, buff=0.3)
            self.chips = mn.VGroup(*(chip(t).move_to([x, CHIP_Y, 0]) for t, x in zip(tokens, xs, strict=True)))
            self.names = mn.VGroup(*(text(a, 20, color=MUTED).move_to([xs[0] - 0.52, COL_TOP - STEP * r, 0],
                                                                       aligned_edge=mn.RIGHT)
                                     for r, a in enumerate(axes)))
            self.values = mn.VGroup(*(
                vector([fmt(v, "f2") for v in data["values"][j]], v_color, step=STEP)
                .move_to([xs[j], COL_TOP - STEP * (len(data["values"][j]) - 1) / 2, 0]) for j in range(n)))
            self.play(Fade(title), Fade(self.chips), Fade(self.names), run_time=0.8)
            self.play(mn.LaggedStart(*(Fade(v) for v in self.values), lag_ratio=0.08), run_time=1.5)

        def the_beam(self):
            self.chapter("The beam")
            self.say(f"“{focus}” sweeps a flashlight over them, in the dark.")
            torch = mn.VGroup(
                mn.RoundedRectangle(corner_radius=0.06, width=0.3, height=0.7, fill_color=MUTED, fill_opacity=1,
                                    stroke_width=0),
                mn.Polygon([-0.24, 0.35, 0], [0.24, 0.35, 0], [0.34, 0.6, 0], [-0.34, 0.6, 0], fill_color=FG,
                           fill_opacity=1, stroke_width=0),
            ).move_to(torch_at)
            holder = text(f"“{focus}”", 22, color=word_color(focus)).next_to(torch, mn.RIGHT, buff=0.2)
            self.play(*(lit(v, DARK) for v in self.values), Fade(torch), Fade(holder), run_time=0.8)
            self.say("The beam on each value is as bright as the weight of that word.")
            sweep = beam(0, data["brightness"][0])
            self.weights = mn.VGroup()
            for j, b in enumerate(data["brightness"]):
                weight = text(fmt(data["weights"][j], "pct"), 20).move_to([xs[j], WEIGHT_Y, 0])
                self.weights.add(weight)
                if j == 0:
                    self.play(Fade(sweep), run_time=0.4)
                else:
                    self.play(mn.Transform(sweep, beam(j, b)), run_time=0.3)
                self.play(lit(self.values[j], b), Fade(weight), run_time=0.35)
            self.say(f"“{tokens[top]}” gets the full beam, {fmt(data['weights'][top], 'pct')}; "
                     f"“{tokens[second]}” {fmt(data['weights'][second], 'pct')}; most words only a glimmer.")
            beams = mn.VGroup(*(beam(j, b) for j, b in enumerate(data["brightness"])))
            self.play(Fade(sweep, out=True), Fade(beams), run_time=0.8)
            self.beams = beams

        def the_blend(self):
            self.chapter("The context vector")
            self.say(f"Each value counts as much as its weight; added up, they make the new vector of “{focus}”.")
            sigma = math(r"\textstyle\sum_j w_j\, v_j", 36).move_to([1.2, -1.45, 0])
            out = vector([fmt(v, "f2") for v in data["output"]], out_color, vertical=False, step=0.8)
            out.move_to([4.4, -1.45, 0])
            equals = text("=", 28).move_to([2.55, -1.45, 0])
            name = text(f"new vector of “{focus}”", 20, color=out_color).next_to(out, mn.DOWN, buff=0.15)
            pours = [v.copy() for v in self.values]
            self.play(Fade(sigma), Fade(equals), *(mn.Transform(p, out.copy()) for p in pours), run_time=1.6)
            self.remove(*pours)
            self.add(out)
            self.play(Fade(name), run_time=0.5)
            self.say(f"The value of “{tokens[top]}” counts most, every other less than half as much, "
                     f"and none is left out.")

    return Flashlight


def render(data, out_dir, theme, quality) -> None:
    from figures_src.kit.scene import render_themed

    render_themed(scene, data, out_dir, ID, quality, theme)
