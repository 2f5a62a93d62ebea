"""MkDocs hook: the "Changelog and errata" page.

docs/changelog.md is written by hand (notes and errata, Keep a Changelog
style) and holds the placeholder `<!-- changelog:figures -->`; on_page_markdown
replaces it with the list, version by version, of the figures whose numbers
changed (`figures_src.site.changelog`, read from the snapshots' git history). Each
figure links to its page when this build has one. `<!-- changelog:versions -->`
and `<!-- changelog:report -->` become where the other versions are and how to
report an error, as true of this build (a version selector only when deployed;
the issues of repo_url when there is one). Nothing is written into docs/, and a
missing history never fails the build: the page says what it could not see.
"""

import sys
from pathlib import Path

ROOT = str(Path(__file__).resolve().parents[2])  # the checkout this hook belongs to (mike may build an older one)
if sys.path[0] != ROOT:
    sys.path.insert(0, ROOT)

from mkdocs.utils import get_relative_url  # noqa: E402

from figures_src.site import changelog  # noqa: E402

PAGE = "changelog.md"
PLACEHOLDER = "<!-- changelog:figures -->"
VERSIONS = "<!-- changelog:versions -->"  # where the other versions are: true of this build
REPORT = "<!-- changelog:report -->"  # how to report an erratum: the repository's issues, if it has any


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != PAGE:
        return markdown
    hist = changelog.history(Path(ROOT))

    def link(fig_id: str) -> str | None:
        target = f"figures/{fig_id}/index.md"
        if files.get_file_from_path(target) is None:
            return None
        return get_relative_url(target, page.file.src_uri)

    generated = changelog.markdown(hist, link)
    build = config.extra.get("build") or {}
    markdown = markdown.replace(VERSIONS, changelog.versions_sentence(bool(build.get("deployed"))))
    markdown = markdown.replace(REPORT, changelog.report_sentence(build.get("issues_url", ""),
                                                                  build.get("repo_url", "")))
    if PLACEHOLDER in markdown:
        return markdown.replace(PLACEHOLDER, generated, 1)
    return markdown.rstrip() + "\n\n" + generated
