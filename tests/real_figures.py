"""The site's real figures, rendered once per test session, in the repository's figure cache.

`real_cache` is the repository's figure cache (.cache/figures, or $FIGURES_CACHE): it is keyed by
content, so what the session's site build rendered (the `built_site` fixture of conftest.py) is a
hit here and the other way round, and no figure is rendered twice in a test run. The cold builds
that compare bytes (tests/build/test_build_determinism.py) use caches of their own.
`render_real(ids, cache)` builds those figures into it (draft, the packaged examples) in one
build, so the workers import matplotlib once for all of them. `real_matplotlib` is the report of
every matplotlib figure, built once per session. The state is module-level so that every test
module that imports these fixtures shares it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from attention_ref.examples import DEFAULT_PATH
from figures_src import build as figure_build
from figures_src.build import registry
from figures_src.core.paths import FIGURE_CACHE


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
def real_cache() -> Path:
    return FIGURE_CACHE


@pytest.fixture(scope="session")
def real_matplotlib(real_cache) -> figure_build.Report:
    if "mpl" not in _REPORTS:
        _REPORTS["mpl"] = render_real(ids_of_kind("matplotlib"), real_cache)
    return _REPORTS["mpl"]


_REPORTS: dict[str, figure_build.Report] = {}
