"""Who made the site, where it lives, and what is being built: the one place for the site's identity.

- The authors come from CITATION.cff (`authors:`), the addresses from mkdocs.yml
  (`site_url:`, `repo_url:`); `$SITE_URL` and `$REPO_URL` override them for a
  teacher's own copy.
- An address is cited only if it is real: http(s), with a host that is not a
  placeholder (example.org/.com/.net, *.example, *.invalid, *.test, localhost).
  A placeholder given in the environment is an error naming the variable; one in
  mkdocs.yml (or the dev-server address `mkdocs serve` puts there) counts as none.
- With no address, a build cites none and says what it is: a local build of its
  commit, not published.

Nothing here fails an ordinary build: outside a repository, or without git, the
commit is "uncommitted", the date "undated" and the version "dev". Standard
library only (CITATION.cff and mkdocs.yml are read line by line, not as YAML).
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from .git import run_or
from .paths import MKDOCS_YML, ROOT

SITE_TITLE = "Self-Attention, Visually"
CITATION_CFF = ROOT / "CITATION.cff"
DEFAULT_AUTHORS = ("The Self-Attention, Visually authors",)  # if CITATION.cff cannot be read

PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")  # RFC 2606, with every subdomain
PLACEHOLDER_SUFFIXES = ("example", "invalid", "test", "localhost")  # reserved top-level names (RFC 2606, 6761)


class IdentityError(ValueError):
    """A site or repository address that cannot be cited, naming where it came from."""


# --------------------------------------------------------------------------- addresses


def placeholder_host(host: str) -> bool:
    """True for a host no reader can visit: the reserved example and test names, localhost, a loopback
    address, or no host at all."""
    host = (host or "").strip().rstrip(".").lower()
    if not host:
        return True
    if host in PLACEHOLDER_SUFFIXES or any(host.endswith("." + s) for s in PLACEHOLDER_SUFFIXES):
        return True
    if any(host == d or host.endswith("." + d) for d in PLACEHOLDER_DOMAINS):
        return True
    try:
        ip = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return ip.is_loopback or ip.is_unspecified


def real_url(url: str | None) -> bool:
    """True if `url` is an http(s) address of a host a reader can visit."""
    if not url:
        return False
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and not placeholder_host(parts.hostname or "")


def check_url(url: str, source: str) -> str:
    """`url` with a trailing slash, or an IdentityError that names `source` (e.g. "SITE_URL") and says why."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IdentityError(f"{source}={url!r} is not an http(s) address (e.g. https://<your host>/<path>/)")
    if placeholder_host(parts.hostname):
        raise IdentityError(
            f"{source}={url!r}: {parts.hostname} is a placeholder or local host (example.org/.com/.net, "
            "*.example, *.invalid, *.test, localhost, 127.0.0.1), which no reader can visit; "
            "give the address the site is really served from, or leave it unset for a local build"
        )
    return url if url.endswith("/") else url + "/"


def unversioned(site_url: str | None, version: str | None) -> str | None:
    """`site_url` without the "/<version>" mike's plugin appends to it when deploying (it runs before the hooks)."""
    if site_url and version and site_url.rstrip("/").endswith("/" + version):
        return site_url.rstrip("/")[: -len(version)]
    return site_url


def configured(key: str, mkdocs_yml: Path = MKDOCS_YML) -> str:
    """The top-level `key:` of mkdocs.yml ("" when absent or unreadable)."""
    try:
        text = mkdocs_yml.read_text(encoding="utf-8")
    except OSError:
        return ""
    m = re.search(rf"^{re.escape(key)}:[ \t]*['\"]?([^'\"\s#]*)", text, re.M)
    return m.group(1) if m else ""


# --------------------------------------------------------------------------- authors


def read_authors(citation: Path = CITATION_CFF) -> tuple[str, ...]:
    """The names in the top-level `authors:` list of CITATION.cff: an entity's `name`, or a person's
    "given-names family-names"; DEFAULT_AUTHORS if the file cannot be read or lists none."""
    try:
        lines = citation.read_text(encoding="utf-8").splitlines()
    except OSError:
        return DEFAULT_AUTHORS
    people: list[dict[str, str]] = []
    inside = False
    for line in lines:
        if re.match(r"^\S", line):  # a top-level key
            inside = line.startswith("authors:")
            continue
        m = inside and re.match(r"^\s*(-\s+)?([\w-]+):\s*(.*?)\s*$", line)
        if not m:
            continue
        if m.group(1) or not people:
            people.append({})
        people[-1][m.group(2)] = m.group(3).strip("'\"")
    names = tuple(
        p.get("name") or " ".join(x for x in (p.get("given-names"), p.get("family-names")) if x) for p in people
    )
    return tuple(n for n in names if n) or DEFAULT_AUTHORS


def authors_line(authors: tuple[str, ...]) -> str:
    """"A", "A and B", "A, B and C"."""
    return authors[0] if len(authors) == 1 else ", ".join(authors[:-1]) + " and " + authors[-1]


def bibtex_authors(authors: tuple[str, ...]) -> str:
    """The `author` field of BibTeX: each name braced, so that an entity ("The ... authors") stays one name."""
    return " and ".join("{" + a + "}" for a in authors)


# --------------------------------------------------------------------------- the identity


@dataclass(frozen=True)
class Identity:
    site_url: str  # the root the site is served from, with a trailing slash; "" when none is known
    repo_url: str  # the source repository; "" when none is known
    authors: tuple[str, ...]

    @property
    def repo_name(self) -> str:
        """What the header shows for the repository: "owner/name" on a forge, else the host."""
        parts = urlsplit(self.repo_url)
        path = parts.path.strip("/").removesuffix(".git")
        return path if path.count("/") == 1 else (parts.hostname or "")

    @property
    def issues_url(self) -> str:
        """Where readers report an error: the repository's issues on GitHub, GitLab or Codeberg, else ""."""
        host = urlsplit(self.repo_url).hostname or ""
        if host in ("github.com", "codeberg.org") or host.startswith("gitlab."):
            base = self.repo_url.rstrip("/").removesuffix(".git")
            return base + ("/-/issues" if host.startswith("gitlab.") else "/issues")
        return ""


def identity(site_url: str | None = None, repo_url: str | None = None, env: Mapping[str, str] | None = None,
             citation: Path = CITATION_CFF) -> Identity:
    """The site's identity: `site_url` and `repo_url` as configured (mkdocs.yml), overridden by $SITE_URL and
    $REPO_URL; a configured placeholder counts as none, a placeholder in the environment is an IdentityError."""
    env = os.environ if env is None else env
    urls = {}
    for name, given in (("SITE_URL", site_url), ("REPO_URL", repo_url)):
        if env.get(name, "").strip():
            urls[name] = check_url(env[name], name)
        else:
            urls[name] = check_url(given, name) if real_url(given) else ""
    return Identity(urls["SITE_URL"], urls["REPO_URL"].rstrip("/"), read_authors(citation))


# --------------------------------------------------------------------------- the build


@dataclass(frozen=True)
class BuildInfo:
    version: str
    commit: str
    date: str  # the commit's date (YYYY-MM-DD), not the build's
    site_url: str  # the citable root of this build (deployed: <site>/<version>/); "" for a local build
    repo_url: str = ""
    authors: tuple[str, ...] = DEFAULT_AUTHORS

    @property
    def published(self) -> bool:
        return bool(self.site_url)

    @property
    def authors_line(self) -> str:
        return authors_line(self.authors)

    def url(self, path: str = "") -> str:
        """The address of `path` (e.g. "figures/softmax-pie-it/") on the published site, "" for a local build."""
        return self.site_url + path if self.site_url else ""

    def where(self, path: str = "") -> str:
        """What a citation says for where it is: the address, or that this is a local build and of what."""
        return self.url(path) or f"Local build of commit {self.commit}, not published"


def build_info(site_url: str | None, version: str | None = None, repo: Path = ROOT, repo_url: str = "",
               authors: tuple[str, ...] | None = None) -> BuildInfo:
    """What the pages cite. `version` is the version being deployed ($SITE_VERSION, which mike puts under
    <site_url>/<version>/), else None: a local build, versioned by `git describe`. `site_url` and `repo_url`
    are taken as given (resolve them with identity() first); a placeholder is never cited."""
    commit = run_or("", "rev-parse", "--short=12", "HEAD", repo=repo) or "uncommitted"
    date = run_or("", "log", "-1", "--format=%cs", repo=repo) or "undated"
    base = check_url(site_url, "site_url") if real_url(site_url) else ""
    if version is None:
        version = run_or("", "describe", "--tags", "--always", repo=repo) or "dev"
    elif base:
        base += f"{version}/"
    return BuildInfo(version=version, commit=commit, date=date, site_url=base, repo_url=repo_url or "",
                     authors=authors or read_authors())


def site_version() -> str | None:
    """The version being deployed ($SITE_VERSION, set by `make deploy`), or None for a local build."""
    return os.environ.get("SITE_VERSION") or None


def current(version: str | None = None, env: Mapping[str, str] | None = None) -> BuildInfo:
    """The BuildInfo of this checkout outside MkDocs (the teacher pack's command): mkdocs.yml and the
    environment, as the site build resolves them."""
    ident = identity(configured("site_url"), configured("repo_url"), env)
    return build_info(ident.site_url, version, repo_url=ident.repo_url, authors=ident.authors)
