"""Versions with mike: two versions deployed from two commits, each with its own figures.

Deploys into a throwaway clone of this repository (its own gh-pages branch,
nothing pushed) with `scripts/deploy.sh`, the command the README gives.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from figures_src.core.paths import FIGURE_CACHE, NOTEBOOK_CACHE

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
SITE = "https://courses.cs.state-university.edu/attention/"  # a plausible host: deploy refuses a placeholder

pytestmark = pytest.mark.slow


def run(cmd, cwd, env=None, timeout=900):
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def show(repo: Path, path: str) -> str:
    return run(["git", "show", f"gh-pages:{path}"], repo)


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    """A clone with versions 1.0 and 2.0 deployed; 2.0 changes the vector of "animal"."""
    base = tmp_path_factory.mktemp("versions")
    repo = base / "repo"
    run(["git", "clone", "-q", str(ROOT), str(repo)], base)
    for key, value in (("user.email", "test@example.invalid"), ("user.name", "test")):
        run(["git", "config", key, value], repo)
    # The checkout's own caches: they are keyed by content, so version 1.0 (this commit) reuses what the
    # session's site build rendered, and 2.0 renders only what its changed "animal" reaches. Draft figures,
    # and the slides with the site's own scene renders: no second render of every scene per version.
    env = {**os.environ, "MIKE": str(VENV_BIN / "mike"), "FIGURES_QUALITY": "draft", "FIGURES_SLIDE_SCENES": "dark",
           "SITE_URL": SITE, "FIGURES_CACHE": str(FIGURE_CACHE), "NOTEBOOKS_CACHE": str(NOTEBOOK_CACHE),
           "PATH": f"{VENV_BIN}:{os.environ['PATH']}"}
    env.pop("ATTENTION_EXAMPLES", None)
    env.pop("REPO_URL", None)
    run(["bash", "scripts/deploy.sh", "1.0"], repo, env)
    examples = repo / "attention_ref" / "examples.toml"
    text = examples.read_text(encoding="utf-8")
    changed = re.sub(r"^animal\s*=.*$", "animal  = [0.6, 0.4, 0.0, 0.0]", text, count=1, flags=re.M)
    assert changed != text, "the test could not find the vector of 'animal' to change"
    examples.write_text(changed, encoding="utf-8")
    run(["git", "commit", "-qam", "examples: a less lively animal"], repo)
    # A less lively animal makes some of the pages' claims false, as a teacher's own examples can:
    # this version is built as a teacher would build it, with those sentences marked on their pages.
    run(["bash", "scripts/deploy.sh", "2.0"], repo, {**env, "FIGURES_FALSE_CLAIMS": "warn"})
    return repo, env


def test_versions_json_lists_both_with_latest_on_the_newest(deployed):
    repo, _ = deployed
    versions = {v["version"]: v for v in json.loads(show(repo, "versions.json"))}
    assert set(versions) == {"1.0", "2.0"}
    assert versions["2.0"]["aliases"] == ["latest"]
    assert versions["1.0"]["aliases"] == []


def test_the_default_version_is_latest(deployed):
    repo, _ = deployed
    assert "latest/" in show(repo, "index.html")


def test_each_version_page_turns_on_the_version_selector(deployed):
    repo, _ = deployed
    for version in ("1.0", "2.0"):
        page = show(repo, f"{version}/index.html")
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', page, re.S)[1])
        assert config["version"]["provider"] == "mike", version


def test_older_versions_carry_the_banner_pointing_to_the_latest(deployed):
    repo, _ = deployed
    page = show(repo, "1.0/index.html")
    banner = re.search(r'data-md-component="outdated".*?</div>', page, re.S)[0]
    assert "older version" in banner and "latest version" in banner
    # The banner's own script resolves the site's base against the page (Material's throws "Invalid URL").
    script = re.search(r'data-md-component="outdated".*?<script>(.*?)</script>', page, re.S)[1]
    assert re.search(r'new URL\("[^"]*",\s*location\)', script), script


def test_each_version_has_its_own_figures_and_citation(deployed):
    repo, _ = deployed
    old = json.loads(show(repo, "1.0/figures/softmax-pie-it/softmax-pie-it.json"))
    new = json.loads(show(repo, "2.0/figures/softmax-pie-it/softmax-pie-it.json"))
    assert old["tokens"] == new["tokens"]
    assert old["weight"]["animal"] != pytest.approx(new["weight"]["animal"], abs=1e-6)
    assert "version 1.0" in show(repo, "1.0/index.html")
    assert "version 2.0" in show(repo, "2.0/index.html")


def test_each_version_is_cited_at_its_own_address_on_the_site_url(deployed):
    """SITE_URL (a real host) in every citation, canonical link and BibTeX entry, under the version's folder."""
    repo, _ = deployed
    for version in ("1.0", "2.0"):
        page = show(repo, f"{version}/steps/softmax/index.html")
        cite = re.search(r'id="cite-this-page".*?<code>(.*?)</code>', page, re.S)[1]
        assert f"{SITE}{version}/steps/softmax/" in cite and "Local build" not in cite, cite
        assert cite.startswith("The Self-Attention, Visually authors."), cite
        assert f'<link rel="canonical" href="{SITE}{version}/steps/softmax/">' in page
        figure = show(repo, f"{version}/figures/softmax-pie-it/index.html")
        assert f"\\url{{{SITE}{version}/figures/softmax-pie-it/}}" in figure
        changelog = show(repo, f"{version}/changelog/index.html")
        assert "the version selector beside the site" in changelog and "not deployed" not in changelog


def test_no_broken_links_or_anchors_in_any_deployed_version(deployed, tmp_path):
    from test_links import _listing, broken_anchors, broken_links, read_pages

    repo, _ = deployed
    tree = tmp_path / "gh-pages"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    # The whole branch is one site: an older version's banner links up to the root, which redirects to latest.
    pages = read_pages(tree)
    assert "index.html" in pages, "no redirect page at the root of gh-pages"
    for version in ("1.0", "2.0"):
        own = {path: page for path, page in pages.items() if path.startswith(version + "/")}
        assert f"{version}/index.html" in own and len(own) > 20, f"{version}: {len(own)} pages"
        checked, broken = broken_links(tree, own, urlsplit(SITE).path)  # gh-pages is the root of SITE
        assert checked > 100, f"{version}: only {checked} links checked"
        assert not broken, f"{version}: broken internal links:\n" + _listing(broken)
        anchors = broken_anchors(tree, own, urlsplit(SITE).path)
        assert not anchors, f"{version}: links to anchors that do not exist:\n" + _listing(anchors)


def test_serve_versions_serves_every_version(deployed):
    repo, env = deployed
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([env["MIKE"], "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=repo,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/versions.json", timeout=2) as r:
                    assert {v["version"] for v in json.load(r)} == {"1.0", "2.0"}
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("mike serve did not answer")
        for path in ("1.0/", "2.0/", "latest/"):
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{path}", timeout=5) as r:
                assert r.status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.mark.browser
def test_an_older_version_shows_its_banner_without_errors_in_chromium(deployed, tmp_path):
    """Served as a host would serve gh-pages: the banner shows on old pages and leads to the latest version."""
    import asyncio
    import functools
    import threading

    from chromium import CHROMIUM, CHROMIUM_ARGS

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `apt-get install chromium` (scripts/setup.sh does)", pytrace=False)
    repo, _ = deployed
    tree = tmp_path / "gh-pages"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", "gh-pages"], cwd=repo, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    handler = functools.partial(_QuietHandler, directory=str(tree))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"

    async def visit():
        from playwright.async_api import async_playwright

        seen = {}
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = await browser.new_page()
            problems = []
            page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: problems.append(str(e)))
            page.on("response", lambda r: problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
            for path in ("1.0/", "1.0/steps/softmax/", "1.0/print_page/", "2.0/"):
                await page.goto(f"{origin}/{path}", wait_until="load")
                await page.wait_for_function("() => document.querySelector('.md-version__current')")
                banner = page.locator("[data-md-component=outdated]")
                shown = await banner.count() > 0 and await banner.is_visible()
                link = await banner.locator("a").get_attribute("href") if shown else None
                seen[path] = (shown, link, list(problems))
                problems.clear()
            if seen["1.0/"][1]:  # the banner's link: follow it to wherever the root redirects
                await page.goto(f"{origin}/1.0/steps/softmax/")
                await page.locator("[data-md-component=outdated] a").click()
                await page.wait_for_url(f"{origin}/latest/**")
                seen["followed"] = page.url
            await browser.close()
        return seen

    try:
        seen = asyncio.run(visit())
    finally:
        server.shutdown()
    for path in ("1.0/", "1.0/steps/softmax/", "1.0/print_page/"):
        shown, _link, problems = seen[path]
        assert shown, f"{path}: the banner of an older version is not shown"
        assert not problems, f"{path}: {problems}"
    assert not seen["2.0/"][0], "the latest version shows the banner for older ones"
    assert not seen["2.0/"][2], f"2.0/: {seen['2.0/'][2]}"
    assert seen["followed"].startswith(f"{origin}/latest/")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass
