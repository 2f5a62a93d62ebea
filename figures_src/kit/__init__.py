"""What figure and scene modules import: nothing here computes a number about the examples.

    style     palettes, one colour per token, fonts, contrast
    formats   how numbers are written, in figures and prose alike
    common    bookkeeping for data(): word keys, the examples' self-attention
    jsonable  data() as plain JSON values
    claims    what the pages may say a figure shows, as named checks over its data
    mpl       deterministic matplotlib output (SVG, PNG, PDF)
    scene     the Manim scene framework: captions, chapters, rendering, stills
    pieces    drawing pieces shared by the scenes
    video     the MP4 and GIF encoders, frames read back
    vtt       WebVTT captions and chapters
"""
