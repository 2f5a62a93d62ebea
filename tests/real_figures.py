"""The site's real figures, rendered once per test session into a throwaway cache.

`real_cache` is a session-wide cache directory (never the repository's
.cache); `render_real(ids, cache)` builds those figures into it (draft, the
packaged examples) in one build, so the workers import matplotlib once for all
of them. `real_matplotlib` is the report of every matplotlib figure, built
once per session; the determinism test adds the scenes to the same cache and
compares it with a second cold build. The state is module-level so that every
test module that imports these fixtures shares one cache.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from attention_ref.examples import DEFAULT_PATH
from figures_src import build as figure_build
from figures_src.build import registry

_CACHE: dict[str, Path] = {}


def real_figures() -> dict[str, registry.Figure]:
    """The registered figures of the site (FIGURES_PACKAGES ignored)."""
    saved = os.environ.pop("FIGURES_PACKAGES", None)
    try:
        return registry.discover()
    finally:
        if saved is not None:
            os.environ["FIGURES_PACKAGES"] = saved


def ids_of_kind(kind: str) -> list[str]:
    return [fid for fid, fig in real_figures().items() if fig.kind == kind]


def render_real(ids: list[str], cache: Path, *, jobs: int | None = None) -> figure_build.Report:
    saved = {k: os.environ.pop(k, None) for k in ("FIGURES_PACKAGES", "ATTENTION_EXAMPLES")}
    try:
        return figure_build.build(ids, cache=cache, examples=DEFAULT_PATH, progress=False, jobs=jobs)
    finally:
        for k, v in saved.items():
            if v is not None:
                os.environ[k] = v


@pytest.fixture(scope="session")
def real_cache(tmp_path_factory) -> Path:
    if "a" not in _CACHE:
        _CACHE["a"] = tmp_path_factory.mktemp("real-figures-a") / "cache"
    return _CACHE["a"]


@pytest.fixture(scope="session")
def real_matplotlib(real_cache) -> figure_build.Report:
    if "mpl" not in _REPORTS:
        _REPORTS["mpl"] = render_real(ids_of_kind("matplotlib"), real_cache)
    return _REPORTS["mpl"]


_REPORTS: dict[str, figure_build.Report] = {}
