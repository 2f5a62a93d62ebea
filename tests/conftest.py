"""Shared set-up for the tests: attention_ref importable, the helpers, and hypothesis profiles.

The folders mirror the rooms of the code: ref/ (attention_ref), kit/, build/,
site/ (pages, hooks, the built site in a browser), teacher/, notebooks/.

Profiles (tests/test_properties.py uses hypothesis):
- "ci", loaded when the environment variable CI is set: derandomized, so a CI
  run explores the same examples every time and a red build can be reproduced;
  no example database is written.
- "dev", otherwise: random examples, remembered in .hypothesis/ (git-ignored),
  so a failure found locally is replayed first on the next run.
Both have no per-example deadline: a slow shared CI machine must not turn a
correct property into a flaky failure. Choose one explicitly with
`pytest --hypothesis-profile=dev`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # `pytest` (unlike `python -m pytest`) does not put the cwd on sys.path
    sys.path.insert(0, str(ROOT))

# The helpers of every room's tests, registered once: `figures` (throwaway figure packages, from
# throwaway_figures.py) and `real_cache` / `real_matplotlib` (the site's figures rendered once per
# session, from real_figures.py); their assertions are rewritten like the tests' own.
pytest.register_assert_rewrite("throwaway_figures", "real_figures")
pytest_plugins = ["throwaway_figures", "real_figures"]

try:
    from hypothesis import settings
except ImportError:  # the property tests will report the missing dependency themselves
    pass
else:
    settings.register_profile("ci", derandomize=True, max_examples=100, deadline=None, database=None)
    settings.register_profile("dev", max_examples=100, deadline=None)
    settings.load_profile("ci" if os.environ.get("CI") else "dev")


# --------------------------------------------------------------------------- the built site
# One `mkdocs build --strict` per test session, shared by tests/test_links.py and
# tests/test_site_browser.py. Figures at draft quality (the default). To check a
# site you already built instead (faster while you iterate on the tests):
# TEST_SITE_DIR=site .venv/bin/python -m pytest tests/test_links.py

import subprocess  # noqa: E402
import tempfile  # noqa: E402
from collections.abc import Iterator  # noqa: E402

SITE_BUILD_TIMEOUT = 1800  # seconds: a cold figure cache renders every figure and scene first


@pytest.fixture(scope="session")
def built_site() -> Iterator[Path]:
    """The site, built once per session with `mkdocs build --strict`; the path of its root folder.

    Built in a temporary folder of its own, removed at the end of the session (not under
    pytest's basetemp, which another pytest session started meanwhile may prune).
    """
    given = os.environ.get("TEST_SITE_DIR")
    if given:
        site = Path(given).resolve()
        if not (site / "index.html").is_file():
            pytest.fail(f"TEST_SITE_DIR={given}: no index.html there; build the site first")
        yield site
        return
    with tempfile.TemporaryDirectory(prefix="sav-built-site-") as tmp:
        yield _build_site(Path(tmp) / "site")


def _build_site(site: Path) -> Path:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.setdefault("FIGURES_QUALITY", "draft")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=SITE_BUILD_TIMEOUT)
    if proc.returncode != 0:
        pytest.fail(f"`mkdocs build --strict` failed (exit {proc.returncode}):\n{proc.stderr[-6000:]}", pytrace=False)
    return site
