"""The repository's folders and the caches, in one place.

The repository is the folder above this package: figures_src lives at its top,
beside attention_ref, docs, tests and mkdocs.yml. Caches default to `.cache/`
there and can be moved with environment variables (read when this module is
imported, as every process of a build does once).
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
NOTEBOOKS = DOCS / "notebooks"
SNAPSHOTS = ROOT / "tests" / "snapshots"
SNAPSHOTS_IN_GIT = "tests/snapshots"  # the same folder, as git names it from the root
MKDOCS_YML = ROOT / "mkdocs.yml"
DIST = ROOT / "dist"

CACHE = ROOT / ".cache"
FIGURE_CACHE = Path(os.environ.get("FIGURES_CACHE", CACHE / "figures"))
NOTEBOOK_CACHE = Path(os.environ.get("NOTEBOOKS_CACHE", CACHE / "notebooks"))
THUMB_CACHE = FIGURE_CACHE / "thumbs"
PACK_CACHE = FIGURE_CACHE / "pack"
SLIDES_CACHE = FIGURE_CACHE / "slides"  # the slide decks (teacher.slides), one per distinct content


def display(path: str | os.PathLike) -> str:
    """`path` as a page or a message shows it: relative to the repository when inside it."""
    try:
        return Path(path).resolve().relative_to(ROOT).as_posix()
    except ValueError:  # outside the repository (a teacher's own figures, a test's throwaway ones)
        return str(path)
