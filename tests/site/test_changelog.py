"""The "Changelog and errata" page and the version tags scripts/deploy.sh makes.

`figures_src.site.changelog` is run against throwaway git repositories holding
only tests/snapshots/: two tagged versions whose snapshots differ, no tag at
all, a shallow clone, no git at all. The tag step of scripts/deploy.sh runs
in a throwaway repository with a stand-in for mike (MIKE=/bin/true, or
/bin/false for a deploy that fails), so nothing is built or deployed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from figures_src.site import changelog

ROOT = Path(__file__).resolve().parents[2]
SNAP = "tests/snapshots"

A_OLD = {"tokens": ["The", "cat"], "weights": [0.2, 0.8], "top_word": "cat", "sum": 1.0}
A_NEW = {"tokens": ["The", "cat"], "weights": [0.25, 0.75], "top_word": "dog", "sum": 1.0}
STEADY = {"scores": [0.1 + 0.2, 1.5], "label": "same"}
STEADY_NOISE = {"scores": [0.30000000000000004, 1.5], "label": "same"}  # last-bit noise is not a change


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc.stdout.strip()


def init(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "user.email", "test@example.invalid")
    git(repo, "config", "user.name", "test")
    git(repo, "config", "commit.gpgsign", "false")
    git(repo, "config", "tag.gpgsign", "false")
    return repo


def write_snapshots(repo: Path, figures: dict[str, dict]) -> None:
    folder = repo / SNAP
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for fig_id, data in figures.items():
        (folder / f"{fig_id}.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")


def commit(repo: Path, message: str, date: str) -> None:
    git(repo, "add", "-A")
    env = {**os.environ, "GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date}
    proc = subprocess.run(
        ["git", "commit", "-q", "--allow-empty", "-m", message], cwd=repo, env=env, capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="module")
def two_versions(tmp_path_factory) -> Path:
    """v1.0: figures a, b, steady. v1.1: a's numbers changed, b removed, c added, steady the same
    (but for float noise). Then one more commit that touches no snapshot."""
    repo = init(tmp_path_factory.mktemp("changelog") / "repo")
    write_snapshots(repo, {"a": A_OLD, "b": {"x": 1}, "steady": STEADY})
    commit(repo, "first", "2026-01-10T12:00:00")
    git(repo, "tag", "-a", "v1.0", "-m", "Version 1.0")
    write_snapshots(repo, {"a": A_NEW, "c": {"y": [1, 2]}, "steady": STEADY_NOISE})
    commit(repo, "second", "2026-02-10T12:00:00")
    git(repo, "tag", "-a", "v1.1", "-m", "Version 1.1")
    (repo / "README").write_text("prose only\n", encoding="utf-8")
    commit(repo, "third", "2026-03-10T12:00:00")
    return repo


def section(text: str, heading: str) -> str:
    """The part of the generated Markdown under `### heading...` up to the next heading."""
    start = text.index(f"### {heading}")
    end = text.find("\n### ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_versions_newest_first_with_the_working_commit_on_top(two_versions):
    hist = changelog.history(two_versions)
    assert [e.title for e in hist.entries] == ["Unreleased", "1.1", "1.0"]
    assert [e.base for e in hist.entries] == ["1.1", "1.0", None]
    assert hist.released and not hist.notes
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", hist.entries[1].date), "the tag's date"
    assert hist.entries[1].commit == git(two_versions, "rev-parse", "v1.1^{commit}")[:12]


def test_a_version_lists_the_changed_figure_its_keys_and_old_and_new_values(two_versions):
    v11 = changelog.history(two_versions).entries[1].changes
    assert list(v11.changed) == ["a"], "only figure a's numbers changed (steady differs by float noise only)"
    paths = {(d.path, d.old, d.new) for d in v11.changed["a"]}
    assert paths == {("weights[0]", 0.2, 0.25), ("weights[1]", 0.8, 0.75), ("top_word", "cat", "dog")}
    assert v11.added == ["c"] and v11.removed == ["b"]


def test_the_page_names_figures_keys_and_values_and_not_the_unchanged_ones(two_versions):
    hist = changelog.history(two_versions)
    text = changelog.markdown(hist, link=lambda fig_id: f"figures/{fig_id}/index.md" if fig_id != "b" else None)
    v11 = section(text, "1.1")
    assert "[`a`](figures/a/index.md)" in v11
    assert "`top_word`, `weights` changed" in v11
    assert "`weights[0]` 0.2 → 0.25" in v11 and '`top_word` "cat" → "dog"' in v11
    assert "New figure: [`c`](figures/c/index.md)" in v11
    assert "Removed figure: `b`" in v11
    assert "steady" not in v11 and "`tokens`" not in v11 and "`sum`" not in v11
    first = section(text, "1.0")
    assert "compared with nothing before it" in first and "New figures:" in first
    since = section(text, "Since 1.1")
    assert "No figure's numbers changed." in since
    assert text.index("### Since 1.1") < text.index("### 1.1") < text.index("### 1.0")
    assert "No version released yet" not in text


def test_uncommitted_snapshot_changes_show_as_unreleased(two_versions, tmp_path):
    working = tmp_path / "snapshots"
    shutil.copytree(two_versions / SNAP, working)
    data = json.loads((working / "a.json").read_text(encoding="utf-8"))
    data["weights"] = [0.3, 0.7]
    (working / "a.json").write_text(json.dumps(data), encoding="utf-8")
    hist = changelog.history(two_versions, working=working)
    top = hist.entries[0]
    assert top.title == "Unreleased" and top.base == "1.1"
    assert [d.path for d in top.changes.changed["a"]] == ["weights[0]", "weights[1]"]


def test_the_working_commit_that_is_the_latest_version_adds_no_entry(two_versions, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", str(two_versions), str(clone))
    git(clone, "checkout", "-q", "v1.1")
    hist = changelog.history(clone)
    assert [e.title for e in hist.entries] == ["1.1", "1.0"]


def test_no_tags_says_no_version_yet_and_lists_the_working_figures(tmp_path):
    repo = init(tmp_path / "repo")
    write_snapshots(repo, {"a": A_OLD, "steady": STEADY})
    commit(repo, "only", "2026-01-10T12:00:00")
    hist = changelog.history(repo)
    assert not hist.released
    text = changelog.markdown(hist)
    assert text.startswith("No version released yet")
    assert "### Unreleased" in text and "New figures: `a`, `steady`." in text


def test_a_shallow_clone_without_tags_is_not_an_error(two_versions, tmp_path):
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-tags", f"file://{two_versions}", str(clone))
    hist = changelog.history(clone)
    text = changelog.markdown(hist)
    assert "No version released yet" in text and "shallow clone" in text
    assert "New figures: `a`, `c`, `steady`." in text


def test_a_shallow_clone_with_a_tag_whose_commit_it_lacks(two_versions, tmp_path):
    clone = tmp_path / "shallow-tags"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{two_versions}", str(clone))
    # A tag ref pointing at a commit the clone does not have (as a fetch of tags alone can leave).
    missing = git(two_versions, "rev-parse", "v1.0^{commit}")
    (clone / ".git" / "refs" / "tags").mkdir(parents=True, exist_ok=True)
    (clone / ".git" / "refs" / "tags" / "v1.0").write_text(missing + "\n")
    hist = changelog.history(clone)  # must not raise
    text = changelog.markdown(hist)
    assert "shallow clone" in text


def test_outside_git_the_page_still_lists_the_figures(tmp_path, monkeypatch):
    folder = tmp_path / "plain"
    write_snapshots(folder, {"a": A_OLD})
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # git must not find a repository above
    hist = changelog.history(folder)
    assert hist.entries and hist.notes
    text = changelog.markdown(hist)
    assert "not a git repository" in text and "New figure: `a`." in text


def test_the_hook_fills_the_placeholder_with_links_to_figure_pages():
    from figures_src.hooks import changelog as changelog_hook

    known = {f"figures/{p.stem}/index.md" for p in (ROOT / SNAP).glob("*.json")}
    files = SimpleNamespace(get_file_from_path=lambda path: object() if path in known else None)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="changelog.md"))
    source = (ROOT / "docs" / "changelog.md").read_text(encoding="utf-8")
    assert changelog_hook.PLACEHOLDER in source
    local = SimpleNamespace(extra={"build": {"deployed": False, "repo_url": "", "issues_url": ""}})
    out = changelog_hook.on_page_markdown(source, page, local, files)
    assert changelog_hook.PLACEHOLDER not in out and "## Errata" in out
    assert "](figures/softmax-pie-it/index.md)" in out
    other = SimpleNamespace(file=SimpleNamespace(src_uri="index.md"))
    assert changelog_hook.on_page_markdown("text", other, local, files) == "text"


def test_the_changelog_says_where_the_versions_are_and_how_to_report_as_true_of_the_build():
    """The selector exists only on a deployed copy; "open an issue" links the issues only when there are any."""
    from figures_src.hooks import changelog as changelog_hook

    source = (ROOT / "docs" / "changelog.md").read_text(encoding="utf-8")
    assert changelog_hook.VERSIONS in source and changelog_hook.REPORT in source
    assert "version selector at the top" not in source and "open an issue" not in source.lower()
    page = SimpleNamespace(file=SimpleNamespace(src_uri="changelog.md"))
    files = SimpleNamespace(get_file_from_path=lambda path: None)

    def page_for(**build):
        out = changelog_hook.on_page_markdown(source, page, SimpleNamespace(extra={"build": build}), files)
        assert "<!-- changelog:" not in out
        return out

    local = page_for(deployed=False, repo_url="", issues_url="")
    assert "this build was not deployed so, and has none" in local
    errata = local.split("## Errata")[1].split("## Notes")[0]
    assert "open an issue" not in errata and "REPO_URL" in errata and "](" not in errata
    deployed = page_for(deployed=True, repo_url="https://github.com/someone/sav",
                        issues_url="https://github.com/someone/sav/issues")
    assert "the version selector beside the site's title" in deployed and "not deployed" not in deployed
    assert "[open an issue](https://github.com/someone/sav/issues)" in deployed
    forge = page_for(deployed=True, repo_url="https://git.cs.state-university.edu/sav", issues_url="")
    assert "[the repository](https://git.cs.state-university.edu/sav)" in forge


# --------------------------------------------------------------------------- the tag step of deploy.sh


@pytest.fixture
def deploy_repo(tmp_path) -> Path:
    repo = init(tmp_path / "site")
    (repo / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "deploy.sh", repo / "scripts" / "deploy.sh")
    write_snapshots(repo, {"a": A_OLD})
    commit(repo, "first", "2026-01-10T12:00:00")
    return repo


SITE = "https://courses.cs.state-university.edu/attention/"  # a plausible host: not a placeholder


def deploy(repo: Path, version: str, mike: str = "/bin/true", **env) -> subprocess.CompletedProcess:
    """scripts/deploy.sh in `repo`; its address check runs this checkout's figures_src (PYTHON, PYTHONPATH)."""
    full = {k: v for k, v in os.environ.items() if k not in ("ALLOW_DIRTY", "NO_TAG", "PUSH", "SITE_URL")}
    full.update(MIKE=mike, PYTHON=sys.executable, PYTHONPATH=str(ROOT), SITE_URL=SITE)
    full.update(env)
    return subprocess.run(
        ["bash", "scripts/deploy.sh", version], cwd=repo, env=full, capture_output=True, text=True, timeout=60
    )


def test_deploy_tags_the_deployed_commit_with_an_annotated_tag(deploy_repo):
    proc = deploy(deploy_repo, "1.0")
    assert proc.returncode == 0, proc.stderr
    assert git(deploy_repo, "cat-file", "-t", "v1.0") == "tag", "an annotated tag"
    assert git(deploy_repo, "rev-parse", "v1.0^{commit}") == git(deploy_repo, "rev-parse", "HEAD")
    again = deploy(deploy_repo, "1.0")  # the same version from the same commit: fine
    assert again.returncode == 0, again.stderr


def test_deploy_refuses_a_version_whose_tag_names_another_commit(deploy_repo):
    assert deploy(deploy_repo, "1.0").returncode == 0
    first = git(deploy_repo, "rev-parse", "v1.0^{commit}")
    write_snapshots(deploy_repo, {"a": A_NEW})
    commit(deploy_repo, "second", "2026-02-10T12:00:00")
    proc = deploy(deploy_repo, "1.0", mike="/bin/echo")
    assert proc.returncode == 1
    assert "already names commit" in proc.stderr and "deploying" not in proc.stderr
    assert proc.stdout == "", "mike must not run"
    assert git(deploy_repo, "rev-parse", "v1.0^{commit}") == first


@pytest.mark.parametrize("site_url", ["", "https://self-attention-visually.example.org/", "http://localhost:8000/",
                                      "https://sav.invalid/", "not a url"])
def test_deploy_refuses_to_run_without_a_real_site_url(deploy_repo, site_url):
    proc = deploy(deploy_repo, "1.0", mike="/bin/echo", SITE_URL=site_url)
    assert proc.returncode == 2, proc.stderr
    assert "SITE_URL" in proc.stderr and "refused" in proc.stderr
    assert proc.stdout == "", "mike must not run"
    assert git(deploy_repo, "tag", "-l", "v1.0") == "", "no tag for a refused deploy"


def test_a_failed_deploy_takes_its_new_tag_back(deploy_repo):
    proc = deploy(deploy_repo, "2.0", mike="/bin/false")
    assert proc.returncode != 0
    assert git(deploy_repo, "tag", "-l", "v2.0") == ""


def test_no_tag_for_a_dirty_tree_or_when_asked(deploy_repo):
    (deploy_repo / SNAP / "a.json").write_text("{}\n", encoding="utf-8")
    proc = deploy(deploy_repo, "3.0", ALLOW_DIRTY="1")
    assert proc.returncode == 0, proc.stderr
    assert "no tag v3.0" in proc.stderr and git(deploy_repo, "tag", "-l", "v3.0") == ""
    git(deploy_repo, "checkout", "--", SNAP)
    assert deploy(deploy_repo, "4.0", NO_TAG="1").returncode == 0
    assert git(deploy_repo, "tag", "-l", "v4.0") == ""


def test_the_tag_makes_the_deployed_version_appear_in_the_changelog(deploy_repo):
    assert deploy(deploy_repo, "1.0").returncode == 0
    write_snapshots(deploy_repo, {"a": A_NEW})
    commit(deploy_repo, "second", "2026-02-10T12:00:00")
    assert deploy(deploy_repo, "1.1").returncode == 0
    hist = changelog.history(deploy_repo)
    assert [e.title for e in hist.entries] == ["1.1", "1.0"]
    assert set(hist.entries[0].changes.changed) == {"a"}
