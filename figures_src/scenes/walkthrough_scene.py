"""Self-attention in two minutes: one word, "it", through every step, then every word and several heads at once.

The walk-through of the site as one animation, a chapter per step. The
sentence "The animal didn't cross the street because it was too tired" is cut
into tokens, and each token becomes a vector (its embedding). Three learned
matrices shine on the vector of "it" like three spotlights and cast three
shadows: its query, key and value. The query passes over the key of every word
like a probe, and each pass leaves a score (their dot product); the scores are
divided by the square root of d_k, and softmax turns them into the slices of a
pie. A flashlight then shines over the values of all the words, each as
brightly as its weight, and the weighted values add up to the new vector of
"it", which now carries part of "animal". Every word does the same at the same
time (the attention matrix), and a transformer runs several such heads side by
side, joined and mixed by W_O. Every number is computed by attention_ref from
the examples file.
"""

from __future__ import annotations

import numpy as np

from attention_ref import multi_head_attention
from attention_ref.examples import multihead_example
from figures_src.kit.claims import claim
from figures_src.kit.common import attend
from figures_src.kit.formats import fmt

ID = "walkthrough-scene"
KIND = "manim"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Play it at the start as a trailer of the lecture and again at the end as a recap, asking students to "
    "name each chapter's step. Its chapters (and the still of each step in the teacher pack) let you jump to "
    "one step."
)
SENTENCE = "animal"


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    i = s.focus_index
    w = att.weights[i]  # (T,)
    order = [int(j) for j in np.argsort(-w, kind="stable")]
    t, d_model = s.x.shape
    x_i, out_i = s.x[i], att.output[i]
    # Output and embedding share axes only when W_V is the identity (the default examples): then the
    # captions name the axis the top word adds most to, if the entry of the focus word grew there.
    same_axes = s.language.w_v.shape[0] == s.language.w_v.shape[1] and np.array_equal(s.language.w_v,
                                                                                        np.eye(d_model))
    from_top = w[order[0]] * att.v[order[0]]  # (d_v,) what the top word's value adds to the output
    grew = int(np.argmax(from_top)) if same_axes else None
    if grew is not None and not out_i[grew] > x_i[grew]:
        grew = None

    mh_ex = multihead_example(examples)
    mh = multi_head_attention(mh_ex.x, mh_ex.w_q, mh_ex.w_k, mh_ex.w_v, mh_ex.w_o, n_heads=mh_ex.n_heads)
    mi = mh_ex.sentence.focus_index
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "focus_index": i,
        "axes": list(s.language.axes),
        "n_tokens": t,
        "d_model": d_model,
        "d_k": int(att.q.shape[-1]),
        "sqrt_d_k": float(1.0 / att.scale),
        "x": s.x.tolist(),
        "q": att.q[i].tolist(),
        "k_focus": att.k[i].tolist(),
        "v_focus": att.v[i].tolist(),
        "keys": att.k.tolist(),
        "values": att.v.tolist(),
        "scores": att.scores[i].tolist(),
        "scaled": att.scaled[i].tolist(),
        "weights": w.tolist(),
        "weights_total": float(w.sum()),
        "brightness": (w / w.max()).tolist(),  # the flashlight: opacity = weight / largest weight
        "output": out_i.tolist(),
        "grew_axis": grew,
        "from_top": from_top.tolist(),
        "top": order[0],
        "second": order[1],
        "lowest": int(np.argmin(att.scaled[i])),
        "matrix": att.weights.tolist(),
        "heads": {
            "sentence": mh_ex.sentence.text,
            "tokens": list(mh_ex.sentence.tokens),
            "focus_index": mi,
            "n_heads": mh.n_heads,
            "d_model": int(mh.concat.shape[-1]),
            "titles": list(mh_ex.head_titles),
            "weights": [h.weights.tolist() for h in mh.heads],
            # the word each head sends the focus word to, or None where its weights are spread out
            # (no weight reaches twice the even share 1/T)
            "focus_top": [int(np.argmax(h.weights[mi])) if h.weights[mi].max() >= 2 / len(h.weights[mi]) else None
                          for h in mh.heads],
            "focus_top_weight": [float(h.weights[mi].max()) for h in mh.heads],
        },
    }


# What the captions say about the numbers, checked on every build (captions cannot cite, so the claims
# are stated here, one per caption that says what the numbers show).


@claim("“animal” scores highest against the query of “it”, then “tired”")
def animal_scores_highest_then_tired(data):
    by_score = sorted(range(len(data["scores"])), key=lambda j: -data["scores"][j])
    return [data["tokens"][j] for j in by_score[:2]] == ["animal", "tired"] == [
        data["tokens"][data["top"]], data["tokens"][data["second"]]]


@claim("every weight of “it” is positive, even that of its lowest score")
def every_weight_positive(data):
    return min(data["weights"]) > 0 and data["weights"][data["lowest"]] > 0


@claim("“animal” takes the largest slice of the pie of “it”")
def animal_largest_slice(data):
    w = data["weights"]
    return data["tokens"][data["top"]] == "animal" and all(v < w[data["top"]] for j, v in enumerate(w)
                                                          if j != data["top"])


@claim("in the new vector of “it”, the value of “animal” counts most")
def animal_value_counts_most(data):
    return animal_largest_slice(data)


@claim("“it” now carries part of “animal”: on the axis where the value of “animal” adds most, the entry of “it” "
       "grows, and more than half of its new value comes from “animal”")
def it_carries_part_of_animal(data):
    g, i = data["grew_axis"], data["focus_index"]
    if data["tokens"][data["top"]] != "animal" or g is None:
        return False
    return data["output"][g] > data["x"][i][g] and data["from_top"][g] > data["output"][g] / 2


@claim("the hand-built heads send “it” to different words, or spread it evenly")
def heads_send_it_to_different_words_or_spread(data):
    h = data["heads"]
    picks = [p for p in h["focus_top"] if p is not None]
    spread = [h["weights"][k][h["focus_index"]] for k, p in enumerate(h["focus_top"]) if p is None]
    return len(set(picks)) == len(picks) > 1 and all(max(r) - min(r) < 1e-9 for r in spread)


def shape(a: int, b: int) -> str:
    return f"{fmt(a, 'int')} × {fmt(b, 'int')}"


def labels(data) -> list[str]:
    i = data["focus_index"]
    out = [fmt(v, "f2") for row in data["x"] for v in row]
    out += [f"{fmt(data['n_tokens'], 'int')} tokens × {fmt(data['d_model'], 'int')} numbers"]
    out += [fmt(v, "f2") for v in data["q"] + data["k_focus"] + data["v_focus"]]
    out += [fmt(v, "f2") for row in data["keys"] for v in row]
    out += [fmt(v, "f2") for v in data["scores"] + data["scaled"]]
    out += [scaling_label(data)]
    out += [fmt(w, "pct") for w in data["weights"]] + [fmt(data["weights_total"], "pct0")]
    out += [f"{t} {fmt(w, 'pct')}" for t, w in zip(data["tokens"], data["weights"], strict=True)]
    out += [fmt(v, "f2") for row in data["values"] for v in row]
    out += [fmt(v, "f2") for v in data["output"]]
    if data["grew_axis"] is not None:
        out += [fmt(v, "f2") for v in data["x"][i]]
    out += [fmt(v, "pct") for row in data["matrix"] for v in row]
    out += [head_pick(data, k) for k in range(data["heads"]["n_heads"]) if data["heads"]["focus_top"][k] is not None]
    out += [heads_label(data)]
    return list(dict.fromkeys(out))


def scaling_label(data) -> str:
    return f"÷ √d_k = √{fmt(data['d_k'], 'int')} = {fmt(data['sqrt_d_k'], 'f2')}"


def head_pick(data, k: int) -> str:
    h = data["heads"]
    word = h["tokens"][h["focus_index"]]
    if h["focus_top"][k] is None:
        return f"“{word}”: spread evenly"
    return f"“{word}” → {h['tokens'][h['focus_top'][k]]} {fmt(h['focus_top_weight'][k], 'pct0')}"


def heads_label(data) -> str:
    h = data["heads"]
    return f"{fmt(h['n_heads'], 'int')} heads, joined: {shape(len(h['tokens']), h['d_model'])}"


def alt(data) -> str:
    i, top = data["focus_index"], data["top"]
    return (
        f"Animation, about two minutes, in nine chapters: \"{data['sentence']}\" is cut into tokens and embedded; "
        f"the vector of \"{data['focus']}\" is projected into a query, a key and a value; its query is compared "
        f"with every key (the highest score, {fmt(data['scores'][top], 'f2')}, is \"{data['tokens'][top]}\"); the "
        f"scores are divided by {fmt(data['sqrt_d_k'], 'f2')} and softmax makes them weights, "
        f"\"{data['tokens'][top]}\" taking {fmt(data['weights'][top], 'pct')}; the weighted sum of the values "
        f"gives \"{data['focus']}\" the new vector ({', '.join(fmt(v, 'f2') for v in data['output'])}) instead of "
        f"({', '.join(fmt(v, 'f2') for v in data['x'][i])}); every word does the same at once (the attention "
        f"matrix); and {data['heads']['n_heads']} heads run side by side before W_O mixes them."
    )


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn

    from figures_src.kit import pieces, style
    from figures_src.kit.pieces import (
        FG,
        MUTED,
        attention_table,
        chip,
        heat_color,
        lit,
        math,
        pie,
        pie_labels,
        spaced,
        sub,
        text,
        vector,
    )
    from figures_src.kit.scene import CaptionedScene, Fade, FadeTo

    role = style.ROLE_COLORS
    highlight = pieces.palette()["highlight"]
    tokens, axes = data["tokens"], data["axes"]
    i, top, second = data["focus_index"], data["top"], data["second"]
    focus, top_word = data["focus"], tokens[data["top"]]
    n = len(tokens)

    # One column per token, under its chip, each at least as wide as a column of numbers;
    # the axis names of the embeddings take the left margin.
    CHIP_Y, COL_TOP, STEP = 2.95, 2.2, 0.38
    SCORE_Y, BASE_Y, BAR_MAX = -1.3, -2.75, 1.0
    widths = [chip(t).width for t in tokens]
    row_width = sum(max(w, 0.92) for w in widths) + 0.07 * (n - 1)
    xs = spaced(widths, min_width=0.92, gap=0.07, center=-5.5 + row_width / 2)

    def col(values, color, j, fill_opacity=0.12):
        v = vector([fmt(x, "f2") for x in values], color, step=STEP, fill_opacity=fill_opacity)
        return v.move_to([xs[j], COL_TOP - STEP * (len(values) - 1) / 2, 0])

    def corner(tex, size=38):
        return math(tex, size=size).to_corner(mn.UR, buff=0.22)

    class Walkthrough(CaptionedScene):
        """The storyboard: one beat (method) per chapter, in the order of the site's pages."""

        def construct(self):
            self.tokens()
            self.embeddings()
            self.queries_keys_values()
            self.scores()
            self.scaling()
            self.softmax()
            self.weighted_sum()
            self.every_word_at_once()
            self.several_heads()

        # ------------------------------------------------------------------ tokens
        def tokens(self):
            self.chapter("Tokens")
            self.say("Self-attention lets each word of a sentence look at every other word.")
            title = text("Self-attention, step by step", 40).move_to([0, 1.0, 0])
            sentence = text(data["sentence"], 28).move_to([0, -0.2, 0])
            self.play(mn.FadeIn(title), mn.FadeIn(sentence, shift=0.2 * mn.UP), run_time=1.0)
            self.say("First the sentence is cut into tokens, here one per word.")
            self.chips = mn.VGroup(*(chip(t).move_to([x, 0, 0]) for t, x in zip(tokens, xs, strict=True)))
            self.play(Fade(title, out=True), mn.FadeTransform(sentence, self.chips), run_time=1.2)
            self.play(self.chips.animate.move_to([self.chips.get_x(), CHIP_Y, 0]), run_time=0.8)
            self.say(f"We follow one word, “{focus}”. Which word does it stand for?")
            self.question = text(f"Which word does “{focus}” refer to?", 28).move_to([0, 0.4, 0])
            self.play(mn.Indicate(self.chips[i], color=highlight, scale_factor=1.3), Fade(self.question),
                      run_time=1.2)

        # ------------------------------------------------------------------ embeddings
        def embeddings(self):
            self.chapter("Embeddings")
            self.say("Each token becomes a vector of numbers, its embedding.")
            self.heading("Embeddings")
            self.play(Fade(self.question, out=True), run_time=0.4)
            self.axis_names = mn.VGroup(*(
                text(a, 20, color=MUTED).move_to([xs[0] - 0.52, COL_TOP - STEP * r, 0], aligned_edge=mn.RIGHT)
                for r, a in enumerate(axes)))
            self.x_cols = mn.VGroup(*(col(data["x"][j], role["x"], j) for j in range(n)))
            self.play(Fade(self.axis_names), mn.LaggedStart(*(Fade(c) for c in self.x_cols), lag_ratio=0.08),
                      run_time=1.8)
            self.say(f"Each number is one axis of this toy language: {', '.join(axes[:-1])} and {axes[-1]}.")
            self.size_note = text(f"{fmt(data['n_tokens'], 'int')} tokens × {fmt(data['d_model'], 'int')} numbers",
                                  22, color=MUTED).move_to([xs[n // 2], 0.25, 0])
            self.play(Fade(self.size_note), run_time=0.6)
            self.say(f"On its own, the vector of “{focus}” knows nothing about its neighbours.")
            self.ring = mn.SurroundingRectangle(self.x_cols[i], color=highlight, buff=0.08)
            self.play(mn.Create(self.ring), run_time=0.6)

        # ------------------------------------------------------------------ step 1: queries, keys, values
        def queries_keys_values(self):
            self.chapter("Queries, keys and values")
            self.say(f"Three learned matrices shine on the vector of “{focus}” like three spotlights.")
            self.heading("Queries, keys and values")
            x_it = self.x_cols[i]
            self.play(*(Fade(c, out=True) for j, c in enumerate(self.x_cols) if j != i),
                      Fade(self.ring, out=True), Fade(self.axis_names, out=True), Fade(self.size_note, out=True),
                      *(FadeTo(self.chips[j], 0.35) for j in range(n) if j != i), run_time=0.7)
            x_at = np.array([-1.7, 0.25, 0])
            self.play(x_it.animate.move_to(x_at), run_time=0.8)
            x_name = text(f"embedding of “{focus}”", 20, color=MUTED).next_to(x_it, mn.DOWN, buff=0.18)

            # The light crosses at the embedding: the top lamp casts the bottom shadow.
            rows_y = {"q": 1.55, "k": 0.25, "v": -1.05}
            lamps_y = {"q": -1.05, "k": 0.25, "v": 1.55}
            lamps, lamp_names, beams, tags = mn.VGroup(), mn.VGroup(), mn.VGroup(), mn.VGroup()
            role_names = {"q": "query", "k": "key", "v": "value"}
            values = {"q": data["q"], "k": data["k_focus"], "v": data["v_focus"]}
            self.shadows = {}
            for r in "qkv":
                apex = np.array([-5.3, lamps_y[r], 0])
                head = mn.Polygon(apex + [-0.45, 0.28, 0], apex + [0.05, 0.14, 0], apex + [0.05, -0.14, 0],
                                  apex + [-0.45, -0.28, 0], fill_color=role[r], fill_opacity=1, stroke_width=0)
                aim = x_at - apex
                head.rotate(np.arctan2(aim[1], aim[0]), about_point=apex)
                lamps.add(head)
                lamp_names.add(sub("W", r.upper(), size=24, color=role[r]).next_to(head, mn.LEFT, buff=0.12))
                row = vector([fmt(v, "f2") for v in values[r]], role[r], vertical=False, step=0.8, size=20)
                self.shadows[r] = row.move_to([3.05, rows_y[r], 0])
                beams.add(mn.Polygon(apex, row.get_corner(mn.UL) + [0, 0.08, 0], row.get_corner(mn.DL) + [0, -0.08, 0],
                                     fill_color=role[r], fill_opacity=0.13, stroke_width=0))
                tags.add(text(role_names[r], 22, color=role[r]).next_to(row, mn.RIGHT, buff=0.2))
            self.play(Fade(lamps), Fade(lamp_names), Fade(x_name), run_time=0.8)
            self.add_foreground_mobjects(x_it)  # the vector stays above the light that crosses it
            self.play(Fade(beams), run_time=1.0)
            self.say("Each casts a different shadow of the same vector: a query, a key and a value.")
            self.play(*(mn.TransformFromCopy(x_it, self.shadows[r]) for r in "qkv"), run_time=1.4)
            self.play(Fade(tags), run_time=0.5)
            self.say(f"The query says what “{focus}” looks for; the key, what it offers to the others;")
            self.say("the value, what it hands over once chosen. Every word gets all three.")
            self.remove_foreground_mobjects(x_it)
            self.qkv_parts = [x_it, x_name, lamps, lamp_names, beams, tags, self.shadows["k"], self.shadows["v"]]

        # ------------------------------------------------------------------ step 2: scores
        def scores(self):
            self.chapter("Scores")
            self.say(f"Step two holds the query of “{focus}” against the key of every word in turn.")
            self.heading("Scores")
            self.play(*(Fade(m, out=True) for m in self.qkv_parts), FadeTo(self.chips, 1.0), run_time=0.7)
            self.formula = corner(r"q \cdot k")
            self.keys = mn.VGroup(*(col(data["keys"][j], role["k"], j, fill_opacity=0.1) for j in range(n)))
            probe = vector([fmt(v, "f2") for v in data["q"]], role["q"], step=STEP, fill_opacity=0.3)
            probe_y = COL_TOP - 3 * STEP - 1.62  # the probe glides just under the keys
            probe.move_to([xs[0] - 1.25, probe_y, 0])
            self.play(Fade(self.formula), mn.LaggedStart(*(Fade(c) for c in self.keys), lag_ratio=0.06),
                      mn.Transform(self.shadows["q"], probe), run_time=1.4)
            self.probe = self.shadows["q"]
            smax = max(data["scores"]) or 1.0
            self.score_nums, self.bars = mn.VGroup(), mn.VGroup()
            for j in range(n):
                if j == 0:
                    self.say("Their score is the dot product: multiply entry by entry, then add up.")
                if j == 4:
                    self.say("The more a key points the way the query points, the higher the score.")
                s = data["scores"][j]
                num = text(fmt(s, "f2"), 20).move_to([xs[j], SCORE_Y, 0])
                h = max(0.03, BAR_MAX * s / smax)
                bar = mn.Rectangle(width=0.55, height=h, fill_color=style.token_color(tokens[j]), fill_opacity=0.9,
                                   stroke_width=0).move_to([xs[j], BASE_Y + h / 2, 0])
                glow = 0.1 + 0.55 * max(s, 0) / smax  # the key lights up as strongly as it attracts the probe
                self.play(self.probe.animate.move_to([xs[j], probe_y, 0]), run_time=0.6 if j == 0 else 0.35)
                self.play(Fade(num), mn.GrowFromEdge(bar, mn.DOWN), self.keys[j].box.animate.set_fill(opacity=glow),
                          run_time=0.8 if j == 0 else 0.3)
                self.score_nums.add(num)
                self.bars.add(bar)
            self.play(Fade(self.probe, out=True), run_time=0.4)
            self.say(f"“{top_word}” scores highest, {fmt(data['scores'][top], 'f2')}, then “{tokens[second]}”, "
                     f"{fmt(data['scores'][second], 'f2')}.")

        # ------------------------------------------------------------------ step 3: scaling
        def scaling(self):
            self.chapter("Scaling")
            self.say("Step three divides every score by the square root of d_k, the length of the keys.")
            self.heading("Scaling")
            new_formula = corner(r"q \cdot k \,/\, \sqrt{d_k}")
            self.scale_note = text(scaling_label(data), 24).move_to([xs[n // 2], -0.2, 0])
            self.play(mn.FadeTransform(self.formula, new_formula), Fade(self.scale_note), run_time=0.8)
            self.formula = new_formula
            smax = max(data["scores"]) or 1.0
            scaled = mn.VGroup(*(text(fmt(s, "f2"), 20).move_to([xs[j], SCORE_Y, 0])
                                 for j, s in enumerate(data["scaled"])))
            self.play(*(mn.FadeTransform(a, b) for a, b in zip(self.score_nums, scaled, strict=True)),
                      *(bar.animate.stretch_to_fit_height(max(0.03, BAR_MAX * s / smax), about_edge=mn.DOWN)
                        for bar, s in zip(self.bars, data["scaled"], strict=True)), run_time=1.2)
            self.score_nums = scaled
            self.say("Long vectors make large dot products, and softmax would hand almost all to one word.")
            self.say("Dividing keeps the scores moderate, however long the vectors are.")

        # ------------------------------------------------------------------ step 4: softmax
        def softmax(self):
            self.chapter("Softmax")
            self.say("Step four, softmax, turns the scaled scores into weights that add up to one whole.")
            self.heading("Softmax")
            self.play(Fade(self.scale_note, out=True), Fade(self.formula, out=True), run_time=0.4)
            wmax = max(data["weights"])
            pcts = mn.VGroup(*(text(fmt(w, "pct"), 20).move_to([xs[j], SCORE_Y, 0])
                               for j, w in enumerate(data["weights"])))
            self.play(*(mn.FadeTransform(a, b) for a, b in zip(self.score_nums, pcts, strict=True)),
                      *(bar.animate.stretch_to_fit_height(BAR_MAX * w / wmax, about_edge=mn.DOWN)
                        for bar, w in zip(self.bars, data["weights"], strict=True)), run_time=1.2)
            low = data["lowest"]
            self.say(f"Every weight is positive: even a score of {fmt(data['scaled'][low], 'f2')} keeps "
                     f"{fmt(data['weights'][low], 'pct')}.")
            self.say(f"As a pie, “{top_word}” takes the largest slice, {fmt(data['weights'][top], 'pct')}.")
            slices = pie(data["weights"], [style.token_color(t) for t in tokens], radius=1.75, inner=0.8)
            slices.move_to([xs[n // 2], -0.35, 0])
            tags = pie_labels(slices, [f"{t} {fmt(w, 'pct')}" for t, w in zip(tokens, data["weights"], strict=True)],
                              size=20, gap=0.4, lo=-2.75, hi=2.25)
            middle = mn.VGroup(text(f"“{focus}”", 22), text(fmt(data["weights_total"], "pct0"), 20, color=MUTED))
            middle.arrange(mn.DOWN, buff=0.08).move_to(slices.get_center())
            self.play(Fade(self.keys, out=True), Fade(pcts, out=True), mn.ReplacementTransform(self.bars, slices),
                      run_time=1.3)
            self.play(Fade(tags), Fade(middle), run_time=0.7)
            self.pie_parts = [slices, tags, middle]

        # ------------------------------------------------------------------ step 5: weighted sum
        def weighted_sum(self):
            self.chapter("The weighted sum")
            self.say(f"Step five: “{focus}” shines a flashlight over the values of all the words.")
            self.heading("The weighted sum")
            self.play(*(Fade(m, out=True) for m in self.pie_parts), run_time=0.6)
            self.formula = corner(r"\textstyle\sum_j w_j\, v_j")
            values = mn.VGroup(*(col(data["values"][j], role["v"], j) for j in range(n)))
            weights = mn.VGroup(*(text(fmt(w, "pct"), 20).move_to([xs[j], 0.45, 0])
                                  for j, w in enumerate(data["weights"])))
            self.play(Fade(self.formula), mn.LaggedStart(*(Fade(v) for v in values), lag_ratio=0.05),
                      Fade(weights), run_time=1.4)
            torch_at = np.array([-4.9, -1.75, 0])
            torch = mn.VGroup(
                mn.RoundedRectangle(corner_radius=0.06, width=0.3, height=0.7, fill_color=MUTED, fill_opacity=1,
                                    stroke_width=0),
                mn.Polygon([-0.24, 0.35, 0], [0.24, 0.35, 0], [0.34, 0.6, 0], [-0.34, 0.6, 0], fill_color=FG,
                           fill_opacity=1, stroke_width=0),
            ).move_to(torch_at)
            tip = torch_at + [0, 0.5, 0]
            beams = mn.VGroup(*(mn.Polygon(tip, [x - 0.35, 0.7, 0], [x + 0.35, 0.7, 0], fill_color="#fff3b0",
                                           fill_opacity=0.3 * b, stroke_width=0)
                                for x, b in zip(xs, data["brightness"], strict=True)))
            self.play(Fade(torch), run_time=0.4)
            self.say("The beam on each value is as bright as that word's weight.")
            self.play(Fade(beams), *(lit(v, b) for v, b in zip(values, data["brightness"], strict=True)), run_time=1.2)
            self.say(f"Added up, the lit values make the new vector of “{focus}”; the value of “{top_word}” "
                     f"counts most.")
            out = vector([fmt(v, "f2") for v in data["output"]], role["output"], vertical=False, step=0.8)
            out.move_to([3.2, -2.45, 0])
            before = vector([fmt(v, "f2") for v in data["x"][i]], role["x"], vertical=False, step=0.8)
            before.move_to([3.2, -1.55, 0])
            out_name = text(f"“{focus}” after", 22, color=role["output"]).next_to(out, mn.LEFT, buff=0.25)
            before_name = text(f"“{focus}” before", 22, color=MUTED).next_to(before, mn.LEFT, buff=0.25)
            pours = [v.copy() for v in values]
            self.play(*(mn.Transform(p, out.copy()) for p in pours), Fade(out_name), run_time=1.6)
            self.remove(*pours)
            self.add(out)
            g = data["grew_axis"]
            if g is None:  # the values are not on the embedding's axes: nothing to compare entry by entry
                self.say(f"“{focus}” now carries part of “{top_word}”.")
                return
            self.say(f"Its {axes[g]} entry grew from {fmt(data['x'][i][g], 'f2')} to {fmt(data['output'][g], 'f2')}: "
                     f"“{focus}” now carries part of “{top_word}”.")
            self.play(Fade(before), Fade(before_name), run_time=0.8)
            self.play(mn.Indicate(before.nums[g], color=highlight), mn.Indicate(out.nums[g], color=highlight),
                      run_time=1.2)

        # ------------------------------------------------------------------ every word at once
        def every_word_at_once(self):
            self.chapter("Every word at once")
            self.say(f"The weights of “{focus}” are one row. Every other word does the same, with its own query.")
            self.heading("Every word at once")
            self.clear_stage(run_time=0.7)
            m = data["matrix"]
            matrix = attention_table(tokens, [[fmt(v, "pct") for v in r] for r in m], m)
            matrix.shift([0.45, -0.25, 0] - matrix.table.get_center())
            table, row_names, col_names = matrix.table, matrix.row_names, matrix.col_names
            outline = mn.SurroundingRectangle(table.cells[i], color=highlight, buff=0.03, stroke_width=3)
            self.play(Fade(corner(r"\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right)V", 32)),
                      Fade(row_names), Fade(col_names), run_time=0.7)
            self.play(Fade(table.cells[i]), Fade(table.nums[i]), mn.Create(outline), run_time=1.0)
            self.say("All the other rows are computed at the same moment: none waits for another.")
            rest = [r for r in range(n) if r != i]
            self.play(*(Fade(table.cells[r]) for r in rest), *(Fade(table.nums[r]) for r in rest), run_time=1.0)
            self.bring_to_front(outline)
            self.say("Together they are the attention matrix, one matrix product: attention runs in parallel.")

        # ------------------------------------------------------------------ several heads
        def several_heads(self):
            self.chapter("Several heads")
            self.say("A transformer runs several heads side by side, each with its own three matrices.")
            self.heading("Several heads")
            self.clear_stage(run_time=0.7)
            h = data["heads"]
            per_row = (h["n_heads"] + 1) // 2
            hx = [3.3 * (c - (per_row - 1) / 2) for c in range(per_row)]
            mi, ht = h["focus_index"], h["tokens"]
            t_h, cell = len(ht), 0.15
            maps = mn.VGroup()
            for k in range(h["n_heads"]):
                r, c = divmod(k, per_row)
                w = h["weights"][k]
                cells = mn.VGroup(*(mn.Square(cell, stroke_width=0, fill_color=heat_color(w[a][b], 1.0),
                                              fill_opacity=1).move_to([b * cell, -a * cell, 0])
                                    for a in range(t_h) for b in range(t_h)))
                frame = mn.SurroundingRectangle(cells, color=MUTED, buff=0.0, stroke_width=1)
                mark = mn.Rectangle(width=cell * t_h, height=cell, stroke_color=highlight, stroke_width=2.5)
                mark.move_to(cells[mi * t_h].get_center() + [cell * (t_h - 1) / 2, 0, 0])
                block = mn.VGroup(cells, frame, mark).move_to([hx[c], 1.95 - r * 2.65, 0])
                name = text(h["titles"][k], 18, color=MUTED).next_to(block, mn.UP, buff=0.1)
                maps.add(mn.VGroup(block, name, text(head_pick(data, k), 18).next_to(block, mn.DOWN, buff=0.1)))
            self.play(mn.LaggedStart(*(Fade(mb) for mb in maps), lag_ratio=0.12), run_time=2.0)
            self.say(f"Built for different relations, they send “{ht[mi]}” to different words, or spread it evenly.")
            joined = mn.VGroup(text(heads_label(data), 22), text("→  ×", 22), sub("W", "O", 24),
                               text("→  output", 22)).arrange(mn.RIGHT, buff=0.18).move_to([0, -2.6, 0])
            self.say("Their outputs are joined side by side and mixed by one more matrix, W_O.")
            self.play(Fade(joined), run_time=0.8)
            self.say("That is self-attention: every word weighs every other word and takes in what it needs.")

    return Walkthrough


def render(data, out_dir, theme, quality) -> None:
    from figures_src.kit.scene import render_themed

    render_themed(scene, data, out_dir, ID, quality, theme)
