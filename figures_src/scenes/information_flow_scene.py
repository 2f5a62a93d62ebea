"""Information flowing between positions: arcs as thick and as bright as the weights, and "it" drawing most from "cat".

In "The cat sat on the mat because it was tired" every word takes in part of
every other word's value. First only the arcs of "it" are drawn, each as thick
and as opaque as the weight "it" gives that word, with the weights written
under the words. Then every word's arcs at once: above the sentence, what each
word takes from earlier words; below, from later ones; each arc in the colour
of the word the information comes from, and a small loop on each word for the
weight it keeps for itself. Finally the strongest arc of "it" is singled out:
it runs to "cat", the word "it" refers to. The projections are the hand-made
ones of the walk-through, whose W_Q makes "it" look for a living thing.
"""

from __future__ import annotations

import numpy as np

from figures_src.kit.common import attend
from figures_src.kit.formats import fmt

ID = "information-flow-scene"
KIND = "manim"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Play it after the attention matrix to show the weights as flow between positions: ask students to guess, "
    'before the end, which word "it" draws the most from. Use the arcs below the sentence to discuss that, '
    "without a mask, information also flows from later words to earlier ones."
)
SENTENCE = "cat_tired"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    w = att.weights  # (T, T): row i = how much word i takes from each word j
    i = s.focus_index
    others = w[~np.eye(len(w), dtype=bool)]
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "focus_index": i,
        "weights": w.tolist(),
        "focus_max": float(w[i].max()),  # the arcs of the focus word are scaled by its largest weight
        "others_max": float(others.max()),  # the largest weight between two different words
        "web_max": float(w.max()),  # the web's arcs and self-loops are scaled by the largest weight of all
        "self_weights": w.diagonal().tolist(),  # what each word keeps for itself: its self-loop
        "focus_top": int(np.argmax(w[i])),
    }


def labels(data) -> list[str]:
    i = data["focus_index"]
    return list(dict.fromkeys([fmt(v, "pct") for v in data["weights"][i]] + [summary(data)]))


def summary(data) -> str:
    i, top = data["focus_index"], data["focus_top"]
    return f"“{data['focus']}” takes {fmt(data['weights'][i][top], 'pct')} from “{data['tokens'][top]}”"


def alt(data) -> str:
    i, top, t = data["focus_index"], data["focus_top"], data["tokens"]
    row = ", ".join(f"{w} {fmt(v, 'pct')}" for w, v in zip(t, data["weights"][i], strict=True))
    return (
        f"Animation: the words of \"{data['sentence']}\" in a row, linked by arcs as thick as the attention weights. "
        f"First the arcs of \"{data['focus']}\" ({row}); then the arcs of every word at once, forward above and "
        f"backward below; then the strongest arc of \"{data['focus']}\", to \"{t[top]}\" "
        f"({fmt(data['weights'][i][top], 'pct')})."
    )


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn

    from figures_src.kit import pieces, style
    from figures_src.kit.pieces import MUTED, chip, spaced, text
    from figures_src.kit.scene import CaptionedScene, Fade, FadeTo

    tokens, w = data["tokens"], data["weights"]
    n, i, top, focus = len(tokens), data["focus_index"], data["focus_top"], data["focus"]
    highlight = pieces.palette()["highlight"]
    widths = [chip(t).width for t in tokens]
    xs = spaced(widths, min_width=1.05, gap=0.2)
    CHIP_Y, LABEL_Y = 0.0, -0.62
    ANGLE = 0.42 * np.pi  # arc bend: the longest arc rises about 2.1 units

    def loop(j, weight, wmax):
        """What word j keeps for itself: a small loop on its own chip, as thick and as opaque as the weight."""
        s = weight / wmax
        return mn.Circle(radius=0.2, stroke_color=style.token_color(tokens[j]), stroke_width=1 + 9 * s,
                         stroke_opacity=max(0.06, s)).move_to([xs[j], CHIP_Y + 0.5, 0])

    def arc(j, q, weight, wmax, color):
        """From word j (the source) to word q: above when j comes first, below when it comes after."""
        a, b = sorted((j, q))
        edge = 0.28 if j < q else -0.28
        start, end = np.array([xs[a], CHIP_Y + edge, 0]), np.array([xs[b], CHIP_Y + edge, 0])
        strength = weight / wmax
        return mn.ArcBetweenPoints(start, end, angle=-ANGLE if j < q else ANGLE, stroke_color=color,
                                   stroke_width=1.0 + 9.0 * strength, stroke_opacity=max(0.06, strength))

    class InformationFlow(CaptionedScene):
        def construct(self):
            self.where_it_looks()
            self.every_word_at_once()
            self.it_and_cat()

        def where_it_looks(self):
            self.chapter(f"Where “{focus}” looks")
            self.say(f"“{focus}” takes in a share of every word; each arc is as thick as that share.")
            self.heading("Information flowing between words")
            self.chips = mn.VGroup(*(chip(t).move_to([x, CHIP_Y, 0]) for t, x in zip(tokens, xs, strict=True)))
            self.play(Fade(self.chips), run_time=0.6)
            wmax = data["focus_max"]
            arcs = mn.VGroup()
            for j in range(n):
                if j == i:  # what it keeps for itself: a small loop on its own chip
                    arcs.add(loop(i, w[i][i], wmax))
                else:  # every arc of the focus word above the sentence, to keep it readable
                    a, b = sorted((j, i))
                    start, end = np.array([xs[a], CHIP_Y + 0.28, 0]), np.array([xs[b], CHIP_Y + 0.28, 0])
                    s = w[i][j] / wmax
                    arcs.add(mn.ArcBetweenPoints(start, end, angle=-ANGLE, stroke_color=style.token_color(tokens[j]),
                                                 stroke_width=1 + 9 * s, stroke_opacity=max(0.06, s)))
            shares = mn.VGroup(*(text(fmt(v, "pct"), 20).move_to([xs[j], LABEL_Y, 0]) for j, v in enumerate(w[i])))
            self.play(mn.LaggedStart(*(mn.Create(a) for a in arcs), lag_ratio=0.1), run_time=1.8)
            self.play(Fade(shares), run_time=0.6)
            self.say("The shares under the words add up to the whole of its attention.")
            self.focus_parts = [arcs, shares]

        def every_word_at_once(self):
            self.chapter("Every word at once")
            self.say("Every word does the same at the same time. Above: what each word takes from earlier words.")
            self.play(*(Fade(m, out=True) for m in self.focus_parts), run_time=0.6)
            wmax = data["web_max"]
            forward = mn.VGroup(*(arc(j, q, w[q][j], wmax, style.token_color(tokens[j]))
                                  for q in range(n) for j in range(q)))
            backward = mn.VGroup(*(arc(j, q, w[q][j], wmax, style.token_color(tokens[j]))
                                   for q in range(n) for j in range(q + 1, n)))
            self.play(Fade(forward), run_time=1.2)
            self.say("Below: what each word takes from later words. Each arc wears the colour of its source.")
            self.play(Fade(backward), run_time=1.2)
            loops = mn.VGroup(*(loop(q, w[q][q], wmax) for q in range(n)))
            self.say("The small loops on the words: what each word keeps of its own value.")
            self.play(Fade(loops), run_time=1.0)
            self.web = (forward, backward, loops)

        def it_and_cat(self):
            self.chapter(f"“{focus}” and “{tokens[top]}”")
            self.say(f"Of all the flows, “{focus}” draws the most from “{tokens[top]}”: "
                     f"{fmt(w[i][top], 'pct')} of its new vector.")
            forward, backward, loops = self.web
            strongest = arc(top, i, w[i][top], w[i][top], highlight)
            apex = strongest.point_from_proportion(0.5)
            share = text(fmt(w[i][top], "pct"), 22, color=highlight).move_to(apex + [0, 0.3 if top < i else -0.3, 0])
            self.play(FadeTo(forward, 0.2), FadeTo(backward, 0.2), FadeTo(loops, 0.2),
                      mn.Create(strongest), run_time=1.2)
            self.play(Fade(share), mn.Indicate(self.chips[top], color=highlight),
                      mn.Indicate(self.chips[i], color=highlight), run_time=1.0)
            self.say(f"Here that is the word “{focus}” stands for: this hand-made W_Q makes “{focus}” "
                     "look for a living thing.")
            note = text(summary(data), 22, color=MUTED)
            self.play(Fade(note.move_to([0, -2.55, 0])), run_time=0.5)

    return InformationFlow


def render(data, out_dir, theme, quality) -> None:
    from figures_src.kit.scene import render_themed

    render_themed(scene, data, out_dir, ID, quality, theme)
