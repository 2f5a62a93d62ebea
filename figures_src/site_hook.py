"""The thin MkDocs hook for what every page needs to know about the build.

on_config puts the version, the commit and the commit's date (not the build's)
into `config.extra.build`, which the "Cite this page" block of
docs/overrides/main.html reads. When a version is being deployed (SITE_VERSION
set, as `make deploy` does), it also turns on Material's version selector for
mike; a plain `make serve` has no selector and so never asks for a
versions.json that is not there.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Import figures_src from the checkout this mkdocs.yml belongs to (mike may build
# an older commit in another directory with the same virtual environment).
_ROOT = str(Path(__file__).resolve().parent.parent)
if sys.path[0] != _ROOT:
    sys.path.insert(0, _ROOT)

from figures_src import pages  # noqa: E402


def on_config(config):
    version = os.environ.get("SITE_VERSION")
    info = pages.build_info(config.site_url, version)
    base = config.site_url or ""
    if version:  # deployed by mike into <site_url>/<version>/
        base = base.rstrip("/") + f"/{version}/"
        config.extra["version"] = {"provider": "mike", "default": "latest", "alias": True}
    config.extra["build"] = {"version": info.version, "commit": info.commit, "date": info.date, "site_url": base}
    return config
