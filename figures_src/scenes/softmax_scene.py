"""Softmax in motion: the scaled scores of "it" become the slices of a pie.

An animation of step 4. Each word's scaled score stands as a bar; softmax
exponentiates the bars (the tall ones grow much faster than the short ones),
divides by their sum, and the shares that come out are laid around a circle
as the slices of one pie, the largest for the word "it" refers to.
"""

from __future__ import annotations

from figures_src.common import attend
from figures_src.formats import fmt

ID = "softmax-scene"
KIND = "manim"
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    i = s.focus_index
    w = att.weights[i]
    top = int(w.argmax())
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "scaled": att.scaled[i].tolist(),
        "weights": w.tolist(),
        "top_word": s.tokens[top],
        "top_weight": float(w[top]),
    }


def labels(data) -> list[str]:
    return [fmt(x, "f2") for x in data["scaled"]] + [fmt(w, "pct") for w in data["weights"]]


def alt(data) -> str:
    return (
        f"Animation: the scaled scores of \"{data['focus']}\" stand as bars, then turn into a pie of weights; "
        f"\"{data['top_word']}\" takes the largest slice, {fmt(data['top_weight'], 'pct')}."
    )


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn

    from figures_src import style
    from figures_src.manim_kit import CaptionedScene, text

    tokens, scaled, weights = data["tokens"], data["scaled"], data["weights"]
    colors = [style.token_color(t) for t in tokens]
    muted = style.theme(style.VIDEO_THEME)["muted"]

    class SoftmaxScene(CaptionedScene):
        def construct(self):
            self.chapter("Scaled scores")
            title = text(f"“{data['focus']}” scores every word", size=30).to_edge(mn.UP)
            self.say(f"The query of “{data['focus']}” has been scored against every key and scaled.")
            bars, score_labels, words = self.bars(scaled, fmt_style="f2")
            self.play(mn.FadeIn(title), mn.FadeIn(words))
            self.play(*(mn.GrowFromEdge(b, mn.DOWN) for b in bars), run_time=1.2)
            self.play(mn.FadeIn(score_labels))
            self.wait(0.8)

            self.chapter("Exponentiate and share")
            self.say("Softmax raises e to each score and divides by the sum: every share is positive.")
            new_bars, pct_labels, _ = self.bars(weights, fmt_style="pct", scale=6.0)
            self.play(
                mn.Transform(bars, new_bars), mn.Transform(score_labels, pct_labels),
                mn.Transform(title, text("softmax: shares that add up to 100%", size=30).to_edge(mn.UP)),
                run_time=1.5,
            )
            self.wait(0.8)

            self.chapter("The pie")
            self.say(f"Laid around a circle, the shares make a pie; “{data['top_word']}” has the largest slice.")
            pie = self.pie()
            self.play(mn.FadeOut(bars), mn.FadeOut(score_labels), mn.FadeOut(words), mn.FadeIn(pie), run_time=1.2)
            self.wait(1.5)

        def bars(self, values, fmt_style, scale=1.0):
            n = len(values)
            width = 12.0 / n
            group, labels_, words_ = mn.VGroup(), mn.VGroup(), mn.VGroup()
            base_y = -2.3
            for j, (v, c) in enumerate(zip(values, colors)):
                x = -6.0 + width * (j + 0.5)
                h = max(0.02, v * scale)
                bar = mn.Rectangle(width=width * 0.7, height=h, fill_color=c, fill_opacity=0.9, stroke_width=0)
                bar.move_to([x, base_y + h / 2, 0])
                group.add(bar)
                labels_.add(text(fmt(v, fmt_style), size=16).next_to(bar, mn.UP, buff=0.08))
                words_.add(text(tokens[j], size=16, color=muted).move_to([x, base_y - 0.3, 0]))
            return group, labels_, words_

        def pie(self):
            group = mn.VGroup()
            angle = mn.PI / 2
            for j, (w, c) in enumerate(zip(weights, colors)):
                sweep = -w * mn.TAU
                group.add(mn.AnnularSector(inner_radius=1.0, outer_radius=2.2, angle=sweep, start_angle=angle,
                                           fill_color=c, fill_opacity=1.0, stroke_width=1,
                                           stroke_color=style.theme(style.VIDEO_THEME)["background"]))
                mid = angle + sweep / 2
                if w >= 0.06:
                    group.add(text(f"{tokens[j]} {fmt(w, 'pct')}", size=18)
                              .move_to([2.9 * mn.np.cos(mid), 2.7 * mn.np.sin(mid) - 0.3, 0]))
                angle += sweep
            return group.shift(mn.DOWN * 0.3)

    return SoftmaxScene


def render(data, out_dir, theme, quality) -> None:
    from figures_src.manim_kit import render_scene

    render_scene(scene(data), out_dir, ID, quality)
