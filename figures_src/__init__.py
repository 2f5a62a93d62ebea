"""figures_src: every figure and scene of the site, rendered from attention_ref.

    python -m figures_src list
    python -m figures_src build [IDS...] [--force] [--quality draft|publish] [--jobs N] [--examples FILE]
    python -m figures_src clean
    python -m figures_src snapshots [--write]
"""
