"""Softmax in motion: the scaled scores of "it" become the slices of a pie.

An animation of step 4, one operation at a time. Each word's scaled score
stands as a bar; softmax raises e to each score (drawn to the same scale, the
tall bars grow much faster than the short ones), adds the exponentials up,
divides each by that sum, and the shares that come out are laid around a
circle as the slices of one pie, the largest for the word "it" refers to. A
word whose score is zero still keeps a slice: e to the power 0 is 1, not 0.
"""

from __future__ import annotations

import numpy as np

from figures_src.kit.common import attend
from figures_src.kit.formats import fmt

ID = "softmax-scene"
KIND = "manim"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Play it for step 4 and pause after the exponentiation: ask why the tall bars grew so much more than the "
    "short ones. It makes clear that softmax exaggerates differences, and that a score of zero still keeps a "
    "slice."
)
SENTENCE = "animal"
# The largest e^s the bars print as it is ("999.99" still fits a word's column). attention_ref's softmax
# subtracts the row's largest score before exponentiating; for larger scores the scene does the same and
# says so, and the shares are unchanged (shift invariance).
PRINTABLE_EXP = 1000.0


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    i = s.focus_index
    scaled = att.scaled[i]  # (T,)
    w = att.weights[i]  # (T,)
    shift = 0.0 if np.exp(scaled.max()) < PRINTABLE_EXP else float(scaled.max())
    e = np.exp(scaled - shift)  # (T,) the numerators of softmax, e^s
    top = int(w.argmax())
    low = int(scaled.argmin())  # the lowest score (0 in the default sentence)
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "scaled": scaled.tolist(),
        "exp": e.tolist(),
        "exp_shift": shift,  # 0: e^s of the scaled scores themselves; else e^(s - largest s)
        "exp_sum": float(e.sum()),  # the denominator: weights = exp / exp_sum
        "weights": w.tolist(),
        "total": float(w.sum()),  # 1: the shares make one whole
        "top_index": top,
        "top_word": s.tokens[top],
        "top_score": float(scaled[top]),
        "top_exp": float(e[top]),
        "top_weight": float(w[top]),
        "low_index": low,
        "low_word": s.tokens[low],
        "low_score": float(scaled[low]),
        "low_exp": float(e[low]),
        "low_weight": float(w[low]),
    }


def labels(data) -> list[str]:
    out = [fmt(x, "f2") for x in data["scaled"]] + [fmt(x, "f2") for x in data["exp"]]
    out += [total_line(data), division(data, data["top_index"])]
    out += [fmt(w, "pct") for w in data["weights"]]
    out += [shares_title(data), zero_note(data)] + pie_labels_of(data)
    return list(dict.fromkeys(out))


def total_line(data) -> str:
    return f"all the exponentials added up: {fmt(data['exp_sum'], 'f2')}"


def division(data, j: int) -> str:
    """One weight worked out: e^s ÷ the sum = the share."""
    return f"{fmt(data['exp'][j], 'f2')} ÷ {fmt(data['exp_sum'], 'f2')} = {fmt(data['weights'][j], 'pct')}"


def zero_note(data) -> str:
    return f"score {fmt(data['low_score'], 'f2')}"


def shares_title(data) -> str:
    return f"softmax: shares that add up to {fmt(data['total'], 'pct0')}"


def pie_labels_of(data) -> list[str]:
    return [f"{t} {fmt(w, 'pct')}" for t, w in zip(data["tokens"], data["weights"], strict=True)]


def alt(data) -> str:
    return (
        f"Animation: the scaled scores of \"{data['focus']}\" stand as bars; e is raised to each score, the "
        f"results add up to {fmt(data['exp_sum'], 'f2')}, and each divided by that sum gives a weight, laid out "
        f"as a pie; \"{data['top_word']}\" takes the largest slice, {fmt(data['top_weight'], 'pct')}, and even "
        f"\"{data['low_word']}\", scored {fmt(data['low_score'], 'f2')}, keeps {fmt(data['low_weight'], 'pct')}."
    )


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn

    from figures_src.kit import pieces, style
    from figures_src.kit.pieces import FG, MUTED, pie, pie_labels, slots, text
    from figures_src.kit.scene import CaptionedScene, Fade

    tokens, scaled, exps, weights = data["tokens"], data["scaled"], data["exp"], data["weights"]
    focus, top, low, shifted = data["focus"], data["top_index"], data["low_index"], data["exp_shift"] != 0
    f2 = lambda x: fmt(x, "f2")  # noqa: E731
    pct = lambda x: fmt(x, "pct")  # noqa: E731
    colors = [style.token_color(t) for t in tokens]
    xs = slots(len(tokens), -6.1, 6.1)
    base_y, bar_w = -2.2, min(0.8, 0.7 * (xs[1] - xs[0]) if len(xs) > 1 else 0.8)
    BAR_MAX = 3.3  # the tallest bar; the others in proportion
    # Scores and their exponentials share one scale, so the growth shows; the weights get their own (same shape).
    exp_scale = BAR_MAX / (max(max(exps), max(scaled)) or 1.0)

    def markup(s: str, size: float = 32):  # a title with a superscript
        return mn.MarkupText(s, font=style.FONT_FAMILY, font_size=size, color=FG)

    class SoftmaxScene(CaptionedScene):
        def construct(self):
            self.scores()
            self.show_exponentials()
            self.show_sum()
            self.divide_by_the_sum()
            self.zero_keeps_a_slice()
            self.the_pie()

        # ------------------------------------------------------------------ beats
        def scores(self):
            self.chapter("Scaled scores")
            self.say(f"The query of “{focus}” has been scored against every key and scaled.")
            self.top = text(f"“{focus}” has scored every word", size=32).to_edge(mn.UP, buff=0.4)
            self.words = mn.VGroup(*(text(t, 20, color=MUTED).move_to([x, base_y - 0.35, 0])
                                     for t, x in zip(tokens, xs, strict=True)))
            self.bar_group, self.value_labels = self.bars(scaled, f2, exp_scale)
            self.play(mn.FadeIn(self.top), mn.FadeIn(self.words))
            self.play(*(mn.GrowFromEdge(b, mn.DOWN) for b in self.bar_group), run_time=1.2)
            self.play(mn.FadeIn(self.value_labels))
            self.wait(1.2)

        def show_exponentials(self):
            self.chapter("e to each score")
            if shifted:  # the top score is the largest, so the number in this caption is on screen
                self.say(f"Softmax first subtracts the largest score, {f2(data['top_score'])}, from each, then raises "
                         f"e to the result: {f2(data['top_score'])} becomes {f2(data['top_exp'])}.")
            else:
                self.say(f"Softmax first raises e to each score: {f2(data['top_score'])} becomes "
                         f"{f2(data['top_exp'])}, and {f2(data['low_score'])} becomes {f2(data['low_exp'])}.")
            title = markup("e<sup>s</sup>: e raised to each score s" if not shifted
                           else "e<sup>s − largest s</sup> for each score s")
            self.retitle(title)
            self.replace_bars(exps, f2, exp_scale, run_time=1.8)
            self.say("Drawn to the same scale, the tall bars grow far more than the short ones.")
            self.wait(1.0)
            if shifted:
                self.say("These scores are too large to print e to each as it is; subtracting the same number "
                         "from every score leaves the shares the same, and it is what the code does too.")
            else:
                self.say("These scores are small enough to show e to each as it is; the code first subtracts the "
                         "largest score, so nothing overflows, and the shares come out the same.")

        def show_sum(self):
            self.chapter("Their sum")
            self.say(f"Then softmax adds the exponentials up: together they make {f2(data['exp_sum'])}.")
            self.brace = mn.Brace(mn.VGroup(self.bar_group, self.value_labels), direction=mn.UP, color=MUTED)
            self.total = text(total_line(data), 26).next_to(self.brace, mn.UP, buff=0.15)
            self.play(mn.GrowFromCenter(self.brace), run_time=0.8)
            self.play(Fade(self.total), run_time=0.6)
            self.wait(1.0)

        def divide_by_the_sum(self):
            self.chapter("Divide by the sum")
            self.say(f"Each exponential divided by that sum is a weight: “{data['top_word']}” gets "
                     f"{division(data, top)}.")
            worked = text(division(data, top), 24)
            x = float(np.clip(xs[top], -6.9 + worked.width / 2, 6.9 - worked.width / 2))
            worked.move_to([x, self.total.get_center()[1], 0])
            self.play(Fade(self.brace, out=True), Fade(self.total, out=True), Fade(worked), run_time=0.8)
            self.retitle(text(shares_title(data), size=32))
            self.replace_bars(weights, pct, BAR_MAX / max(weights), run_time=1.5)
            self.worked = worked
            self.say(f"The bars keep their shape; only their units change, to shares that add up to "
                     f"{fmt(data['total'], 'pct0')}.")
            self.wait(1.0)

        def zero_keeps_a_slice(self):
            self.chapter("No share is zero")
            self.say(f"A score of {f2(data['low_score'])} does not mean no attention: “{data['low_word']}” still "
                     f"keeps {division(data, low)}.")
            ring = mn.SurroundingRectangle(mn.VGroup(self.bar_group[low], self.value_labels[low], self.words[low]),
                                           color=pieces.palette()["highlight"], buff=0.1)
            note = text(zero_note(data), 20, color=MUTED).next_to(ring, mn.UP, buff=0.12)
            self.play(mn.Create(ring), Fade(note), self.words[low].animate.set_color(FG))
            self.say("Softmax never gives exactly nothing: e to the power of any score is positive.")
            self.ring = mn.VGroup(ring, note)

        def the_pie(self):
            self.chapter("The pie")
            self.say(f"Laid around a circle, the shares make one pie; “{data['top_word']}” has the largest slice, "
                     f"{pct(data['top_weight'])}.")
            slices = pie(weights, colors, radius=2.1, inner=1.0).move_to([0, -0.45, 0])
            tags = pie_labels(slices, pie_labels_of(data), size=20, gap=0.4, lo=-2.85, hi=2.7)
            centre = text(f"“{focus}”", 26).move_to(slices.get_center())
            self.play(Fade(self.bar_group, out=True), Fade(self.value_labels, out=True), Fade(self.words, out=True),
                      Fade(self.ring, out=True), Fade(self.worked, out=True), Fade(slices), run_time=1.2)
            self.play(Fade(tags), Fade(centre), run_time=0.8)

        # ------------------------------------------------------------------ pieces
        def bars(self, values, label, scale):
            group, tags = mn.VGroup(), mn.VGroup()
            for x, v, c in zip(xs, values, colors, strict=True):
                h = max(0.03, v * scale)
                bar = mn.Rectangle(width=bar_w, height=h, fill_color=c, fill_opacity=0.9, stroke_width=0)
                bar.move_to([x, base_y + h / 2, 0])
                group.add(bar)
                tags.add(text(label(v), 20).next_to(bar, mn.UP, buff=0.1))
            return group, tags

        def replace_bars(self, values, label, scale, run_time):
            """Morph the bars to `values` and swap their labels for the new numbers."""
            bars, tags = self.bars(values, label, scale)
            self.play(mn.Transform(self.bar_group, bars),
                      *(mn.FadeTransform(a, b) for a, b in zip(self.value_labels, tags, strict=True)),
                      run_time=run_time)
            self.value_labels = tags

        def retitle(self, title):
            title.to_edge(mn.UP, buff=0.4)
            self.play(mn.FadeTransform(self.top, title), run_time=0.6)
            self.top = title

    return SoftmaxScene


def render(data, out_dir, theme, quality) -> None:
    from figures_src.kit.scene import render_themed

    render_themed(scene, data, out_dir, ID, quality, theme)
