"""MkDocs hook: what every page needs to know about the build, in `config.extra.build`.

The version, the commit and the commit's date (not the build's), read by the
"Cite this page" block of docs/overrides/main.html. When a version is being
deployed (SITE_VERSION set, as `make deploy` does), Material's version
selector for mike is turned on; a plain `make serve` has no selector and so
never asks for a versions.json that is not there.
"""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])  # the checkout this hook belongs to (mike may build an older one)
if sys.path[0] != ROOT:
    sys.path.insert(0, ROOT)

from figures_src.core.identity import build_info, site_version  # noqa: E402


def on_config(config):
    version = site_version()
    info = build_info(config.site_url, version)
    base = config.site_url or ""
    if version:  # deployed by mike into <site_url>/<version>/
        base = base.rstrip("/") + f"/{version}/"
        config.extra["version"] = {"provider": "mike", "default": "latest", "alias": True}
    config.extra["build"] = {"version": info.version, "commit": info.commit, "date": info.date, "site_url": base}
    return config
