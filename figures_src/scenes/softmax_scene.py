"""Softmax in motion: the scaled scores of "it" become the slices of a pie.

An animation of step 4. Each word's scaled score stands as a bar; softmax
exponentiates the bars (the tall ones grow much faster than the short ones),
divides by their sum, and the shares that come out are laid around a circle
as the slices of one pie, the largest for the word "it" refers to. A word whose
score is zero still keeps a slice: e to the power 0 is 1, not 0.
"""

from __future__ import annotations

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


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    i = s.focus_index
    w = att.weights[i]
    top = int(w.argmax())
    low = int(att.scaled[i].argmin())  # the lowest score (0 in the default sentence)
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "scaled": att.scaled[i].tolist(),
        "weights": w.tolist(),
        "total": float(w.sum()),  # 1: the shares make one whole
        "top_word": s.tokens[top],
        "top_weight": float(w[top]),
        "low_index": low,
        "low_word": s.tokens[low],
        "low_score": float(att.scaled[i][low]),
        "low_weight": float(w[low]),
    }


def labels(data) -> list[str]:
    out = [fmt(x, "f2") for x in data["scaled"]] + [fmt(w, "pct") for w in data["weights"]]
    out += [shares_title(data), zero_note(data)] + pie_labels_of(data)
    return list(dict.fromkeys(out))


def zero_note(data) -> str:
    return f"score {fmt(data['low_score'], 'f2')}"


def shares_title(data) -> str:
    return f"softmax: shares that add up to {fmt(data['total'], 'pct0')}"


def pie_labels_of(data) -> list[str]:
    return [f"{t} {fmt(w, 'pct')}" for t, w in zip(data["tokens"], data["weights"], strict=True)]


def alt(data) -> str:
    return (
        f"Animation: the scaled scores of \"{data['focus']}\" stand as bars, then turn into a pie of weights; "
        f"\"{data['top_word']}\" takes the largest slice, {fmt(data['top_weight'], 'pct')}, and even "
        f"\"{data['low_word']}\", scored {fmt(data['low_score'], 'f2')}, keeps {fmt(data['low_weight'], 'pct')}."
    )


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn

    from figures_src.kit import style
    from figures_src.kit.pieces import MUTED, pie, pie_labels, slots, text
    from figures_src.kit.scene import CaptionedScene, Fade

    tokens, scaled, weights = data["tokens"], data["scaled"], data["weights"]
    focus, low = data["focus"], data["low_index"]
    colors = [style.token_color(t) for t in tokens]
    xs = slots(len(tokens), -6.1, 6.1)
    base_y, bar_w = -2.2, min(0.8, 0.7 * (xs[1] - xs[0]) if len(xs) > 1 else 0.8)
    BAR_MAX = 3.3  # the tallest bar; the others in proportion (scores and weights each to their own maximum)

    class SoftmaxScene(CaptionedScene):
        def construct(self):
            self.scores()
            self.shares()
            self.zero_keeps_a_slice()
            self.the_pie()

        # ------------------------------------------------------------------ beats
        def scores(self):
            self.chapter("Scaled scores")
            self.say(f"The query of “{focus}” has been scored against every key and scaled.")
            self.top = text(f"“{focus}” has scored every word", size=32).to_edge(mn.UP, buff=0.4)
            self.words = mn.VGroup(*(text(t, 20, color=MUTED).move_to([x, base_y - 0.35, 0])
                                     for t, x in zip(tokens, xs, strict=True)))
            self.bar_group, self.value_labels = self.bars(scaled, "f2", scale=BAR_MAX / (max(scaled) or 1.0))
            self.play(mn.FadeIn(self.top), mn.FadeIn(self.words))
            self.play(*(mn.GrowFromEdge(b, mn.DOWN) for b in self.bar_group), run_time=1.2)
            self.play(mn.FadeIn(self.value_labels))
            self.wait(1.2)

        def shares(self):
            self.chapter("Exponentiate and share")
            self.say(f"Softmax raises e to each score and divides by the sum: shares that add up to "
                     f"{fmt(data['total'], 'pct0')}.")
            bars, pcts = self.bars(weights, "pct", scale=BAR_MAX / max(weights))
            title = text(shares_title(data), size=32).to_edge(mn.UP, buff=0.4)
            self.play(
                mn.Transform(self.bar_group, bars),
                *(mn.FadeTransform(a, b) for a, b in zip(self.value_labels, pcts, strict=True)),
                mn.FadeTransform(self.top, title),
                run_time=1.5,
            )
            self.value_labels, self.top = pcts, title
            self.wait(1.5)

        def zero_keeps_a_slice(self):
            self.chapter("No share is zero")
            self.say(f"A score of {fmt(data['low_score'], 'f2')} does not mean no attention: "
                     f"“{data['low_word']}” still keeps {fmt(data['low_weight'], 'pct')}.")
            ring = mn.SurroundingRectangle(mn.VGroup(self.bar_group[low], self.value_labels[low], self.words[low]),
                                           color=style.theme(style.VIDEO_THEME)["highlight"], buff=0.1)
            note = text(zero_note(data), 20, color=MUTED).next_to(ring, mn.UP, buff=0.12)
            self.play(mn.Create(ring), Fade(note),
                      self.words[low].animate.set_color(style.theme(style.VIDEO_THEME)["foreground"]))
            self.say("Softmax never gives exactly nothing: e to the power of any score is positive.")
            self.ring = mn.VGroup(ring, note)

        def the_pie(self):
            self.chapter("The pie")
            self.say(f"Laid around a circle, the shares make one pie; “{data['top_word']}” has the largest slice, "
                     f"{fmt(data['top_weight'], 'pct')}.")
            slices = pie(weights, colors, radius=2.1, inner=1.0).move_to([0, -0.45, 0])
            tags = pie_labels(slices, pie_labels_of(data), size=20, gap=0.4, lo=-2.85, hi=2.7)
            centre = text(f"“{focus}”", 26).move_to(slices.get_center())
            self.play(Fade(self.bar_group, out=True), Fade(self.value_labels, out=True), Fade(self.words, out=True),
                      Fade(self.ring, out=True), Fade(slices), run_time=1.2)
            self.play(Fade(tags), Fade(centre), run_time=0.8)

        # ------------------------------------------------------------------ pieces
        def bars(self, values, fmt_style, scale):
            group, tags = mn.VGroup(), mn.VGroup()
            for x, v, c in zip(xs, values, colors, strict=True):
                h = max(0.03, v * scale)
                bar = mn.Rectangle(width=bar_w, height=h, fill_color=c, fill_opacity=0.9, stroke_width=0)
                bar.move_to([x, base_y + h / 2, 0])
                group.add(bar)
                tags.add(text(fmt(v, fmt_style), 20).next_to(bar, mn.UP, buff=0.1))
            return group, tags

    return SoftmaxScene


def render(data, out_dir, theme, quality) -> None:
    from figures_src.kit.scene import render_scene

    render_scene(scene(data), out_dir, ID, quality)
