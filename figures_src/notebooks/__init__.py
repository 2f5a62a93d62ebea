"""The notebooks: jupytext sources in docs/notebooks/, executed once per content change, and their pages.

    execute  convert, execute in a fresh kernel, cache by content (see its docstring)
    pages    the executed notebook's page: downloads, KaTeX math, no script from another host

    python -m figures_src.notebooks [NAMES...] [--force] [--jobs N] [--examples FILE]
    python -m figures_src.notebooks --list
"""

from .execute import NotebookError, Result, discover, execute_all

__all__ = ["NotebookError", "Result", "discover", "execute_all"]
