"""`make deploy` builds a version at publish quality (1080p video) and its slides with light scenes; the
environment overrides both (tests/site/test_versions.py deploys drafts).

scripts/deploy.sh runs with a stand-in for mike that records the environment it was started with, so
nothing is built and no branch is touched: fast, and it checks what the script hands to the build.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def deploy_env(tmp_path: Path, **env: str) -> dict[str, str]:
    """The environment `mike deploy` got from scripts/deploy.sh."""
    record = tmp_path / "mike-env"
    mike = tmp_path / "mike"
    mike.write_text('#!/bin/sh\nif [ "$1" = deploy ]; then env > "$RECORD"; fi\nexit 0\n', encoding="utf-8")
    mike.chmod(0o755)
    base = {k: v for k, v in os.environ.items() if k not in ("FIGURES_QUALITY", "FIGURES_SLIDE_SCENES")}
    proc = subprocess.run(["bash", "scripts/deploy.sh", "9.9"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**base, "MIKE": str(mike), "PYTHON": sys.executable, "RECORD": str(record),
                               "ALLOW_DIRTY": "1", "NO_TAG": "1",
                               "SITE_URL": "https://courses.cs.state-university.edu/attention/", **env})
    assert proc.returncode == 0, proc.stderr
    lines = record.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def test_a_deploy_builds_at_publish_quality_with_light_scenes_on_the_slides(tmp_path):
    got = deploy_env(tmp_path)
    assert got["FIGURES_QUALITY"] == "publish"
    assert got["FIGURES_SLIDE_SCENES"] == "light"
    assert got["SITE_VERSION"] == "9.9"


@pytest.mark.parametrize("quality", ["draft", "publish"])
def test_the_environment_overrides_the_quality_and_the_slides_scenes(tmp_path, quality):
    got = deploy_env(tmp_path, FIGURES_QUALITY=quality, FIGURES_SLIDE_SCENES="dark")
    assert got["FIGURES_QUALITY"] == quality
    assert got["FIGURES_SLIDE_SCENES"] == "dark"


def test_publish_quality_is_1080p():
    from figures_src.kit.video import QUALITY

    assert (QUALITY["publish"]["pixel_width"], QUALITY["publish"]["pixel_height"]) == (1920, 1080)


def test_a_deploy_without_a_real_address_is_refused_before_mike_runs(tmp_path):
    record = tmp_path / "mike-env"
    mike = tmp_path / "mike"
    mike.write_text('#!/bin/sh\nenv > "$RECORD"\nexit 0\n', encoding="utf-8")
    mike.chmod(0o755)
    base = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "REPO_URL")}
    for site_url in (None, "https://self-attention-visually.example.org/"):
        env = {**base, "MIKE": str(mike), "PYTHON": sys.executable, "RECORD": str(record), "ALLOW_DIRTY": "1",
               "NO_TAG": "1", **({"SITE_URL": site_url} if site_url else {})}
        proc = subprocess.run(["bash", "scripts/deploy.sh", "9.9"], cwd=ROOT, capture_output=True, text=True,
                              timeout=60, env=env)
        assert proc.returncode != 0, site_url
        assert "SITE_URL" in proc.stderr, proc.stderr
        assert not record.exists(), f"mike ran although the address was {site_url!r}"
