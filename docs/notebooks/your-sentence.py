# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Your own sentence
#
# Change the sentence, give new words a vector, and see how the focus word
# shares out its attention, drawn by the same code that draws the site's
# figure of step 4. Edit the cell below, then run the whole notebook again.
#
# New words live on the four axes of the walk-through's toy language:
# *living*, *object*, *action*, *grammar*. The projections $W_Q$, $W_K$,
# $W_V$ stay those of the walk-through, so only the words change.

# %% tags=["parameters"]
TEXT = "The dog didn't fetch the ball because it was too heavy"
FOCUS = "it"  # the word whose attention is drawn: a word of TEXT
# word: [living, object, action, grammar]. Words the walk-through
# already knows ("the", "it", "tired", ...) need no entry.
NEW_WORDS = {
    "dog": [1.0, 0.1, 0.0, 0.0],
    "fetch": [0.0, 0.0, 1.0, 0.0],
    "ball": [0.0, 1.0, 0.0, 0.0],
    "heavy": [0.0, 0.6, 0.3, 0.0],
}

# %% [markdown]
# Before running the next cells, guess: which word will "it" attend to
# most? "Heavy" suggests the ball; the numbers below say what these vectors
# and projections actually do.

# %%
import shutil
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np

from attention_ref import Sentence, load_examples

# The module that draws the site's figure of step 4:
from figures_src.figures import softmax_pie_it as pie
from figures_src.kit.formats import fmt

examples = load_examples()
# The language of the figure's own sentence: its vocabulary and projections.
walkthrough = examples.sentence(pie.SENTENCE).language

vocabulary = dict(walkthrough.vocabulary)
for word, vector in NEW_WORDS.items():
    vector = np.asarray(vector, dtype=float)
    if vector.shape != (walkthrough.d_model,):
        axes = ", ".join(walkthrough.axes)
        raise ValueError(
            f"NEW_WORDS[{word!r}] needs {walkthrough.d_model} numbers "
            f"({axes}); got {vector.tolist()}"
        )
    vocabulary[word.lower()] = vector
language = replace(walkthrough, name="yours", vocabulary=vocabulary)

tokens = tuple(TEXT.split())
missing = sorted({t for t in tokens if t.lower() not in vocabulary})
if missing:
    known = ", ".join(sorted(vocabulary))
    raise ValueError(
        f"no vector for {missing}: add them to NEW_WORDS (known: {known})"
    )
if FOCUS.lower() not in (t.lower() for t in tokens):
    raise ValueError(f"FOCUS {FOCUS!r} is not a word of TEXT {TEXT!r}")

yours = Sentence(
    name="yours", text=TEXT, tokens=tokens, language=language, focus=FOCUS
)
# The figure reads the sentence named pie.SENTENCE: hand it a copy of the
# examples in which that sentence is yours.
your_examples = replace(
    examples, sentences={**examples.sentences, pie.SENTENCE: yours}
)
original, data = pie.data(examples), pie.data(your_examples)
print(f"yours:    {data['sentence']}")
print(f"original: {original['sentence']}")

# %% [markdown]
# ## The weights, as numbers
#
# The same `data()` the site's figure uses, so these are the labels it
# draws.

# %%
print(f"{data['focus']!r} in your sentence attends to:")
pairs = zip(data["tokens"], data["weights"], strict=True)
for word, w in sorted(pairs, key=lambda p: -p[1]):
    print(f"  {word:<10} {fmt(w, 'pct'):>6}")
print(
    f"\nlargest: {data['top_word']!r} with {fmt(data['top_weight'], 'pct')}"
    f" (in the original sentence: {original['top_word']!r}"
    f" with {fmt(original['top_weight'], 'pct')})"
)


# %% [markdown]
# ## Why the toy still says "dog"
#
# With the sentence as given, "it" attends most to "dog", although "heavy"
# tells a reader that it is the ball. Nothing in this toy reads the
# adjective. Its $W_Q$ was written by hand so that "it" asks for a living
# thing, and a query is made from its own word alone ($Q = XW_Q$ works row
# by row), so the query of "it" is the same whatever word ends the
# sentence. $W_K$ only says how living, or how much of an object, each word
# is, and every score compares just two words. So the most living word,
# "dog", wins; "heavy" and "ball" only compete through their own keys. A
# model has to *learn* to let the last word decide: the page
# [A model that learned it](../../trained-model/) looks inside a small
# trained transformer whose attention moves from the animal to the place
# when "tired" becomes "wide".

# %%
# The same sentence with its last word replaced by "tired": which word wins?
from attention_ref import self_attention

swapped = tokens[:-1] + ("tired",)
x_swapped = np.stack([vocabulary[t.lower()] for t in swapped])
att = self_attention(x_swapped, language.w_q, language.w_k, language.w_v)
i = [t.lower() for t in swapped].index(FOCUS.lower())
winner = swapped[int(att.weights[i].argmax())]
print(f"ending in {tokens[-1]!r}: {FOCUS!r} → {data['top_word']!r}")
print(f"ending in 'tired': {FOCUS!r} → {winner!r}")

# %% [markdown]
# ## The figure, redrawn
#
# `render()` of the figure module writes its SVG, PNG and PDF into a
# temporary folder; the PNG is shown here. Run as a plain script, the
# notebook says where it wrote the picture instead.


# %%
def draw(figure_data: dict, name: str, theme: str = "light") -> None:
    """Render the site's pie for `figure_data` and show the PNG.

    Inline in Jupyter; as a plain script, print where the file is.
    """
    folder = Path(tempfile.mkdtemp(prefix=f"{pie.ID}-{name}-"))
    pie.render(figure_data, folder, theme, "draft")
    png = folder / f"{pie.ID}.{theme}.png"
    if "ipykernel" in sys.modules:
        from IPython.display import Image, display

        display(Image(data=png.read_bytes(), width=720))
        shutil.rmtree(folder)
    else:
        print(f"{name}: {png}")


draw(data, "yours")

# %% [markdown]
# And the site's own figure, for the original sentence:

# %%
draw(original, "original")

# %% [markdown]
# ## Things to try
#
# - Give "ball" a little of the *living* axis and run again: how much does
#   the share of "ball" grow?
# - Set `FOCUS = "fetch"`: a verb's query, through $W_Q$, looks for who did
#   it and to what.
# - Replace "heavy" by "tired": which weights change, and which word still
#   wins? (The query of "it" is made from the vector of "it" alone; the
#   other words only compete through their keys.)
# - To change the projections or the whole site's sentence, copy
#   `attention_ref/examples.toml`, edit it and point `ATTENTION_EXAMPLES` at
#   it (see the README): every figure and this notebook follow.
