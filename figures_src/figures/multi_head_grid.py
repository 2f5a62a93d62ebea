"""Eight heads, eight relations: the attention weights of each head of one multi-head layer, side by side.

The same sentence goes through eight heads at once. Each head has its own
W_Q, W_K and W_V (two columns each, d_head = 2), built by hand in the
examples file to catch one relation: the previous word, the next word, the
word itself, what a pronoun refers to, the nouns of a verb, the verb of a
noun, everything evenly, and the first word. Each panel is that head's
attention matrix: rows are the words that look, columns the words they look
at. Weights of 30% or more are written in their cells, in percent (93 means
93%). The position heads
read a "clock" in X (cos and sin of an angle that grows with the position);
the grammar heads read word-class features. A trained model learns such
heads from data, and they are rarely this clean.
"""

from __future__ import annotations

from attention_ref import multi_head_attention
from attention_ref.examples import multihead_example
from figures_src.kit.claims import claim, top
from figures_src.kit.common import keyed, word_keys
from figures_src.kit.formats import fmt

ID = "multi-head-grid"
KIND = "matplotlib"
# What it is good for in a lecture: the "For teachers" page and the teacher pack show it.
LECTURE = (
    "Use it to show what several heads buy: ask students to name the relation each panel catches before they "
    "read its title. Stress that these heads were built by hand to be readable; heads learned from data are "
    "rarely this clean."
)
SHOW_MIN = 0.3  # weights at least this large are written in their cells


def data(examples) -> dict:
    ex = multihead_example(examples)
    mha = multi_head_attention(ex.x, ex.w_q, ex.w_k, ex.w_v, ex.w_o, n_heads=ex.n_heads)
    s = ex.sentence
    keys = word_keys(s.tokens)
    heads = {}
    for name, title, head in zip(ex.head_names, ex.head_titles, mha.heads, strict=False):
        w = head.weights  # (T, T)
        heads[name] = {
            "title": title,
            "weights": w.tolist(),
            "weight": {q: keyed(s.tokens, row) for q, row in zip(keys, w, strict=False)},
            "argmax": [int(j) for j in w.argmax(axis=1)],
            "top_word": {q: s.tokens[int(row.argmax())] for q, row in zip(keys, w, strict=False)},
            "peak": keyed(s.tokens, w.max(axis=1)),
            "spread": float(w.max() - w.min()),
        }
    return {
        "sentence": s.text,
        "tokens": list(s.tokens),
        "T": len(s.tokens),
        # the row the head picker (widgets/head-picker.js) opens on, as the pages follow "it"
        "focus": s.tokens[s.focus_index],
        "focus_index": s.focus_index,
        "d_model": int(ex.x.shape[1]),
        "n_heads": ex.n_heads,
        "d_head": int(ex.x.shape[1] // ex.n_heads),
        "positions_per_turn": ex.positions_per_turn,
        "head_names": list(ex.head_names),
        "heads": heads,
        # each word's entry on the "action" axis of X: what the noun head's keys read
        "action": {q: float(row[ex.axes.index("action")]) for q, row in zip(keys, ex.x, strict=False)}
        if "action" in ex.axes else {},
        # the word-class flags each word carries in X (pronoun, noun, verb), by word key: what the grammar heads read
        "word_class": {
            q: [a for a in ("pronoun", "noun", "verb") if a in ex.axes and row[ex.axes.index(a)] > 0]
            for q, row in zip(keys, ex.x, strict=False)
        },
    }


def _rows(data, name):
    """(word key, row index, its weights by word key) of one head, in sentence order."""
    w = data["heads"][name]["weight"]
    return [(q, i, w[q]) for i, q in enumerate(w)]


def _even(row) -> bool:
    return max(row.values()) - min(row.values()) < 1e-9


def _looks_at(data, name, offset, at_least=0.9) -> bool:
    """Every row whose word has a neighbour at `offset` puts at least `at_least` of its weight there."""
    head = data["heads"][name]
    n = data["T"]
    return all(head["argmax"][i] == i + offset and max(head["weights"][i]) >= at_least
               for i in range(n) if 0 <= i + offset < n)


def _class_rows(data, name, cls):
    return [(q, row) for q, _, row in _rows(data, name) if cls in data["word_class"][q]]


@claim("in the previous-word head every word after the first puts more than 90% of its weight on the word just "
       "before it")
def previous_head_follows_previous_word(data):
    return _looks_at(data, "previous", -1)


@claim("in the previous-word head the first word, which has no word before it, puts most of its weight on itself")
def previous_head_first_word_on_itself(data):
    return data["heads"]["previous"]["argmax"][0] == 0


@claim("in the next-word head every word before the last puts more than 90% of its weight on the word just after it")
def next_head_follows_next_word(data):
    return _looks_at(data, "next", 1)


@claim("in the itself head every word puts more than 90% of its weight on itself")
def self_head_looks_at_itself(data):
    return _looks_at(data, "self", 0)


@claim("in the pronoun head the pronoun “it” gives most of its weight to “animal”, and its second most to “tired”")
def pronoun_head_it_to_animal(data):
    w = data["heads"]["coreference"]["weight"]["it"]
    rest = {k: v for k, v in w.items() if k != "animal"}
    return top(w) == "animal" and top(rest) == "tired" and w["animal"] > 0.5


@claim("in the pronoun head every row but the pronoun’s spreads its weight evenly")
def pronoun_head_others_even(data):
    return all(_even(row) != ("pronoun" in data["word_class"][q]) for q, _, row in _rows(data, "coreference"))


@claim("in the verb head each verb puts most of its weight on the nouns, split equally between them, and every "
       "other row spreads its weight evenly")
def verb_head_splits_nouns(data):
    nouns = [q for q, c in data["word_class"].items() if "noun" in c]
    verbs = _class_rows(data, "verb_nouns", "verb")
    others = [row for q, _, row in _rows(data, "verb_nouns") if "verb" not in data["word_class"][q]]
    return (len(nouns) >= 2 and bool(verbs) and all(_even(r) for r in others)
            and all(sum(row[n] for n in nouns) > 0.5 and max(row[n] for n in nouns) - min(row[n] for n in nouns) < 1e-9
                    for _, row in verbs))


@claim("in the noun head each noun gives most of its weight to “cross”, and every other row spreads its weight "
       "evenly")
def noun_head_to_cross(data):
    nouns = _class_rows(data, "noun_verb", "noun")
    others = [row for q, _, row in _rows(data, "noun_verb") if "noun" not in data["word_class"][q]]
    return bool(nouns) and all(top(row) == "cross" and row["cross"] > 0.5 for _, row in nouns) and all(
        _even(r) for r in others)


@claim("“cross” is the word with the most action in X")
def cross_most_action(data):
    return bool(data["action"]) and top(data["action"]) == "cross"


@claim("in the broad head every word gives every word the same weight")
def broad_head_even(data):
    return data["heads"]["broad"]["spread"] < 1e-9


@claim("in the first-word head every word puts more than 90% of its weight on the first word")
def first_head_looks_at_first(data):
    return all(a == 0 for a in data["heads"]["first"]["argmax"]) and min(
        data["heads"]["first"]["peak"].values()) >= 0.9


def _cell(v: float) -> str:
    """A weight as whole percent without the sign ("93"), so that it fits in a small cell."""
    return fmt(100 * v, "int")


def _shown(w) -> list[str]:
    return [_cell(v) for row in w for v in row if v >= SHOW_MIN]


def labels(data) -> list[str]:
    out = []
    for name in data["head_names"]:
        head = data["heads"][name]
        out += _shown(head["weights"])
        if head["spread"] < 1e-9:  # an even head has no cell above SHOW_MIN: its one weight is in the title
            out.append(fmt(head["weights"][0][0], "pct0"))
    return out


def _example(data, name) -> str:
    """One sentence for the alt text: what the head does, shown on a typical row, with its number.

    The typical row: among the rows where the head does something (not an even
    row), those whose largest weight is the median of these rows' largest
    weights, and of those the middle one, so that edge rows (the first word
    has no previous word) are not taken as the example.
    """
    head, toks = data["heads"][name], data["tokens"]
    w = head["weights"]
    if head["spread"] < 1e-9:
        return f"{head['title']}: every weight {fmt(w[0][0], 'pct0')}"
    active = [r for r, row in enumerate(w) if max(row) - min(row) > 1e-9]
    peaks = sorted(max(w[r]) for r in active)
    median = peaks[len(peaks) // 2]
    typical = [r for r in active if abs(max(w[r]) - median) < 1e-9]
    i = typical[len(typical) // 2]
    j = head["argmax"][i]
    return f"{head['title']}: e.g. {toks[i]} \u2192 {toks[j]} {fmt(w[i][j], 'pct0')}"


def alt(data) -> str:
    parts = "; ".join(_example(data, n) for n in data["head_names"])
    return (
        f'Eight small attention matrices for "{data["sentence"]}", one per head of a multi-head layer '
        f"with {data['n_heads']} heads of {data['d_head']} dimensions, each titled by the relation it catches. "
        f"{parts}."
    )


def render(data, out_dir, theme, quality) -> None:
    import matplotlib.pyplot as plt

    from figures_src.figures._heatmap import cell_text_color, heatmap
    from figures_src.kit import mpl, style

    toks, names = data["tokens"], data["head_names"]
    n_cols = 2
    n_rows = (len(names) + n_cols - 1) // n_cols
    with mpl.themed(theme, ID) as t:
        fig, axes = plt.subplots(
            n_rows, n_cols, figsize=(style.FIG_WIDTH, 3.2 * n_rows + 0.6), gridspec_kw={"wspace": 0.05, "hspace": 0.22}
        )
        for k, (ax, name) in enumerate(zip(axes.flat, names, strict=False)):
            head = data["heads"][name]
            row, col = divmod(k, n_cols)
            im = heatmap(
                head["weights"],
                toks,
                toks,
                ax,
                theme=t,
                label_size=9.5,
                rotation=60,
                show_rows=col == 0,
                show_cols=row == n_rows - 1,
            )
            if col:
                ax.tick_params(axis="y", length=0, pad=0)
            for i, row_w in enumerate(head["weights"]):
                for j, v in enumerate(row_w):
                    if v >= SHOW_MIN:
                        ax.text(j, i, _cell(v), ha="center", va="center", fontsize=9, color=cell_text_color(im, v))
            title = f"{k + 1}. {head['title']}"
            if head["spread"] < 1e-9:
                title += f", each {fmt(head['weights'][0][0], 'pct0')}"
            ax.set_title(title, fontsize=11, fontweight="bold", color=t["foreground"], pad=5, loc="left")
        for ax in list(axes.flat)[len(names) :]:
            ax.axis("off")
        mpl.save(fig, out_dir, ID, theme)
