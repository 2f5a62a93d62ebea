"""The print page: the whole explainer on one page for paper.

mkdocs-print-site-plugin, readied by figures_src/hooks/print_page.py.

Fast tests check `figures_src.site.print_page` on small pieces of HTML and the
plugin's place in mkdocs.yml; the slow ones read print_page/index.html of the
site built once per session (the `built_site` fixture of conftest.py).
What a reader sees on paper was checked by eye once; tests/site/test_pdf.py prints
the page to PDF with headless Chromium (`make pdf`) and reads it back.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from figures_src.site import print_page

ROOT = Path(__file__).resolve().parents[2]
PRINT = "print_page/index.html"


def _config() -> dict:
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def _plugin_names(config: dict) -> list[str]:
    return [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]]


def _print_config(config: dict) -> dict:
    for p in config["plugins"]:
        if isinstance(p, dict) and "print-site" in p:
            return p["print-site"]
    raise AssertionError("print-site is not configured in mkdocs.yml")


def _nav_pages(items, section=None):
    """(title, docs path, section title) of every page of the nav, in order."""
    for item in items:
        ((title, value),) = item.items()
        if isinstance(value, list):
            yield from _nav_pages(value, title)
        else:
            yield title, value, section


def _page_key(path: str) -> str:
    """The id the plugin gives a page's <section> on the print page ("steps/qkv.md" -> "steps-qkv")."""
    from mkdocs_print_site_plugin.urls import get_page_key

    url = re.sub(r"(^|/)index\.md$", r"\1", path)
    url = re.sub(r"\.(md|ipynb)$", "/", url)
    return get_page_key(url)


def _excluded(path: str, patterns: list[str]) -> bool:
    from mkdocs_print_site_plugin.exclude import exclude

    return exclude(path, patterns)


# --------------------------------------------------------------------------- configuration


def test_print_site_is_the_last_plugin_and_readied_by_its_hook():
    config = _config()
    assert _plugin_names(config)[-1] == "print-site", "print-site must be the last plugin (it joins the others' pages)"
    assert "figures_src/hooks/print_page.py" in config["hooks"]
    assert "assets/print.css" in config["extra_css"]
    options = _print_config(config)
    assert options["add_table_of_contents"] and options["add_to_navigation"]
    assert (ROOT / options["cover_page_template"]).is_file()


# --------------------------------------------------------------------------- prepare / finish on small pieces

PAGES = {"", "steps/softmax/", "figures/", "figures/softmax-scene/", "figures/softmax-pie-it/", "notebooks/a/"}
PRINTED = {"", "steps/softmax/"}
PIE = "../../figures/softmax-pie-it/softmax-pie-it"
SCENE = "../../figures/softmax-scene/softmax-scene"
FIGURE = (
    '<figure class="sav-figure" id="fig-softmax-pie-it">'
    '<a class="sav-figure__link" href="../../figures/softmax-pie-it/">'
    f'<img src="{PIE}.light.svg#only-light" alt="pie" loading="lazy" decoding="async">'
    f'<img src="{PIE}.dark.svg#only-dark" alt="pie" loading="lazy" decoding="async">'
    "</a></figure>"
)
VIDEO = (
    '<figure class="sav-figure sav-figure--manim"><video class="sav-video" controls preload="none" '
    f'poster="{SCENE}.poster.png"><source src="{SCENE}.mp4" type="video/mp4">'
    f'<track kind="captions" src="{SCENE}.captions.vtt"></video>'
    f'<img class="sav-video__still" src="{SCENE}.poster.png" alt="scene" loading="lazy">'
    "</figure>"
)


def prepare(html: str, page: str = "steps/softmax/") -> str:
    return print_page.prepare(html, page, PAGES, PRINTED, "print_page/")


def test_only_the_light_image_is_printed_without_its_palette_mark():
    out = prepare(FIGURE)
    assert "dark.svg" not in out
    assert 'src="../../figures/softmax-pie-it/softmax-pie-it.light.svg"' in out
    assert "only-light" not in out and 'loading="lazy"' not in out


def test_a_narrow_variant_stays_for_a_phone_with_its_url_made_relative_to_the_print_page():
    pic = ('<picture><source media="screen and (max-width: 500px)" srcset="../../figures/x/x.light.narrow.svg" '
           'width="4" height="3"><img src="../../figures/x/x.light.svg#only-light" alt="a"></picture>')
    out = prepare(pic)
    assert 'srcset="../figures/x/x.light.narrow.svg"' in out  # from print_page/, not from steps/softmax/
    assert 'media="screen and (max-width: 500px)"' in out  # paper gets the wide figure
    assert 'src="../../figures/x/x.light.svg"' in out


def test_a_video_becomes_its_still():
    out = prepare(VIDEO)
    assert "<video" not in out and "<source" not in out and "<track" not in out
    assert '<img class="sav-video__still" src="../../figures/softmax-scene/softmax-scene.poster.png"' in out


def test_links_to_pages_that_are_not_printed_leave_the_print_page():
    out = prepare(FIGURE)
    assert 'data-print-href="figures/softmax-pie-it/"' in out and 'href="../../figures/softmax-pie-it/"' not in out
    done = print_page.finish(out, "print_page/")
    assert 'href="../figures/softmax-pie-it/"' in done and "data-print-href" not in done
    fragment = print_page.finish(prepare('<a href="../../figures/#numbers">gallery</a>'), "print_page/")
    assert fragment == '<a href="../figures/#numbers">gallery</a>'


def test_links_to_printed_pages_are_left_to_the_plugin_and_the_home_page_is_named():
    assert (
        prepare('<p><a href="../../steps/softmax/#keep">x</a></p>')
        == '<p><a href="../../steps/softmax/#keep">x</a></p>'
    )
    assert prepare('<a href="../../">home</a>') == '<a href="../../index.html">home</a>'
    assert prepare('<a href="./#top">home</a>', page="") == '<a href="index.html#top">home</a>'
    assert prepare('<a href="https://arxiv.org/abs/1706.03762">paper</a>') == (
        '<a href="https://arxiv.org/abs/1706.03762">paper</a>'
    )
    assert prepare('<a href="../../figures/softmax-scene/softmax-scene.mp4" download>mp4</a>') == (
        '<a href="../../figures/softmax-scene/softmax-scene.mp4" download>mp4</a>'
    )  # a file: the plugin moves it


def test_urls_the_plugin_does_not_move_are_made_relative_to_the_print_page():
    out = print_page.prepare(
        '<link rel="stylesheet" href="../../assets/notebooks/notebook.css">',
        "notebooks/a/",
        PAGES,
        PRINTED,
        "print_page/",
    )
    assert out == '<link rel="stylesheet" href="../assets/notebooks/notebook.css">'


def test_the_absolute_base_the_plugin_gives_becomes_relative_like_every_other_pages():
    config = '<script id="__config" type="application/json">{"annotate": null, "base": "/1.0", "features": []}</script>'
    out = print_page.finish(f"<head>{config}</head>", "print_page/")
    assert '"base": "..",' in out and '"/1.0"' not in out
    relative = config.replace('"/1.0"', '".."')
    assert print_page.finish(relative, "print_page/") == relative


def test_a_section_with_no_printed_page_lists_its_pages_online():
    section = (
        "<section class='print-page md-section' id='section-12' heading-number='12'>\n"
        "  <h1>Notebooks<a class='headerlink' href='#section-12' title='Permanent link'></a>\n  </h1>\n"
        "</section>"
    )
    online = {"Notebooks": [("Heads and masks", "https://example.org/notebooks/heads-and-masks/")]}
    out = print_page.finish(section, "print_page/", online)
    assert '<a href="https://example.org/notebooks/heads-and-masks/">Heads and masks</a>' in out
    assert out.endswith("</section>")
    assert print_page.finish(section, "print_page/", {}) == section


# --------------------------------------------------------------------------- the built print page


@pytest.fixture(scope="module")
def printed(built_site: Path) -> str:
    path = built_site / PRINT
    assert path.is_file(), f"no {PRINT} in the built site"
    return path.read_text(encoding="utf-8")


def _content(html: str) -> str:
    """The joined pages (the plugin's #print-site-page), without the theme's header, nav and footer."""
    start = html.index('<div id="print-site-page"')
    return html[start : html.index("</article>", start)]


@pytest.mark.slow
def test_every_chapter_of_the_nav_is_printed_and_the_excluded_pages_are_not(printed):
    config = _config()
    patterns = _print_config(config)["exclude"]
    content = _content(printed)
    headings = [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r"<h1\b[^>]*>(.*?)</h1>", content, re.S)]
    sections = {s for _, _, s in _nav_pages(config["nav"]) if s}
    assert sections <= set(headings), f"nav sections missing from the print page: {sections - set(headings)}"
    for title, path, _ in _nav_pages(config["nav"]):
        section = f'<section class="print-page" id="{_page_key(path)}"'
        if _excluded(path, patterns):
            assert section not in content, f"{path} is excluded from print but printed"
        else:
            assert section in content, f"{path} ({title}) is not on the print page"
    assert headings[:2] == [config["site_name"], "Contents"], "the cover, then the table of contents, then the pages"
    assert 'id="print-site-cover-page"' in printed


@pytest.mark.slow
def test_excluded_notebooks_are_listed_with_their_addresses(printed):
    content = _content(printed)
    assert 'class="sav-print-online"' in content
    for title, path, _ in _nav_pages(_config()["nav"]):
        if path.startswith("notebooks/"):
            slug = Path(path).stem
            assert re.search(rf'<a href="[^"]*notebooks/{slug}/">{re.escape(title)}</a>', content), title


@pytest.mark.slow
def test_math_is_rendered_by_the_sites_own_katex(printed, built_site):
    assert 'class="arithmatex"' in printed
    for asset in (
        "assets/katex/katex.min.css",
        "assets/katex/katex.min.js",
        "assets/katex/auto-render.min.js",
        "assets/javascripts/katex-init.js",
    ):
        assert f'"../{asset}"' in printed, f"the print page does not load {asset}"
        assert (built_site / asset).is_file()


@pytest.mark.slow
def test_nothing_is_loaded_from_another_host(printed):
    loaded = re.findall(r'\b(?:src|poster|srcset)="([^"]*)"', printed)
    loaded += [
        m.group(1)
        for m in re.finditer(r'<link\b[^>]*\bhref="([^"]*)"', printed)
        if 'rel="canonical"' not in m.group(0) and 'rel="alternate"' not in m.group(0)
    ]
    remote = [u for u in loaded if re.match(r"(?:https?:)?//", u)]
    assert not remote, f"the print page loads from other hosts: {remote[:5]}"
    # The only absolute links are plain <a> links, which load nothing.
    for m in re.finditer(r'<(\w+)\b[^>]*\bhref="(?:https?:)?//', printed):
        assert m.group(1).lower() in ("a", "link"), m.group(0)


@pytest.mark.slow
def test_figures_print_in_their_light_variant_only(printed, built_site):
    content = _content(printed)
    assert "#only-dark" not in content and ".dark.svg" not in content and ".dark.png" not in content
    assert content.count(".light.svg") >= 10
    css = (built_site / "assets" / "print.css").read_text(encoding="utf-8")
    assert re.search(r'img\[src\$="#only-dark"\]\s*\{\s*display:\s*none', css), "print.css hides dark images on paper"


@pytest.mark.slow
def test_videos_are_printed_as_their_stills(printed, built_site):
    content = _content(printed)
    # A <picture>'s <source> is a figure's narrow variant (for screens; paper takes the wide <img>), not a video's.
    outside_pictures = re.sub(r"<picture>.*?</picture>", "", content, flags=re.S)
    assert "<video" not in content and "<source" not in outside_pictures and "<track" not in content
    posters = set()
    for page in built_site.rglob("index.html"):
        rel = page.relative_to(built_site).as_posix()
        if rel.startswith(("figures/", "print_page/", "notebooks/", "changelog/", "teachers/")):
            continue
        posters |= {Path(p).name for p in re.findall(r'<video\b[^>]*\bposter="([^"]+)"', page.read_text("utf-8"))}
    assert posters, "no page of the explainer shows a video: is the fixture reading the right site?"
    stills = {Path(s).name for s in re.findall(r'<img class="sav-video__still" src="([^"]+)"', content)}
    assert posters <= stills, f"videos without their still on the print page: {posters - stills}"
    css = (built_site / "assets" / "print.css").read_text(encoding="utf-8")
    assert re.search(r"#print-site-page \.sav-figure \.sav-video__still\s*\{\s*display:\s*block", css)


@pytest.mark.slow
def test_paper_rules_each_chapter_on_a_new_sheet_and_no_figure_split(built_site):
    css = (built_site / "assets" / "print.css").read_text(encoding="utf-8")
    media = css[css.index("@media print") :]
    assert re.search(r"section\.print-page\s*\{[^}]*break-before:\s*page", media)
    assert re.search(r"\.sav-figure[^{]*\{[^}]*break-inside:\s*avoid", media)
    assert "counter-reset: figurecounter" in css
