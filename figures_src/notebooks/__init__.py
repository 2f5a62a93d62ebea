"""The notebooks: jupytext sources in docs/notebooks/, executed once per content change, and their pages.

    execute  convert, execute in a fresh kernel, cache by content (see its docstring)
    pages    the executed notebook's page: downloads, KaTeX math, no script from another host
    wheel    the wheel the site serves for the downloaded notebooks (attention_ref and the figure code they import)
    download the downloaded notebook: the executed one with a first cell that installs what it needs

    python -m figures_src.notebooks [NAMES...] [--force] [--jobs N] [--examples FILE]
    python -m figures_src.notebooks --list
"""

from .execute import NotebookError, Result, discover, execute_all

__all__ = ["NotebookError", "Result", "discover", "execute_all"]
