"""Cross-attention: the French words being written ask, the English words being read answer, one row per French word.

A translation model writes "le chat noir s'est assis" while it reads "the
black cat sat". The French words stand down the left: they give the queries.
The English words stand across the top: they give the keys and the values.
First one French word, "chat", compares its query with every English key and
gets a row of weights; then every other row appears at once. The grid has
one row per French word and one column per English word, so it is not
square; its largest weights do not run down the diagonal, because French puts
the colour after the noun. The formula is the one of self-attention, with the
queries from one sentence and the keys and values from the other.
"""

from __future__ import annotations

from attention_ref import ExampleError, cross_attention
from figures_src.kit.claims import claim
from figures_src.kit.common import word_keys
from figures_src.kit.formats import fmt

ID = "cross-attention-scene"
KIND = "manim"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Play it after the attention matrix of one sentence; pause when the first row is filled and ask how many "
    "rows and columns the grid will have. It shows that cross-attention is the same computation with the "
    "queries from one sentence and the keys and values from another."
)


def data(examples) -> dict:
    pair = examples.cross
    if pair is None:
        raise ExampleError(f"{examples.path}: figure {ID} needs a [cross] table (source, target, w_q, w_k, w_v)")
    att = cross_attention(pair.x_q, pair.x_kv, pair.w_q, pair.w_k, pair.w_v)
    w = att.weights  # (T_q, T_k)
    src, tgt = pair.source.tokens, pair.target.tokens
    focus = pair.target.focus_index if pair.target.focus else 0
    top = [int(j) for j in w.argmax(axis=1)]
    return {
        "source": pair.source.text,
        "target": pair.target.text,
        "source_tokens": list(src),
        "target_tokens": list(tgt),
        "weights": w.tolist(),
        "row_sums": w.sum(axis=1).tolist(),
        "shape": f"({w.shape[0]}, {w.shape[1]})",
        "top": top,  # per French word, the English word it reads most
        "top_word": dict(zip(word_keys(tgt), (src[j] for j in top), strict=True)),
        "focus_index": focus,
    }


# What the captions say about the numbers, checked on every build (captions cannot cite, so the claims
# are stated here, one per caption that says what the numbers show).


@claim("the focus word “chat” gives its largest weight to “cat”")
def chat_reads_cat(data):
    return data["target_tokens"][data["focus_index"]] == "chat" and data["top_word"]["chat"] == "cat"


@claim("the grid is not square: it has one row per French word and one column per English word")
def grid_is_rectangular(data):
    return len(data["weights"]) == len(data["target_tokens"]) != len(data["weights"][0]) == len(data["source_tokens"])


@claim("“s'est” and “assis” both give their largest weight to “sat”")
def two_words_read_sat(data):
    return data["top_word"]["sest"] == data["top_word"]["assis"] == "sat"


@claim("“chat” and “noir” read “cat” and “black” in the opposite order: the largest weights leave the diagonal")
def alignment_leaves_the_diagonal(data):
    return data["top_word"]["chat"] == "cat" and data["top_word"]["noir"] == "black" and (
        data["source_tokens"].index("cat") > data["source_tokens"].index("black"))


@claim("every row adds up to 100%")
def rows_add_up_to_one(data):
    return all(abs(s - 1.0) < 1e-9 for s in data["row_sums"])


def row_note(data) -> str:
    return f"each row adds up to {fmt(data['row_sums'][data['focus_index']], 'pct0')}"


def labels(data) -> list[str]:
    out = [fmt(v, "pct") for row in data["weights"] for v in row]
    out += [f"weights {data['shape']}", row_note(data)]
    return list(dict.fromkeys(out))


def alt(data) -> str:
    i = data["focus_index"]
    focus, row = data["target_tokens"][i], data["weights"][i]
    top = data["top"][i]
    return (
        f"Animation: the French words of \"{data['target']}\" stand down the left, the English words of "
        f"\"{data['source']}\" across the top. \"{focus}\" fills its row of weights first and gives "
        f"{fmt(row[top], 'pct')} to \"{data['source_tokens'][top]}\"; then every other row appears at once, a "
        f"grid of {len(data['weights'])} rows and {len(row)} columns, each row adding up to 100%. Last, the formula "
        f"softmax(Q Kᵀ / √d_k) V, with Q from the French and K and V from the English."
    )


def scene(data):
    """The Scene class for `data` (Manim is imported here, not at module import)."""
    import manim as mn

    from figures_src.kit import style
    from figures_src.kit.pieces import MUTED, chip, grid, math, text
    from figures_src.kit.scene import CaptionedScene, Fade

    src, tgt, w = data["source_tokens"], data["target_tokens"], data["weights"]
    t_q, t_k = len(tgt), len(src)
    i, top = data["focus_index"], data["top"]
    theme = style.theme(style.VIDEO_THEME)
    highlight, fg = theme["highlight"], theme["foreground"]
    q_color, k_color = style.ROLE_COLORS["q"], style.ROLE_COLORS["k"]
    CELL_W, CELL_H = 1.45, 0.62
    vmax = max(max(r) for r in w)

    class CrossAttention(CaptionedScene):
        def construct(self):
            self.two_sentences()
            self.one_row()
            self.every_row()
            self.same_formula()

        def two_sentences(self):
            self.chapter("Two sentences")
            self.heading("Cross-attention")
            self.say("A translator reads English and writes French: two sentences, not one.")
            self.table = grid([[fmt(v, "pct") for v in r] for r in w], w, cell_w=CELL_W, cell_h=CELL_H, vmax=vmax,
                              size=20)
            self.table.shift([0.5, 1.0, 0] - self.table.cells[0][0].get_center()
                             + [-(t_k - 1) * CELL_W / 2, 0, 0])
            cells = self.table.cells
            self.empty = mn.VGroup(*(mn.Rectangle(width=CELL_W, height=CELL_H, stroke_color=theme["grid"],
                                                  stroke_width=1).move_to(c) for r in cells for c in r))
            self.cols = mn.VGroup(*(chip(t, 24).next_to(cells[0][j], mn.UP, buff=0.18) for j, t in enumerate(src)))
            self.rows = mn.VGroup(*(chip(t, 24).next_to(cells[r][0], mn.LEFT, buff=0.2) for r, t in enumerate(tgt)))
            read = text("keys and values: the English being read", 20, color=k_color)
            read.next_to(self.cols, mn.UP, buff=0.2)
            written = text("queries:\nthe French\nbeing written", 20, color=q_color, line_spacing=0.8)
            written.next_to(self.rows, mn.LEFT, buff=0.35)
            self.play(Fade(self.cols), Fade(read), run_time=0.8)
            self.play(Fade(self.rows), Fade(written), Fade(self.empty), run_time=0.8)
            self.say("The French words ask, with their queries; the English words answer, with keys and values.")

        def one_row(self):
            self.chapter(f"The row of “{tgt[i]}”")
            self.say(f"“{tgt[i]}” compares its query with every English key, and softmax makes the row.")
            cells, nums = self.table.cells, self.table.nums
            pointer = mn.SurroundingRectangle(self.rows[i], color=highlight, buff=0.05)
            self.play(Fade(pointer), run_time=0.3)
            self.play(mn.LaggedStart(*(mn.AnimationGroup(Fade(c), Fade(n)) for c, n in zip(cells[i], nums[i],
                                                                                          strict=True)),
                                     lag_ratio=0.3), run_time=1.4)
            best = mn.SurroundingRectangle(cells[i][top[i]], color=fg, buff=0.0, stroke_width=4)
            self.play(mn.Create(best), Fade(pointer, out=True), run_time=0.5)
            self.say(f"It reads “{src[top[i]]}” most: {fmt(w[i][top[i]], 'pct')}.")

        def every_row(self):
            self.chapter("Every row at once")
            self.say("Every other French word gets its row at the same moment.")
            cells, nums = self.table.cells, self.table.nums
            others = [r for r in range(t_q) if r != i]
            self.play(*(Fade(cells[r]) for r in others), *(Fade(nums[r]) for r in others), run_time=1.0)
            self.remove(self.empty)
            shape = text(f"weights {data['shape']}", 22).next_to(cells[t_q // 2][-1], mn.RIGHT, buff=0.3)
            self.play(Fade(shape), run_time=0.5)
            self.say(f"One row per French word, one column per English word: {data['shape']}, not a square.")
            outlines = mn.VGroup(*(mn.SurroundingRectangle(cells[r][top[r]], color=highlight, buff=0.0,
                                                           stroke_width=3) for r in others))
            self.play(mn.Create(outlines), run_time=0.8)
            self.say("“chat” and “noir” read across each other, and “s'est” and “assis” both read “sat”.")

        def same_formula(self):
            self.chapter("The same formula")
            self.say("It is the formula of self-attention: only the queries come from the other sentence.")
            formula = math(r"\mathrm{softmax}\!\left(\frac{Q_{\mathrm{fr}}\,K_{\mathrm{en}}^\top}{\sqrt{d_k}}"
                           r"\right) V_{\mathrm{en}}", 32)
            formula.to_corner(mn.UR, buff=0.25)
            note = text(row_note(data), 20, color=MUTED).next_to(formula, mn.DOWN, buff=0.12)
            note.align_to(formula, mn.RIGHT)
            self.wait(0.4)  # the previous step's still stays clear of the formula's first frames
            self.play(Fade(formula), run_time=0.8)
            self.play(Fade(note), run_time=0.4)
            self.say("Each French word leaves with a blend of English values: what it needs to be written.")

    return CrossAttention


def render(data, out_dir, theme, quality) -> None:
    from figures_src.kit.scene import render_themed

    render_themed(scene, data, out_dir, ID, quality, theme)
