"""Several heads at once: the same sentence through eight attention heads, joined side by side and mixed by W_O.

Multi-head attention runs several small attention heads on the same words,
each with its own W_Q, W_K and W_V. The eight heads of the examples file are
built by hand, each to catch one relation (the previous word, the next word,
a pronoun's noun, ...), so each gives "it" in "The animal didn't cross the
street because it was too tired" a different pattern of weights. Each head
hands back a short vector per word (d_head numbers); the heads' vectors are
joined end to end into one vector of d_model numbers and multiplied by one
more matrix, W_O, which mixes what the heads found. All the numbers come from
attention_ref.multi_head_attention on attention_ref.examples.multihead_example.
"""

from __future__ import annotations

import numpy as np

from attention_ref import multi_head_attention
from attention_ref.examples import multihead_example
from figures_src.kit.claims import claim
from figures_src.kit.formats import fmt

ID = "multi-head-scene"
KIND = "manim"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Play it to introduce multi-head attention; pause after the heads and ask why several small heads might "
    "be better than one big one. It shows the concatenation and W_O, the two steps students most often leave "
    "out when they implement it."
)


def data(examples) -> dict:
    ex = multihead_example(examples)
    mh = multi_head_attention(ex.x, ex.w_q, ex.w_k, ex.w_v, ex.w_o, n_heads=ex.n_heads)
    s, i = ex.sentence, ex.sentence.focus_index
    t, d_model = mh.concat.shape
    picks, pick_weights = [], []
    for h in mh.heads:
        row = h.weights[i]  # (T,)
        # the word the head sends the focus word to, or None where no weight reaches twice the even share
        picks.append(int(np.argmax(row)) if row.max() >= 2 / len(row) else None)
        pick_weights.append(float(row.max()))
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "focus_index": i,
        "n_heads": mh.n_heads,
        "d_model": d_model,
        "d_head": d_model // mh.n_heads,
        "n_tokens": t,
        "names": list(ex.head_names),
        "titles": list(ex.head_titles),
        "weights": [h.weights.tolist() for h in mh.heads],  # (n_heads, T, T)
        "picks": picks,
        "pick_weights": pick_weights,
        "head_outputs": [h.output[i].tolist() for h in mh.heads],  # (n_heads, d_head): the focus word's row
        "concat": mh.concat[i].tolist(),  # (d_model,)
        "output": mh.output[i].tolist(),  # (d_model,) concat W_O
        "w_o_is_identity": bool(np.array_equal(ex.w_o, np.eye(d_model))),
    }


# What the captions say about the numbers, checked on every build (captions cannot cite, so the claims
# are stated here, one per caption that says what the numbers show).


def _head(data, name):
    return data["names"].index(name)


def _focus_row(data, k):
    return data["weights"][k][data["focus_index"]]


@claim("the heads that pick a word for “it” each pick a different one")
def heads_pick_different_words(data):
    picks = [p for p in data["picks"] if p is not None]
    return data["focus"] == "it" and len(picks) > 1 and len(set(picks)) == len(picks)


@claim("the pronoun head sends “it” to “animal”, the noun it stands for")
def pronoun_head_finds_animal(data):
    p = data["picks"][_head(data, "coreference")]
    return p is not None and data["tokens"][p] == "animal"


@claim("the previous-word and next-word heads send “it” to the words just before and just after it")
def neighbour_heads_find_neighbours(data):
    i = data["focus_index"]
    return data["picks"][_head(data, "previous")] == i - 1 and data["picks"][_head(data, "next")] == i + 1


@claim("the heads that pick no word for “it” (the verb, noun and broad heads) give every word the same weight")
def other_heads_spread_evenly(data):
    spread = [k for k, p in enumerate(data["picks"]) if p is None]
    names = {data["names"][k] for k in spread}
    rows = [_focus_row(data, k) for k in spread]
    return names == {"verb_nouns", "noun_verb", "broad"} and all(max(r) - min(r) < 1e-9 for r in rows)


def shape(a, b) -> str:
    return f"{fmt(a, 'int')} × {fmt(b, 'int')}"


def pick_label(data, k) -> str:
    """What head k does with the focus word, as drawn under its heat map."""
    if data["picks"][k] is None:
        return f"“{data['focus']}”: spread evenly"
    return f"“{data['focus']}” → {data['tokens'][data['picks'][k]]} {fmt(data['pick_weights'][k], 'pct0')}"


def joined_label(data) -> str:
    return f"the row of “{data['focus']}” in the joined {shape(data['n_tokens'], data['d_model'])}"


def head_label(data) -> str:
    return f"the row of “{data['focus']}” in each head's {shape(data['n_tokens'], data['d_head'])} output"


def labels(data) -> list[str]:
    out = [pick_label(data, k) for k in range(data["n_heads"]) if data["picks"][k] is not None]
    out += [fmt(v, "f2") for row in data["head_outputs"] for v in row]
    out += [fmt(v, "f2") for v in data["concat"] + data["output"]]
    out += [head_label(data), joined_label(data)]
    return list(dict.fromkeys(out))


def alt(data) -> str:
    heads = "; ".join(f"{title}: {pick_label(data, k)}" for k, title in enumerate(data["titles"]))
    return (
        f"Animation: \"{data['sentence']}\" through {data['n_heads']} attention heads, each drawn as a small heat map "
        f"of its weights ({heads}). The heads' outputs for \"{data['focus']}\" ({data['d_head']} numbers each) are "
        f"joined into one vector of {data['d_model']} and multiplied by W_O: "
        f"({', '.join(fmt(v, 'f2') for v in data['output'])})."
    )


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn

    from figures_src.kit import pieces, style
    from figures_src.kit.pieces import MUTED, heat_color, readable, sub, text, vector
    from figures_src.kit.scene import CaptionedScene, Fade

    _tokens, focus, i = data["tokens"], data["focus"], data["focus_index"]
    n_heads, t = data["n_heads"], data["n_tokens"]
    highlight = pieces.palette()["highlight"]
    head_colors = [readable(style.TOKEN_PALETTE[k % len(style.TOKEN_PALETTE)]) for k in range(n_heads)]
    per_row = (n_heads + 1) // 2
    spacing = min(3.3, 13.4 / per_row)
    hx = [spacing * (c - (per_row - 1) / 2) for c in range(per_row)]
    CELL = min(0.15, (spacing - 1.4) / t)

    def heat_map(w):
        cells = mn.VGroup(*(mn.Square(CELL, stroke_width=0, fill_color=heat_color(w[a][b], 1.0), fill_opacity=1)
                            .move_to([b * CELL, -a * CELL, 0]) for a in range(t) for b in range(t)))
        frame = mn.SurroundingRectangle(cells, color=MUTED, buff=0.0, stroke_width=1)
        return mn.VGroup(cells, frame)

    class MultiHead(CaptionedScene):
        def construct(self):
            self.eight_heads()
            self.what_it_sees()
            self.join_and_mix()

        def eight_heads(self):
            self.chapter("Heads side by side")
            self.say("Multi-head attention runs several small attention heads side by side.")
            self.heading("Several heads")
            self.blocks, self.titles = mn.VGroup(), mn.VGroup()
            for k in range(n_heads):
                r, c = divmod(k, per_row)
                block = heat_map(data["weights"][k]).move_to([hx[c], 1.85 - r * 2.75, 0])
                title = text(data["titles"][k], 18, color=head_colors[k]).next_to(block, mn.UP, buff=0.12)
                self.blocks.add(block)
                self.titles.add(title)
            pairs = zip(self.blocks, self.titles, strict=True)
            self.play(mn.LaggedStart(*(mn.AnimationGroup(Fade(b), Fade(tt)) for b, tt in pairs), lag_ratio=0.15),
                      run_time=2.4)
            self.say("Each has its own W_Q, W_K and W_V; these were built by hand to catch one relation each.")

        def what_it_sees(self):
            self.chapter(f"What “{focus}” sees")
            self.say(f"Follow the row of “{focus}”: the heads that pick a word each pick a different one.")
            marks, picks = mn.VGroup(), mn.VGroup()
            for k, block in enumerate(self.blocks):
                cells = block[0]
                mark = mn.Rectangle(width=CELL * t, height=CELL, stroke_color=highlight, stroke_width=2.5)
                mark.move_to(cells[i * t].get_center() + [CELL * (t - 1) / 2, 0, 0])
                marks.add(mark)
                picks.add(text(pick_label(data, k), 18).next_to(block, mn.DOWN, buff=0.12))
            self.play(mn.Create(marks), run_time=0.8)
            self.play(mn.LaggedStart(*(Fade(p) for p in picks), lag_ratio=0.12), run_time=1.6)
            coref = [k for k in range(n_heads) if data["picks"][k] is not None]
            self.say(f"The pronoun head finds the noun “{focus}” stands for, two heads the words beside it; "
                     f"heads with nothing to pick in “{focus}” spread out evenly.")
            if coref:
                self.play(*(mn.Indicate(picks[k], color=head_colors[k], scale_factor=1.1) for k in coref),
                          run_time=1.2)

        def join_and_mix(self):
            self.chapter("Joined, then mixed by W_O")
            self.say(f"Each head hands back a short vector for “{focus}”: {fmt(data['d_head'], 'int')} numbers.")
            self.clear_stage(run_time=0.7)
            n = len(data["concat"])
            step = min(0.82, 13.4 / n)
            xs = [step * (c - (n - 1) / 2) for c in range(n)]
            d_head = data["d_head"]
            pieces, names = mn.VGroup(), mn.VGroup()
            for k in range(n_heads):
                centre = (xs[k * d_head] + xs[(k + 1) * d_head - 1]) / 2
                piece = vector([fmt(v, "f2") for v in data["head_outputs"][k]], head_colors[k], step=0.34)
                pieces.add(piece.move_to([centre, 1.35, 0]))
                names.add(text(data["names"][k].replace("_", " "), 18, color=head_colors[k])
                          .next_to(piece, mn.UP, buff=0.15).shift((0.3 if k % 2 else 0) * mn.UP))
            shapes = text(head_label(data), 20, color=MUTED).move_to([0, 0.45, 0])
            self.play(Fade(names), Fade(pieces), Fade(shapes), run_time=1.0)
            self.say(f"Joined end to end, they make one vector of {fmt(data['d_model'], 'int')} numbers.")
            joined = vector([fmt(v, "f2") for v in data["concat"]], MUTED, vertical=False, step=step, size=18)
            joined.move_to([0, -0.35, 0])
            for k in range(n_heads):
                for c in range(d_head):
                    joined.nums[k * d_head + c].set_color(head_colors[k])
            joined_name = text(joined_label(data), 20, color=MUTED).next_to(joined, mn.DOWN, buff=0.15)
            targets = [mn.VGroup(*joined.nums[k * d_head:(k + 1) * d_head]) for k in range(n_heads)]
            self.play(*(mn.TransformFromCopy(p.nums, target) for p, target in zip(pieces, targets, strict=True)),
                      Fade(joined.box), run_time=1.4)
            self.remove(*targets, joined.box)
            self.add(joined)
            self.play(Fade(joined_name), run_time=0.5)
            w_o = mn.VGroup(text("×", 24), sub("W", "O", 26), text("→  output", 22)).arrange(mn.RIGHT, buff=0.15)
            w_o.move_to([0, -1.55, 0])
            mixed = vector([fmt(v, "f2") for v in data["output"]], style.ROLE_COLORS["output"], vertical=False,
                           step=step, size=18).move_to([0, -2.4, 0])
            if data["w_o_is_identity"]:
                self.say("Then W_O mixes them. Here W_O is the identity, so the vector passes unchanged.")
            else:
                self.say("One more matrix, W_O, mixes what the heads found into the output.")
            self.play(Fade(w_o), run_time=0.5)
            self.play(mn.TransformFromCopy(joined, mixed), run_time=1.2)
            self.say("A trained W_O blends the heads, so every output number can draw on every head.")

    return MultiHead


def render(data, out_dir, theme, quality) -> None:
    from figures_src.kit.scene import render_themed

    render_themed(scene, data, out_dir, ID, quality, theme)
