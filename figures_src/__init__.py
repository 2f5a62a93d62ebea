"""figures_src: every figure and scene of the site, rendered from attention_ref, and the site around them.

The rooms, each importing only from those above it:

    core/       paths, atomic files and pruning, git, what is being built (standard library only)
    kit/        what figure and scene modules import: style, formats, matplotlib and Manim helpers, claims
    figures/    one module per matplotlib figure (file name = id with _)
    scenes/     one module per Manim scene (id ends in -scene)
    build/      registry, keys, cache, workers, claims, report, snapshots: the figure build
    site/       embedding, figure pages, gallery, thumbnails, print page, changelog
    teacher/    the teacher pack and the "For teachers" page
    notebooks/  executing the notebooks and their pages
    hooks/      the thin MkDocs adapters (the only modules that import MkDocs)

    python -m figures_src list
    python -m figures_src build [IDS...] [--force] [--quality draft|publish] [--jobs N] [--examples FILE]
    python -m figures_src pack [--out FILE] [--quality draft|publish] [--examples FILE]
    python -m figures_src clean
    python -m figures_src snapshots [--write]
"""
