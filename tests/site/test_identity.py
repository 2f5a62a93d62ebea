"""One place for the site's identity (figures_src/core/identity.py): authors, addresses, what a citation says.

The authors come from CITATION.cff, the addresses from mkdocs.yml, overridden by
$SITE_URL and $REPO_URL; no citation, canonical link or BibTeX entry ever names a
placeholder host, and a build with no address says it is a local build. The last
test greps the whole built site (and the teacher pack inside it) for placeholder hosts.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from figures_src.core import identity
from figures_src.core.identity import BuildInfo, IdentityError

ROOT = Path(__file__).resolve().parents[2]
REAL = "https://courses.cs.state-university.edu/attention/"  # a plausible host, not a placeholder

PLACEHOLDERS = [
    "https://self-attention-visually.example.org/", "http://example.com", "https://www.example.net/x/",
    "https://sav.example/", "https://site.invalid/", "https://docs.test/", "http://localhost:8000/",
    "http://app.localhost/", "http://127.0.0.1:8000/", "http://[::1]/", "http://0.0.0.0/",
]


@pytest.mark.parametrize("url", PLACEHOLDERS)
def test_placeholder_hosts_are_not_real_addresses(url):
    assert not identity.real_url(url)
    with pytest.raises(IdentityError, match="SITE_URL"):
        identity.identity(env={"SITE_URL": url}, citation=ROOT / "CITATION.cff")


@pytest.mark.parametrize("url", [REAL, "https://someone.github.io/sav/", "http://examples.org/", "https://test.org/",
                                 "https://www.uni-example.edu/"])
def test_real_hosts_are_addresses(url):
    assert identity.real_url(url)


@pytest.mark.parametrize("url", ["ftp://files.state-university.edu/", "courses.cs.state-university.edu/x", "https://"])
def test_an_address_that_is_not_http_is_refused_naming_the_variable(url):
    with pytest.raises(IdentityError, match=r"REPO_URL=.*not an http\(s\) address"):
        identity.identity(env={"REPO_URL": url})


def test_the_environment_overrides_mkdocs_yml_and_a_configured_placeholder_counts_as_none():
    configured = identity.identity("https://other.state-university.edu/sav", "https://github.com/a/b", env={})
    assert configured.site_url == "https://other.state-university.edu/sav/"  # a trailing slash, for joining
    assert configured.repo_url == "https://github.com/a/b"
    env = {"SITE_URL": REAL, "REPO_URL": "https://gitlab.com/teacher/sav/"}
    overridden = identity.identity("https://other.state-university.edu/sav", "https://github.com/a/b", env=env)
    assert (overridden.site_url, overridden.repo_url) == (REAL, "https://gitlab.com/teacher/sav")
    # `mkdocs serve` puts its own address into site_url; a placeholder in mkdocs.yml is no address either
    served = identity.identity("http://127.0.0.1:8000/", "https://example.org/repo", env={})
    assert (served.site_url, served.repo_url) == ("", "")


def test_the_issues_of_a_forge_and_the_name_shown_for_the_repository():
    github = identity.Identity("", "https://github.com/teacher/sav", ("A",))
    assert github.issues_url == "https://github.com/teacher/sav/issues" and github.repo_name == "teacher/sav"
    gitlab = identity.Identity("", "https://gitlab.com/teacher/sav.git", ("A",))
    assert gitlab.issues_url == "https://gitlab.com/teacher/sav/-/issues"
    own = identity.Identity("", "https://git.cs.state-university.edu/courses/ml/sav", ("A",))
    assert own.issues_url == "" and own.repo_name == "git.cs.state-university.edu"


def test_the_authors_come_from_citation_cff(tmp_path):
    assert identity.read_authors(ROOT / "CITATION.cff") == ("The Self-Attention, Visually authors",)
    cff = tmp_path / "CITATION.cff"
    cff.write_text(
        'cff-version: 1.2.0\ntitle: "X"\nauthors:\n  - family-names: Lovelace\n    given-names: Ada\n'
        '  - name: "The X team"\nversion: "1"\nreferences:\n  - title: "Y"\n    authors:\n      - name: "Not us"\n',
        encoding="utf-8")
    assert identity.read_authors(cff) == ("Ada Lovelace", "The X team")
    assert identity.authors_line(identity.read_authors(cff)) == "Ada Lovelace and The X team"
    assert identity.bibtex_authors(("Ada Lovelace", "The X team")) == "{Ada Lovelace} and {The X team}"


def test_mkdocs_yml_and_citation_cff_name_no_placeholder_host():
    for name in ("mkdocs.yml", "CITATION.cff"):
        text = (ROOT / name).read_text(encoding="utf-8")
        assert not placeholder_hosts(text), f"{name}: {placeholder_hosts(text)}"
    assert identity.configured("site_url", ROOT / "mkdocs.yml") == "" or identity.real_url(
        identity.configured("site_url", ROOT / "mkdocs.yml"))


def test_a_local_build_cites_no_address_and_says_what_it_is():
    info = identity.build_info(None, None)
    assert info.site_url == "" and not info.published
    assert info.url("figures/x/") == ""
    assert info.where("figures/x/") == f"Local build of commit {info.commit}, not published"
    assert identity.build_info("https://site.invalid/", None).site_url == "", "a placeholder is never cited"


def test_a_deployed_version_is_cited_under_its_own_folder():
    info = identity.build_info(REAL, "1.0")
    assert info.version == "1.0" and info.site_url == REAL + "1.0/"
    assert info.where("figures/x/") == REAL + "1.0/figures/x/"


def test_a_site_url_that_already_names_the_version_gets_it_once():
    """The build_info hook (and mike's plugin) put the version into site_url; the figure pages start from that."""
    assert identity.unversioned(REAL + "2.0/", "2.0") == REAL
    assert identity.unversioned(REAL + "2.0", "2.0") == REAL
    assert identity.unversioned(REAL, "2.0") == REAL and identity.unversioned(REAL + "2.0/", None) == REAL + "2.0/"
    assert identity.build_info(identity.unversioned(REAL + "2.0/", "2.0"), "2.0").site_url == REAL + "2.0/"


def figure():
    return SimpleNamespace(id="fig-a", caption="Caption A.", page_path="figures/fig-a/")


def test_a_figure_page_cites_its_authors_and_address_or_says_it_is_a_local_build():
    from figures_src.site.pages import citation

    deployed = BuildInfo("1.0", "0123456789ab", "2026-01-02", REAL + "1.0/", authors=("The X authors",))
    text = "\n".join(citation(figure(), deployed, deployed.url("figures/fig-a/")))
    assert f"{REAL}1.0/figures/fig-a/" in text and "\\url{" + REAL + "1.0/figures/fig-a/}" in text
    assert text.count("The X authors") == 2 and "author       = {{The X authors}}" in text
    local = BuildInfo("dev", "0123456789ab", "2026-01-02", "", authors=("The X authors",))
    text = "\n".join(citation(figure(), local, local.url("figures/fig-a/")))
    assert "http" not in text and "howpublished" not in text
    assert "Local build of commit 0123456789ab, not published" in text and "a local build, not published" in text


def test_the_teacher_pack_cites_the_authors_and_the_address_or_says_it_is_a_local_build():
    from figures_src.teacher import pack

    report = SimpleNamespace(figures={"fig-a": {"caption": "Caption A.", "kind": "matplotlib"}})
    deployed = BuildInfo("1.0", "0123456789ab", "2026-01-02", REAL + "1.0/", authors=("The X authors",))
    cite = pack.how_to_cite(report, deployed)
    assert f"{REAL}1.0/figures/fig-a/" in cite and cite.count("The X authors") == 2
    local = pack.how_to_cite(report, BuildInfo("dev", "0123456789ab", "2026-01-02", "", authors=("The X authors",)))
    assert "http" not in local and local.count("Local build of commit 0123456789ab, not published") == 2


def test_the_hook_writes_the_resolved_addresses_into_the_config(monkeypatch):
    from figures_src.hooks import build_info as hook

    def config(site_url="https://self-attention-visually.example.org/"):
        return SimpleNamespace(site_url=site_url, repo_url=None, repo_name=None, copyright="CC BY 4.0", extra={})

    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("REPO_URL", raising=False)
    monkeypatch.delenv("SITE_VERSION", raising=False)
    local = hook.on_config(config())
    assert local.site_url is None and local.repo_url is None, "no canonical links to a placeholder"
    assert local.extra["build"]["site_url"] == "" and "Local build" in local.extra["build"]["where"]
    assert local.copyright == "© The Self-Attention, Visually authors · CC BY 4.0"
    assert "version" not in local.extra, "no version selector on a local build"
    monkeypatch.setenv("SITE_URL", REAL)
    monkeypatch.setenv("REPO_URL", "https://github.com/teacher/sav")
    monkeypatch.setenv("SITE_VERSION", "2.0")
    served = hook.on_config(config())
    assert served.repo_url == "https://github.com/teacher/sav"
    assert served.repo_name == "teacher/sav"
    assert served.extra["build"]["site_url"] == REAL + "2.0/" and served.extra["version"]["provider"] == "mike"
    assert served.extra["build"]["issues_url"] == "https://github.com/teacher/sav/issues"
    assert served.site_url == REAL + "2.0/", "canonical links name the version"
    # mike's plugin, which runs first, has already put the version after a site_url of mkdocs.yml
    monkeypatch.delenv("SITE_URL")
    again = hook.on_config(config(site_url=REAL + "2.0"))  # not .../2.0/2.0/
    assert again.site_url == REAL + "2.0/" and again.extra["build"]["site_url"] == REAL + "2.0/"
    monkeypatch.setenv("SITE_URL", "https://sav.example.com/")
    from mkdocs.exceptions import PluginError

    with pytest.raises(PluginError, match="SITE_URL"):
        hook.on_config(config())


# --------------------------------------------------------------------------- the whole built site

URL_HOST = re.compile(r"\b(?:https?|wss?|ftp)://(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._~%-]+)")
EXAMPLE_DOMAIN = re.compile(r"\b(?:[a-z0-9-]+\.)*example\.(?:org|com|net)\b", re.I)


def placeholder_hosts(text: str) -> set[str]:
    """The placeholder hosts in `text`: of every URL, and every name under example.org/.com/.net."""
    found = {m.group(1) for m in URL_HOST.finditer(text) if identity.placeholder_host(m.group(1))}
    return found | {m.group(0) for m in EXAMPLE_DOMAIN.finditer(text)}


def test_placeholder_hosts_finds_what_it_must():
    text = ('<link rel="canonical" href="https://self-attention-visually.example.org/steps/">'
            " see http://localhost:8000/ or www.example.com;"
            " fine: https://arxiv.org/abs/1706.03762, .admonition.example")
    assert placeholder_hosts(text) == {"self-attention-visually.example.org", "localhost", "www.example.com"}


@pytest.mark.slow
def test_no_page_or_file_of_the_built_site_names_a_placeholder_host(built_site):
    """Every text file of the site, the pages, search index, sitemap and scripts, and the teacher pack's texts."""
    hits, texts, zips = {}, 0, 0
    for path in sorted(p for p in built_site.rglob("*") if p.is_file()):
        rel = path.relative_to(built_site).as_posix()
        if path.suffix == ".zip":
            zips += 1
            with zipfile.ZipFile(path) as z:
                for name in z.namelist():
                    if name.endswith((".txt", ".md", ".csv", ".json", ".vtt", ".svg", ".html")):
                        found = placeholder_hosts(z.read(name).decode("utf-8", "replace"))
                        if found:
                            hits[f"{rel}:{name}"] = found
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, ValueError):
            continue  # images, videos, fonts
        texts += 1
        found = placeholder_hosts(text)
        if found:
            hits[rel] = found
    assert texts > 100 and zips >= 1, (texts, zips)
    listing = "\n".join(f"  {k}: {sorted(v)}" for k, v in hits.items())
    assert not hits, "placeholder hosts in the built site:\n" + listing


@pytest.mark.slow
def test_every_page_of_the_built_site_cites_its_authors_and_its_address_or_a_local_build(built_site):
    site_url = identity.identity(identity.configured("site_url")).site_url
    pages = [p for p in built_site.rglob("index.html") if "Cite this page" in p.read_text(encoding="utf-8")]
    assert len(pages) > 40
    canonical = 0
    for page in pages:
        html = page.read_text(encoding="utf-8")
        cite = re.search(r'id="cite-this-page".*?<code>(.*?)</code>', html, re.S)[1]
        assert cite.startswith("The Self-Attention, Visually authors."), page
        link = re.search(r'<link rel="canonical" href="([^"]*)"', html)
        canonical += bool(link)
        if site_url:
            assert site_url in cite and "Local build" not in cite, page
            assert not link or link[1].startswith(site_url), page
        else:
            assert "Local build of commit" in cite and "http" not in cite, page
            assert not link, page
    assert canonical > 40 if site_url else canonical == 0, canonical  # the print page has none of its own
