"""What is being built and under what name: the site's title, the version, the commit and its date.

Nothing here fails a build: outside a repository, or without git, the commit
is "uncommitted", the date "undated" and the version "dev".
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .git import run_or
from .paths import ROOT

SITE_TITLE = "Self-Attention, Visually"


@dataclass(frozen=True)
class BuildInfo:
    version: str
    commit: str
    date: str  # the commit's date (YYYY-MM-DD), not the build's
    site_url: str


def build_info(site_url: str | None, version: str | None = None, repo: Path = ROOT) -> BuildInfo:
    """What the pages cite: `version` (else $SITE_VERSION's caller passes it, else `git describe`), the commit."""
    commit = run_or("", "rev-parse", "--short=12", "HEAD", repo=repo) or "uncommitted"
    date = run_or("", "log", "-1", "--format=%cs", repo=repo) or "undated"
    if version is None:
        version = run_or("", "describe", "--tags", "--always", repo=repo) or "dev"
    return BuildInfo(version=version, commit=commit, date=date, site_url=(site_url or "").rstrip("/") + "/")


def site_version() -> str | None:
    """The version being deployed ($SITE_VERSION, set by `make deploy`), or None for a local build."""
    return os.environ.get("SITE_VERSION") or None
