"""MkDocs hook: the site's identity and what every page needs to know about the build, in `config.extra.build`.

The authors (CITATION.cff), the site's and the repository's addresses
(mkdocs.yml, overridden by $SITE_URL and $REPO_URL), the version, the commit and
its date, all from figures_src.core.identity; read by the "Cite this page" block
of docs/overrides/main.html, the print cover and the changelog. The resolved
addresses are written back into `site_url` (deployed: with the version's folder,
as mike's own plugin does) and `repo_url`, so that Material shows the repository
link and canonical links only for a real address. When a version
is being deployed (SITE_VERSION set, as `make deploy` does), Material's version
selector for mike is turned on; a plain `make serve` has no selector and so never
asks for a versions.json that is not there.
"""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])  # the checkout this hook belongs to (mike may build an older one)
if sys.path[0] != ROOT:
    sys.path.insert(0, ROOT)

from mkdocs.exceptions import PluginError  # noqa: E402

from figures_src.core import identity  # noqa: E402


def on_config(config):
    version = identity.site_version()
    try:
        ident = identity.identity(identity.unversioned(config.site_url, version), config.repo_url)
    except identity.IdentityError as exc:
        raise PluginError(str(exc)) from None
    info = identity.build_info(ident.site_url, version, repo_url=ident.repo_url, authors=ident.authors)
    config.site_url = info.site_url or None  # deployed: <site>/<version>/, so canonical links name the version
    config.repo_url = ident.repo_url or None
    config.repo_name = ident.repo_name if ident.repo_url else None
    credit = f"© {info.authors_line}"
    if not (config.copyright or "").startswith(credit):  # the footer names who to credit (CC BY)
        config.copyright = f"{credit} · {config.copyright}" if config.copyright else credit
    if version:  # deployed by mike into <site_url>/<version>/
        config.extra["version"] = {"provider": "mike", "default": "latest", "alias": True}
    config.extra["build"] = {
        "version": info.version, "commit": info.commit, "date": info.date, "deployed": bool(version),
        "site_url": info.site_url, "where": info.where(), "repo_url": ident.repo_url,
        "issues_url": ident.issues_url, "authors": info.authors_line,
    }
    return config
