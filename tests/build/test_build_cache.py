"""The figure build's cache: what a change of each input re-renders, and what it leaves alone.

Every test builds throwaway figures (tests/throwaway_figures.py) into its own
empty cache, so the real figures and the repository's .cache are never touched.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest
from throwaway_figures import (  # noqa: E402
    PYTHON,
    ROOT,
    assert_intact,
    cache_state,
    examples_copy,
    key_dirs,
    statuses,
)

from figures_src import build as figure_build  # noqa: E402
from figures_src.build import keys, run  # noqa: E402
from figures_src.core.files import UNUSED_FOR  # noqa: E402

NEW_SENTENCE = """
[sentences.throwaway_extra]
text = "The cat sat"
language = "walkthrough"
focus = "cat"
"""


def run_build(cache: Path, **kw):
    return figure_build.build(cache=cache, progress=False, jobs=2, **kw)


@pytest.fixture
def two(figures):
    figures.add("fig-a", value=1)
    figures.add("fig-b", value=2)
    return figures


def test_unchanged_inputs_render_nothing_and_rewrite_no_file(two, tmp_path):
    cache = tmp_path / "cache"
    first = run_build(cache)
    assert set(statuses(first).values()) == {"rendered"}
    before = cache_state(cache)
    assert before, "the first build published nothing"

    second = run_build(cache)

    assert statuses(second) == {k: "cached" for k in statuses(first)}
    assert cache_state(cache) == before  # same inodes, mtimes and bytes: not one file rewritten
    assert [r.files for r in second.results] == [r.files for r in first.results]


def test_every_render_is_published_with_its_data_and_a_manifest(two, tmp_path):
    report = run_build(tmp_path / "cache")
    assert sorted(statuses(report)) == [("fig-a", "dark"), ("fig-a", "light"), ("fig-b", "dark"), ("fig-b", "light")]
    for r in report.results:
        assert_intact(r)
        names = sorted(Path(f).name for f in r.files)
        assert names == sorted([f"{r.id}.json", f"{r.id}.{r.theme}.png", f"{r.id}.{r.theme}.svg"])
        assert json.loads(Path(r.dir, f"{r.id}.json").read_text())["value"] == report.figures[r.id]["data"]["value"]


def test_examples_change_that_changes_data_renders_again(two, tmp_path):
    cache = tmp_path / "cache"
    run_build(cache)
    changed = examples_copy(two, NEW_SENTENCE)

    report = run_build(cache, examples=changed)

    assert set(statuses(report).values()) == {"rendered"}
    assert "throwaway_extra" in report.figures["fig-a"]["data"]["sentences"]


def test_examples_change_that_keeps_the_data_renders_nothing(two, tmp_path):
    cache = tmp_path / "cache"
    run_build(cache)
    before = cache_state(cache)
    commented = examples_copy(two, "\n# a comment changes the file, not the data\n")

    report = run_build(cache, examples=commented)

    assert set(statuses(report).values()) == {"cached"}
    assert cache_state(cache) == before


def _age(dirs: list[Path], seconds: float) -> None:
    then = time.time() - seconds
    for d in dirs:
        os.utime(d, (then, then))


def test_renders_of_other_inputs_are_pruned_only_an_hour_after_their_last_use(two, tmp_path):
    # Two builds with different examples share a cache (a page being edited, a teacher's sentence):
    # each keeps the other's renders while they are in use, and drops them once they are not.
    cache = tmp_path / "cache"
    changed = examples_copy(two, NEW_SENTENCE)
    run_build(cache)
    original = key_dirs(cache, "fig-a")
    _age(original, 2 * UNUSED_FOR)
    run_build(cache)  # cached: this use makes them recent again

    run_build(cache, examples=changed)
    assert set(original) <= set(key_dirs(cache, "fig-a")), "a render in use was pruned"

    _age(original, 2 * UNUSED_FOR)
    run_build(cache, examples=changed)
    assert not set(original) & set(key_dirs(cache, "fig-a")), "a render unused for two hours was kept"


def test_data_keeps_the_order_the_figure_gave_it(figures, tmp_path):
    # Tables on a figure's page follow data()'s order; only the cache key sorts it.
    figures.add("fig-ordered", data="unsorted")
    cache = tmp_path / "cache"
    for _ in range(2):  # computed, then read back from the memo
        report = run_build(cache)
        assert list(report.figures["fig-ordered"]["data"]) == ["zeta", "alpha", "value", "mid"]


def test_a_module_source_change_renders_only_that_figure(two, tmp_path):
    cache = tmp_path / "cache"
    run_build(cache)
    b_before = {k: v for k, v in cache_state(cache).items() if "/fig-b/" in k}
    with open(two.module("fig-a"), "a") as f:
        f.write("# an edit that changes no pixel still changes the source\n")

    report = run_build(cache)

    assert statuses(report) == {("fig-a", "dark"): "rendered", ("fig-a", "light"): "rendered",
                                ("fig-b", "dark"): "cached", ("fig-b", "light"): "cached"}
    assert {k: v for k, v in cache_state(cache).items() if "/fig-b/" in k} == b_before


def test_a_module_edit_is_seen_by_a_long_lived_process(two, tmp_path):
    """The same process builds, the figure's data() changes on disk, it builds again: new numbers, not stale ones."""
    cache = tmp_path / "cache"
    assert run_build(cache).figures["fig-a"]["data"]["value"] == 1
    path = two.module("fig-a")
    path.write_text(path.read_text().replace("VALUE = 1\n", "VALUE = 41\n"))

    report = run_build(cache)

    assert report.figures["fig-a"]["data"]["value"] == 41
    assert "value 41" in Path(report.results[0].dir, "fig-a.dark.svg").read_text()
    fresh = subprocess.run([PYTHON, "-m", "figures_src", "build", "--quiet", "--report", str(tmp_path / "r.json")],
                           cwd=ROOT, env=two.env(FIGURES_CACHE=str(cache)), capture_output=True, text=True)
    assert fresh.returncode == 0, fresh.stderr
    assert figure_build.read_report(tmp_path / "r.json").figures["fig-a"]["data"]["value"] == 41


def test_a_shared_helper_change_renders_every_figure_with_new_data(figures, tmp_path):
    """A helper module of the figure package (_helpers.py) is part of every key and of every data memo."""
    (figures.dir / "_helpers.py").write_text("SCALE = 2\n")
    figures.add("fig-a", data="helper", value=1)
    figures.add("fig-b", data="helper", value=5)
    cache = tmp_path / "cache"
    assert run_build(cache).figures["fig-b"]["data"]["value"] == 10
    time.sleep(0.01)
    (figures.dir / "_helpers.py").write_text("SCALE = 3\n")

    report = run_build(cache)

    assert set(statuses(report).values()) == {"rendered"}
    assert report.figures["fig-b"]["data"]["value"] == 15  # not the memo of the old helper


def test_theme_and_quality_each_have_their_own_key(two, tmp_path):
    cache = tmp_path / "cache"
    draft = run_build(cache, quality="draft")
    publish = run_build(cache, quality="publish")

    dirs = {(r.id, r.theme, q): Path(r.dir) for q, rep in (("draft", draft), ("publish", publish)) for r in rep.results}
    assert len(set(dirs.values())) == len(dirs) == 8  # 2 figures x 2 themes x 2 qualities
    assert len({Path(d).name.rsplit("-", 1)[1] for d in dirs.values()}) == 8  # the keys differ, not only the names
    assert set(statuses(publish).values()) == {"rendered"}
    # each quality keeps its renders: building draft again renders nothing and publish's files are still there
    again = run_build(cache, quality="draft")
    assert set(statuses(again).values()) == {"cached"}
    assert all(Path(f).exists() for r in publish.results for f in r.files)


@pytest.mark.parametrize("damage", ["delete", "corrupt", "truncate-manifest"])
def test_a_damaged_cached_render_is_noticed_and_rendered_again(two, tmp_path, damage):
    cache = tmp_path / "cache"
    first = run_build(cache)
    hit = next(r for r in first.results if (r.id, r.theme) == ("fig-a", "light"))
    svg = Path(hit.dir) / "fig-a.light.svg"
    if damage == "delete":
        svg.unlink()
    elif damage == "corrupt":
        svg.write_text(svg.read_text().replace("value 1", "value 7"))
    else:
        (Path(hit.dir) / "manifest.json").write_text('{"files": ')

    report = run_build(cache)

    assert statuses(report)[("fig-a", "light")] == "rendered"
    assert [s for k, s in statuses(report).items() if k != ("fig-a", "light")] == ["cached"] * 3
    redone = next(r for r in report.results if (r.id, r.theme) == ("fig-a", "light"))
    assert redone.dir == hit.dir  # same inputs, same key: the damaged render was replaced in place
    assert_intact(redone)
    assert "value 1" in svg.read_text()


def test_a_failing_render_is_reported_by_id_and_the_others_are_intact(figures, tmp_path):
    figures.add("fig-a")
    figures.add("fig-bad", render="raise")
    figures.add("fig-c")

    report = run_build(tmp_path / "cache")

    assert not report.ok
    assert {(r.id, r.theme) for r in report.failed} == {("fig-bad", "light"), ("fig-bad", "dark")}
    assert all("boom while drawing fig-bad" in r.error and "ValueError" in r.error for r in report.failed)
    assert any(line.startswith("fig-bad (") and "boom" in line for line in report.errors())
    for r in report.results:
        if r.id != "fig-bad":
            assert r.status == "rendered"
            assert_intact(r)
    assert key_dirs(tmp_path / "cache", "fig-bad") == []
    with pytest.raises(figure_build.BuildFailed, match="fig-bad"):
        run_build(tmp_path / "cache", check=True)


def test_a_failing_data_is_reported_by_id(figures, tmp_path):
    figures.add("fig-a")
    figures.add("fig-nodata", data="raise")

    report = run_build(tmp_path / "cache")

    assert {r.id for r in report.failed} == {"fig-nodata"}
    assert all("no data for fig-nodata" in r.error for r in report.failed)
    assert all(r.status == "rendered" for r in report.results if r.id == "fig-a")


def test_a_crashing_worker_fails_only_its_own_figure(figures, tmp_path):
    """A render that kills its process breaks the pool; the renders it took down are retried, alone."""
    for name in ("fig-a", "fig-b", "fig-c"):
        figures.add(name)
    figures.add("fig-crash", render="crash")

    report = run_build(tmp_path / "cache")

    assert {r.id for r in report.failed} == {"fig-crash"}
    assert all("died" in r.error for r in report.failed)
    for r in report.results:
        if r.id != "fig-crash":
            assert r.status == "rendered", r
            assert_intact(r)


def test_cli_exit_code_and_stderr_name_the_failing_figure(figures, tmp_path):
    figures.add("fig-a")
    figures.add("fig-bad", render="raise")

    proc = subprocess.run([PYTHON, "-m", "figures_src", "build", "--quiet"], cwd=ROOT,
                          env=figures.env(FIGURES_CACHE=str(tmp_path / "cache")), capture_output=True, text=True)

    assert proc.returncode == 1
    assert "FAILED fig-bad (dark): ValueError: boom while drawing fig-bad in dark" in proc.stderr
    assert "fig-a" not in proc.stderr.replace("fig-bad", "")  # nothing is said against the good figure
    assert len(key_dirs(tmp_path / "cache", "fig-a")) == 2


def test_a_module_that_cannot_be_imported_is_reported_by_module_name(figures, tmp_path):
    figures.add("fig-a")
    figures.add("fig-broken", source='"""Caption."""\nID = "fig-broken"\nKIND = "matplotlib"\ndef data(:\n')

    report = run_build(tmp_path / "cache")
    proc = subprocess.run([PYTHON, "-m", "figures_src", "build", "--quiet"], cwd=ROOT,
                          env=figures.env(FIGURES_CACHE=str(tmp_path / "cache")), capture_output=True, text=True)

    assert not report.ok
    assert len(report.module_errors) == 1
    assert report.module_errors[0].startswith(f"{figures.name}.fig_broken: cannot import: SyntaxError")
    assert all(r.status == "rendered" for r in report.results)  # fig-a is built all the same
    assert proc.returncode == 1 and f"{figures.name}.fig_broken" in proc.stderr


@pytest.mark.parametrize("bad_id", ["Bad_Id", "two  words", "", "-lead", 7])
def test_a_module_with_a_bad_id_is_reported(figures, tmp_path, bad_id):
    figures.add("fig-a")
    source = figures.module("fig-a").read_text().replace(f"ID = {'fig-a'!r}", f"ID = {bad_id!r}")
    figures.add("fig-badid", source=source)

    report = run_build(tmp_path / "cache")

    assert report.module_errors == [f"{figures.name}.fig_badid: ID must be a kebab-case string; got {bad_id!r}"]
    assert not report.ok


def test_two_modules_with_one_id_are_reported(figures, tmp_path, monkeypatch):
    # A module's file is named after its id, so two modules with one id live in two packages.
    figures.add("fig-a")
    more = figures.base / f"{figures.name}_more"
    more.mkdir()
    (more / "__init__.py").write_text("")
    (more / "fig_a.py").write_text(figures.module("fig-a").read_text())
    monkeypatch.setenv("FIGURES_PACKAGES", f"{figures.name},{figures.name}_more")

    report = run_build(tmp_path / "cache")

    assert report.module_errors == [f"fig-a: declared twice, by {figures.name}.fig_a and {figures.name}_more.fig_a"]


def test_an_unknown_package_is_reported_not_a_traceback(figures, tmp_path, monkeypatch):
    monkeypatch.setenv("FIGURES_PACKAGES", "no_such_figure_package_xyz")
    report = run_build(tmp_path / "cache")
    proc = subprocess.run([PYTHON, "-m", "figures_src", "build", "--quiet"], cwd=ROOT,
                          env={**figures.env(), "FIGURES_PACKAGES": "no_such_figure_package_xyz",
                               "FIGURES_CACHE": str(tmp_path / "cache")}, capture_output=True, text=True)

    assert not report.ok and "no_such_figure_package_xyz" in report.module_errors[0]
    assert proc.returncode != 0 and "no_such_figure_package_xyz" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_a_figure_outside_the_repository_gets_its_source_path(two, tmp_path):
    report = run_build(tmp_path / "cache")
    assert report.ok, report.errors()
    assert report.figures["fig-a"]["source"] == str(two.module("fig-a"))


def test_concurrent_builds_into_one_cache_both_succeed(figures, tmp_path):
    for i in range(4):
        figures.add(f"fig-{i}", value=i)
    cache = tmp_path / "cache"
    env = figures.env(FIGURES_CACHE=str(cache))
    procs = [subprocess.Popen([PYTHON, "-m", "figures_src", "build", "--quiet", "--jobs", "2",
                               "--report", str(tmp_path / f"report-{n}.json")],
                              cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for n in range(2)]
    outs = [p.communicate(timeout=120) for p in procs]

    assert [p.returncode for p in procs] == [0, 0], outs
    reports = [figure_build.read_report(tmp_path / f"report-{n}.json") for n in range(2)]
    for report in reports:
        assert report.ok
        assert len(report.results) == 8
        for r in report.results:
            assert_intact(r)  # whichever build published a key, the other one's report points at valid files
    assert [r.dir for r in reports[0].results] == [r.dir for r in reports[1].results]
    for i in range(4):
        assert len(key_dirs(cache, f"fig-{i}")) == 2
        assert not [p for p in (cache / "render" / f"fig-{i}").iterdir() if p.name.startswith(".")]
    assert set(statuses(run_build(cache)).values()) == {"cached"}


def test_a_real_matplotlib_figure_builds_and_is_cached(figures, tmp_path):
    figures.add("fig-mpl", render="matplotlib", value=3)
    cache = tmp_path / "cache"
    first = run_build(cache)
    assert first.ok, first.errors()
    names = sorted(Path(f).name for r in first.results for f in r.files)
    assert names == sorted([f"fig-mpl.{t}.{e}" for t in ("light", "dark") for e in ("svg", "png", "pdf")]
                           + ["fig-mpl.json"] * 2)
    assert set(statuses(run_build(cache)).values()) == {"cached"}


def freeze_sources(monkeypatch, tmp_path) -> None:
    """Fingerprint copies of attention_ref/ and figures_src/: the repository's may be edited while the tests run."""
    import shutil

    import attention_ref

    for name in ("attention_ref", "figures_src"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(attention_ref, "__file__", str(tmp_path / "attention_ref" / "__init__.py"))
    monkeypatch.setattr(keys, "PACKAGE", tmp_path / "figures_src")


def test_up_to_date_follows_every_input(two, tmp_path, monkeypatch):
    """The hook's fast path: the last full build's report while nothing changed, None after any change."""
    cache = tmp_path / "cache"
    monkeypatch.setattr(run, "FIGURE_CACHE", cache)
    freeze_sources(monkeypatch, tmp_path)
    assert figure_build.up_to_date("draft") is None  # no build yet
    run_build(cache)
    assert figure_build.up_to_date("draft") is not None
    assert figure_build.up_to_date("publish") is None

    changed = examples_copy(two, "\n# comment\n")
    assert figure_build.up_to_date("draft", examples=changed) is None
    monkeypatch.setenv("ATTENTION_EXAMPLES", str(changed))
    assert figure_build.up_to_date("draft") is None
    monkeypatch.setenv("ATTENTION_EXAMPLES", str(two.examples))

    svg = Path(run_build(cache).results[0].files[-1])
    svg.write_bytes(svg.read_bytes() + b" ")
    assert figure_build.up_to_date("draft") is None
    run_build(cache)
    assert figure_build.up_to_date("draft") is not None

    with open(two.module("fig-b"), "a") as f:
        f.write("# changed\n")
    assert figure_build.up_to_date("draft") is None
    run_build(cache)
    assert figure_build.up_to_date("draft") is not None

    (two.dir / "_new_helper.py").write_text("X = 1\n")
    assert figure_build.up_to_date("draft") is None


@pytest.mark.parametrize("where", ["attention_ref/softmax.py", "figures_src/common.py",
                                   "figures_src/scenes/new_scene.py", "figures_src/style.py"])
def test_fingerprint_changes_with_any_source_of_the_math_or_the_figures(monkeypatch, tmp_path, where):
    """Checked on copies of attention_ref/ and figures_src/, so the repository is never edited."""
    freeze_sources(monkeypatch, tmp_path)
    monkeypatch.setenv("FIGURES_PACKAGES", "figures_src.figures")  # its files are covered as part of _PACKAGE
    before = keys.fingerprint("draft")
    assert keys.fingerprint("draft") == before  # stable
    path = tmp_path / where
    with open(path, "a") as f:
        f.write("\n# edited\n")

    assert keys.fingerprint("draft") != before
