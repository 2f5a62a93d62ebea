"""The teacher pack unpacks to the files its README lists, and the "For teachers" page lists everything.

The site's own figures come from one build per session into the repository's
figure cache (the cache `make serve`, `mkdocs build` and the built-site tests
use), so with a warm cache nothing renders; the error cases and the CLI use
throwaway figures (tests/throwaway_figures.py) in a cache of their own.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from prose_numbers import hand_typed  # noqa: E402
from real_figures import real_figures, render_real  # noqa: E402
from throwaway_figures import ROOT  # noqa: E402

from attention_ref import load_examples  # noqa: E402
from attention_ref.examples import DEFAULT_PATH  # noqa: E402
from figures_src import build as figure_build  # noqa: E402
from figures_src.core.identity import BuildInfo  # noqa: E402
from figures_src.core.paths import FIGURE_CACHE  # noqa: E402
from figures_src.kit.jsonable import lookup, to_jsonable  # noqa: E402
from figures_src.site import embed  # noqa: E402
from figures_src.teacher import pack, tables  # noqa: E402
from figures_src.teacher import page as teacher_page  # noqa: E402

DOCS = ROOT / "docs"
INFO = BuildInfo(version="v-test", commit="0123456789ab", date="2026-01-02", site_url="https://courses.cs.state-university.edu/sav/")
HOOK = ROOT / "figures_src" / "hooks" / "figures.py"


# --------------------------------------------------------------------------- the site's pack


@pytest.fixture(scope="session")
def site_report() -> figure_build.Report:
    """Every figure of the site, built (or found) in the repository's figure cache, draft quality."""
    report = render_real(list(real_figures()), FIGURE_CACHE)
    assert report.ok, report.errors()
    return report


@pytest.fixture(scope="session")
def site_pack(site_report, tmp_path_factory) -> Path:
    return pack.write_pack(site_report, INFO, tmp_path_factory.mktemp("pack") / "teacher-pack.zip")


@pytest.fixture(scope="session")
def unpacked(site_pack, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("unpacked")
    with zipfile.ZipFile(site_pack) as z:
        z.extractall(out)
    return out


def files_under(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_the_pack_unpacks_to_exactly_the_files_its_readme_lists(unpacked):
    listed = pack.parse_manifest((unpacked / "README.txt").read_text(encoding="utf-8"))

    assert files_under(unpacked) == set(listed)
    for name, entry in listed.items():
        if entry is None:  # README.txt: it cannot hold its own hash
            assert name == "README.txt"
            continue
        size, sha = entry
        blob = (unpacked / name).read_bytes()
        assert (len(blob), hashlib.sha256(blob).hexdigest()) == (size, sha), name


def test_every_figure_and_scene_has_its_files(site_report, unpacked):
    for fid, fig in real_figures().items():
        d = unpacked / "figures" / fid
        if fig.kind == "matplotlib":
            wanted = [f"{fid}.{theme}.{ext}" for theme in ("light", "dark") for ext in ("svg", "pdf", "png")]
        else:
            wanted = [f"{fid}.mp4", f"{fid}.captions.vtt", f"{fid}.poster.png"]
        for name in wanted:
            assert (d / name).is_file() and (d / name).stat().st_size > 0, f"{fid}: {name} missing from the pack"
        assert (unpacked / "data" / f"{fid}.csv").is_file(), fid
    # and every file the build rendered is there, byte for byte (except its bookkeeping JSON)
    for r in site_report.results:
        for f in map(Path, r.files):
            if f.suffix != ".json":
                assert (unpacked / "figures" / r.id / f.name).read_bytes() == f.read_bytes(), f.name
    for fid in real_figures():
        if real_figures()[fid].kind == "manim":
            vtt = (unpacked / "figures" / fid / f"{fid}.captions.vtt").read_text(encoding="utf-8")
            assert vtt.startswith("WEBVTT") and "-->" in vtt, fid


def test_each_csv_holds_every_number_of_that_figures_data(unpacked):
    ex = load_examples(DEFAULT_PATH)
    for fid, fig in real_figures().items():
        data = to_jsonable(fig.data(ex))
        rows = list(csv.reader(io.StringIO((unpacked / "data" / f"{fid}.csv").read_text(encoding="utf-8"))))
        assert rows[0] == ["key", "value"], fid
        leaves = tables.flatten(data)
        assert [k for k, _ in rows[1:]] == [k for k, _ in leaves], fid
        for (key, text), (_, value) in zip(rows[1:], leaves, strict=True):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                assert text == tables.cell(value), (fid, key)
            else:
                assert float(text) == value, (fid, key)
            assert lookup(data, key) == value, (fid, key)
        for key, matrix in tables.matrices(data):
            grid = list(csv.reader(io.StringIO((unpacked / "data" / fid / f"{key}.csv").read_text(encoding="utf-8"))))
            assert grid == [[tables.cell(x) for x in row] for row in lookup(data, key)], (fid, key)
            assert matrix == lookup(data, key)


def test_a_matrix_is_also_a_grid_and_nested_data_gives_one_row_per_number():
    data = {"w": [[1.5, 2.0], [3.0, 4.25]], "heads": {"a": {"weights": [[1, 0], [0, 1]]}}, "tokens": ["a", "b"],
            "empty": [], "flag": True, "none": None, "ragged": [[1], [1, 2]]}
    assert tables.flatten(data)[:4] == [("w.0.0", 1.5), ("w.0.1", 2.0), ("w.1.0", 3.0), ("w.1.1", 4.25)]
    assert ("empty", []) in tables.flatten(data) and ("none", None) in tables.flatten(data)
    assert [k for k, _ in tables.matrices(data)] == ["w", "heads.a.weights"]
    assert tables.matrix_csv(data["w"]) == "1.5,2.0\n3.0,4.25\n"
    text = tables.data_csv(data)
    assert "w.1.1,4.25\n" in text and "empty,[]\n" in text and "none,\n" in text and "flag,True\n" in text


def test_two_packs_of_the_same_build_are_byte_identical(site_report, site_pack, tmp_path):
    again = pack.write_pack(site_report, INFO, tmp_path / "again.zip")

    assert again.read_bytes() == site_pack.read_bytes()
    with zipfile.ZipFile(again) as z:
        names = [i.filename for i in z.infolist()]
        assert names == sorted(names)
        assert {i.date_time for i in z.infolist()} == {pack.ZIP_DATE}


def test_the_licence_the_citations_and_the_lecture_lines_are_inside(unpacked):
    assert (unpacked / "LICENSE-CONTENT.md").read_bytes() == (ROOT / "LICENSE-CONTENT.md").read_bytes()
    cite = (unpacked / "HOW-TO-CITE.txt").read_text(encoding="utf-8")
    readme = " ".join((unpacked / "README.txt").read_text(encoding="utf-8").split())
    assert "version v-test" in cite and "CC BY 4.0" in cite and "CC BY 4.0" in readme
    for fid, fig in real_figures().items():
        assert f"{INFO.site_url}figures/{fid}/" in cite, fid
        assert f"In a lecture: {fig.lecture}" in readme, fid


def test_the_hook_cache_zips_once_per_content(site_report, tmp_path, monkeypatch):
    first = pack.cached_pack(site_report, INFO, tmp_path)
    inode = first.stat().st_ino

    def no_zip(*args):
        raise AssertionError("an unchanged build was zipped again")

    monkeypatch.setattr(pack, "_write_zip", no_zip)
    second = pack.cached_pack(site_report, INFO, tmp_path)

    assert second == first and second.stat().st_ino == inode
    assert [p.name for p in tmp_path.iterdir()] == [first.name]


# --------------------------------------------------------------------------- the lecture lines


def test_every_figure_says_what_it_is_good_for_in_a_lecture():
    for fid, fig in real_figures().items():
        text = fig.lecture
        assert text, f"{fid}: add LECTURE = '...' to {fig.module_name}"
        sentences = len(re.findall(r"[.?!][\"”)]?(?:\s|$)", text))
        assert 1 <= sentences <= 3 and len(text) <= 400, f"{fid}: LECTURE is one or two sentences: {text!r}"
        assert not hand_typed(text), f"{fid}: LECTURE types numbers by hand: {hand_typed(text)}"


def test_lecture_is_optional_for_a_figure_module(figures):
    from figures_src.build import registry

    figures.add("fig-plain")
    assert registry.discover()["fig-plain"].lecture == ""


# --------------------------------------------------------------------------- the CLI


def run_cli(figures, *args: str, cache: Path) -> subprocess.CompletedProcess:
    env = figures.env(FIGURES_CACHE=str(cache), SITE_VERSION="v-cli")
    return subprocess.run([sys.executable, "-m", "figures_src", "pack", "--quiet", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


def test_pack_command_writes_the_zip_and_again_the_same_bytes(figures, tmp_path):
    figures.add("fig-a", value=3)
    figures.add("fig-b", value=4)
    out = tmp_path / "out" / "pack.zip"

    proc = run_cli(figures, "--out", str(out), cache=tmp_path / "cache")

    assert proc.returncode == 0, proc.stderr
    assert f"wrote {out}" in proc.stderr and "building the figures" in proc.stderr
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        listed = pack.parse_manifest(z.read("README.txt").decode())
    assert names == set(listed)
    assert {"figures/fig-a/fig-a.light.svg", "figures/fig-b/fig-b.dark.png", "data/fig-a.csv",
            "LICENSE-CONTENT.md", "HOW-TO-CITE.txt"} <= names
    first = out.read_bytes()
    assert run_cli(figures, "--out", str(out), cache=tmp_path / "cache").returncode == 0
    assert out.read_bytes() == first


def test_a_failed_figure_stops_the_pack_naming_it_and_writes_nothing(figures, tmp_path):
    figures.add("fig-a")
    figures.add("fig-bad", render="raise")
    out = tmp_path / "pack.zip"

    proc = run_cli(figures, "--out", str(out), cache=tmp_path / "cache")

    assert proc.returncode == 1
    assert "no teacher pack was written" in proc.stderr and "fig-bad" in proc.stderr
    assert "boom while drawing fig-bad" in proc.stderr
    assert not out.exists() and not list(tmp_path.glob(".pack.zip.*"))


def test_the_pdf_of_the_print_page_goes_into_the_pack(figures, tmp_path):
    figures.add("fig-a")
    printed = tmp_path / "self-attention-visually-v-cli.pdf"
    printed.write_bytes(b"%PDF-1.4 stand-in for make pdf's file\n")
    out = tmp_path / "pack.zip"

    proc = run_cli(figures, "--out", str(out), "--pdf", str(printed), cache=tmp_path / "cache")

    assert proc.returncode == 0, proc.stderr
    with zipfile.ZipFile(out) as z:
        assert z.read(printed.name) == printed.read_bytes()
        readme = z.read("README.txt").decode()
    assert pack.parse_manifest(readme)[printed.name] == (printed.stat().st_size,
                                                         hashlib.sha256(printed.read_bytes()).hexdigest())
    inside = readme.split("WHAT IS INSIDE")[1].split("THE FIGURES")[0]
    assert printed.name in inside and "on paper" in inside


def test_a_missing_pdf_stops_the_pack_and_says_make_pdf(figures, tmp_path):
    figures.add("fig-a")
    out = tmp_path / "pack.zip"

    proc = run_cli(figures, "--out", str(out), "--pdf", str(tmp_path / "nothing.pdf"), cache=tmp_path / "cache")

    assert proc.returncode == 1
    assert "nothing.pdf: no such PDF (make it with `make pdf`)" in proc.stderr
    assert not out.exists()


def test_write_pack_refuses_a_failed_build(figures, tmp_path):
    figures.add("fig-bad", render="raise")
    report = figure_build.build(cache=tmp_path / "cache", progress=False)

    with pytest.raises(pack.PackError, match="fig-bad"):
        pack.write_pack(report, INFO, tmp_path / "pack.zip")
    assert not (tmp_path / "pack.zip").exists()


# --------------------------------------------------------------------------- the "For teachers" page


def doc_pages() -> list[teacher_page.DocPage]:
    pages = []
    for md in sorted(DOCS.rglob("*.md")):
        src = md.relative_to(DOCS).as_posix()
        if src.startswith("overrides/") or src == "teachers.md":
            continue
        text = md.read_text(encoding="utf-8")
        pages.append(teacher_page.DocPage(src, teacher_page.page_title(text, src), text))
    return pages


def try_it_sections_by_hand() -> list[tuple[str, int]]:
    """(page, number of exercises) for every "## Try it" heading of docs/, found without pack.py."""
    found = []
    for page in doc_pages():
        for section in re.split(r"^## ", page.markdown, flags=re.M)[1:]:
            if section.startswith("Try it"):
                found.append((page.src, len(re.findall(r"^\d+\. ", section, re.M))))
    return found


def test_the_teachers_page_lists_every_figure_and_every_try_it_section(site_report):
    pages = doc_pages()
    lectures = pack.lectures(site_report)
    table = teacher_page.figure_table(site_report.figures, lectures, pages, "teachers.md")
    exercises = teacher_page.exercise_list(pages, "teachers.md")

    rows = [line for line in table.splitlines()[2:] if line.startswith("| ")]
    assert len(rows) == len(real_figures())
    for fid, fig in real_figures().items():
        row = next(r for r in rows if f"(figures/{fid}/index.md)" in r)
        assert fig.lecture in row and f"`{fid}`" in row
    sections = try_it_sections_by_hand()
    assert len(sections) >= 10
    for src, count in sections:
        block = exercises.split(f"]({src}#try-it)**", 1)
        assert len(block) == 2, f"{src}: its Try it section is missing from the teachers page"
        listed = re.findall(r"^\d+\. ", block[1].split("\n\n**", 1)[0], re.M)
        assert len(listed) == count, src
    assert "??? note" not in exercises  # the answers stay on their pages


def test_the_teachers_page_is_in_the_nav_and_uses_the_page_macros():
    text = (DOCS / "teachers.md").read_text(encoding="utf-8")
    for name in embed.PAGE_MACROS:
        assert f"{{{{ {name}() }}}}" in text, name
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert nav.index("For teachers: teachers.md") < nav.index("Gallery of figures: figures/index.md")


def test_the_exercises_keep_their_first_paragraph_only():
    page = teacher_page.DocPage("x/p.md", "P", (
        "# P\n\n## Try it {#custom}\n\nnot this\n\n## Try it\n\n1. First line,\n   second line\n   [link](a.md).\n\n"
        "    ??? note \"Answer\"\n        secret\n\n2. Two?\n\n```\n## Try it\n```\n\n## Next\n\n3. not an exercise\n"))
    sections = teacher_page.try_it_sections(page)

    assert [s.anchor for s in sections] == ["custom", "try-it"]
    assert sections[1].questions == ("First line, second line link.", "Two?")
    listed = teacher_page.exercise_list([page], "teachers.md")
    assert "(x/p.md#try-it)" in listed and "secret" not in listed and "not an exercise" not in listed


# --------------------------------------------------------------------------- the site serves it


def test_the_hook_serves_the_pack_and_fills_the_teachers_page(figures, tmp_path):
    figures.add("fig-a", value=5)
    project = tmp_path / "project"
    (project / "docs").mkdir(parents=True)
    (project / "mkdocs.yml").write_text(
        "site_name: Pack test\nsite_url: https://example.org/pack-test/\nstrict: true\ntheme:\n  name: mkdocs\n"
        "markdown_extensions:\n  - attr_list\n  - md_in_html\n  - tables\n"
        f"hooks:\n  - {HOOK}\n"
        "nav:\n  - Home: index.md\n  - Teachers: teachers.md\n")
    (project / "docs" / "index.md").write_text(
        '# Home\n\n{{ figure("fig-a") }}\n\n## Try it\n\n1. What is {{ value("fig-a", "value", "int") }} plus one?\n')
    (project / "docs" / "teachers.md").write_text(
        "# Teachers\n\n{{ teacher_pack() }}\n\n{{ teacher_slides() }}\n\n{{ teacher_figures() }}\n\n"
        "{{ teacher_exercises() }}\n")
    env = figures.env(FIGURES_CACHE=str(tmp_path / "cache"), SITE_VERSION="v-hook")
    site = tmp_path / "site"

    def build():
        return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(site)], cwd=project,
                              env=env, capture_output=True, text=True, timeout=600)

    proc = build()
    assert proc.returncode == 0, proc.stderr
    name = "self-attention-visually-v-hook-teacher-pack.zip"
    with zipfile.ZipFile(site / "downloads" / name) as z:
        assert "figures/fig-a/fig-a.light.svg" in z.namelist()
    page = (site / "teachers" / "index.html").read_text(encoding="utf-8")
    assert f'href="../downloads/{name}"' in page
    assert 'href="../figures/fig-a/"' in page and "Caption of fig-a." in page
    assert 'href="../#try-it"' in page and "What is 5 plus one?" in page
    for suffix in (".pptx", ".pdf"):  # the slide deck, linked, served, and in the pack
        deck = f"self-attention-visually-v-hook-slides{suffix}"
        assert f'href="../downloads/{deck}"' in page
        assert (site / "downloads" / deck).stat().st_size > 0
        with zipfile.ZipFile(site / "downloads" / name) as z:
            assert z.read(f"slides/{deck}") == (site / "downloads" / deck).read_bytes()
    cached = list((tmp_path / "cache" / "pack").glob("*.zip"))
    assert len(cached) == 1
    inode = cached[0].stat().st_ino

    assert build().returncode == 0
    assert [p.stat().st_ino for p in (tmp_path / "cache" / "pack").glob("*.zip")] == [inode]  # not zipped again


@pytest.mark.slow
def test_the_built_site_links_the_pack_of_its_version(built_site):
    page = (built_site / "teachers" / "index.html").read_text(encoding="utf-8")
    link = re.search(r'href="\.\./(downloads/[^"]+\.zip)"', page)
    assert link, "the teachers page links no pack"
    with zipfile.ZipFile(built_site / link.group(1)) as z:
        listed = pack.parse_manifest(z.read("README.txt").decode())
        assert set(z.namelist()) == set(listed)
    for fid in real_figures():
        assert f'href="../figures/{fid}/"' in page, fid
    for src, _ in try_it_sections_by_hand():
        path = src.removesuffix(".md")
        url = "../" + ("" if path == "index" else path.removesuffix("/index") + "/")
        assert f'href="{url}#try-it"' in page, src
