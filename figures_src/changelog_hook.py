"""The thin MkDocs hook of the "Changelog and errata" page.

docs/changelog.md is written by hand (notes and errata, Keep a Changelog
style) and holds the placeholder `<!-- changelog:figures -->`; on_page_markdown
replaces it with the list, version by version, of the figures whose numbers
changed (`figures_src.changelog`, read from the snapshots' git history). Each
figure links to its page when this build has one. Nothing is written into
docs/, and a missing history never fails the build: the page says what it
could not see.
"""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if sys.path[0] != str(_ROOT):
    sys.path.insert(0, str(_ROOT))

from mkdocs.utils import get_relative_url  # noqa: E402

from figures_src import changelog  # noqa: E402

PAGE = "changelog.md"
PLACEHOLDER = "<!-- changelog:figures -->"


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != PAGE:
        return markdown
    hist = changelog.history(_ROOT)

    def link(fig_id: str) -> str | None:
        target = f"figures/{fig_id}/index.md"
        if files.get_file_from_path(target) is None:
            return None
        return get_relative_url(target, page.file.src_uri)

    generated = changelog.markdown(hist, link)
    if PLACEHOLDER in markdown:
        return markdown.replace(PLACEHOLDER, generated, 1)
    return markdown.rstrip() + "\n\n" + generated
