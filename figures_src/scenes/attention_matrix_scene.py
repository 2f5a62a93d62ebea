"""Every word at once: the attention matrix fills a few rows one by one, then all the others in one step.

The attention matrix of "The animal didn't cross the street because it was
too tired" has one row per word that looks (its query) and one column per word
looked at (its key); each row holds that word's attention weights and adds up
to 100%. Filling it row by row would take one step per word, and the first
rows are shown that way; but no row needs another, so all the remaining rows
appear at the same moment: the whole matrix is one product, softmax(QKᵀ/√d_k),
which is why attention runs in parallel on a GPU.
"""

from __future__ import annotations

import numpy as np

from figures_src.kit.claims import claim
from figures_src.kit.common import attend
from figures_src.kit.formats import fmt

ID = "attention-matrix-scene"
KIND = "manim"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Play it when moving from one word to the whole sentence; pause after the first rows and ask whether the "
    "next row has to wait for the previous one. It dispels the picture of attention working word by word like "
    "an RNN: all the other rows appear at once because the matrix is one product."
)
SENTENCE = "animal"
SLOW_ROWS = 3  # rows filled one at a time before the rest arrive together


def data(examples) -> dict:
    s, att = attend(examples, SENTENCE)
    w = att.weights  # (T, T)
    i = s.focus_index
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "focus": s.tokens[i],
        "focus_index": i,
        "weights": w.tolist(),
        "row_sums": w.sum(axis=-1).tolist(),  # each 1: softmax normalises every row
        "focus_top": int(np.argmax(w[i])),
        "slow_rows": min(SLOW_ROWS, len(s.tokens)),
    }


# What the captions say about the numbers, checked on every build (captions cannot cite, so the claims
# are stated here, one per caption that says what the numbers show).


@claim("the row of “it” puts more on “animal” than on any other word")
def it_row_puts_most_on_animal(data):
    row, top = data["weights"][data["focus_index"]], data["focus_top"]
    return data["tokens"][top] == "animal" and all(v < row[top] for j, v in enumerate(row) if j != top)


@claim("every row of the attention matrix adds up to 100%")
def every_row_adds_up_to_one(data):
    return all(abs(s - 1.0) < 1e-9 for s in data["row_sums"])


def labels(data) -> list[str]:
    out = [fmt(v, "pct") for row in data["weights"] for v in row]
    out += [fmt(data["row_sums"][data["focus_index"]], "pct0")]
    return list(dict.fromkeys(out))


def alt(data) -> str:
    i, top = data["focus_index"], data["focus_top"]
    n = len(data["tokens"])
    return (
        f"Animation: a {n} by {n} grid for \"{data['sentence']}\" fills with attention weights, the first "
        f"{data['slow_rows']} rows one at a time, then all the other rows at once. The row of \"{data['focus']}\" "
        f"puts its largest weight, {fmt(data['weights'][i][top], 'pct')}, on \"{data['tokens'][top]}\", and adds up "
        f"to {fmt(data['row_sums'][i], 'pct0')} like every row."
    )


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn

    from figures_src.kit import pieces
    from figures_src.kit.pieces import GRID, attention_table, math, text
    from figures_src.kit.scene import CaptionedScene, Fade

    tokens, w = data["tokens"], data["weights"]
    n, i, top, slow = len(tokens), data["focus_index"], data["focus_top"], data["slow_rows"]
    highlight = pieces.palette()["highlight"]

    class AttentionMatrix(CaptionedScene):
        def construct(self):
            self.row_by_row()
            self.all_at_once()
            self.read_one_row()

        def row_by_row(self):
            self.chapter("Row by row")
            self.say("Each word that looks has a row: its weights over every word of the sentence.")
            self.m = attention_table(tokens, [[fmt(v, "pct") for v in r] for r in w], w)
            self.m.shift([0.45, -0.45, 0] - self.m.table.get_center())
            cells, nums = self.m.table.cells, self.m.table.nums
            empty = mn.VGroup(*(mn.Rectangle(width=c.width, height=c.height, stroke_color=GRID, stroke_width=1)
                                .move_to(c) for r in cells for c in r))
            self.heading("The attention matrix")
            self.play(Fade(empty), Fade(self.m.row_names), Fade(self.m.col_names), run_time=0.8)
            for r in range(slow):
                if r == 1:
                    self.say("Filled one row after another, it would take one step per word.")
                pointer = mn.SurroundingRectangle(self.m.row_names[r], color=highlight, buff=0.05)
                self.play(Fade(pointer), run_time=0.25)
                pairs = zip(cells[r], nums[r], strict=True)
                self.play(mn.LaggedStart(*(mn.AnimationGroup(Fade(c), Fade(t)) for c, t in pairs), lag_ratio=0.25),
                          run_time=1.6 if r == 0 else 1.1)
                self.play(Fade(pointer, out=True), run_time=0.2)
            self.empty = empty

        def all_at_once(self):
            self.chapter("All at once")
            self.say("But no row needs another row: all the rest are computed at the same moment.")
            formula = math(r"\mathrm{softmax}\!\left(\frac{QK^\top}{\sqrt{d_k}}\right)", 34).to_corner(mn.UR,
                                                                                                   buff=0.22)
            cells, nums = self.m.table.cells, self.m.table.nums
            self.play(*(Fade(cells[r]) for r in range(slow, n)), *(Fade(nums[r]) for r in range(slow, n)),
                      Fade(formula), run_time=1.0)
            self.remove(self.empty)
            self.say("The whole grid is one matrix product, which is why attention runs in parallel.")

        def read_one_row(self):
            self.chapter(f"The row of “{data['focus']}”")
            self.say(f"Read across, the row of “{data['focus']}” puts {fmt(w[i][top], 'pct')} on “{tokens[top]}”, "
                     f"more than on any other word.")
            cells = self.m.table.cells
            row_box = mn.SurroundingRectangle(cells[i], color=highlight, buff=0.03, stroke_width=3)
            best = mn.SurroundingRectangle(cells[i][top], color=pieces.palette()["foreground"],
                                           buff=0.0, stroke_width=4)
            total = text(fmt(data["row_sums"][i], "pct0"), 20).next_to(cells[i][-1], mn.RIGHT, buff=0.15)
            self.play(mn.Create(row_box), run_time=0.6)
            self.play(mn.Create(best), Fade(total), run_time=0.6)
            self.say(f"And like every row, it adds up to {fmt(data['row_sums'][i], 'pct0')}.")

    return AttentionMatrix


def render(data, out_dir, theme, quality) -> None:
    from figures_src.kit.scene import render_themed

    render_themed(scene, data, out_dir, ID, quality, theme)
